"""Export as a use case: each format's file as a whole (the CSV with a byte order mark for Excel
and WPS, the calendar as bytes only), the same rows the core formats write."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from launcher.api import TaskItem
from launcher.app.export import ExportFormat, export_groups
from launcher.core.inbox.export import task_row, to_csv
from launcher.core.inbox.grouping import group_tasks

CST = timezone(timedelta(hours=8))
GROUPS = group_tasks([TaskItem(platform="demo.anquan", id="1", title="消防检查 =1+1",
                               url="http://127.0.0.1/1", due=datetime(2026, 12, 9, tzinfo=CST))])


def test_json_and_csv_as_text_and_as_the_files_bytes() -> None:
    exported = export_groups(GROUPS, {}, "json")
    assert exported.text is not None
    assert json.loads(exported.text) == [task_row(g) for g in GROUPS]
    assert exported.data == exported.text.encode("utf-8")
    csv = export_groups(GROUPS, {}, ExportFormat.CSV)
    assert csv.text == to_csv(GROUPS)
    assert csv.data.startswith(b"\xef\xbb\xbf") and "消防检查".encode() in csv.data


def test_a_calendar_is_bytes_only_and_names_the_platform() -> None:
    exported = export_groups(GROUPS, {"demo.anquan": "安全排查"}, "ics")
    assert exported.text is None
    assert exported.data.startswith(b"BEGIN:VCALENDAR")
    assert "安全排查".encode() in exported.data


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError):
        export_groups(GROUPS, {}, "xlsx")
