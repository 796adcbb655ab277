"""What the window says to a screen reader when something changes that the person did not just
look at (launcher/ui/announce.py sends it):

- a refresh finished: how many tasks, how many of them are new since the refresh started, and
  how many platforms failed (assertive then); said when the person asked for it (刷新, F5, the
  tray's 刷新, the refresh after signing in) and for a background refresh only when it brings new
  tasks or other platforms fail than before; a refresh that failed as a whole (assertive);
- Fill's outcome: how many fields were filled and how many not (assertive then), or why
  nothing was (assertive; a fill the person cancelled says nothing);
- signing in (not a session restored at start), a failed sign-in shown in the sign-in dialog
  (a message box is read by the screen reader by itself), signing out, locking and unlocking.

It listens to the application's events (launcher/app/events.py) and the window's signals, never
to a widget's internals. The status bar's lines say the same in their accessible names (the
passing message is the status bar's; the refresh line and the user's name are labels), and
carry an accessible description of what they are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from launcher.app.events import (
    Event,
    Locked,
    RefreshFailed,
    RefreshStarted,
    SignedIn,
    SignedOut,
    Unlocked,
)
from launcher.ui.announce import announce

if TYPE_CHECKING:
    from launcher.ui.main_window import MainWindow
    from launcher.ui.session import SessionController

translate = QCoreApplication.translate


class Announcements(QObject):
    """The window's announcements (made with the window's other parts, after the first paint)."""

    _event = Signal(object)
    """An application event, from whichever thread published it."""
    said = Signal(str, bool)
    """An announcement was made: its text and whether it was assertive."""

    def __init__(self, window: MainWindow, session: SessionController) -> None:
        super().__init__(window)
        self._window, self._session = window, session
        self._before: set[str] | None = None
        """The keys of the tasks on screen when the running refresh started (None: none)."""
        self._asked = False
        """The person asked for the running or next refresh (or signed in: it follows)."""
        self._failed: frozenset[str] = frozenset()
        """The platforms that failed in the last refresh said or seen."""
        self._unlocked = ""
        """The person who just unlocked: their sign-in, which follows, is not said again."""
        self._event.connect(self._on_event)
        events = window.context.events
        self._unsubscribe: list[Callable[[], None]] = [
            events.subscribe(kind, self._event.emit)
            for kind in (RefreshStarted, RefreshFailed, SignedIn, SignedOut, Locked, Unlocked)
        ]
        window.refresh_action.triggered.connect(self._refresh_asked)
        window.refresh_finished.connect(self._refresh_finished)
        window.fill_finished.connect(self._filled)
        window.login_failed.connect(self._login_failed)
        status = window.status_bar()
        status.refresh_label.setAccessibleDescription(
            translate("Announcements", "How current the inbox is")
        )
        status.user_label.setAccessibleDescription(translate("Announcements", "Who is signed in"))
        from launcher.ui.accessible_names import name_qt_controls

        name_qt_controls(window)  # the inbox's and the one table's search fields, the toolbar

    def close(self) -> None:
        """The window closes: no event reaches this object any more."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def say(self, text: str, *, assertive: bool = False) -> None:
        """Announce ``text`` from the window the person is in (the lock screen while locked)."""
        from PySide6.QtWidgets import QApplication

        active = QApplication.activeWindow()
        if active is not None and active.isVisible():
            source = active
        elif self._window.isVisible():
            source = self._window
        else:  # the window is hidden behind the lock screen
            shown = [w for w in QApplication.topLevelWidgets() if w.isWindow() and w.isVisible()]
            source = shown[0] if shown else self._window
        announce(source, text, assertive=assertive)
        self.said.emit(text, assertive)

    # -- the application's events --------------------------------------------------------------

    def _on_event(self, event: Event) -> None:
        handlers: dict[type[Event], Callable[[Any], None]] = {
            RefreshStarted: self._refresh_started,
            RefreshFailed: self._refresh_failed,
            SignedIn: self._signed_in,
            SignedOut: self._signed_out,
            Locked: self._locked,
            Unlocked: self._unlocked_now,
        }
        handler = handlers.get(type(event))
        if handler is not None:
            handler(event)

    def _refresh_started(self, _event: Any) -> None:
        """The tasks on screen now (None when no list is: signed in just now, every task would be
        new), to tell the new ones when the refresh ends."""
        window = self._window
        if window.user is None or window.last_result is None:
            self._before = None
            return
        self._before = {item.key for group in window.inbox_model.groups() for item in group.items}

    def _refresh_asked(self) -> None:
        self._asked = True

    def _refresh_finished(self, shown: bool) -> None:
        """A refresh ended; ``shown``: its tasks are on screen (a failure is said by its event)."""
        asked, self._asked = self._asked, False
        before, self._before = self._before, None
        if not shown or self._window.user is None:
            return
        from launcher.core.inbox.notify import is_open
        from launcher.core.states import PlatformStatus, SignInState

        pending = [
            group for group in self._window.inbox_model.groups()
            if any(is_open(item) for item in group.items)
        ]
        result = self._window.last_result
        failed = frozenset(
            platform for platform, state in (result.states.items() if result else ())
            if state.state in (PlatformStatus.FAILED, SignInState.SIGNED_OUT)
        )
        new = None if before is None else sum(
            1 for group in pending if not any(item.key in before for item in group.items)
        )
        changed, self._failed = failed != self._failed, failed
        if not (asked or new or (failed and changed)):
            return  # a background refresh that changed nothing worth interrupting for
        text = translate("Announcements", "Inbox refreshed: {count} task(s) to do.").format(
            count=len(pending)
        )
        if new:
            text += translate("Announcements", " {count} new.").format(count=new)
        elif new == 0 and asked:
            text += translate("Announcements", " None new.")
        if failed:
            text += translate(
                "Announcements", " {count} platform(s) could not be refreshed; their buttons "
                "say why."
            ).format(count=len(failed))
        self.say(text, assertive=bool(failed))

    def _refresh_failed(self, event: RefreshFailed) -> None:
        from launcher.ui.inbox_presenter import message_for

        self._asked, self._before = False, None
        self.say(
            translate("Announcements", "The inbox could not be refreshed: {error}").format(
                error=message_for(event.error)
            ),
            assertive=True,
        )

    def _signed_in(self, event: SignedIn) -> None:
        self._asked = True  # the refresh that follows a sign-in is said
        sub = getattr(event.user, "sub", "")
        if event.restored or (self._unlocked and sub == self._unlocked):
            self._unlocked = ""
            return
        name = getattr(event.user, "name", "") or getattr(event.user, "username", "")
        self.say(
            translate("Announcements", "Signed in as {name}. Loading your tasks…").format(
                name=name
            )
        )

    def _signed_out(self, _event: SignedOut) -> None:
        self._failed = frozenset()
        self.say(translate("Announcements", "Signed out."))

    def _locked(self, _event: Locked) -> None:
        text = translate(
            "Announcements",
            "The launcher is locked. Only the same person can open it again, by signing in; "
            "someone else uses Switch person.",
        )
        # Said from the lock screen, which shows once the lock's use case has announced it.
        QTimer.singleShot(0, lambda: self.say(text))

    def _unlocked_now(self, event: Unlocked) -> None:
        self._unlocked = event.sub
        self.say(translate("Announcements", "Unlocked. Your pages are as you left them."))

    # -- the window's signals ------------------------------------------------------------------

    def _filled(self, result: dict[str, Any]) -> None:
        """Fill's outcome (``FormFiller.finished``)."""
        if "error" in result:
            if result.get("why") != "cancelled":  # the person pressed 取消: nothing to say
                self.say(str(result["error"]), assertive=True)
            return
        filled, failed = len(result.get("filled", ())), len(result.get("failed", ()))
        text = translate("Announcements", "Filled {count} field(s).").format(count=filled)
        if failed:
            text += translate(
                "Announcements", " {count} not filled; the fill panel says why."
            ).format(count=failed)
        self.say(text, assertive=bool(failed))

    def _login_failed(self, text: str) -> None:
        """A failed sign-in: said when the sign-in dialog shows it (a message box, shown
        otherwise, is read by the screen reader as an alert by itself)."""
        if self._session.dialog is not None:
            self.say(translate("Announcements", "Signing in failed. {reason}").format(
                reason=text), assertive=True)
