"""The inbox table: one row per task group, sorted by due time, filtered, overdue rows marked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from launcher.api import TaskItem
from launcher.core.inbox.grouping import group_tasks
from launcher.ui.inbox_model import OVERDUE_ROLE, OVERDUE_TEXT, InboxModel
from launcher.ui.inbox_view import InboxView

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
NAMES = {"demo.anquan": "Safety", "demo.zhifa": "Enforcement", "demo.laji": "Waste"}


def task(platform: str, id_: str, title: str, hours: float | None, **extra: str) -> TaskItem:
    due = NOW + timedelta(hours=hours) if hours is not None else None
    return TaskItem(
        platform=platform, id=id_, title=title, url=f"http://127.0.0.1/{id_}", due=due, **extra
    )


TASKS = [
    task("demo.laji", "L1", "Sorting check", 48, subject="Red Flag village"),
    task(
        "demo.anquan",
        "A1",
        "Fire check: Wang household",
        24,
        form="safety_check",
        subject="Wang household",
        period="2026-11",
    ),
    task(
        "demo.zhifa",
        "Z1",
        "Fire check (enforcement)",
        30,
        form="safety_check",
        subject="Wang household",
        period="2026-11",
    ),
    task("demo.anquan", "A2", "Overdue hazard survey", -5, subject="East Wind"),
    task("demo.laji", "L2", "Monthly recycling report", None),
]


@pytest.fixture
def view(qtbot: QtBot) -> InboxView:
    model = InboxModel(lambda pid: NAMES.get(pid, pid), now=lambda: NOW)
    model.set_groups(group_tasks(TASKS))
    widget = InboxView(model)
    widget.set_platforms(list(NAMES.items()))
    qtbot.addWidget(widget)
    return widget


def shown(view: InboxView, column: int) -> list[str]:
    proxy = view.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_rows_are_sorted_by_due_time_with_undated_last(view: InboxView) -> None:
    assert shown(view, InboxModel.TITLE) == [
        "Overdue hazard survey (East Wind)",
        "Fire check: Wang household",
        "Sorting check (Red Flag village)",
        "Monthly recycling report",
    ]
    assert shown(view, InboxModel.DUE)[-1] == "No deadline"


def test_the_same_work_on_two_platforms_is_one_row_naming_both(view: InboxView) -> None:
    platforms = shown(view, InboxModel.PLATFORMS)
    assert platforms.count("Safety, Enforcement") == 1
    assert "Enforcement" not in [p for p in platforms if p != "Safety, Enforcement"]


def test_overdue_rows_are_marked_in_words_and_colour(view: InboxView) -> None:
    proxy = view.proxy
    first = proxy.index(0, InboxModel.STATUS)
    assert first.data() == "Overdue"
    assert first.data(OVERDUE_ROLE) is True
    foreground = first.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(foreground, QBrush) and foreground.color() == OVERDUE_TEXT
    assert proxy.index(0, InboxModel.TITLE).data(Qt.ItemDataRole.BackgroundRole) is not None
    second = proxy.index(1, InboxModel.STATUS)
    assert second.data() == "To do"
    assert second.data(Qt.ItemDataRole.ForegroundRole) is None


def test_platform_filter_keeps_groups_any_of_whose_platforms_match(view: InboxView) -> None:
    combo = view.platform_combo
    assert combo.itemText(0) == "All platforms"
    combo.setCurrentIndex(combo.findData("demo.zhifa"))
    assert shown(view, InboxModel.PLATFORMS) == ["Safety, Enforcement"]
    combo.setCurrentIndex(combo.findData("demo.laji"))
    assert shown(view, InboxModel.TITLE) == [
        "Sorting check (Red Flag village)",
        "Monthly recycling report",
    ]
    combo.setCurrentIndex(0)
    assert len(shown(view, InboxModel.TITLE)) == 4


def test_search_matches_title_and_subject_case_insensitively(view: InboxView) -> None:
    view.search.setText("red flag")
    assert shown(view, InboxModel.TITLE) == ["Sorting check (Red Flag village)"]
    view.search.setText("ENFORCEMENT")  # the second item's title, inside a merged group
    assert shown(view, InboxModel.PLATFORMS) == ["Safety, Enforcement"]
    view.search.setText("no such task")
    assert view.stack.currentWidget() is view.empty
    assert view.empty.text() == "No task matches the filter."
    view.search.clear()
    assert view.stack.currentWidget() is view.table


def test_enter_and_double_click_open_the_task(qtbot: QtBot, view: InboxView) -> None:
    view.show()
    table = view.table
    table.setCurrentIndex(view.proxy.index(1, InboxModel.TITLE))
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args[0].url == "http://127.0.0.1/A1"

    rect = table.visualRect(view.proxy.index(0, InboxModel.TITLE))
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args[0].url == "http://127.0.0.1/A2"


def test_empty_inbox_says_why(qtbot: QtBot) -> None:
    widget = InboxView(InboxModel())
    qtbot.addWidget(widget)
    widget.set_empty_text("Please sign in to see your tasks.")
    assert widget.stack.currentWidget() is widget.empty
    assert widget.empty.text() == "Please sign in to see your tasks."
