"""Running a plugin's task source as the launcher runs it, and the contract every one must keep.

``PluginRun`` loads a plugin folder through its manifest and calls its source through the
launcher's own adapter (launcher/core/inbox/plugin_source.py): imported under a package of its
own, on its own thread, with the time-out, the context and the checks of the real thing. So what
passes here behaves the same in the launcher.

``check_task_source`` is the contract: against a ``PlatformServer`` that answers well, then with
each fault a county back-end shows, the source returns sound tasks, keeps to its time-out and
says what went wrong in the launcher's words (docs/plugins.md).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from launcher.api import Credentials, TaskItem
from launcher.core.errors import SourceError
from launcher.core.inbox.limits import (
    ELLIPSIS,
    MAX_ID_CHARS,
    MAX_SUBJECT_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
)
from launcher.core.inbox.plugin_source import PluginSource
from launcher.core.manifest import load_manifest
from launcher.core.plugins.host import GRACE, PluginHost
from launcher.core.registry import Platform
from launcher.testing.server import PlatformServer

__all__ = ["ContractBroken", "PluginRun", "check_task_source"]


class ContractBroken(AssertionError):
    """The plugin does not keep the task source contract: says which part, and what it did."""


class PluginRun:
    """The task source of the plugin in ``folder`` (holding manifest.toml) for a platform at
    ``base_url``, as the launcher calls it.

    ``credentials`` (a ``launcher.api.Credentials``; by default a bearer token ``token``) go on
    the context's session before every call, ``claims`` are the signed-in person's, and
    ``data_root`` holds the plugin's data folders. ``fetch`` and ``complete`` raise the
    launcher's ``SourceError``, whose ``reason`` is what the person would be shown.
    """

    def __init__(self, folder: Path, base_url: str, *, data_root: Path,
                 credentials: Credentials | None = None, token: str | None = "test-token",
                 claims: Mapping[str, Any] | None = None) -> None:
        manifest = load_manifest(Path(folder) / "manifest.toml")
        if manifest.tasks is None or manifest.tasks.kind != "python":
            raise ValueError(f"{manifest.path}: [tasks] is not kind = \"python\"")
        self.platform = Platform(manifest, base_url.rstrip("/"))
        self.credentials = credentials or Credentials(bearer=token)
        # Platform faults never turn the plugin off here: the contract provokes many in a row.
        self.host = PluginHost(max_failures=1000, data_root=data_root)
        self.host.meet(dict(claims or {"sub": "test-user", "name": "测试用户",
                                        "preferred_username": "test"}))
        self.source = PluginSource(self.platform, self.host)

    @property
    def timeout(self) -> float:
        """The time-out the manifest declares (``[tasks] timeout``)."""
        return self.source.timeout

    def fetch(self, timeout: float | None = None) -> list[TaskItem]:
        return self.source.fetch(token=self.credentials.bearer, credentials=self.credentials,
                                 timeout=self.timeout if timeout is None else timeout)

    def complete(self, task_id: str, timeout: float | None = None) -> list[TaskItem]:
        return self.source.complete(task_id, token=self.credentials.bearer,
                                    credentials=self.credentials,
                                    timeout=self.timeout if timeout is None else timeout)


def check_task_source(run: PluginRun, server: PlatformServer, *,
                      timeout: float = 2.0) -> list[TaskItem]:
    """Hold ``run`` (its platform at ``server.url``, whose routes answer well) to the contract;
    returns the tasks of the good answer. Raises ``ContractBroken`` naming the broken part.

    1. The good answer: a list of ``TaskItem``s of this platform, none skipped (each has an id and
       a title), none cut by the launcher's limits, each link on the platform.
    2. An HTTP 500: reason ``platform``; an HTTP 401: ``signed-out`` (``raise_for_status`` or
       ``SignedOut``); a body that is not JSON: ``unreadable``; a dropped connection:
       ``network``. Then the good answer again (the plugin recovered).
    3. An answer slower than ``timeout``: reason ``timeout``, raised by the plugin itself within
       the time-out (its requests were given ``timeout``), never the launcher giving up on it.
    """
    server.fault(None)
    tasks = _good(run, timeout)
    for fault, status, wanted in (("status", 500, "platform"), ("status", 401, "signed-out"),
                                  ("garbage", 200, "unreadable"), ("drop", 200, "network")):
        server.fault(fault, status=status)
        try:
            _fails_with(run, timeout, wanted, f"{fault} {status}" if fault == "status" else fault)
        finally:
            server.fault(None)
    _good(run, timeout)
    server.fault("slow", seconds=timeout + 3 * GRACE + 2)
    try:
        started = time.monotonic()
        failure = _fails_with(run, timeout, "timeout", "a slow answer")
        took = time.monotonic() - started
    finally:
        server.fault(None)
    if "did not return within" in str(failure) or took > timeout + GRACE:
        raise ContractBroken(f"time-out not honoured: fetch(timeout={timeout:g}) was still busy "
                             f"after {took:.1f} s and the launcher gave up on it; pass timeout "
                             "to every request")
    return tasks


def _good(run: PluginRun, timeout: float) -> list[TaskItem]:
    try:
        tasks = run.fetch(timeout)
    except SourceError as exc:
        raise ContractBroken(f"the good answer: fetch failed ({exc.reason}): {exc}") from None
    if run.source.skipped:
        raise ContractBroken(f"the good answer: {run.source.skipped} items without an id or a "
                             "title were skipped")
    for task in tasks:
        _bounded(task, run.platform)
    return tasks


def _bounded(task: TaskItem, platform: Platform) -> None:
    for name, limit in (("id", MAX_ID_CHARS), ("title", MAX_TITLE_CHARS),
                        ("subject", MAX_SUBJECT_CHARS), ("url", MAX_URL_CHARS)):
        value = getattr(task, name)
        if isinstance(value, str) and len(value) >= limit and value.endswith(ELLIPSIS):
            raise ContractBroken(f"task {task.id!r}: its {name} was cut at {limit} characters; "
                                 "shorten it in the plugin")
    if not platform.owns(task.url):
        raise ContractBroken(f"task {task.id!r}: its link {task.url!r} is not on the platform "
                             f"({', '.join(platform.origins)})")


def _fails_with(run: PluginRun, timeout: float, wanted: str, fault: str) -> SourceError:
    try:
        run.fetch(timeout)
    except SourceError as exc:
        if exc.reason != wanted:
            raise ContractBroken(f"{fault}: the launcher would show {str(exc.reason)!r}, not "
                                 f"{wanted!r} ({exc})") from None
        return exc
    raise ContractBroken(f"{fault}: fetch returned tasks instead of failing")
