"""Who is signed in, as the window shows it: the user line, which actions are enabled, the
inbox of the person signed in, and what another person signing in takes off the screen.

The SessionController (session.py) does the signing in and out (dialogs, provider, web
profile); this presenter shows its outcome and calls the sign-in use case
(launcher/app/session.py). It is made by the window in its first frame, with everything it
needs: the window's context (the county's services once open, the workers, the web profile)
and a getter of the session controller, which is made right after the first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from launcher.ui.plain_text import bounded

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from launcher.core.auth.session import UserInfo
    from launcher.ui.inbox_presenter import InboxPresenter
    from launcher.ui.inbox_view import InboxView
    from launcher.ui.session import SessionController
    from launcher.ui.status_bar import StatusBar
    from launcher.ui.window_actions import WindowActions
    from launcher.ui.window_context import WindowContext

# The window's words, kept in its translation context (they were the window's before).
translate = QCoreApplication.translate


class SignInPresenter(QObject):
    """The window's side of signing in and out."""

    signed_in = Signal(object)
    """The UserInfo of the user who just signed in (not sent for a restored session)."""
    login_failed = Signal(str)
    """The message shown for a failed sign-in."""

    def __init__(
        self,
        *,
        status_bar: StatusBar,
        actions: WindowActions,
        inbox: InboxPresenter,
        inbox_view: InboxView,
        context: WindowContext,
        session: Callable[[], SessionController],
        close_web_tabs: Callable[[], None],
        signed_out_shown: Callable[[], None],
        dialog_parent: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.status_bar, self.actions = status_bar, actions
        self.inbox, self.inbox_view = inbox, inbox_view
        self._context, self._session = context, session
        self._close_web_tabs = close_web_tabs
        self._signed_out_shown = signed_out_shown
        """Called after the signed-out view is shown (the window updates its Fill action)."""
        self._dialog_parent = dialog_parent
        self.user: UserInfo | None = None
        """Who is signed in (None: nobody, or the county is not open)."""

    # -- what the window shows ----------------------------------------------------------------

    def set_user(self, user: UserInfo) -> None:
        """Show ``user`` signed in: their name, the actions of a signed-in person, the
        background refresh."""
        self.user = user
        label = self.status_bar.user_label
        label.setText(
            translate("MainWindow", "Signed in: {name}").format(name=bounded(user.name, 100))
        )
        label.setAccessibleName(label.text())
        self.actions.login.setEnabled(False)
        self.actions.logout.setEnabled(True)
        self.actions.refresh.setEnabled(True)
        self.inbox_view.set_empty_text(translate("MainWindow", "Loading your tasks…"))
        self.inbox.update_tiles()
        self.inbox.start_background()

    def show_person(self, name: str) -> None:
        """The name of the person whose start snapshot is on screen while the county opens
        (launcher/ui/start_snapshot.py); ``set_user`` follows when their session is restored."""
        label = self.status_bar.user_label
        label.setText(
            translate("MainWindow", "Signed in: {name}").format(name=bounded(name, 100))
        )
        label.setAccessibleName(label.text())

    def show_signed_out(self, empty_text: str) -> None:
        """Nobody signed in: an empty inbox saying ``empty_text``."""
        self.user = None
        label = self.status_bar.user_label
        label.setText(translate("MainWindow", "Not signed in"))
        label.setAccessibleName(label.text())
        self.actions.login.setEnabled(self._context.services is not None)
        self.actions.logout.setEnabled(False)
        self.actions.refresh.setEnabled(False)
        self.inbox.show_signed_out(empty_text)
        self.inbox.stop_background()
        self._signed_out_shown()

    # -- signing in ---------------------------------------------------------------------------

    def login(self) -> None:
        """Sign in the way the county file says, when nobody is, or to renew the platforms'
        sign-in that the sign-in-again bar shows."""
        if self._context.services is not None and (self.user is None or self.inbox.needs_sign_in()):
            self._session().login()

    def signed_in_as(self, user: UserInfo) -> None:
        """The session controller signed ``user`` in (a dialog, the web pages, a script)."""
        previous, affected = self.user, self.inbox.needs_sign_in()
        if previous is not None and previous.sub != user.sub:
            # Someone else signed in at the sign-in-again bar: nothing of the previous user's
            # work may stay on screen, in the page profile or in the task cache.
            self._drop_previous_user()
            affected = []
        self.set_user(user)
        services = self._context.services
        if services is not None:  # plugins turned off for failing get another chance
            services.inbox.enable_plugins()
        self.status_bar.showMessage(
            translate("MainWindow", "Welcome, {name}.").format(name=user.name), 5000
        )
        self.signed_in.emit(user)
        if services is None:
            return

        def refresh(forget: bool) -> None:
            self.inbox.refresh_pending = False
            if self.user is None or self.user.sub != user.sub:
                return  # signed out (or someone else signed in) meanwhile
            if previous is not None and affected:
                # The same user again: only the platforms that had lost their sign-in refresh
                # now; the others' tasks and every open page are left as they are.
                self.inbox.refresh(affected)
            else:
                self.inbox.refresh(forget_cache=forget)

        def failed(exc: BaseException) -> None:
            import logging  # here: this module is imported on the start path

            logging.getLogger(__name__).warning("closing the previous data failed: %s", exc)
            refresh(True)  # the refresh forgets the cached work again before it asks anyone

        # The sign-in use case (launcher/app/session.py), the command line's too: another
        # person's data is closed through the account's one owner before the refresh asks.
        from launcher.app.session import signed_in

        self.inbox.refresh_pending = True
        self._context.workers.submit(
            "signed in", lambda: signed_in(services, user), lambda _: refresh(False), failed
        )

    def _drop_previous_user(self) -> None:
        self._close_web_tabs()
        self.inbox.clear()
        web = self._context.existing_web
        if web is not None:
            web.wipe(lambda: None)

    def login_error(self, text: str, detail: str = "") -> None:
        """A failed sign-in with no sign-in dialog to show it (it failed before one opened):
        ``text`` says what to do next, ``detail`` (technical, plain text) is under 显示详细信息."""
        if self._session().dialog is None:
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QMessageBox

            from launcher.ui.plain_text import plain_message_box

            box = plain_message_box(QMessageBox(self._dialog_parent))
            box.setObjectName("loginErrorBox")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(translate("MainWindow", "Sign in"))
            box.setText(text)
            if detail:
                box.setDetailedText(detail)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # window-modal, without a nested event loop
        self.login_failed.emit(text)

    # -- signing out --------------------------------------------------------------------------

    def logout(self) -> None:
        """Revoke the session, end it at the provider, forget cookies, cache, tabs and inbox."""
        if self._context.services is None or self.user is None:
            return
        self.actions.logout.setEnabled(False)
        self.inbox.stop_background()
        self._session().logout()

    def logout_started(self) -> None:
        """The keyring is wiped: the pages close and the inbox empties now."""
        self._close_web_tabs()
        self.show_signed_out(
            translate("MainWindow", "You are signed out. Please sign in to see your tasks.")
        )
