"""The demo county: its identity provider and platforms on 127.0.0.1, and the county.toml that
points the launcher at them."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from launcher_demo.bearer import api_resource
from launcher_demo.generated import MAX_PLATFORMS, demo_platforms
from launcher_demo.idp import (
    BASE_SCOPES,
    LAUNCHER_CLIENT_ID,
    IdpContext,
    create_idp_app,
    generate_signing_keys,
)
from launcher_demo.idp_store import Client, IdpStore
from launcher_demo.legacy_app import (
    LEGACY_ID,
    LEGACY_SHORT,
    LegacyData,
    LoginAttempt,
    create_legacy_app,
)
from launcher_demo.manifests import write_generated_plugins
from launcher_demo.platform_app import PlatformData, create_platform_app
from launcher_demo.platforms import PlatformSpec
from launcher_demo.plugin_dir import plugins_dir
from launcher_demo.registration import register_web_client
from launcher_demo.ruoyi_app import RUOYI_ID, RUOYI_NAME, RUOYI_SHORT, RuoyiData, create_ruoyi_app
from launcher_demo.ruoyi_app import icon_svg as ruoyi_icon
from launcher_demo.ruoyi_app import manifest_toml as ruoyi_manifest
from launcher_demo.serving import LocalServer
from launcher_demo.users import DEMO_USERS

COUNTY_FILE = "county.toml"
PLUGINS_DIR = "plugins"
"""Under the county's directory: the plugin folders of the generated platforms."""


class DemoCounty:
    """Starts, in this process, the county IdP and every demo platform on free loopback ports.

    ``platform_count`` platforms with a task API: the seven demo platforms, and beyond seven
    generated ones (generated.py: 防返贫监测, 河长制巡河, ... up to MAX_PLATFORMS), whose plugin
    folders are written under ``<directory>/plugins``. ``latency`` (seconds) holds back every
    answer of every task API (a slow county, for the benchmarks). ``legacy`` adds
    the legacy platform 农村“三资”监管 (``demo.sanzi``: its own login form, no task API, signed in
    by the password vault) on top of them. With ``cas_server`` (a CAS server's base URL) the county
    signs in through that CAS server instead of the demo OpenID provider (see cas_platform.py).
    With ``issuer`` (an OpenID provider's issuer URL) the demo provider is not started: the
    platforms trust that issuer's tokens, register their web sign-in there (RFC 7591 dynamic client
    registration) and county.toml points the launcher at it. ``session_platform`` adds the
    session-bound platform 网格化服务管理 (``demo.wanggefuwu``, ruoyi_app.py: RuoYi-style, its API
    trusting only its own web session; not with ``cas_server``).
    """

    def __init__(
        self,
        *,
        directory: Path,
        platform_count: int = 7,
        legacy: bool = True,
        cas_server: str | None = None,
        issuer: str | None = None,
        latency: float = 0.0,
        session_platform: bool = False,
    ) -> None:
        if not 1 <= platform_count <= MAX_PLATFORMS:
            raise ValueError(f"platform_count must be 1 to {MAX_PLATFORMS}, not {platform_count}")
        if not latency >= 0:
            raise ValueError(f"latency must be 0 or more seconds, not {latency}")
        self.directory = Path(directory)
        self.county_path = self.directory / COUNTY_FILE
        self.specs: tuple[PlatformSpec, ...] = demo_platforms(platform_count)
        self.latency = latency
        self.legacy = legacy
        self.cas_server = cas_server
        self._external_issuer = issuer.rstrip("/") if issuer else None
        self._legacy_data = LegacyData()
        self.session_platform = session_platform and not cas_server
        self.ruoyi = RuoyiData()
        """The session-bound platform's tokens, for tests to expire or refuse (ruoyi_app.py)."""
        self.issuer = ""
        self.base_urls: dict[str, str] = {}
        self._data: dict[str, PlatformData] = {}
        self._servers: list[LocalServer] = []
        self._lock = threading.Lock()

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> DemoCounty:
        with self._lock:
            if self._servers:
                return self
            servers: list[LocalServer] = []
            try:
                self._start(servers)
            except BaseException:
                for server in servers:
                    server.stop()
                raise
            self._servers = servers
        return self

    def _start(self, servers: list[LocalServer]) -> None:
        idp_server = LocalServer("idp") if self._external_issuer is None else None
        if idp_server is not None:
            servers.append(idp_server)
        platform_servers = {spec.plugin_id: LocalServer(spec.short) for spec in self.specs}
        servers.extend(platform_servers.values())
        issuer = idp_server.url if idp_server is not None else str(self._external_issuer)
        base_urls = {pid: s.url for pid, s in platform_servers.items()}
        if self.legacy:
            legacy_server = LocalServer(LEGACY_SHORT)
            servers.append(legacy_server)
            self._legacy_data = LegacyData()
            legacy_server.set_app(create_legacy_app(self._legacy_data))
            base_urls[LEGACY_ID] = legacy_server.url

        ruoyi_server = LocalServer(RUOYI_SHORT) if self.session_platform else None
        if ruoyi_server is not None:
            servers.append(ruoyi_server)
            base_urls[RUOYI_ID] = ruoyi_server.url

        store = IdpStore()
        ctx = IdpContext(
            issuer,
            store,
            generate_signing_keys(),
            {spec.plugin_id: spec.scope for spec in self.specs},
            {spec.plugin_id: api_resource(base_urls[spec.plugin_id]) for spec in self.specs},
        )
        store.add_client(
            Client(
                client_id=LAUNCHER_CLIENT_ID,
                name="一端通",
                allowed_scopes=tuple(ctx.scopes),
                loopback=True,
            )
        )
        data: dict[str, PlatformData] = {}
        for spec in self.specs:
            base_url = base_urls[spec.plugin_id]
            client_id, secret = spec.plugin_id, secrets.token_urlsafe(24)
            if idp_server is None:
                client_id, secret = register_web_client(issuer, spec.name, base_url)
            store.add_client(
                Client(
                    client_id=spec.plugin_id,
                    name=spec.name,
                    client_secret=secret,
                    allowed_scopes=("openid", "profile"),
                    redirect_uris=(f"{base_url}/auth/callback",),
                    post_logout_redirect_uris=(f"{base_url}/",),
                    grant_types=("authorization_code",),
                )
            )
            data[spec.plugin_id] = PlatformData.seeded(spec)
            app = create_platform_app(
                data[spec.plugin_id],
                base_url=base_url,
                issuer=issuer,
                client_secret=secret,
                cas_server=self.cas_server,
                client_id=client_id,
                latency=self.latency,
            )
            platform_servers[spec.plugin_id].set_app(app)
        if ruoyi_server is not None:
            ruoyi_server.set_app(self._ruoyi_app(store, issuer, ruoyi_server.url,
                                                 own_idp=idp_server is not None))
        if idp_server is not None:
            idp_server.set_app(create_idp_app(ctx))

        self.directory.mkdir(parents=True, exist_ok=True)
        plugins = self.directory / PLUGINS_DIR
        extra_dirs = [plugins] if write_generated_plugins(plugins, self.specs) else []
        if ruoyi_server is not None:
            folder = plugins / RUOYI_SHORT
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "manifest.toml").write_text(ruoyi_manifest(), encoding="utf-8")
            (folder / "icon.svg").write_text(ruoyi_icon(), encoding="utf-8")
            extra_dirs = [plugins]
        self.county_path.write_text(
            county_toml(issuer, base_urls, cas_server=self.cas_server, plugin_dirs=extra_dirs),
            encoding="utf-8",
        )
        for server in servers:
            server.start()
        self.issuer, self.base_urls, self._data = issuer, base_urls, data

    def _ruoyi_app(self, store: IdpStore, issuer: str, base_url: str, *, own_idp: bool) -> Any:
        """The session-bound platform's app, a web client of the county's identity provider."""
        client_id, secret = RUOYI_ID, secrets.token_urlsafe(24)
        if not own_idp:
            client_id, secret = register_web_client(issuer, RUOYI_NAME, base_url)
        store.add_client(
            Client(
                client_id=RUOYI_ID,
                name=RUOYI_NAME,
                client_secret=secret,
                allowed_scopes=("openid", "profile"),
                redirect_uris=(f"{base_url}/auth/callback",),
                post_logout_redirect_uris=(f"{base_url}/",),
                grant_types=("authorization_code",),
            )
        )
        self.ruoyi = RuoyiData()
        return create_ruoyi_app(self.ruoyi, base_url=base_url, issuer=issuer,
                                client_id=client_id, client_secret=secret)

    def stop(self) -> None:
        with self._lock:
            servers, self._servers = self._servers, []
        for server in servers:
            server.stop()

    def __enter__(self) -> DemoCounty:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- what tests and headless commands look at ---------------------------------------------

    def submissions(self, plugin_id: str) -> list[dict[str, str]]:
        """The form submissions the platform stored, oldest first."""
        return self._platform(plugin_id).all_submissions()

    def refusals(self, plugin_id: str) -> list[dict[str, str]]:
        """Submissions the platform refused (its own validation), oldest first: each the values
        sent plus ``error``, the platform's message."""
        return self._platform(plugin_id).all_refusals()

    def account(self, plugin_id: str, username: str) -> dict[str, str]:
        """The person's 个人中心 details on the platform (``/user/profile``: nickName,
        phonenumber, email, sex), as last saved there; the name alone before that."""
        user = next((u for u in DEMO_USERS if u.username == username), None)
        return self._platform(plugin_id).account(username, user.name if user else "")

    def tasks(self, plugin_id: str) -> list[dict[str, Any]]:
        """The platform's seeded tasks (every user's, open and done) in its own JSON item shape."""
        data = self._platform(plugin_id)
        with data.lock:
            return [data.spec.serialize(t, self.base_urls[plugin_id]) for t in data.tasks]

    def login_attempts(self) -> list[LoginAttempt]:
        """The password checks of the legacy platform's login form, oldest first."""
        return self._legacy_data.all_attempts()

    def _platform(self, plugin_id: str) -> PlatformData:
        try:
            return self._data[plugin_id]
        except KeyError:
            raise KeyError(
                f"{plugin_id!r} is not a platform of this demo county (was it started?)"
            ) from None


DEMO_SUPPORT = (
    "[support]",
    'name = "示范县信息化服务台"',
    'phone = "0000-1234567"',
    'email = "help@demo-county.example"',
    'hours = "工作日 8:30–12:00，14:00–17:30"',
    'note = "示范县的联系方式是虚构的：电话打不通，邮件也收不到。"',
)
"""The demo county's IT team (帮助 → 联系县信息化团队): made up, and it says so."""


def county_toml(
    issuer: str,
    base_urls: dict[str, str],
    *,
    cas_server: str | None = None,
    plugin_dirs: Sequence[Path] = (),
) -> str:
    """The county file of the demo county, as DESIGN.md and launcher.core.county define it
    (signing in at ``cas_server`` when given: a county of its own, ``demo-cas``). Its plugins are
    found where any county's are, in its ``plugin_dirs``: the demo platforms' folder, then
    ``plugin_dirs`` (the generated platforms')."""

    def s(value: str) -> str:  # TOML basic strings accept JSON string escapes
        return json.dumps(value, ensure_ascii=False)

    scopes = ", ".join(s(x) for x in BASE_SCOPES)
    idp = [
        'kind = "oidc"',
        f"issuer = {s(issuer)}",
        f"client_id = {s(LAUNCHER_CLIENT_ID)}",
        f"scopes = [{scopes}]",
        'login = "embedded"',
    ]
    if cas_server:
        idp = ['kind = "cas"', f"server = {s(cas_server)}", "version = 3"]
    lines = [
        "# Written by `launcher --demo`: the built-in demo county on this computer.",
        "# Ports change each run; this file is rewritten every time the demo starts.",
        "",
        "plugin_dirs = ["
        + ", ".join(s(d.as_posix()) for d in (plugins_dir(), *plugin_dirs))
        + "]",
        "",
        "[county]",
        'id = "demo-cas"' if cas_server else 'id = "demo"',
        'name = "示范县"',
        'name_en = "Demo County"',
        "",
        "[idp]",
        *idp,
        "",
        *DEMO_SUPPORT,
    ]
    for plugin_id, base_url in base_urls.items():
        lines += ["", "[[platforms]]", f"plugin = {s(plugin_id)}", f"base_url = {s(base_url)}"]
    return "\n".join(lines) + "\n"
