"""The hidden page that signs a session-bound platform's web app in, and the copy of the web
profile's cookies it reads (launcher/ui/platform_sessions.py). Imported with the first such page:
QtWebEngine is never loaded at start-up."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl
from PySide6.QtNetwork import QNetworkCookie
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

from launcher.core.auth.web_session import SeenCookie
from launcher.ui.web import QuietPage

log = logging.getLogger(__name__)


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
        self.loadStarted.connect(self._started)

    def _started(self) -> None:
        self.loads += 1

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
