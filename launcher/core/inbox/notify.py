"""What to tell the user about: new work, work due within 24 hours, and overdue work, each once.

``Notifier(memory).due(groups, now, current=...)`` decides after every refresh which desktop
notifications to show; the UI (ui/tray.py) only shows them. What was announced is remembered in
the task cache (table ``notified``), so neither the next refresh nor a restart repeats it, and it
goes with the cache: ``TaskCache.forget`` (another user signing in, logout) clears it.

The rules:

- A task is announced at most once per kind, ever: ``new``, then ``due-soon`` (its due time is
  within the next 24 hours), then ``overdue`` (its due time has passed). When a task qualifies for
  several kinds at once, one notice names the most urgent; the others are recorded silently.
- Only open tasks count: a task whose status says it is finished is never announced.
- A group (the same work asked by several platforms) gives one notice, not one per platform; it is
  ``new`` only when none of its tasks was known before, so a second platform joining known work is
  not new work.
- ``new`` is judged only for platforms refreshed just now (``current``): tasks merely re-read from
  the cache (a failed or stale platform) are not news. The first time a platform is refreshed with
  an empty memory (the first sign-in, another user, the cache forgotten, a platform added to the
  county) its tasks are recorded silently as known: the inbox on screen already shows all of them,
  and 200 "new task" pop-ups would say nothing it does not. Due and overdue work is announced on
  that first refresh too: that is news even on day one.
- When more than ``max_single`` + 1 notices are due at once, the most urgent ``max_single`` come
  one by one and one summary notice covers the rest ("and 12 more").
- What is known about a task that left its platform's list is kept for 30 days (it may come back,
  and must not be new again), then dropped.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.statuses import CLOSED_STATUSES

NEW = "new"
DUE_SOON = "due-soon"
OVERDUE = "overdue"
KINDS = (OVERDUE, DUE_SOON, NEW)
"""The notice kinds, most urgent first."""

DUE_SOON_WINDOW = timedelta(hours=24)
MAX_SINGLE = 3
"""Notices shown one by one before the rest are summarised in one."""
KEEP_GONE = timedelta(days=30)
"""How long what is known about a task that left its platform's list is kept."""


# Memory entries besides the notice kinds: a platform's first refresh (task id ""), and a task
# no longer listed (since when).
_BASELINE = "baseline"
_GONE = "gone"

Entry = tuple[str, str, str]
"""(platform id, task id, kind) as the memory keeps it."""


class NoticeMemory(Protocol):
    """Where what was announced is kept (TaskCache implements it)."""

    def notified(self) -> dict[Entry, datetime]: ...

    def remember_notified(self, entries: Iterable[Entry], at: datetime,
                          drop: Iterable[Entry] = ...) -> None: ...


@dataclass(frozen=True)
class Notice:
    """One desktop notification: about one task (group), or a summary of several."""

    kind: str
    """``new``, ``due-soon`` or ``overdue``; for a summary the most urgent kind it covers."""
    keys: tuple[str, ...]
    """The item keys (``platform/id``) it is about."""
    group: TaskGroup | None = None
    """The task it is about; None for a summary."""
    counts: Mapping[str, int] = field(default_factory=dict)
    """How many tasks of each kind it covers (a single notice: its own kind, 1)."""

    @property
    def summary(self) -> bool:
        return self.group is None

    @property
    def title(self) -> str:
        return self.group.title if self.group is not None else ""

    @property
    def url(self) -> str:
        """The task's own page ('' for a summary)."""
        return self.group.url if self.group is not None else ""

    @property
    def due(self) -> datetime | None:
        return self.group.due if self.group is not None else None

    @property
    def platforms(self) -> tuple[str, ...]:
        return self.group.platforms if self.group is not None else ()

    @property
    def count(self) -> int:
        return sum(self.counts.values())


def is_open(item: TaskItem) -> bool:
    return item.status.strip().lower() not in CLOSED_STATUSES


def pending_count(groups: Iterable[TaskGroup]) -> int:
    """Pieces of pending work: groups with at least one open task (the tray's number)."""
    return sum(1 for group in groups if any(is_open(item) for item in group.items))


class Notifier:
    """Decides which notices are due; the memory is read and written here, so call it off the GUI
    thread (the refresh worker does)."""

    def __init__(self, memory: NoticeMemory, *, max_single: int = MAX_SINGLE) -> None:
        self._memory = memory
        self._max_single = max_single

    def due(self, groups: Iterable[TaskGroup], now: datetime, *, current: Collection[str],
            keep: Callable[[], bool] | None = None) -> list[Notice]:
        """The notices to show now for ``groups`` (the whole inbox), most urgent first, and the
        memory updated so that none of them comes again.

        ``current``: the platforms whose tasks were just fetched (state ``current``).
        ``keep`` is asked just before the memory is written: False (the user signed out or
        another one signed in meanwhile) writes nothing and returns no notice.
        """
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        memory = self._memory.notified()
        known = set(memory)
        baselined = {platform for platform, _id, kind in known if kind == _BASELINE}
        # Tasks told about (or recorded) in any way: none of them is new any more.
        seen = {(platform, task_id) for platform, task_id, kind in known if kind != _BASELINE}
        add: set[Entry] = {(p, "", _BASELINE) for p in current if p not in baselined}
        listed: set[tuple[str, str]] = set()
        found: list[tuple[str, TaskGroup, tuple[str, ...]]] = []

        for group in groups:
            listed.update((item.platform, item.id) for item in group.items)
            items = [item for item in group.items if is_open(item)]
            if not items:
                continue
            hits = self._hits(items, now, known, seen, baselined, current, add)
            if hits:
                shown = group if len(items) == len(group.items) else TaskGroup(group.key,
                                                                                tuple(items))
                found.append((hits[0], shown, tuple(item.key for item in items)))

        drop = self._tidy(memory, listed, current, now, add)
        add -= known  # a refresh that brings nothing new writes nothing
        if keep is not None and not keep():
            return []
        if add or drop:
            self._memory.remember_notified(add, now, drop)
        found.sort(key=_urgency)
        return self._notices(found)

    def _hits(self, items: list[TaskItem], now: datetime, known: set[Entry],
              seen: set[tuple[str, str]], baselined: set[str], current: Collection[str],
              add: set[Entry]) -> list[str]:
        """The kinds the group newly qualifies for, most urgent first; records them in ``add``."""
        hits: list[str] = []
        overdue = [i for i in items if i.due is not None and i.due <= now]
        soon = [i for i in items if i.due is not None and now < i.due <= now + DUE_SOON_WINDOW]
        for kind, qualified in ((OVERDUE, overdue), (DUE_SOON, soon)):
            entries = {(i.platform, i.id, kind) for i in qualified}
            if entries - known:
                hits.append(kind)
            add.update(entries)
        fetched = [i for i in items if i.platform in current]
        if fetched:
            never_seen = all((i.platform, i.id) not in seen for i in items)
            if never_seen and any(i.platform in baselined for i in fetched):
                hits.append(NEW)
            add.update((i.platform, i.id, NEW) for i in fetched)
        return hits

    def _tidy(self, memory: dict[Entry, datetime], listed: set[tuple[str, str]],
              current: Collection[str], now: datetime, add: set[Entry]) -> set[Entry]:
        """Mark tasks that left a just-fetched list as gone; drop those gone for KEEP_GONE."""
        drop: set[Entry] = set()
        expired: set[tuple[str, str]] = set()
        for (platform, task_id, kind), at in memory.items():
            if kind == _BASELINE or platform not in current:
                continue
            pair = (platform, task_id)
            if pair in listed:
                if kind == _GONE:
                    drop.add((platform, task_id, _GONE))
            elif kind == _GONE:
                if now - at >= KEEP_GONE:
                    expired.add(pair)
            elif (platform, task_id, _GONE) not in memory:
                add.add((platform, task_id, _GONE))
        drop.update(entry for entry in memory if (entry[0], entry[1]) in expired)
        return drop

    def _notices(self, found: list[tuple[str, TaskGroup, tuple[str, ...]]]) -> list[Notice]:
        single = found if len(found) <= self._max_single + 1 else found[: self._max_single]
        notices = [Notice(kind, keys, group, {kind: 1}) for kind, group, keys in single]
        rest = found[len(single):]
        if rest:
            counts = {kind: sum(1 for k, _g, _keys in rest if k == kind) for kind in KINDS}
            notices.append(Notice(
                rest[0][0],
                tuple(key for _k, _g, keys in rest for key in keys),
                None,
                {kind: n for kind, n in counts.items() if n},
            ))
        return notices


def _urgency(entry: tuple[str, TaskGroup, tuple[str, ...]]) -> tuple[int, int, float, str]:
    kind, group, _keys = entry
    due = group.due
    return (KINDS.index(kind), due is None, due.timestamp() if due is not None else 0.0,
            group.title)
