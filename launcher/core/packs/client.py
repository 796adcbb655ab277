"""One update check: TUF's refresh against the county's root, the county's index, its blocks, and
the pack downloaded, verified, validated and installed (or staged).

python-tuf's ``Updater`` does the verifying: signatures by the keys the county's root trusts,
versions that only go forward (rollback and freeze), expiry, snapshot consistency (no mix and
match), and each target's length and hashes. What it refuses becomes an ``UpdateResult`` whose
message names the problem; a refusal never touches the installed pack, which keeps working.
"""

from __future__ import annotations

import contextlib
import logging
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from tuf.api import exceptions
from tuf.api.metadata import Metadata

from launcher.core.errors import ConfigError
from launcher.core.packs.blocks import (
    INDEX_TARGET,
    MAX_INDEX_BYTES,
    BadIndex,
    Block,
    parse_index,
)
from launcher.core.packs.changes import Changes, between
from launcher.core.packs.fetch import TIMEOUT, PackFetcher, SessionFactory
from launcher.core.packs.settings import UpdateSettings
from launcher.core.packs.store import PackRefused, PackStore, StoreBusy, StoreError, Validator
from launcher.core.packs.version import PackVersion

if TYPE_CHECKING:
    from collections.abc import Callable

    from tuf.api.metadata import TargetFile  # type: ignore[attr-defined]
    from tuf.ngclient.updater import Updater

log = logging.getLogger(__name__)

__all__ = ["MAX_PACK_BYTES", "UpdateProblem", "UpdateResult", "UpdateStatus", "apply_staged",
           "check"]

MAX_PACK_BYTES = 80 * 1024 * 1024
"""A pack target larger than this is not downloaded (a pack holds at most 64 MB of files)."""
_ROLES = ("root", "timestamp", "snapshot", "targets")
# The messages python-tuf (7.x) gives a version that does not match what the newer metadata
# names (mixed and matched files), unlike one lower than what was seen before (rolled back).
_MIXED = re.compile(r"^Expected (snapshot version \d+, got \d+|[^ ]+ v\d+, got v\d+)")
_EXPIRED_ROLE = re.compile(r"(root|timestamp|snapshot|targets)")


class UpdateStatus(StrEnum):
    UP_TO_DATE = "up_to_date"
    INSTALLED = "installed"
    STAGED = "staged"
    """Installed, switched to at the next start (or when no page is open: ``apply_staged``)."""
    REFUSED = "refused"
    """The repository or the pack was not trusted or does not load: the installed pack stays."""
    FAILED = "failed"
    """The check could not be made (no connection, settings, disk): try again later."""


class UpdateProblem(StrEnum):
    """Why a check was refused or failed."""

    SIGNATURE = "signature"
    """Metadata not signed by keys the county's root trusts (or not signed at all)."""
    EXPIRED = "expired"
    ROLLED_BACK = "rolled_back"
    TAMPERED = "tampered"
    """A file differs from what was signed (length or hash)."""
    MIXED = "mixed"
    """Metadata files of different versions (mixed and matched), or otherwise inconsistent."""
    UNSIGNED = "unsigned"
    """The index or the pack is not among the signed targets."""
    WRONG_COUNTY = "wrong_county"
    BAD_PACK = "bad_pack"
    """The pack does not unpack or does not load (county file, manifest or plugin error)."""
    UNREACHABLE = "unreachable"
    SETTINGS = "settings"
    BUSY = "busy"
    DISK = "disk"


@dataclass(frozen=True)
class UpdateResult:
    """What one check did."""

    status: UpdateStatus
    version: PackVersion | None = None
    """The pack in use now (installed, up to date) or the one staged or refused."""
    previous: PackVersion | None = None
    """The pack in use before (installed, staged)."""
    changes: Changes | None = None
    """What changed for this PC (platforms added, updated, retired; the IT team's note)."""
    message: str = ""
    """What went wrong, naming the problem (English; the app layer has the person's words)."""
    problem: UpdateProblem | None = None
    expiry: datetime | None = None
    """The earliest expiry of the trusted metadata."""
    days_left: int | None = None
    """Whole days until the metadata the county re-signs by hand expires: how long a township
    without a connection can go (root and targets; for a folder repository, every role)."""
    warn: bool = False
    """``days_left`` is below the settings' ``warn_days``."""
    blocks: tuple[Block, ...] = ()
    """The blocks of the verified index (also kept in the store's state)."""

    @property
    def ok(self) -> bool:
        return self.status not in (UpdateStatus.REFUSED, UpdateStatus.FAILED)


class _Stop(Exception):
    """Ends a check with ``result``."""

    def __init__(self, result: UpdateResult) -> None:
        self.result = result
        super().__init__(result.message)


def check(
    settings: UpdateSettings,
    store: PackStore,
    session_factory: SessionFactory | None = None,
    *,
    stage: bool = False,
    validate: Validator | None = None,
    now: datetime | None = None,
    timeout: float = TIMEOUT,
    elsewhere: Callable[[PackVersion], bool] | None = None,
) -> UpdateResult:
    """Check ``settings``' repository for a new pack and install it into ``store`` (made current,
    or staged with ``stage``: a page is open). ``elsewhere(version)``: True when that pack is
    installed in another store this PC uses (the machine-wide one), so this store need not hold
    it too. Never raises for what a repository, a network or a pack can do: the result says it.
    The store's state records the check."""
    now = now or datetime.now(UTC)
    try:
        with store.locked():
            result = _check(settings, store, session_factory, stage, validate, now, timeout,
                            elsewhere)
            _record(store, result, now)
    except StoreBusy as exc:
        return UpdateResult(UpdateStatus.FAILED, message=str(exc), problem=UpdateProblem.BUSY)
    except (StoreError, OSError) as exc:
        return UpdateResult(UpdateStatus.FAILED, message=f"the pack store cannot be written: "
                            f"{exc}", problem=UpdateProblem.DISK)
    if result.ok:
        log.info("pack check: %s %s", result.status, result.version or "")
    else:
        log.warning("pack check %s: %s", result.status, result.message)
    return result


def apply_staged(store: PackStore) -> UpdateResult | None:
    """Switch to the staged pack (call it when no page is open, or at start); None when there is
    nothing staged."""
    previous = store.current()
    old = store.info(previous) if previous is not None else None
    try:
        version = store.apply_staged()
    except StoreBusy:
        return None
    if version is None:
        return None
    new = store.info(version)
    changes = between(old, new) if new is not None else None
    return UpdateResult(UpdateStatus.INSTALLED, version, previous, changes)


def _record(store: PackStore, result: UpdateResult, now: datetime) -> None:
    fields: dict[str, object] = {
        "last_check": now.replace(microsecond=0).isoformat(),
        "last_status": str(result.status),
        "last_error": "" if result.ok else result.message,
    }
    if result.expiry is not None:
        fields["expiry"] = result.expiry.isoformat()
    try:
        store.update_state(**fields)
    except (StoreError, OSError) as exc:
        log.warning("%s: the check cannot be recorded: %s", store.state_file, exc)


def _check(
    settings: UpdateSettings,
    store: PackStore,
    session_factory: SessionFactory | None,
    stage: bool,
    validate: Validator | None,
    now: datetime,
    timeout: float,
    elsewhere: Callable[[PackVersion], bool] | None = None,
) -> UpdateResult:
    from tuf.ngclient.updater import Updater

    store.prepare()
    try:
        bootstrap = settings.root_bytes()
    except ConfigError as exc:
        return UpdateResult(UpdateStatus.FAILED, message=str(exc), problem=UpdateProblem.SETTINGS)
    fetcher = PackFetcher(session_factory, timeout=timeout)
    current = store.current()
    try:
        updater = Updater(
            metadata_dir=str(store.metadata_dir),
            metadata_base_url=settings.metadata_url,
            target_dir=str(store.downloads_dir),
            target_base_url=settings.targets_url,
            fetcher=fetcher,
            bootstrap=bootstrap,
        )
        updater.refresh()
        expiry = _expiry(store.metadata_dir, settings)
        return _index_and_pack(settings, store, updater, stage, validate, now, expiry, current,
                               elsewhere)
    except _Stop as stop:
        return stop.result
    except PackRefused as exc:
        problem = (UpdateProblem.ROLLED_BACK if exc.problems and exc.problems[0].startswith(
            "rolled back") else UpdateProblem.BAD_PACK)
        return _refused(problem, str(exc), exc.version, _expiry(store.metadata_dir, settings),
                        now, settings)
    except (exceptions.RepositoryError, exceptions.DownloadError) as exc:
        status, problem, message = _describe(exc, fetcher, store.metadata_dir, settings)
        return _with_expiry(UpdateResult(status, current, message=message, problem=problem),
                            _expiry(store.metadata_dir, settings), now, settings)
    except ConfigError as exc:
        return UpdateResult(UpdateStatus.FAILED, current, message=str(exc),
                            problem=UpdateProblem.SETTINGS)
    finally:
        fetcher.close()
        _clear_downloads(store)


def _index_and_pack(
    settings: UpdateSettings,
    store: PackStore,
    updater: Updater,
    stage: bool,
    validate: Validator | None,
    now: datetime,
    expiry: tuple[datetime | None, datetime | None],
    current: PackVersion | None,
    elsewhere: Callable[[PackVersion], bool] | None = None,
) -> UpdateResult:
    def stop(problem: UpdateProblem, message: str, version: PackVersion | None = None) -> _Stop:
        """The check ends refused with ``problem``."""
        return _Stop(_refused(problem, message, version, expiry, now, settings))

    index_info = updater.get_targetinfo(INDEX_TARGET)
    if index_info is None:
        raise stop(UpdateProblem.UNSIGNED, f"{settings.url}: the signed targets hold no "
                   f"{INDEX_TARGET}: the repository is not a county pack repository")
    if index_info.length > MAX_INDEX_BYTES:
        raise stop(UpdateProblem.UNSIGNED, f"{INDEX_TARGET}: {index_info.length} bytes signed, "
                   f"more than an index may have")
    index_path = _download(updater, index_info, store.downloads_dir / INDEX_TARGET, stop)
    try:
        index = parse_index(index_path.read_bytes(), source=f"{settings.url}/{INDEX_TARGET}")
    except BadIndex as exc:
        raise stop(UpdateProblem.BAD_PACK, str(exc)) from None
    if index.county != settings.county:
        raise stop(UpdateProblem.WRONG_COUNTY, f"{settings.url}: the repository is county "
                   f"{index.county!r}, this PC's is {settings.county!r} ({settings.path})")
    store.update_state(blocks=[b.to_json() for b in index.blocks],
                       blocks_checked=now.replace(microsecond=0).isoformat())

    def done(status: UpdateStatus, version: PackVersion | None, message: str = "",
             previous: PackVersion | None = None, changes: Changes | None = None
             ) -> UpdateResult:
        return _with_expiry(UpdateResult(status, version, previous, changes, message,
                                         blocks=index.blocks), expiry, now, settings)

    offered = index.version
    if offered is None:
        return done(UpdateStatus.UP_TO_DATE, current, "the county has signed no pack yet")
    if current is not None and offered < current:
        raise _Stop(_refused(UpdateProblem.ROLLED_BACK,
                             f"rolled back: the repository offers pack {offered}, older than "
                             f"{current} installed here; refused", offered, expiry, now,
                             settings, index.blocks))
    if offered == current:
        return done(UpdateStatus.UP_TO_DATE, current)
    if elsewhere is not None and elsewhere(offered):
        return done(UpdateStatus.UP_TO_DATE, offered, "installed machine-wide")
    if store.staged() == offered:
        return done(UpdateStatus.STAGED, offered, previous=current)
    bad = store.bad_versions().get(str(offered))
    if bad is not None:
        raise _Stop(_refused(UpdateProblem.BAD_PACK, f"pack {offered} was refused before: {bad}",
                             offered, expiry, now, settings, index.blocks))
    target_info = updater.get_targetinfo(index.target)
    if target_info is None:
        raise stop(UpdateProblem.UNSIGNED, f"{index.target}: the index names it, but it is not "
                   "among the signed targets: unsigned pack refused", offered)
    if target_info.length > MAX_PACK_BYTES:
        raise stop(UpdateProblem.BAD_PACK, f"{index.target}: {target_info.length} bytes, more "
                   f"than a pack may have ({MAX_PACK_BYTES // 2**20} MB)", offered)
    pack_path = _download(updater, target_info, store.downloads_dir / f"{offered}.pack.tar.gz",
                          stop, offered)
    old = store.info(current) if current is not None else None
    info = store.install(pack_path, activate=not stage, validate=validate,
                         county=settings.county, version=offered)
    status = UpdateStatus.STAGED if stage else UpdateStatus.INSTALLED
    return done(status, info.version, previous=current, changes=between(old, info))


def _download(
    updater: Updater,
    info: TargetFile,
    path: Path,
    stop: Callable[[UpdateProblem, str, PackVersion | None], _Stop],
    version: PackVersion | None = None,
) -> Path:
    """Download the target ``info`` to ``path``; one that differs from what was signed stops
    the check, naming the target."""
    try:
        return Path(updater.download_target(info, filepath=str(path)))
    except (exceptions.LengthOrHashMismatchError,
            exceptions.DownloadLengthMismatchError) as exc:
        raise stop(UpdateProblem.TAMPERED, f"tampered: {info.path} differs from what was "
                   f"signed ({exc})", version) from None


def _refused(
    problem: UpdateProblem,
    message: str,
    version: PackVersion | None,
    expiry: tuple[datetime | None, datetime | None],
    now: datetime,
    settings: UpdateSettings,
    blocks: tuple[Block, ...] = (),
) -> UpdateResult:
    return _with_expiry(UpdateResult(UpdateStatus.REFUSED, version, message=message,
                                     problem=problem, blocks=blocks), expiry, now, settings)


def _with_expiry(result: UpdateResult, expiry: tuple[datetime | None, datetime | None],
                 now: datetime, settings: UpdateSettings) -> UpdateResult:
    earliest, manual = expiry
    if manual is None:
        return UpdateResult(**{**result.__dict__, "expiry": earliest})
    days_left = max(0, math.floor((manual - now).total_seconds() / 86400))
    return UpdateResult(**{**result.__dict__, "expiry": earliest, "days_left": days_left,
                           "warn": days_left < settings.warn_days})


def _expiry(metadata_dir: Path, settings: UpdateSettings
            ) -> tuple[datetime | None, datetime | None]:
    """The earliest expiry of the trusted metadata kept in ``metadata_dir``, and the earliest of
    what the county re-signs by hand (root and targets; every role for a folder repository, whose
    snapshot and timestamp were signed for offline use)."""
    found: dict[str, datetime] = {}
    for role in _ROLES:
        with contextlib.suppress(Exception):  # missing or unreadable: not trusted yet
            found[role] = Metadata.from_file(str(metadata_dir / f"{role}.json")).signed.expires
    if not found:
        return None, None
    manual_roles = _ROLES if settings.local else ("root", "targets")
    manual = [found[r] for r in manual_roles if r in found]
    return min(found.values()), (min(manual) if manual else None)


def _describe(
    exc: Exception, fetcher: PackFetcher, metadata_dir: Path, settings: UpdateSettings
) -> tuple[UpdateStatus, UpdateProblem, str]:
    """The status, the problem and a message naming it, for what TUF raised."""
    text = str(exc) or type(exc).__name__
    refused = UpdateStatus.REFUSED
    if isinstance(exc, exceptions.DownloadLengthMismatchError):
        return refused, UpdateProblem.TAMPERED, (
            f"tampered: a file of {settings.url} is longer than what was signed ({text})")
    if isinstance(exc, exceptions.DownloadError):
        return UpdateStatus.FAILED, UpdateProblem.UNREACHABLE, (
            f"cannot reach the county's pack repository {settings.url}: {text}")
    if isinstance(exc, exceptions.UnsignedMetadataError):
        return refused, UpdateProblem.SIGNATURE, (
            f"signature not trusted: metadata of {settings.url} is not signed by the keys this "
            f"PC's root of trust ({settings.root_file}) names ({text})")
    if isinstance(exc, exceptions.ExpiredMetadataError):
        role_match = _EXPIRED_ROLE.search(text)
        role = role_match.group(1) if role_match else ""
        when = _expired_at(role, fetcher, metadata_dir)
        date = f" on {when:%Y-%m-%d %H:%M} UTC" if when is not None else ""
        return refused, UpdateProblem.EXPIRED, (
            f"expired: the repository's {role or 'metadata'} metadata expired{date}; the county "
            f"must sign it again ({text})")
    if isinstance(exc, exceptions.LengthOrHashMismatchError):
        return refused, UpdateProblem.TAMPERED, (
            f"tampered: a file of {settings.url} differs from what was signed ({text})")
    if isinstance(exc, exceptions.BadVersionNumberError):
        if _MIXED.match(text):
            return refused, UpdateProblem.MIXED, (
                f"inconsistent: the repository's metadata files are of different versions "
                f"(mixed and matched) ({text})")
        return refused, UpdateProblem.ROLLED_BACK, (
            f"rolled back: the repository's metadata is older than what this PC has seen "
            f"({text})")
    return refused, UpdateProblem.MIXED, (
        f"inconsistent: the repository's metadata does not fit together ({text})")


def _expired_at(role: str, fetcher: PackFetcher, metadata_dir: Path) -> datetime | None:
    """When ``role``'s metadata expired: from its last download (its signature was checked
    before its expiry), else the copy kept here."""
    data = fetcher.metadata.get(f"{role}.json")
    with contextlib.suppress(Exception):
        if data is not None:
            return Metadata.from_bytes(data).signed.expires
        return Metadata.from_file(str(metadata_dir / f"{role}.json")).signed.expires
    return None


def _clear_downloads(store: PackStore) -> None:
    with contextlib.suppress(OSError):
        for entry in store.downloads_dir.iterdir():
            with contextlib.suppress(OSError):
                entry.unlink()
