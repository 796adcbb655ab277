"""The memory of the launcher's process and of QtWebEngine's processes (its children: one renderer
for one or more pages, the GPU and network ones), for the task monitor (launcher/ui/task_monitor.py).

Through psutil, on Windows and Linux alike. Each process counts what it holds: on Linux its PSS
(proportional set size: a page of memory shared by several processes is split among them), on
Windows and macOS its USS (unique set size: what it holds alone), else its RSS; so the figures
add up without counting shared libraries once per process. Reading a process's memory map can
take a while: call ``read`` off the GUI thread. No Qt.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

import psutil  # type: ignore[import-untyped]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Memory:
    """Bytes held, by process."""

    own: int
    """The launcher's process."""
    renderers: dict[int, int] = field(default_factory=dict)
    """Each asked-for renderer process (by its id) that is still running."""
    others: int = 0
    """The launcher's other child processes (QtWebEngine's GPU, network and utility ones, and
    renderers no page was asked about)."""
    kind: str = "RSS"
    """What was measured: ``PSS``, ``USS`` or ``RSS``."""

    @property
    def total(self) -> int:
        return self.own + sum(self.renderers.values()) + self.others


def held(process: psutil.Process) -> tuple[int, str]:
    """What ``process`` holds and how it was measured (see the module's docstring)."""
    try:
        full = process.memory_full_info()
    except (psutil.AccessDenied, NotImplementedError):
        return int(process.memory_info().rss), "RSS"
    for kind in ("pss", "uss"):
        value = getattr(full, kind, None)
        if value is not None:
            return int(value), kind.upper()
    return int(full.rss), "RSS"


def read(renderer_pids: Iterable[int]) -> Memory:
    """The launcher's memory, each of ``renderer_pids``' (processes that are not the launcher's
    children, or are gone, are left out) and the rest of its children's."""
    me = psutil.Process(os.getpid())
    own, kind = held(me)
    wanted = set(renderer_pids)
    renderers: dict[int, int] = {}
    others = 0
    for child in me.children(recursive=True):
        try:
            size, _kind = held(child)
        except psutil.Error:  # it ended meanwhile
            continue
        if child.pid in wanted:
            renderers[child.pid] = size
        else:
            others += size
    return Memory(own, renderers, others, kind)
