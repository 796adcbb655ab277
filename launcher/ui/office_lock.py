"""Shared office PCs (the county file's ``[office]``): the idle lock, 换人, signing out on quit.

After ``lock_after_minutes`` without a key press or a click, the window hides (the inbox, the
tiles, every page: pages and what was typed in them are kept) and a lock screen names whose
session it is. Only the same person opens it again, by signing in at the county's identity
service, which is made to ask for their credentials whatever session it keeps
(``begin_login(reauthenticate=True)``). Someone else signing in there, or 换人, ends the
previous person's session first: their pages close, the web profile is wiped, their data is
closed. Notifications (task titles) are held back while locked.

The use cases are ``launcher/app/office.py``; nothing here blocks the GUI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from launcher.ui.plain_text import PlainLabel, bounded

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent

    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo
    from launcher.ui.main_window import MainWindow
    from launcher.ui.session import SessionController

log = logging.getLogger(__name__)

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})
# The window's events after which its QWindow may be another one.
_NEW_HANDLE = frozenset({QEvent.Type.WinIdChange, QEvent.Type.Show})


class LockScreen(QWidget):
    """What shows while the launcher is locked: whose session, 重新登录 and 换人."""

    unlock_requested = Signal()
    switch_requested = Signal()
    quit_requested = Signal()
    """The lock screen was closed: the launcher quits (signing out on a shared PC)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("lockScreen")
        self.setWindowTitle(self.tr("Yiduantong is locked"))
        title = QLabel(self.tr("Yiduantong is locked"), self)
        title.setObjectName("lockTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = PlainLabel(self)  # the person's name, from the identity service
        self.message.setObjectName("lockMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.unlock_button = QPushButton(self.tr("Sign in again to continue"), self)
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton(self.tr("Switch person"), self)
        self.switch_button.setObjectName("switchPersonButton")
        self.switch_button.setAccessibleDescription(
            self.tr("Ends this person's session, closes their pages; the next person signs in."))
        self.unlock_button.clicked.connect(lambda _=False: self.unlock_requested.emit())
        self.switch_button.clicked.connect(lambda _=False: self.switch_requested.emit())
        column = QVBoxLayout(self)
        column.addStretch(1)
        column.addWidget(title)
        column.addWidget(self.message)
        column.addSpacing(16)
        column.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.switch_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.isVisible():
            self.quit_requested.emit()
        super().closeEvent(event)

    def show_for(self, name: str) -> None:
        self.message.setText(
            self.tr("{name}'s session is locked. Only {name} can open it again; someone else "
                    "uses 换人 (switch person).").format(name=bounded(name, 40, lines=1)))
        self.setAccessibleName(self.message.text())
        self.unlock_button.setFocus()


class OfficeLock(QObject):
    """The window's idle lock and 换人 on a shared PC."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: MainWindow,
        session: SessionController,
        services_ready: SignalInstance,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window = window
        self._session = session
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.lock)
        self._screen: LockScreen | None = None
        self.locked = False
        self._unlocking = False
        self._switching = False
        self._sub = ""
        self._filtered: QObject | None = None
        services_ready.connect(self._opened)
        session.signed_in.connect(self._signed_in)
        session.signed_out.connect(self._signed_out)

    @property
    def services(self) -> Services | None:
        return self._window.services

    def _opened(self, services: Services) -> None:
        minutes = services.county.office.lock_after_minutes
        handle = self._window.windowHandle()
        if minutes is None or handle is None:
            return
        self._timer.setInterval(minutes * 60_000)
        # The window's own events too: Qt replaces its QWindow at times (a page's view needs
        # another kind of surface; the window hidden by the lock and shown again), which it
        # says with WinIdChange; the filter moves to the new one.
        self._window.installEventFilter(self)
        self._watch_input()
        self._timer.start()

    def _watch_input(self) -> None:
        """Filter the input of the window's current QWindow: every key press and click reaches
        it before its widgets (the pages' views among them). Not the QApplication's: a Python
        filter there is called for every event of every object, QtWebEngine's own too, and
        crashed PySide6."""
        handle = self._window.windowHandle()
        if handle is self._filtered:
            return
        self._stop_watching()
        if handle is not None:
            handle.installEventFilter(self)
            handle.destroyed.connect(self._handle_gone)
            self._filtered = handle

    def _handle_gone(self, *_: object) -> None:
        self._filtered = None
        QTimer.singleShot(0, self._watch_input)  # its successor, once the window has one

    def _stop_watching(self) -> None:
        filtered, self._filtered = self._filtered, None
        if filtered is not None and shiboken6.isValid(filtered):
            filtered.removeEventFilter(self)
            filtered.destroyed.disconnect(self._handle_gone)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self._window:
            if kind in _NEW_HANDLE:
                self._watch_input()
        elif kind in _INPUT and not self.locked and self._timer.interval() > 0:
            self._timer.start()  # any input: the idle time starts again
        return False

    # -- locking ---------------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide the session: the window (its inbox, tiles and pages, kept as they are) gives way
        to the lock screen; nothing happens when nobody is signed in."""
        services = self.services
        if self.locked or services is None:
            return
        from launcher.app import office

        sub = office.lock(services)
        if sub is None:
            return
        self.locked, self._sub = True, sub
        user = services.auth.user
        screen = self._lock_screen()
        screen.show_for(user.name or user.username if user is not None else "")
        screen.setGeometry(self._window.geometry())
        self._window.hide()
        for dialog in self._window.findChildren(QWidget):
            if dialog.isWindow() and dialog is not screen and dialog.isVisible():
                dialog.hide()  # a fill preview or another window of the person's
        screen.show()
        screen.raise_()
        screen.activateWindow()
        self.locked_changed.emit(True)
        log.info("locked after %d minute(s) without input", self._timer.interval() // 60_000)

    def show_lock_screen(self) -> None:
        """Bring the lock screen to the front (the tray icon was clicked while locked)."""
        if self._screen is not None and self.locked:
            self._screen.show()
            self._screen.raise_()
            self._screen.activateWindow()

    def _lock_screen(self) -> LockScreen:
        if self._screen is None:
            self._screen = LockScreen()
            self._screen.unlock_requested.connect(self.unlock)
            self._screen.switch_requested.connect(self.switch_person)
            self._screen.quit_requested.connect(self._quit)
        return self._screen

    def unlock(self) -> None:
        """Sign in again at the identity service, which asks for the credentials whatever
        session it keeps; the same person opens the lock (``_signed_in``)."""
        if not self.locked:
            return
        self._unlocking = True
        self._session.login(reauthenticate=True)

    def _signed_in(self, user: UserInfo) -> None:
        if not self.locked or not self._unlocking:
            return
        self._unlocking = False
        services = self.services
        from launcher.app import office

        if services is not None and office.unlock(services, user):
            self._show_window()
            return
        # Another person signed in at the lock: the sign-in's own use case closed the previous
        # person's data (a switch of user); their pages and web profile go here.
        log.info("another person signed in at the lock: the previous person's pages close")
        if services is not None:
            office.switched(services)
        self._window.close_web_tabs()

        def shown() -> None:
            self._show_window()

        web = self._window.context.existing_web
        if web is not None:
            web.wipe(shown)
        else:
            shown()

    def switch_person(self) -> None:
        """换人: this person's session ends (revoked, pages closed, web profile wiped, data
        closed); then the sign-in for the next person."""
        self._switching = True
        self._session.logout()

    def _signed_out(self, *_: Any) -> None:
        if not self._switching:
            return
        self._switching = False
        services = self.services
        if services is not None:
            from launcher.app import office

            office.switched(services)
        self._show_window()
        self._session.login()

    def _show_window(self) -> None:
        if self._screen is not None:
            self._screen.hide()
        self.locked, self._sub = False, ""
        self._window.show()
        self._window.raise_()
        self._window.activateWindow()
        self._timer.start()
        self.locked_changed.emit(False)

    def _quit(self) -> None:
        """The person closed the lock screen: the launcher quits as if its window were closed
        (its pages' unsaved input is the locked person's: not asked about)."""
        if self.locked:
            QTimer.singleShot(0, self._window.close_now)

    def close(self) -> None:
        self._stop_watching()
        if shiboken6.isValid(self._window):
            self._window.removeEventFilter(self)
        self._timer.stop()
        if self._screen is not None:
            screen, self._screen = self._screen, None
            self.locked = False
            screen.hide()  # hidden first: its close then asks for no quit
            screen.close()
            screen.deleteLater()
