"""``WebTabs``: the web pages among the window's tabs: opening, titling, closing, finding them.

The inbox and profile tabs are always there and never closed; web tabs get close buttons with the
first of them. Imported at start-up (the window makes its ``WebTabs`` then), it imports web.py and
QtWebEngine only when the first page opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

if TYPE_CHECKING:
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QTabWidget, QWidget

    from launcher.app.fill import FillContext
    from launcher.ui.address_bar import PageOwners
    from launcher.ui.web import WebTab
    from launcher.ui.window_context import WindowContext

translate = QCoreApplication.translate


class WebTabs(QObject):
    """The web tabs of ``tabs`` (whose first pages, ``fixed``, are never closed)."""

    opened = Signal(object)
    """The WebTab just added."""
    address_changed = Signal()
    """A tab's page moved to another address (what Fill may do there changes)."""
    status = Signal(str)
    """A word for the status bar (a window a page opened was blocked)."""
    closing = Signal(object)
    """The WebTab about to close on its own (not with all the others: sign-out, quit)."""
    clearing = Signal(list)
    """Every web tab (the list of WebTabs, maybe empty) is about to close at once (sign-out,
    another person, quit): what they show is still there."""
    cleared = Signal()
    """Every web tab was closed at once (sign-out, another person, quit)."""

    def __init__(
        self,
        tabs: QTabWidget,
        fixed: tuple[QWidget, ...],
        context: WindowContext,
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._tabs = tabs
        self._fixed = fixed
        self._context = context
        self._closing_all = False

    @property
    def tab_widget(self) -> QTabWidget:
        """The window's tabs (the fixed ones and the web pages)."""
        return self._tabs

    def _owners(self) -> PageOwners | None:
        """Whose page an address is, for the address bars (None before the county is open)."""
        from launcher.ui.address_bar import PageOwners

        services = self._context.services
        if services is None:
            return None
        return PageOwners(services.registry, services.county.idp.url,
                          english=self._context.english)

    def page_name(self, tab: WebTab) -> str:
        """A page as the person knows it: its platform's name, else its tab's title."""
        platform_id = getattr(tab, "platform_id", "") or getattr(tab, "key", "")
        if platform_id and self._context.services is not None:
            return self._context.platform_name(platform_id)
        index = self._tabs.indexOf(tab)
        return self._tabs.tabText(index).replace("&&", "&") if index >= 0 else tab.url()

    def select(self, key: str) -> bool:
        """Bring forward the tab opened for ``key`` (a platform's home); False if there is none."""
        for index in range(self._tabs.count()):
            if getattr(self._tabs.widget(index), "key", None) == key:
                self._tabs.setCurrentIndex(index)
                return True
        return False

    def open(
        self,
        url: str,
        title: str,
        *,
        key: str = "",
        platform_id: str = "",
        fill_context: FillContext | None = None,
    ) -> WebTab:
        """Open ``url`` in a new tab the person asked for (a tile, a task, a notice), for the
        platform ``platform_id`` ('' for none); ``fill_context``: the task (record, subject) its
        form is for."""
        from launcher.ui.web import BrowserPage

        page = BrowserPage(self._context.web().profile())
        tab = self.add(page, title, key, platform_id=platform_id, opened_by_person=True)
        tab.fill_context = fill_context
        tab.opened_url = url
        tab.load(url)
        return tab

    def add(
        self,
        page: Any,
        title: str,
        key: str = "",
        *,
        platform_id: str = "",
        opened_by_person: bool = False,
    ) -> WebTab:
        from launcher.ui.web import WebTab

        tabs = self._tabs
        if not tabs.tabsClosable():
            tabs.setTabsClosable(True)
            bar = tabs.tabBar()
            for fixed in range(len(self._fixed)):  # the inbox and profile tabs are always there
                bar.setTabButton(fixed, bar.ButtonPosition.RightSide, None)
        tab = WebTab(
            page,
            tabs,
            key=key,
            platform_id=platform_id,
            opened_by_person=opened_by_person,
            owners=self._owners(),
        )
        # A window the page opens (after a click) is a tab of no platform, not opened by the
        # person: its pages are matched by address, and the password vault never fills it.
        page.new_window.connect(
            lambda new_page: self.add(new_page, translate("MainWindow", "New page"))
        )
        page.popup_refused.connect(lambda why, count, t=tab: self._popup_refused(t, why, count))
        index = tabs.addTab(tab, "")
        self._retitle(tab, title)
        tab.title_changed.connect(lambda text, t=tab: self._retitle(t, text))
        tab.url_changed.connect(lambda _url: self.address_changed.emit())
        # Not from the page's own signal: close_page must not run inside it.
        tab.close_requested.connect(
            lambda t=tab: QTimer.singleShot(0, lambda: self.close(tabs.indexOf(t)))
        )
        tabs.setCurrentIndex(index)
        self.opened.emit(tab)
        return tab

    def _retitle(self, tab: WebTab, title: str) -> None:
        from launcher.ui.plain_text import tooltip

        index = self._tabs.indexOf(tab)
        if index >= 0 and title:
            tab.shown_title = title
            # The platform first ("安全排查 · title"): a page's own title may name anything.
            name = self._context.platform_name(tab.platform_id) if tab.platform_id else ""
            text = tab_text(title) if title == name else tab_text(title, platform=name)
            self._tabs.setTabText(index, text)
            note = tab.note
            self._tabs.setTabToolTip(
                index, tooltip(title, note) if title == name else tooltip(name, title, note)
            )

    def set_note(self, tab: WebTab, note: str, *, colour: QColor | None = None) -> None:
        """Say ``note`` on ``tab`` (its page asleep, say: page_lifecycle.py) after its title in
        the tooltip and accessible name, its text in ``colour`` (None: the usual); '' takes the
        note away."""
        index = self._tabs.indexOf(tab)
        if index < 0:
            return
        if colour is None:
            from PySide6.QtGui import QColor

            colour = QColor()  # invalid: the tab bar's own colour
        bar = self._tabs.tabBar()
        bar.setTabTextColor(index, colour)
        if tab.note != note:
            tab.note = note
            if tab.shown_title:
                self._retitle(tab, tab.shown_title)
            # A screen reader hears the note too ('': Qt's own name again, the tab's text).
            named = translate("MainWindow", "{title} ({state})")
            text = self._tabs.tabText(index).replace("&&", "&")
            bar.setAccessibleTabName(index, named.format(title=text, state=note) if note else "")

    def _popup_refused(self, tab: WebTab, why: str, count: int) -> None:
        from launcher.ui.web import NO_GESTURE

        where = tab.address.place
        host = where.scheme + where.host if where.host else translate("MainWindow", "this page")
        if why == NO_GESTURE:
            text = translate(
                "MainWindow",
                "Blocked a window {host} tried to open by itself ({count} blocked in this tab).",
            )
        else:
            text = translate(
                "MainWindow",
                "Blocked a window {host} opened: too many windows ({count} blocked in this tab).",
            )
        self.status.emit(text.format(host=host, count=count))

    def all(self) -> list[WebTab]:
        if self._context.existing_web is None:
            return []  # before importing web.py: that would load QtWebEngine at start-up
        from launcher.ui.web import WebTab

        tabs = self._tabs
        return [w for i in range(tabs.count()) if isinstance(w := tabs.widget(i), WebTab)]

    def close(self, index: int) -> None:
        tab = self._tabs.widget(index)
        if tab is None or tab in self._fixed:
            return
        if not self._closing_all:
            self.closing.emit(tab)
        self._tabs.removeTab(index)
        close_page = getattr(tab, "close_page", None)
        if close_page is not None:
            close_page()
        tab.deleteLater()

    def close_all(self) -> None:
        self.clearing.emit(self.all())
        self._closing_all = True
        try:
            for tab in self.all():
                self.close(self._tabs.indexOf(tab))
        finally:
            self._closing_all = False
        self.cleared.emit()

    def current(self) -> WebTab | None:
        tab = self._tabs.currentWidget()
        return next((t for t in self.all() if t is tab), None)


def tab_text(title: str, *, platform: str = "") -> str:
    """A page's title as a tab's text: one short line, after its platform's name when it has
    one; "&" shown, not taken for a shortcut."""
    from launcher.ui.plain_text import bounded

    text = bounded(title, 24, lines=1)
    if platform:
        text = f"{bounded(platform, 12, lines=1)} · {text}"
    return text.replace("&", "&&")
