"""Signing session-bound platforms' web apps in without a prompt, and reading their sessions.

A session-bound platform (``[auth.session]`` in its manifest, launcher/core/auth/web_session.py)
has an API that trusts only its own web session. When the inbox needs that session (the first
refresh after the county sign-in, or after the platform refused the one kept), this module loads
the platform's start page in a hidden page of the shared web profile: the platform sends it to the
county identity service, whose session in the profile completes the sign-in by itself, and the
web app lands signed in. Then what the manifest names is read: the platform's cookies from the
profile's cookie store (only cookies a browser would send to the platform's own origins), and a
token the web app keeps in localStorage or sessionStorage, by a script run in the launcher's
isolated world (it reads storage; the page's own scripts cannot see or replace it), or receives
in a response header, noted as the web app's scripts fetch (launcher/ui/hidden_page.py).

A platform that stops the hidden page anywhere but on its own pages (the identity service wants
the person, its own error page) or holds no token is signed out: its tile says so, and nothing is
shown or asked. The page is never shown.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, QTimer, QUrl, Signal, SignalInstance

from launcher.core.auth.web_session import (
    SessionRefused,
    WebSession,
    header_origins,
    header_token,
    platform_cookies,
    session_from,
    session_spec,
    start_url,
)

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.registry import Platform
    from launcher.ui.hidden_page import HiddenPage, ProfileCookies
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)

ANSWER_MS = 20_000
"""Longest a hidden page may take to land signed in on the platform's pages."""
TOKEN_WAIT_MS = 3_000
"""After the platform's page loaded: how long its script and cookies get to appear."""
POLL_MS = 250
"""How often the web app's storage and the cookie store are looked at meanwhile."""


@dataclass
class _Request:
    """One renewal asked for by a worker thread, answered on the GUI thread."""

    platform: Platform
    done: threading.Event = field(default_factory=threading.Event)
    session: WebSession | None = None
    problem: str = ""


class PlatformSessions(QObject):
    """The window's side of session-bound platforms: the hidden pages that sign them in.

    Once the county is open it becomes the ``renew`` of the services' web sessions, which the
    inbox calls from its own threads; each call is carried out here, on the GUI thread, and its
    caller waits for the answer.
    """

    _asked = Signal(object)
    """A _Request from a worker thread (queued to the GUI thread)."""

    def __init__(self, context: WindowContext, services_ready: SignalInstance, *,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("platformSessions")
        self._context = context
        self._asked.connect(self._start, Qt.ConnectionType.QueuedConnection)
        self._under_way: dict[str, list[_Request]] = {}
        self._pages: dict[str, HiddenPage] = {}
        self._generation = 0
        self.harvests = 0
        """Hidden pages loaded so far (tests read it)."""
        services_ready.connect(self._attach)
        if context.services is not None:
            self._attach(context.services)

    def _attach(self, services: Services) -> None:
        services.web_sessions.renew = self.renew

    # -- a worker thread's side ----------------------------------------------------------------

    def renew(self, platform: Platform) -> WebSession:
        """Sign the platform's web app in and read its session; blocks until then (never call it
        on the GUI thread). Raises SessionRefused when the web app did not sign in."""
        if QThread.currentThread() is self.thread():
            raise SessionRefused("a web session is never waited for on the GUI thread")
        request = _Request(platform)
        self._asked.emit(request)
        if not request.done.wait((ANSWER_MS + TOKEN_WAIT_MS) / 1000 + 5):
            raise SessionRefused(f"{platform.id}: the window did not answer in time")
        if request.session is None:
            raise SessionRefused(request.problem or f"{platform.id}: no session")
        return request.session

    # -- the GUI thread's side -----------------------------------------------------------------

    def cancel(self) -> None:
        """Drop every hidden page under way (a sign-out): their callers are told no."""
        self._generation += 1
        for platform_id in list(self._under_way):
            self._finish(platform_id, None, "signed out meanwhile")

    def _start(self, request: _Request) -> None:
        platform = request.platform
        waiting = self._under_way.get(platform.id)
        if waiting is not None:  # one hidden page per platform at a time: it answers them all
            waiting.append(request)
            return
        services = self._context.services
        spec = session_spec(platform)
        if services is None or services.auth.user is None or spec is None:
            _answer(request, None, f"{platform.id}: nobody is signed in")
            return
        self._under_way[platform.id] = [request]
        # QtWebEngine is loaded with the first page, never at start-up (docs/ui.md).
        from launcher.ui.hidden_page import HiddenPage, ProfileCookies

        profile = self._context.web().profile()
        cookies = ProfileCookies.of(profile)
        page = self._pages[platform.id] = HiddenPage(profile, self)
        if spec.token is not None and spec.token.kind == "header":
            page.note_header(spec.token.name, header_origins(platform))
        generation = self._generation
        deadline = QTimer(page)
        deadline.setSingleShot(True)
        deadline.timeout.connect(lambda: self._finish(
            platform.id, None, f"{platform.id}: the web app did not sign in within "
            f"{ANSWER_MS // 1000} s"))
        page.loadFinished.connect(
            lambda ok: self._loaded(generation, platform, page, cookies, ok))
        deadline.start(ANSWER_MS)
        self.harvests += 1
        log.info("signing the web app of %s in (hidden page)", platform.id)
        page.load(QUrl(start_url(platform)))

    def _loaded(self, generation: int, platform: Platform, page: HiddenPage,
                cookies: ProfileCookies, ok: bool) -> None:
        if generation != self._generation or self._pages.get(platform.id) is not page:
            return
        url = page.url().toString()
        if not platform.owns(url):
            # The county sign-in stopped on a page of its own (it wants the person) or elsewhere,
            # unless that page moves on by itself (a form that posts itself, a script).
            loads = page.loads
            where = url.split("?", 1)[0][:200]

            def stopped() -> None:
                if self._pages.get(platform.id) is page and page.loads == loads:
                    self._finish(platform.id, None, f"{platform.id}: the sign-in stopped at "
                                 f"{where} instead of the platform's pages")

            QTimer.singleShot(TOKEN_WAIT_MS, page, stopped)
            return
        if page.polling:
            return
        page.polling = True
        waited = 0

        def look() -> None:
            if generation != self._generation or self._pages.get(platform.id) is not page:
                return
            self._read_token(page, platform, lambda token: settle(token))

        def settle(token: str | None) -> None:
            nonlocal waited
            if generation != self._generation or self._pages.get(platform.id) is not page:
                return
            try:
                session = session_from(platform, platform_cookies(platform, cookies.seen()), token)
            except SessionRefused as exc:
                waited += POLL_MS
                if waited >= TOKEN_WAIT_MS:
                    self._finish(platform.id, None, str(exc))
                else:
                    QTimer.singleShot(POLL_MS, page, look)
                return
            self._finish(platform.id, session, "")

        # Cookies arrive from the cookie store a moment after the page: look after a first wait.
        QTimer.singleShot(POLL_MS, page, look)

    def _read_token(self, page: HiddenPage, platform: Platform, then: Any) -> None:
        """The web app's stored token (local/session storage) or the one its scripts received in
        a header, or None; a cookie token or none needs no script."""
        spec = session_spec(platform)
        token = spec.token if spec is not None else None
        if token is None or token.kind == "cookie":
            then(None)
            return
        if token.kind == "header":
            page.read_noted(lambda noted: then(header_token(platform, noted)))
            return
        storage = "localStorage" if token.kind == "local_storage" else "sessionStorage"
        script = (f"(function () {{ try {{ var v = window.{storage}.getItem("
                  f"{json.dumps(token.name)}); return typeof v === 'string' ? v : null; }} "
                  "catch (e) { return null; } })()")

        def result(value: Any) -> None:
            then(value if isinstance(value, str) else None)

        from PySide6.QtWebEngineCore import QWebEngineScript

        page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, result)

    def _finish(self, platform_id: str, session: WebSession | None, problem: str) -> None:
        page = self._pages.pop(platform_id, None)
        if page is not None and shiboken6.isValid(page):
            # Deleted later: this may run inside the page's own callbacks.
            page.deleteLater()
        if session is None:
            log.info("no web session of %s: %s", platform_id, problem)
        else:
            log.info("web session of %s read from its web app", platform_id)
        for request in self._under_way.pop(platform_id, []):
            _answer(request, session, problem)


def _answer(request: _Request, session: WebSession | None, problem: str) -> None:
    request.session, request.problem = session, problem
    request.done.set()
