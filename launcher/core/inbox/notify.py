"""What to tell the user about: new work, work due within 24 hours, and overdue work, each once.

``Notifier(memory).due(groups, now, current=...)`` decides after every refresh which desktop
notifications to show; the UI (ui/tray.py) only shows them. What was announced is remembered in
the task cache (table ``notified``, with the due time each notice was about), so neither the next
refresh nor a restart repeats it, and it goes with the cache: ``TaskCache.forget`` (another user
signing in, logout) clears it.

The rules:

- A task is announced once per kind: ``new`` (once ever), ``due-soon`` (its due time is within
  the next 24 hours) and ``overdue`` (its due time has passed) once per due time. When a
  platform moves a task's deadline after a notice (extended, or brought forward), the new due
  time is told when it qualifies: due within 24 hours again, or passed again. The notice then
  names the due time the earlier one was about (``Notice.moved_from``). Two exceptions: an
  overdue task whose deadline moves earlier is no news (it was overdue already), and a task whose
  due time is removed keeps its memory (when the same due time comes back, nothing is repeated).
  When a task qualifies for several kinds at once, one notice names the most urgent; the others
  are recorded silently.
- Only open tasks count: a task whose status says it is finished is never announced. Work that
  left its list (done, withdrawn) or was reported finished, and is open again later (reopened,
  sent back), has its deadline told again when it is due; it is not ``new`` again.
- A group (the same work asked by several platforms) gives one notice, not one per platform; it is
  ``new`` only when none of its tasks was known before, so a second platform joining known work is
  not new work. It is due by its earliest due time, the one its row shows: the same work due
  later on another platform is no news of its own (split off by the user, it is).
- ``new`` is judged only for platforms refreshed just now (``current``): tasks merely re-read from
  the cache (a failed or stale platform) are not news. The first time a platform is refreshed with
  an empty memory (the first sign-in, another user, the cache forgotten, a platform added to the
  county) its tasks are recorded silently as known: the inbox on screen already shows all of them,
  and 200 "new task" pop-ups would say nothing it does not. Due and overdue work is announced on
  that first refresh too: that is news even on day one.
- When more than ``max_single`` + 1 notices are due at once, the most urgent ``max_single`` come
  one by one and one summary notice covers the rest ("and 12 more").
- What is known about a task that is no longer open on its platform's list is kept for 30 days
  (it may come back, and must not be new again), then dropped.
- A clock that was ahead and is set right does not leave the memory wrong: a notice recorded about
  a due time that has not qualified yet (by more than ``CLOCK_SLACK``) is forgotten, so it is
  told when the due time really comes, and the 30 days of a task that left count from the
  corrected time.
- A cache kept before due times were remembered (schema 3) has notices without a due time: they
  are taken to be about the due time the task has now, so an upgrade repeats nothing.
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
_DUE_KINDS = (OVERDUE, DUE_SOON)

DUE_SOON_WINDOW = timedelta(hours=24)
MAX_SINGLE = 3
"""Notices shown one by one before the rest are summarised in one."""
KEEP_GONE = timedelta(days=30)
"""How long what is known about a task that left its platform's list is kept."""
CLOCK_SLACK = timedelta(hours=1)
"""How far the memory may be ahead of the clock before it is taken to have been written while
the clock was wrong (small corrections, as NTP makes them, change nothing)."""


# Memory entries besides the notice kinds: a platform's first refresh (task id ""), and a task
# no longer open on its list (since when).
_BASELINE = "baseline"
_GONE = "gone"

Entry = tuple[str, str, str]
"""(platform id, task id, kind) as the memory keeps it."""
Recorded = tuple[datetime, datetime | None]
"""What the memory holds for an entry: when it was recorded, and the due time it was about (None
for entries about no due time, and for notices recorded before due times were kept)."""


class NoticeMemory(Protocol):
    """Where what was announced is kept (TaskCache implements it)."""

    def notified(self) -> dict[Entry, Recorded]: ...

    def remember_notified(self, entries: Iterable[tuple[str, str, str, datetime | None]],
                          at: datetime, drop: Iterable[Entry] = ...) -> None: ...


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
    moved_from: datetime | None = None
    """The due time an earlier notice about this task named, when the platform has moved the
    deadline since (so the notice can say the deadline changed); None otherwise."""

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


@dataclass
class _Changes:
    """What one call writes to the memory: entries dropped, then entries (re)recorded."""

    memory: Mapping[Entry, Recorded]
    add: dict[Entry, datetime | None] = field(default_factory=dict)
    drop: set[Entry] = field(default_factory=set)

    def recorded(self, entry: Entry) -> Recorded | None:
        return None if entry in self.drop else self.memory.get(entry)

    def forget(self, entry: Entry) -> None:
        if entry in self.memory:
            self.drop.add(entry)
        self.add.pop(entry, None)

    def entries(self) -> list[tuple[str, str, str, datetime | None]]:
        """The entries to write: those not in the memory as they are."""
        return [(*entry, due) for entry, due in self.add.items()
                if entry in self.drop or entry not in self.memory or self.memory[entry][1] != due]


_Found = tuple[str, TaskGroup, tuple[str, ...], datetime | None]
"""One notice to give: its kind, the task, the item keys, the due time it was moved from."""


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
        groups = list(groups)
        memory = self._memory.notified()
        changes = _Changes(memory)
        baselined = {platform for platform, _id, kind in memory if kind == _BASELINE}
        # Tasks told about (or recorded) in any way: none of them is new any more.
        seen = {(platform, task_id) for platform, task_id, kind in memory if kind != _BASELINE}
        changes.add.update({(p, "", _BASELINE): None for p in current if p not in baselined})
        listed = {(item.platform, item.id) for group in groups for item in group.items
                  if is_open(item)}
        for platform, task_id in listed:
            if platform in current and (platform, task_id, _GONE) in memory:
                # Open again after it left the list (done, withdrawn): not new, but what was
                # told about its deadline is told again when it is due.
                for kind in (_GONE, *_DUE_KINDS):
                    changes.forget((platform, task_id, kind))

        found: list[_Found] = []
        for group in groups:
            items = [item for item in group.items if is_open(item)]
            if not items:
                continue
            hits, moved = self._hits(items, now, changes, seen, baselined, current)
            if hits:
                shown = group if len(items) == len(group.items) else TaskGroup(group.key,
                                                                                tuple(items))
                found.append((hits[0], shown, tuple(item.key for item in items), moved))

        self._tidy(changes, listed, current, now)
        entries = changes.entries()  # a refresh that brings nothing new writes nothing
        if keep is not None and not keep():
            return []
        if entries or changes.drop:
            self._memory.remember_notified(entries, now, changes.drop)
        found.sort(key=_urgency)
        return self._notices(found)

    def _hits(self, items: list[TaskItem], now: datetime, changes: _Changes,
              seen: set[tuple[str, str]], baselined: set[str], current: Collection[str],
              ) -> tuple[list[str], datetime | None]:
        """The kinds the group (its open ``items``) newly qualifies for, most urgent first, and
        the due time the group's last notice named when its deadline has moved since; records
        them in ``changes``.

        A group is due by its earliest due time, the one its row shows: the same work due later
        on another platform is no news of its own, and it is told once for the group.
        """
        hits: list[str] = []
        moved: datetime | None = None
        told = [(kind, record) for item in items for kind in _DUE_KINDS
                if (record := _recall(item, kind, now, changes)) is not None]
        due = min((item.due for item in items if item.due is not None), default=None)
        kind = _due_kind(due, now)
        if due is not None and kind is not None:
            told_now = any(
                about is not None and (about == due or (kind == OVERDUE and due < about))
                for entry_kind, (_at, about) in told if entry_kind == kind)
            if not told_now:  # overdue for an earlier deadline than told is still as told
                hits.append(kind)
                # The due time the group's latest notice named, if the platform moved it since.
                last = max(((at, about) for _k, (at, about) in told if about is not None),
                           default=None)
                if last is not None and last[1] != due:
                    moved = last[1]
            for item in items:
                entry = (item.platform, item.id, kind)
                if item.due != due:
                    continue
                if not told_now:
                    changes.forget(entry)  # told now: recorded as of now, about this due time
                    changes.add[entry] = due
                elif changes.recorded(entry) is None:
                    changes.add[entry] = due  # joined work already told: known from now on
        fetched = [i for i in items if i.platform in current]
        if fetched:
            never_seen = all((i.platform, i.id) not in seen for i in items)
            if never_seen and any(i.platform in baselined for i in fetched):
                hits.append(NEW)
            changes.add.update({(i.platform, i.id, NEW): None for i in fetched})
        return hits, moved

    def _tidy(self, changes: _Changes, listed: set[tuple[str, str]], current: Collection[str],
              now: datetime) -> None:
        """Mark tasks no longer open on a just-fetched list as gone; drop those gone for
        KEEP_GONE."""
        memory = changes.memory
        expired: set[tuple[str, str]] = set()
        for entry, (at, _about) in memory.items():
            platform, task_id, kind = entry
            pair = (platform, task_id)
            if kind == _BASELINE or platform not in current or pair in listed:
                continue
            if kind == _GONE:
                if now - at >= KEEP_GONE:
                    expired.add(pair)
                elif at - now > CLOCK_SLACK:
                    # Marked while the clock was ahead: its 30 days count from now.
                    changes.forget(entry)
                    changes.add[entry] = None
            elif (platform, task_id, _GONE) not in memory:
                changes.add[(platform, task_id, _GONE)] = None
        for entry in memory:
            if (entry[0], entry[1]) in expired:
                changes.forget(entry)

    def _notices(self, found: list[_Found]) -> list[Notice]:
        single = found if len(found) <= self._max_single + 1 else found[: self._max_single]
        notices = [Notice(kind, keys, group, {kind: 1}, moved_from)
                   for kind, group, keys, moved_from in single]
        rest = found[len(single):]
        if rest:
            counts = {kind: sum(1 for k, *_ in rest if k == kind) for kind in KINDS}
            notices.append(Notice(
                rest[0][0],
                tuple(key for _k, _g, keys, _m in rest for key in keys),
                None,
                {kind: n for kind, n in counts.items() if n},
            ))
        return notices


def _deadline(kind: str, now: datetime) -> datetime:
    """The latest due time that qualifies for ``kind`` at ``now``."""
    return now if kind == OVERDUE else now + DUE_SOON_WINDOW


def _due_kind(due: datetime | None, now: datetime) -> str | None:
    """``overdue``, ``due-soon`` or None for work due at ``due``."""
    if due is None or due > now + DUE_SOON_WINDOW:
        return None
    return OVERDUE if due <= now else DUE_SOON


def _recall(item: TaskItem, kind: str, now: datetime, changes: _Changes) -> Recorded | None:
    """What the memory says was told about ``item`` for a due ``kind`` (None: nothing)."""
    entry = (item.platform, item.id, kind)
    record = changes.recorded(entry)
    if record is None:
        return None
    at, about = record
    if about is None:
        if item.due is None:
            return record
        # Recorded before due times were kept: about the due time the task has now. Kept with
        # it from now on, so that a later move is seen.
        about = item.due
        changes.add[entry] = about
    if about > _deadline(kind, now) + CLOCK_SLACK:
        # This due time cannot have qualified yet: the notice was recorded while the clock was
        # ahead (or, from before due times were kept, about an earlier due time). Forgotten, so
        # the due time is told when it comes.
        changes.forget(entry)
        return None
    return at, about


def _urgency(entry: _Found) -> tuple[int, int, float, str]:
    kind, group, _keys, _moved = entry
    due = group.due
    return (KINDS.index(kind), due is None, due.timestamp() if due is not None else 0.0,
            group.title)
