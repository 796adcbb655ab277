"""``PageNav``: back, forward and reload at the start of a web tab's address bar.

The buttons follow the page's history (back and forward enabled when it has somewhere to go);
the keys (Alt+Left, Alt+Right, F5) are the window's
(launcher/ui/page_tools.py), acting on the tab in front.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QToolButton, QWidget

from launcher.ui.address_bar import AddressBar

WebAction = QWebEnginePage.WebAction


class PageNav(QWidget):
    """Three buttons (←, →, ⟳) for one page, first in its address bar; reached by Tab before the
    address and the page, not by a click (a click leaves the keyboard where it was)."""

    def __init__(self, bar: AddressBar) -> None:
        super().__init__(bar)
        self.setObjectName("pageNav")
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 6, 0)
        self._row.setSpacing(2)
        self._page: QWebEnginePage | None = None
        self.back = self._button("←", self.tr("Back"), WebAction.Back)
        self.back.setToolTip(self.tr("Back (Alt+Left)"))
        self.forward = self._button("→", self.tr("Forward"), WebAction.Forward)
        self.forward.setToolTip(self.tr("Forward (Alt+Right)"))
        self.reload = self._button("⟳", self.tr("Reload"), WebAction.Reload)
        self.reload.setToolTip(self.tr("Reload this page (F5)"))
        row = bar.layout()
        if isinstance(row, QBoxLayout):
            row.insertWidget(0, self)
        QWidget.setTabOrder(self.reload, bar.host)  # in reading order: buttons, then address

    def _button(self, symbol: str, name: str, action: WebAction) -> QToolButton:
        button = QToolButton(self)
        button.setText(symbol)
        button.setAccessibleName(name)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setEnabled(False)
        button.clicked.connect(lambda _=False: self._trigger(action))
        self._row.addWidget(button)
        return button

    def follow(self, page: QWebEnginePage) -> None:
        """Act on ``page`` and show what its history allows."""
        self._page = page
        self.reload.setEnabled(True)
        page.urlChanged.connect(lambda _url: self._update())
        page.loadFinished.connect(lambda _ok: self._update())
        self._update()

    def _update(self) -> None:
        page = self._page
        if page is None or not shiboken6.isValid(page) or not shiboken6.isValid(self):
            return
        history = page.history()
        self.back.setEnabled(history.canGoBack())
        self.forward.setEnabled(history.canGoForward())

    def _trigger(self, action: WebAction) -> None:
        if self._page is not None and shiboken6.isValid(self._page):
            self._page.triggerAction(action)
