"""The merged inbox as files other programs read: JSON rows, CSV, and iCalendar VTODO items.

An ``.ics`` export imports into calendar and to-do apps (Thunderbird, Outlook, Apple Reminders,
most phone calendars): one VTODO per inbox row, so the inspection two platforms ask for is one
to-do that names both. Its UID stays the same from one export to the next, so importing again
updates the to-do instead of adding a second one.

A CSV file is opened by Excel and WPS, which take a cell starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return for a formula: ``=HYPERLINK(…)`` in a platform's task title would be live
there. So every CSV cell that starts with one of them gets a leading ``'`` (OWASP's advice on CSV
injection), which spreadsheets show as text; the JSON rows keep the platform's text as it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from launcher import __version__
from launcher.api import TaskGroup

CSV_COLUMNS = ("platform", "id", "title", "due", "url", "status", "subject", "platforms")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A CSV cell starting with one of these is a formula to a spreadsheet."""
PRODID = f"-//yiduantong//launcher {__version__}//ZH"
UID_DOMAIN = "yiduantong"
# Due times are written in China time with its IANA name, plus the VTIMEZONE that names it, as
# calendar apps expect. (icalendar depends on the tzdata package, so the zone exists on Windows.)
_CHINA = ZoneInfo("Asia/Shanghai")


def task_row(group: TaskGroup) -> dict[str, Any]:
    """One inbox row as a plain dict (the ``--json`` array's element)."""
    first = group.first
    return {
        "platform": first.platform,
        "id": first.id,
        "title": first.title,
        "due": first.due.isoformat() if first.due else None,
        "url": first.url,
        "status": first.status,
        "subject": first.subject,
        "form": first.form,
        "platforms": list(group.platforms),
        "items": [
            {
                "platform": i.platform,
                "id": i.id,
                "title": i.title,
                "url": i.url,
                "due": i.due.isoformat() if i.due else None,
            }
            for i in group.items
        ],
    }


def to_csv(groups: Iterable[TaskGroup]) -> str:
    """CSV text with a header row; ``platforms`` lists every platform of a row, ``;``-separated."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for group in groups:
        row = task_row(group)
        cells = {**row, "platforms": ";".join(row["platforms"])}
        writer.writerow({column: csv_cell(cells[column]) for column in CSV_COLUMNS})
    return out.getvalue()


def csv_cell(value: object) -> object:
    """``value`` as a CSV cell a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def task_uid(group: TaskGroup) -> str:
    """``<platform>/<id>@yiduantong`` of the row's first item: the same task, the same UID."""
    return f"{group.first.key}@{UID_DOMAIN}"


def to_ics(groups: Iterable[TaskGroup], platform_names: Mapping[str, str] | None = None, *,
           now: datetime | None = None) -> bytes:
    """An iCalendar (RFC 5545) file of one VTODO per row; ``platform_names`` maps id → 名称."""
    names = platform_names or {}
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "一端通 待办")
    for group in groups:
        calendar.add_component(_todo(group, names, stamp))
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def _todo(group: TaskGroup, names: Mapping[str, str], stamp: datetime) -> icalendar.Todo:
    first = group.first
    todo = icalendar.Todo()
    todo.add("uid", task_uid(group))
    todo.add("dtstamp", stamp)
    todo.add("summary", first.title)
    if first.due is not None:
        todo.add("due", first.due.astimezone(_CHINA))
    todo.add("url", first.url)
    todo.add("status", "NEEDS-ACTION")
    priority = _priority(group)
    if priority is not None:
        todo.add("priority", priority)
    updated = [i.updated for i in group.items if i.updated is not None]
    if updated:
        todo.add("last-modified", max(updated).astimezone(UTC))
    platforms = [names.get(p, p) for p in group.platforms]
    todo.add("categories", platforms)
    todo.add("description", _description(group, names))
    return todo


def _description(group: TaskGroup, names: Mapping[str, str]) -> str:
    lines = []
    if group.subject:
        lines.append(f"对象 Subject: {group.subject}")
    label = "平台 Platform" if len(group.items) == 1 else "平台 Platforms"
    lines.append(f"{label}: " + "、".join(_platform_label(p, names) for p in group.platforms))
    if len(group.items) > 1:  # each platform's own page, since the URL property holds one
        for item in sorted(group.items, key=lambda i: i.key):
            lines.append(f"{_platform_label(item.platform, names)}: {item.url}")
    return "\n".join(lines)


def _platform_label(platform_id: str, names: Mapping[str, str]) -> str:
    name = names.get(platform_id)
    return f"{name} ({platform_id})" if name and name != platform_id else platform_id


def _priority(group: TaskGroup) -> int | None:
    """The most urgent item's priority, on iCalendar's scale: 1 highest … 9 lowest.

    A platform's ``priority`` is read on that scale already (docs/login.md, command line); values
    beyond it are clamped, and 0 or less means "undefined", so it is left out.
    """
    values = [i.priority for i in group.items if i.priority is not None and i.priority > 0]
    if not values:
        return None
    return min(min(values), 9)
