"""A county with a test identity provider for plugin tests: the demo county (``launcher_demo``),
found as the launcher finds it (the ``yiduantong.demo`` entry point), started on 127.0.0.1.

It gives a plugin's tests what a signed-in launcher has: a real county login at a real OpenID
provider, the person's claims, and an access token the provider issued for a platform.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from launcher.core.demo import Demo, DemoAccount, load_demo
from launcher.core.errors import LauncherError

__all__ = ["NOT_INSTALLED", "SignedIn", "TestCounty", "started_county"]

NOT_INSTALLED = ("the demo county (launcher_demo) is not installed, so there is no test identity "
                 "provider: pip install 'yiduantong-launcher[demo]'")


@dataclass(frozen=True)
class SignedIn:
    """A person signed in at the test county's provider."""

    claims: Mapping[str, Any]
    """What a plugin's context shows: ``sub``, ``name``, ``preferred_username``."""
    tokens: Mapping[str, str]
    """Platform id -> the access token the provider issued for it."""


class TestCounty:
    """The demo county, running: its county file, its people, and ``sign_in``."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(self, demo: Demo, path: Path) -> None:
        self.demo = demo
        self.path = path

    @property
    def users(self) -> Sequence[DemoAccount]:
        return self.demo.users

    def with_plugin(self, folder: Path, plugin_id: str, base_url: str) -> Path:
        """A county file beside the county's own that adds the plugin in ``folder`` (its
        manifest's id ``plugin_id``) at ``base_url``: for ``launcher validate`` or a launcher."""
        text = self.path.read_text(encoding="utf-8")
        parent = json.dumps(Path(folder).resolve().parent.as_posix(), ensure_ascii=False)
        text = text.replace("plugin_dirs = [", f"plugin_dirs = [{parent}, ", 1)
        text += (f"\n[[platforms]]\nplugin = {json.dumps(plugin_id)}\n"
                 f"base_url = {json.dumps(base_url)}\n")
        path = self.path.with_name(f"county-{plugin_id}.toml")
        path.write_text(text, encoding="utf-8")
        return path

    def sign_in(self, user: DemoAccount | None = None) -> SignedIn:
        """Sign ``user`` (the first of ``users`` by default) in as the launcher does, at the
        county's provider, and return the claims and the platforms' access tokens. Needs the
        keyring the launcher keeps its session in (LAUNCHER_HOME is the test's own)."""
        from launcher.app.services import Services

        services = Services.open(self.path)
        try:
            info = self.demo.sign_in(services.auth, user)
            tokens = {}
            for platform in services.registry.platforms:
                if platform.auth_kind == "sso":
                    with contextlib.suppress(LauncherError):
                        token = services.auth.token_for(platform)
                        if token:
                            tokens[platform.id] = token
            claims = {"sub": info.sub, "name": info.name, "preferred_username": info.username}
            services.logout()
            return SignedIn(claims, tokens)
        finally:
            services.close()


@contextlib.contextmanager
def started_county(directory: Path) -> Iterator[TestCounty]:
    """The demo county started in ``directory``; raises ``LauncherError`` (``NOT_INSTALLED``)
    when it is not installed."""
    demo = load_demo()
    with demo.county(directory, platform_count=1) as path:
        yield TestCounty(demo, path)

