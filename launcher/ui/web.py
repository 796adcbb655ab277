"""Embedded web pages: the shared web profile, the request guard, browser tabs, the login page.

This module imports QtWebEngine's classes; the main window imports it only when the first page is
opened, so start-up (and the screenshot run) never starts Chromium.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineNewWindowRequest,
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineScript,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from launcher.ui.address_bar import AddressBar, PageOwners
from launcher.ui.page_nav import PageNav

if TYPE_CHECKING:
    from launcher.app.fill import FillContext

log = logging.getLogger(__name__)

STORAGE_NAME = "yiduantong"
_GUARDED_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})


def is_loopback(url: str) -> bool:
    """True for URLs on this machine: 127.0.0.0/8, ::1 or localhost."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackOnly(QWebEngineUrlRequestInterceptor):
    """Blocks every network request that leaves the machine.

    Used for the demo county: its pages are all on 127.0.0.1, and the machines it runs on in tests
    have no internet, where a stray request (a web font, say) would only hang the page.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() in _GUARDED_SCHEMES and not is_loopback(url.toString()):
            self.blocked.append(url.toString())
            log.info("blocked a request off this machine: %s", url.toString())
            info.block(True)


class WebContext(QObject):
    """Owns the one web profile every page shares, created on first use and replaced at logout.

    Sharing the profile is what makes single sign-on work: the identity provider's session cookie
    set on the login page is sent again when a platform page asks the provider to sign its user in.

    The profile is off the record: cookies, the HTTP cache, localStorage, sessionStorage, IndexedDB,
    Cache Storage and service workers live in memory only, so nothing a page stores (platform pages
    often keep tokens in localStorage) ever reaches the disk. QtWebEngine cannot clear web storage of
    a live profile, so logout ends all of it by deleting the profile once its pages are closed
    (``wipe``); the next page gets a new, empty one.
    """

    profile_created = Signal(object)
    """A new QWebEngineProfile (first use, or the first use after a wipe): attach hooks to it here."""

    def __init__(self, *, loopback_only: bool, parent: QObject | None = None):
        super().__init__(parent)
        self._loopback_only = loopback_only
        self._profile: QWebEngineProfile | None = None
        self.interceptor: LoopbackOnly | None = None

    def profile(self) -> QWebEngineProfile:
        if self._profile is None:
            self._profile = self._create_profile()
            self.profile_created.emit(self._profile)
        return self._profile

    def has_profile(self) -> bool:
        return self._profile is not None

    def _create_profile(self) -> QWebEngineProfile:
        # A profile without a storage name is off the record (Qt 6): no storage path at all.
        profile = QWebEngineProfile(self)
        if not profile.isOffTheRecord():  # never expected; refuse rather than write to disk
            raise RuntimeError("QtWebEngine made a profile that keeps data on disk")
        if self._loopback_only:
            self.interceptor = LoopbackOnly(profile)
            profile.setUrlRequestInterceptor(self.interceptor)
        return profile

    def wipe(self, done: Callable[[], None]) -> None:
        """End everything the web pages stored (after a logout), then call ``done`` once.

        Every page on the profile must already be closed (its deletion may still be pending).
        Cookies go at once; the profile itself, with its cache and every kind of web storage, is
        deleted after the pending page deletions, and the next ``profile()`` starts a new one.
        """
        profile = self._profile
        if profile is None:
            done()
            return
        self._profile = None
        self.interceptor = None
        profile.cookieStore().deleteAllCookies()

        def delete() -> None:
            # Posted after the pages' own deferred deletions, so it runs after them.
            profile.setUrlRequestInterceptor(None)  # type: ignore[arg-type]
            profile.deleteLater()
            done()

        QTimer.singleShot(0, delete)

    def release(self) -> None:
        """Delete the profile; every page on it must already be gone."""
        if self._profile is not None:
            self._profile.setUrlRequestInterceptor(None)  # type: ignore[arg-type]
            self._profile.deleteLater()
            self._profile = None


POPUPS_PER_MINUTE = 3
"""Windows one page may open within a minute, each one after a click or key press."""
OPEN_POPUPS = 5
"""Windows one page may have open at once."""
NO_GESTURE = "no-gesture"
TOO_MANY = "too-many"


class QuietPage(QWebEnginePage):
    """A page whose console messages go to the launcher's debug log, not to Qt's: what a page's
    scripts print is outside text (bounded here), and in Qt's log it would read as the launcher's
    own warnings (a county page's missing jQuery, say)."""

    def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:
        log.debug("js %s:%d: %.500s", source[:200], line, message)


class BrowserPage(QuietPage):
    """A page of a web tab. A window it opens (target=_blank, window.open) becomes a new tab only
    when the person asked for it, with a click or a key press, and within a small budget.

    Chromium tells whether a new window follows a user gesture (``isUserInitiated``), and a
    gesture opens one window only (window.open consumes it). Windows a page opens by itself are
    refused, and so are windows beyond ``POPUPS_PER_MINUTE`` or ``OPEN_POPUPS``: one page once
    opened 120 tabs. Each refusal is told (``popup_refused``), never silent. JavaScript may still
    open windows as far as Chromium is concerned (``JavascriptCanOpenWindows`` stays on): with it
    off, Chromium would refuse the same windows without a word to the launcher.
    """

    new_window = Signal(object)
    """The BrowserPage of a window the person opened from this page; a tab must take it (become
    its parent) while the signal is delivered, or the window is not opened."""
    popup_refused = Signal(str, int)
    """A window the page tried to open was refused: NO_GESTURE or TOO_MANY, and how many this
    page has had refused so far."""
    unload_refused = Signal()
    """During ``check_unload``: the page's beforeunload handler asked to stay (it holds work the
    person has not saved); the page stays as it is."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.checking_unload = False
        """True from ``check_unload`` until the page has answered it."""
        self.refused = 0
        self._opened: list[BrowserPage] = []
        self._times: deque[float] = deque()
        # Direct: the request is only valid while the signal is delivered.
        self.newWindowRequested.connect(self._new_window)

    def _new_window(self, request: QWebEngineNewWindowRequest) -> None:
        why = self._refusal(request.isUserInitiated())
        if why:
            self.refused += 1
            log.info("refused a window (%s) of %s", why, self.url().toString())
            self.popup_refused.emit(why, self.refused)
            return
        page = BrowserPage(self.profile())
        self.new_window.emit(page)
        if page.parent() is None:  # no tab took it
            shiboken6.delete(page)
            return
        self._times.append(time.monotonic())
        self._opened.append(page)
        request.openIn(page)

    def _refusal(self, gesture: bool) -> str:
        if not gesture:
            return NO_GESTURE
        now = time.monotonic()
        while self._times and now - self._times[0] >= 60:
            self._times.popleft()
        self._opened = [page for page in self._opened if shiboken6.isValid(page)]
        if len(self._times) >= POPUPS_PER_MINUTE or len(self._opened) >= OPEN_POPUPS:
            return TOO_MANY
        return ""

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        # Every window goes through newWindowRequested; one it did not take is not opened.
        return None  # type: ignore[return-value]

    def check_unload(self) -> None:
        """Run the page's beforeunload handlers as closing its window would, closing nothing:
        Chromium then asks to confirm leaving (``unload_refused``; refused here, the page stays)
        or agrees (``windowCloseRequested``, which no tab takes for a close meanwhile). Chromium
        asks only for a page the person used (typed or clicked in), as a browser does.
        The caller (launcher/ui/unsaved.py) sets ``checking_unload`` back to False."""
        self.checking_unload = True
        self.triggerAction(QWebEnginePage.WebAction.RequestClose)

    def javaScriptConfirm(self, origin: QUrl | str, message: str) -> bool:
        # QtWebEngine's own words for the leave-page question, in the language it asks in
        # (through an alias: lupdate must not copy Qt's string into the launcher's .ts).
        qt_words = QCoreApplication.translate
        leave = qt_words(
            "QWebEnginePage",
            "Are you sure you want to leave this page? Changes that you made may not be saved.",
        )
        if self.checking_unload and message == leave:
            self.unload_refused.emit()
            return False
        return bool(super().javaScriptConfirm(origin, message))


class WebTab(QWidget):
    """One web page in the main window's tabs, under a bar that shows the page's origin and whose
    page it is (``address``)."""

    title_changed = Signal(str)
    """The page's title, or its URL while it has none."""
    url_changed = Signal(str)
    """The page's new URL."""
    load_finished = Signal(bool)
    """True when the page loaded."""
    close_requested = Signal()
    """A page opened by a script closed its window (window.close())."""

    def __init__(
        self,
        page: BrowserPage,
        parent: QWidget | None = None,
        *,
        key: str = "",
        platform_id: str = "",
        opened_by_person: bool = False,
        owners: PageOwners | None = None,
        fill_context: FillContext | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        """What opened the tab (a plugin id for tiles), so a second click switches to it."""
        self.platform_id = platform_id
        """The plugin id of the platform the tab was opened for, from a tile or a task ('' for
        none: a window a page opened has no platform it can prove; its pages are matched by
        their address like any page)."""
        self.opened_by_person = opened_by_person
        """True only for tabs the person opened from a tile or a task; False for every window a
        page script opened (the password vault fills only the former)."""
        self.owners = owners
        self.fill_context = fill_context
        """What the tab's form is for (a task, its record and subject: 填表 fills their values
        too), None for a tab opened from a tile or by a page."""
        self.opened_url = ""
        """The address the tab was opened at ('' for a window a page opened)."""
        self.shown_title = ""
        """The title its tab shows (after its platform's name)."""
        self.note = ""
        """What its tab says of its page besides the title ('' or, say, that it is asleep)."""
        self.address = AddressBar(self)
        # Back, forward, reload at the bar's start; made before the page: Tab reaches them first.
        self.nav = PageNav(self.address)
        self.view = QWebEngineView(self)
        page.setParent(self.view)
        self.view.setPage(page)
        self.view.setAccessibleName(self.tr("Web page"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.address)
        layout.addWidget(self.view, 1)
        self.nav.follow(page)
        page.titleChanged.connect(self._title)
        page.urlChanged.connect(self._url)
        page.loadFinished.connect(self.load_finished.emit)
        page.windowCloseRequested.connect(self._close_requested)

    @property
    def page(self) -> BrowserPage:
        page = self.view.page()
        assert isinstance(page, BrowserPage)
        return page

    def url(self) -> str:
        return self.view.url().toString()

    def load(self, url: str) -> None:
        self.view.load(QUrl(url))

    def run_js(
        self, script: str, callback: Callable[[Any], None], *, isolated: bool = False
    ) -> None:
        """Run ``script`` in the page's main frame: in the page's own JavaScript world, or in the
        launcher's isolated world (same DOM, but the page's scripts cannot see or replace ours)."""
        world = (
            QWebEngineScript.ScriptWorldId.ApplicationWorld
            if isolated
            else QWebEngineScript.ScriptWorldId.MainWorld
        )
        self.page.runJavaScript(script, world, callback)

    def _title(self, title: str) -> None:
        url = self.url()
        self.title_changed.emit(title if title and title not in url else url)

    def _url(self, url: QUrl) -> None:
        text = url.toString()
        if self.owners is not None:
            # The encoded form: the host as Chromium resolves it (IDNA), never a look-alike
            # Unicode spelling.
            encoded = bytes(url.toEncoded().data()).decode("ascii", "replace")
            self.address.show_place(self.owners.place(encoded, self.platform_id))
        self.url_changed.emit(text)

    def _close_requested(self) -> None:
        # Chromium lets a script close the windows scripts opened; a tab the person opened
        # stays (a page whose history is one entry long could close it too).
        if not self.opened_by_person and not self.page.checking_unload:
            self.close_requested.emit()

    def close_page(self) -> None:
        """Stop the page and delete it now, so the shared profile can be released or wiped.

        Now, not with deleteLater: a deferred deletion may run after the profile's (deleting a
        profile under a live page crashes Chromium). Never call this from the page's own signals.
        """
        self.view.stop()
        page = self.view.page()
        self.view.setPage(QuietPage(self.view))  # detach before deletion
        shiboken6.delete(page)


def same_endpoint(url: str, redirect_uri: str) -> bool:
    """True when ``url`` goes to ``redirect_uri`` (any port when the redirect URI names none)."""
    a, b = urlsplit(url), urlsplit(redirect_uri)
    if (a.scheme, (a.hostname or "").lower(), a.path or "/") != (
        b.scheme,
        (b.hostname or "").lower(),
        b.path or "/",
    ):
        return False
    # RFC 8252 section 7.3: a loopback redirect URI may come back on any port.
    return b.port is None or a.port == b.port


class LoginPage(QuietPage):
    """The provider's sign-in page; it catches the redirect back to the launcher, never loads it."""

    callback_reached = Signal(str)
    """The full callback URL (with code, state and iss) the provider redirected to."""

    def __init__(
        self, profile: QWebEngineProfile, redirect_uri: str, parent: QObject | None = None
    ) -> None:
        super().__init__(profile, parent)
        self.redirect_uri = redirect_uri
        self.caught = False

    def acceptNavigationRequest(
        self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        text = url.toString() if isinstance(url, QUrl) else str(url)
        if is_main_frame and same_endpoint(text, self.redirect_uri):
            if not self.caught:
                self.caught = True
                self.callback_reached.emit(text)
            return False
        return super().acceptNavigationRequest(url, nav_type, is_main_frame)

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        # The sign-in page has no business opening windows; Qt accepts None here (no window).
        return None  # type: ignore[return-value]


def parse_js_json(value: Any) -> dict[str, Any]:
    """Decode what a script returned with JSON.stringify (runJavaScript gives '' for objects)."""
    if isinstance(value, dict):
        return value
    if not isinstance(value, str) or not value:
        return {}
    try:
        decoded = json.loads(value)
    except ValueError:
        return {}
    return decoded if isinstance(decoded, dict) else {}
