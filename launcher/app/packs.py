"""County packs in the launcher's life (no Qt): which county file to open, a pack that fails to
load rolled back, update checks, a staged pack applied, a pack's retired platforms cleared
(三清), the kill switch's blocks, and what the person is told about all of it.

The formats, stores and TUF checks are ``launcher/core/packs``; this module decides when. What
happened is kept as ``PackNotice``s for the window (or the command line) to say once, in the
person's language. Calls touch the disk and the network: make them off the GUI thread. The TUF client (with
python-tuf and requests) is imported only by what checks or applies a pack: choosing the county
file at start costs the window's first frame no more than a few file reads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from launcher.core import paths
from launcher.core.errors import ConfigError
from launcher.core.packs.blocks import Block, blocks_for
from launcher.core.packs.settings import SETTINGS_FILE, UpdateSettings, find_settings, machine_dir
from launcher.core.packs.store import PackStore, machine_store, select_pack, user_store
from launcher.core.packs.version import PackVersion

if TYPE_CHECKING:
    from launcher.app.events import Events
    from launcher.app.services import Services
    from launcher.core.packs.changes import Changes
    from launcher.core.packs.client import UpdateResult

log = logging.getLogger(__name__)

COUNTY_FILE = "county.toml"


class NoticeKind(StrEnum):
    UPDATED = "updated"
    """A new pack is in use (what changed is said)."""
    STAGED = "staged"
    """A new pack is ready and applies at the next start (a page was open)."""
    ROLLED_BACK = "rolled_back"
    """The pack in use failed to load: the previous one is used again."""
    REFUSED = "refused"
    """A pack was refused (tampered, unsigned, rolled back, expired…): the installed one stays."""
    EXPIRING = "expiring"
    """The county's signed update information expires soon."""
    RETIRED = "retired"
    """Platforms were retired and cleared (三清)."""


@dataclass(frozen=True)
class PackNotice:
    """Something about the county's packs the person is told once."""

    kind: NoticeKind
    version: str = ""
    previous: str = ""
    changes: Changes | None = None
    detail: str = ""
    """The technical reason (English, bounded when shown), for a refusal or a rollback."""
    problem: str = ""
    """``client.UpdateProblem`` of a refusal ('' otherwise)."""
    days_left: int | None = None
    expiry: datetime | None = None
    platforms: tuple[str, ...] = ()
    report: Path | None = None
    names: tuple[tuple[str, str, str], ...] = ()
    """(id, name, English name) of the platforms the packs compared hold: a retired platform
    is no longer in the county, and is still named by its name."""

    def sentence(self, language: str, names: Mapping[str, str] | None = None) -> str:
        """What the person reads (Chinese, or English); ``names``: id → name, over the notice's
        own."""
        from launcher.app.pack_texts import notice_sentence

        english = language.startswith("en")
        known = {pid: (en or zh) if english else zh for pid, zh, en in self.names}
        return notice_sentence(self, language, {**known, **(names or {})})


_notices: list[PackNotice] = []
_notices_lock = threading.Lock()


def announce(notice: PackNotice) -> None:
    """Keep ``notice`` for the window (or the command line) to say."""
    with _notices_lock:
        if notice not in _notices:
            _notices.append(notice)


def take_notices() -> list[PackNotice]:
    """The notices not said yet (each is said once)."""
    with _notices_lock:
        taken = list(_notices)
        _notices.clear()
    return taken


# -- where packs are -----------------------------------------------------------------------------


def stores() -> list[PackStore]:
    """The pack stores of this PC, machine-wide first (only when its folder exists)."""
    found: list[PackStore] = []
    machine = machine_store()
    if machine.root.is_dir():
        found.append(machine)
    found.append(user_store())
    return found


def selected_county() -> Path | None:
    """The county file of the pack in use (the higher of the machine-wide and per-user ones),
    or None when no pack is installed."""
    user = user_store()
    chosen = select_pack(stores(), bad=user.bad_versions())
    return chosen.county_file if chosen is not None else None


def start() -> Path | None:
    """At start, before the county is opened: what a killed update left is cleaned, a pack
    staged while a page was open is switched to (no page is open now), and the county file of
    the pack in use is returned (None: no pack installed)."""
    user = user_store()
    if user.root.is_dir():
        from launcher.core.packs import client  # TUF and requests: only where a pack is

        user.recover()
        applied = client.apply_staged(user)
        if applied is not None:
            announce(_updated(applied))
    return selected_county()


def configured_county() -> Path | None:
    """The county file to open when none is named: an installed pack's, else the machine-wide
    ``county.toml``, else the per-user one; None when there is none."""
    pack = start()
    if pack is not None:
        return pack
    for candidate in (machine_dir() / COUNTY_FILE, paths.config_file()):
        if candidate.is_file():
            return candidate
    return None


def update_settings() -> UpdateSettings | None:
    """This PC's ``updates.toml`` (machine-wide first); None without one. A broken one is
    logged and treated as none: the launcher still opens its county."""
    try:
        return find_settings()
    except ConfigError as exc:
        log.warning("county pack updates are off: %s", exc)
        announce(PackNotice(NoticeKind.REFUSED, detail=str(exc), problem="settings"))
        return None


# -- the kill switch ---------------------------------------------------------------------------


def active_blocks() -> tuple[Block, ...]:
    """The blocks of the last verified index of every store of this PC."""
    found: list[Block] = []
    for store in stores():
        try:
            found.extend(store.blocks())
        except (OSError, ValueError) as exc:
            log.warning("%s: blocks unreadable: %s", store.state_file, exc)
    return tuple(dict.fromkeys(found))


def block_lookup(
    blocks: tuple[Block, ...] | None = None,
) -> Callable[[str, str], Block | None]:
    """``(plugin id, manifest version)`` → its block (a hard one first), for the registry."""
    chosen = active_blocks() if blocks is None else blocks

    def block_of(plugin_id: str, version: str) -> Block | None:
        found = blocks_for(chosen, plugin_id, version)
        if not found:
            return None
        return next((b for b in found if b.hard), found[0])

    return block_of


@dataclass(frozen=True)
class BlocksChanged:
    """What a new block list changed in an open county."""

    blocked: tuple[str, ...] = ()
    """Platforms hard-blocked now that were not: no longer loaded (close their pages)."""
    changed: tuple[str, ...] = ()
    """Every platform whose block changed (blocked, warned, lifted)."""


def apply_blocks(services: Services, blocks: tuple[Block, ...] | None = None) -> BlocksChanged:
    """The county's kill switch at once, in the open county: a platform whose version is now
    hard-blocked leaves the registry (no refresh, no page, no fill), a lifted block puts it back,
    and the registry's ``blocked`` says which are warned or blocked. Lists are replaced whole,
    so a reader on another thread sees the old or the new one."""
    from launcher.app.sanqing import removed_by_person
    from launcher.core.registry import Blocked

    registry, lookup = services.registry, block_lookup(blocks)
    removed = removed_by_person(services.data_dir)
    order = {entry.plugin: i for i, entry in enumerate(services.county.platforms)}
    known = {p.id: p for p in registry.platforms}
    for pid, was in registry.blocked.items():
        if pid not in removed:
            known.setdefault(pid, was.platform)
    platforms, blocked = [], {}
    for platform in sorted(known.values(), key=lambda p: order.get(p.id, len(order))):
        block = lookup(platform.id, platform.manifest.version)
        if block is not None:
            blocked[platform.id] = Blocked(platform, block)
            if block.hard:
                continue
        platforms.append(platform)
    before = registry.blocked
    changed = tuple(pid for pid in known if _level(before.get(pid)) != _level(blocked.get(pid))
                    or (pid in blocked and before.get(pid) is not None
                        and before[pid].block != blocked[pid].block))
    newly = tuple(pid for pid in changed if pid in blocked and blocked[pid].hard)
    registry.platforms = platforms
    registry.blocked = blocked
    if changed:
        log.info("county blocks changed: %s", ", ".join(changed))
    return BlocksChanged(newly, changed)


def _level(blocked: object) -> str:
    block = getattr(blocked, "block", None)
    return str(getattr(block, "level", "")) if block is not None else ""


# -- opening a county, with rollback -------------------------------------------------------------


def open_services(county_path: Path, events: Events | None = None) -> Services:
    """``Services.open`` for ``county_path``; when that is the pack in use and it does not load
    (its county file or a manifest is broken), the pack is rolled back to the previous one, the
    person is told, and the previous one is opened. Other failures are raised as they are."""
    from launcher.app.services import Services

    path = Path(county_path)
    while True:
        pack = _pack_of(path)
        if pack is None:
            return Services.open(path, events)
        store, version = pack
        try:
            services = Services.open(path, events)
        except ConfigError as exc:
            problem = str(exc)
        else:
            # Every problem counts: the pack was validated whole before it was installed.
            broken = services.registry.errors
            if not broken:
                retire_pending(services, store, version)
                return services
            problem = "; ".join(broken[:3])
            services.close()
        path = _roll_back(store, version, problem)


def is_demo(county_path: Path) -> bool:
    """True for the built-in demo county's file (written into the data folder's ``demo``)."""
    try:
        return Path(county_path).resolve().is_relative_to((paths.home() / "demo").resolve())
    except OSError:
        return False


def is_pack(county_path: Path) -> bool:
    """True when ``county_path`` is the county file of an installed pack."""
    return _pack_of(Path(county_path)) is not None


def _pack_of(path: Path) -> tuple[PackStore, PackVersion] | None:
    try:
        resolved = path.resolve()
    except OSError:
        return None
    for store in stores():
        for version in (store.current(), store.previous()):
            if version is not None and store.county_file(version) is not None:
                candidate = store.folder(version) / COUNTY_FILE
                if candidate.resolve() == resolved:
                    return store, version
    return None


def _roll_back(store: PackStore, version: PackVersion, problem: str) -> Path:
    """The pack ``version`` of ``store`` failed to load: roll back (the per-user store
    remembers a machine-wide pack as bad: an account may not write that store), tell the
    person, and return the county file to open instead; ConfigError when there is none."""
    log.warning("pack %s does not load, rolled back: %s", version, problem)
    if store.shared:
        user_store().mark_bad(version, problem)
    else:
        store.rollback(problem)
    fallback = selected_county()
    if fallback is None:
        for candidate in (machine_dir() / COUNTY_FILE, paths.config_file()):
            if candidate.is_file():
                fallback = candidate
                break
    announce(PackNotice(NoticeKind.ROLLED_BACK, version=str(version),
                        previous=_version_of(fallback), detail=problem))
    if fallback is None:
        raise ConfigError(store.folder(version) / COUNTY_FILE, "",
                          f"county pack {version} does not load and no other is installed: "
                          f"{problem}")
    return fallback


def _version_of(county_file: Path | None) -> str:
    if county_file is None:
        return ""
    pack = _pack_of(county_file)
    return str(pack[1]) if pack is not None else ""


def retire_pending(services: Services, store: PackStore, version: PackVersion) -> None:
    """The platforms the pack in use retires, cleared here if this data folder has not yet
    (another Windows account's launcher applied the pack, or an update just did)."""
    from launcher.app import sanqing

    info = store.info(version)
    retired = info.changes.retired if info is not None else ()
    if not retired:
        return
    try:
        report = sanqing.retire_for_pack(services, retired, str(version),
                                         web=services.web_clearer)
    except Exception as exc:  # never stops the county from opening: tried again next time
        log.warning("the retired platforms of pack %s were not cleared: %s", version, exc)
        return
    if report is not None:
        announce(PackNotice(NoticeKind.RETIRED, version=str(version),
                            platforms=tuple(report.platforms), report=report.path,
                            names=pack_names((store.previous(), version))))


# -- checking for updates ----------------------------------------------------------------------


@dataclass
class CheckOutcome:
    """One update check and what it meant for this launcher."""

    result: UpdateResult | None
    """None: this PC has no update settings."""
    notices: list[PackNotice] = field(default_factory=list)


def check(*, stage: bool, machine: bool = False, source: str | None = None,
          settings: UpdateSettings | None = None) -> CheckOutcome:
    """Check the county's repository now (``source``: another place for the same repository,
    a USB stick's folder). ``stage``: a page is open, so a new pack waits for the next start.
    ``machine``: install into the machine-wide store (an administrator's). Never raises for
    what a repository or the network does: the outcome says it."""
    settings = settings or update_settings()
    if settings is None:
        return CheckOutcome(None)
    if source:
        settings = _from(settings, source)
    from launcher.core.packs import client

    store = machine_store() if machine else user_store()
    result = client.check(settings, store, stage=stage,
                          elsewhere=None if machine else _machine_has)
    notices = notices_of(result)
    for notice in notices:
        announce(notice)
    return CheckOutcome(result, notices)


def _machine_has(version: PackVersion) -> bool:
    """The machine-wide store has ``version`` in use (and this account does not hold it bad):
    the per-user store need not download it again."""
    machine = machine_store()
    if not machine.root.is_dir():
        return False
    try:
        return machine.current() == version and not user_store().is_bad(version)
    except (OSError, ValueError):
        return False


def notices_of(result: UpdateResult) -> list[PackNotice]:
    """What the person is told of one check."""
    from launcher.core.packs.client import UpdateStatus

    notices: list[PackNotice] = []
    if result.status == UpdateStatus.INSTALLED:
        notices.append(_updated(result))
    elif result.status == UpdateStatus.STAGED:
        notices.append(_updated(result, NoticeKind.STAGED))
    elif result.status == UpdateStatus.REFUSED:
        notices.append(PackNotice(NoticeKind.REFUSED, version=str(result.version or ""),
                                  detail=result.message, problem=str(result.problem or "")))
    if result.warn:
        notices.append(PackNotice(NoticeKind.EXPIRING, days_left=result.days_left,
                                  expiry=result.expiry))
    return notices


def _updated(result: UpdateResult, kind: NoticeKind = NoticeKind.UPDATED) -> PackNotice:
    return PackNotice(kind, version=str(result.version or ""),
                      previous=str(result.previous or ""), changes=result.changes,
                      names=_names(result))


def _names(result: UpdateResult) -> tuple[tuple[str, str, str], ...]:
    """The names of the platforms of the packs a result compares."""
    return pack_names((result.previous, result.version))


def pack_names(versions: Iterable[PackVersion | None]) -> tuple[tuple[str, str, str], ...]:
    """(id, name, English name) of the platforms of these installed packs, from their manifests
    (a new pack, and the previous one kept for a rollback)."""
    import tomllib

    found: dict[str, tuple[str, str]] = {}
    wanted = list(versions)
    for store in stores():
        for version in wanted:
            if version is None or not store.is_installed(version):
                continue
            for manifest in sorted((store.folder(version) / "plugins").glob("*/manifest.toml")):
                try:
                    with manifest.open("rb") as file:
                        data = tomllib.load(file)
                except (OSError, ValueError):
                    continue
                pid, name = data.get("id"), data.get("name")
                if isinstance(pid, str) and isinstance(name, str):
                    english = data.get("name_en")
                    found[pid] = (name[:80], english[:80] if isinstance(english, str) else "")
    return tuple((pid, zh, en) for pid, (zh, en) in found.items())


def apply_staged() -> PackNotice | None:
    """Switch to the pack staged in the per-user store (no page is open now); the notice of
    what changed, or None when nothing was staged."""
    from launcher.core.packs import client

    applied = client.apply_staged(user_store())
    if applied is None:
        return None
    notice = _updated(applied)
    announce(notice)
    return notice


def staged() -> PackVersion | None:
    """The pack waiting in the per-user store for the next start (or for no page open)."""
    try:
        return user_store().staged()
    except (OSError, ValueError):
        return None


def _from(settings: UpdateSettings, source: str) -> UpdateSettings:
    from dataclasses import replace

    from launcher.core.packs.settings import path_of_url

    location = source if "://" in source else Path(source).resolve().as_uri()
    if location.startswith("file:"):
        path_of_url(location)  # a URL that names no folder is refused here, clearly
    return replace(settings, url=location.rstrip("/"))


def has_settings() -> bool:
    """True when this PC gets county packs (an ``updates.toml``, machine-wide or per-user)."""
    return any((folder / SETTINGS_FILE).is_file() for folder in (machine_dir(), paths.home()))

