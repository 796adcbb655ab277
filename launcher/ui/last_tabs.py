"""``LastTabsKeeper``: the window opens with the person's last platform tabs, where the county
allows it (``[office] reopen_tabs``).

When every tab closes at once (sign-out, another person signing in, 换人, quitting), the platform
tabs of the person whose tabs they were (whoever was signed in when they were opened) are kept
for that person (launcher/core/last_tabs.py, in the keyring, on a worker): each one's platform
and its address when the page was its platform's own (the address bar's 属于 …), else the address
it was opened at if that is, else the platform's home; never a page of another origin, nor a
window a page opened. After that same person signs in again (or their session is restored when
the launcher starts), the tabs open again, each address checked against the county once more
(a platform retired or blocked meanwhile is left out; an address no longer its platform's opens
its home), and the tab that was in front is in front again. Another person never gets them:
they are read for the account signing in, and saved for the account that opened them.

Made right after the first paint (window_parts.py); it reads the keyring only when the county
allows reopening, and only then imports QtWebEngine (by opening pages).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance

from launcher.ui.address_bar import OWN, PageOwners

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo
    from launcher.core.last_tabs import SavedTabs
    from launcher.ui.web import WebTab
    from launcher.ui.web_tabs import WebTabs
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)


class LastTabsKeeper(QObject):
    """Keeps the person's tabs when they all close; opens them again at their next sign-in."""

    reopened = Signal(list)
    """The WebTabs opened again for the person just signed in (maybe none)."""

    def __init__(
        self,
        context: WindowContext,
        pages: WebTabs,
        *,
        user: Callable[[], UserInfo | None],
        services_ready: SignalInstance,
        signed_in: SignalInstance,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._pages = pages
        self._user = user
        self._owner = ""
        """The account whose tabs are open ('' when none was signed in as they opened)."""
        self._kept: dict[str, SavedTabs] = {}
        """What was kept this run, by account: newer than the keyring until its write is done."""
        self._reading = ""
        pages.opened.connect(self._opened)
        pages.clearing.connect(self._clearing)
        services_ready.connect(self._county_open)
        signed_in.connect(lambda person: self._signed_in(person.sub))

    def _services(self) -> Services | None:
        services = self._context.services
        if services is None or services.last_tabs is None:
            return None
        return services if services.county.office.reopen_tabs else None

    # -- keeping -----------------------------------------------------------------------------------

    def _opened(self, _tab: WebTab) -> None:
        person = self._user()
        if person is not None and not self._owner:
            self._owner = person.sub

    def _clearing(self, tabs: list[WebTab]) -> None:
        owner, self._owner = self._owner, ""
        services = self._services()
        if not owner or services is None:
            return
        from launcher.core.last_tabs import SavedTab, SavedTabs

        owners = self._page_owners(services)
        front = self._pages.current()
        kept: list[SavedTab] = []
        current = -1
        for tab in tabs:
            platform = services.registry.get(tab.platform_id) if tab.platform_id else None
            if platform is None:
                continue  # a window a page opened, or a platform gone meanwhile
            url = next((u for u in (tab.url(), tab.opened_url) if u and self._own(
                owners, u, platform.id)), "")
            if tab is front:
                current = len(kept)
            kept.append(SavedTab(platform.id, "" if url == platform.home else url,
                                 tile=tab.key == platform.id))
        saved = self._kept[owner] = SavedTabs(tuple(kept), current)
        store = services.last_tabs
        assert store is not None
        self._context.workers.submit("keep the last tabs", lambda: store.save(owner, saved))

    @staticmethod
    def _page_owners(services: Services) -> PageOwners:
        return PageOwners(services.registry, services.county.idp.url)

    @staticmethod
    def _own(owners: PageOwners, url: str, platform_id: str) -> bool:
        """True when ``url`` is a page of the platform itself (not its sign-in, nor another's)."""
        return owners.place(url, platform_id).kind == OWN

    # -- reopening ---------------------------------------------------------------------------------

    def _county_open(self, services: Services) -> None:
        user = services.auth.user
        if user is not None:  # a session restored at start
            self._signed_in(user.sub)

    def _signed_in(self, sub: str) -> None:
        services = self._services()
        if services is None or self._pages.all() or self._reading == sub:
            return  # not allowed; or pages are open (the same person signing in again)
        if sub in self._kept:
            self._reopen(sub, self._kept[sub])
            return
        store = services.last_tabs
        assert store is not None
        self._reading = sub

        def read() -> SavedTabs:
            return store.load(sub)

        def failed(exc: BaseException) -> None:
            self._reading = ""
            log.warning("the last tabs could not be read: %s", exc)

        self._context.workers.submit(
            "read the last tabs", read, lambda saved: self._reopen(sub, saved), failed)

    def _reopen(self, sub: str, saved: SavedTabs) -> None:
        self._reading = ""
        person, services = self._user(), self._services()
        if services is None or person is None or person.sub != sub:
            return  # signed out, or someone else signed in, meanwhile
        owners = self._page_owners(services)
        opened: list[WebTab] = []
        front: WebTab | None = None
        for index, kept in enumerate(saved.tabs):
            platform = services.registry.get(kept.platform_id)
            if platform is None:
                continue  # retired or blocked meanwhile
            key = platform.id if kept.tile else ""
            if key and self._pages.select(key):
                continue  # its tile's tab is open already
            url = kept.url if kept.url and self._own(owners, kept.url, platform.id) else ""
            tab = self._pages.open(url or platform.home, self._context.platform_name(platform.id),
                                   key=key, platform_id=platform.id)
            opened.append(tab)
            if index == saved.current:
                front = tab
        tabs = self._pages.tab_widget
        if front is not None:
            tabs.setCurrentWidget(front)
        elif opened:
            tabs.setCurrentIndex(0)  # the inbox, as it was
        log.info("opened %d tab(s) of the last session again", len(opened))
        self.reopened.emit(opened)
