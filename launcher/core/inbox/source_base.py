"""What every task source is to the inbox: one uniform ``fetch`` (``Source``), and what one
refresh of a REST JSON source brought (``Synced``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from launcher.api import TaskItem
from launcher.core.inbox.cache import SyncState


class Source(Protocol):
    """What the inbox calls: one uniform fetch for declarative and plugin sources alike."""

    skipped: int
    """Items of the last answer that were dropped for lack of an id or a title."""
    more: bool
    """The last answer listed more than ``limits.MAX_TASKS`` tasks: only the first were kept."""

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]: ...


@dataclass(frozen=True)
class Synced:
    """What one refresh of a rest-json source brought (see ``RestJsonSource.sync``)."""

    tasks: list[TaskItem]
    """The platform's open tasks; only the changed ones when ``changes_only``."""
    not_modified: bool = False
    """The platform answered 304 Not Modified: the cached tasks are still right."""
    changes_only: bool = False
    """The answer held only items changed since the last refresh (the manifest's ``since``)."""
    removed: tuple[str, ...] = ()
    """Ids of items the answer reported with a ``closed`` status: they leave the inbox."""
    sync: SyncState = field(default_factory=SyncState)
    """What to keep for the next refresh."""
    more: bool = False
    """The platform listed more than ``limits.MAX_TASKS`` tasks; only the first were kept."""


