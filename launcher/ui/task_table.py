"""The inbox's table of tasks (a QTableView): Enter opens the current task as a double-click does.

A module of its own so that the item-view classes it needs (QTableView, QAbstractItemView,
QHeaderView) are made only when the table is, after the window's first frame (see
``InboxView.finish``): the first frame shows the inbox's empty-state text, not the table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QTableView

from launcher.api import TaskGroup
from launcher.ui.inbox_model import GROUP_ROLE

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent


class TaskTable(QTableView):
    """The table of tasks; Enter opens the current task like a double-click does."""

    activated_group = Signal(object)
    """The TaskGroup the user opened."""

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
