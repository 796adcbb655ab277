"""The --screenshot run: sign in headlessly, load the inbox, save a picture of the window, quit.

Used for documentation and as a smoke test of the whole GUI. It never creates a web view: the
demo sign-in is scripted over HTTP, and the inbox is plain widgets.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo
    from launcher.core.demo import Demo
    from launcher.ui.main_window import MainWindow

TIMEOUT_MS = 60_000
PAINT_WAIT_MS = 5_000


class ScreenshotRun(QObject):
    """Drives one main window to a signed-in, refreshed state and grabs it to a PNG."""

    def __init__(self, window: MainWindow, path: Path, demo: Demo | None) -> None:
        super().__init__(window)
        self.window = window
        self.path = path
        self.demo = demo
        self.exit_code = 1
        self._done = False
        window.services_ready.connect(self._services_ready)
        window.load_failed.connect(lambda text: self._fail(f"the county did not open: {text}"))
        window.login_failed.connect(lambda text: self._fail(f"signing in failed: {text}"))
        window.refresh_finished.connect(self._refreshed)
        QTimer.singleShot(TIMEOUT_MS, lambda: self._fail("timed out after 60 s"))

    def _services_ready(self, _services: Services) -> None:
        demo = self.demo
        if demo is not None:  # its default user, through the provider's form (a worker thread)

            def sign_in(services: Services) -> UserInfo:
                user = demo.sign_in(services.auth)
                # No browser signed in at the provider: the session-bound platform's web app is
                # signed in over HTTP as well, as the window's hidden page would.
                demo.sign_in_web_apps(services.registry.platforms, services.web_sessions)
                return user

            self.window.sign_in_with(sign_in)
        elif self.window.user is None:
            # Nobody to sign in as: picture the signed-out window.
            QTimer.singleShot(0, self._after_paint)

    def _refreshed(self, _ok: bool) -> None:
        if self._done:
            return
        viewport = self.window.inbox.table.viewport()
        if self.window.inbox_model.rowCount() == 0 or not viewport.isVisible():
            QTimer.singleShot(0, self._after_paint)
            return
        # Wait for the table to have painted its new rows, so the picture shows them.
        waiter = _PaintWaiter(viewport, self._after_paint)
        viewport.installEventFilter(waiter)
        viewport.update()
        QTimer.singleShot(PAINT_WAIT_MS, waiter.fire)

    def _after_paint(self) -> None:
        if self._done:
            return
        self._done = True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            pixmap = self.window.grab()
            if pixmap.isNull() or not pixmap.save(str(self.path), "PNG"):
                raise OSError(f"could not write {self.path}")
        except OSError as exc:
            print(f"screenshot failed: {exc}", file=sys.stderr)
            self.exit_code = 1
        else:
            self.exit_code = 0
        QApplication.quit()

    def _fail(self, message: str) -> None:
        if self._done:
            return
        self._done = True
        print(f"screenshot failed: {message}", file=sys.stderr)
        self.exit_code = 2
        QApplication.quit()


class _PaintWaiter(QObject):
    """Calls back once, on the next turn of the event loop after the watched widget painted."""

    def __init__(self, watched: QObject, callback: object) -> None:
        super().__init__(watched)
        self._callback = callback
        self._fired = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self.fire)
        return False

    def fire(self) -> None:
        if not self._fired:
            self._fired = True
            callback = self._callback
            if callable(callback):
                callback()

