"""Finding the same piece of work asked by several platforms, so the inbox shows it once.

Two tasks are the same work when they name the same form (the form key of the manifests), the same
subject (a household, a shop) and the same reporting period, and come from different platforms:
the fire-safety inspection that 掌上执法 and 基层智治 both ask for is one visit, entered twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.timestamps import china_month

_SPACES = re.compile(r"\s+")


def normalise_subject(subject: str) -> str:
    """The subject as compared: NFKC (full-width letters, digits and spaces to half-width),
    runs of white space made one space, ends stripped, case folded."""
    text = unicodedata.normalize("NFKC", subject)
    return _SPACES.sub(" ", text).strip().casefold()


def period_of(item: TaskItem) -> str:
    """The reporting period: the item's own, else the China-time month it is due, else ''."""
    if item.period and item.period.strip():
        return item.period.strip()
    if item.due is not None:
        return china_month(item.due)
    return ""


def match_key(item: TaskItem) -> str | None:
    """``form|subject|period`` for a task that can be matched with others, else None."""
    if not item.form or not item.form.strip() or not item.subject:
        return None
    subject = normalise_subject(item.subject)
    if not subject:
        return None
    return f"{item.form.strip()}|{subject}|{period_of(item)}"


def group_tasks(tasks: Iterable[TaskItem]) -> list[TaskGroup]:
    """Tasks merged into groups, sorted by due time (undated last), then title.

    Matching tasks share a group only across platforms: two tasks of one platform with the same
    form, subject and period are two pieces of work, so the second starts its own group (key
    suffixed ``#2``, ``#3`` …). Tasks without form or subject stay alone under their item key.
    """
    ordered = sorted(tasks, key=_item_sort_key)
    buckets: dict[str, list[list[TaskItem]]] = {}
    singles: list[TaskGroup] = []
    for item in ordered:
        key = match_key(item)
        if key is None:
            singles.append(TaskGroup(item.key, (item,)))
            continue
        slots = buckets.setdefault(key, [])
        slot = next((s for s in slots if all(i.platform != item.platform for i in s)), None)
        if slot is None:
            slots.append([item])
        else:
            slot.append(item)

    groups = list(singles)
    for key, slots in buckets.items():
        for number, slot in enumerate(slots, start=1):
            groups.append(TaskGroup(key if number == 1 else f"{key}#{number}", tuple(slot)))
    groups.sort(key=_group_sort_key)
    return groups


def _group_sort_key(group: TaskGroup) -> tuple[int, float, str, str]:
    due = group.due
    if due is None:
        return (1, 0.0, group.title, group.key)
    return (0, due.timestamp(), group.title, group.key)


def _item_sort_key(item: TaskItem) -> tuple[int, float, str]:
    if item.due is None:
        return (1, 0.0, item.key)
    return (0, item.due.timestamp(), item.key)
