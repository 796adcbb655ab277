"""三清 in the window's web profile: what the pages of a retired platform stored there goes.

The 三清 use case (launcher/app/sanqing.py) runs on a worker and calls ``WebClear.clear_web``;
the request is carried to the GUI thread, where, with the platform's tabs closed first:

- its cookies are deleted from the profile's cookie store: every cookie a browser sends to one
  of its origins (cookies know hosts, not ports: other platforms on the same host lose theirs
  too, and sign in again by themselves); a cookie of a parent domain (``.example.cn``), sent to
  other sites too, and the cookies of the county identity service's host, which are the
  person's sign-in, are kept, and the report says so;
- for each of its origins a hidden page is given an empty document *of that origin*
  (``setHtml`` with the origin as its base URL: the document's origin is the base URL's, and no
  request reaches the platform, which may be gone already), where a script in the launcher's
  isolated world clears local and session storage, deletes every IndexedDB database and Cache
  Storage cache and unregisters service workers, and answers through the page's title;
- the profile's HTTP cache is not cleared: QtWebEngine clears it only as a whole and, for an
  off-the-record profile, takes every site's cookies with it (the county sign-in's too: every
  page would ask the person to sign in again); it is in memory and ends with the profile, at
  sign-out or when the window closes, and the report says so. So do service workers, which a
  document that is not the platform's own page may not list.

Nothing blocks the GUI thread: every step is a callback or a timer, and the worker waits for the
answer. No profile yet (no page was ever opened): nothing is held, and none is made. The profile
is off the record (launcher/ui/web.py), so all of this is in memory; sign-out deletes it whole.
QtWebEngine is imported with the first clearing, never at start-up.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import QObject, Qt, QThread, QTimer, QUrl, Signal, SignalInstance

from launcher.app.sanqing import WebCleared
from launcher.core.url_scope import Scope, scope_of

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkCookie
    from PySide6.QtWebEngineCore import QWebEngineProfile

    from launcher.app.services import Services
    from launcher.ui.hidden_page import HiddenPage
    from launcher.ui.web import WebContext, WebTab
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)

PAGE_MS = 10_000
"""Longest the storage of one origin may take to clear."""
SETTLE_MS = 250
"""After asking the cookie store for every cookie: how long its answers take to arrive."""
WAIT_S = 120.0
"""Longest the worker waits for the window."""

COOKIES = "cookies"
HTTP_CACHE_KEPT = (
    "HTTP cache",
    "kept in memory until sign-out or the window closes: QtWebEngine clears the HTTP cache only "
    "together with every site's cookies (the county sign-in's too)",
)
WORKERS_KEPT = (
    "service workers",
    "not listed from outside the platform's own pages: any it registered end with the web "
    "profile, at sign-out or when the window closes",
)

# In the launcher's isolated world of a blank document of the origin: clear what the origin
# stored, then put the answer into the title (runJavaScript would not wait for the promises).
_CLEAR = """(function () {
  'use strict';
  var TOKEN = %(token)s, done = {cleared: [], failed: [], unavailable: []};
  function step(name, work) {
    return Promise.resolve().then(work).then(function () { done.cleared.push(name); },
      function (e) { done.failed.push([name, String((e && e.message) || e).slice(0, 200)]); });
  }
  function each(list, one) { return Promise.all(Array.prototype.map.call(list, one)); }
  step('local storage', function () { window.localStorage.clear(); })
  .then(function () { return step('session storage', function () {
    window.sessionStorage.clear(); }); })
  .then(function () { return step('IndexedDB', function () {
    if (!window.indexedDB || !indexedDB.databases) { return; }
    return indexedDB.databases().then(function (found) {
      return each(found, function (db) { return new Promise(function (ok, no) {
        var asked = indexedDB.deleteDatabase(db.name);
        asked.onsuccess = ok;
        asked.onerror = function () { no(asked.error); };
        asked.onblocked = function () { no(new Error('blocked by a page still open')); };
      }); });
    }); }); })
  .then(function () { return step('Cache Storage', function () {
    if (!window.caches) { return; }
    return caches.keys().then(function (keys) {
      return each(keys, function (key) { return caches.delete(key); }); }); }); })
  .then(function () {
    // A document that is not the platform's own page may not list them (InvalidStateError).
    if (!navigator.serviceWorker) { done.cleared.push('service workers'); return; }
    return navigator.serviceWorker.getRegistrations().then(function (found) {
      return each(found, function (r) { return r.unregister(); });
    }).then(function () { done.cleared.push('service workers'); },
            function () { done.unavailable.push('service workers'); }); })
  .then(function () { document.title = TOKEN + JSON.stringify(done); });
})();"""
_EMPTY = "<!DOCTYPE html><html><head><title></title></head><body></body></html>"


@dataclass
class _Request:
    """One clearing asked for by a worker thread, answered on the GUI thread."""

    platform_ids: tuple[str, ...]
    origins: tuple[str, ...]
    sign_in_hosts: frozenset[str] = frozenset()
    done: threading.Event = field(default_factory=threading.Event)
    result: WebCleared | None = None


PLATFORM, PARENT, SIGN_IN = "platform", "parent", "sign-in"


def whose_cookie(domain: str, path: str, scopes: tuple[Scope, ...],
                 sign_in_hosts: frozenset[str] = frozenset()) -> str | None:
    """Whose a cookie is (its domain as the store gives it, its path), for clearing a platform:
    ``PLATFORM`` (one of its hosts, any port, under its path: what a browser sends it), ``PARENT``
    (a parent domain's, ``.example.cn``: other sites get it too; kept), ``SIGN_IN`` (the host of
    the county's identity service, which the platform shares: the person's sign-in; kept), or
    None (another site's)."""
    host = domain.lower().lstrip(".")
    found: str | None = None
    for scope in scopes:
        own = scope.host.lower()
        if host == own:
            prefix = "".join("/" + segment for segment in scope.segments)
            if not prefix or path == prefix or path.startswith(prefix + "/"):
                return SIGN_IN if host in sign_in_hosts else PLATFORM
        elif domain.startswith(".") and own.endswith("." + host):
            found = PARENT
    return found


class _Cookies(QObject):
    """The profile's cookies as its store reports them (HttpOnly ones too), to delete by name."""

    NAME = "sanqingCookies"

    def __init__(self, profile: QWebEngineProfile) -> None:
        super().__init__(profile)
        self.setObjectName(self.NAME)
        self.cookies: dict[tuple[str, str, bytes], QNetworkCookie] = {}
        store = profile.cookieStore()
        store.cookieAdded.connect(self._added)
        store.cookieRemoved.connect(self._removed)
        store.loadAllCookies()

    @classmethod
    def of(cls, profile: QWebEngineProfile) -> _Cookies:
        found = profile.findChild(_Cookies, cls.NAME)
        return found if isinstance(found, _Cookies) else cls(profile)

    @staticmethod
    def _key(cookie: QNetworkCookie) -> tuple[str, str, bytes]:
        return cookie.domain(), cookie.path() or "/", bytes(cookie.name().data())

    def _added(self, cookie: QNetworkCookie) -> None:
        self.cookies[self._key(cookie)] = cookie

    def _removed(self, cookie: QNetworkCookie) -> None:
        self.cookies.pop(self._key(cookie), None)


class WebClear(QObject):
    """The window's ``sanqing.WebClearer``: once the county is open it is the services'
    ``web_clearer``; each ``clear_web`` from a worker is carried out here, one at a time."""

    _asked = Signal(object)
    """A _Request from a worker thread (queued to the GUI thread)."""
    finished = Signal(object)
    """The WebCleared of a request, once answered (tests wait for it)."""

    def __init__(
        self,
        context: WindowContext,
        services_ready: SignalInstance,
        *,
        tabs: Callable[[], list[WebTab]],
        close_tab: Callable[[WebTab], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("webClear")
        self._context = context
        self._tabs = tabs
        self._close_tab = close_tab
        self._asked.connect(self._queue, Qt.ConnectionType.QueuedConnection)
        self._waiting: list[_Request] = []
        self._job: _Job | None = None
        services_ready.connect(self._attach)
        if context.services is not None:
            self._attach(context.services)
        # The cookies are followed from the profile's first moment: a cookie store tells its
        # cookies only as they change, or all of them when asked (asynchronously).
        context.web_made.connect(self._web_made)
        if context.existing_web is not None:
            self._web_made(context.existing_web)

    def _attach(self, services: Services) -> None:
        services.web_clearer = self

    def _web_made(self, web: WebContext) -> None:
        web.profile_created.connect(_Cookies.of)
        if web.has_profile():
            _Cookies.of(web.profile())

    # -- a worker thread's side ----------------------------------------------------------------

    def clear_web(self, platform_ids: tuple[str, ...], origins: tuple[str, ...]) -> WebCleared:
        """Close the platforms' tabs, then clear the web profile of ``origins``; blocks until
        done (never call it on the GUI thread)."""
        if QThread.currentThread() is self.thread():
            raise RuntimeError("the web profile is never cleared while the GUI thread waits")
        services = self._context.services
        idp = urlsplit(services.county.idp.url).hostname if services is not None else None
        request = _Request(tuple(platform_ids), tuple(origins),
                           frozenset({idp.lower()}) if idp else frozenset())
        self._asked.emit(request)
        if not request.done.wait(WAIT_S) or request.result is None:
            return WebCleared(True, failed=(("web profile", "the window did not answer in "
                                             f"{WAIT_S:.0f} s"),))
        return request.result

    # -- the GUI thread's side -----------------------------------------------------------------

    def cancel(self) -> None:
        """A sign-out: the pages go now (the profile is deleted, with everything in it), and the
        callers are told."""
        waiting, self._waiting = self._waiting, []
        job, self._job = self._job, None
        for request in waiting + ([job.request] if job is not None else []):
            _answer(request, WebCleared(True, failed=(
                ("web profile", "signed out meanwhile: the web profile is deleted whole"),)))
        if job is not None:
            job.stop()

    def _queue(self, request: _Request) -> None:
        self._waiting.append(request)
        self._next()

    def _next(self) -> None:
        if self._job is not None or not self._waiting:
            return
        request = self._waiting.pop(0)
        web = self._context.existing_web
        if web is None or not web.has_profile():
            self._done(request, WebCleared(False))
            return
        tabs = self._close_tabs(request)
        self._job = _Job(request, web.profile(), tabs, lambda result: self._finished(request,
                                                                                      result))
        self._job.start()

    def _close_tabs(self, request: _Request) -> int:
        scopes = _scopes(request.origins)
        closed = 0
        for tab in self._tabs():
            url = tab.url()
            if tab.platform_id in request.platform_ids or any(s.covers(url) for s in scopes):
                self._close_tab(tab)
                closed += 1
        return closed

    def _finished(self, request: _Request, result: WebCleared) -> None:
        if self._job is None or self._job.request is not request:
            return  # cancelled meanwhile: answered already
        self._job = None
        self._done(request, result)
        self._next()

    def _done(self, request: _Request, result: WebCleared) -> None:
        log.info("web data of a retired platform cleared: %d tab(s), %d cookie(s), %s",
                 result.tabs, result.cookies, ", ".join(result.cleared) or "nothing held")
        _answer(request, result)
        self.finished.emit(result)


class _Job(QObject):
    """One request's steps on the GUI thread: cookies, then each origin's storage."""

    def __init__(self, request: _Request, profile: QWebEngineProfile, tabs: int,
                 then: Callable[[WebCleared], None]) -> None:
        super().__init__(profile)
        self.request = request
        self._profile = profile
        self._then = then
        self._tabs = tabs
        self._scopes = _scopes(request.origins)
        self._cookies = 0
        self._cleared: dict[str, int] = {}
        self._failed: dict[str, str] = {}
        self._kept: dict[str, str] = {}
        self._origins = list(dict.fromkeys(_origin(scope) for scope in self._scopes))
        self._page: HiddenPage | None = None
        self._stopped = False

    def start(self) -> None:
        _Cookies.of(self._profile)
        self._profile.cookieStore().loadAllCookies()  # any change still on its way arrives
        QTimer.singleShot(SETTLE_MS, self, self._delete_cookies)

    def stop(self) -> None:
        self._stopped = True
        self._drop_page()
        self.deleteLater()

    def _alive(self) -> bool:
        return not self._stopped and shiboken6.isValid(self._profile)

    # -- cookies -------------------------------------------------------------------------------

    def _delete_cookies(self) -> None:
        if not self._alive():
            return
        jar = _Cookies.of(self._profile)
        store = self._profile.cookieStore()
        kept = {PARENT: 0, SIGN_IN: 0}
        for cookie in list(jar.cookies.values()):
            whose = whose_cookie(cookie.domain(), cookie.path() or "/", self._scopes,
                                 self.request.sign_in_hosts)
            if whose == PLATFORM:
                store.deleteCookie(cookie)
                self._cookies += 1
            elif whose is not None:
                kept[whose] += 1
        self._cleared[COOKIES] = 1
        if kept[PARENT]:
            self._kept["cookies of a parent domain"] = (
                f"{kept[PARENT]} kept: other sites are sent them too")
        if kept[SIGN_IN]:
            self._kept["cookies of the county sign-in's host"] = (
                f"{kept[SIGN_IN]} kept: the platform shares its host with the county's identity "
                "service, whose cookies are the person's sign-in")
        self._next_origin()

    # -- storage, one origin at a time -----------------------------------------------------------

    def _next_origin(self) -> None:
        if not self._alive():
            return
        if not self._origins:
            self._finish()
            return
        origin = self._origins.pop(0)
        from PySide6.QtWebEngineCore import QWebEngineScript

        from launcher.ui.hidden_page import HiddenPage

        token = f"sanqing-{secrets.token_hex(8)}:"
        page = self._page = HiddenPage(self._profile, self)
        deadline = QTimer(page)
        deadline.setSingleShot(True)

        def loaded(ok: bool) -> None:
            if self._page is not page:
                return
            if not ok:
                answer(None, "the blank page of the origin did not load")
                return
            page.runJavaScript(_CLEAR % {"token": json.dumps(token)},
                               QWebEngineScript.ScriptWorldId.ApplicationWorld)

        def titled(title: str) -> None:
            if self._page is page and title.startswith(token):
                answer(title[len(token):], "")

        def answer(text: str | None, problem: str) -> None:
            deadline.stop()
            self._storage(text, problem)
            self._drop_page()
            QTimer.singleShot(0, self, self._next_origin)

        page.loadFinished.connect(loaded)
        page.titleChanged.connect(titled)
        deadline.timeout.connect(lambda: answer(None, f"no answer within {PAGE_MS // 1000} s"))
        deadline.start(PAGE_MS)
        page.setHtml(_EMPTY, QUrl(origin))

    def _storage(self, text: str | None, problem: str) -> None:
        parts = ("local storage", "session storage", "IndexedDB", "Cache Storage",
                 "service workers")
        if text is None:
            for part in parts:
                self._failed.setdefault(part, problem)
            return
        try:
            done: Any = json.loads(text)
        except ValueError:
            done = {}
        for part in done.get("cleared", []) if isinstance(done, dict) else []:
            if part in parts:
                self._cleared[part] = 1
        for item in done.get("failed", []) if isinstance(done, dict) else []:
            if isinstance(item, list) and len(item) == 2 and item[0] in parts:
                self._failed.setdefault(str(item[0]), str(item[1])[:200])
        if isinstance(done, dict) and WORKERS_KEPT[0] in done.get("unavailable", []):
            self._kept.setdefault(*WORKERS_KEPT)

    def _drop_page(self) -> None:
        page, self._page = self._page, None
        if page is not None and shiboken6.isValid(page):
            page.deleteLater()  # may be inside its own signal

    def _finish(self) -> None:
        if self._stopped:
            return
        self._kept.setdefault(*HTTP_CACHE_KEPT)
        cleared = tuple(part for part in self._cleared
                        if part not in self._failed and part not in self._kept)
        result = WebCleared(True, tabs=self._tabs, cookies=self._cookies, cleared=cleared,
                            failed=tuple(self._failed.items()), kept=tuple(self._kept.items()))
        self.deleteLater()
        self._then(result)


def _scopes(origins: tuple[str, ...]) -> tuple[Scope, ...]:
    found = (scope_of(origin) for origin in origins)
    return tuple(scope for scope in found if scope is not None)


def _origin(scope: Scope) -> str:
    """The origin's own address (no path), as a base URL: ``scheme://host[:port]/``."""
    return str(dataclasses.replace(scope, segments=())) + "/"


def _answer(request: _Request, result: WebCleared) -> None:
    if not request.done.is_set():
        request.result = result
        request.done.set()


