"""The platforms of a county: manifests found in plugin folders, bound to the county's base URLs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin, urlsplit

from launcher.core.county import County
from launcher.core.errors import ConfigError
from launcher.core.manifest import FormSpec, Manifest, load_manifest
from launcher.core.url_scope import Scope, same_page, scope_of

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
        """The declared origins as people write them, with the path under each when there is one
        (``http://gw:8000/app1``)."""
        return tuple(str(scope) for scope in self.page_scopes)

    @cached_property
    def page_scopes(self) -> tuple[Scope, ...]:
        """Where the platform's pages are: each ``origins`` entry, an origin with an optional path
        prefix (``{base_url}`` brings the base URL's path along)."""
        found = (scope_of(self.expand(entry)) for entry in self.manifest.origins)
        return tuple(scope for scope in found if scope is not None)

    @cached_property
    def _landmarks(self) -> tuple[Scope, ...]:
        """The declared scopes, and the base URL's and home page's folders where they lie inside
        one of them: the paths that say how specifically a page is this platform's."""
        extra = (scope_of(self.base_url), scope_of(self.home, directory=True))
        inside = tuple(
            scope
            for scope in extra
            if scope is not None and any(own.covers(str(scope)) for own in self.page_scopes)
        )
        return (*self.page_scopes, *inside)

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

    def match(self, url: str) -> int:
        """How specifically ``url`` is this platform's page: the number of path segments of the
        longest declared path that covers it (0: only the whole origin does), or -1 when the page
        is not on the platform's ``origins`` at all."""
        if not any(scope.covers(url) for scope in self.page_scopes):
            return -1
        return max(scope.depth for scope in self._landmarks if scope.covers(url))

    def owns(self, url: str) -> bool:
        """True when ``url`` is on one of this platform's own origins, under the path declared
        there (segment by segment: ``/app1`` owns ``/app1/x``, not ``/app10``)."""
        return any(scope.covers(url) for scope in self.page_scopes)

    def form_for(self, url: str) -> FormSpec | None:
        """The declared form whose page ``url`` is, on the platform's own origins (query,
        fragment and a trailing slash ignored; the path compared as servers route it)."""
        if not self.owns(url):
            return None
        for form in self.manifest.forms:
            if same_page(self.expand(form.url), url):
                return form
        return None


class BlockNotice(Protocol):
    """The county's kill switch for one plugin version (launcher/core/packs/blocks.py ``Block``):
    ``level`` is ``hard`` (the platform is not loaded) or ``soft`` (loaded, with a warning); the
    reason and whom to call are the county's words (outside text: shown as plain text)."""

    @property
    def level(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def reason_en(self) -> str: ...
    @property
    def contact(self) -> str: ...


BlockLookup = Callable[[str, str], "BlockNotice | None"]
"""``(plugin_id, manifest version)`` → the block on that plugin version, or None."""


@dataclass(frozen=True)
class Blocked:
    """A platform the county blocked: hard-blocked ones are not among ``Registry.platforms``
    (their tile says why and whom to call); soft-blocked ones are, with a warning."""

    platform: Platform
    block: BlockNotice

    @property
    def hard(self) -> bool:
        return self.block.level == "hard"


@dataclass
class Registry:
    platforms: list[Platform] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    """One line per manifest or county entry that could not be loaded, naming file, key and problem."""
    blocked: dict[str, Blocked] = field(default_factory=dict)
    """Platforms the county's signed block list names (hard and soft), by id."""

    def hard_blocked(self) -> list[Blocked]:
        """The platforms not loaded because the county blocked their plugin version."""
        return [b for b in self.blocked.values() if b.hard]

    def with_tiles(self) -> list[Platform]:
        """The platforms the window gives a tile: those loaded, then the hard-blocked ones (their
        tile says why, and whom to call)."""
        return [*self.platforms, *(b.platform for b in self.hard_blocked())]

    def get(self, plugin_id: str) -> Platform | None:
        return next((p for p in self.platforms if p.id == plugin_id), None)

    def platform_for_url(self, url: str, prefer: str = "") -> Platform | None:
        """The platform whose page ``url`` is: of the platforms that own it, the one with the
        longest declared path covering it (two platforms behind one gateway, under ``/app1`` and
        ``/app2``, each get their own pages). On a tie, ``prefer`` (the id of the platform a tab
        was opened for) wins, else the first in the county file."""
        best: Platform | None = None
        best_depth = -1
        for platform in self.platforms:
            depth = platform.match(url)
            if depth > best_depth or (depth == best_depth >= 0 and platform.id == prefer):
                best, best_depth = platform, depth
        return best


def discover(dirs: Iterable[Path]) -> tuple[dict[str, Manifest], list[str]]:
    """Load every ``*/manifest.toml`` under ``dirs``; earlier dirs win on duplicate ids.

    Returns the manifests by id and one error line per manifest that failed: discovery reports
    problems instead of raising, so one bad plugin never hides the others.
    """
    found: dict[str, Manifest] = {}
    errors: list[str] = []
    for folder in dirs:
        try:
            paths = sorted(folder.glob("*/manifest.toml")) if folder.is_dir() else []
        except OSError as exc:
            problem = ConfigError(folder, "", f"plugin folder cannot be read ({exc})")
            log.warning("plugins skipped: %s", problem)
            errors.append(str(problem))
            continue
        for path in paths:
            try:
                manifest = load_manifest(path)
            except Exception as exc:
                # ConfigError names the key; anything else is a loader bug, and still costs this
                # plugin only. Its traceback goes to the log file alone (INFO: the terminal shows
                # warnings), the person gets the one line.
                if not isinstance(exc, ConfigError):
                    log.info("manifest %s could not be loaded", path, exc_info=True)
                    exc = ConfigError(path, "", f"cannot be loaded ({type(exc).__name__}: {exc})")
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


def build_registry(
    county: County, extra_dirs: Iterable[Path] = (), *, block_of: BlockLookup | None = None
) -> Registry:
    """The county's enabled platforms, in county-file order, from its plugin dirs (the launcher
    has no plugin folder of its own: a county names where its plugins are). ``block_of``: the
    county's kill switch; a hard-blocked plugin version is left out (``Registry.blocked`` says
    why), a soft-blocked one loads with its warning."""
    dirs = [*county.plugin_dirs, *extra_dirs]
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
        platform = Platform(manifest, entry.base_url)
        block = block_of(manifest.id, manifest.version) if block_of is not None else None
        if block is not None:
            registry.blocked[platform.id] = Blocked(platform, block)
            if block.level == "hard":
                log.warning("plugin %s %s blocked by the county: not loaded",
                            manifest.id, manifest.version)
                continue
        registry.platforms.append(platform)
    return registry
