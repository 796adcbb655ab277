"""``PageTools``: what makes the web tabs behave like a browser's, made with the first web tab.

- Zoom: Ctrl+= (or Ctrl++), Ctrl+-, Ctrl+0, remembered per platform (``page_zoom.py``).
- Find in page: Ctrl+F with a page in front opens its find bar (``find_bar.py``); with the inbox
  in front Ctrl+F is still the task search.
- Back, forward, reload: Alt+Left, Alt+Right, F5 with a page in front (F5 refreshes the inbox
  otherwise); the buttons are each tab's (``page_nav.py``).
- Print (Ctrl+P, and a page's own window.print()) and save as PDF (``page_print.py``).
- Downloads, to a folder the person chooses, in a bar under the tabs (``downloads.py``).
- Reopen a closed tab (Ctrl+Shift+T): the last pages the person closed, a few, each with its
  platform; forgotten when every tab closes at once (sign-out, another person, quit).
- Hidden pages frozen, then discarded (``page_lifecycle.py``), never one downloading or printing.

Its actions are in the 页面 menu. Ctrl+F and F5 belong to the page actions while a page is in
front and to the window's (search, refresh) otherwise: one key, one action at a time.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QVBoxLayout, QWidget

from launcher.ui import i18n
from launcher.ui.address_bar import OWN
from launcher.ui.downloads import DownloadBar, Downloads
from launcher.ui.find_bar import FindBar
from launcher.ui.page_lifecycle import PageLifecycle
from launcher.ui.page_print import PagePrint
from launcher.ui.page_zoom import PageZoom

if TYPE_CHECKING:
    from launcher.ui.web import WebTab
    from launcher.ui.web_tabs import WebTabs
    from launcher.ui.window_actions import WindowActions
    from launcher.ui.window_context import WindowContext

translate = QCoreApplication.translate

CLOSED_KEPT = 10
"""Closed tabs Ctrl+Shift+T can bring back."""


@dataclass(frozen=True)
class ClosedTab:
    url: str
    title: str
    platform_id: str
    key: str


class PageTools(QObject):
    """Zoom, find, print, PDF, downloads, history keys and reopening, for ``pages``' tabs."""

    def __init__(
        self,
        window: QMainWindow,
        pages: WebTabs,
        context: WindowContext,
        window_actions: WindowActions,
        column: QVBoxLayout,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._pages = pages
        self._context = context
        self._window_actions = window_actions
        settings = i18n.settings()  # read once; QSettings writes it from the event loop
        self.zoom = PageZoom(settings)
        self.printing = PagePrint(window, settings, pages.status.emit, page_name=pages.page_name)
        self.download_bar = DownloadBar(column.parentWidget() or window)
        column.addWidget(self.download_bar)
        self.downloads = Downloads(context, self.download_bar, settings, window)
        self.closed: deque[ClosedTab] = deque(maxlen=CLOSED_KEPT)
        """The pages the person closed, the last one last."""
        # Hidden pages frozen, then discarded; never one downloading or printing.
        self.lifecycle = PageLifecycle(
            pages, context, parent=self,
            busy=lambda tab: self.printing.busy(tab) or self.download_bar.running(tab.page),
        )

        def action(text: str, slot: object) -> QAction:
            act = QAction(text, window)
            act.triggered.connect(lambda _=False: slot())  # type: ignore[operator]
            return act

        self.back = action(
            translate("PageTools", "Back"), lambda: self._on_page(lambda t: t.view.back())
        )
        self.forward = action(
            translate("PageTools", "Forward"), lambda: self._on_page(lambda t: t.view.forward())
        )
        self.reload = action(
            translate("PageTools", "Reload page"), lambda: self._on_page(lambda t: t.view.reload())
        )
        self.find = action(translate("PageTools", "Find in page…"), self.find_in_page)
        self.zoom_in = action(translate("PageTools", "Zoom in"), lambda: self._zoom("in"))
        self.zoom_out = action(translate("PageTools", "Zoom out"), lambda: self._zoom("out"))
        self.zoom_reset = action(translate("PageTools", "Actual size"), lambda: self._zoom("reset"))
        self.print = action(
            translate("PageTools", "Print…"), lambda: self._on_page(self.printing.print_tab)
        )
        self.save_pdf = action(
            translate("PageTools", "Save as PDF…"), lambda: self._on_page(self.printing.save_pdf)
        )
        self.reopen = action(translate("PageTools", "Reopen closed tab"), self.reopen_closed)
        self.back.setShortcut(QKeySequence("Alt+Left"))
        self.forward.setShortcut(QKeySequence("Alt+Right"))
        self.zoom_in.setShortcuts([QKeySequence("Ctrl+="), QKeySequence("Ctrl++")])
        self.zoom_out.setShortcut(QKeySequence("Ctrl+-"))
        self.zoom_reset.setShortcut(QKeySequence("Ctrl+0"))
        self.print.setShortcut(QKeySequence("Ctrl+P"))
        self.reopen.setShortcut(QKeySequence("Ctrl+Shift+T"))
        self.page_actions = (
            self.back,
            self.forward,
            self.reload,
            self.find,
            self.zoom_in,
            self.zoom_out,
            self.zoom_reset,
            self.print,
            self.save_pdf,
        )
        self._menu(window)
        pages.closing.connect(self._closing)
        pages.cleared.connect(self._cleared)
        pages.tab_widget.currentChanged.connect(lambda _index: self._front_changed())
        self._front_changed()

    def _menu(self, window: QMainWindow) -> None:
        """The 页面 menu, after 工作."""
        bar = window.menuBar()
        menu = QMenu(translate("PageTools", "&Page"), bar)
        groups = (
            (self.back, self.forward, self.reload),
            (self.find,),
            (self.zoom_in, self.zoom_out, self.zoom_reset),
            (self.print, self.save_pdf),
            (self.reopen,),
        )
        for number, group in enumerate(groups):
            if number:
                menu.addSeparator()
            for act in group:
                menu.addAction(act)
        menus = bar.actions()
        work = next(
            (i for i, a in enumerate(menus) if self._window_actions.search in _items(a)), None
        )
        after = menus[work + 1] if work is not None and work + 1 < len(menus) else None
        bar.insertMenu(after, menu)  # type: ignore[arg-type]
        self.menu = menu

    # -- the tab in front ----------------------------------------------------------------------

    def _front_changed(self) -> None:
        """Ctrl+F and F5 to the page's actions while a page is in front, else the window's."""
        on_page = self._pages.current() is not None
        for act in self.page_actions:
            act.setEnabled(on_page)
        none = QKeySequence()
        search, refresh = self._window_actions.search, self._window_actions.refresh
        search.setShortcut(none if on_page else QKeySequence("Ctrl+F"))
        refresh.setShortcut(none if on_page else QKeySequence("F5"))
        self.find.setShortcut(QKeySequence("Ctrl+F") if on_page else none)
        self.reload.setShortcut(QKeySequence("F5") if on_page else none)

    def _on_page(self, do: object) -> None:
        tab = self._pages.current()
        if tab is not None:
            do(tab)  # type: ignore[operator]

    def follow(self, tab: WebTab) -> None:
        """A new web tab: its platform's zoom (again after each load), its window.print()."""
        self.zoom.apply(tab)
        tab.load_finished.connect(lambda _ok, t=tab: self.zoom.apply(t))
        tab.page.printRequested.connect(lambda t=tab: self._page_asks_to_print(t))
        self.lifecycle.follow(tab)

    def _page_asks_to_print(self, tab: WebTab) -> None:
        if self._pages.current() is tab:  # a page behind others prints nothing
            self.printing.print_tab(tab)

    # -- zoom, find ----------------------------------------------------------------------------

    def _zoom(self, how: str) -> None:
        tab = self._pages.current()
        if tab is None:
            return
        factor = self.zoom.change(tab, how, self._pages.all())
        self._pages.status.emit(
            translate("PageTools", "Zoom {percent}%").format(percent=round(factor * 100))
        )

    def find_in_page(self) -> None:
        tab = self._pages.current()
        if tab is not None:
            FindBar.for_tab(tab).open()

    # -- closed tabs ---------------------------------------------------------------------------

    def _closing(self, tab: WebTab) -> None:
        # Pages of a platform or that the person opened; never a window a page opened.
        if not (tab.platform_id or tab.opened_by_person):
            return
        own = tab.address.place.kind == OWN and tab.url()
        url = tab.url() if own else tab.opened_url
        if url:
            title = tab.view.title() or self._context.platform_name(tab.platform_id)
            self.closed.append(ClosedTab(url, title, tab.platform_id, tab.key))

    def _cleared(self) -> None:
        self.closed.clear()
        self.download_bar.clear()

    def reopen_closed(self) -> WebTab | None:
        """Open the last closed page again, for its platform (if the county still has it)."""
        services = self._context.services
        while self.closed:
            last = self.closed.pop()
            gone = services is None or services.registry.get(last.platform_id) is None
            if last.platform_id and gone:
                continue  # retired or blocked meanwhile
            key = last.key
            if key and any(t.key == key for t in self._pages.all()):
                key = ""  # its tile's tab is open again: this one is another
            return self._pages.open(last.url, last.title, key=key, platform_id=last.platform_id)
        return None

    # -- the window's Tab order ----------------------------------------------------------------

    def with_download_bar(self, order: list[QWidget], status: QWidget) -> list[QWidget]:
        """``order`` with the download bar's controls (when shown) before the status bar's."""
        if not self.download_bar.isVisible():
            return order
        from launcher.ui.focus_order import focus_chain, takes_tab

        bar = self.download_bar
        stops = [w for w in focus_chain(self._window) if bar.isAncestorOf(w) and takes_tab(w)]
        at = next((i for i, w in enumerate(order) if status.isAncestorOf(w)), len(order))
        return [*order[:at], *stops, *order[at:]]


def _items(menu_action: QAction) -> list[QAction]:
    menu = menu_action.menu()
    return menu.actions() if isinstance(menu, QMenu) else []
