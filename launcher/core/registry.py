"""The platforms of a county: manifests found in plugin folders, bound to the county's base URLs."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from launcher.core.county import County
from launcher.core.errors import ConfigError
from launcher.core.manifest import FormSpec, Manifest, load_manifest

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Platform:
    """A manifest with the county's base URL filled in: what the rest of the app works with."""

    manifest: Manifest
    base_url: str

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def name_en(self) -> str:
        return self.manifest.name_en

    @property
    def home(self) -> str:
        return self.expand(self.manifest.home)

    @property
    def origins(self) -> tuple[str, ...]:
        return tuple(_origin(self.expand(o)) for o in self.manifest.origins)

    @property
    def auth_kind(self) -> str:
        return self.manifest.auth.kind

    @property
    def scopes(self) -> tuple[str, ...]:
        return self.manifest.auth.scopes

    @property
    def resource(self) -> str:
        """The RFC 8707 resource indicator of the platform's API ('' when the manifest has none)."""
        return self.expand(self.manifest.auth.resource)

    @property
    def service(self) -> str:
        """The CAS service URL whose ticket the platform exchanges for an API token ('' if none)."""
        return self.expand(self.manifest.auth.service)

    @property
    def login_url(self) -> str:
        """The legacy login page the password vault fills ('' unless ``auth.kind = "password"``)."""
        login = self.manifest.auth.login
        return self.expand(login.url) if login else ""

    def expand(self, template: str) -> str:
        return template.replace("{base_url}", self.base_url)

    def absolute(self, url: str) -> str:
        """Resolve a URL a platform returned (maybe relative) against its base URL."""
        return urljoin(self.base_url + "/", url)

    def page_url(self, link: str | None) -> str:
        """The page a task links to, resolved against the base URL; the platform's home page when
        there is no link or it is not a web page (a ``javascript:`` or ``file:`` link from a
        platform is never opened)."""
        if not link:
            return self.home
        absolute = self.absolute(link)
        if urlsplit(absolute).scheme not in ("http", "https"):
            return self.home
        return absolute

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of this platform's own origins."""
        return _origin(url) in self.origins

    def form_for(self, url: str) -> FormSpec | None:
        """The declared form whose URL the page at ``url`` is (query and fragment ignored)."""
        page = url.split("#", 1)[0].split("?", 1)[0].rstrip("/")
        for form in self.manifest.forms:
            if self.expand(form.url).split("?", 1)[0].rstrip("/") == page:
                return form
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port or {"http": 80, "https": 443}.get(scheme, 0)
    return f"{scheme}://{host}:{port}"


@dataclass
class Registry:
    platforms: list[Platform] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One line per manifest or county entry that could not be loaded, naming file, key and problem."""

    def get(self, plugin_id: str) -> Platform | None:
        return next((p for p in self.platforms if p.id == plugin_id), None)

    def platform_for_url(self, url: str) -> Platform | None:
        return next((p for p in self.platforms if p.owns(url)), None)


def discover(dirs: Iterable[Path]) -> tuple[dict[str, Manifest], list[str]]:
    """Load every ``*/manifest.toml`` under ``dirs``; earlier dirs win on duplicate ids.

    Returns the manifests by id and one error line per manifest that failed: discovery reports
    problems instead of raising, so one bad plugin never hides the others.
    """
    found: dict[str, Manifest] = {}
    errors: list[str] = []
    for folder in dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*/manifest.toml")):
            try:
                manifest = load_manifest(path)
            except ConfigError as exc:
                log.warning("plugin skipped: %s", exc)
                errors.append(str(exc))
                continue
            if manifest.id in found:
                log.info(
                    "plugin %s in %s shadowed by %s", manifest.id, path, found[manifest.id].path
                )
                continue
            found[manifest.id] = manifest
    return found, errors


def build_registry(county: County, extra_dirs: Iterable[Path] = ()) -> Registry:
    """The county's enabled platforms, in county-file order, from its plugin dirs then built-ins."""
    from launcher.core.paths import builtin_plugins_dir

    dirs = [*county.plugin_dirs, *extra_dirs, builtin_plugins_dir()]
    manifests, errors = discover(dirs)
    registry = Registry(errors=[*county.errors, *errors])
    for entry in county.platforms:
        if not entry.enabled:
            continue
        manifest = manifests.get(entry.plugin)
        if manifest is None:
            registry.errors.append(
                f"{county.path}: platforms: plugin {entry.plugin!r} was not found in "
                + ", ".join(str(d) for d in dirs)
            )
            continue
        registry.platforms.append(Platform(manifest, entry.base_url))
    return registry
