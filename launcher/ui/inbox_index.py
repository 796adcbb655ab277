"""What the inbox table needs to filter and sort fast, worked out once per task list (Qt-free).

A filter keystroke over 100,000 tasks must cost about as much as a plain substring scan of their
titles, so nothing per row is computed while filtering: ``prepare_groups`` makes, for every group,
the case-folded text the search looks in (the titles and subjects of all its items), its due time
as a number, its platforms and whether it is closed, plus the default order (due time, undated
last, then title). It is plain Python, so the window runs it on a worker thread next to
``group_tasks``; ``InboxModel.set_groups`` accepts its result or prepares plain groups itself.

The views (全部 / 今天 / 本周 / 逾期) follow China time (``timestamps.CHINA``):

- 逾期 (overdue): due before now and not finished (``CLOSED_STATUSES``);
- 今天 (today): due later today, China time: overdue tasks are not repeated here;
- 本周 (this week): due from now to the end of Sunday of this week (Monday to Sunday), so it
  holds 今天 and, like it, leaves the overdue ones to 逾期.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING

from launcher.core.inbox.statuses import CLOSED_STATUSES

# The task classes and China time are imported only for type checking, and when tasks are first
# classified (classify): the window's first frame shows no tasks and does not pay for them.
if TYPE_CHECKING:
    from launcher.api import TaskGroup, TaskItem
    from launcher.core.registry import Platform

ALL, TODAY, WEEK, OVERDUE = "all", "today", "week", "overdue"
VIEWS = (ALL, TODAY, WEEK, OVERDUE)

TODAY_BIT, WEEK_BIT, OVERDUE_BIT = 1, 2, 4
VIEW_BITS = {TODAY: TODAY_BIT, WEEK: WEEK_BIT, OVERDUE: OVERDUE_BIT}



class PreparedGroups(list["TaskGroup"]):
    """Task groups (a list, as ``group_tasks`` returns them) with their filter and sort data.

    All attributes are lists parallel to the groups.
    """

    firsts: list[TaskItem]
    """The item naming each group (due first)."""
    dues: list[float | None]
    """Due time as a POSIX timestamp, None when undated."""
    closed: list[bool]
    platforms: list[tuple[str, ...]]
    keys: list[str]
    order: list[int]
    """Group indexes by due time (undated last), then title, then key: the default sort."""
    _haystacks: list[str] | None = None

    @property
    def haystacks(self) -> list[str]:
        """Case-folded titles and subjects of every item, what the search looks in (a subject
        its item's title already contains is left out: it would match nothing more). Made by
        ``prepare_groups``, or when first searched in (the start snapshot's groups)."""
        if self._haystacks is None:
            self._haystacks = _haystacks(self, self.order)
        return self._haystacks

    @haystacks.setter
    def haystacks(self, haystacks: list[str]) -> None:
        self._haystacks = haystacks

    def has_haystacks(self) -> bool:
        """Whether the search texts are made already (``haystacks`` makes them otherwise)."""
        return self._haystacks is not None


def prepare_groups(groups: Iterable[TaskGroup]) -> PreparedGroups:
    """The groups with everything filtering and sorting needs (pure Python; any thread)."""
    if isinstance(groups, PreparedGroups):
        return groups
    prepared = PreparedGroups(groups)
    firsts: list[TaskItem] = []
    dues: list[float | None] = []
    closed: list[bool] = []
    platforms: list[tuple[str, ...]] = []
    keys: list[str] = []
    order_keys: list[tuple[bool, float, str, str]] = []
    # No helper calls for the common single-item group: 100,000 groups take about 0.3 s.
    for group in prepared:
        items = group.items
        if len(items) == 1:
            first = items[0]
            platforms.append((first.platform,))
        else:
            first = group.first
            platforms.append(group.platforms)
        due = first.due.timestamp() if first.due is not None else None
        firsts.append(first)
        dues.append(due)
        closed.append(first.status.lower() in CLOSED_STATUSES)
        keys.append(group.key)
        order_keys.append((due is None, due or 0.0, first.title, group.key))
    prepared.firsts, prepared.dues, prepared.closed = firsts, dues, closed
    prepared.platforms, prepared.keys = platforms, keys
    prepared.order = order = sorted(range(len(prepared)), key=order_keys.__getitem__)
    prepared.haystacks = _haystacks(prepared, order)
    return prepared


def _haystacks(groups: Sequence[TaskGroup], order: list[int]) -> list[str]:
    # The haystacks are new strings made in the default order: a search reads them one after
    # another in memory (the titles themselves lie scattered among their items, and reading
    # those in sorted order is several times slower).
    haystacks: list[str] = [""] * len(groups)
    for i in order:
        items = groups[i].items
        if len(items) == 1:
            item = items[0]
            haystack = item.title.casefold()
            subject = item.subject
            # A title often names its subject already: then the title alone is the haystack.
            if subject and (subject := subject.casefold()) not in haystack:
                haystack = f"{haystack}\n{subject}"
            haystacks[i] = haystack
        else:
            haystacks[i] = _haystack(items)
    return haystacks


def prepared_as_before(groups: list[TaskGroup], order: list[int]) -> PreparedGroups:
    """``groups`` with the default order ``prepare_groups`` sorted them in before (kept in the
    start snapshot, launcher/core/inbox/snapshot.py, which checked that ``order`` is one of the
    groups); the rest is worked out here, without the sort, and the search texts when first
    searched in."""
    prepared = PreparedGroups(groups)
    # Mostly without Python code per group (C-level maps of attribute getters): this runs
    # before the start snapshot's tasks are on screen.
    items = list(map(attrgetter("items"), groups))
    if all(map((1).__eq__, map(len, items))):  # every group one task: the common case
        firsts = list(map(itemgetter(0), items))
        prepared.platforms = list(zip(map(attrgetter("platform"), firsts)))
    else:
        firsts = [g.items[0] if len(g.items) == 1 else g.first for g in groups]
        prepared.platforms = [
            (g.items[0].platform,) if len(g.items) == 1 else g.platforms for g in groups
        ]
    prepared.firsts = firsts
    stamp = datetime.timestamp
    prepared.dues = [stamp(d) if d is not None else None for d in map(attrgetter("due"), firsts)]
    prepared.closed = list(
        map(CLOSED_STATUSES.__contains__, map(str.lower, map(attrgetter("status"), firsts)))
    )
    prepared.keys = list(map(attrgetter("key"), groups))
    prepared.order = order
    return prepared


def _haystack(items: Sequence[TaskItem]) -> str:
    titles = "\n".join(i.title for i in items).casefold()
    subjects = [s for i in items if i.subject and (s := i.subject.casefold()) not in titles]
    return "\n".join([titles, *subjects])


class Classes:
    """Which views each group is in at one moment, and when that can next change."""

    def __init__(self, bits: list[int], next_change: float) -> None:
        self.bits = bits
        """Per group: TODAY_BIT | WEEK_BIT | OVERDUE_BIT."""
        self.next_change = next_change
        """The POSIX time at which some group moves to another view (a due time passes, a day
        or a week ends)."""


def classify(dues: Sequence[float | None], closed: Sequence[bool], now: datetime) -> Classes:
    """Put each group (by due timestamp and closed flag) into the views at ``now``."""
    if not dues:
        return Classes([], float("inf"))  # no group to move to another view, ever
    from launcher.core.inbox.timestamps import CHINA

    local = now.astimezone(CHINA)
    day = local.date()
    day_start = datetime.combine(day, time(0), tzinfo=CHINA)
    tomorrow = (day_start + timedelta(days=1)).timestamp()
    week_start = (day_start - timedelta(days=day.weekday())).timestamp()
    week_end = (day_start + timedelta(days=7 - day.weekday())).timestamp()
    today_start = day_start.timestamp()
    now_ts = now.timestamp()
    next_change = tomorrow
    bits: list[int] = []
    append = bits.append
    for due, done in zip(dues, closed, strict=True):
        if due is None:
            append(0)
        elif due < now_ts and not done:
            append(OVERDUE_BIT)
        else:
            # Open tasks here are due from now on; finished ones count by their date alone.
            if not done and due < next_change:
                next_change = due  # this one becomes overdue then
            if today_start <= due < tomorrow:
                append(TODAY_BIT | WEEK_BIT)
            elif week_start <= due < week_end:
                append(WEEK_BIT)
            else:
                append(0)
    return Classes(bits, next_change)


def priority_of(group: TaskGroup) -> int | None:
    """The most urgent item's priority on iCalendar's scale (1 highest … 9 lowest), or None."""
    values = [i.priority for i in group.items if i.priority is not None and i.priority > 0]
    return min(min(values), 9) if values else None


def updated_of(group: TaskGroup) -> datetime | None:
    """The latest change any of the group's platforms reported."""
    values = [i.updated for i in group.items if i.updated is not None]
    return max(values) if values else None


def form_names(platforms: Iterable[Platform]) -> dict[str, str]:
    """Form key (county-wide, or a platform's own code) -> the form's name in the manifests, for
    the 类型 (type) column. The first platform naming a form names it."""
    names: dict[str, str] = {}
    platforms = list(platforms)
    for platform in platforms:
        for form in platform.manifest.forms:
            if form.name:
                names.setdefault(form.key, form.name)
    for platform in platforms:
        tasks = platform.manifest.tasks
        rule = getattr(tasks, "grouping", None)
        for code, key in (getattr(rule, "forms", None) or {}).items():
            names.setdefault(code, names.get(key, key))
    return names
