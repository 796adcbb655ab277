"""The inbox table: one row per task group, views, sorting by any column, search, platform filter,
overdue rows marked, and the row actions (open, mark done, split, merge again)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.grouping import group_tasks
from launcher.core.inbox.timestamps import CHINA
from launcher.ui import inbox_model
from launcher.ui.inbox_index import ALL, OVERDUE, TODAY, WEEK, prepare_groups
from launcher.ui.inbox_model import GROUP_ROLE, OVERDUE_ROLE, OVERDUE_TEXT, InboxModel
from launcher.ui.inbox_view import InboxView

# Friday 20 November 2026, 10:00 in China: the week runs Monday 16 to Sunday 22.
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
NAMES = {"demo.anquan": "Safety", "demo.zhifa": "Enforcement", "demo.laji": "Waste"}


def task(platform: str, id_: str, title: str, hours: float | None, **extra: object) -> TaskItem:
    due = NOW + timedelta(hours=hours) if hours is not None else None
    return TaskItem(
        platform=platform,
        id=id_,
        title=title,
        url=f"http://127.0.0.1/{id_}",
        due=due,
        **extra,  # type: ignore[arg-type]
    )


TASKS = [
    task("demo.laji", "L1", "Sorting check", 48, subject="Red Flag village", priority=7),
    task(
        "demo.anquan",
        "A1",
        "Fire check: Wang household",
        24,
        form="safety_check",
        subject="Wang household",
        period="2026-11",
        priority=2,
        updated=NOW - timedelta(days=2),
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
    task("demo.anquan", "A2", "Overdue hazard survey", -5, subject="East Wind", priority=5),
    task("demo.laji", "L2", "Monthly recycling report", None, updated=NOW - timedelta(hours=1)),
]


def make_view(qtbot: QtBot, tasks: list[TaskItem], **options: object) -> InboxView:
    model = InboxModel(lambda pid: NAMES.get(pid, pid), now=lambda: NOW)
    model.set_groups(group_tasks(tasks))
    widget = InboxView(model, **options)  # type: ignore[arg-type]
    widget.set_platforms(list(NAMES.items()))
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def view(qtbot: QtBot) -> InboxView:
    return make_view(qtbot, TASKS)


def show_active(qtbot: QtBot, view: InboxView) -> None:
    """Shown and the active window: shortcuts only reach the active window."""
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()


def shown(view: InboxView, column: int = InboxModel.TITLE) -> list[str]:
    model = view.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_rows_are_sorted_by_due_time_with_undated_last(view: InboxView) -> None:
    assert shown(view) == [
        "Overdue hazard survey",
        "Fire check: Wang household",
        "Sorting check",
        "Monthly recycling report",
    ]
    assert shown(view, InboxModel.SUBJECT) == [
        "East Wind",
        "Wang household",
        "Red Flag village",
        "",
    ]
    assert shown(view, InboxModel.DUE)[-1] == "No deadline"


def test_the_same_work_on_two_platforms_is_one_row_naming_both(view: InboxView) -> None:
    platforms = shown(view, InboxModel.PLATFORMS)
    assert platforms.count("Safety, Enforcement") == 1
    assert "Enforcement" not in [p for p in platforms if p != "Safety, Enforcement"]


def test_overdue_rows_are_marked_in_words_and_colour(view: InboxView) -> None:
    model = view.model
    first = model.index(0, InboxModel.STATUS)
    assert first.data() == "Overdue"
    assert first.data(OVERDUE_ROLE) is True
    foreground = first.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(foreground, QBrush) and foreground.color() == OVERDUE_TEXT
    assert model.index(0, InboxModel.TITLE).data(Qt.ItemDataRole.BackgroundRole) is not None
    second = model.index(1, InboxModel.STATUS)
    assert second.data() == "To do"
    assert second.data(Qt.ItemDataRole.ForegroundRole) is None


def test_platform_filter_keeps_groups_any_of_whose_platforms_match(view: InboxView) -> None:
    combo = view.platform_combo
    assert combo.itemText(0) == "All platforms"
    combo.setCurrentIndex(combo.findData("demo.zhifa"))
    assert shown(view, InboxModel.PLATFORMS) == ["Safety, Enforcement"]
    combo.setCurrentIndex(combo.findData("demo.laji"))
    assert shown(view) == ["Sorting check", "Monthly recycling report"]
    combo.setCurrentIndex(0)
    assert len(shown(view)) == 4


def test_search_matches_title_and_subject_case_insensitively(view: InboxView) -> None:
    view.search.setText("red flag")  # a subject
    assert shown(view) == ["Sorting check"]
    view.search.setText("ENFORCEMENT")  # the second item's title, inside a merged group
    assert shown(view, InboxModel.PLATFORMS) == ["Safety, Enforcement"]
    view.search.setText("no such task")
    assert view.stack.currentWidget() is view.empty
    assert view.empty.text() == "No task matches the filter."
    view.search.clear()
    assert view.stack.currentWidget() is view.table


def test_typing_on_and_deleting_keep_the_search_right(view: InboxView) -> None:
    every = [
        "Overdue hazard survey",
        "Fire check: Wang household",
        "Sorting check",
        "Monthly recycling report",
    ]
    for text, titles in [
        ("f", ["Fire check: Wang household", "Sorting check"]),  # "Red Flag village"
        ("fi", ["Fire check: Wang household"]),
        ("fir", ["Fire check: Wang household"]),
        ("r", every),
        ("re", ["Fire check: Wang household", "Sorting check", "Monthly recycling report"]),
        ("rep", ["Monthly recycling report"]),
        ("re", ["Fire check: Wang household", "Sorting check", "Monthly recycling report"]),
        ("", every),
        ("  WANG ", ["Fire check: Wang household"]),
    ]:
        view.search.setText(text)
        assert shown(view) == titles, text


def test_search_haystacks_hold_each_text_once_and_find_the_same_rows() -> None:
    prepared = prepare_groups(group_tasks(TASKS))
    haystacks = dict(zip(prepared.keys, prepared.haystacks, strict=True))
    # The subject the title names already is not repeated; one it does not name is added.
    assert haystacks["demo.laji/L1"] == "sorting check\nred flag village"
    assert haystacks["demo.laji/L2"] == "monthly recycling report"
    merged = haystacks["safety_check|wang household|2026-11"]
    assert merged == "fire check: wang household\nfire check (enforcement)"
    model = InboxModel(now=lambda: NOW)
    model.set_groups(prepared)
    for text, keys in [
        ("wang household", ["safety_check|wang household|2026-11"]),  # in a title
        ("east wind", ["demo.anquan/A2"]),  # a subject only
        ("(enforcement)", ["safety_check|wang household|2026-11"]),  # the second item's title
    ]:
        model.set_text(text)
        assert [g.key for g in model.visible_groups()] == keys, text


# -- what a repaint asks -----------------------------------------------------------------------


def test_cells_answer_the_roles_they_show_and_refuse_the_rest(view: InboxView) -> None:
    model = view.model
    overdue, later = model.index(0, InboxModel.TITLE), model.index(1, InboxModel.TITLE)
    assert overdue.data() == overdue.data(Qt.ItemDataRole.AccessibleTextRole)
    assert overdue.data() == "Overdue hazard survey"
    assert "East Wind" in overdue.data(Qt.ItemDataRole.ToolTipRole)
    assert overdue.data(GROUP_ROLE).key == "demo.anquan/A2"
    background = overdue.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush) and background.color().name() == "#fde8e8"
    assert later.data(Qt.ItemDataRole.BackgroundRole) is None
    assert later.data(OVERDUE_ROLE) is False
    # The view's own defaults (font, alignment, no icon or check box) are left to the view.
    for role in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
        Qt.ItemDataRole.EditRole,
    ):
        assert overdue.data(role) is None, role
    assert model.data(model.index(99, 0)) is None  # no such row


def test_cell_texts_follow_names_and_time_once_shown(qtbot: QtBot) -> None:
    clock = [NOW]
    model = InboxModel(lambda pid: NAMES.get(pid, pid), now=lambda: clock[0])
    model.set_groups(group_tasks(TASKS))
    view = InboxView(model)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)  # painted: the shown cells' texts are made and kept
    row = model.row_of("safety_check|wang household|2026-11")
    assert row is not None
    assert model.index(row, InboxModel.KIND).data() == "safety_check"
    assert model.index(row, InboxModel.STATUS).data() == "To do"

    model.set_form_names({"safety_check": "Fire safety record"})
    assert model.index(row, InboxModel.KIND).data() == "Fire safety record"
    model.set_platform_name(lambda pid: pid.upper())
    assert model.index(row, InboxModel.PLATFORMS).data() == "DEMO.ANQUAN, DEMO.ZHIFA"
    assert model.index(row, InboxModel.STATUS).data() == "To do"
    clock[0] = NOW + timedelta(days=1, hours=1)  # past its due time (24 hours after NOW)
    assert model.update_now()
    row = model.row_of("safety_check|wang household|2026-11")
    assert row is not None
    status = model.index(row, InboxModel.STATUS)
    assert status.data() == "Overdue" and status.data(OVERDUE_ROLE) is True


def test_a_keystroke_lays_the_table_out_at_once(qtbot: QtBot) -> None:
    # Not on the view's delayed-layout timer, which would repaint the whole table a second time.
    many = [task("demo.laji", f"M{n}", f"Meter reading {n}", n) for n in range(200)]
    view = make_view(qtbot, [*TASKS, *many])
    view.resize(900, 500)
    view.show()
    qtbot.waitExposed(view)
    bar = view.table.verticalScrollBar()
    assert bar.maximum() > 0
    view.search.setText("wang")  # one row: nothing to scroll
    assert view.model.rowCount() == 1
    assert bar.maximum() == 0  # before the event loop has run again
    view.search.clear()
    assert bar.maximum() > 0


def test_typing_on_within_the_same_matches_redraws_nothing(qtbot: QtBot, view: InboxView) -> None:
    view.search.setText("sorting")
    with qtbot.assertNotEmitted(view.model.modelReset):
        view.search.setText("sorting ch")  # still the same one row
    assert shown(view) == ["Sorting check"]
    with qtbot.waitSignal(view.model.modelReset):
        view.search.setText("sorting chx")
    assert shown(view) == []


def test_scrolling_past_the_kept_texts_still_shows_every_row_right(
    view: InboxView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_model, "_TEXT_CACHE_ROWS", 2)  # keep two rows' texts at most
    expected = [
        "Overdue hazard survey",
        "Fire check: Wang household",
        "Sorting check",
        "Monthly recycling report",
    ]
    for _ in range(2):
        assert shown(view) == expected
        assert shown(view, InboxModel.SUBJECT) == [
            "East Wind",
            "Wang household",
            "Red Flag village",
            "",
        ]


# -- views -------------------------------------------------------------------------------------


def at_china(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=CHINA)


VIEW_TASKS = [
    TaskItem("demo.anquan", "late", "Late report", "http://x/1", due=at_china(20, 9, 30)),
    TaskItem("demo.anquan", "last-week", "Last week's survey", "http://x/2", due=at_china(13, 17)),
    TaskItem(
        "demo.laji", "closed", "Finished visit", "http://x/3", due=at_china(19, 12), status="done"
    ),
    TaskItem("demo.anquan", "tonight", "Tonight's count", "http://x/4", due=at_china(20, 23, 59)),
    TaskItem("demo.laji", "sunday", "Sunday patrol", "http://x/5", due=at_china(22, 23, 59)),
    TaskItem("demo.laji", "monday", "Next Monday's meeting", "http://x/6", due=at_china(23, 0, 30)),
    TaskItem("demo.zhifa", "undated", "Some day", "http://x/7"),
]


def test_views_count_and_show_their_tasks_in_china_time(qtbot: QtBot) -> None:
    view = make_view(qtbot, VIEW_TASKS)
    assert view.model.counts() == {ALL: 7, TODAY: 1, WEEK: 3, OVERDUE: 2}
    assert view.view_text(OVERDUE) == "Overdue (2)"
    assert view.view_text(ALL) == "All (7)"
    assert view.view_buttons[TODAY].accessibleName() == "Today (1)"

    view.view_buttons[OVERDUE].click()
    assert view.current_view() == OVERDUE
    # Finished work is never overdue, however old its due date.
    assert shown(view) == ["Last week's survey", "Late report"]
    assert all(view.model.index(r, 0).data(OVERDUE_ROLE) for r in range(2))

    view.view_buttons[TODAY].click()
    assert shown(view) == ["Tonight's count"]  # 09:30 today has passed: under 逾期, not here

    view.view_buttons[WEEK].click()
    # Friday's finished visit still counts for this week by its date; Monday's meeting does not.
    assert shown(view) == ["Finished visit", "Tonight's count", "Sunday patrol"]
    assert view.view_buttons[WEEK].defaultAction().isChecked()
    assert not view.view_buttons[ALL].defaultAction().isChecked()

    view.view_buttons[ALL].click()
    assert len(shown(view)) == 7


def test_views_combine_with_platform_and_search_and_counts_follow_the_platform(
    qtbot: QtBot,
) -> None:
    view = make_view(qtbot, VIEW_TASKS)
    view.set_view(WEEK)
    view.platform_combo.setCurrentIndex(view.platform_combo.findData("demo.laji"))
    assert shown(view) == ["Finished visit", "Sunday patrol"]
    assert view.model.counts() == {ALL: 3, TODAY: 0, WEEK: 2, OVERDUE: 0}
    assert view.view_text(WEEK) == "This week (2)"
    view.search.setText("patrol")
    assert shown(view) == ["Sunday patrol"]
    assert view.model.counts()[WEEK] == 2  # the counts are the views', not the search's
    view.set_view(OVERDUE)
    assert view.stack.currentWidget() is view.empty
    view.platform_combo.setCurrentIndex(0)
    view.search.clear()
    assert shown(view) == ["Last week's survey", "Late report"]


def test_a_task_moves_to_overdue_when_its_due_time_passes(qtbot: QtBot) -> None:
    clock = [NOW]
    model = InboxModel(now=lambda: clock[0])
    model.set_groups(group_tasks(VIEW_TASKS))
    view = InboxView(model)
    qtbot.addWidget(view)
    view.set_view(OVERDUE)
    assert model.rowCount() == 2
    assert not model.update_now()  # nothing changed yet
    clock[0] = at_china(21, 0, 5)  # after midnight: tonight's count is overdue now
    assert model.update_now()
    assert shown(view) == ["Last week's survey", "Late report", "Tonight's count"]
    assert model.counts()[TODAY] == 0
    assert view.view_text(OVERDUE) == "Overdue (3)"


def test_an_unknown_view_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown inbox view 'later'"):
        InboxModel().set_view("later")


# -- sorting -----------------------------------------------------------------------------------

SORTED = {
    # column: the titles in ascending order (empty values last, ties by due time)
    InboxModel.PLATFORMS: [
        "Overdue hazard survey",  # Safety
        "Fire check: Wang household",  # Safety, Enforcement
        "Sorting check",  # Waste
        "Monthly recycling report",  # Waste (undated: after by due time)
    ],
    InboxModel.TITLE: [
        "Fire check: Wang household",
        "Monthly recycling report",
        "Overdue hazard survey",
        "Sorting check",
    ],
    InboxModel.SUBJECT: [
        "Overdue hazard survey",  # East Wind
        "Sorting check",  # Red Flag village
        "Fire check: Wang household",  # Wang household
        "Monthly recycling report",  # none
    ],
    InboxModel.KIND: [
        "Fire check: Wang household",  # the only one with a form
        "Overdue hazard survey",
        "Sorting check",
        "Monthly recycling report",
    ],
    InboxModel.DUE: [
        "Overdue hazard survey",
        "Fire check: Wang household",
        "Sorting check",
        "Monthly recycling report",
    ],
    InboxModel.PRIORITY: [
        "Fire check: Wang household",  # 2 (high)
        "Overdue hazard survey",  # 5
        "Sorting check",  # 7
        "Monthly recycling report",  # none
    ],
    InboxModel.STATUS: [
        "Overdue hazard survey",  # overdue first
        "Fire check: Wang household",
        "Sorting check",
        "Monthly recycling report",
    ],
    InboxModel.UPDATED: [
        "Fire check: Wang household",
        "Monthly recycling report",
        "Overdue hazard survey",  # none, by due
        "Sorting check",
    ],
}
# Descending: values reversed, empty ones still last (in due order).
SORTED_DOWN = {
    InboxModel.PLATFORMS: [
        "Sorting check",
        "Monthly recycling report",
        "Fire check: Wang household",
        "Overdue hazard survey",
    ],
    InboxModel.TITLE: list(reversed(SORTED[InboxModel.TITLE])),
    InboxModel.SUBJECT: [
        "Fire check: Wang household",
        "Sorting check",
        "Overdue hazard survey",
        "Monthly recycling report",
    ],
    InboxModel.KIND: SORTED[InboxModel.KIND],
    InboxModel.DUE: [
        "Sorting check",
        "Fire check: Wang household",
        "Overdue hazard survey",
        "Monthly recycling report",
    ],
    InboxModel.PRIORITY: [
        "Sorting check",
        "Overdue hazard survey",
        "Fire check: Wang household",
        "Monthly recycling report",
    ],
    InboxModel.STATUS: [
        "Fire check: Wang household",
        "Sorting check",
        "Monthly recycling report",
        "Overdue hazard survey",
    ],
    InboxModel.UPDATED: [
        "Monthly recycling report",
        "Fire check: Wang household",
        "Overdue hazard survey",
        "Sorting check",
    ],
}


@pytest.mark.parametrize("column", sorted(SORTED))
def test_sort_by_each_column_both_ways(view: InboxView, column: int) -> None:
    view.model.set_form_names({"safety_check": "Fire safety record"})
    view.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert shown(view) == SORTED[column]
    view.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    assert shown(view) == SORTED_DOWN[column]


def test_clicking_a_header_sorts_and_the_filter_keeps_the_order(
    qtbot: QtBot, view: InboxView
) -> None:
    view.show()
    header = view.table.horizontalHeader()
    title = QPoint(header.sectionViewportPosition(InboxModel.TITLE) + 5, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)
    first = shown(view)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert {tuple(first), tuple(shown(view))} == {
        tuple(SORTED[InboxModel.TITLE]),
        tuple(SORTED_DOWN[InboxModel.TITLE]),
    }
    view.table.sortByColumn(InboxModel.TITLE, Qt.SortOrder.AscendingOrder)
    view.search.setText("check")
    assert shown(view) == ["Fire check: Wang household", "Sorting check"]


def test_priority_type_and_updated_columns_read_well(view: InboxView) -> None:
    view.model.set_form_names({"safety_check": "Fire safety record"})
    row = view.model.row_of("safety_check|wang household|2026-11")
    assert row is not None
    model = view.model
    assert model.index(row, InboxModel.PRIORITY).data() == "High"
    assert model.index(row, InboxModel.KIND).data() == "Fire safety record"
    assert model.index(row, InboxModel.UPDATED).data().startswith("2026-11-1")
    assert model.headerData(InboxModel.KIND, Qt.Orientation.Horizontal) == "Type"


# -- columns -----------------------------------------------------------------------------------


def test_some_columns_start_hidden_and_the_header_menu_shows_them_remembered(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    view = make_view(qtbot, TASKS, settings=settings)
    default = [
        InboxModel.PLATFORMS,
        InboxModel.TITLE,
        InboxModel.SUBJECT,
        InboxModel.DUE,
        InboxModel.STATUS,
    ]
    assert view.shown_columns() == default
    menu = view.column_menu()
    entries = {a.text(): a for a in menu.actions()}
    assert list(entries) == [
        "Platform",
        "Task",
        "Subject",
        "Type",
        "Due",
        "Priority",
        "Status",
        "Updated",
    ]
    assert not entries["Task"].isEnabled()  # the title always shows
    entries["Priority"].setChecked(True)
    entries["Subject"].setChecked(False)
    assert InboxModel.PRIORITY in view.shown_columns()
    assert InboxModel.SUBJECT not in view.shown_columns()
    settings.sync()

    again = make_view(qtbot, TASKS, settings=settings)
    assert again.shown_columns() == [
        InboxModel.PLATFORMS,
        InboxModel.TITLE,
        InboxModel.DUE,
        InboxModel.PRIORITY,
        InboxModel.STATUS,
    ]


# -- row actions -------------------------------------------------------------------------------


def test_enter_and_double_click_open_the_task(qtbot: QtBot, view: InboxView) -> None:
    view.show()
    table = view.table
    table.setCurrentIndex(view.model.index(1, InboxModel.TITLE))
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert opened.args[0].url == "http://127.0.0.1/A1"

    rect = table.visualRect(view.model.index(0, InboxModel.TITLE))
    with qtbot.waitSignal(view.open_requested) as opened:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args[0].url == "http://127.0.0.1/A2"


def test_the_selection_stays_on_its_task_while_filtering_and_sorting(view: InboxView) -> None:
    assert view.select_group("demo.laji/L1")
    view.search.setText("check")
    assert view.current_group() is not None
    assert view.current_group().key == "demo.laji/L1"  # type: ignore[union-attr]
    view.table.sortByColumn(InboxModel.TITLE, Qt.SortOrder.DescendingOrder)
    assert view.current_group().key == "demo.laji/L1"  # type: ignore[union-attr]


def test_mark_done_is_offered_only_where_a_platform_allows_it(
    qtbot: QtBot, view: InboxView
) -> None:
    show_active(qtbot, view)
    act = view.mark_done_action
    assert act.shortcut().toString() == "Ctrl+D"
    view.select_group("demo.laji/L1")
    assert not act.isEnabled()  # nothing selected can be marked done yet
    view.set_completable({"demo.zhifa"})
    assert not act.isEnabled()  # Waste cannot
    view.select_group("safety_check|wang household|2026-11")
    assert act.isEnabled()  # one of the group's platforms can
    assert view.mark_done_button.isEnabled()
    view.table.setFocus()
    with qtbot.waitSignal(view.mark_done_requested) as marked:
        qtbot.keyClick(view.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    group = marked.args[0]
    assert isinstance(group, TaskGroup) and len(group.items) == 2

    view.set_busy("Marking done on Enforcement (1/1)…")
    assert not act.isEnabled() and view.progress.text().startswith("Marking done")
    view.set_busy("")
    assert act.isEnabled() and view.progress.isHidden()


def test_the_row_menu_splits_a_merged_row_and_merges_a_split_one(
    qtbot: QtBot, view: InboxView
) -> None:
    view.select_group("safety_check|wang household|2026-11")
    menu = view.row_menu()
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Open Safety", "Open Enforcement", "Mark done", "Split (not the same work)"]
    assert view.split_action.isEnabled()
    with qtbot.waitSignal(view.split_requested) as split:
        view.split_action.trigger()
    assert split.args[0].key == "safety_check|wang household|2026-11"

    view.select_group("demo.laji/L1")  # one platform only: nothing to split
    assert not view.split_action.isEnabled()

    view.set_split_check(lambda group: group.key == "demo.laji/L1")
    menu = view.row_menu()
    assert "Merge again" in [a.text() for a in menu.actions()]
    with qtbot.waitSignal(view.merge_requested) as merged:
        view.merge_action.trigger()
    assert merged.args[0].key == "demo.laji/L1"


def test_empty_inbox_says_why(qtbot: QtBot) -> None:
    widget = InboxView(InboxModel())
    qtbot.addWidget(widget)
    widget.set_empty_text("Please sign in to see your tasks.")
    assert widget.stack.currentWidget() is widget.empty
    assert widget.empty.text() == "Please sign in to see your tasks."


def test_keyboard_reaches_views_filters_and_table_in_order(qtbot: QtBot, view: InboxView) -> None:
    chain: list[QWidget] = [view.view_buttons[v] for v in (ALL, TODAY, WEEK, OVERDUE)]
    chain += [view.platform_combo, view.search, view.mark_done_button, view.table]
    walked: list[QWidget] = []
    widget: QWidget = chain[0]
    for _ in range(200):  # the focus chain, from the first view button on
        if widget in chain and widget not in walked:
            walked.append(widget)
        widget = widget.nextInFocusChain()
    assert walked == chain
    assert all(w.focusPolicy() & Qt.FocusPolicy.TabFocus for w in chain)
    show_active(qtbot, view)
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert view.current_view() == OVERDUE


def test_prepared_groups_from_a_worker_show_the_same_rows(qtbot: QtBot) -> None:
    plain = make_view(qtbot, TASKS)
    prepared = InboxModel(lambda pid: NAMES.get(pid, pid), now=lambda: NOW)
    prepared.set_groups(prepare_groups(group_tasks(TASKS)))
    assert [g.key for g in prepared.visible_groups()] == [
        g.key for g in plain.model.visible_groups()
    ]
    prepared.set_text("wang")
    assert [g.title for g in prepared.visible_groups()] == ["Fire check: Wang household"]
    assert prepared.total() == 4


def test_chinese_texts_sort_in_pinyin_order_and_numbers_by_value(qtbot: QtBot) -> None:
    titles = ["执法检查", "安全排查", "垃圾分类", "第10号户", "第2号户", "党员管理", "Zhang", "an"]
    tasks = [task("demo.laji", f"T{i}", title, 10) for i, title in enumerate(titles)]
    view = make_view(qtbot, tasks)
    view.table.sortByColumn(InboxModel.TITLE, Qt.SortOrder.AscendingOrder)
    chinese = [t for t in shown(view) if not t.isascii()]
    # an, dang, di (2 before 10), la, zhi: by pinyin, not by character code.
    assert chinese == ["安全排查", "党员管理", "第2号户", "第10号户", "垃圾分类", "执法检查"]
    assert [t for t in shown(view) if t.isascii()] == ["an", "Zhang"]  # case does not count
    view.table.sortByColumn(InboxModel.TITLE, Qt.SortOrder.DescendingOrder)
    assert [t for t in shown(view) if not t.isascii()] == chinese[::-1]


def test_the_roles_written_as_ints_are_qts_own() -> None:
    # inbox_model writes them as ints so the window's first frame needs no Qt namespace.
    from launcher.ui import inbox_model

    roles = Qt.ItemDataRole
    assert (roles.UserRole + 1, roles.UserRole + 3) == (GROUP_ROLE, OVERDUE_ROLE)
    written = (
        inbox_model._DISPLAY,
        inbox_model._TOOL_TIP,
        inbox_model._BACKGROUND,
        inbox_model._FOREGROUND,
        inbox_model._ACCESSIBLE_TEXT,
    )
    qt = (
        roles.DisplayRole,
        roles.ToolTipRole,
        roles.BackgroundRole,
        roles.ForegroundRole,
        roles.AccessibleTextRole,
    )
    assert written == tuple(role.value for role in qt)


def test_new_groups_keep_the_current_task_or_none_without_error(qtbot: QtBot) -> None:
    """The row made current is remembered by its task, not read from the model as new groups
    arrive: the model holds them already when it announces the reset, so a shorter list made
    another task current (or raised an IndexError in the event loop: at logout, none at all)."""
    view = make_view(qtbot, TASKS)
    view.finish()
    last = view.visible_groups()[-1]
    assert view.select_group(last.key)
    gone = {item.id for item in last.items}
    view.model.set_groups(group_tasks([t for t in TASKS if t.id not in gone]))
    assert view.current_group() is None  # its task is gone: no other one chosen for it

    first = view.visible_groups()[0]
    assert view.select_group(first.key)
    view.model.set_groups(group_tasks(TASKS))
    current = view.current_group()
    assert current is not None and current.key == first.key
    view.model.clear()  # as at logout
    assert view.current_group() is None


def test_the_start_snapshots_groups_make_their_search_texts_at_the_first_search(qapp) -> None:
    """The start snapshot's groups come without search texts (inbox_index.prepared_as_before):
    the first search makes them, and finds what the groups prepared the usual way find."""
    from launcher.core.inbox import snapshot
    from launcher.ui.inbox_index import prepared_as_before

    tasks = [task("a.one", str(n), f"低保复核 {n}", n, subject="王家村" if n % 3 else "李家村")
             for n in range(30)]
    usual = prepare_groups(group_tasks(tasks))
    body = snapshot.encode(usual, usual.order, platforms=[], forms={}, person="张伟", county={})
    back = snapshot.decode(body)
    early = prepared_as_before(back.groups, back.order)
    model = InboxModel()
    model.set_groups(early)
    assert not early.has_haystacks()
    model.set_text("王家")
    assert early.has_haystacks() and early.haystacks == usual.haystacks
    reference = InboxModel()
    reference.set_groups(usual)
    reference.set_text("王家")
    assert [g.key for g in model.visible_groups()] == [g.key for g in reference.visible_groups()]
    assert model.rowCount() == 20
