"""The task table's cell delegate paints what Qt's own delegate paints, with fewer Python calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QStyledItemDelegate
from pytestqt.qtbot import QtBot

from launcher.api import TaskItem
from launcher.core.inbox.grouping import group_tasks
from launcher.ui.app import load_style_sheet
from launcher.ui.inbox_model import InboxModel
from launcher.ui.inbox_view import InboxView
from launcher.ui.task_table import TaskCellDelegate

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)


def tasks() -> list[TaskItem]:
    """Overdue and later tasks, some with titles too long for their column (elided)."""
    return [
        TaskItem(
            platform=f"demo.p{n % 3}",
            id=f"t{n}",
            title=f"消防安全检查：李家村{n}组王建国户" + "（补充材料）" * (n % 4),
            url=f"http://127.0.0.1/{n}",
            due=NOW + timedelta(hours=6 * n - 30),
            subject=f"李家村{n}组",
            status=("open", "in_progress", "returned")[n % 3],
        )
        for n in range(24)
    ]


def viewport_image(view: InboxView) -> QImage:
    QApplication.processEvents()
    return view.table.viewport().grab().toImage()


def test_cells_are_painted_as_qt_paints_them(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old_sheet = app.styleSheet()
    app.setStyleSheet(load_style_sheet())  # its ::item padding decides where the text goes
    try:
        model = InboxModel(now=lambda: NOW)
        view = InboxView(model)
        qtbot.addWidget(view)
        view.resize(900, 500)
        view.show()
        model.set_groups(group_tasks(tasks()))
        view.table.selectRow(2)  # a selected row is left to Qt's delegate
        assert isinstance(view.table.itemDelegate(), TaskCellDelegate)
        assert any(model.row_overdue(r) for r in range(model.rowCount()))
        ours = viewport_image(view)
        view.table.setItemDelegate(QStyledItemDelegate(view.table))
        assert viewport_image(view) == ours
    finally:
        app.setStyleSheet(old_sheet)


def test_a_cell_is_its_display_text_and_its_row_overdue() -> None:
    model = InboxModel(now=lambda: NOW)
    model.set_groups(group_tasks(tasks()))
    for row in range(model.rowCount()):
        for column in range(InboxModel.COLUMN_COUNT):
            assert model.cell(row, column) == (
                model.index(row, column).data(),
                model.row_overdue(row),
            )


def test_a_search_keystroke_leaves_the_header_as_it_is(qtbot: QtBot) -> None:
    """The rows change at each keystroke, never the columns: the header is neither measured nor
    painted again, and keeps its widths and sort order."""
    model = InboxModel(now=lambda: NOW)
    view = InboxView(model)
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.show()
    model.set_groups(group_tasks(tasks()))
    header = view.table.horizontalHeader()
    header.resizeSection(InboxModel.SUBJECT, 222)
    QApplication.processEvents()
    painted: list[int] = []
    original = header.paintEvent

    def count_paints(event: object) -> None:
        painted.append(1)
        original(event)  # type: ignore[arg-type]

    header.paintEvent = count_paints  # type: ignore[method-assign]
    view.search.setText("李家村1")
    QApplication.processEvents()
    assert 0 < model.rowCount() < len(tasks())
    assert painted == []
    assert header.sectionSize(InboxModel.SUBJECT) == 222
    assert header.isSortIndicatorShown() and header.sectionsClickable()
