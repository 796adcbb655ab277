"""Where the launcher keeps its files: LAUNCHER_HOME if set, else the platform's user data dir.

Everything in the data folder is its owner's alone (task titles name households, the profile names
the person, the log names both): folders are made 0700 and files 0600, and an older install's
folder is tightened once, the first time a launcher that knows this starts on it. SQLite makes a
database's -journal, -wal and -shm files with the database file's own mode, so a database created
here with :func:`private_file` before SQLite opens it keeps all of them private.

On Windows the modes mean little: the data folder is in the user's profile (``%LOCALAPPDATA%``),
whose access list already lets only that user (and administrators) in; nothing is changed there.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import threading
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "yiduantong"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_POSIX = os.name == "posix"
_OTHERS = stat.S_IRWXG | stat.S_IRWXO
TIGHTENED_MARK = ".owner-only-1"
"""The file that says the data folder's older entries were tightened (a newer mark redoes it)."""
_prepared: set[str] = set()
_prepare_lock = threading.Lock()


def home() -> Path:
    """The directory for the profile, the task cache, logs and settings (created on use, for its
    owner only)."""
    override = os.environ.get("LAUNCHER_HOME")
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    )
    private_dir(path)
    key = str(path)
    if key not in _prepared:
        with _prepare_lock:
            if key not in _prepared:
                _tighten_once(path)
                _prepared.add(key)
    return path


def folder(*parts: str) -> Path:
    """A folder inside the data folder (``folder("counties", "demo")``), made for its owner only.

    Each part is one folder name: a county id names one (core/schema.py checks it), and should one
    ever come unchecked, ``..``, ``a/b`` or ``/x`` must not put data outside the data folder."""
    for part in parts:
        if part in ("", ".", "..") or any(c in part for c in "/\\:\0"):
            raise ValueError(f"not a single folder name: {part!r}")
    return private_dir(home().joinpath(*parts))


def private_dir(path: Path) -> Path:
    """Make ``path`` a folder only its owner can enter, with any missing parent (as the XDG base
    directory spec asks: 0700); an existing one loses its group and others' rights."""
    missing: list[Path] = []
    level = Path(path)
    while not level.is_dir() and level.parent != level:
        missing.append(level)
        level = level.parent
    for created in reversed(missing):
        try:
            created.mkdir(mode=0o700)
        except FileExistsError:
            if not created.is_dir():
                raise
    for made in missing or [Path(path)]:
        _restrict(made)  # also when mkdir's mode was not all of it (an odd umask)
    return Path(path)


def private_file(path: Path) -> Path:
    """Make sure ``path`` exists as a file only its owner can read and write (created empty, 0600,
    in a private folder), before anything else opens it: SQLite, logging or QSettings then keep
    that mode, and SQLite gives it to the database's -journal, -wal and -shm files too."""
    path = Path(path)
    private_dir(path.parent)
    # O_EXCL: an existing file, or a symbolic link, is never opened here (nor followed).
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    _restrict(path)
    return path


def private_sqlite(path: Path) -> Path:
    """:func:`private_file` for a SQLite database, whose side files (left by an older version or a
    crash) are tightened too."""
    private_file(path)
    for suffix in ("-journal", "-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            _restrict(side)
    return path


def tighten(root: Path) -> None:
    """Take group and others' rights from every folder and file under ``root`` (``root`` too);
    symbolic links are left alone, and so is what they point to."""
    if not _POSIX:
        return
    _restrict(root)
    for top, dirs, files in os.walk(root, followlinks=False):
        for name in [*dirs, *files]:
            _restrict(Path(top, name))


def _tighten_once(path: Path) -> None:
    # Older versions made the folder 0755 and its files 0644: tighten them once. A mark instead of
    # a walk at every start: the folder may hold much more than the launcher's files (a venv).
    if not _POSIX:
        return
    mark = path / TIGHTENED_MARK
    if mark.exists():
        return
    try:
        tighten(path)
        private_file(mark)
    except OSError as exc:  # a read-only or foreign folder: the launcher still works in it
        log.warning("cannot make %s private to its owner: %s", path, exc)


def _restrict(path: Path) -> None:
    """Remove group and others' rights from ``path`` (not a symbolic link), keeping the owner's."""
    if not _POSIX:
        return
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode) or not mode & _OTHERS:
            return
        os.chmod(path, stat.S_IMODE(mode) & ~_OTHERS)
    except FileNotFoundError:
        pass
    except OSError as exc:  # someone else's file, or a file system without POSIX modes
        log.warning("cannot make %s private to its owner: %s", path, exc)


def _bundled(name: str) -> Path:
    # In a source checkout or editable install the folder sits beside the package; in a wheel or
    # a frozen bundle it is shipped inside it as launcher/_data/<name>.
    beside = _PACKAGE_DIR.parent / name
    if beside.is_dir():
        return beside
    return _PACKAGE_DIR / "_data" / name


def resources_dir() -> Path:
    return _bundled("resources")


def config_file() -> Path:
    """The county file the launcher uses when no --county is given."""
    return home() / "county.toml"
