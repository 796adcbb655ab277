"""The inbox's table of tasks (a QTableView): Enter opens the current task as a double-click does;
Tab leaves it (no moving from cell to cell); on a narrow window its columns give way.

A module of its own so that the item-view classes it needs (QTableView, QAbstractItemView,
QHeaderView) are made only when the table is, after the window's first frame (see
``InboxView.finish``): the first frame shows the inbox's empty-state text, not the table.

Its cells are painted by ``TaskCellDelegate``: a search keystroke repaints every visible cell, and
Qt's own delegate asks the model for seven roles per cell through Python and lays each text out
three times (its size, its layout, its elision).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QFontMetricsF, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from launcher.api import TaskGroup
from launcher.ui.inbox_model import GROUP_ROLE, OVERDUE_BACKGROUND, OVERDUE_TEXT

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QResizeEvent

_State = QStyle.StateFlag
_QT_PAINTS = (_State.State_Selected | _State.State_HasFocus | _State.State_Editing).value
"""Cells in these states are painted by Qt's own delegate (selection colours, focus frame)."""
_ENABLED = _State.State_Enabled.value
_ACTIVE = _State.State_Active.value
_GROUP_BITS = _ENABLED | _ACTIVE
_ELIDE = Qt.TextElideMode.ElideRight
_LOOK_CHANGES = (
    QEvent.Type.StyleChange,
    QEvent.Type.FontChange,
    QEvent.Type.PaletteChange,
    QEvent.Type.LayoutDirectionChange,
)


class _Look(NamedTuple):
    """Where and how a cell's text is drawn, asked of the style and font once."""

    left: int
    """The text's distance from the cell's left side (the ``::item`` padding and text margin)."""
    top: int
    right: int
    bottom: int
    metrics: QFontMetrics
    ascent: float
    text_height: float
    """The font's ascent plus descent: QPainter centres this height in the text's rectangle."""
    advances: _Advances
    right_to_left: bool
    """Cells laid out right to left are left to Qt's delegate."""


class _Advances(dict[str, int]):
    """Each character's advance in a font, measured when first met."""

    def __init__(self, metrics: QFontMetrics) -> None:
        super().__init__()
        self._metrics = metrics

    def __missing__(self, char: str) -> int:
        advance = self[char] = self._metrics.horizontalAdvance(char)
        return advance


_SURELY_FITS = 0.9
"""A text whose characters' advances add up to less than this share of its room, less two
pixels, is drawn without asking Qt to elide it (which lays the text out once more): shaping makes
a text narrower than that sum (kerning, ligatures), hardly ever wider, and by far less than the
margin; a longer text is elided by Qt."""


class TaskCellDelegate(QStyledItemDelegate):
    """Paints a task cell: its text, elided, where Qt's delegate puts it, in the overdue colours
    on an overdue row, pixel for pixel as Qt's delegate does; selected and focused cells (and a
    right-to-left layout) are left to Qt's delegate.

    A search keystroke repaints every visible cell. This is one Python call per cell, which asks
    the model for the cell's text and state in one call (``cell``); the text is laid out once to
    be drawn, and a second time to elide it only when it may not fit (Qt's delegate lays it out
    three times, its size, its lines, its elision). The text is drawn as plain text: QPainter
    never reads markup. Where the text goes (the style sheet's ``::item`` padding and the style's
    text margin), the font's metrics and the text colours are asked for once (``forget_layout``
    when the style, font or palette changes)."""

    def __init__(self, cell: Callable[[int, int], tuple[str, bool]], parent: QWidget) -> None:
        super().__init__(parent)
        self._cell = cell
        self._look: _Look | None = None
        self._colours: dict[int, QColor] = {}
        """Text colour by the cell's enabled and active state bits."""

    def forget_layout(self) -> None:
        """The style, font or palette changed: ask for the text's place and look again."""
        self._look = None
        self._colours.clear()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        state = option.state.value
        look = self._look or self._measure(option, index)
        left, top, right, bottom, metrics, ascent, text_height, advances, right_to_left = look
        if state & _QT_PAINTS or right_to_left:
            super().paint(painter, option, index)
            return
        text, overdue = self._cell(index.row(), index.column())
        rect = option.rect
        if overdue:
            painter.fillRect(rect, OVERDUE_BACKGROUND)
            painter.setPen(OVERDUE_TEXT)
        else:
            group = state & _GROUP_BITS
            colour = self._colours.get(group)
            if colour is None:
                colour = self._colours[group] = option.palette.color(
                    _colour_group(state), QPalette.ColorRole.Text
                )
            painter.setPen(colour)
        room = rect.width() - left - right
        if sum(map(advances.__getitem__, text)) > room * _SURELY_FITS - 2:
            text = metrics.elidedText(text, _ELIDE, room)
        # The baseline where QPainter.drawText(rect, AlignVCenter, …) puts it, and the text drawn
        # at that point: without the rectangle, Qt does not lay the text out in lines as well.
        baseline = rect.y() + top + (rect.height() - top - bottom - text_height) / 2 + ascent
        painter.drawText(QPointF(rect.x() + left, baseline), text)

    def _measure(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> _Look:
        """The text's distance from each side of the cell, as Qt's delegate lays it out (the
        style's text rectangle less its text margin on either side), and the font's metrics."""
        sample = QStyleOptionViewItem(option)
        self.initStyleOption(sample, index)
        widget = sample.widget
        style = widget.style() if widget is not None else QApplication.style()
        text: QRect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, sample, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        cell = sample.rect
        metrics = QFontMetrics(sample.font)
        exact = QFontMetricsF(sample.font)
        self._look = _Look(
            left=text.left() - cell.left() + margin,
            top=text.top() - cell.top(),
            right=cell.right() - text.right() + margin,
            bottom=cell.bottom() - text.bottom(),
            metrics=metrics,
            ascent=exact.ascent(),
            text_height=exact.ascent() + exact.descent(),
            advances=_Advances(metrics),
            right_to_left=sample.direction == Qt.LayoutDirection.RightToLeft,
        )
        return self._look


def _colour_group(state: int) -> QPalette.ColorGroup:
    """The palette group Qt's style paints an item's text in."""
    if not state & _ENABLED:
        return QPalette.ColorGroup.Disabled
    return QPalette.ColorGroup.Normal if state & _ACTIVE else QPalette.ColorGroup.Inactive


class TaskHeader(QHeaderView):
    """The table's column header, left as it is when the model is reset with the same columns.

    Every search keystroke resets the model (its rows change, its columns never do); Qt's header
    takes each reset as a new model: it measures its titles again and repaints itself."""

    def reset(self) -> None:
        model = self.model()
        if model is not None and 0 < self.count() == model.columnCount():
            return  # the same sections, titles and sizes: nothing of the header changed
        super().reset()


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
        header = TaskHeader(Qt.Orientation.Horizontal, self)
        header.setSectionsClickable(True)  # as QTableView's own header: a click sorts
        header.setHighlightSections(True)
        self.setHorizontalHeader(header)
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

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in _LOOK_CHANGES:
            delegate = self.itemDelegate()
            if isinstance(delegate, TaskCellDelegate):
                delegate.forget_layout()

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
