"""Signing in (the embedded provider page) and out (revoke, end the provider session, cookies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import QWidget

from launcher.core.errors import AuthError
from launcher.ui.workers import Workers

if TYPE_CHECKING:
    from launcher.core.auth.session import UserInfo
    from launcher.core.services import Services
    from launcher.ui.login import LoginDialog
    from launcher.ui.web import WebContext

END_SESSION_WAIT_MS = 10_000
"""How long logout waits for the provider's end-session page before clearing cookies anyway."""

translate = QCoreApplication.translate


def auth_error_text(reason: str, detail: str) -> str:
    """A user-facing sentence for an AuthError reason code, with the technical detail after it."""
    headlines = {
        "network": translate("Login", "The identity service cannot be reached. Check the network."),
        "refused": translate("Login", "The identity service refused the sign-in."),
        "forged": translate(
            "Login", "The sign-in answer failed a security check and was rejected."
        ),
        "signed-out": translate("Login", "You are signed out. Please sign in again."),
        "expired": translate("Login", "The sign-in has expired. Please sign in again."),
        "config": translate("Login", "The county's identity service is set up wrongly."),
    }
    headline = headlines.get(reason, translate("Login", "Signing in failed."))
    return f"{headline}\n{detail}" if detail else headline


class SessionController(QObject):
    signed_in = Signal(object)
    """The UserInfo of the user who just signed in."""
    login_failed = Signal(str)
    """The user-facing message of a failed sign-in."""
    logout_started = Signal()
    """The keyring is wiped: close pages and clear the inbox now."""
    signed_out = Signal(str)
    """Logout is complete (cookies and cache gone); the argument is a warning or ''."""
    status = Signal(str)
    """A progress sentence for the status bar ('' clears it)."""

    def __init__(
        self,
        workers: Workers,
        web: Callable[[], WebContext],
        dialog_parent: QWidget,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self._web = web
        self._dialog_parent = dialog_parent
        self.services: Services | None = None
        self.dialog: LoginDialog | None = None
        self._web_context: WebContext | None = None

    # -- signing in ---------------------------------------------------------------------------

    def login(self) -> None:
        services = self.services
        if services is None:
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        self.status.emit(translate("SessionController", "Contacting the identity service…"))
        self.workers.submit(
            "begin login", services.auth.begin_login, self._show_dialog, self._failed
        )

    def _show_dialog(self, flow: Any) -> None:
        from launcher.ui.login import LoginDialog

        self.status.emit("")
        self._web_context = self._web()
        dialog = LoginDialog(
            self._web_context.profile(), flow.auth_uri, flow.redirect_uri, self._dialog_parent
        )
        dialog.callback_reached.connect(lambda url: self._complete(flow, url))
        dialog.retry_requested.connect(self._retry)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.show()

    def _retry(self) -> None:
        # A sign-in answer is good once: a new attempt needs a new flow (state, nonce, verifier).
        services = self.services
        dialog = self.dialog
        if services is None or dialog is None:
            return

        def restart(flow: Any) -> None:
            if self.dialog is dialog:
                dialog.restart(flow.auth_uri, flow.redirect_uri)
                dialog.callback_reached.disconnect()
                dialog.callback_reached.connect(lambda url: self._complete(flow, url))

        self.workers.submit("begin login", services.auth.begin_login, restart, self._failed)

    def _dialog_closed(self, dialog: LoginDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _complete(self, flow: Any, callback_url: str) -> None:
        services = self.services
        if services is None:
            return
        self.workers.submit(
            "complete login",
            lambda: services.auth.complete_login(flow, callback_url),
            self._succeeded,
            self._failed,
        )

    def sign_in_with(self, sign_in: Callable[[Services], UserInfo]) -> None:
        """Sign in without the dialog: ``sign_in(services)`` runs on a worker (scripted demo)."""
        services = self.services
        if services is None:
            raise RuntimeError("the county is not open yet")
        self.workers.submit(
            "scripted login", lambda: sign_in(services), self._succeeded, self._failed
        )

    def _succeeded(self, user: UserInfo) -> None:
        if self.dialog is not None:
            self.dialog.accept()
        self.signed_in.emit(user)

    def _failed(self, exc: BaseException) -> None:
        reason = exc.reason if isinstance(exc, AuthError) else "other"
        text = auth_error_text(reason, str(exc))
        if self.dialog is not None:
            self.dialog.show_error(text)
        self.status.emit("")
        self.login_failed.emit(text)

    # -- signing out --------------------------------------------------------------------------

    def logout(self) -> None:
        services = self.services
        if services is None:
            return
        self.status.emit(translate("SessionController", "Signing out…"))

        self.workers.submit(
            "logout",
            services.logout,
            self._end_web_session,
            lambda exc: self._end_web_session(None, str(exc)),
        )

    def _end_web_session(self, end_url: str | None, warning: str = "") -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self.logout_started.emit()
        if warning:
            warning = translate(
                "SessionController",
                "Signed out on this computer, but the identity service could not be told: {error}",
            ).format(error=warning)
        web = self._web_context
        if web is None or not web.has_profile():
            self._finish(warning)
            return
        if not end_url:
            web.clear_session(lambda: self._finish(warning))
            return
        # The provider's end-session page, loaded in a hidden page of the shared profile, ends the
        # provider's own session cookie there; then every cookie is forgotten locally as well.
        from PySide6.QtWebEngineCore import QWebEnginePage

        page = QWebEnginePage(web.profile(), self)
        finished = False

        def done(*_: object) -> None:
            nonlocal finished
            if finished:
                return
            finished = True
            page.deleteLater()
            web.clear_session(lambda: self._finish(warning))

        page.loadFinished.connect(done)
        QTimer.singleShot(END_SESSION_WAIT_MS, done)
        page.load(QUrl(end_url))

    def _finish(self, warning: str) -> None:
        self.status.emit(warning or translate("SessionController", "Signed out."))
        self.signed_out.emit(warning)

    def note_web(self, web: WebContext) -> None:
        """Tell the controller the web profile exists (pages opened before any login)."""
        self._web_context = web
