"""``PageLifecycle``: platform pages left hidden are frozen, then discarded, through QtWebEngine's
page lifecycle (``QWebEnginePage.lifecycleState``); shown again, they are active again.

A page is hidden when Qt says so (``QWebEnginePage.isVisible``): another tab in front, the window
minimised, or hidden behind the lock screen. Hidden for ``freeze_pages_after_minutes`` (the
county's ``[office]``, 5 by default), it is frozen: its scripts and timers stop, it keeps its
memory and everything typed into it. Hidden for ``discard_pages_after_minutes`` (30), it is
discarded: Chromium unloads it (its renderer's memory is freed; a renderer process with no page
left ends), keeping its address, title and history. Its tab keeps its title, dimmed, and says
so in its tooltip and accessible name; a click on the tab shows the page, which Qt makes active
again, and a discarded one loads its address again (its cookies live in the shared web profile, so
the platform's sign-in is still there).

Qt's own rules first: a visible page is never frozen or discarded, and never below the state Qt
recommends (``recommendedState``: active while loading, playing sound or capturing; frozen only
after the person interacted with a form, or for a PDF). On top of them, a page is only frozen,
never discarded, while it holds input the person typed (launcher/ui/unsaved.py's script, asked
before it is frozen), a download is running from it or it is being printed. Badges and the inbox
come from the platforms' task sources, never from the pages, so nothing stops meanwhile.

Made with the first web tab (page_tools.py); the task monitor (task_monitor.py) shows each page's
state and asks for a page's memory to be freed now (``release``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

from launcher.ui.unsaved import ANSWER_MS, QUERY_JS

if TYPE_CHECKING:
    from launcher.ui.web import WebTab
    from launcher.ui.web_tabs import WebTabs
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

State = QWebEnginePage.LifecycleState
ACTIVE, FROZEN, DISCARDED = State.Active, State.Frozen, State.Discarded

DIMMED_TEXT = QColor("#454b54")
"""A frozen or discarded page's tab text: dimmer than the text (#1a1a1a), still 7:1 on the tab
bar's backgrounds, high contrast's too."""
SWEEP_MS = (100, 30_000)
"""How often hidden pages are looked at (a quarter of the shorter delay, within these bounds),
only while one of them may still change state."""

RELEASE_SWEEP_MS = 500
"""How often a page freed by hand is looked at when no delay has the sweep running."""

TYPED = "typed"
"""Kept frozen: the person typed into the page and has not sent it."""
BUSY = "busy"
"""Kept frozen: a download from it runs, or it is being printed."""
QT_SAYS = "qt"
"""Kept frozen: Qt recommends no lower state (a form interacted with, a PDF)."""


@dataclass
class _Watch:
    """What is known of one hidden page."""

    hidden_since: float | None = None
    """time.monotonic() when it was last hidden; None while shown."""
    asking: int = 0
    """The number of the question about typed input waiting for its answer (0: none)."""
    holds_input: bool = False
    """Its answer, until the page is shown again (input changes only while it is shown)."""
    kept: str = ""
    """Why it was kept frozen rather than discarded (TYPED, BUSY, QT_SAYS), '' when it was not."""
    release: bool = False
    """Freed by hand (the task monitor): discarded now, whatever the delays."""


class PageLifecycle(QObject):
    """Freezes and discards the hidden pages of ``pages``' web tabs."""

    state_changed = Signal(object)
    """A WebTab whose page's lifecycle state (or the reason it stays frozen) changed."""

    def __init__(
        self,
        pages: WebTabs,
        context: WindowContext,
        *,
        busy: Callable[[WebTab], bool],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pages = pages
        self._context = context
        self._busy = busy
        self._delays_ms: tuple[int | None, int | None] | None = None
        self._watched: dict[WebTab, _Watch] = {}
        self._questions = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sweep)
        pages.closing.connect(self._forget)
        pages.cleared.connect(self._watched.clear)

    # -- following the tabs ----------------------------------------------------------------------

    def follow(self, tab: WebTab) -> None:
        """Watch ``tab``'s page from now on."""
        page = tab.page
        watch = self._watched[tab] = _Watch()
        page.visibleChanged.connect(lambda visible, t=tab: self._visibility(t, visible))
        page.lifecycleStateChanged.connect(lambda _state, t=tab: self._state_changed(t))
        tab.destroyed.connect(lambda _=None, t=tab: self._watched.pop(t, None))
        if not page.isVisible():
            watch.hidden_since = time.monotonic()
            self._start()

    def _forget(self, tab: WebTab) -> None:
        self._watched.pop(tab, None)

    def _visibility(self, tab: WebTab, visible: bool) -> None:
        watch = self._watched.get(tab)
        if watch is None or not shiboken6.isValid(tab):
            return
        if visible:
            # Qt makes a shown page active itself; the typed input may change from now on.
            watch.hidden_since, watch.holds_input, watch.kept, watch.release = None, False, "", False
            watch.asking = 0
            if tab.page.lifecycleState() != ACTIVE:
                tab.page.setLifecycleState(ACTIVE)
            self._show_state(tab)
        else:
            watch.hidden_since = time.monotonic()
            self._start()

    def _state_changed(self, tab: WebTab) -> None:
        if tab in self._watched and shiboken6.isValid(tab):
            log.debug("page of %s is now %s", tab.platform_id or "a tab",
                      tab.page.lifecycleState().name)
            self._show_state(tab)

    # -- what the monitor asks -------------------------------------------------------------------

    def state(self, tab: WebTab) -> State:
        return tab.page.lifecycleState()

    def kept_frozen(self, tab: WebTab) -> str:
        """Why ``tab``'s page stays frozen rather than discarded ('' when it does not)."""
        watch = self._watched.get(tab)
        return watch.kept if watch is not None else ""

    def release(self, tab: WebTab) -> bool:
        """Free ``tab``'s page now (frozen, then discarded unless something it holds forbids
        it); False for a page shown on screen, which cannot be."""
        watch = self._watched.get(tab)
        if watch is None or tab.page.isVisible():
            return False
        watch.release = True
        if watch.hidden_since is None:
            watch.hidden_since = time.monotonic()
        if not self._timer.isActive():  # looked at again until it is freed (or cannot be)
            self._timer.start(RELEASE_SWEEP_MS)
        self.sweep()
        return True

    # -- the sweep -------------------------------------------------------------------------------

    @property
    def delays_ms(self) -> tuple[int | None, int | None] | None:
        """The freeze and discard delays in milliseconds instead of the county's minutes (the
        tests and the benchmark shorten them; None for one: never); None: the county's."""
        return self._delays_ms

    @delays_ms.setter
    def delays_ms(self, delays: tuple[int | None, int | None] | None) -> None:
        self._delays_ms = delays
        self._timer.stop()
        if any(w.hidden_since is not None for w in self._watched.values()):
            self._start()  # at the new pace, from now on

    def delays(self) -> tuple[float | None, float | None]:
        """The freeze and discard delays in seconds (None: never)."""
        if self.delays_ms is not None:
            freeze, discard = self.delays_ms
            return (freeze / 1000 if freeze is not None else None,
                    discard / 1000 if discard is not None else None)
        services = self._context.services
        if services is None:
            return None, None
        office = services.county.office
        freeze, discard = office.freeze_pages_after_minutes, office.discard_pages_after_minutes
        return (freeze * 60.0 if freeze else None, discard * 60.0 if discard else None)

    def _start(self) -> None:
        shortest = min((d for d in self.delays() if d is not None), default=None)
        if shortest is None:
            return
        low, high = SWEEP_MS
        self._timer.setInterval(int(min(max(shortest * 1000 / 4, low), high)))
        if not self._timer.isActive():
            self._timer.start()

    def sweep(self) -> None:
        """Freeze or discard each hidden page whose time has come; stop looking once none may
        change any more."""
        freeze, discard = self.delays()
        now = time.monotonic()
        waiting = False
        for tab, watch in list(self._watched.items()):
            if not shiboken6.isValid(tab):
                self._watched.pop(tab, None)
                continue
            page = tab.page
            if watch.hidden_since is None or page.isVisible():
                continue
            hidden = now - watch.hidden_since
            due_discard = watch.release or (discard is not None and hidden >= discard)
            due_freeze = due_discard or (freeze is not None and hidden >= freeze)
            state = page.lifecycleState()
            if state == ACTIVE:
                if due_freeze:
                    self._freeze(tab, watch)
                waiting = waiting or freeze is not None or discard is not None or watch.release
            elif state == FROZEN:
                if due_discard:
                    self._discard(tab, watch)
                if page.lifecycleState() == FROZEN and watch.kept != TYPED:
                    waiting = waiting or discard is not None or watch.release
        if not waiting:
            self._timer.stop()

    def _freeze(self, tab: WebTab, watch: _Watch) -> None:
        """Ask the page whether it holds typed input (in the launcher's isolated world), then
        freeze it if it is still hidden, still active, and Qt allows it."""
        if watch.asking:
            return
        self._questions += 1
        question = watch.asking = self._questions

        def answered(typed: object) -> None:
            if watch.asking != question or not shiboken6.isValid(tab):
                return  # shown meanwhile, closed, or answered late after the time-out
            watch.asking = 0
            watch.holds_input = typed is not False  # no clear answer: taken to hold some
            page = tab.page
            if page.isVisible() or page.lifecycleState() != ACTIVE:
                return
            if page.recommendedState() == ACTIVE:
                return  # loading, playing sound…: Qt says not now (the next sweep asks again)
            page.setLifecycleState(FROZEN)
            if watch.release:
                self._discard(tab, watch)

        tab.page.runJavaScript(QUERY_JS, QWebEngineScript.ScriptWorldId.ApplicationWorld,
                               answered)
        QTimer.singleShot(ANSWER_MS, lambda: answered(None))

    def _discard(self, tab: WebTab, watch: _Watch) -> None:
        page = tab.page
        kept = ""
        if watch.holds_input:
            kept = TYPED
        elif self._busy(tab):
            kept = BUSY
        elif page.recommendedState() != DISCARDED:
            kept = QT_SAYS
        if kept:
            if kept != watch.kept:
                watch.kept = kept
                self.state_changed.emit(tab)
            return
        watch.kept = ""
        page.setLifecycleState(DISCARDED)

    # -- the tab -----------------------------------------------------------------------------------

    def _show_state(self, tab: WebTab) -> None:
        state = tab.page.lifecycleState()
        if state == FROZEN:
            note = translate("PageLifecycle", "Frozen; click to wake it")
        elif state == DISCARDED:
            note = translate("PageLifecycle", "Memory freed; click to load it again")
        else:
            note = ""
        self._pages.set_note(tab, note, colour=DIMMED_TEXT if note else None)
        self.state_changed.emit(tab)
