"""What the window's controllers share, handed to each in its constructor: the county's services
(None until the county is open, and again once the window closes), the worker threads, the
application's events, the web profile's owner and the interface language.

One object instead of a getter per dependency: a controller made in the window's first frame
(before the county is open, before QtWebEngine is loaded) reads ``context.services`` when it
acts, never reaches back into the window, and is told of the web profile when it starts
(``web_made``). The workers, the events and the web profile are made on first use: the first
frame imports none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from launcher.ui import i18n

if TYPE_CHECKING:
    from launcher.app.events import Events
    from launcher.app.services import Services
    from launcher.ui.web import WebContext
    from launcher.ui.workers import Workers


class WindowContext(QObject):
    """The shared parts of one window (the window is its parent)."""

    web_made = Signal(object)
    """The WebContext, just made: QtWebEngine is loaded from now on."""

    def __init__(self, *, language: str, loopback_only: bool, parent: QObject) -> None:
        super().__init__(parent)
        self.language = language
        self.english = language == i18n.ENGLISH
        self.loopback_only = loopback_only
        self.services: Services | None = None
        """The county's services: None until the county is open, and once the window closes."""
        self.early_names: dict[str, str] = {}
        """The platforms' names the start snapshot gave, used until the county is open."""
        self._workers: Workers | None = None
        self._events: Events | None = None
        self._web: WebContext | None = None

    @property
    def workers(self) -> Workers:
        """Runs what would block the GUI thread (network, disk, keyring) on a thread pool."""
        if self._workers is None:
            from launcher.ui.workers import Workers

            self._workers = Workers(self)
        return self._workers

    @property
    def existing_workers(self) -> Workers | None:
        """The workers, if anything has used them yet."""
        return self._workers

    @property
    def events(self) -> Events:
        """What the use cases announce (launcher/app/events.py), shared with Services."""
        if self._events is None:
            from launcher.app.events import Events

            self._events = Events()
        return self._events

    def web(self) -> WebContext:
        """The shared web profile's owner; QtWebEngine starts here, on first use (never before
        the county is open: pages belong to its platforms)."""
        if self._web is None:
            from launcher.ui.web import WebContext

            if self.services is None:
                raise RuntimeError("the county is not open yet")
            self._web = WebContext(loopback_only=self.loopback_only, parent=self)
            self.web_made.emit(self._web)
        return self._web

    @property
    def existing_web(self) -> WebContext | None:
        """The web profile's owner, if a page or a sign-in has made it (None: not yet)."""
        return self._web

    def platform_name(self, plugin_id: str) -> str:
        """A platform's name in the interface language (its id when the county does not know
        it, or is not open)."""
        services = self.services
        if services is None:
            return self.early_names.get(plugin_id, plugin_id)
        platform = services.registry.get(plugin_id)
        if platform is None:
            return plugin_id
        return platform.name_en if self.english else platform.name
