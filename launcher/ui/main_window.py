"""The main window: platform tiles, the inbox and profile tabs, web tabs, toolbar and status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from launcher.ui import i18n
from launcher.ui.inbox_index import OVERDUE
from launcher.ui.inbox_model import InboxModel
from launcher.ui.inbox_presenter import InboxPresenter, message_for
from launcher.ui.inbox_view import InboxView
from launcher.ui.plain_text import bounded
from launcher.ui.sign_in_presenter import SignInPresenter
from launcher.ui.status_bar import StatusBar
from launcher.ui.tiles import (
    FULL_PANEL_WIDTH,
    TilePanel,
)
from launcher.ui.web_tabs import WebTabs
from launcher.ui.window_actions import WindowActions
from launcher.ui.window_context import WindowContext
from launcher.ui.window_size import fit_to_screen

# Only what the first paint shows is imported here (tiles, inbox, tabs, toolbar): sign-in, the
# password vault, Fill, mark-done, the profile tab and the tray (window_parts.py) are imported and
# built right after the first paint (MainWindow._start), or on first use, whichever comes first;
# so are the keyboard shortcuts, the worker threads and the sign-in-again bar (hidden until a
# platform needs it).
if TYPE_CHECKING:
    from pathlib import Path

    from PySide6.QtGui import QCloseEvent, QPaintEvent, QResizeEvent

    from launcher.api import TaskGroup
    from launcher.app.events import Events
    from launcher.app.fill import FillContext
    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo
    from launcher.core.inbox.service import RefreshResult
    from launcher.core.registry import Blocked
    from launcher.ui.banner import SignInBanner
    from launcher.ui.closing import QuitGuard
    from launcher.ui.county_opening import Loaded
    from launcher.ui.pack_updates import PackBar
    from launcher.ui.page_tools import PageTools
    from launcher.ui.start_snapshot import Early
    from launcher.ui.web import WebContext, WebTab
    from launcher.ui.window_parts import WindowParts
    from launcher.ui.workers import Workers

translate = QCoreApplication.translate
log = logging.getLogger(__name__)

FIRST_PAINT_WAIT_MS = 500
"""How long a shown window waits for its first paint before opening the county anyway."""
PREFERRED_SIZE = (1280, 800)
"""The window's first size where the screen has room for it."""
WIDE_WINDOW = 1060
"""The narrowest window whose tiles show names: narrower, icon-only tiles leave the room to the
inbox (1366×768 at 150 % scaling is 911 px wide; at 125 %, 1093)."""


class MainWindow(QMainWindow):
    services_ready = Signal(object)
    """The opened Services (start-up finished)."""
    load_failed = Signal(str)
    """Why the county could not be opened."""
    signed_in = Signal(object)
    """The UserInfo of the user who just signed in (or whose session was restored)."""
    login_failed = Signal(str)
    """The message shown for a failed sign-in."""
    signed_out = Signal()
    """Logout finished: keyring, cookies, cache, tabs and inbox are all cleared."""
    inbox_updated = Signal(int)
    """The number of inbox rows after cached tasks or a refresh were shown."""
    refresh_finished = Signal(bool)
    """A refresh ended: True when its result is on screen, False when it failed as a whole."""
    fill_finished = Signal(dict)
    """The outcome of Fill, as FormFiller.finished reports it."""
    web_tab_opened = Signal(object)
    """The WebTab just added."""
    sign_in_needed = Signal(list)
    """The plugin ids whose sign-in must be renewed ([] once none needs it any more)."""

    def __init__(
        self,
        county_path: Path,
        *,
        loopback_only: bool = False,
        language: str = i18n.CHINESE,
        prompt_login: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.county_path = county_path
        # Open the sign-in page by itself once the county is loaded and nobody is signed in.
        self.prompt_login = prompt_login
        self.language = language
        self.context = WindowContext(language=language, loopback_only=loopback_only, parent=self)
        """What the controllers share: the county's services, workers, events, web profile."""
        self._quit_guard: QuitGuard | None = None
        self._parts: WindowParts | None = None
        self._page_tools: PageTools | None = None
        """Built right after the first paint (or on first use): see _start and parts."""
        self._painted = False
        self._started = False
        self._ready = False
        """Whether the county is open and the window with it (_opened): ``services`` is None until."""
        self._on_ready: list[Callable[[], None]] = []
        """What was asked for before then (a tile or a task opened): done in _opened."""
        self._early: Early | None = None
        """The start snapshot on screen while the county opens (launcher/ui/start_snapshot.py)."""

        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Yiduantong"))
        self._wide: bool | None = None
        """Whether the window was last wide enough for tiles with names (see resizeEvent)."""

        # Built from the outside in, each widget made inside its final parent: under the style
        # sheet, moving a built widget to another parent restyles all of it again.
        splitter = QSplitter(parent=self)  # side by side (by keyword: see gl_sharing.py)
        self.setCentralWidget(splitter)
        self._splitter = splitter
        self.tiles = TilePanel(splitter)
        self.tiles.open_requested.connect(self.open_platform)
        splitter.addWidget(self.tiles)
        work_area = QWidget(splitter)
        splitter.addWidget(work_area)
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(0, False)  # narrowest: icon-only tiles, never none
        splitter.setSizes([FULL_PANEL_WIDTH, 1020])
        column = QVBoxLayout(work_area)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # The sign-in-again bar goes above the tabs when first needed (see banner).
        self._work_area, self._work_column = work_area, column
        self._banner: SignInBanner | None = None
        self._pack_bar: PackBar | None = None
        self.next_county: Path | None = None
        """Set when the window closes to open again on a new county pack (``restart_with``)."""
        self.tabs = QTabWidget(work_area)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        # Tabs get close buttons with the first web tab (web_tabs.py); the inbox and profile
        # tabs, always there, never have one.
        self.tabs.setAccessibleName(self.tr("Work area"))
        column.addWidget(self.tabs, 1)
        # The tab widget keeps its pages in a QStackedWidget: pages made there are not moved.
        pages = self.tabs.findChild(QStackedWidget) or self.tabs

        self.inbox_model = InboxModel(self.context.platform_name, parent=self)
        # Column choices are remembered in settings.ini (a small local file, read once).
        self.inbox = InboxView(self.inbox_model, pages, settings=i18n.settings())
        self.inbox.open_requested.connect(self.open_task)
        self.inbox.mark_done_requested.connect(self.mark_done)
        # The profile tab's page; its form (ProfileView) is put in after the first paint.
        self.profile_page = QWidget(pages)
        self.profile_page.setObjectName("profilePage")
        QVBoxLayout(self.profile_page).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.inbox, self.tr("Inbox"))
        self.tabs.addTab(self.profile_page, self.tr("Profile"))
        self.web_pages = WebTabs(
            self.tabs,
            (self.inbox, self.profile_page),
            self.context,
            parent=self,
        )
        """The web pages among the tabs."""
        self.web_pages.opened.connect(self.web_tab_opened.emit)
        self.web_pages.address_changed.connect(self._update_fill_action)
        self.web_pages.status.connect(self._show_status)
        self.web_pages.opened.connect(lambda tab: self.page_tools.follow(tab))
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(lambda _: self._update_fill_action())

        self._build_actions()
        status = StatusBar(self)
        self.setStatusBar(status)
        self.user_label, self.refresh_label = status.user_label, status.refresh_label
        presenter = self.inbox_presenter = InboxPresenter(
            context=self.context,
            inbox=self.inbox,
            model=self.inbox_model,
            tiles=self.tiles,
            status_bar=status,
            login_action=self.login_action,
            user=lambda: self.user,
            # None until the vault is built (_opened): it knows nothing saved before then.
            password_state=lambda plugin_id: (
                self._parts.vault.tile_state(plugin_id) if self._parts is not None else None
            ),
            parent=self,
        )
        """Shows the refreshes (it is the refresh use case's RefreshView) and the tiles."""
        presenter.sign_in_needed.connect(self._show_sign_in_again)  # the bar first, then others
        presenter.inbox_updated.connect(self.inbox_updated)
        presenter.refresh_finished.connect(self.refresh_finished)
        presenter.sign_in_needed.connect(self.sign_in_needed)
        self.inbox.split_requested.connect(lambda group: self._regroup(group, split=True))
        self.inbox.merge_requested.connect(lambda group: self._regroup(group, split=False))
        sign_in = self.sign_in_presenter = SignInPresenter(
            status_bar=status,
            actions=self.window_actions,
            inbox=presenter,
            inbox_view=self.inbox,
            context=self.context,
            session=lambda: self.session,
            close_web_tabs=self.close_web_tabs,
            signed_out_shown=self._update_fill_action,
            dialog_parent=self,
            parent=self,
        )
        """Who is signed in, as the window shows it; the sign-in use case after a sign-in."""
        sign_in.signed_in.connect(self.signed_in)
        sign_in.login_failed.connect(self.login_failed)
        self._fit_to_screen()
        # What the person types into pages is noted, to ask before quitting would lose it.
        self.web_tab_opened.connect(self._watch_typing)
        sign_in.show_signed_out(self.tr("Loading the county…"))
        # The county opens (on a worker) once the window is painted: a worker running Python
        # meanwhile would take turns with this thread for the interpreter and delay the paint.
        QTimer.singleShot(0, self._start_unless_shown)

    # -- size and layout ------------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        """The preferred size, or less: never larger than the screen's free area (1366×768 at
        150 % scaling leaves 911×512 px, less the task bar)."""
        fit_to_screen(self, *PREFERRED_SIZE)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = event.size().width() >= WIDE_WINDOW
        if wide != self._wide:
            # Crossing the line: tiles with names, or icon-only ones (the tile panel turns
            # compact by its own width; a splitter the user drags decides it the same way).
            self._wide = wide
            tiles = FULL_PANEL_WIDTH if wide else self.tiles.compact_width()
            self._splitter.setSizes([tiles, max(1, event.size().width() - tiles)])

    # -- keyboard -------------------------------------------------------------------------------

    def focusNextPrevChild(self, forward: bool) -> bool:
        """Tab and Shift+Tab go round the window in reading order (``tab_order``) and round
        again (see focus_order.py)."""
        from launcher.ui.focus_order import move_focus

        order = self.tab_order()
        if not order:
            return super().focusNextPrevChild(forward)
        move_focus(order, forward)
        return True

    def tab_order(self) -> list[QWidget]:
        """The controls Tab reaches, in order: the toolbar, the tiles (not the column around
        them), the sign-in-again bar, the tab bar, the shown tab's page (in its own order), the
        status bar."""
        from launcher.ui.focus_order import tab_stops

        first: list[QWidget] = [
            button
            for act in self.toolbar.actions()
            if (button := self.toolbar.widgetForAction(act)) is not None
        ]
        first += list(self.tiles.tiles.values())
        if self._banner is not None:
            first.append(self._banner.button)
        first.append(self.tabs.tabBar())
        order = tab_stops(self, first, self.tabs.currentWidget(), self.statusBar())
        if self._page_tools is not None:
            order = self._page_tools.with_download_bar(order, self.statusBar())
        return self._with_fill_panel(order)

    def _with_fill_panel(self, order: list[QWidget]) -> list[QWidget]:
        """The fill preview's controls, when it is shown, after the page and before the status
        bar (it sits beside the page)."""
        panel = self._parts.filler.shown_preview() if self._parts is not None else None
        if panel is None:
            return order
        from launcher.ui.focus_order import focus_chain, takes_tab

        stops = [w for w in focus_chain(self) if panel.isAncestorOf(w) and takes_tab(w)]
        status = self.statusBar()
        at = next((i for i, w in enumerate(order) if status.isAncestorOf(w)), len(order))
        return [*order[:at], *stops, *order[at:]]

    # -- the rest of start-up, after the first paint --------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._start)  # after this frame (its other widgets) is shown

    def _start_unless_shown(self) -> None:
        """A window that is not shown has no paint to wait for; one shown waits for its paint,
        though not forever (a window shown minimized may not be painted for a long time)."""
        if not self.isVisible():
            self._start()
        else:
            QTimer.singleShot(FIRST_PAINT_WAIT_MS, self._start)

    def _start(self) -> None:
        """Open the county (on a worker), then build what the first paint did not show."""
        if self._started:
            return
        self._started = True
        self._read_snapshot()  # then the county opens (_load)
        self.window_actions.set_shortcuts()
        self.inbox.finish()  # the task table: the first frame shows the empty-state text instead

    def _build_rest(self) -> None:
        """Sign-in, Fill, the password vault, mark-done, the profile form and the tray: built
        once, when the county is open and its cached tasks are painted (_opened), or earlier by
        whatever needs one of them first. Not while the county opens: its worker and this
        thread would take turns for the interpreter, and the cached tasks would come later.

        Always before ``services_ready`` is emitted: the parts listen to it."""
        if self._parts is None:
            from launcher.ui.window_parts import WindowParts

            self._parts = WindowParts(self)

    @property
    def parts(self) -> WindowParts:
        self._build_rest()
        assert self._parts is not None
        return self._parts

    session = property(lambda self: self.parts.session, doc="Signing in and out.")
    filler = property(lambda self: self.parts.filler, doc="Fill: profile values into a form.")
    vault = property(lambda self: self.parts.vault, doc="The password vault.")
    marker = property(lambda self: self.parts.marker, doc="Mark done.")
    profile_view = property(lambda self: self.parts.profile, doc="The profile (一张表) form.")
    tray = property(lambda self: self.parts.tray, doc="The pending count and notifications.")

    @property
    def services(self) -> Services | None:
        """The county's services (None until the county is open, and once the window closes).
        Between the cached tasks appearing and the rest of the window (_opened), a fraction of
        a second, a tile or a task opened waits for the rest (_when_ready)."""
        return self.context.services

    @property
    def workers(self) -> Workers:
        """Runs what would block the GUI thread (network, disk, keyring) on a thread pool."""
        return self.context.workers

    @property
    def events(self) -> Events:
        """What the use cases announce (launcher/app/events.py), shared with Services."""
        return self.context.events

    @property
    def last_result(self) -> RefreshResult | None:
        """The refresh result on screen (None when signed out)."""
        return self.inbox_presenter.last_result

    @property
    def banner(self) -> SignInBanner:
        """The sign-in-again bar above the tabs (hidden unless a platform lost its sign-in),
        made when first needed."""
        if self._banner is None:
            from launcher.ui.banner import SignInBanner

            banner = self._banner = SignInBanner(self._work_area)
            banner.sign_in_requested.connect(self.sign_in_again)
            self._work_column.insertWidget(0, banner)
            # Its button comes between the tiles and the tabs in the Tab order, as it shows.
            QWidget.setTabOrder(self.tiles, banner.button)
        return self._banner

    @property
    def pack_bar(self) -> PackBar:
        """The county pack bar above the tabs (what a new pack changed, a refusal, metadata
        running out), made when first needed."""
        if self._pack_bar is None:
            from launcher.ui.pack_updates import PackBar

            bar = self._pack_bar = PackBar(self._work_area)
            self._work_column.insertWidget(0, bar)
            QWidget.setTabOrder(self.tiles, bar.button)
        return self._pack_bar

    def restart_with(self, county_path: Path) -> None:
        """A new county pack is in use and no page is open: this window closes and the
        application opens a new one on ``county_path`` (``run_gui``); the person stays signed
        in (the session is restored from the keyring)."""
        from PySide6.QtWidgets import QApplication

        from launcher.ui.app import RESTART_EXIT_CODE

        if self.web_tabs():  # a page was opened meanwhile: the pack applies at the next start
            return
        self.next_county = county_path
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # the next window follows
            app.exit(RESTART_EXIT_CODE)
        self.close_now()

    def platforms_blocked(self, blocked: list[str], changed: list[str]) -> None:
        """The county's kill switch changed: the pages of the platforms blocked now close (they
        are no longer loaded), and the tiles say each block or its lifting."""
        for tab in list(self.web_tabs()):
            if tab.platform_id in blocked:
                self.close_tab(self.tabs.indexOf(tab))
        if changed:
            self.inbox_presenter.update_tiles()

    def _show_sign_in_again(self, platform_ids: list[str]) -> None:
        if platform_ids or self._banner is not None:  # nothing to hide before it is made
            names = [self.context.platform_name(p) for p in platform_ids]
            self.banner.show_platforms(platform_ids, names)

    # -- building -----------------------------------------------------------------------------

    def _build_actions(self) -> None:
        actions = self.window_actions = WindowActions(self, self.language)
        slots: dict[QAction, Callable[[], object]] = {
            actions.login: self.login,
            actions.refresh: self.refresh,
            actions.fill: self.fill,
            actions.logout: self.logout,
            actions.search: self.focus_search,
            actions.close_tab: self.close_current_tab,
            actions.about: self.about,
            actions.problems: self.show_problems,
            actions.quit: self.close,
            actions.vault: lambda: self.vault.open_manager(),
        }
        for act, slot in slots.items():
            act.triggered.connect(lambda _=False, slot=slot: slot())
        for code, act in actions.languages.items():
            act.triggered.connect(lambda _=False, c=code: self.choose_language(c))
        # The names the tests, the tray and the controllers know them by.
        self.login_action, self.refresh_action = actions.login, actions.refresh
        self.fill_action, self.logout_action = actions.fill, actions.logout
        self.search_action, self.close_tab_action = actions.search, actions.close_tab
        self.about_action, self.problems_action = actions.about, actions.problems
        self.quit_action, self.vault_action = actions.quit, actions.vault
        self.language_group, self.language_actions = actions.language_group, actions.languages
        self.toolbar = actions.toolbar

    # -- start-up -----------------------------------------------------------------------------

    def _read_snapshot(self) -> None:
        """Show the person's start snapshot, if there is one they may see, then open the county
        (its tasks replace the snapshot's)."""
        path = self.county_path

        def work() -> Early | None:
            from launcher.ui.start_snapshot import read

            return read(path)

        self.workers.submit("start snapshot", work, self._show_snapshot, lambda _exc: self._load())

    def _closed(self) -> bool:
        """The window has closed (its teardown ran): what a worker brings back is not shown."""
        return self._quit_guard is not None and self._quit_guard.closing

    def _show_snapshot(self, early: Early | None) -> None:
        if self._closed():
            return
        if early is None or self.context.services is not None:
            self._load()
            return
        self._early = early
        snapshot = early.snapshot
        english = self.language == i18n.ENGLISH
        names = [(p, name_en if english else name) for p, name, name_en in snapshot.platforms]
        self.context.early_names = dict(names)
        self.inbox.set_platforms(names)
        self.sign_in_presenter.show_person(snapshot.person)
        self.inbox_presenter.show_snapshot(early.groups, snapshot.forms)
        self.inbox.after_rows_painted(self._load)  # the county opens once they are painted

    def _load(self) -> None:
        path, events, english = self.county_path, self.events, self.language == i18n.ENGLISH
        early = self._early.snapshot if self._early is not None else None

        def work() -> Loaded:
            from launcher.ui.county_opening import open_county

            return open_county(path, events, english=english, snapshot=early)

        self.workers.submit("open county", work, self._loaded, self._load_error)

    def _loaded(self, loaded: Loaded) -> None:
        """The county is open: its tiles and the person's cached tasks first; the rest of the
        window (_opened) once they are painted."""
        if self._closed():  # closed while it opened: nothing shows it, nothing else closes it
            self.workers.submit("close services", loaded.services.close)
            return
        services = self.context.services = loaded.services
        if self._early is not None and not loaded.snapshot_theirs:
            # The session is no one's now, or another person's: the snapshot is not theirs.
            self.inbox_presenter.clear()
            from launcher.app.start_snapshot import forget

            self.workers.submit("forget the start snapshot", lambda: forget(services))
        self._early = None
        county = services.county
        county_name = county.name_en if self.language == i18n.ENGLISH else county.name
        self.setWindowTitle(
            self.tr("Yiduantong — {county}").format(county=bounded(county_name, 60, lines=1))
        )
        # The tiles, the inbox's choices, the refresh and split/merge use cases.
        self.inbox_presenter.open(services, loaded.tiles)
        if loaded.user is None or not loaded.groups:
            self._opened(loaded)  # no task to show first
            return
        self.sign_in_presenter.set_user(loaded.user)
        assert loaded.cached is not None  # groups come from it
        self.inbox_presenter.show(loaded.cached, loaded.groups, fresh=False,
                                  keep=not loaded.same_as_snapshot)
        # The refresh starts after _opened: asked for meanwhile, it waits for it.
        self.inbox_presenter.refresh_pending = True
        self.inbox.after_rows_painted(lambda: self._opened(loaded, shown=True))

    def _opened(self, loaded: Loaded, *, shown: bool = False) -> None:
        """The rest of opening the county, after its cached tasks are on screen: the window's
        other parts, the profile form, loading problems, ``services_ready``, then the refresh
        (or the sign-in, when nobody is signed in). ``shown``: the cached tasks are on screen
        already (_loaded showed them)."""
        services = loaded.services
        if self.context.services is not services:
            return  # closed (or reopened on another county) before this ran
        self._build_rest()
        self._ready = True
        from launcher.ui.app import settle_collector

        settle_collector()  # started: the collector's thresholds of the rest of the run
        self.profile_view.reload()  # the form of whoever is signed in (none yet: emptied)
        self.problems_action.setEnabled(bool(services.registry.errors))
        if services.registry.errors:
            self.statusBar().showMessage(
                self.tr(
                    "{count} platform(s) could not be loaded; Help → Loading problems tells why."
                ).format(count=len(services.registry.errors)),
                30000,
            )
        self.services_ready.emit(services)
        if loaded.user is None:
            self.sign_in_presenter.show_signed_out(self.tr("Please sign in to see your tasks."))
            if self.prompt_login:
                self.login()
            return
        if not shown:
            self.sign_in_presenter.set_user(loaded.user)
            if loaded.cached is not None:
                self.inbox_presenter.show(loaded.cached, loaded.groups, fresh=False)
        waiting, self._on_ready = self._on_ready, []
        for action in waiting:
            action()
        if self.user is None:  # signed out in the moment before: nothing to refresh
            self.inbox_presenter.refresh_pending = False
            return
        self.inbox_presenter.refresh_pending = True
        # The refresh starts once the cached tasks are painted: its worker's Python would take
        # turns with this thread for the interpreter meanwhile.
        QTimer.singleShot(0, self._start_queued_refresh)

    def _start_queued_refresh(self) -> None:
        self.inbox_presenter.refresh_pending = False
        self.refresh()

    def show_problems(self) -> None:
        """List every county entry or manifest that was skipped, naming file, key and problem."""
        from launcher.ui.window_dialogs import show_problems

        show_problems(self, self.services.registry.errors if self.services is not None else [])

    def _load_error(self, exc: BaseException) -> None:
        self._early = None
        self._on_ready.clear()
        from launcher.ui.app import settle_collector

        settle_collector()
        text = self.tr("The county could not be opened:\n{error}").format(error=message_for(exc))
        # The error quotes the county file, which may hold anything: shown as plain text.
        from launcher.ui.plain_text import plain_label

        plain_label(self.inbox.empty)
        self.sign_in_presenter.show_signed_out(text)
        self.login_action.setEnabled(False)
        self.load_failed.emit(text)

    # -- session ------------------------------------------------------------------------------

    @property
    def user(self) -> UserInfo | None:
        """Who is signed in (None: nobody, or the county is not open)."""
        return self.sign_in_presenter.user

    def login(self) -> None:
        """Sign in the way the county file says (embedded page, system browser or device code)."""
        self.sign_in_presenter.login()

    def sign_in_again(self) -> None:
        """Sign in again after platforms lost their sign-in; their tasks and pages stay meanwhile."""
        self.sign_in_presenter.login()

    def sign_in_with(self, sign_in: Callable[[Services], UserInfo]) -> None:
        """Sign in without the dialog: ``sign_in(services)`` runs on a worker (scripted demo)."""
        self.session.sign_in_with(sign_in)

    def logout(self) -> None:
        """Revoke the session, end it at the provider, forget cookies, cache, tabs and inbox."""
        self.sign_in_presenter.logout()

    def _show_status(self, text: str) -> None:
        self.status_bar().show_status(text)

    def status_bar(self) -> StatusBar:
        bar = self.statusBar()
        assert isinstance(bar, StatusBar)
        return bar

    # -- inbox --------------------------------------------------------------------------------

    def refresh(self, platform_ids: list[str] | None = None, *, forget_cache: bool = False) -> None:
        """Refresh the inbox: every platform, or only ``platform_ids`` (see InboxPresenter)."""
        self.inbox_presenter.refresh(platform_ids, forget_cache=forget_cache)

    def refreshing(self) -> bool:
        """True while a refresh runs, or the start-up's or a sign-in's is about to."""
        return self.inbox_presenter.refreshing()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.inbox)
        self.inbox.focus_search()

    def open_task(self, group: TaskGroup) -> None:
        if self._when_ready(lambda: self.open_task(group)):
            return
        # The tab remembers the platform of the task whose page it opens (the row's first), and
        # the task: 填表 there fills its subject's and record's values too.
        from launcher.app.fill import FillContext

        first = group.first
        context = FillContext(task_key=first.key, subject_text=first.subject or "")
        self.open_web(group.url, group.title, platform_id=first.platform, fill_context=context)

    def show_inbox_view(self, kind: str = "") -> None:
        """Bring the inbox tab forward; for a notice about overdue work, in its 逾期 view."""
        self.tabs.setCurrentWidget(self.inbox)
        if kind == OVERDUE:
            self.inbox.set_view(OVERDUE)

    # -- mark done and split ------------------------------------------------------------------

    @property
    def completable(self) -> set[str]:
        """Platforms whose tasks can be marked done from the launcher (found at start-up)."""
        return self.inbox_presenter.completable

    def _regroup(self, group: TaskGroup, *, split: bool) -> None:
        if not self._when_ready(lambda: self._regroup(group, split=split)):
            self.inbox_presenter.regroup(group, split=split)

    def mark_done(self, group: TaskGroup) -> None:
        """Mark ``group``'s tasks done on the platforms that allow it (on a worker); a refusal
        is shown and the task stays (see ui/mark_done.py)."""
        if self._when_ready(lambda: self.mark_done(group)):
            return
        services = self.services
        if services is not None and self.user is not None:
            self.marker.run(services, group, self.completable, services.grouping.group)

    # -- web tabs -----------------------------------------------------------------------------

    def web(self) -> WebContext:
        """The shared web profile's owner; QtWebEngine starts here, on first use."""
        return self.context.web()

    def web_started(self) -> bool:
        """True once QtWebEngine runs (a page was opened); start-up alone never starts it."""
        web = self.context.existing_web
        return web is not None and web.has_profile()

    def _when_ready(self, action: Callable[[], None]) -> bool:
        """Whether the window is still opening (its cached tasks shown, the rest not yet): then
        ``action`` runs once it is (_opened), and the caller returns."""
        if self._ready or (self.context.services is None and self._early is None):
            return False
        self._on_ready.append(action)
        return True

    def open_platform(self, plugin_id: str) -> None:
        if self._when_ready(lambda: self.open_platform(plugin_id)):
            return
        services = self.services
        platform = services.registry.get(plugin_id) if services else None
        blocked = services.registry.blocked.get(plugin_id) if services else None
        if platform is None and blocked is not None and blocked.hard:
            self._say_blocked(blocked)
            return
        if platform is None or self.web_pages.select(plugin_id):
            return
        name = self.context.platform_name(plugin_id)
        self.open_web(platform.home, name, key=plugin_id, platform_id=plugin_id)

    def _say_blocked(self, blocked: Blocked) -> None:
        """A hard-blocked platform's tile was opened: why, and whom to call (the county's words,
        as plain text)."""
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        from launcher.app.vocabulary import block_sentence

        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Platform blocked"),
                          bounded(block_sentence(blocked.block, self.language)), parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    def open_web(
        self,
        url: str,
        title: str,
        *,
        key: str = "",
        platform_id: str = "",
        fill_context: FillContext | None = None,
    ) -> WebTab:
        """Open ``url`` in a new tab the person asked for (a tile, a task, a notice), for the
        platform ``platform_id`` ('' for none); ``fill_context``: the task (record, subject) the
        page's form is for."""
        tab = self.web_pages.open(
            url, title, key=key, platform_id=platform_id, fill_context=fill_context
        )
        if platform_id:  # for the audit log (launcher/app/audit.py)
            from launcher.app.events import PlatformOpened

            self.events.publish(PlatformOpened(platform_id))
        return tab

    def web_tabs(self) -> list[WebTab]:
        return self.web_pages.all()

    def close_tab(self, index: int) -> None:
        self.web_pages.close(index)

    def close_current_tab(self) -> None:
        self.web_pages.close(self.tabs.currentIndex())

    def close_web_tabs(self) -> None:
        self.web_pages.close_all()

    def current_web_tab(self) -> WebTab | None:
        return self.web_pages.current()

    @property
    def page_tools(self) -> PageTools:
        """Zoom, find, print, downloads, history keys, reopening closed tabs (page_tools.py):
        made with the first web tab."""
        if self._page_tools is None:
            from launcher.ui.page_tools import PageTools

            self._page_tools = PageTools(
                self, self.web_pages, self.context, self.window_actions, self._work_column
            )
        return self._page_tools

    # -- fill ---------------------------------------------------------------------------------

    def _update_fill_action(self) -> None:
        tab = self.current_web_tab()
        self.fill_action.setEnabled(
            tab is not None and self.filler.platform_form(tab.url(), tab.platform_id) is not None
        )
        if self._parts is not None:  # a preview waiting for another tab or page fills nothing
            self._parts.filler.follow(tab)

    def fill(self) -> None:
        """Fill the current platform form from the profile, only on that platform's own page."""
        self.filler.fill(self.current_web_tab(), lambda tab: tab in self.web_tabs())

    # -- misc ---------------------------------------------------------------------------------

    def choose_language(self, language: str) -> None:
        if language == self.language:
            return
        from launcher.ui.window_dialogs import say_language_after_restart

        self.workers.submit("save language", lambda: i18n.save_language(language))
        say_language_after_restart(self)

    def about(self) -> None:
        from launcher.ui.window_dialogs import show_about

        show_about(self)

    # -- closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close (and quit), unless something typed would be lost: then the first close is
        ignored, the pages are asked (asynchronously), and the window asks the person before it
        closes (``close_now``)."""
        guard = self.quit_guard
        if not guard.may_close():
            event.ignore()
            return
        guard.closing = True
        self.inbox_presenter.close()
        if self._parts is not None:
            self._parts.close()
        self.close_web_tabs()
        context = self.context
        services, context.services = context.services, None
        if services is not None:
            # A shared PC ([office] sign_out_on_quit): the session ends with the launcher, so
            # the next person at this PC finds nobody signed in. One job: sign-out, then close.
            sign_out = services.county.office.sign_out_on_quit and services.auth.user is not None

            def finish() -> None:
                if sign_out:
                    from launcher.app.session import sign_out as end_session

                    try:
                        end_session(services)
                    except Exception as exc:  # the local part happened; the provider may be down
                        log.warning("sign-out on quit: %s", exc)
                services.close()

            context.workers.submit("close services", finish)
        if context.existing_workers is not None:
            context.existing_workers.wait_for_done(15000)
        if context.existing_web is not None:
            context.existing_web.release()
        super().closeEvent(event)

    def close_now(self) -> None:
        """Close without asking about unsaved input: 退出 was chosen, or the operating system's
        session is ending (a shared PC's next person must not find this one's launcher)."""
        self.quit_guard.confirm()
        self.close()

    def session_ending(self, *_manager: object) -> None:
        # The desktop session ends (sign-out, shutdown): no question could be answered. Qt
        # closes no window by itself then; this one closes, and its teardown runs.
        self.close_now()

    @property
    def quit_guard(self) -> QuitGuard:
        """Asks before closing would lose typed input (closing.py), made at the first close."""
        if self._quit_guard is None:
            from launcher.ui.closing import QuitGuard

            self._quit_guard = QuitGuard(
                self,
                web_tabs=self.web_tabs,
                profile_unsaved=lambda: (
                    self._parts is not None and self._parts.profile.unsaved()
                ),
                page_name=self.web_pages.page_name,
                close=self.close,
            )
        return self._quit_guard

    def _watch_typing(self, tab: WebTab) -> None:
        """Have a new tab's page note what the person types (see launcher/ui/unsaved.py)."""
        from launcher.ui.unsaved import watch_typing

        watch_typing(tab.page)
