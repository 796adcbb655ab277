"""A sign-in made on a web page counts for the launcher too.

Signing in to the county identity service inside a platform's tab (its own web login sends the
page to the county login page) signs every page in, since every page shares one web profile; the
launcher itself, though, stayed 未登录 with 退出登录 greyed out. So, while nobody is signed in, the
profile's cookie store is watched for cookies of the identity service (its host, and a path the
service's pages get). When they change and have been quiet for a moment, the launcher asks the
service, in a hidden page of the same profile, for a sign-in that never shows anything
(OpenID Connect ``prompt=none``, CAS ``gateway=true``): with the service's session in the profile
it completes at once and the launcher is signed in as whoever signed in on the page; without one
the service answers "not signed in" and nothing is shown. A service that needs the person on its
page (consent, choosing an account) gets a status-bar note pointing at 登录. An OpenID Connect
provider gives such a sign-in no refresh token (it keeps ``offline_access`` only with consent): the
session lasts as long as its access token and is renewed by another silent request in the web
profile (launcher/core/auth/session.py, launcher/ui/web_tokens.py).

Cookies are only a hint: other servers of the service's host set them too (every demo server is
on 127.0.0.1), so the answer is always the service's, never the cookie's.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl
from PySide6.QtNetwork import QNetworkCookie
from PySide6.QtWebEngineCore import QWebEngineProfile

from launcher.core.auth.identity import Capability
from launcher.ui.web import LoginPage

if TYPE_CHECKING:
    from launcher.core.auth.session import UserInfo
    from launcher.ui.session import SessionController

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

SETTLE_MS = 1_000
"""Quiet time after the service's last cookie change before asking it: the page's own redirects
after its sign-in come first."""
ANSWER_MS = 15_000
"""Longest wait for the service's answer in the hidden page."""
MIN_INTERVAL = 5.0
"""Seconds between two silent sign-ins at least, whatever pages do with cookies."""
AFTERMATH_MS = 2_000
"""Cookies reported this long after an attempt ended may still be that attempt's own."""
MAX_QUIET = 20
"""Attempts without a sign-in on one profile before the watch gives up until the next profile."""
NEEDS_THE_PERSON = frozenset(
    {"consent_required", "interaction_required", "account_selection_required"}
)


class WebSignInWatch(QObject):
    """Watches the web profile of ``controller`` for the identity service's session (see the
    module's docstring); ``cancel`` and ``pause``/``resume`` around the controller's own sign-in
    and logout."""

    def __init__(self, controller: SessionController) -> None:
        super().__init__(controller)
        self.setObjectName("webSignInWatch")
        self._controller = controller
        self._profile: QWebEngineProfile | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._settled)
        self._page: LoginPage | None = None
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._generation = 0
        """Counts attempts: the answer of a cancelled one is dropped."""
        self._deadline.timeout.connect(lambda: self._ended(self._generation, "no answer in time"))
        self._busy = False
        self._again = False
        self._paused = False
        self._last = 0.0
        self._aftermath = False
        self._changed_during = False
        """Cookies changed during the attempt or its aftermath: the page's (the person signed in
        meanwhile) or the service's own answer to the attempt (some set cookies at every
        request). One more attempt tells; a second in a row would be an echo, and a loop."""
        self._echo = False
        self._failures = 0
        self.attempts = 0
        """Silent sign-ins asked for so far (tests read it)."""

    # -- the controller's side ------------------------------------------------------------------

    def watch(self, profile: QWebEngineProfile) -> None:
        """Watch ``profile`` (a new one after each logout) from now on."""
        self.cancel()
        self._profile = profile
        self._failures = 0
        self._echo = False
        profile.cookieStore().cookieAdded.connect(self._cookie)

    def cancel(self) -> None:
        """Drop an attempt under way (the person signs in by the dialog, or signs out)."""
        self._generation += 1
        self._settle.stop()
        self._deadline.stop()
        self._busy = self._again = self._aftermath = False
        self._drop_page()

    def pause(self) -> None:
        """No attempt until ``resume`` (a logout under way: its pages must go)."""
        self._paused = True
        self.cancel()

    def resume(self) -> None:
        self._paused = False

    # -- watching ---------------------------------------------------------------------------------

    def _eligible(self) -> bool:
        controller = self._controller
        services = controller.services
        return (
            not self._paused
            and self._profile is not None
            # A profile can go without a logout of the launcher's (the window closing, a wipe
            # after the service ended the session): an answer arriving later must not use it.
            and shiboken6.isValid(self._profile)
            and services is not None
            and Capability.WEB_SESSION_SIGN_IN in services.auth.capabilities
            and services.auth.user is None
            and controller.dialog is None
        )

    def _cookie(self, cookie: QNetworkCookie) -> None:
        services = self._controller.services
        if services is None or not self._eligible():
            return
        if not _for_service(cookie, services.county.idp.url):
            return
        if self._busy or self._aftermath:
            self._changed_during = True
        elif self._failures < MAX_QUIET:
            self._echo = False  # a change of the page's own
            self._settle.start(SETTLE_MS)  # restarted by each change: wait for quiet

    def _settled(self) -> None:
        if not self._eligible():
            return
        if self._busy:
            self._again = True  # asked again once this attempt ends
            return
        wait = self._last + MIN_INTERVAL - time.monotonic()
        if wait > 0:
            self._settle.start(int(wait * 1000) + 1)
            return
        services = self._controller.services
        assert services is not None
        self._busy, self._last, self._changed_during = True, time.monotonic(), False
        self._generation += 1
        self.attempts += 1
        generation = self._generation
        auth = services.auth
        self._controller.workers.submit(
            "silent sign-in",
            lambda: auth.begin_login(silent=True),
            lambda flow: self._load(generation, flow),
            lambda exc: self._ended(generation, exc),
        )

    def _load(self, generation: int, flow: Any) -> None:
        profile = self._profile
        if (
            generation != self._generation
            or profile is None
            or not shiboken6.isValid(profile)
            or not self._eligible()
        ):
            self._ended(generation, "no longer needed")
            return
        page = self._page = LoginPage(profile, flow.redirect_uri, self)
        page.callback_reached.connect(lambda url: self._answered(generation, flow, url))
        self._deadline.start(ANSWER_MS)
        page.load(QUrl(flow.auth_uri))

    def _answered(self, generation: int, flow: Any, url: str) -> None:
        if generation != self._generation:
            return
        self._deadline.stop()
        self._drop_page()
        services, profile = self._controller.services, self._profile
        if (
            services is None
            or profile is None
            or not shiboken6.isValid(profile)
            or not self._eligible()
        ):
            self._ended(generation, "no longer needed")
            return
        auth = services.auth
        # OpenID Connect: an error code (no session of the service in the profile, or it needs
        # the person); CAS: a gateway answer without a ticket.
        why = auth.no_sign_in_reason(url)
        if why:
            self._ended(generation, why)
            return

        def signed_in(user: UserInfo) -> None:
            if generation == self._generation:
                self._busy = self._again = False
                log.info("signed in with the identity service's session of the web pages")
                self._controller.signed_in_by_web(user)

        failed = lambda exc: self._ended(generation, exc)  # noqa: E731
        if Capability.WEB_COOKIES in auth.capabilities:
            from launcher.ui.cas_login import complete_with_cookies

            complete_with_cookies(
                self._controller.workers, profile, auth, flow, url, signed_in, failed
            )
            return
        self._controller.workers.submit(
            "silent sign-in", lambda: auth.complete_login(flow, url), signed_in, failed
        )

    def _ended(self, generation: int, why: object) -> None:
        """An attempt ended without a sign-in (``why``: an exception, or the service's OpenID
        Connect error code): quietly, unless the service needs the person on its page."""
        if generation != self._generation:
            return
        self._deadline.stop()
        self._drop_page()
        self._busy = False
        self._failures += 1
        self._aftermath = True
        QTimer.singleShot(AFTERMATH_MS, self, lambda: self._after(generation))
        log.info("no sign-in from the web pages' session: %s", why)
        if why in NEEDS_THE_PERSON and self._eligible():
            self._controller.status.emit(
                translate(
                    "SessionController",
                    "You signed in to the county identity service on a web page. Press Sign in "
                    "to finish signing in to the launcher.",
                )
            )

    def _after(self, generation: int) -> None:
        """The aftermath of a quiet attempt is over: try once more if cookies changed during it
        (unless this attempt was itself such a second try)."""
        if generation != self._generation:
            return
        self._aftermath = False
        again = self._again or (self._changed_during and not self._echo)
        self._echo = self._changed_during and not self._again
        self._again = False
        if again and self._failures < MAX_QUIET:
            self._settle.start(SETTLE_MS)

    def _drop_page(self) -> None:
        page, self._page = self._page, None
        if page is not None:
            # Deleted later, never stopped here: this may run inside the page's own navigation
            # callback (acceptNavigationRequest), where Chromium must not be re-entered.
            page.deleteLater()


def _for_service(cookie: QNetworkCookie, service_url: str) -> bool:
    """True when a browser would send ``cookie`` to the service's pages (host and path)."""
    parts = urlsplit(service_url)
    host = (parts.hostname or "").lower()
    domain = cookie.domain().lower()
    if not host or not domain:
        return False
    if domain.startswith("."):
        if not (host == domain[1:] or host.endswith(domain)):
            return False
    elif host != domain:
        return False
    cookie_path = cookie.path() or "/"
    service_path = (parts.path.rstrip("/") or "") + "/"
    return cookie_path == "/" or service_path.startswith(cookie_path.rstrip("/") + "/")
