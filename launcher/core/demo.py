"""The demo county as the launcher sees it: an optional extra, found by an entry point.

The demo county (its identity provider, platform web apps and scripted sign-in) is the package
``launcher_demo``, installed with ``pip install 'yiduantong-launcher[demo]'``. Nothing under
``launcher`` imports it (an import-linter contract checks that): ``launcher --demo`` and
``launcher inbox --demo`` find it through the entry point group ``yiduantong.demo`` and use it
only through :class:`Demo`, so the launcher runs any county without it, and says so plainly
when ``--demo`` is asked for and it is not there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from launcher.core.auth.oidc import LoginFlow
    from launcher.core.auth.session import UserInfo
    from launcher.core.auth.web_session import WebSessions
    from launcher.core.registry import Platform

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "yiduantong.demo"
INSTALL_COMMAND = "pip install 'yiduantong-launcher[demo]'"


class DemoNotInstalled(LauncherError):
    """``--demo`` was asked for, and the demo county is not installed (or cannot be imported)."""

    def __init__(self) -> None:
        super().__init__(f"the demo county is not installed: {INSTALL_COMMAND}")


class DemoAccount(Protocol):
    """A person who can sign in to the demo county (its password is shown on its login page)."""

    @property
    def username(self) -> str: ...

    @property
    def password(self) -> str: ...

    @property
    def name(self) -> str: ...


class PageSignIn(Protocol):
    """A county session that signs in at its provider's login page (``Services.auth``)."""

    def begin_login(self) -> LoginFlow: ...

    def complete_login(self, flow: LoginFlow, callback_url: str) -> UserInfo: ...


class Demo(Protocol):
    """What the demo county gives the launcher."""

    @property
    def max_platforms(self) -> int:
        """The most platforms ``county`` starts (``--demo-platforms``)."""
        ...

    @property
    def users(self) -> Sequence[DemoAccount]:
        """Who can sign in; the first is the default account, whose tasks the demo shows."""
        ...

    def county(
        self, directory: Path, *, platform_count: int = 7, latency: float = 0.0
    ) -> AbstractContextManager[Path]:
        """Start the county on 127.0.0.1, writing its files (the county file first) into
        ``directory``; the context yields the county file's path and stops the county at its end.
        ``latency``: seconds every task list waits before it answers."""
        ...

    def sign_in(self, auth: PageSignIn, user: DemoAccount | None = None) -> UserInfo:
        """Sign ``auth`` in as ``user`` (the default account when None) through the demo
        provider's own login form, over HTTP, without a browser: a blocking call, for a worker
        thread or a headless command."""
        ...

    def sign_in_web_apps(self, platforms: Iterable[Platform], sessions: WebSessions,
                         user: DemoAccount | None = None) -> list[str]:
        """Sign the session-bound platforms among ``platforms`` in over HTTP, as a browser at
        the county login would, and keep their web sessions in ``sessions`` (the headless
        counterpart of the window's hidden pages); returns the platforms signed in."""
        ...


def load_demo() -> Demo:
    """The installed demo county; DemoNotInstalled when it is not there or does not import."""
    from importlib.metadata import entry_points

    found = sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    if not found:
        raise DemoNotInstalled()
    entry = found[0]
    try:
        demo: Demo = entry.load()
    except ImportError as exc:
        # The extra's dependencies (Flask) are missing, or the package itself: the launcher
        # without its demo. The log file keeps which import failed.
        log.info("demo county %s not loaded: %s", entry.value, exc, exc_info=True)
        raise DemoNotInstalled() from None
    return demo
