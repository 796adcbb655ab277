"""Where a PC's county packs come from: ``updates.toml`` and the county's ``root.json``.

Both are installed with the launcher's county settings, machine-wide (``LAUNCHER_MACHINE_DIR``,
else ``%ProgramData%\\yiduantong`` on Windows, ``/etc/yiduantong`` elsewhere) or per user (the data
folder). The machine-wide folder is read first: one install serves every account of a PC.

``updates.toml``::

    [updates]
    county = "anji"
    url = "https://packs.anji.example/yiduantong"   # or file:///media/usb/yiduantong, or a path
    check_hours = 4                                  # 1 to 168
    warn_days = 14                                   # warn this long before the metadata expires

A broken file is a ConfigError naming the file and the key, as for county files.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from launcher.core import paths
from launcher.core.errors import ConfigError
from launcher.core.schema import Reader, bad_text, check_http_url, read_toml, shown

__all__ = [
    "CHECK_HOURS",
    "MACHINE_ENV",
    "ROOT_FILE",
    "SETTINGS_FILE",
    "WARN_DAYS",
    "UpdateSettings",
    "find_settings",
    "load_settings",
    "machine_dir",
    "path_of_url",
    "settings_dirs",
    "user_dir",
]

MACHINE_ENV = "LAUNCHER_MACHINE_DIR"
SETTINGS_FILE = "updates.toml"
ROOT_FILE = "root.json"
CHECK_HOURS = (1, 168)
WARN_DAYS = (1, 365)
MAX_ROOT_BYTES = 512 * 1024
"""A root.json larger than this is refused unread (a real one is a few KB)."""


@dataclass(frozen=True)
class UpdateSettings:
    """Where one PC gets its county's packs, and the root of trust it checks them with."""

    county: str
    url: str
    """The repository: an http(s) URL, or a ``file://`` URL (a plain path is made one)."""
    root_file: Path
    """The county's root of trust (TUF root metadata), beside ``updates.toml``."""
    path: Path
    """The ``updates.toml`` read."""
    check_hours: int = 4
    warn_days: int = 14
    machine: bool = False
    """Read from the machine-wide folder."""

    @property
    def metadata_url(self) -> str:
        return self.url.rstrip("/") + "/metadata/"

    @property
    def targets_url(self) -> str:
        return self.url.rstrip("/") + "/targets/"

    @property
    def local(self) -> bool:
        """The repository is a folder (a share, a USB stick), not a web server."""
        return self.url.startswith("file:")

    def root_bytes(self) -> bytes:
        """The root of trust's bytes, read again (bounded); ConfigError naming the file."""
        return _read_root(self.root_file)


def machine_dir() -> Path:
    """The machine-wide settings folder (it may not exist)."""
    override = os.environ.get(MACHINE_ENV)
    if override:
        return Path(override)
    if os.name == "nt":
        return Path(os.environ.get("PROGRAMDATA") or r"C:\ProgramData") / paths.APP_NAME
    return Path("/etc") / paths.APP_NAME


def user_dir() -> Path:
    """The per-user settings folder: the launcher's data folder."""
    return paths.home()


def settings_dirs() -> list[tuple[Path, bool]]:
    """The folders searched for ``updates.toml``, in order, each with "is machine-wide"."""
    return [(machine_dir(), True), (user_dir(), False)]


def find_settings() -> UpdateSettings | None:
    """The first ``updates.toml`` found (machine-wide first), read; None when there is none (a
    PC without packs). A broken one raises ConfigError: it is never silently passed over for
    the next, which would change where packs come from."""
    for folder, machine in settings_dirs():
        path = folder / SETTINGS_FILE
        if path.is_file():
            return load_settings(path, machine=machine)
    return None


def load_settings(path: Path, *, machine: bool = False) -> UpdateSettings:
    """Read and check ``updates.toml`` at ``path`` and its ``root.json``; ConfigError naming the
    file and the key."""
    path = Path(path)
    root = Reader(path, read_toml(path))
    root.unknown({"updates"})
    updates = root.sub("updates")
    assert updates is not None
    updates.unknown({"county", "url", "check_hours", "warn_days"})
    county = updates.county_id("county")
    url = _repository_url(updates, path)
    check_hours = updates.integer("check_hours", 4, minimum=CHECK_HOURS[0], maximum=CHECK_HOURS[1])
    warn_days = updates.integer("warn_days", 14, minimum=WARN_DAYS[0], maximum=WARN_DAYS[1])
    root_file = path.parent / ROOT_FILE
    _check_root(root_file)
    return UpdateSettings(county=county, url=url, root_file=root_file, path=path,
                          check_hours=check_hours, warn_days=warn_days, machine=machine)


def _repository_url(updates: Reader, path: Path) -> str:
    value = updates.text("url")
    scheme = urlsplit(value).scheme.lower() if "://" in value else ""
    if scheme in ("http", "https"):
        return check_http_url(updates, "url", value, base=True).rstrip("/")
    if scheme == "file":
        try:
            path_of_url(value)
        except ValueError as exc:
            raise updates.error("url", f"is not a usable file:// URL ({exc}): {shown(value)}"
                                ) from None
        return value.rstrip("/")
    if scheme:
        raise updates.error("url", f"must be an http(s) or file:// URL or a folder, not "
                                   f"{shown(value)}")
    problem = bad_text(value)
    if problem:
        raise updates.error("url", problem)
    folder = Path(value)
    if not folder.is_absolute():
        folder = path.parent / folder  # relative to the settings file, as plugin_dirs are
    try:
        return folder.resolve().as_uri().rstrip("/")
    except (OSError, RuntimeError, ValueError) as exc:
        raise updates.error("url", f"is not a usable folder ({exc}): {shown(value)}") from None


def path_of_url(url: str) -> Path:
    """The local path of a ``file://`` URL; ValueError for one that names no local file (a host
    other than this machine, except a Windows share: ``file://server/share/…``)."""
    from urllib.request import url2pathname  # ~25 ms of imports: only for a file:// URL

    parts = urlsplit(url)
    if parts.scheme.lower() != "file":
        raise ValueError("not a file:// URL")
    if parts.query or parts.fragment:
        raise ValueError("a file:// URL has no query nor fragment")
    host = parts.netloc
    if host in ("", "localhost"):
        return Path(url2pathname(parts.path)) if os.name == "nt" else Path(unquote(parts.path))
    if os.name == "nt":
        return Path(url2pathname(f"//{host}{parts.path}"))
    raise ValueError(f"names another host ({host}): mount the share and give its path")


def _read_root(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            data = file.read(MAX_ROOT_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found (the county's root of trust is installed "
                                    "beside updates.toml)") from None
    except OSError as exc:
        raise ConfigError(path, "", f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_ROOT_BYTES:
        raise ConfigError(path, "", f"is larger than {MAX_ROOT_BYTES // 1024} KB: not read")
    return data


def _check_root(path: Path) -> None:
    """``root.json`` must be TUF root metadata (its signatures are TUF's business)."""
    from tuf.api.exceptions import RepositoryError
    from tuf.api.metadata import Metadata, Root  # type: ignore[attr-defined]

    data = _read_root(path)
    try:
        json.loads(data)
    except ValueError as exc:
        raise ConfigError(path, "", f"is not JSON ({exc})") from None
    except RecursionError:
        raise ConfigError(path, "", "nests too deeply") from None
    try:
        metadata = Metadata[Root].from_bytes(data)
    except RepositoryError as exc:  # tuf's DeserializationError wraps whatever went wrong
        raise ConfigError(path, "signed", f"is not TUF root metadata ({exc})") from None
    if not isinstance(metadata.signed, Root):
        raise ConfigError(path, "signed._type", "must be root")
