"""Silent authorization requests in the shared web profile, for the core's token grants.

With ``[idp] tokens = "web"`` each platform's token comes from an authorization request of its own
(``prompt=none``, the platform's scopes and resource); a sign-in made on a web page, which brings no
refresh token, is renewed the same way (launcher/core/auth/session.py). Such a request needs the
identity provider's session cookie, which lives in the window's web profile (the embedded sign-in
or the person's own sign-in on a page put it there). This module is the window's side: the core
calls ``WebTokens.authorize`` from a worker thread; the request is carried to the GUI thread, where
a hidden page of the shared profile loads the authorization address and catches the provider's
redirect back to the launcher (with a code or an error, e.g. ``login_required``), and the caller
gets that address. The page is never shown, and never asks anything.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QThread, QTimer, QUrl, Signal, SignalInstance

from launcher.core.auth.session import AuthSession
from launcher.core.errors import AuthError
from launcher.core.states import AuthReason

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.auth.oidc import LoginFlow
    from launcher.ui.web import LoginPage
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)

ANSWER_MS = 15_000
"""Longest a hidden page may take to reach the provider's answer."""
MAX_PAGES = 4
"""Hidden pages loading at once; further requests wait their turn (30 platforms at sign-in)."""


@dataclass
class _Request:
    """One silent request asked for by a worker thread, answered on the GUI thread."""

    flow: LoginFlow
    done: threading.Event = field(default_factory=threading.Event)
    answer: str = ""
    problem: AuthError | None = None


class WebTokens(QObject):
    """The window's hidden pages for silent authorization requests: once the county is open,
    ``authorize`` is the OpenID Connect session's ``web_authorize``."""

    _asked = Signal(object)
    """A _Request from a worker thread (queued to the GUI thread)."""

    def __init__(self, context: WindowContext, services_ready: SignalInstance, *,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("webTokens")
        self._context = context
        self._asked.connect(self._queue, Qt.ConnectionType.QueuedConnection)
        self._waiting: list[_Request] = []
        self._pages: dict[int, tuple[_Request, LoginPage]] = {}
        self.requests = 0
        """Hidden pages loaded so far (tests read it)."""
        services_ready.connect(self._attach)
        if context.services is not None:
            self._attach(context.services)

    def _attach(self, services: Services) -> None:
        if isinstance(services.auth, AuthSession):
            services.auth.web_authorize = self.authorize

    # -- a worker thread's side ----------------------------------------------------------------

    def authorize(self, flow: LoginFlow) -> str:
        """Load ``flow``'s authorization address in a hidden page of the web profile and return
        the address the provider sent it back to; blocks (never call it on the GUI thread)."""
        if QThread.currentThread() is self.thread():
            raise AuthError("a silent request is never waited for on the GUI thread",
                            AuthReason.CANCELLED)
        request = _Request(flow)
        self._asked.emit(request)
        # Its turn may come after every other page's (MAX_PAGES at a time, ANSWER_MS each).
        if not request.done.wait(600):
            raise AuthError("the window did not answer the silent request", AuthReason.TIMEOUT)
        if request.problem is not None:
            raise request.problem
        return request.answer

    # -- the GUI thread's side -----------------------------------------------------------------

    def cancel(self) -> None:
        """Drop every request, waiting or loading (a sign-out): their callers are told no."""
        problem = AuthError("signed out meanwhile", AuthReason.SIGNED_OUT)
        waiting, self._waiting = self._waiting, []
        for request in waiting:
            _answer(request, "", problem)
        for key in list(self._pages):
            self._finish(key, "", problem)

    def _queue(self, request: _Request) -> None:
        self._waiting.append(request)
        self._next()

    def _next(self) -> None:
        while self._waiting and len(self._pages) < MAX_PAGES:
            self._start(self._waiting.pop(0))

    def _start(self, request: _Request) -> None:
        if self._context.services is None:
            _answer(request, "", AuthError("the county is not open", AuthReason.SIGNED_OUT))
            return
        # QtWebEngine is loaded with the first page, never at start-up (docs/ui.md).
        from launcher.ui.web import LoginPage

        page = LoginPage(self._context.web().profile(), request.flow.redirect_uri, self)
        key = id(page)
        self._pages[key] = (request, page)
        page.callback_reached.connect(lambda url: self._finish(key, url, None))
        deadline = QTimer(page)
        deadline.setSingleShot(True)
        deadline.timeout.connect(lambda: self._finish(key, "", AuthError(
            f"the identity service did not answer a silent request within {ANSWER_MS // 1000} s",
            AuthReason.TIMEOUT)))
        deadline.start(ANSWER_MS)
        self.requests += 1
        log.info("silent authorization request in the web profile (hidden page)")
        page.load(QUrl(request.flow.auth_uri))

    def _finish(self, key: int, url: str, problem: AuthError | None) -> None:
        found = self._pages.pop(key, None)
        if found is None:
            return
        request, page = found
        # Deleted later, never stopped here: this may run inside the page's own navigation
        # callback (acceptNavigationRequest), where Chromium must not be re-entered.
        page.deleteLater()
        _answer(request, url, problem)
        self._next()


def _answer(request: _Request, url: str, problem: AuthError | None) -> None:
    request.answer, request.problem = url, problem
    request.done.set()
