"""Task items as every source delivers them, and the protocol a Python task source implements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class TaskItem:
    """One pending piece of work on one platform."""

    platform: str
    """The plugin id of the platform that asks for it, e.g. ``demo.anquan``."""
    id: str
    """The platform's own id of the task (unique within the platform)."""
    title: str
    url: str
    """Absolute URL of the task's own page on the platform."""
    due: datetime | None = None
    """Due time, timezone-aware."""
    status: str = "open"
    form: str | None = None
    """Form key: the same key on two platforms means the same record is asked twice."""
    subject: str | None = None
    """Who or what the task is about: a household, a shop, a person."""
    period: str | None = None
    """The reporting period, e.g. ``2026-11``; defaults to the due month when grouping."""
    priority: int | None = None
    updated: datetime | None = None

    @property
    def key(self) -> str:
        return f"{self.platform}/{self.id}"


@dataclass(frozen=True, slots=True)
class TaskGroup:
    """Tasks from different platforms that are the same piece of work, shown as one row."""

    key: str
    items: tuple[TaskItem, ...] = field(default_factory=tuple)

    @property
    def first(self) -> TaskItem:
        """The item that names the group: the one due first."""
        return min(self.items, key=_due_sort_key)

    @property
    def title(self) -> str:
        return self.first.title

    @property
    def due(self) -> datetime | None:
        return self.first.due

    @property
    def url(self) -> str:
        return self.first.url

    @property
    def status(self) -> str:
        return self.first.status

    @property
    def subject(self) -> str | None:
        return self.first.subject

    @property
    def platforms(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for item in sorted(self.items, key=_due_sort_key):
            seen.setdefault(item.platform, None)
        return tuple(seen)


def _due_sort_key(item: TaskItem) -> tuple[int, float, str]:
    if item.due is None:
        return (1, 0.0, item.key)
    return (0, item.due.timestamp(), item.key)


@runtime_checkable
class TaskSource(Protocol):
    """A plugin's own task source (API 1), for platforms no declaration can describe.

    The plugin's factory makes it from the ``PluginContext`` (``make(context)``). ``fetch`` runs
    on the plugin's own thread; it reads the platform through ``context.session`` (already signed
    in) within ``timeout`` seconds and returns the platform's pending tasks. It raises
    ``SignedOut`` when the platform does not accept the credentials, ``Refused`` when it refuses;
    a ``requests`` connection error or time-out is the platform's, anything else the plugin's.
    """

    def fetch(self, *, timeout: float) -> Sequence[TaskItem]: ...


@runtime_checkable
class CompletableTaskSource(TaskSource, Protocol):
    """A TaskSource whose platform lets the launcher mark a task done (标记完成).

    ``complete`` returns once the platform accepted the change; it raises ``Refused`` with the
    platform's reason when it refuses (the launcher shows that text). Afterwards the launcher
    calls ``fetch`` again and the task must be gone from the list.
    """

    def complete(self, task_id: str, *, timeout: float) -> None: ...
