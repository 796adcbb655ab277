"""The inbox's table of tasks (a QTableView): Enter opens the current task as a double-click does;
Tab leaves it (no moving from cell to cell); on a narrow window its columns give way.

A module of its own so that the item-view classes it needs (QTableView, QAbstractItemView,
QHeaderView) are made only when the table is, after the window's first frame (see
``InboxView.finish``): the first frame shows the inbox's empty-state text, not the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QTableView, QWidget

from launcher.api import TaskGroup
from launcher.ui.inbox_model import GROUP_ROLE

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent


class TaskTable(QTableView):
    """The table of tasks; Enter opens the current task like a double-click does.

    Its columns have natural widths (``set_column_widths``: from sample texts, or as the user
    dragged them); when the table is too narrow for them and ``stretch_min`` of the stretching
    column, they give way in the order given, each down to its floor, their texts elided, so the
    last columns (截止, 状态) stay on screen instead of behind a horizontal scroll bar."""

    activated_group = Signal(object)
    """The TaskGroup the user opened."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Tab and Shift+Tab move to the next control, not to the next cell: a table that keeps
        # the Tab key is a keyboard trap (arrows move between rows).
        self.setTabKeyNavigation(False)
        self._natural: dict[int, int] = {}
        self._floors: dict[int, int] = {}
        self._give_way: list[int] = []
        self._stretch_min = 0
        self._fitting = False
        self.horizontalHeader().sectionResized.connect(self._resized_by_hand)

    def set_column_widths(
        self,
        natural: dict[int, int],
        floors: dict[int, int],
        give_way: list[int],
        stretch_min: int,
    ) -> None:
        """Each column's width when there is room (the stretching one is not in ``natural``),
        the narrowest it may become, the order in which columns give way, and the narrowest the
        stretching column may become before they do."""
        self._natural = dict(natural)
        self._floors = dict(floors)
        self._give_way = [c for c in give_way if c in natural]
        self._give_way += [c for c in natural if c not in self._give_way]
        self._stretch_min = stretch_min
        self.fit_columns()

    def fit_columns(self) -> None:
        """Give the shown columns their natural widths, or less when the table is narrow."""
        header = self.horizontalHeader()
        shown = [c for c in self._natural if not self.isColumnHidden(c)]
        # The vertical scroll bar counted whether shown or not: the widths do not jump with it.
        room = (
            self.width()
            - 2 * self.frameWidth()
            - self.verticalScrollBar().sizeHint().width()
            - self._stretch_min
        )
        widths = {c: self._natural[c] for c in shown}
        excess = sum(widths.values()) - room
        for column in self._give_way:
            if excess <= 0:
                break
            if column in widths:
                cut = min(excess, max(0, widths[column] - self._floors.get(column, 0)))
                widths[column] -= cut
                excess -= cut
        self._fitting = True
        try:
            for column, width in widths.items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _resized_by_hand(self, column: int, _old: int, new: int) -> None:
        # A column the user dragged keeps that width as its natural one.
        if not self._fitting and column in self._natural and new > 0:
            self._natural[column] = new

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open(self.currentIndex())
            return
        super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid():
            self._open(index)
            return
        super().mouseDoubleClickEvent(event)

    def _open(self, index: QModelIndex) -> None:
        group = index.data(GROUP_ROLE)
        if isinstance(group, TaskGroup):
            self.activated_group.emit(group)
