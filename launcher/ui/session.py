"""Signing in (embedded page, system browser or device code) and out (revoke, end the provider
session, wipe the web profile)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtWidgets import QWidget

from launcher.core.auth.identity import Capability, LoginMode, chosen_mode
from launcher.core.states import AuthReason
from launcher.ui.login_modes import open_in_browser
from launcher.ui.sign_in_errors import sign_in_error

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.auth.device import DeviceFlow
    from launcher.core.auth.identity import LogoutReport
    from launcher.core.auth.session import UserInfo
    from launcher.ui.login import LoginDialog
    from launcher.ui.login_modes import BrowserLoginDialog, DeviceLoginDialog
    from launcher.ui.web import WebContext
    from launcher.ui.web_sign_in import WebSignInWatch
    from launcher.ui.window_context import WindowContext

    SignInDialog = LoginDialog | BrowserLoginDialog | DeviceLoginDialog

END_SESSION_WAIT_MS = 10_000
"""How long logout waits for the provider's end-session page before wiping the profile anyway."""

translate = QCoreApplication.translate
log = logging.getLogger(__name__)


def _unrevoked_warning(report: LogoutReport | None) -> str:
    """What the person should know when the identity service did not revoke every token: they
    stay valid there until they expire ('' when all were revoked, or nothing says)."""
    if report is None or not report.not_revoked:
        return ""
    return translate(
        "SessionController",
        "Signed out on this computer. The identity service did not revoke {count} token(s): "
        "they stay valid there until they expire.",
    ).format(count=len(report.not_revoked))


def _after(first: Callable[[], None], then: Callable[[Any], None]) -> Callable[[Any], None]:
    """A worker callback that runs ``first()`` and then ``then(value)``."""

    def call(value: Any) -> None:
        first()
        then(value)

    return call


class SessionController(QObject):
    signed_in = Signal(object)
    """The UserInfo of the user who just signed in."""
    login_failed = Signal(str, str)
    """A failed sign-in (not sent when the user cancelled): what happened and what to do next,
    translated, and the technical detail (bounded plain text, maybe '')."""
    logout_started = Signal()
    """The keyring is wiped: close pages and clear the inbox now."""
    signed_out = Signal(str)
    """Logout is complete (the web profile with its cookies, cache and storage is gone); the
    argument is a warning or ''."""
    status = Signal(str)
    """A progress sentence for the status bar ('' clears it)."""
    dialog_shown = Signal(object)
    """The sign-in dialog just shown (LoginDialog, BrowserLoginDialog or DeviceLoginDialog)."""

    def __init__(
        self, context: WindowContext, dialog_parent: QWidget, *, parent: QObject | None = None
    ) -> None:
        """Made right after the window's first paint, before the county is open: it reads
        ``context.services`` when it acts, and learns of the web profile when it is made."""
        super().__init__(parent)
        self._context = context
        self.workers = context.workers
        self._dialog_parent = dialog_parent
        self.dialog: SignInDialog | None = None
        self._web_context: WebContext | None = None
        self._attempt = 0
        """Counts sign-in attempts: a late answer of an abandoned attempt is ignored."""
        self._reauthenticate = False
        """The sign-in under way makes the identity service ask again (a shared PC's lock)."""
        self.open_url: Callable[[str], bool] = open_in_browser
        """Opens the authorization URL in the system browser (GUI thread); tests replace it."""
        self._web_watch: WebSignInWatch | None = None
        """Signs the launcher in when the person signed in on a web page (web_sign_in.py)."""
        if context.existing_web is not None:
            self.note_web(context.existing_web)
        context.web_made.connect(self.note_web)

    @property
    def services(self) -> Services | None:
        """The county's services, None while the county is not open."""
        return self._context.services

    # -- signing in ---------------------------------------------------------------------------

    def login(self, *, reauthenticate: bool = False) -> None:
        """Sign in the way the county file says, among the modes its identity session offers:
        embedded page, system browser or device code. ``reauthenticate`` (a shared PC's lock):
        the identity service asks for the credentials whatever session it keeps."""
        services = self.services
        if services is None:
            return
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        self._attempt += 1
        if self._web_watch is not None:
            self._web_watch.cancel()  # this sign-in replaces a silent one under way
        mode = chosen_mode(services.auth)
        if mode == LoginMode.SYSTEM_BROWSER:
            self._login_system_browser(services, self._attempt, reauthenticate=reauthenticate)
        elif mode == LoginMode.DEVICE:
            self._login_device(services, self._attempt)
        else:
            self.status.emit(translate("SessionController", "Contacting the identity service…"))
            attempt = self._attempt
            auth = services.auth
            self._reauthenticate = reauthenticate
            self.workers.submit(
                "begin login",
                lambda: auth.begin_login(reauthenticate=reauthenticate),
                self._current(attempt, self._show_dialog),
                self._current(attempt, self._failed),
            )

    def _current(self, attempt: int, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """``callback``, dropped when another sign-in attempt started meanwhile."""

        def call(value: Any) -> None:
            if attempt == self._attempt:
                callback(value)

        return call

    def _show_dialog(self, flow: Any) -> None:
        from launcher.ui.login import LoginDialog

        self.status.emit("")
        self._web_context = self._context.web()
        if self.services is not None and Capability.WEB_COOKIES in self.services.auth.capabilities:
            from launcher.ui.cas_login import watch_cookies  # the CAS TGC, see cas_login.py

            watch_cookies(self._web_context.profile())
        dialog = LoginDialog(
            self._web_context.profile(), flow.auth_uri, flow.redirect_uri, self._dialog_parent
        )
        dialog.callback_reached.connect(lambda url: self._complete(flow, url))
        dialog.retry_requested.connect(self._retry)
        self._open(dialog)

    def _open(self, dialog: SignInDialog) -> None:
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.dialog = dialog
        dialog.show()
        self.dialog_shown.emit(dialog)

    def _retry(self) -> None:
        # A sign-in answer is good once: a new attempt needs a new flow (state, nonce, verifier).
        services = self.services
        dialog = self.dialog
        if services is None or dialog is None:
            return
        from launcher.ui.login import LoginDialog

        assert isinstance(dialog, LoginDialog)

        def restart(flow: Any) -> None:
            if self.dialog is dialog:
                dialog.restart(flow.auth_uri, flow.redirect_uri)
                dialog.callback_reached.disconnect()
                dialog.callback_reached.connect(lambda url: self._complete(flow, url))

        auth, again = services.auth, self._reauthenticate
        self.workers.submit("begin login", lambda: auth.begin_login(reauthenticate=again),
                            restart, self._failed)

    def _login_system_browser(
        self, services: Services, attempt: int, *, reauthenticate: bool = False
    ) -> None:
        """RFC 8252: the provider's page in the user's own browser, answered on a loopback port.
        ``reauthenticate`` (the lock): the provider asks again, whatever session the browser
        keeps with it."""
        from launcher.ui.login_modes import BrowserLoginDialog, Relay

        cancel = threading.Event()
        dialog = BrowserLoginDialog(self._dialog_parent)
        # The relay outlives the dialog until the worker ends: the worker may still emit on it.
        relay = Relay(self)

        def open_url(url: str) -> None:
            if not self.open_url(url):
                dialog.browser_failed()

        def url_ready(url: str) -> None:
            if not cancel.is_set():  # closed meanwhile: no browser for a dead attempt
                dialog.set_url(url)
                open_url(url)

        # The worker calls relay.url_ready.emit: queued, so the dialog is touched on this thread.
        relay.url_ready.connect(url_ready, Qt.ConnectionType.QueuedConnection)
        dialog.open_requested.connect(open_url)
        dialog.retry_requested.connect(lambda: self._start_over(dialog))
        dialog.finished.connect(lambda _result: cancel.set())
        self._open(dialog)
        self.workers.submit(
            "system-browser login",
            lambda: services.auth.login_system_browser(
                relay.url_ready.emit, cancel=cancel, reauthenticate=reauthenticate
            ),
            _after(relay.deleteLater, self._current(attempt, self._succeeded)),
            _after(relay.deleteLater, self._current(attempt, self._failed)),
        )

    def _login_device(self, services: Services, attempt: int) -> None:
        """RFC 8628: a code and QR code to approve on another device while the launcher polls."""
        from launcher.ui.login_modes import DeviceLoginDialog, Relay

        cancel = threading.Event()
        dialog = DeviceLoginDialog(self._dialog_parent)
        relay = Relay(self)  # outlives the dialog until the worker ends, as above

        def device_ready(flow: DeviceFlow) -> None:
            if not cancel.is_set():
                dialog.set_flow(flow)

        relay.device_ready.connect(device_ready, Qt.ConnectionType.QueuedConnection)
        dialog.retry_requested.connect(lambda: self._start_over(dialog))
        dialog.finished.connect(lambda _result: cancel.set())
        self._open(dialog)
        auth = services.auth

        def work() -> UserInfo:
            flow = auth.begin_device()
            relay.device_ready.emit(flow)
            return auth.poll_device(flow, cancel)

        self.workers.submit(
            "device login",
            work,
            _after(relay.deleteLater, self._current(attempt, self._succeeded)),
            _after(relay.deleteLater, self._current(attempt, self._failed)),
        )

    def _start_over(self, dialog: SignInDialog) -> None:
        """A new attempt after an error: the old dialog goes, a new one comes with a new flow."""
        if self.dialog is dialog:
            self.dialog = None
        dialog.reject()
        self.login()

    def _dialog_closed(self, dialog: SignInDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _complete(self, flow: Any, callback_url: str) -> None:
        services = self.services
        if services is None:
            return
        if Capability.WEB_COOKIES in services.auth.capabilities and self._web_context is not None:
            from launcher.ui.cas_login import complete_with_cookies

            complete_with_cookies(
                self.workers,
                self._web_context.profile(),
                services.auth,
                flow,
                callback_url,
                self._succeeded,
                self._failed,
            )
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

    def signed_in_by_web(self, user: UserInfo) -> None:
        """The identity service's session of the web pages signed the launcher in."""
        self.status.emit(
            translate(
                "SessionController",
                "Signed in with the county sign-in you made on a web page.",
            )
        )
        self._succeeded(user)

    def _succeeded(self, user: UserInfo) -> None:
        if self.dialog is not None:
            self.dialog.accept()
        self.signed_in.emit(user)

    def _failed(self, exc: BaseException) -> None:
        from launcher.ui.contact import contact_line

        services = self.services
        error = sign_in_error(exc, contact_line(services.county.support if services else None))
        self.status.emit("")
        if error.reason is AuthReason.CANCELLED:  # the user closed the dialog: nothing to tell them
            return
        log.info("sign-in failed (%s): %s", error.reason, error.detail)
        if self.dialog is not None:
            self.dialog.show_error(error.text, error.detail)
        self.login_failed.emit(error.text, error.detail)

    # -- signing out --------------------------------------------------------------------------

    def logout(self) -> None:
        services = self.services
        if services is None:
            return
        self.status.emit(translate("SessionController", "Signing out…"))
        if self._web_watch is not None:
            self._web_watch.pause()  # its page must not outlive the profile about to be wiped
        def work() -> tuple[str | None, LogoutReport | None]:
            from launcher.app.session import logout_report

            end_url = services.logout()
            return end_url, logout_report(services)

        self.workers.submit(
            "logout",
            work,
            lambda done: self._end_web_session(done[0], _unrevoked_warning(done[1])),
            self._logout_failed,
        )

    def _logout_failed(self, exc: BaseException) -> None:
        log.warning("signing out did not finish: %s", sign_in_error(exc).detail)
        self._end_web_session(
            None,
            translate(
                "SessionController",
                "Signing out did not finish on this computer. Close the launcher, open it and "
                "sign out again; if it keeps happening, contact the county IT team (the details "
                "are in the log).",
            ),
        )

    def _end_web_session(self, end_url: str | None, warning: str = "") -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self.logout_started.emit()
        web = self._web_context
        if web is None or not web.has_profile():
            self._finish(warning)
            return
        if not end_url:
            web.wipe(lambda: self._finish(warning))
            return
        # The provider's end-session page, loaded in a hidden page of the shared profile, ends the
        # provider's own session there; then the whole profile (cookies, cache, web storage) goes.
        from PySide6.QtWebEngineCore import QWebEnginePage

        page = QWebEnginePage(web.profile(), self)
        finished = False

        def done(*_: object) -> None:
            nonlocal finished
            if finished:
                return
            finished = True
            page.deleteLater()
            web.wipe(lambda: self._finish(warning))

        page.loadFinished.connect(done)
        QTimer.singleShot(END_SESSION_WAIT_MS, done)
        page.load(QUrl(end_url))

    def _finish(self, warning: str) -> None:
        if self._web_watch is not None:
            self._web_watch.resume()
        self.status.emit(warning or translate("SessionController", "Signed out."))
        self.signed_out.emit(warning)

    def note_web(self, web: WebContext) -> None:
        """Tell the controller the web profile exists (pages opened before any login)."""
        self._web_context = web
        web.profile_created.connect(self._profile_created)
        from launcher.ui.web_sign_in import WebSignInWatch  # QtWebEngine is loaded by now

        self._web_watch = WebSignInWatch(self)

    def _profile_created(self, profile: Any) -> None:
        if self._web_watch is not None:
            self._web_watch.watch(profile)
        services = self.services
        if services is not None and Capability.WEB_COOKIES in services.auth.capabilities:
            from launcher.ui.cas_login import restore_cookies, watch_cookies

            watch_cookies(profile)
            restore_cookies(profile, services.auth)  # still signed in: platform pages too
