"""Signing in in the embedded view to a provider whose session is its cookies (CAS).

Reached through ``Capability.WEB_COOKIES`` of the county's identity session (today the CAS
session has it): the provider's cookies are collected from the web profile when the sign-in
completes, and put back into every new web profile.

The login dialog shows the CAS login page and catches the redirect to the launcher's service URL
(``?ticket=ST-...``) like an OpenID Connect callback. The CAS session itself is the CAS server's
ticket-granting cookie in the shared web profile: platform pages opened later get their tickets
with it, and the launcher keeps a copy in the OS keyring (the CAS session) to get API tokens. The
cookie store reports every cookie, HttpOnly ones included, through ``cookieAdded``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtNetwork import QNetworkCookie
from PySide6.QtWebEngineCore import QWebEngineProfile

if TYPE_CHECKING:
    from launcher.core.auth.identity import IdentitySession
    from launcher.ui.workers import Workers

log = logging.getLogger(__name__)

SETTLE_MS = 250
"""Quiet time after the last cookie change before the cookies are read: the cookie store reports
changes asynchronously, and the ticket-granting cookie may be set by the very response that
redirects to the service URL."""
WAIT_MS = 5_000
"""Longest wait for a first cookie of the CAS server before signing in without one (refused)."""

_Key = tuple[str, str, str]  # domain, path, name


class CasCookies(QObject):
    """The cookies of one web profile, as its cookie store reports them."""

    def __init__(self, profile: QWebEngineProfile) -> None:
        super().__init__(profile)
        self.setObjectName("casCookies")
        self._cookies: dict[_Key, str] = {}
        self._waits: list[QTimer] = []
        store = profile.cookieStore()
        store.cookieAdded.connect(self._added)
        store.cookieRemoved.connect(self._removed)
        store.loadAllCookies()

    def _added(self, cookie: QNetworkCookie) -> None:
        self._cookies[_key(cookie)] = bytes(cookie.value().data()).decode("latin-1")
        self._changed()

    def _removed(self, cookie: QNetworkCookie) -> None:
        self._cookies.pop(_key(cookie), None)
        self._changed()

    def _changed(self) -> None:
        for timer in self._waits:
            timer.start(SETTLE_MS)  # restart: wait for the changes to settle

    def for_server(self, server: str) -> dict[str, str]:
        """The cookies a browser would send to the CAS server's login URL (name → value).

        Cookies ignore ports, so on one host (the demo county on 127.0.0.1) the cookies of other
        servers of that host come along; a real CAS server has a host of its own.
        """
        parts = urlsplit(server)
        host = (parts.hostname or "").lower()
        path = (parts.path.rstrip("/") or "") + "/login"
        found: dict[str, tuple[int, str]] = {}
        for (domain, cookie_path, name), value in self._cookies.items():
            if not _domain_matches(host, domain) or not _path_matches(path, cookie_path):
                continue
            # Two cookies of one name: the one with the longer path wins, as a browser sends first.
            if name not in found or len(cookie_path) > found[name][0]:
                found[name] = (len(cookie_path), value)
        return {name: value for name, (_, value) in found.items()}

    def when_settled(self, server: str, then: Callable[[dict[str, str]], None]) -> None:
        """Call ``then`` with the server's cookies once the cookie store has been quiet for a
        moment and holds a cookie of the server (or after WAIT_MS, with what there is)."""
        timer = QTimer(self)
        timer.setSingleShot(True)
        waited = 0

        def check() -> None:
            nonlocal waited
            waited += SETTLE_MS
            cookies = self.for_server(server)
            if cookies or waited >= WAIT_MS:
                self._waits.remove(timer)
                timer.deleteLater()
                then(cookies)
            else:
                timer.start(SETTLE_MS)

        timer.timeout.connect(check)
        self._waits.append(timer)
        timer.start(SETTLE_MS)


def watch_cookies(profile: QWebEngineProfile) -> CasCookies:
    """The profile's cookie watcher, started on first use (before the login page loads)."""
    found = profile.findChild(CasCookies, "casCookies")
    return found if isinstance(found, CasCookies) else CasCookies(profile)


def restore_cookies(profile: QWebEngineProfile, auth: IdentitySession) -> None:
    """Put the identity session's cookies (kept in the keyring) into a new web profile.

    The profile lives in memory only, so after a restart (or a new profile) it has no CAS cookie
    although the launcher is still signed in: without this, every platform page would show the CAS
    login form again. The original cookie attributes are not kept; the copies are host-only,
    HttpOnly and for the whole CAS host.
    """
    cookies = auth.web_cookies()
    if not cookies:
        return
    parts = urlsplit(auth.county.idp.url)  # the CAS server
    origin = QUrl(f"{parts.scheme}://{parts.netloc}/")
    store = profile.cookieStore()
    for name, value in cookies.items():
        cookie = QNetworkCookie(name.encode("latin-1"), value.encode("latin-1"))
        cookie.setPath("/")
        cookie.setHttpOnly(True)
        cookie.setSecure(parts.scheme == "https")
        store.setCookie(cookie, origin)


def complete_with_cookies(
    workers: Workers,
    profile: QWebEngineProfile,
    auth: IdentitySession,
    flow: Any,
    callback_url: str,
    succeeded: Callable[[Any], None],
    failed: Callable[[BaseException], None],
) -> None:
    """Collect the provider's cookies from ``profile``, then complete the sign-in on a worker
    (CAS: validate the ticket)."""
    cookies = watch_cookies(profile)

    def submit(jar: dict[str, str]) -> None:
        workers.submit(
            "complete login",
            lambda: auth.complete_login(flow, callback_url, jar),
            succeeded,
            failed,
        )

    cookies.when_settled(auth.county.idp.url, submit)


def _key(cookie: QNetworkCookie) -> _Key:
    name = bytes(cookie.name().data()).decode("latin-1")
    return cookie.domain().lower(), cookie.path() or "/", name


def _domain_matches(host: str, domain: str) -> bool:
    if not domain:
        return False
    if domain.startswith("."):
        return host == domain[1:] or host.endswith(domain)
    return host == domain


def _path_matches(request_path: str, cookie_path: str) -> bool:
    if cookie_path == "/" or request_path == cookie_path:
        return True
    return request_path.startswith(cookie_path.rstrip("/") + "/")
