"""``FindBar``: find in page, a bar under a web tab's address (Ctrl+F with the page in front).

Typing finds as it goes (Chromium's find, ``QWebEnginePage.findText``, which highlights every
match and scrolls to the active one); Enter or 下一个 finds the next, Shift+Enter or 上一个 the
previous; the count says which of how many. Esc (or ×) closes it, clears the highlights and gives
the keyboard back to the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWebEngineCore import QWebEngineFindTextResult, QWebEnginePage
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QToolButton

if TYPE_CHECKING:
    from launcher.ui.web import WebTab

MAX_QUERY_CHARS = 200


class FindBar(QFrame):
    """The find bar of one tab; made with the first Ctrl+F there (``for_tab``)."""

    def __init__(self, tab: WebTab) -> None:
        super().__init__(tab)
        self.setObjectName("findBar")
        self._tab = tab
        self.matches = 0
        """How many matches the last find had."""
        self.active = 0
        """Which of them is selected (1-based; 0 for none)."""
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 2, 8, 2)
        self.field = QLineEdit(self)
        self.field.setPlaceholderText(self.tr("Find in page"))
        self.field.setAccessibleName(self.tr("Find in page"))
        self.field.setMaxLength(MAX_QUERY_CHARS)
        self.field.setClearButtonEnabled(True)
        self.count = QLabel(self)
        self.count.setTextFormat(Qt.TextFormat.PlainText)
        self.count.setAccessibleName(self.tr("Matches"))
        self.previous = QPushButton(self.tr("Previous"), self)
        self.previous.setToolTip(self.tr("Previous match (Shift+Enter)"))
        self.next = QPushButton(self.tr("Next"), self)
        self.next.setToolTip(self.tr("Next match (Enter)"))
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAccessibleName(self.tr("Close find bar"))
        self.close_button.setToolTip(self.tr("Close find bar (Esc)"))
        row.addWidget(self.field, 1)
        row.addWidget(self.count)
        for button in (self.previous, self.next, self.close_button):
            row.addWidget(button)
        self.field.textEdited.connect(lambda _text: self.find_text())
        self.field.installEventFilter(self)
        self.previous.clicked.connect(lambda _=False: self.find_text(backward=True))
        self.next.clicked.connect(lambda _=False: self.find_text())
        self.close_button.clicked.connect(lambda _=False: self.close_bar())
        tab.page.findTextFinished.connect(self._found)
        self._show_count()

    @classmethod
    def for_tab(cls, tab: WebTab) -> FindBar:
        """The tab's find bar, made (under its address bar) on first use."""
        bar = tab.findChild(FindBar)
        if bar is None:
            bar = cls(tab)
            layout = tab.layout()
            if layout is not None:
                layout.insertWidget(1, bar)  # type: ignore[attr-defined]
        return bar

    def open(self) -> None:
        """Show the bar with its text selected, the keyboard in it; finds the text again."""
        self.show()
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        if self.field.text():
            self.find_text()

    def find_text(self, *, backward: bool = False) -> None:
        text = self.field.text()
        flags = QWebEnginePage.FindFlag.FindBackward if backward else QWebEnginePage.FindFlag(0)
        self._tab.page.findText(text, flags)
        if not text:
            self.matches = self.active = 0
            self._show_count()

    def close_bar(self) -> None:
        self._tab.page.findText("")  # clears the highlights
        self.matches = self.active = 0
        self.hide()
        self._tab.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _found(self, result: QWebEngineFindTextResult) -> None:
        if not self.field.text():
            return
        self.matches, self.active = result.numberOfMatches(), result.activeMatch()
        self._show_count()

    def _show_count(self) -> None:
        if not self.field.text():
            self.count.setText("")
        elif self.matches == 0:
            self.count.setText(self.tr("No matches"))
        else:
            self.count.setText(
                self.tr("{active} of {total}").format(active=self.active, total=self.matches)
            )
        self.count.setAccessibleDescription(self.count.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.find_text(backward=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Esc anywhere in the bar (its field or buttons, which leave the key to it) closes it.
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(event)
