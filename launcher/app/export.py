"""Export as a use case: the merged inbox as a file other programs read (``launcher inbox
--json/--csv/--ics``, and whatever export the window offers), in the bytes the file holds.

The formats themselves are core (launcher/core/inbox/export.py); here is what each file is as a
whole: JSON rows and CSV as UTF-8 (the CSV with a byte order mark: Excel and WPS then read its
Chinese as UTF-8), iCalendar as RFC 5545 wants it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launcher.api import TaskGroup


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    ICS = "ics"


@dataclass(frozen=True)
class Exported:
    data: bytes
    """The file's bytes."""
    text: str | None
    """The same as text for a terminal, or None (iCalendar: written as bytes)."""


def export_groups(
    groups: Sequence[TaskGroup], platform_names: Mapping[str, str], form: ExportFormat | str
) -> Exported:
    """``groups`` (the inbox's rows) as a file of ``form``; ``platform_names`` name the
    platforms in the calendar's to-dos."""
    from launcher.core.inbox.export import task_row, to_csv, to_ics

    kind = ExportFormat(form)
    if kind is ExportFormat.ICS:
        return Exported(to_ics(groups, platform_names), None)  # always UTF-8, as RFC 5545 wants
    if kind is ExportFormat.CSV:
        text = to_csv(groups)
        return Exported(text.encode("utf-8-sig"), text)
    text = json.dumps([task_row(g) for g in groups], ensure_ascii=False, indent=2) + "\n"
    return Exported(text.encode("utf-8"), text)
