"""What the launcher finds through the ``yiduantong.demo`` entry point: the demo county behind
the launcher's own protocol (``launcher.core.demo.Demo``), so the launcher never imports this
package by name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from launcher_demo.county import DemoCounty
from launcher_demo.generated import MAX_PLATFORMS
from launcher_demo.scripted import sign_in, sign_in_web_apps
from launcher_demo.users import DEMO_USERS, DemoUser

if TYPE_CHECKING:
    from launcher.core.auth.session import UserInfo
    from launcher.core.auth.web_session import WebSessions
    from launcher.core.demo import Demo, DemoAccount, PageSignIn
    from launcher.core.registry import Platform


class InstalledDemo:
    """The demo county for ``launcher --demo`` and ``launcher inbox --demo``."""

    max_platforms = MAX_PLATFORMS

    @property
    def users(self) -> Sequence[DemoUser]:
        return DEMO_USERS

    @contextmanager
    def county(
        self, directory: Path, *, platform_count: int = 7, latency: float = 0.0
    ) -> Iterator[Path]:
        with DemoCounty(
            directory=directory, platform_count=platform_count, latency=latency,
            session_platform=True,
        ) as county:
            yield county.county_path

    def sign_in(self, auth: PageSignIn, user: DemoAccount | None = None) -> UserInfo:
        return sign_in(auth, user)

    def sign_in_web_apps(self, platforms: Iterable[Platform], sessions: WebSessions,
                         user: DemoAccount | None = None) -> list[str]:
        return sign_in_web_apps(platforms, sessions, user)


DEMO: Demo = InstalledDemo()
"""The entry point's object (pyproject.toml: [project.entry-points."yiduantong.demo"])."""
