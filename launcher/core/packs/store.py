"""Installed county packs on one PC: atomic installs, the ``current`` pointer, the previous pack
kept, bad versions, rollback, and what a killed install left behind cleaned.

A store is a folder (per user: ``<data folder>/packs``; machine-wide: ``<machine folder>/packs``)::

    metadata/             TUF's trusted metadata (client.py)
    downloads/            downloads under way (removed at the next start)
    installed/<version>/  extracted and validated packs
    current               the version in use (one line; replaced atomically)
    previous              the version before it (kept for a rollback)
    staged                a version installed but not yet switched to (a page was open)
    state.json            bad versions and why, the last check, its error, the metadata's
                          expiry and the blocks of the last verified index
    lock                  held by the process that changes the store

An install extracts into ``installed/.tmp-<random>``, validates there (the county file, every
manifest and every Python entry load, as ``launcher validate`` checks them), syncs the files to
disk, renames the folder to ``installed/<version>``, and only then rewrites a pointer (through a
temporary file and ``os.replace``). A kill at any moment leaves the old ``current`` valid, and
``recover`` removes the leftovers at the next start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launcher.core import paths
from launcher.core.errors import LauncherError
from launcher.core.packs.blocks import Block, parse_blocks
from launcher.core.packs.version import PackVersion

if TYPE_CHECKING:
    from launcher.core.packs.archive import PackInfo

log = logging.getLogger(__name__)

__all__ = [
    "PackRefused",
    "PackStore",
    "Selected",
    "StoreBusy",
    "StoreError",
    "Validator",
    "machine_store",
    "select_pack",
    "user_store",
    "validate_pack",
]

Validator = Callable[[Path], list[str]]
"""Checks an extracted pack's folder: the problems found (an empty list: it loads)."""

POINTERS = ("current", "previous", "staged")
TEMP_PREFIX = ".tmp-"
MAX_STATE_BYTES = 1024 * 1024
MAX_BAD = 100
"""Bad versions remembered (the latest ones)."""
MAX_POINTER_BYTES = 200


class StoreError(LauncherError):
    """The pack store cannot do what was asked (a file cannot be written, a pack is refused)."""


class StoreBusy(StoreError):
    """Another launcher process is changing this store now."""


class PackRefused(StoreError):
    """A pack was not installed: it does not unpack, does not load, or is older than the one
    in use. ``problems`` says each thing wrong; the installed pack was not touched."""

    def __init__(self, message: str, version: PackVersion | None = None,
                 problems: Iterable[str] = ()) -> None:
        self.version = version
        self.problems = list(problems)
        super().__init__(message)


def _checkpoint(step: str) -> None:
    """A step of an install (``extracted``, ``validated``, ``synced``, ``renamed``, ``previous``,
    ``current``, ``staged``): does nothing. tests/integration/test_updates.py replaces it in a child
    process to kill that process exactly there."""


# -- validation ------------------------------------------------------------------------------


def validate_pack(folder: Path, *, timeout: float | None = None) -> list[str]:
    """The problems of the extracted pack in ``folder``, as ``launcher validate`` finds them: the
    county file loads (a platform entry it had to skip counts), every manifest loads and every
    Python entry imports. Paths are given relative to the pack."""
    from launcher.core.county import load_county
    from launcher.core.errors import ConfigError
    from launcher.core.plugins.check import IMPORT_TIMEOUT, check_paths

    folder = Path(folder)
    county_file = folder / "county.toml"
    if not county_file.is_file():
        return ["county.toml: missing"]
    problems: list[str] = []
    try:
        county = load_county(county_file)
    except ConfigError as exc:
        return [_relative(str(exc), folder)]
    problems.extend(county.errors)
    report = check_paths([county_file], timeout=timeout or IMPORT_TIMEOUT)
    for problem in report.problems:
        where = f"{problem.file}: {problem.key}: " if problem.key else f"{problem.file}: "
        problems.append(where + problem.message)
    if report.hanging:
        problems.append("a Python plugin's import did not finish in time")
    return [_relative(p, folder) for p in problems]


def _relative(text: str, folder: Path) -> str:
    for base in {str(folder.resolve()), str(folder), str(folder.absolute())}:
        text = text.replace(base + os.sep, "").replace(base + "/", "")
    return text


# -- the store -------------------------------------------------------------------------------


class PackStore:
    """The installed packs under ``root``. ``shared``: a machine-wide store, readable by every
    account (written by an administrator); otherwise its owner's alone."""

    def __init__(self, root: Path, *, shared: bool = False) -> None:
        self.root = Path(root)
        self.shared = shared
        self._lock_depth = 0
        self._lock_guard = threading.RLock()

    def __repr__(self) -> str:
        return f"PackStore({str(self.root)!r}, shared={self.shared})"

    @property
    def metadata_dir(self) -> Path:
        return self.root / "metadata"

    @property
    def downloads_dir(self) -> Path:
        return self.root / "downloads"

    @property
    def installed_dir(self) -> Path:
        return self.root / "installed"

    @property
    def state_file(self) -> Path:
        return self.root / "state.json"

    # -- folders and modes -------------------------------------------------------------------

    def prepare(self) -> None:
        """Make the store's folders (private to their owner, or readable by all when shared)."""
        for folder in (self.root, self.metadata_dir, self.downloads_dir, self.installed_dir):
            self._make_dir(folder)

    def _make_dir(self, folder: Path) -> None:
        if not self.shared:
            paths.private_dir(folder)
            return
        folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o755)

    def _file_mode(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o644 if self.shared else 0o600)

    def _tree_modes(self, folder: Path) -> None:
        if not self.shared:
            paths.tighten(folder)
            return
        if os.name != "posix":
            return
        for top, dirs, files in os.walk(folder):
            for name in dirs:
                with contextlib.suppress(OSError):
                    os.chmod(Path(top, name), 0o755)
            for name in files:
                with contextlib.suppress(OSError):
                    os.chmod(Path(top, name), 0o644)
        with contextlib.suppress(OSError):
            os.chmod(folder, 0o755)

    # -- the lock ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store's lock (re-entrant within this object); StoreBusy when another
        process holds it. The operating system releases it when a process dies."""
        with self._lock_guard:
            if self._lock_depth:
                self._lock_depth += 1
                try:
                    yield
                finally:
                    self._lock_depth -= 1
                return
            self.prepare()
            path = self.root / "lock"
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644 if self.shared else 0o600)
            except OSError as exc:
                raise StoreError(f"{path}: cannot be opened ({exc.strerror or exc})") from None
            try:
                try:
                    _lock_file(fd)
                except OSError:
                    raise StoreBusy(f"{self.root}: another launcher is updating its packs now"
                                    ) from None
                self._lock_depth = 1
                try:
                    yield
                finally:
                    self._lock_depth = 0
            finally:
                os.close(fd)  # releases the lock

    # -- pointers ------------------------------------------------------------------------------

    def _pointer(self, name: str) -> PackVersion | None:
        path = self.root / name
        try:
            with path.open("rb") as file:
                data = file.read(MAX_POINTER_BYTES)
        except FileNotFoundError:
            return None
        except OSError as exc:
            log.warning("%s: cannot be read: %s", path, exc)
            return None
        try:
            return PackVersion.parse(data.decode("utf-8").strip())
        except (UnicodeDecodeError, ValueError) as exc:
            log.warning("%s: not a pack version: %s", path, exc)
            return None

    def _write_pointer(self, name: str, version: PackVersion | None) -> None:
        path = self.root / name
        if version is None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            _fsync_dir(self.root)
            return
        self._write_file(path, f"{version}\n".encode())

    def _write_file(self, path: Path, data: bytes) -> None:
        """Replace ``path`` atomically: a temporary file, synced, then ``os.replace``."""
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            self._file_mode(Path(temp))
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        _fsync_dir(path.parent)

    def folder(self, version: PackVersion) -> Path:
        return self.installed_dir / str(version)

    def is_installed(self, version: PackVersion) -> bool:
        folder = self.folder(version)
        return (folder / "county.toml").is_file() and (folder / "pack.toml").is_file()

    def current(self) -> PackVersion | None:
        """The version in use, when it is installed."""
        version = self._pointer("current")
        return version if version is not None and self.is_installed(version) else None

    def previous(self) -> PackVersion | None:
        version = self._pointer("previous")
        return version if version is not None and self.is_installed(version) else None

    def staged(self) -> PackVersion | None:
        version = self._pointer("staged")
        return version if version is not None and self.is_installed(version) else None

    def county_file(self, version: PackVersion | None = None) -> Path | None:
        """The county file of ``version`` (default: the current pack); None without one."""
        version = self.current() if version is None else version
        if version is None or not self.is_installed(version):
            return None
        return self.folder(version) / "county.toml"

    def installed(self) -> list[PackVersion]:
        """The versions installed, oldest first."""
        found = []
        try:
            entries = list(self.installed_dir.iterdir())
        except OSError:
            return []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            with contextlib.suppress(ValueError):
                version = PackVersion.parse(entry.name)
                if self.is_installed(version):
                    found.append(version)
        return sorted(found)

    def info(self, version: PackVersion | None = None) -> PackInfo | None:
        """What the installed pack ``version`` (default: current) is, from its pack.toml."""
        from launcher.core.packs.archive import PackError, _parse_pack_toml

        version = self.current() if version is None else version
        if version is None or not self.is_installed(version):
            return None
        folder = self.folder(version)
        try:
            data = (folder / "pack.toml").read_bytes()
            return _parse_pack_toml(data, folder)
        except (OSError, PackError) as exc:
            log.warning("%s: pack.toml cannot be read: %s", folder, exc)
            return None

    # -- state ---------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """state.json's content ({} when missing or broken: it is only a memory)."""
        try:
            with self.state_file.open("rb") as file:
                data = file.read(MAX_STATE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("%s: cannot be read: %s", self.state_file, exc)
            return {}
        if len(data) > MAX_STATE_BYTES:
            log.warning("%s: too large: ignored", self.state_file)
            return {}
        try:
            state = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            log.warning("%s: broken: ignored (%s)", self.state_file, exc)
            return {}
        return state if isinstance(state, dict) else {}

    def update_state(self, **changes: Any) -> None:
        """Set keys of state.json (``last_check``, ``last_error``, ``expiry``, ``blocks`` …)."""
        with self.locked():
            state = self.state()
            state.update(changes)
            self._write_file(self.state_file,
                             json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"))

    def bad_versions(self) -> dict[str, str]:
        """The versions refused or rolled back, with why."""
        bad = self.state().get("bad")
        if not isinstance(bad, dict):
            return {}
        return {str(k): str(v.get("reason", "")) if isinstance(v, dict) else str(v)
                for k, v in bad.items()}

    def is_bad(self, version: PackVersion) -> bool:
        return str(version) in self.bad_versions()

    def mark_bad(self, version: PackVersion, reason: str) -> None:
        with self.locked():
            state = self.state()
            bad = state.get("bad")
            bad = dict(bad) if isinstance(bad, dict) else {}
            bad.pop(str(version), None)
            bad[str(version)] = {"reason": reason[:2000], "at": _now()}
            state["bad"] = dict(list(bad.items())[-MAX_BAD:])
            self._write_file(self.state_file,
                             json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8"))

    def blocks(self) -> tuple[Block, ...]:
        """The blocks of the last verified index."""
        return parse_blocks(self.state().get("blocks"), source=str(self.state_file))

    # -- installing ----------------------------------------------------------------------------

    def install(
        self,
        pack_file: Path,
        *,
        activate: bool = True,
        validate: Validator | None = None,
        county: str | None = None,
        version: PackVersion | None = None,
        allow_older: bool = False,
    ) -> PackInfo:
        """Install ``pack_file`` and make it current (or staged, without ``activate``); returns
        what it is. ``county`` and ``version`` are what it must be (the signed index's). Refused
        (PackRefused, the version then marked bad): a pack that does not unpack, one older than
        the current one (unless ``allow_older``), one ``validate`` (default: validate_pack)
        finds problems in. The current pack is untouched by a refusal."""
        from launcher.core.packs.archive import PackError, extract_pack

        with self.locked():
            current = self.current()
            if version is not None and current is not None and not allow_older:
                self._refuse_older(version, current)
            temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=self.installed_dir))
            try:
                try:
                    info = extract_pack(pack_file, temp, county=county, version=version)
                except PackError as exc:
                    # A pack that is broken stays broken: remembered, not fetched again at every
                    # check. A disk that is full or cannot be written may do better next time.
                    if version is not None and not isinstance(exc.__context__, OSError):
                        self.mark_bad(version, str(exc))
                    raise PackRefused(f"the pack cannot be unpacked: {exc}", version,
                                      [str(exc)]) from None
                _checkpoint("extracted")
                if current is not None and not allow_older:
                    self._refuse_older(info.version, current)
                if info.version == current:
                    return info  # installed and in use already
                problems = (validate or validate_pack)(temp)
                if problems:
                    reason = "; ".join(problems[:5])
                    self.mark_bad(info.version, reason)
                    raise PackRefused(f"pack {info.version} does not load: {reason}",
                                      info.version, problems)
                _checkpoint("validated")
                self._tree_modes(temp)
                _fsync_tree(temp)
                _checkpoint("synced")
                final = self.folder(info.version)
                if final.exists():
                    self._discard(final)  # an earlier attempt's, not referenced (not current)
                os.replace(temp, final)
                _fsync_dir(self.installed_dir)
                _checkpoint("renamed")
            finally:
                if temp.exists():
                    shutil.rmtree(temp, ignore_errors=True)
            if activate:
                self._activate(info.version)
            else:
                self._write_pointer("staged", info.version)
                _checkpoint("staged")
            self._prune()
            return info

    def _refuse_older(self, version: PackVersion, current: PackVersion) -> None:
        if version < current:
            raise PackRefused(f"pack {version} is older than {current}, the one in use: a "
                              "rolled-back pack is refused", version,
                              [f"rolled back: {version} < {current}"])

    def _activate(self, version: PackVersion) -> None:
        current = self._pointer("current")
        if current is not None and current != version and self.is_installed(current):
            self._write_pointer("previous", current)
            _checkpoint("previous")
        self._write_pointer("current", version)
        _checkpoint("current")
        staged = self._pointer("staged")
        if staged is not None and staged <= version:
            self._write_pointer("staged", None)

    def apply_staged(self) -> PackVersion | None:
        """Switch to the staged pack (no page is open now); returns it, or None when there is
        none newer than the current one."""
        with self.locked():
            staged, current = self.staged(), self.current()
            if staged is None or (current is not None and staged <= current):
                self._write_pointer("staged", None)
                return None
            self._activate(staged)
            self._prune()
            return staged

    def rollback(self, reason: str) -> PackVersion | None:
        """The current pack failed to load: mark it bad with ``reason`` and go back to the
        previous one. Returns the version now current (None: no pack is left, the plain county
        file applies)."""
        with self.locked():
            current = self._pointer("current")
            if current is None:
                return None
            self.mark_bad(current, reason)
            previous = self.previous()
            if previous is not None and not self.is_bad(previous) and previous != current:
                self._write_pointer("current", previous)
                self._write_pointer("previous", None)
            else:
                self._write_pointer("current", None)
                previous = None
            if self._pointer("staged") == current:
                self._write_pointer("staged", None)
            log.warning("pack %s rolled back to %s: %s", current, previous or "no pack", reason)
            return previous

    # -- cleaning --------------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """At start: remove what a killed install or download left (``.tmp-*`` folders, temporary
        pointer files, downloads), repair a ``current`` that names no installed pack, and remove
        installed packs no pointer names. Returns what was removed or repaired. Another process
        updating the store, or a store this account may not write, is left alone."""
        if not self.root.is_dir():
            return []
        done: list[str] = []
        try:
            with self.locked():
                done.extend(self._clean_leftovers())
                current = self._pointer("current")
                if current is not None and not self.is_installed(current):
                    previous = self.previous()
                    self._write_pointer("current", previous)
                    done.append(f"current {current} is not installed: now {previous or 'none'}")
                done.extend(self._prune())
        except StoreBusy:
            return done
        except (StoreError, OSError) as exc:
            log.warning("%s: cannot be cleaned: %s", self.root, exc)
        return done

    def _clean_leftovers(self) -> list[str]:
        done: list[str] = []
        for entry in _children(self.installed_dir):
            if entry.name.startswith(TEMP_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)
                done.append(str(entry))
        for entry in _children(self.root):
            if entry.name.startswith(".") and entry.name.endswith(".tmp") and entry.is_file():
                entry.unlink(missing_ok=True)
                done.append(str(entry))
        for entry in _children(self.downloads_dir):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
            done.append(str(entry))
        for entry in _children(self.metadata_dir):
            # TUF's own atomic writes use NamedTemporaryFile names ("tmpXXXX") in this folder.
            if entry.name.startswith("tmp") and entry.is_file():
                entry.unlink(missing_ok=True)
                done.append(str(entry))
        return done

    def _prune(self) -> list[str]:
        keep = {self._pointer(name) for name in POINTERS} - {None}
        done = []
        for entry in _children(self.installed_dir):
            if entry.name.startswith("."):
                continue
            try:
                version = PackVersion.parse(entry.name)
            except ValueError:
                continue
            if version not in keep:
                self._discard(entry)
                done.append(str(entry))
        return done

    def _discard(self, folder: Path) -> None:
        """Remove ``folder``: renamed to a ``.tmp-`` name first, so a kill midway leaves only a
        leftover that recover removes, never half a pack under a version's name."""
        aside = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=self.installed_dir))
        os.replace(folder, aside / "old")
        shutil.rmtree(aside, ignore_errors=True)


# -- which pack is used ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selected:
    """The pack a launcher uses: its store and version."""

    store: PackStore
    version: PackVersion

    @property
    def folder(self) -> Path:
        return self.store.folder(self.version)

    @property
    def county_file(self) -> Path:
        return self.folder / "county.toml"


def select_pack(stores: Iterable[PackStore | None], *,
                bad: Mapping[str, str] | None = None) -> Selected | None:
    """The pack to use: the highest ``current`` of ``stores`` (machine-wide and per-user, both
    verified against the same root). A version marked bad in its own store or in ``bad`` (the
    per-user store's memory: an account may not write the machine-wide store) is passed over
    for that store's ``previous``."""
    best: Selected | None = None
    extra = dict(bad or {})
    for store in stores:
        if store is None:
            continue
        own = store.bad_versions()
        for version in (store.current(), store.previous()):
            if version is None or str(version) in own or str(version) in extra:
                continue
            if best is None or version > best.version:
                best = Selected(store, version)
            break
    return best


def user_store() -> PackStore:
    """The per-user store, in the launcher's data folder."""
    return PackStore(paths.home() / "packs")


def machine_store() -> PackStore:
    """The machine-wide store (written by ``launcher update --machine``, read by everyone)."""
    from launcher.core.packs.settings import machine_dir

    return PackStore(machine_dir() / "packs", shared=True)


# -- helpers -------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _children(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _fsync_tree(folder: Path) -> None:
    """Sync every file and folder under ``folder`` to disk: a power cut after the rename must not
    leave a pack of empty files under its version's name."""
    for top, dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(top, name)
            fd = os.open(path, os.O_RDWR if os.name == "nt" else os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(top))
        del dirs


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder to sync it; NTFS journals the rename
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock_file(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock_file(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
