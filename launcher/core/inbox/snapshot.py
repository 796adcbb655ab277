"""The start snapshot: the inbox's rows as the person last saw them, kept in the task cache so
that the window's next start shows them before the county's services are open.

Opening the county (its manifests, plugins, keyring, the cache's 10,000 rows grouped anew) takes
the better part of a second; this is one JSON document in the task cache's ``snapshot`` table,
read and turned back into the same task groups in a few tens of milliseconds
(launcher/app/start_snapshot.py decides when it may be shown, and to whom). It holds what the
cache holds (the tasks, grouped as shown) and the words the rows need before the manifests are
read: the platforms' and forms' names, and the person's display name.

The document is read as hostile: a file changed by hand, cut short or from another version is
refused as a whole (ValueError), and the window then starts the usual way. Every text is bounded
as the cache bounds it (launcher/core/inbox/limits.py).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from functools import partial
from itertools import repeat
from operator import attrgetter, is_not
from typing import Any, TypeVar

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.limits import (
    MAX_ID_CHARS,
    MAX_SUBJECT_CHARS,
    MAX_TASKS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    MAX_WORD_CHARS,
)

_T = TypeVar("_T")

FORMAT = 1
MAX_PLATFORMS = 200
MAX_ITEMS = 100 * MAX_TASKS
MAX_NAME_CHARS = 200
_KEY_CHARS = 2 * MAX_ID_CHARS + MAX_WORD_CHARS + 2
"""A group's key: a task key (platform/id), or a grouping key of form, subject and period."""


_COLUMNS = ("platform", "id", "title", "url", "due", "status", "form", "subject", "period",
            "priority", "updated")
"""The tasks' columns: the document keeps each as one list (parsed and checked a list at a time,
without Python code per value where that can be helped)."""


@dataclass(frozen=True)
class Snapshot:
    """The inbox as it was shown: its groups, the order the inbox had sorted them in
    (launcher/ui/inbox_index.py), and the words its rows need."""

    groups: list[TaskGroup]
    order: list[int]
    """Group indexes in the default order (due time, undated last, then title, then key)."""
    platforms: list[tuple[str, str, str]]
    """(plugin id, Chinese name, English name) of the county's platforms, in the tiles' order."""
    forms: dict[str, str]
    """Form key -> the form's name (the 类型 column)."""
    person: str
    """The display name of the person whose inbox it is."""
    county: dict[str, object]
    """What the county file was when it was written (launcher/app/start_snapshot.py compares)."""
    owner: str = ""
    """The digest of the person's ``sub`` it was kept for (launcher/core/auth/session_stamp.py),
    set when it is read from the task cache."""


def encode(
    groups: Sequence[TaskGroup],
    order: Sequence[int],
    *,
    platforms: Sequence[tuple[str, str, str]],
    forms: Mapping[str, str],
    person: str,
    county: Mapping[str, object],
) -> bytes:
    """The document of these groups: each task column one list (a column of few distinct texts
    as those texts and a number per task), each moment in ISO 8601 with its offset, each group a
    number of tasks."""
    items = [item for group in groups for item in group.items]
    tasks = {
        "platform": _column([i.platform for i in items]),
        "id": _column([i.id for i in items]),
        "title": _column([i.title for i in items]),
        "url": _column([i.url for i in items]),
        "due": [_iso(i.due) for i in items],
        "status": _column([i.status for i in items]),
        "form": _column([i.form for i in items]),
        "subject": _column([i.subject for i in items]),
        "period": _column([i.period for i in items]),
        "priority": [i.priority for i in items],
        "updated": [_iso(i.updated) for i in items],
    }
    document = {
        "format": FORMAT,
        "county": dict(county),
        "person": person,
        "platforms": [list(p) for p in platforms],
        "forms": dict(forms),
        "tasks": tasks,
        "groups": {
            "key": [g.key for g in groups],
            "size": [len(g.items) for g in groups],
            "order": list(order),
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _column(values: list[str | None]) -> list[str | None] | dict[str, list[Any]]:
    """``values`` as they are, or, when at most half of them are distinct, as the distinct ones
    and each value's place among them (about a third of the document to read back)."""
    distinct = list(dict.fromkeys(values))
    if 2 * len(distinct) > len(values):
        return values
    place = {value: n for n, value in enumerate(distinct)}
    return {"values": distinct, "codes": [place[v] for v in values]}


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # not expected of a platform's task: taken as local time
        moment = moment.astimezone()
    return moment.isoformat()


def decode(body: bytes) -> Snapshot:
    """The snapshot in ``body``; ValueError for anything but a whole, well-formed one."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise ValueError(f"not a start snapshot: {type(exc).__name__}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("not a start snapshot of this version")
    county = document.get("county")
    person = document.get("person")
    platforms = _platforms(document.get("platforms"))
    forms = document.get("forms")
    if not isinstance(county, dict) or not isinstance(person, str) or len(person) > MAX_NAME_CHARS:
        raise ValueError("start snapshot: county or person missing")
    if not isinstance(forms, dict) or len(forms) > 10 * MAX_PLATFORMS or not all(
        _text(k, MAX_WORD_CHARS) and _text(v, MAX_NAME_CHARS) for k, v in forms.items()
    ):
        raise ValueError("start snapshot: bad form names")
    items = _items(document.get("tasks"))
    groups, order = _groups(document.get("groups"), items)
    return Snapshot(groups, order, platforms, forms, person, county)


def _platforms(value: object) -> list[tuple[str, str, str]]:
    if not isinstance(value, list) or len(value) > MAX_PLATFORMS:
        raise ValueError("start snapshot: bad platforms")
    found: list[tuple[str, str, str]] = []
    for entry in value:
        if not isinstance(entry, list) or len(entry) != 3 or not all(
            _text(part, MAX_NAME_CHARS) for part in entry
        ):
            raise ValueError("start snapshot: bad platform")
        found.append((entry[0], entry[1], entry[2]))
    return found


_TEXT_LIMITS = {
    "platform": (MAX_WORD_CHARS, False),
    "id": (MAX_ID_CHARS, False),
    "title": (MAX_TITLE_CHARS, False),
    "url": (MAX_URL_CHARS, False),
    "status": (MAX_WORD_CHARS, False),
    "form": (MAX_WORD_CHARS, True),
    "subject": (MAX_SUBJECT_CHARS, True),
    "period": (MAX_WORD_CHARS, True),
}
"""The text columns: the longest text each may hold, and whether a task may have none."""


def _items(value: object) -> list[TaskItem]:
    if not isinstance(value, dict) or set(value) != set(_COLUMNS):
        raise ValueError("start snapshot: bad tasks")
    columns = [
        _text_column(value[name], *_TEXT_LIMITS[name]) if name in _TEXT_LIMITS
        else _list(value[name]) for name in _COLUMNS
    ]
    count = len(columns[0])
    if count > MAX_ITEMS or any(len(c) != count for c in columns):
        raise ValueError("start snapshot: task columns of different lengths")
    platform, task_id, title, url, due, status, form, subject, period, priority, updated = columns
    priorities = list(_present(priority))
    if not set(map(type, priorities)) <= {int} or (
        priorities and not -1000 <= min(priorities) <= max(priorities) <= 1000
    ):
        raise ValueError("start snapshot: bad priority")
    dues, updates = _moments(due), _moments(updated)
    return _made(TaskItem, count, [platform, task_id, title, url, dues, status, form, subject,
                                   period, priority, updates])


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("start snapshot: bad tasks")
    return value


def _text_column(value: object, limit: int, optional: bool) -> list[Any]:
    """A text column as ``_column`` wrote it, as the list of its values, each checked (the
    distinct ones, when it was written as those and a number per task)."""
    if isinstance(value, list):
        _texts(value, limit, optional=optional)
        return value
    if not isinstance(value, dict) or set(value) != {"values", "codes"}:
        raise ValueError("start snapshot: bad tasks")
    distinct, codes = value["values"], value["codes"]
    if not isinstance(distinct, list) or not isinstance(codes, list) or len(codes) > MAX_ITEMS:
        raise ValueError("start snapshot: bad tasks")
    _texts(distinct, limit, optional=optional)
    if codes and (
        not set(map(type, codes)) <= {int} or min(codes) < 0 or max(codes) >= len(distinct)
    ):
        raise ValueError("start snapshot: a code that names no value")
    return list(map(distinct.__getitem__, codes))


def _groups(value: object, items: list[TaskItem]) -> tuple[list[TaskGroup], list[int]]:
    if not isinstance(value, dict):
        raise ValueError("start snapshot: bad groups")
    keys, sizes, order = (value.get(n) for n in ("key", "size", "order"))
    if not (isinstance(keys, list) and isinstance(sizes, list) and isinstance(order, list)):
        raise ValueError("start snapshot: bad groups")
    count = len(keys)
    if not len(sizes) == len(order) == count:
        raise ValueError("start snapshot: group columns of different lengths")
    _texts(keys, _KEY_CHARS)
    if not set(map(type, sizes)) <= {int} or (sizes and min(sizes) < 1) or sum(sizes) != len(items):
        raise ValueError("start snapshot: group sizes do not add up to the tasks")
    if not set(map(type, order)) <= {int} or sorted(order) != list(range(count)):
        raise ValueError("start snapshot: the order is not one of the groups")
    if count == len(items):  # every group one task: the common case, made without Python code
        members: list[tuple[TaskItem, ...]] = list(zip(items, strict=True))
    else:
        members = []
        at = 0
        for size in sizes:
            members.append(tuple(items[at:at + size]))
            at += size
    return _made(TaskGroup, count, [keys, members]), order


def _made(cls: type[_T], count: int, columns: list[list[Any]]) -> list[_T]:
    """``count`` instances of the frozen dataclass ``cls`` with these field values (one list per
    field, in the fields' order), as ``cls(*values)`` would make them.

    Made a field at a time by the slots' own setters (C code, no Python per value): a frozen
    dataclass's ``__init__`` sets each field through ``object.__setattr__`` in Python, three times
    slower for the 10,000 tasks of a start. Only for a class whose ``__init__`` does nothing
    else (no ``__post_init__``, every field a slot): otherwise made the usual way.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or tuple(names) != getattr(cls, "__slots__", ()):
        return list(map(cls, *columns))
    made = list(map(object.__new__, repeat(cls, count)))
    for name, values in zip(names, columns, strict=True):
        deque(map(getattr(cls, name).__set__, made, values), maxlen=0)
    return made


def _texts(column: list[object], limit: int, *, optional: bool = False) -> None:
    allowed = {str, type(None)} if optional else {str}
    if not set(map(type, column)) <= allowed:
        raise ValueError("start snapshot: a text that is not one")
    if max(map(len, _present(column) if optional else column), default=0) > limit:  # type: ignore[arg-type]
        raise ValueError("start snapshot: a text too long")


def _moments(column: list[object]) -> list[datetime | None]:
    """The moments of a column of ISO 8601 texts (None for none), each with its UTC offset."""
    present: list[Any] = list(_present(column))
    if not set(map(type, present)) <= {str} or max(map(len, present), default=0) > 40:
        raise ValueError("start snapshot: a moment that is not one")
    moment = datetime.fromisoformat
    found: list[datetime | None]
    try:
        if len(present) == len(column):
            found = list(map(moment, column))  # type: ignore[arg-type]
        else:
            found = [moment(t) if t is not None else None for t in column]  # type: ignore[arg-type]
    except ValueError:
        raise ValueError("start snapshot: a moment that is not one") from None
    if None in map(attrgetter("tzinfo"), _present(found)):
        raise ValueError("start snapshot: a moment without its UTC offset")
    return found


def _present(column: Sequence[_T | None]) -> Iterator[_T]:
    """The values of ``column`` that are not None (without Python code per value)."""
    return filter(partial(is_not, None), column)  # type: ignore[arg-type]


def _text(value: object, limit: int) -> bool:
    return type(value) is str and len(value) <= limit
