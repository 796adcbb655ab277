"""``QuitGuard``: whether the window may close now, or must first ask (MainWindow.closeEvent).

Closing quits the launcher. When something typed would be lost (the profile form's changes, a
page's typed input or its own beforeunload question: launcher/ui/unsaved.py), the first close is
refused, the pages are asked (asynchronously), and the person is asked (quit_question.py) before
the window closes for good. Imported at the first close.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from launcher.ui.unsaved import PageAnswer, PagesCheck
    from launcher.ui.web import WebTab


class QuitGuard(QObject):
    """Asks before ``close`` (the window's) when quitting would lose typed input."""

    def __init__(
        self,
        window: QWidget,
        *,
        web_tabs: Callable[[], list[WebTab]],
        profile_unsaved: Callable[[], bool],
        page_name: Callable[[WebTab], str],
        close: Callable[[], object],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._web_tabs = web_tabs
        self._profile_unsaved = profile_unsaved
        self._page_name = page_name
        self._close = close
        self.closing = False
        """The window is closing (its teardown runs): nothing more is asked."""
        self._confirmed = False
        """退出 was chosen (or nothing would be lost): the next close closes."""
        self._check: PagesCheck | None = None
        self._question: QMessageBox | None = None

    def confirm(self) -> None:
        """The next close closes without asking (and the open question goes)."""
        self._confirmed = True
        if self._question is not None:
            self._question.done(0)

    def may_close(self) -> bool:
        """True when nothing typed would be lost (or 退出 was chosen); else start asking."""
        if self._confirmed or self.closing:
            return True
        if self._question is not None:  # asked already: the question stays in front
            self._question.raise_()
            return False
        if self._check is not None:  # the pages are still answering
            return False
        tabs = self._web_tabs()
        if not tabs:
            if not self._profile_unsaved():
                return True
            self._ask([])
            return False
        from launcher.ui.unsaved import PagesCheck

        check = self._check = PagesCheck(tabs, self._window)
        check.finished.connect(self._pages_answered)
        check.start()
        return False

    def _quit(self) -> None:
        self.confirm()
        self._close()

    def _pages_answered(self, pages: list[PageAnswer]) -> None:
        self._check = None
        if self.closing:  # closed meanwhile (close_now)
            return
        if not pages and not self._profile_unsaved():
            self._quit()
        else:
            self._ask(pages)

    def _ask(self, pages: list[PageAnswer]) -> None:
        from launcher.ui.quit_question import quit_question

        named = [(self._page_name(answer.tab), answer.kind) for answer in pages]
        box, quit_button = quit_question(self._window, self._profile_unsaved(), named)
        self._question = box

        def answered() -> None:
            self._question = None
            box.deleteLater()
            if box.clickedButton() is quit_button:
                self._quit()

        box.finished.connect(answered)
        box.open()
