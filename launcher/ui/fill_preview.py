"""``FillPreview``: the panel beside the web pages where the person sees what 填表 would put into
a page before anything is filled, ticks what may go, and reads afterwards what could not be filled.

A native Qt dock of the main window: the page cannot reach, read or click it. Each planned field
is a row: a check box named by the page's own label (outside text, shown plain and bounded), under
it the value (a sensitive value masked until 显示敏感信息), where it came from (我的信息 / 户·场所 /
检查记录) and how sure the match is (已配置 for the manifest's mapping, 高 / 中 for the
heuristics). Sensitive fields start unticked until the person ticks them or confirms them all
(确认填入敏感信息). 填入 (Enter) fills the ticked fields, 取消 (Esc) fills nothing. Sized for
1366×768: a narrow column whose list scrolls.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QHideEvent, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDockWidget,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import PlainLabel, bounded, tooltip

translate = QCoreApplication.translate

MASK = "●●●●●●"
LABEL_CHARS = 40
VALUE_CHARS = 120
MIN_WIDTH = 260
MAX_WIDTH = 420


@dataclass(frozen=True)
class PreviewRow:
    """One planned field as the panel shows it (texts in the person's language)."""

    ref: str
    label: str
    """The page's own label (outside text), else the dictionary's."""
    value: str
    """The value as the page gets it (a choice's option text)."""
    sensitive: bool
    source: str
    """我的信息 / 户·场所 / 检查记录."""
    sure: str
    """已配置 / 高 / 中."""


@dataclass(frozen=True)
class OutcomeLine:
    label: str
    why: str


class FillPreview(QDockWidget):
    """The preview, then the outcome, of one fill."""

    confirmed = Signal(list)
    """The refs of the fields the person ticked (填入)."""
    cancelled = Signal()
    """取消 (or Esc, or the panel closed) before filling: nothing is filled."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("FillPreview", "Fill preview"), parent)
        self.setObjectName("fillPreview")
        self.setAccessibleName(translate("FillPreview", "Fill preview"))
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self.setAllowedAreas(
            Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.setMinimumWidth(MIN_WIDTH)
        self.setMaximumWidth(MAX_WIDTH)
        self.boxes: dict[str, QCheckBox] = {}
        """Each planned field's check box, by ref."""
        self.details: dict[str, PlainLabel] = {}
        self._rows: list[PreviewRow] = []
        self._lines: list[PlainLabel] = []
        self._waiting = False
        """True while a plan is shown and neither 填入 nor 取消 was chosen."""
        self._return_focus: QWidget | None = None
        """Where the focus was before the panel took it (the page), given back when it hides."""

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(8, 8, 8, 8)
        self.heading = PlainLabel(body)
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.note = PlainLabel(body)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.chooser_slot = QVBoxLayout()
        """Above the field list: what the form is for (launcher/ui/fill_chooser.py)."""
        self.chooser_slot.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.chooser_slot)
        self.chooser_focus: list[QWidget] = []
        """The slot's controls, in Tab order before the field list."""

        self.show_sensitive = QCheckBox(translate("FillPreview", "Show sensitive values"), body)
        self.show_sensitive.toggled.connect(self._redraw_values)
        layout.addWidget(self.show_sensitive)
        self.confirm_sensitive = QPushButton(
            translate("FillPreview", "Confirm filling sensitive values"), body
        )
        self.confirm_sensitive.setAccessibleName(self.confirm_sensitive.text())
        self.confirm_sensitive.clicked.connect(self.tick_sensitive)
        layout.addWidget(self.confirm_sensitive)

        self.scroll_area = QScrollArea(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to its rows
        self.scroll_area.setAccessibleName(translate("FillPreview", "Fields to fill"))
        layout.addWidget(self.scroll_area, 1)
        self.list = QWidget()
        self.list_layout = QVBoxLayout(self.list)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area.setWidget(self.list)

        buttons = QHBoxLayout()
        self.fill_button = QPushButton(translate("FillPreview", "Fill"), body)
        self.fill_button.setToolTip(translate("FillPreview", "Fill the ticked fields (Enter)"))
        self.fill_button.setAccessibleName(translate("FillPreview", "Fill the ticked fields"))
        self.fill_button.setDefault(True)
        self.fill_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(translate("FillPreview", "Cancel"), body)
        self.cancel_button.setToolTip(translate("FillPreview", "Fill nothing (Esc)"))
        self.cancel_button.setAccessibleName(translate("FillPreview", "Cancel: fill nothing"))
        self.cancel_button.clicked.connect(self.cancel)
        buttons.addWidget(self.fill_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.setWidget(body)
        # Enter on a focused button presses that button (as in a dialog); anywhere else in the
        # panel, Enter is 填入 and Esc 取消 (keyPressEvent: keys the controls leave come here).
        self.cancel_button.setAutoDefault(True)
        self.confirm_sensitive.setAutoDefault(True)

    # -- the plan --------------------------------------------------------------------------------

    def show_plan(
        self, title: str, rows: list[PreviewRow], notes: list[str], *, prechecked: bool = True
    ) -> None:
        """Show the fields a fill would put into the page, each ticked (``prechecked``) unless it
        is sensitive; ``notes``: lines under the heading (what has no value, what nothing
        matched)."""
        self._clear()
        self._rows = list(rows)
        self._waiting = True
        self.heading.setText(
            translate("FillPreview", "Fill {page}: check before filling").format(
                page=bounded(title, 60, lines=1)
            )
        )
        sensitive = [r for r in rows if r.sensitive]
        lines = [
            translate(
                "FillPreview",
                "Nothing is filled until you press Fill. Sensitive values are filled only "
                "when you tick them.",
            )
            if sensitive
            else translate("FillPreview", "Nothing is filled until you press Fill."),
            *notes,
        ]
        self.note.setText("\n".join(lines))
        # Read with the panel by screen readers: which page, and that nothing is filled yet.
        self.setAccessibleDescription(f"{self.heading.text()}\n{self.note.text()}")
        self.show_sensitive.setChecked(False)
        self.show_sensitive.setVisible(bool(sensitive))
        self.confirm_sensitive.setVisible(bool(sensitive))
        self.confirm_sensitive.setEnabled(bool(sensitive))
        for row in rows:
            self._add_row(row, checked=prechecked and not row.sensitive)
        self.list_layout.addStretch(1)
        self._tab_order([*self.chooser_focus, self.show_sensitive, self.confirm_sensitive,
                         *self.boxes.values(),
                         self.fill_button, self.cancel_button])
        self.fill_button.setVisible(True)
        self.fill_button.setEnabled(True)
        self.cancel_button.setText(translate("FillPreview", "Cancel"))
        self.cancel_button.setAccessibleName(translate("FillPreview", "Cancel: fill nothing"))
        focused = QApplication.focusWidget()
        if focused is not None and not self.isAncestorOf(focused):
            self._return_focus = focused
        self.show()
        self.raise_()
        first = next(iter(self.boxes.values()), None)
        (first or self.fill_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _add_row(self, row: PreviewRow, *, checked: bool) -> None:
        label = bounded(row.label, LABEL_CHARS, lines=1)
        box = QCheckBox(label.replace("&", "&&"), self.list)
        box.setChecked(checked)
        box.setToolTip(tooltip(row.label))
        detail = PlainLabel(self.list)
        detail.setWordWrap(True)
        detail.setIndent(24)
        detail.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.boxes[row.ref] = box
        self.details[row.ref] = detail
        self.list_layout.addWidget(box)
        self.list_layout.addWidget(detail)
        self._describe(row)

    def _describe(self, row: PreviewRow) -> None:
        masked = row.sensitive and not self.show_sensitive.isChecked()
        value = MASK if masked else bounded(row.value, VALUE_CHARS, lines=3)
        detail = translate("FillPreview", "{value} · from {source} · match: {sure}").format(
            value=value, source=row.source, sure=row.sure
        )
        if row.sensitive:
            detail += translate("FillPreview", " · sensitive")
        self.details[row.ref].setText(detail)
        spoken = (
            translate("FillPreview", "sensitive value, hidden")
            if masked
            else bounded(row.value, VALUE_CHARS, lines=1)
        )
        box = self.boxes[row.ref]
        box.setAccessibleName(
            translate("FillPreview", "{label}: {value}").format(
                label=bounded(row.label, LABEL_CHARS, lines=1), value=spoken
            )
        )
        box.setAccessibleDescription(
            translate("FillPreview", "from {source}, match: {sure}").format(
                source=row.source, sure=row.sure
            )
        )

    def _redraw_values(self) -> None:
        for row in self._rows:
            if row.ref in self.boxes:
                self._describe(row)

    def tick_sensitive(self) -> None:
        """确认填入敏感信息: tick every sensitive field at once."""
        for row in self._rows:
            if row.sensitive and row.ref in self.boxes:
                self.boxes[row.ref].setChecked(True)
        if self._waiting:  # the next Enter fills
            self.fill_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def chosen(self) -> list[str]:
        """The refs ticked now."""
        return [ref for ref, box in self.boxes.items() if box.isChecked()]

    def waiting(self) -> bool:
        """True while a plan is shown, neither filled nor cancelled."""
        return self._waiting

    def accept(self) -> None:
        """填入: fill the ticked fields (not while the rows are being planned again)."""
        if not self._waiting or not self.fill_button.isEnabled():
            return
        self._waiting = False
        refs = self.chosen()
        self.fill_button.setEnabled(False)
        self.confirmed.emit(refs)

    def cancel(self) -> None:
        """取消: fill nothing (after a fill: close the panel)."""
        waiting, self._waiting = self._waiting, False
        self.hide()
        if waiting:
            self.cancelled.emit()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        back, self._return_focus = self._return_focus, None
        if back is not None and shiboken6.isValid(back) and back.isVisible():
            back.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            if self._waiting:
                self.accept()
            else:
                self.hide()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: object) -> None:  # the dock's own close button
        waiting, self._waiting = self._waiting, False
        super().closeEvent(event)  # type: ignore[arg-type]
        if waiting:
            self.cancelled.emit()

    # -- the outcome --------------------------------------------------------------------------

    @staticmethod
    def _tab_order(widgets: list[QWidget]) -> None:
        """Tab goes through the panel in reading order (rows made later would otherwise come
        after whatever the window made meanwhile)."""
        for before, after in pairwise(widgets):
            QWidget.setTabOrder(before, after)

    def show_filling(self) -> None:
        self.note.setText(translate("FillPreview", "Filling…"))

    def show_outcome(
        self, summary: str, failed: list[OutcomeLine], unmatched: list[str]
    ) -> None:
        """After the fill: what could not be filled and why, and the page's fields nothing
        matched."""
        self._clear()
        self._waiting = False
        self.heading.setText(summary)
        self.note.setText("")
        self.setAccessibleDescription(summary)
        self.show_sensitive.setVisible(False)
        self.confirm_sensitive.setVisible(False)
        if failed:
            self._section(translate("FillPreview", "Not filled:"))
            for line in failed:
                self._line(
                    translate("FillPreview", "{label}: {why}").format(
                        label=bounded(line.label, LABEL_CHARS, lines=1), why=line.why
                    )
                )
        if unmatched:
            self._section(translate("FillPreview", "Fields on the page with no value:"))
            for label in unmatched:
                self._line(bounded(label, LABEL_CHARS, lines=1))
        if not failed and not unmatched:
            self._line(translate("FillPreview", "Every ticked field was filled."))
        self.list_layout.addStretch(1)
        self._tab_order([*self._lines, self.cancel_button])
        self.fill_button.setVisible(False)
        self.cancel_button.setText(translate("FillPreview", "Close"))
        self.cancel_button.setAccessibleName(translate("FillPreview", "Close the fill panel"))
        self.show()
        self.cancel_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        """Empty and hide the panel (sign-out: no value of the person's stays in it)."""
        waiting, self._waiting = self._waiting, False
        self._clear()
        self.heading.setText("")
        self.note.setText("")
        self.hide()
        if waiting:
            self.cancelled.emit()

    def outcome_lines(self) -> list[str]:
        """The outcome's lines as shown (for tests and screen readers)."""
        items = (self.list_layout.itemAt(i) for i in range(self.list_layout.count()))
        return [
            w.text()
            for item in items
            if item is not None and isinstance(w := item.widget(), PlainLabel)
        ]

    def _section(self, text: str) -> None:
        label = PlainLabel(text, self.list)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        self.list_layout.addWidget(label)

    def _line(self, text: str) -> None:
        label = PlainLabel(text, self.list)
        label.setWordWrap(True)
        label.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # reachable by Tab, read by screen readers
        label.setAccessibleName(text)
        self.list_layout.addWidget(label)
        self._lines.append(label)

    def _clear(self) -> None:
        self.boxes.clear()
        self.details.clear()
        self._rows = []
        self._lines = []
        while self.list_layout.count():
            item = self.list_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
