"""Qt item models over the merged inbox: a table of task groups and the sort/filter proxy on it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from launcher.api import TaskGroup

ModelIndex = QModelIndex | QPersistentModelIndex

GROUP_ROLE = Qt.ItemDataRole.UserRole + 1
"""The row's TaskGroup."""
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
"""A value that sorts the column sensibly (the due column sorts by time, undated last)."""
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 3
"""True when the row's task is past its due time."""

OVERDUE_TEXT = QColor("#a40000")
OVERDUE_BACKGROUND = QColor("#fde8e8")
_FAR_FUTURE = float("inf")
# Statuses a platform reports that mean the work is already finished: never shown as overdue.
_CLOSED_STATUSES = frozenset({"done", "closed", "completed", "finished", "已完成", "已办结"})

translate = QCoreApplication.translate


def status_label(status: str) -> str:
    """The translated label of a task status a platform reported; unknown ones are shown as-is."""
    labels = {
        "open": translate("InboxModel", "To do"),
        "pending": translate("InboxModel", "To do"),
        "todo": translate("InboxModel", "To do"),
        "in_progress": translate("InboxModel", "In progress"),
        "doing": translate("InboxModel", "In progress"),
        "returned": translate("InboxModel", "Returned"),
        "done": translate("InboxModel", "Done"),
    }
    return labels.get(status.lower(), status)


class InboxModel(QAbstractTableModel):
    """One row per TaskGroup: platforms, title (with subject), due time and status."""

    PLATFORMS, TITLE, DUE, STATUS = range(4)

    def __init__(
        self,
        platform_name: Callable[[str], str] | None = None,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._groups: list[TaskGroup] = []
        self._platform_name = platform_name or (lambda plugin_id: plugin_id)
        self._now = now or (lambda: datetime.now(UTC))

    # -- content ------------------------------------------------------------------------------

    def set_groups(self, groups: Sequence[TaskGroup]) -> None:
        self.beginResetModel()
        self._groups = list(groups)
        self.endResetModel()

    def set_platform_name(self, platform_name: Callable[[str], str]) -> None:
        self._platform_name = platform_name
        if self._groups:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._groups) - 1, 0))

    def clear(self) -> None:
        self.set_groups([])

    def group(self, row: int) -> TaskGroup:
        return self._groups[row]

    def groups(self) -> list[TaskGroup]:
        return list(self._groups)

    def platforms_text(self, group: TaskGroup) -> str:
        # "、" is the Chinese enumeration comma; English lists use ", ".
        separator = translate("InboxModel", ", ")
        return separator.join(self._platform_name(p) for p in group.platforms)

    def is_overdue(self, group: TaskGroup) -> bool:
        if group.due is None or group.status.lower() in _CLOSED_STATUSES:
            return False
        return group.due < self._now()

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt default)
        return 0 if parent.isValid() else len(self._groups)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (
            translate("InboxModel", "Platform"),
            translate("InboxModel", "Task"),
            translate("InboxModel", "Due"),
            translate("InboxModel", "Status"),
        )[section]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._groups):
            return None
        group = self._groups[index.row()]
        column = index.column()
        if role == GROUP_ROLE:
            return group
        if role == OVERDUE_ROLE:
            return self.is_overdue(group)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._display(group, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(group)
        if role == SORT_ROLE:
            return self._sort_value(group, column)
        if role == Qt.ItemDataRole.ForegroundRole and self.is_overdue(group):
            return QBrush(OVERDUE_TEXT)
        if role == Qt.ItemDataRole.BackgroundRole and self.is_overdue(group):
            return QBrush(OVERDUE_BACKGROUND)
        return None

    def _display(self, group: TaskGroup, column: int) -> str:
        if column == self.PLATFORMS:
            return self.platforms_text(group)
        if column == self.TITLE:
            # Many platforms already name the subject in the title; never say it twice.
            if group.subject and group.subject not in group.title:
                return translate("InboxModel", "{title} ({subject})").format(
                    title=group.title, subject=group.subject
                )
            return group.title
        if column == self.DUE:
            return format_due(group.due)
        if self.is_overdue(group):
            return translate("InboxModel", "Overdue")
        return status_label(group.status)

    def _tooltip(self, group: TaskGroup) -> str:
        lines = [group.title]
        if len(group.items) > 1:
            lines.append(
                translate("InboxModel", "Asked by: {platforms}").format(
                    platforms=self.platforms_text(group)
                )
            )
        lines.append(translate("InboxModel", "Press Enter or double-click to open it."))
        return "\n".join(lines)

    def _sort_value(self, group: TaskGroup, column: int) -> Any:
        if column == self.DUE:
            return group.due.timestamp() if group.due is not None else _FAR_FUTURE
        return self._display(group, column)


def format_due(due: datetime | None) -> str:
    if due is None:
        return translate("InboxModel", "No deadline")
    return due.astimezone().strftime("%Y-%m-%d %H:%M")


class InboxFilter(QSortFilterProxyModel):
    """Sorts by due time and keeps the rows of one platform and/or matching a search text."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._platform: str | None = None
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.sort(InboxModel.DUE, Qt.SortOrder.AscendingOrder)

    def platform(self) -> str | None:
        return self._platform

    def set_platform(self, plugin_id: str | None) -> None:
        """Show only groups that the platform ``plugin_id`` asks for; None shows all."""
        self._change_filter(lambda: setattr(self, "_platform", plugin_id or None))

    def set_text(self, text: str) -> None:
        """Show only groups whose title or subject contains ``text`` (case-insensitive)."""
        self._change_filter(lambda: setattr(self, "_text", text.strip().casefold()))

    def _change_filter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 added begin/endFilterChange and deprecates invalidateRowsFilter; older PySide6
        # (the project allows >= 6.6) only has the latter.
        if hasattr(self, "endFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            change()
            self.invalidateRowsFilter()

    def group_at(self, index: QModelIndex) -> TaskGroup | None:
        value = self.data(index, GROUP_ROLE)
        return value if isinstance(value, TaskGroup) else None

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, InboxModel):
            return True
        group = model.group(source_row)
        if self._platform is not None and self._platform not in group.platforms:
            return False
        if self._text:
            haystack = " ".join(
                filter(None, [*(i.title for i in group.items), *(i.subject for i in group.items)])
            ).casefold()
            if self._text not in haystack:
                return False
        return True

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if a == b:
            # Equal keys: fall back to the title so the order is stable between refreshes.
            title_l = left.sibling(left.row(), InboxModel.TITLE).data()
            title_r = right.sibling(right.row(), InboxModel.TITLE).data()
            return str(title_l) < str(title_r)
        try:
            return bool(a < b)
        except TypeError:
            return str(a) < str(b)
