"""Finding the same piece of work asked by several platforms, so the inbox shows it once.

Two tasks are the same work when they name the same form (the form key of the manifests), the same
subject (a household, a shop) and the same reporting period, and come from different platforms:
the fire-safety inspection that 掌上执法 and 基层智治 both ask for is one visit, entered twice.

Each platform's manifest may declare how its tasks take part (``[tasks.grouping]``, a
:class:`GroupingRule`): which county-wide form key its own form codes mean, how its due dates make a
reporting period, or that its tasks never group. The user may also say a group is wrong: its match
key is then split (:class:`~launcher.core.inbox.splits.SplitStore`) and each of its tasks shows on a
row of its own. :class:`Grouping` holds both and is what the inbox, the window and the command line
group with.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.timestamps import CHINA
from launcher.core.manifest import GroupingRule

if TYPE_CHECKING:
    from launcher.core.inbox.splits import SplitStore
    from launcher.core.registry import Platform

_SPACES = re.compile(r"\s+")

DEFAULT_RULE = GroupingRule()
"""The rule of a platform whose manifest declares none: group, period from the due month."""

# f-strings, not strftime: this runs for every task on every refresh and is several times faster.
_PERIODS: dict[str, Callable[[datetime], str]] = {
    "day": lambda moment: f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}",
    "week": lambda moment: "{:04d}-W{:02d}".format(*moment.isocalendar()[:2]),
    "month": lambda moment: f"{moment.year:04d}-{moment.month:02d}",
    "quarter": lambda moment: f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}",
    "year": lambda moment: f"{moment.year:04d}",
}


def normalise_subject(subject: str) -> str:
    """The subject as compared: NFKC (full-width letters, digits and spaces to half-width),
    runs of white space made one space, ends stripped, case folded."""
    text = unicodedata.normalize("NFKC", subject)
    return _SPACES.sub(" ", text).strip().casefold()


def period_of(item: TaskItem, kind: str = "month") -> str:
    """The reporting period: '' for ``none``; else the item's own; else the China-time day, ISO
    week (``2026-W47``), month (``2026-11``), quarter (``2026-Q4``) or year it is due; else ''."""
    if kind == "none":
        return ""
    if item.period and item.period.strip():
        return item.period.strip()
    if item.due is None:
        return ""
    return _PERIODS[kind](item.due.astimezone(CHINA))


def match_key(item: TaskItem, rule: GroupingRule = DEFAULT_RULE) -> str | None:
    """``form|subject|period`` for a task that can be matched with others, else None.

    ``form`` is the county-wide form key (the rule's ``forms`` alias, else the item's own).
    """
    if not rule.enabled or not item.form or not item.subject:
        return None
    form = item.form.strip()
    if not form:
        return None
    subject = normalise_subject(item.subject)
    if not subject:
        return None
    form = rule.forms.get(form, form)
    return f"{form}|{subject}|{period_of(item, rule.periods.get(form, rule.period))}"


def rules_for(platforms: Iterable[Platform]) -> dict[str, GroupingRule]:
    """Platform id -> its manifest's grouping rule, for the platforms that have tasks."""
    return {p.id: p.manifest.tasks.grouping for p in platforms if p.manifest.tasks is not None}


def group_tasks(
    tasks: Iterable[TaskItem],
    rules: Mapping[str, GroupingRule] | None = None,
    splits: Collection[str] = frozenset(),
) -> list[TaskGroup]:
    """Tasks merged into groups, sorted by due time (undated last), then title.

    ``rules`` maps a platform id to its rule (a platform not named gets :data:`DEFAULT_RULE`);
    ``splits`` holds match keys the user split: their tasks stay alone under their item keys.

    Matching tasks share a group only across platforms: two tasks of one platform with the same
    form, subject and period are two pieces of work, so the second starts its own group (key
    suffixed ``#2``, ``#3`` …). Tasks without form or subject stay alone under their item key.
    """
    rules = rules or {}
    buckets: dict[str, list[TaskItem]] = {}
    rows: list[tuple[tuple[int, float, str, str], TaskGroup]] = []
    for item in tasks:
        key = match_key(item, rules.get(item.platform, DEFAULT_RULE))
        if key is None or key in splits:
            rows.append((_row_sort_key(item, item.key), TaskGroup(item.key, (item,))))
            continue
        bucket = buckets.get(key)
        if bucket is None:
            buckets[key] = [item]
        else:
            bucket.append(item)

    for key, bucket in buckets.items():
        if len(bucket) == 1:
            rows.append((_row_sort_key(bucket[0], key), TaskGroup(key, (bucket[0],))))
            continue
        # Due first fills the first group, whatever order the tasks came in. Groups fill in
        # order, so a platform's n-th task (from 0) joins group n, the first it is not in yet:
        # counted, not searched, so grouping stays linear however many tasks share a key.
        bucket.sort(key=_item_sort_key)
        slots: list[list[TaskItem]] = []
        placed: dict[str, int] = {}
        for item in bucket:
            number = placed.get(item.platform, 0)
            placed[item.platform] = number + 1
            if number == len(slots):
                slots.append([item])
            else:
                slots[number].append(item)
        for number, slot in enumerate(slots, start=1):
            slot_key = key if number == 1 else f"{key}#{number}"
            # The slot's first task is due first: it names the group (TaskGroup.first).
            rows.append((_row_sort_key(slot[0], slot_key), TaskGroup(slot_key, tuple(slot))))
    rows.sort(key=_first)
    return [group for _, group in rows]


class Grouping:
    """The county's grouping: the manifests' rules and the user's splits (Qt-free).

    ``group``, ``key``, ``can_split`` and ``is_split`` touch no disk (the split store keeps its
    keys in memory) and may run on any thread; ``split`` and ``unsplit`` write the split store's
    file: call them from a worker, never on the GUI thread.
    """

    def __init__(
        self, rules: Mapping[str, GroupingRule] | None = None, splits: SplitStore | None = None
    ) -> None:
        self.rules: dict[str, GroupingRule] = dict(rules or {})
        self.splits = splits

    def group(self, tasks: Iterable[TaskItem]) -> list[TaskGroup]:
        """The inbox rows of ``tasks``: :func:`group_tasks` with these rules and splits."""
        splits = self.splits.keys() if self.splits is not None else frozenset()
        return group_tasks(tasks, self.rules, splits)

    def key(self, group: TaskGroup) -> str | None:
        """The match key a split names for this row, or None for a task that never groups.

        Every task of a group has the same key; a row split off a group still has its group's
        key, so ``unsplit`` on it merges the group again.
        """
        if not group.items:
            return None
        item = group.items[0]
        return match_key(item, self.rules.get(item.platform, DEFAULT_RULE))

    def can_split(self, group: TaskGroup) -> bool:
        """True for a row of tasks from several platforms (offer "not the same task")."""
        return len(group.items) > 1 and self.key(group) is not None

    def is_split(self, group: TaskGroup) -> bool:
        """True for a row that shows alone because the user split its group (offer "merge")."""
        key = self.key(group)
        return key is not None and self.splits is not None and key in self.splits

    def split(self, group: TaskGroup) -> bool:
        """Show every task with this row's match key on a row of its own, now and after restarts.

        Returns False when there is nothing to split. Writes the split store (a worker's job);
        raises OSError when it cannot, and nothing changes then.
        """
        key = self.key(group)
        if key is None or self.splits is None or len(group.items) < 2:
            return False
        return self.splits.split(key)

    def unsplit(self, group: TaskGroup) -> bool:
        """Merge the tasks of this (split-off) row's match key again; False when not split."""
        key = self.key(group)
        if key is None or self.splits is None:
            return False
        return self.splits.unsplit(key)


def _row_sort_key(first: TaskItem, key: str) -> tuple[int, float, str, str]:
    """Rows by due time (undated last), then title, then key: the group's order, computed once
    from the task that names it instead of again for every comparison."""
    if first.due is None:
        return (1, 0.0, first.title, key)
    return (0, first.due.timestamp(), first.title, key)


def _first(row: tuple[tuple[int, float, str, str], TaskGroup]) -> tuple[int, float, str, str]:
    return row[0]


def _item_sort_key(item: TaskItem) -> tuple[int, float, str]:
    if item.due is None:
        return (1, 0.0, item.key)
    return (0, item.due.timestamp(), item.key)
