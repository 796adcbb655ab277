"""What quitting would lose: the profile's unsaved edits and what the person typed into platform
pages, asked before the window closes (MainWindow.closeEvent).

Pages are asked asynchronously, each in two ways at once, and the answers are collected within
ANSWER_MS (a page that does not answer is taken to hold nothing: a hung page must not keep the
launcher from quitting):

- the launcher's own script, in its isolated JavaScript world (the page's scripts can neither see
  nor change it), notes every field and editable area the person changed by hand (trusted input
  and change events: nothing a script or the launcher's Fill did) since the page loaded, in the
  page and its same-origin frames; it holds typed input when one of them still differs from its
  default (``defaultValue``, ``defaultChecked``, ``defaultSelected``; an editable area's text
  from before the first edit): typed, then deleted again, is no loss. A page opened before the
  script was installed is judged by every field against its default;
- its beforeunload handlers run as closing its window would (``BrowserPage.check_unload``, Qt's
  RequestClose), and a page that asks to stay has work it knows is unsaved. Chromium lets a page
  ask only after the person used it, as a browser does.

Limits: a page that saves what was typed without leaving (a script sending it) still counts
as holding it until it loads another page; fields in frames of another origin are known only
through their beforeunload handlers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

if TYPE_CHECKING:
    from launcher.ui.web import BrowserPage, WebTab

ANSWER_MS = 1500
"""How long the pages have to answer before the window decides without them."""
TYPED = "typed"
"""A page with fields the person changed."""
STAYS = "stays"
"""A page whose beforeunload handler asked to stay."""

WATCH_NAME = "yiduantong-unsaved-input"
WATCH_JS = r"""
(() => {
  const KEY = '__yiduantongUnsaved';
  if (Object.prototype.hasOwnProperty.call(window, KEY)) return;
  const changed = new Set();      // fields and editable areas the person changed by hand
  const before = new WeakMap();   // an editable area's text before the person's first edit
  const host = (node) => {
    const element = node && node.nodeType === 1 ? node : node && node.parentElement;
    return element && element.isContentEditable ? element : null;
  };
  // The person's own changes: events of the browser (not dispatched by a script, as Fill's
  // are) while the person is acting on the page (not a page's timer clicking a box later).
  const byPerson = (event) =>
    event.isTrusted && (!navigator.userActivation || navigator.userActivation.isActive);
  document.addEventListener('beforeinput', (event) => {
    const area = byPerson(event) && host(event.target);
    if (area && !before.has(area)) before.set(area, area.innerText);
  }, true);
  const note = (event) => {
    if (byPerson(event) && event.target && event.target.nodeType === 1) changed.add(event.target);
  };
  document.addEventListener('input', note, true);
  document.addEventListener('change', note, true);
  const differs = (el) => {
    if (!el.isConnected) return false;
    if (el instanceof HTMLSelectElement)
      return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
    if (el instanceof HTMLTextAreaElement) return el.value !== el.defaultValue;
    if (el instanceof HTMLInputElement) {
      if (el.type === 'checkbox' || el.type === 'radio') return el.checked !== el.defaultChecked;
      if (el.type === 'file') return !!(el.files && el.files.length);
      if (['button', 'submit', 'reset', 'image', 'hidden'].includes(el.type)) return false;
      return el.value !== el.defaultValue;
    }
    const area = host(el);
    return !!area && before.has(area) && area.innerText !== before.get(area);
  };
  const frames = () => Array.from(document.querySelectorAll('iframe, frame'));
  Object.defineProperty(window, KEY, {
    value: () => {
      if (Array.from(changed).some(differs)) return true;
      return frames().some((frame) => {
        try {
          const ask = frame.contentWindow && frame.contentWindow[KEY];
          return typeof ask === 'function' && ask() === true;
        } catch (e) {
          return false;  // a frame of another origin: only its beforeunload handler tells
        }
      });
    },
  });
})();
"""

QUERY_JS = r"""
(() => {
  const ask = window.__yiduantongUnsaved;
  if (typeof ask === 'function') return ask() === true;
  // Opened before the watcher was there: every field against its default.
  const fields = document.querySelectorAll('input, textarea, select');
  return Array.from(fields).some((el) => {
    if (el instanceof HTMLSelectElement)
      return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
    if (el.type === 'checkbox' || el.type === 'radio') return el.checked !== el.defaultChecked;
    if (['button', 'submit', 'reset', 'image', 'hidden', 'file'].includes(el.type)) return false;
    return el.value !== el.defaultValue;
  });
})()
"""


def watch_typing(page: BrowserPage) -> None:
    """Have ``page`` note, from its next document on, what the person changes by hand."""
    scripts = page.scripts()
    if scripts.find(WATCH_NAME):
        return
    script = QWebEngineScript()
    script.setName(WATCH_NAME)
    script.setSourceCode(WATCH_JS)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(QWebEngineScript.ScriptWorldId.ApplicationWorld)
    script.setRunsOnSubFrames(True)
    scripts.insert(script)


class PageAnswer(NamedTuple):
    tab: WebTab
    kind: str
    """TYPED or STAYS."""


class PagesCheck(QObject):
    """Asks every page whether closing would lose what the person typed; ``finished`` once, with
    the pages that would (in the order of the tabs)."""

    finished = Signal(list)
    """list[PageAnswer]: the pages holding typed input, or whose beforeunload asked to stay."""

    def __init__(self, tabs: list[WebTab], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tabs = list(tabs)
        self._waiting: set[tuple[int, str]] = set()
        self._found: dict[int, str] = {}
        self._done = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(ANSWER_MS)
        self._timer.timeout.connect(self._finish)

    def start(self) -> None:
        if not self._tabs:
            QTimer.singleShot(0, self._finish)
            return
        self._timer.start()
        for index, tab in enumerate(self._tabs):
            page = tab.page
            state = page.lifecycleState()
            if state == QWebEnginePage.LifecycleState.Discarded:
                continue  # unloaded, holding nothing (launcher/ui/page_lifecycle.py)
            if state == QWebEnginePage.LifecycleState.Frozen:
                # A frozen page runs no script until it is active again (which is always
                # allowed); the lifecycle freezes it again later if it stays hidden.
                page.setLifecycleState(QWebEnginePage.LifecycleState.Active)
            self._waiting |= {(index, TYPED), (index, STAYS)}
            page.runJavaScript(
                QUERY_JS,
                QWebEngineScript.ScriptWorldId.ApplicationWorld,
                lambda typed, i=index: self._answer(i, TYPED, typed is True),
            )
            self._ask_unload(index, page)
        if not self._waiting:  # every page was discarded
            QTimer.singleShot(0, self._finish)

    def _ask_unload(self, index: int, page: BrowserPage) -> None:
        """Run the page's beforeunload handlers; its answer, even one after the others' (this
        check may have finished by then), ends its ``checking_unload``."""

        def answered(stays: bool) -> None:
            _disconnect(page.unload_refused, refused)
            _disconnect(page.windowCloseRequested, agreed)
            self._answer(index, STAYS, stays)
            # After every slot of windowCloseRequested: none closes the tab for this answer.
            QTimer.singleShot(0, lambda: setattr(page, "checking_unload", False))

        def refused() -> None:
            answered(True)

        def agreed() -> None:
            answered(False)

        page.unload_refused.connect(refused)
        page.windowCloseRequested.connect(agreed)
        page.check_unload()

    def _answer(self, index: int, kind: str, holds: bool) -> None:
        if self._done or (index, kind) not in self._waiting:
            return
        self._waiting.discard((index, kind))
        if holds:
            # Typed input is the more telling answer when a page gives both.
            self._found[index] = TYPED if TYPED in (kind, self._found.get(index)) else kind
        if not self._waiting:
            self._finish()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        self._timer.stop()
        found = [PageAnswer(self._tabs[i], kind) for i, kind in sorted(self._found.items())]
        self.finished.emit(found)


def _disconnect(signal: Any, slot: Callable[[], None]) -> None:
    with contextlib.suppress(RuntimeError, TypeError):  # the page was deleted meanwhile
        signal.disconnect(slot)
