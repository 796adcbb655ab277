"""The hidden page that signs a session-bound platform's web app in, and the copy of the web
profile's cookies it reads (launcher/ui/platform_sessions.py). Imported with the first such page:
QtWebEngine is never loaded at start-up.

A token the web app receives in a response header (``[auth.session] token = { header = … }``)
is seen by no cookie store or storage: the web engine shows the launcher no response headers. So
this page, and no other, gets a script in the page's main world before the web app's own scripts
run, wrapping ``fetch`` and ``XMLHttpRequest``: of each answer from the platform's origins it notes
the named header. The note goes by a DOM event whose name is random per page to a second script in
the launcher's isolated world, which keeps the latest few; the launcher reads them there. Nothing
is ever run in the main world afterwards: the page's scripts may by then have replaced any
function a reading script would call there, while the isolated world's globals are out of their
reach. What is read is bounded plain text, and core decides which answers are the platform's
(web_session.header_token).
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtNetwork import QNetworkCookie
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineScript

from launcher.core.auth.web_session import MAX_NOTED, MAX_VALUE_CHARS, SeenCookie
from launcher.ui.web import QuietPage

log = logging.getLogger(__name__)

MAX_URL_CHARS = 4096
"""The longest answer URL noted with a header token."""

# In the page's main world, before its scripts: every function used later is taken now, so that
# the page's scripts cannot change what these wrappers do (they may still call them, or not).
_NOTE_HEADER = """(function () {
  'use strict';
  var NAME = %(name)s, ORIGINS = %(origins)s, EVENT = %(event)s;
  var MAX = %(max)d, MAX_URL = %(max_url)d;
  var apply = Reflect.apply, URL_ = URL, Event_ = CustomEvent, doc = document;
  var dispatch = EventTarget.prototype.dispatchEvent;
  var listen = EventTarget.prototype.addEventListener;
  var then = Promise.prototype.then, fetch_ = window.fetch;
  var get = Headers.prototype.get;
  var answerUrl = Object.getOwnPropertyDescriptor(Response.prototype, 'url').get;
  var answerHeaders = Object.getOwnPropertyDescriptor(Response.prototype, 'headers').get;
  var send_ = XMLHttpRequest.prototype.send;
  var xhrHeader = XMLHttpRequest.prototype.getResponseHeader;
  var xhrUrl = Object.getOwnPropertyDescriptor(XMLHttpRequest.prototype, 'responseURL').get;
  function ours(url) {
    var u = new URL_(url);
    var port = u.port || (u.protocol === 'https:' ? '443' : '80');
    var origin = u.protocol + '//' + u.hostname + ':' + port;
    for (var i = 0; i < ORIGINS.length; i++) { if (ORIGINS[i] === origin) { return true; } }
    return false;
  }
  function note(url, value) {
    if (typeof url !== 'string' || typeof value !== 'string' || !value
        || value.length > MAX || url.length > MAX_URL || !ours(url)) { return; }
    apply(dispatch, doc, [new Event_(EVENT, { detail: url + '\\n' + value })]);
  }
  if (typeof fetch_ === 'function') {
    window.fetch = function fetch() {
      var answer = apply(fetch_, window, arguments);
      apply(then, answer, [function (response) {
        try { note(apply(answerUrl, response, []),
                   apply(get, apply(answerHeaders, response, []), [NAME])); } catch (e) {}
      }, function () {}]);
      return answer;
    };
  }
  XMLHttpRequest.prototype.send = function send() {
    var request = this;
    apply(listen, request, ['load', function () {
      try { note(apply(xhrUrl, request, []), apply(xhrHeader, request, [NAME])); } catch (e) {}
    }]);
    return apply(send_, request, arguments);
  };
})();"""

# In the launcher's isolated world: keeps the latest notes for the launcher to read.
_KEEP_NOTES = """(function () {
  'use strict';
  var noted = [];
  document.addEventListener(%(event)s, function (event) {
    var detail = event.detail;
    if (typeof detail !== 'string' || detail.length > %(max)d) { return; }
    var cut = detail.indexOf('\\n');
    if (cut < 0) { return; }
    noted.push([detail.slice(0, cut), detail.slice(cut + 1)]);
    if (noted.length > %(keep)d) { noted.shift(); }
  });
  window[%(reader)s] = function () { return JSON.stringify(noted); };
})();"""


class ProfileCookies(QObject):
    """A copy of the web profile's cookies, as its cookie store reports them (HttpOnly ones too)."""

    def __init__(self, profile: QWebEngineProfile) -> None:
        super().__init__(profile)
        self.setObjectName("platformSessionCookies")
        self._cookies: dict[tuple[str, str, str], SeenCookie] = {}
        store = profile.cookieStore()
        store.cookieAdded.connect(self._added)
        store.cookieRemoved.connect(self._removed)
        store.loadAllCookies()

    @staticmethod
    def of(profile: QWebEngineProfile) -> ProfileCookies:
        found = profile.findChild(ProfileCookies, "platformSessionCookies")
        return found if isinstance(found, ProfileCookies) else ProfileCookies(profile)

    def seen(self) -> list[SeenCookie]:
        return list(self._cookies.values())

    def _added(self, cookie: QNetworkCookie) -> None:
        seen = _seen(cookie)
        self._cookies[(seen.domain, seen.path, seen.name)] = seen

    def _removed(self, cookie: QNetworkCookie) -> None:
        seen = _seen(cookie)
        self._cookies.pop((seen.domain, seen.path, seen.name), None)


class HiddenPage(QuietPage):
    """A page nobody sees: it opens no window and answers no dialog."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        self.loads = 0
        """Navigations started so far."""
        self.polling = False
        """The platform's page loaded and its session is being looked for."""
        self._reader = ""
        self.loadStarted.connect(self._started)

    def _started(self) -> None:
        self.loads += 1

    def note_header(self, name: str, origins: tuple[str, ...]) -> None:
        """From the next load on, note the response header ``name`` of the answers from
        ``origins`` (``scheme://host:port``) that the page's scripts fetch (fetch,
        XMLHttpRequest), in this page's main frame only; read them with ``read_noted``."""
        event = f"launcher-noted-{secrets.token_hex(12)}"
        self._reader = f"launcherNoted{secrets.token_hex(12)}"
        main = _document_script("launcher-note-header", QWebEngineScript.ScriptWorldId.MainWorld,
                                _NOTE_HEADER % {
                                    "name": json.dumps(name), "origins": json.dumps(origins),
                                    "event": json.dumps(event), "max": MAX_VALUE_CHARS,
                                    "max_url": MAX_URL_CHARS})
        keep = _document_script("launcher-keep-notes",
                                QWebEngineScript.ScriptWorldId.ApplicationWorld,
                                _KEEP_NOTES % {
                                    "event": json.dumps(event),
                                    "max": MAX_VALUE_CHARS + MAX_URL_CHARS + 1,
                                    "keep": MAX_NOTED, "reader": json.dumps(self._reader)})
        # The keeper first: it listens before the page can fetch anything.
        self.scripts().insert(keep)
        self.scripts().insert(main)

    def read_noted(self, then: Callable[[list[tuple[str, str]]], None]) -> None:
        """The answers noted in the current document, oldest first, as ``(URL, header value)``;
        ``then`` gets an empty list when nothing was noted or ``note_header`` was not called."""
        if not self._reader:
            then([])
            return
        # Text, parsed here: the web engine hands nested arrays over as nothing.
        script = (f"(function () {{ var read = window[{json.dumps(self._reader)}]; "
                  "return typeof read === 'function' ? read() : '[]'; })()")
        self.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld,
                           lambda value: then(_notes(value)))

    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> QWebEnginePage:
        return None  # type: ignore[return-value]

    def javaScriptAlert(self, origin: QUrl | str, message: str) -> None:
        log.debug("hidden page alert ignored: %.200s", message)

    def javaScriptConfirm(self, origin: QUrl | str, message: str) -> bool:
        return False

    def javaScriptPrompt(self, origin: QUrl | str, message: str,
                         default: str) -> tuple[bool, str]:
        return False, ""


def _seen(cookie: QNetworkCookie) -> SeenCookie:
    return SeenCookie(
        domain=cookie.domain(),
        path=cookie.path() or "/",
        name=bytes(cookie.name().data()).decode("latin-1"),
        value=bytes(cookie.value().data()).decode("latin-1"),
        secure=cookie.isSecure(),
    )


def _document_script(name: str, world: QWebEngineScript.ScriptWorldId,
                     source: str) -> QWebEngineScript:
    """A script run in each new document of the page's main frame, before the page's own."""
    script = QWebEngineScript()
    script.setName(name)
    script.setWorldId(world)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setRunsOnSubFrames(False)
    script.setSourceCode(source)
    return script


def _notes(text: Any) -> list[tuple[str, str]]:
    """The notes the isolated world returned (JSON text), as bounded text pairs (anything else
    dropped)."""
    # A character takes at most 6 in JSON (a control character as \u0001).
    if not isinstance(text, str) or len(text) > MAX_NOTED * (MAX_URL_CHARS + MAX_VALUE_CHARS + 8) * 6:
        return []
    try:
        value = json.loads(text)
    except ValueError:
        return []
    if not isinstance(value, list):
        return []
    return [
        (item[0], item[1])
        for item in value[-MAX_NOTED:]
        if isinstance(item, list) and len(item) == 2
        and all(isinstance(part, str) for part in item)
        and len(item[0]) <= MAX_URL_CHARS and len(item[1]) <= MAX_VALUE_CHARS
    ]
