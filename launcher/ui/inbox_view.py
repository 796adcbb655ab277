"""The 待办 (inbox) tab: platform filter, search box, the task table and an empty-state message."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from launcher.api import TaskGroup
from launcher.ui.inbox_model import InboxFilter, InboxModel


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
        model = self.model()
        if isinstance(model, InboxFilter):
            group = model.group_at(index)
            if group is not None:
                self.activated_group.emit(group)


class InboxView(QWidget):
    open_requested = Signal(object)
    """The TaskGroup whose page the user wants to open."""

    def __init__(self, model: InboxModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = InboxFilter(self)
        self.proxy.setSourceModel(model)

        self.platform_combo = QComboBox(self)
        self.platform_combo.setObjectName("platformFilter")
        self.platform_combo.setAccessibleName(self.tr("Show tasks of platform"))
        self.platform_combo.setMinimumContentsLength(10)
        self.platform_combo.addItem(self.tr("All platforms"), None)
        self.platform_combo.currentIndexChanged.connect(
            lambda _: self.proxy.set_platform(self.platform_combo.currentData())
        )
        self.search = QLineEdit(self)
        self.search.setObjectName("taskSearch")
        self.search.setPlaceholderText(self.tr("Search tasks (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search tasks"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        filter_label = QLabel(self.tr("&Platform:"), self)
        filter_label.setBuddy(self.platform_combo)

        bar = QHBoxLayout()
        bar.addWidget(filter_label)
        bar.addWidget(self.platform_combo)
        bar.addSpacing(12)
        bar.addWidget(self.search, 1)

        self.table = TaskTable(self)
        self.table.setObjectName("taskTable")
        self.table.setAccessibleName(self.tr("Pending tasks"))
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(InboxModel.DUE, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(InboxModel.PLATFORMS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(InboxModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(InboxModel.DUE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(InboxModel.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated_group.connect(self.open_requested.emit)

        self.empty = QLabel(self)
        self.empty.setObjectName("emptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self._empty_text = self.tr("Loading…")

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

        model.modelReset.connect(self._update_empty)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_empty)
        self._update_empty()

    def set_platforms(self, platforms: list[tuple[str, str]]) -> None:
        """Fill the filter combo with (plugin id, display name) pairs, keeping the selection."""
        current = self.platform_combo.currentData()
        self.platform_combo.blockSignals(True)
        self.platform_combo.clear()
        self.platform_combo.addItem(self.tr("All platforms"), None)
        for plugin_id, name in platforms:
            self.platform_combo.addItem(name, plugin_id)
        found = self.platform_combo.findData(current) if current else 0
        self.platform_combo.setCurrentIndex(max(found, 0))
        self.platform_combo.blockSignals(False)
        self.proxy.set_platform(self.platform_combo.currentData())

    def set_empty_text(self, text: str) -> None:
        """What to say when there are no tasks at all (signed out, loading, all done)."""
        self._empty_text = text
        self._update_empty()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def visible_groups(self) -> list[TaskGroup]:
        groups = []
        for row in range(self.proxy.rowCount()):
            group = self.proxy.group_at(self.proxy.index(row, 0))
            if group is not None:
                groups.append(group)
        return groups

    def _update_empty(self) -> None:
        if self.model.rowCount() == 0:
            self.empty.setText(self._empty_text)
            self.stack.setCurrentWidget(self.empty)
        elif self.proxy.rowCount() == 0:
            self.empty.setText(self.tr("No task matches the filter."))
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
