"""The county file (county.toml): the identity provider and the platforms a county uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from launcher.core.errors import ConfigError
from launcher.core.network import NetworkConfig, read_network
from launcher.core.schema import Reader, check_http_url, read_toml
from launcher.core.support import SupportContact, read_support

IDP_KINDS = ("oidc", "cas")
LOGIN_MODES = ("embedded", "system-browser", "device")
TOKEN_MODES = ("narrowed", "shared", "web")
"""How each platform gets its access token (``[idp] tokens``): ``narrowed``, a refresh-token grant
narrowed to the platform's scopes and RFC 8707 resource; ``shared``, one token of the whole grant for
every platform (for providers that tie a refresh token to the scope of its last use); ``web``, a
silent authorization request per platform in the window's web profile (prompt=none)."""
REFRESH_MINUTES = (1, 1440)
"""The background refresh interval's bounds: once a minute to once a day."""
LOCK_MINUTES = (1, 240)
"""``[office] lock_after_minutes``'s bounds."""
PAGE_MINUTES = (1, 1440)
"""The bounds of ``[office] freeze_pages_after_minutes`` and ``discard_pages_after_minutes``."""


@dataclass(frozen=True)
class OfficeConfig:
    """``[office]``: how the county's PCs are used. On a shared PC (``shared = true``) the
    launcher locks after ``lock_after_minutes`` without input (None: never) until the same
    person signs in again, and signs out when it quits (``sign_out_on_quit``)."""

    shared: bool = False
    lock_after_minutes: int | None = None
    sign_out_on_quit: bool = False
    freeze_pages_after_minutes: int | None = 5
    """A platform page hidden this long (another tab in front, the window minimised or locked)
    is frozen (None: never); launcher/ui/page_lifecycle.py."""
    discard_pages_after_minutes: int | None = 30
    """A page hidden this long is discarded, its memory freed, reloaded when shown (None:
    never); pages holding typed input, a download or a print are only frozen."""
    reopen_tabs: bool = False
    """The window opens with the person's last platform tabs after they sign in."""


@dataclass(frozen=True)
class IdpConfig:
    """The county identity service.

    OpenID Connect: ``issuer``, ``client_id``, ``scopes`` and the ``login`` mode.
    CAS: ``server`` (the CAS base URL, e.g. ``https://sso.example.gov.cn/cas``), ``cas_version``
    (3 validates at ``p3/serviceValidate``, 2 at ``serviceValidate``) and ``service``, the
    launcher's own service URL (intercepted in the embedded view, never actually loaded).
    """

    kind: str
    issuer: str
    client_id: str
    scopes: tuple[str, ...]
    login: str
    server: str = ""
    cas_version: int = 3
    service: str = ""
    consent_prompt: bool = True
    """Ask with ``prompt=consent`` when ``offline_access`` is wanted through a browser (OpenID
    Connect Core §11); off for providers that grant refresh tokens by their own policy."""
    revocation_endpoint: str = ""
    """The RFC 7009 revocation endpoint when neither discovery nor RFC 8414 metadata names one."""
    tokens: str = "narrowed"
    """``narrowed``, ``shared`` or ``web`` (TOKEN_MODES)."""
    narrowing_fallback: bool = True
    """A platform whose narrowed token the provider refuses gets the shared token instead."""

    @property
    def url(self) -> str:
        """The identity service's address, whichever kind it is."""
        return self.server if self.kind == "cas" else self.issuer


@dataclass(frozen=True)
class PlatformEntry:
    plugin: str
    base_url: str
    enabled: bool = True


@dataclass(frozen=True)
class County:
    id: str
    name: str
    name_en: str
    idp: IdpConfig
    platforms: tuple[PlatformEntry, ...]
    path: Path
    plugin_dirs: tuple[Path, ...] = ()
    refresh_minutes: int | None = 10
    """Minutes between background refreshes of the inbox; None: no background refresh (``[inbox]
    background_refresh = false``), the inbox refreshes when the person asks."""
    errors: tuple[str, ...] = field(default_factory=tuple)
    """Problems with single platform entries, which were skipped while the rest loaded."""
    network: NetworkConfig = field(default_factory=NetworkConfig)
    """``[network]``: the county's CA file, trusted besides the system's store (docs/network.md)."""
    office: OfficeConfig = field(default_factory=OfficeConfig)
    """``[office]``: shared PCs (the idle lock, signing out on quit)."""
    support: SupportContact | None = None
    """``[support]``: the county IT team people call (None: the file names none)."""


def load_county(path: Path) -> County:
    """Parse and validate a county file; raises ConfigError for a county that cannot be used.

    A broken ``[[platforms]]`` entry does not fail the county: it is skipped and named in
    ``County.errors`` so the other platforms still load.
    """
    path = Path(path)
    root = Reader(path, read_toml(path))
    root.unknown({"county", "idp", "platforms", "inbox", "plugin_dirs", "network", "office",
                  "support"})

    county = root.sub("county")
    assert county is not None
    county.unknown({"id", "name", "name_en"})
    idp = _load_idp(root)

    refresh_minutes = _refresh_minutes(root)
    plugin_dirs = tuple(
        _folder(root, f"plugin_dirs[{i}]", path.parent / d)
        for i, d in enumerate(root.str_list("plugin_dirs", ["plugins"]))
    )

    platforms: list[PlatformEntry] = []
    errors: list[str] = []
    seen: set[str] = set()
    for entry in root.tables("platforms"):
        try:
            entry.unknown({"plugin", "base_url", "enabled"})
            plugin = entry.plugin_id("plugin")
            if plugin in seen:
                raise entry.error("plugin", f"{plugin!r} is listed twice")
            base_url = check_http_url(
                entry, "base_url", entry.text("base_url"), base=True
            ).rstrip("/")
            platforms.append(PlatformEntry(plugin, base_url, entry.flag("enabled", True)))
            seen.add(plugin)
        except ConfigError as exc:  # keep loading the other platforms
            errors.append(str(exc))

    name = county.text("name")
    return County(
        id=county.county_id("id"),
        name=name,
        name_en=county.text("name_en", name),
        idp=idp,
        network=read_network(root),
        office=_office(root),
        support=read_support(root),
        platforms=tuple(platforms),
        path=path,
        plugin_dirs=plugin_dirs,
        refresh_minutes=refresh_minutes,
        errors=tuple(errors),
    )


def _refresh_minutes(root: Reader) -> int | None:
    """``[inbox] refresh_minutes`` (1 to 1440), or None for ``background_refresh = false``."""
    inbox = root.sub("inbox", required=False)
    if inbox is None:
        return 10
    inbox.unknown({"refresh_minutes", "background_refresh"})
    if not inbox.flag("background_refresh", True):
        if inbox.has("refresh_minutes"):
            raise inbox.error("refresh_minutes", "does not apply when background_refresh = false "
                              "(the inbox refreshes only when the person asks)")
        return None
    low, high = REFRESH_MINUTES
    return inbox.integer("refresh_minutes", 10, minimum=low, maximum=high)


def _office(root: Reader) -> OfficeConfig:
    """``[office]``: ``shared`` (false), ``lock_after_minutes`` (10 on a shared PC, 0: never;
    1 to 240), ``sign_out_on_quit`` (true on a shared PC), ``freeze_pages_after_minutes`` (5)
    and ``discard_pages_after_minutes`` (30; 0: never, 1 to 1440, more than the freeze's) and
    ``reopen_tabs`` (false)."""
    office = root.sub("office", required=False)
    if office is None:
        return OfficeConfig()
    office.unknown({"shared", "lock_after_minutes", "sign_out_on_quit",
                    "freeze_pages_after_minutes", "discard_pages_after_minutes", "reopen_tabs"})
    shared = office.flag("shared", False)
    minutes = office.integer("lock_after_minutes", 10 if shared else 0, minimum=0,
                             maximum=LOCK_MINUTES[1])
    defaults = OfficeConfig()
    freeze = office.integer("freeze_pages_after_minutes", defaults.freeze_pages_after_minutes or 0,
                            minimum=0, maximum=PAGE_MINUTES[1])
    discard = office.integer("discard_pages_after_minutes",
                             defaults.discard_pages_after_minutes or 0, minimum=0,
                             maximum=PAGE_MINUTES[1])
    if freeze and discard and discard <= freeze:
        raise office.error("discard_pages_after_minutes",
                           f"must be more than freeze_pages_after_minutes ({freeze}), or 0")
    return OfficeConfig(
        shared=shared,
        lock_after_minutes=minutes or None,
        sign_out_on_quit=office.flag("sign_out_on_quit", shared),
        freeze_pages_after_minutes=freeze or None,
        discard_pages_after_minutes=discard or None,
        reopen_tabs=office.flag("reopen_tabs", False),
    )


def _folder(root: Reader, key: str, folder: Path) -> Path:
    try:
        return folder.resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a symbolic link loop
        raise root.error(key, f"is not a usable folder ({exc})") from None


def _load_idp(root: Reader) -> IdpConfig:
    idp = root.sub("idp")
    assert idp is not None
    kind = idp.text("kind", "oidc", choices=IDP_KINDS)
    if kind == "cas":
        idp.unknown({"kind", "server", "version", "service", "login"})
        version = idp.integer("version", 3, minimum=2)
        if version not in (2, 3):
            raise idp.error("version", f"must be 2 or 3 (the CAS protocol), not {version}")
        return IdpConfig(
            kind=kind,
            issuer="",
            client_id="",
            scopes=(),
            login=idp.text("login", "embedded", choices=("embedded",)),
            server=check_http_url(idp, "server", idp.text("server"), base=True).rstrip("/"),
            cas_version=version,
            service=check_http_url(
                idp, "service", idp.text("service", "http://127.0.0.1/cas-callback")
            ),
        )
    idp.unknown({"kind", "issuer", "client_id", "scopes", "login", "consent_prompt",
                 "revocation_endpoint", "tokens", "narrowing_fallback"})
    issuer = check_http_url(idp, "issuer", idp.text("issuer"), base=True).rstrip("/")
    scopes = idp.str_list("scopes", ["openid", "profile", "offline_access"])
    if "openid" not in scopes:
        raise idp.error("scopes", 'must include "openid" for an OpenID Connect provider')
    return IdpConfig(
        kind=kind,
        issuer=issuer,
        client_id=idp.text("client_id", "launcher"),
        scopes=tuple(scopes),
        login=idp.text("login", "embedded", choices=LOGIN_MODES),
        consent_prompt=idp.flag("consent_prompt", True),
        revocation_endpoint=_revocation_endpoint(idp),
        tokens=idp.text("tokens", "narrowed", choices=TOKEN_MODES),
        narrowing_fallback=idp.flag("narrowing_fallback", True),
    )


def _revocation_endpoint(idp: Reader) -> str:
    """``[idp] revocation_endpoint``: an http(s) URL, or '' when the county names none."""
    if not idp.has("revocation_endpoint"):
        return ""
    return check_http_url(idp, "revocation_endpoint", idp.text("revocation_endpoint"))
