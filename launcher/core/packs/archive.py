"""The pack file: a county file and its plugins as one reproducible ``.pack.tar.gz``
(docs/packs-design.md, "The pack file").

``build_pack`` checks the county as ``launcher validate`` does, then writes the pack with sorted
entries, mtime 0, owner 0 and fixed modes, so the same sources give the same bytes.
``read_pack_info`` reads only pack.toml; ``extract_pack`` unpacks a pack into an empty folder.

A pack comes from outside (signed, but a signing key may be lost, and ``pack inspect`` reads any
file): reading one either succeeds with checked values or raises ``PackError`` naming the member
and what is wrong, never another exception. Every reading is bounded: members, sizes, names, and
the decompressed stream as a whole (a gzip bomb stops at the limit). Extraction applies tarfile's
``data`` filter on top of its own checks.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import shutil
import tarfile
import tomllib
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from launcher.core.errors import ConfigError, LauncherError
from launcher.core.packs.changes import Changes, compute
from launcher.core.packs.version import PackVersion
from launcher.core.schema import (
    MAX_ID_CHARS,
    MAX_TEXT_CHARS,
    PLUGIN_ID,
    Reader,
    bad_text,
    shown,
)

__all__ = [
    "FORMAT",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_NAME_BYTES",
    "MAX_TOTAL_BYTES",
    "SUFFIX",
    "BuildRefused",
    "PackError",
    "PackInfo",
    "build_pack",
    "extract_pack",
    "pack_name",
    "read_pack_info",
]

FORMAT = 1
"""pack.toml's ``[pack] format`` this launcher reads and writes."""
SUFFIX = ".pack.tar.gz"
MAX_MEMBERS = 2000
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_NAME_BYTES = 255
MAX_TOML_BYTES = 1024 * 1024
"""pack.toml, county.toml and each manifest.toml (as schema.read_toml reads them)."""

# The decompressed stream: the members' data, plus a header (and a PAX header) of 512-byte
# blocks for each member, plus padding; anything longer is not a pack.
_MAX_STREAM_BYTES = MAX_TOTAL_BYTES + MAX_MEMBERS * 4 * 512 + 64 * 1024

TOP = ("pack.toml", "county.toml", "plugins")
_FILE_MODE, _DIR_MODE = 0o644, 0o755
_SKIPPED_DIRS = {"__pycache__"}
_SKIPPED_SUFFIXES = (".pyc", ".pyo")
# Names Windows cannot hold or gives to devices in every folder: a pack installs on Windows PCs.
_WINDOWS_DEVICE = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_BAD_CHARS = re.compile(r'[\x00-\x1f\x7f\\:*?"<>|]')
_CREATED = "%Y-%m-%dT%H:%M:%SZ"


class PackError(LauncherError):
    """A pack file cannot be built, read or unpacked: the message names the file, the member
    (when one is to blame) and what is wrong."""

    def __init__(self, message: str, member: str = "") -> None:
        self.member = member
        super().__init__(message)


class BuildRefused(PackError):
    """``build_pack`` found problems in the county or its plugins (``launcher validate``'s
    problems, each with its file and key)."""

    def __init__(self, message: str, problems: list[Any], *, hanging: bool = False) -> None:
        self.problems = problems
        self.hanging = hanging
        """A Python entry's import did not return in time: its thread is still busy."""
        super().__init__(message)


@dataclass(frozen=True)
class PackInfo:
    """What a pack is, as its pack.toml says."""

    county: str
    version: PackVersion
    created: str
    """When it was built, UTC: ``2026-12-07T13:00:00Z``."""
    platforms: Mapping[str, str] = field(default_factory=dict)
    """Every plugin in the pack: its manifest's version, by plugin id."""
    changes: Changes = field(default_factory=Changes)
    format: int = FORMAT

    @property
    def file_name(self) -> str:
        return pack_name(self.county, self.version)


def pack_name(county: str, version: PackVersion | str) -> str:
    """The pack file's name: ``anji-2026.12.2.pack.tar.gz``."""
    return f"{county}-{version}{SUFFIX}"


# -- building --------------------------------------------------------------------------------


def build_pack(
    source: Path,
    version: PackVersion | str,
    out_dir: Path,
    *,
    previous: Path | None = None,
    note: str = "",
    note_en: str = "",
    retire: Iterable[str] = (),
    created: datetime | None = None,
    timeout: float | None = None,
) -> Path:
    """Build ``<county>-<version>.pack.tar.gz`` in ``out_dir`` from ``source``, a folder holding
    county.toml (or the county file itself), and return its path.

    The county and its plugins are checked first as ``launcher validate`` checks them (Python
    entries imported, within ``timeout`` seconds each): any problem refuses the build
    (``BuildRefused``). The pack holds the county file with ``plugin_dirs = ["plugins"]`` and each
    plugin the county lists that was found, as ``plugins/<id>/`` (its files but hidden ones,
    ``__pycache__`` and compiled Python). ``previous`` (a pack file) gives what changed; a platform
    it held that this pack does not is retired, and so is each of ``retire``. ``created`` (default:
    ``SOURCE_DATE_EPOCH``, else now) is the one input besides the files: the same files and
    ``created`` give the same bytes."""
    from launcher.core.county import load_county
    from launcher.core.plugins.check import IMPORT_TIMEOUT, check_paths
    from launcher.core.registry import discover

    version = _version(version)
    source = Path(source)
    county_path = source if source.is_file() else source / "county.toml"
    if not county_path.is_file():
        raise PackError(f"{source}: holds no county.toml")
    for text, what in ((note, "--note"), (note_en, "--note-en")):
        problem = bad_text(text)
        if problem:
            raise PackError(f"the note ({what}) {problem}")
    report = check_paths([county_path], timeout=timeout or IMPORT_TIMEOUT)
    if report.problems:
        raise BuildRefused(
            f"{county_path}: {len(report.problems)} problem(s) found; the pack was not built",
            list(report.problems),
            hanging=report.hanging,
        )
    try:
        county = load_county(county_path)
    except ConfigError as exc:  # checked just above; changed meanwhile
        raise PackError(str(exc)) from None
    manifests, _ = discover(county.plugin_dirs)
    listed = [entry.plugin for entry in county.platforms]
    plugins = {pid: manifests[pid] for pid in sorted(listed) if pid in manifests}

    before = read_pack_info(previous) if previous is not None else None
    if before is not None:
        if before.county != county.id:
            raise PackError(f"{previous}: is a pack of county {before.county!r}, not {county.id!r}")
        if not version > before.version:
            raise PackError(
                f"version {version} must be later than the previous pack's {before.version}"
            )
    retired = sorted(set(retire))
    for pid in retired:
        if len(pid) > MAX_ID_CHARS or not PLUGIN_ID.match(pid):
            raise PackError(f"--retire {shown(pid)}: not a plugin id (like county.platform)")
        if pid in plugins:
            raise PackError(f"--retire {pid}: the pack still holds this platform")
    changes = compute(
        before,
        {pid: m.version for pid, m in plugins.items()},
        retire=retired,
        note=note,
        note_en=note_en,
    )
    moment = created or _created_default()
    info = PackInfo(
        county=county.id,
        version=version,
        created=moment.astimezone(UTC).strftime(_CREATED),
        platforms={pid: m.version for pid, m in plugins.items()},
        changes=changes,
    )

    entries: dict[str, bytes | None] = {  # name: the file's bytes, None for a folder
        "pack.toml": pack_toml(info).encode("utf-8"),
        "county.toml": _county_text(county_path).encode("utf-8"),
        "plugins": None,
    }
    for pid, manifest in plugins.items():
        entries[f"plugins/{pid}"] = None
        entries.update(_plugin_files(manifest.folder, f"plugins/{pid}"))
    _check_bounds(entries)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / info.file_name
    part = out_dir / f".{info.file_name}.part"
    try:
        with part.open("wb") as raw:
            raw.write(_archive(entries))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    return target


def _version(version: PackVersion | str) -> PackVersion:
    if isinstance(version, PackVersion):
        return version
    try:
        return PackVersion.parse(version)
    except ValueError as exc:
        raise PackError(str(exc)) from None


def _created_default() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit() and len(epoch) <= 12:
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


def _archive(entries: Mapping[str, bytes | None]) -> bytes:
    """The gzip-compressed tar of ``entries``, in name order, with nothing of the machine that
    built it: mtime 0, owner 0 without names, modes 0644 and 0755, no file name in gzip's header."""
    buffer = io.BytesIO()
    with (
        gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT, encoding="utf-8") as tar,
    ):
        for name in sorted(entries):
            data = entries[name]
            member = tarfile.TarInfo(name)
            member.mtime = 0
            member.uid = member.gid = 0
            member.uname = member.gname = ""
            if data is None:
                member.type, member.mode = tarfile.DIRTYPE, _DIR_MODE
                tar.addfile(member)
            else:
                member.type, member.mode, member.size = tarfile.REGTYPE, _FILE_MODE, len(data)
                tar.addfile(member, io.BytesIO(data))
    return buffer.getvalue()


def _plugin_files(folder: Path, prefix: str) -> dict[str, bytes | None]:
    """A plugin folder's files and sub-folders under ``prefix``: not hidden ones, ``__pycache__``
    or compiled Python. A link is followed only to a regular file inside the folder."""
    found: dict[str, bytes | None] = {}
    root = folder.resolve()
    for here, dirs, files in os.walk(folder):
        base = Path(here)
        for name in list(dirs):
            path = base / name
            if name.startswith(".") or name in _SKIPPED_DIRS:
                dirs.remove(name)
            elif path.is_symlink():
                raise PackError(f"{path}: a link to a folder cannot go into a pack")
            else:
                found[f"{prefix}/{path.relative_to(folder).as_posix()}"] = None
        dirs.sort()
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or name.endswith(_SKIPPED_SUFFIXES):
                continue
            real = path.resolve()
            if not real.is_relative_to(root) or not real.is_file():
                raise PackError(f"{path}: not a regular file inside the plugin's folder")
            if real.stat().st_size > MAX_MEMBER_BYTES:
                raise PackError(f"{path}: larger than {MAX_MEMBER_BYTES // 2**20} MB")
            found[f"{prefix}/{path.relative_to(folder).as_posix()}"] = real.read_bytes()
    return found


def _check_bounds(entries: Mapping[str, bytes | None]) -> None:
    """What extraction would refuse is refused at build: a pack that is built also unpacks."""
    if len(entries) > MAX_MEMBERS:
        raise PackError(f"the pack would hold {len(entries)} files and folders; at most "
                        f"{MAX_MEMBERS} are allowed")
    total = sum(len(d) for d in entries.values() if d is not None)
    if total > MAX_TOTAL_BYTES:
        raise PackError(f"the pack's files would be {total // 2**20} MB; at most "
                        f"{MAX_TOTAL_BYTES // 2**20} MB are allowed")
    folded: dict[str, str] = {}
    for name in entries:
        problem = _bad_name(name)
        if problem:
            raise PackError(f"{shown(name)}: {problem}", name)
        other = folded.setdefault(name.casefold(), name)
        if other != name:
            raise PackError(f"{shown(name)} and {shown(other)} differ only in case (one file on "
                            "Windows)", name)


def _county_text(path: Path) -> str:
    """The county file with ``plugin_dirs = ["plugins"]``: its own text and comments, the one
    top-level key replaced (or added first), and the result checked to say the same otherwise."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        original = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError,
            ValueError) as exc:
        raise PackError(f"{path}: cannot be read ({exc})") from None
    lines = text.splitlines(keepends=True)
    key = re.compile(r"""\s*(plugin_dirs|"plugin_dirs"|'plugin_dirs')\s*=""")
    new = ['plugin_dirs = ["plugins"]  # the plugins of this pack\n', *lines]
    for i, line in enumerate(lines):
        if line.lstrip().startswith("["):
            break  # the first table: plugin_dirs is a key of the top level, before it
        if key.match(line):
            end = i + 1
            while end <= len(lines):  # the value may span lines: up to where it parses
                try:
                    tomllib.loads("".join(lines[i:end]))
                    break
                except tomllib.TOMLDecodeError:
                    end += 1
            new = [*lines[:i], 'plugin_dirs = ["plugins"]\n', *lines[end:]]
            break
    result = "".join(new)
    expected = {**original, "plugin_dirs": ["plugins"]}
    try:
        same = tomllib.loads(result) == expected
    except tomllib.TOMLDecodeError:
        same = False
    if not same:
        raise PackError(f"{path}: plugin_dirs could not be rewritten; write it on one line at the "
                        "top of the file")
    return result


def pack_toml(info: PackInfo) -> str:
    """pack.toml's text for ``info``."""
    changes = info.changes
    lines = [
        "# What this pack is: written by `launcher pack build` (docs/packs-design.md).",
        "[pack]",
        f"format = {info.format}",
        f"county = {_toml_string(info.county)}",
        f"version = {_toml_string(str(info.version))}",
        f"created = {_toml_string(info.created)}",
        "",
        "[platforms]",
        *(f"{_toml_string(pid)} = {_toml_string(v)}" for pid, v in sorted(info.platforms.items())),
        "",
        "[changes]",
        f"previous = {_toml_string(changes.previous)}",
        f"added = {_toml_list(changes.added)}",
        f"updated = {_toml_list(changes.updated)}",
        f"retired = {_toml_list(changes.retired)}",
        f"note = {_toml_string(changes.note)}",
        f"note_en = {_toml_string(changes.note_en)}",
    ]
    return "\n".join(lines) + "\n"


def _toml_string(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def _toml_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_toml_string(i) for i in items) + "]"


# -- reading ---------------------------------------------------------------------------------


def read_pack_info(pack_file: Path) -> PackInfo:
    """What ``pack_file`` says it is (its pack.toml), read without unpacking the rest."""
    pack_file = Path(pack_file)
    for member, read in _members(pack_file):
        if member.name == "pack.toml":
            return _parse_pack_toml(read(), pack_file)
    raise PackError(f"{pack_file}: holds no pack.toml: not a pack", "pack.toml")


def _members(pack_file: Path) -> Iterator[tuple[tarfile.TarInfo, Callable[[], bytes]]]:
    """Each member of the pack, checked, with a function that reads a file member's bytes
    (before the next member is asked for): one pass over the stream, bounded throughout."""
    try:
        raw = pack_file.open("rb")
    except (OSError, ValueError) as exc:
        raise PackError(f"{pack_file}: cannot be read ({exc})") from None
    count = total = 0
    seen: dict[str, str] = {}  # case-folded name: name
    current = ""
    try:
        with raw, gzip.GzipFile(fileobj=raw, mode="rb") as gz:
            stream = _Bounded(gz, _MAX_STREAM_BYTES)
            with tarfile.open(fileobj=stream, mode="r|", errorlevel=2) as tar:
                for member in tar:
                    current = member.name
                    count += 1
                    if count > MAX_MEMBERS:
                        raise PackError(f"{pack_file}: holds more than {MAX_MEMBERS} members",
                                        member.name)
                    _check_member(pack_file, member)
                    other = seen.setdefault(member.name.casefold(), member.name)
                    if other == member.name and len(seen) < count:
                        raise PackError(f"{pack_file}: {shown(member.name)}: appears twice",
                                        member.name)
                    if other != member.name:
                        raise PackError(f"{pack_file}: {shown(member.name)}: differs from "
                                        f"{shown(other)} only in case", member.name)
                    total += member.size
                    if total > MAX_TOTAL_BYTES:
                        raise PackError(f"{pack_file}: its files are larger than "
                                        f"{MAX_TOTAL_BYTES // 2**20} MB in all", member.name)
                    yield member, _reader(tar, member, pack_file)
            current = ""
            while stream.read(64 * 1024):  # to gzip's end: its checksum and length checked
                pass
    except PackError:
        raise
    except _Overflow:
        raise PackError(f"{pack_file}: unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB with "
                        "its headers: not a pack", current) from None
    except (tarfile.TarError, OSError, EOFError, zlib.error, ValueError, UnicodeError,
            OverflowError, KeyError, IndexError) as exc:
        where = f"{shown(current)}: " if current else ""
        raise PackError(f"{pack_file}: {where}not a readable pack ({type(exc).__name__}: "
                        f"{_one_line(exc)})", current) from None


def _reader(tar: tarfile.TarFile, member: tarfile.TarInfo, pack_file: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        data = tar.extractfile(member)
        if data is None:
            raise PackError(f"{pack_file}: {shown(member.name)}: is not a file", member.name)
        content = data.read(member.size + 1)
        if len(content) != member.size:
            raise PackError(f"{pack_file}: {shown(member.name)}: is cut short", member.name)
        return content

    return read


def _check_member(pack_file: Path, member: tarfile.TarInfo) -> None:
    """Refuse what a pack never holds: names outside it, links, devices, large files."""
    name = member.name

    def refuse(why: str) -> PackError:
        return PackError(f"{pack_file}: {shown(name)}: {why}", name)

    problem = _bad_name(name)
    if problem:
        raise refuse(problem)
    if member.issym() or member.islnk():
        raise refuse("is a link; a pack holds only files and folders")
    if member.ischr() or member.isblk() or member.isfifo():
        raise refuse("is a device; a pack holds only files and folders")
    if member.type not in (tarfile.REGTYPE, tarfile.AREGTYPE, tarfile.DIRTYPE):
        raise refuse("is not a regular file or folder")
    if member.size > MAX_MEMBER_BYTES:
        raise refuse(f"is larger than {MAX_MEMBER_BYTES // 2**20} MB")
    if member.isdir() and member.size:
        raise refuse("is a folder with content")
    top = name.split("/", 1)[0]
    if name in ("pack.toml", "county.toml"):
        if not member.isreg():
            raise refuse("must be a file")
        if member.size > MAX_TOML_BYTES:
            raise refuse(f"is larger than {MAX_TOML_BYTES // 1024} KB")
    elif top != "plugins":
        raise refuse("is not pack.toml, county.toml or under plugins/")
    elif name == "plugins":
        if not member.isdir():
            raise refuse("must be a folder")
    elif name.count("/") == 1 and not member.isdir():
        raise refuse("is a file outside any plugin's folder")
    elif name.count("/") == 2 and name.endswith("/manifest.toml") and member.size > MAX_TOML_BYTES:
        raise refuse(f"is larger than {MAX_TOML_BYTES // 1024} KB")


def _bad_name(name: str) -> str:
    """What is wrong with a member's name ("" when nothing): it must be a relative path of plain
    parts that every PC's file system holds as it is."""
    if not name:
        return "has no name"
    try:
        size = len(name.encode("utf-8"))
    except UnicodeError:
        return "is not a UTF-8 name"
    if size > MAX_NAME_BYTES:
        return f"has a name longer than {MAX_NAME_BYTES} bytes"
    if name.startswith("/") or PurePosixPath(name).is_absolute():
        return "is an absolute name"
    if "\x00" in name:
        return "has a NUL in its name"
    if "\\" in name:
        return "has a backslash in its name"
    if ":" in name:
        return "has a colon in its name"
    parts = name.split("/")
    if ".." in parts:
        return "has '..' in its name"
    if any(p in ("", ".") for p in parts):
        return "is not a plain relative name (an empty or '.' part)"
    for part in parts:
        if _BAD_CHARS.search(part):
            return "has a character Windows file names cannot hold"
        if part.endswith((" ", ".")) or _WINDOWS_DEVICE.match(part):
            return f"has a part Windows cannot hold as a file name: {shown(part)}"
    return ""


class _Overflow(Exception):
    pass


class _Bounded(io.RawIOBase):
    """A read-only stream that fails once more than ``limit`` bytes were read from it."""

    def __init__(self, inner: io.BufferedIOBase, limit: int) -> None:
        self.inner = inner
        self.left = limit

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self.left + 1
        data = self.inner.read(min(size, self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise _Overflow
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def _parse_pack_toml(data: bytes, pack_file: Path) -> PackInfo:
    where = pack_file / "pack.toml"
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise PackError(f"{where}: is not UTF-8 text", "pack.toml") from None
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        raise PackError(f"{where}: is not valid TOML ({_one_line(exc)})", "pack.toml") from None
    try:
        return _pack_info(Reader(where, parsed))
    except ConfigError as exc:
        raise PackError(str(exc), "pack.toml") from None


def _pack_info(root: Reader) -> PackInfo:
    root.unknown({"pack", "platforms", "changes"})
    pack = root.sub("pack")
    assert pack is not None
    pack.unknown({"format", "county", "version", "created"})
    form = pack.integer("format", 0, minimum=1, maximum=1_000_000)
    if form != FORMAT:
        raise pack.error("format", f"is {form}; this launcher reads packs of format {FORMAT} "
                         "(update the launcher)")
    county = pack.county_id("county")
    version = _parsed_version(pack, "version", pack.text("version"))
    created = pack.text("created")
    try:
        datetime.strptime(created, _CREATED)
    except ValueError:
        raise pack.error("created", f"must be a UTC time like 2026-12-07T13:00:00Z, not "
                         f"{shown(created)}") from None
    platforms = root.str_map("platforms")
    for pid in platforms:
        _plugin_id(root, f"platforms.{pid}", pid)
    changes = root.sub("changes", required=False)
    if changes is None:
        return PackInfo(county, version, created, platforms)
    changes.unknown({"previous", "added", "updated", "retired", "note", "note_en"})
    previous = _maybe_empty(changes, "previous")
    if previous:
        _parsed_version(changes, "previous", previous)
    lists = {}
    for key in ("added", "updated", "retired"):
        ids = changes.str_list(key, [])
        for i, pid in enumerate(ids):
            _plugin_id(changes, f"{key}[{i}]", pid)
        lists[key] = tuple(sorted(set(ids)))
    return PackInfo(
        county, version, created, platforms,
        Changes(previous, lists["added"], lists["updated"], lists["retired"],
                _maybe_empty(changes, "note"), _maybe_empty(changes, "note_en")),
    )


def _parsed_version(reader: Reader, key: str, text: str) -> PackVersion:
    try:
        return PackVersion.parse(text)
    except ValueError as exc:
        raise reader.error(key, str(exc)) from None


def _plugin_id(reader: Reader, key: str, value: str) -> None:
    if len(value) > MAX_ID_CHARS or not PLUGIN_ID.match(value):
        raise reader.error(key, f"is not a plugin id (like county.platform): {shown(value)}")


def _maybe_empty(reader: Reader, key: str) -> str:
    value = reader.table.get(key, "")
    if not isinstance(value, str):
        raise reader.error(key, f"must be a string, not {shown(value)}")
    if len(value) > MAX_TEXT_CHARS:
        raise reader.error(key, f"is longer than {MAX_TEXT_CHARS} characters")
    return reader.text(key) if value.strip() else ""


# -- unpacking -------------------------------------------------------------------------------


def extract_pack(
    pack_file: Path,
    dest: Path,
    *,
    county: str | None = None,
    version: PackVersion | str | None = None,
) -> PackInfo:
    """Unpack ``pack_file`` into ``dest`` (a folder that does not exist yet, or an empty one) and
    return what it is. ``county`` and ``version``, when given, are what the pack must be (the
    signed index's target). Anything refused raises ``PackError`` naming the member, and ``dest``
    is left as it was found (removed when it was made here, else emptied)."""
    pack_file, dest = Path(pack_file), Path(dest)
    made = not dest.exists()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        if any(dest.iterdir()):
            raise PackError(f"{dest}: is not empty; a pack is unpacked into an empty folder")
    except OSError as exc:
        raise PackError(f"{dest}: cannot be used ({exc})") from None
    try:
        return _extract(pack_file, dest, county, version)
    except BaseException:
        _clear(dest, remove=made)
        raise


def _extract(
    pack_file: Path, dest: Path, county: str | None, version: PackVersion | str | None
) -> PackInfo:
    info: PackInfo | None = None
    names: set[str] = set()
    root = dest.resolve()
    for member, read in _members(pack_file):
        if member.name == "pack.toml":
            data = read()
            info = _parse_pack_toml(data, pack_file)
            _write(root / "pack.toml", data, pack_file, member.name)
        elif member.isdir():
            _mkdir(root, member, pack_file)
        else:
            try:
                checked = tarfile.data_filter(member, str(root))
            except tarfile.FilterError as exc:
                raise PackError(f"{pack_file}: {shown(member.name)}: refused ({exc})",
                                member.name) from None
            _write(root / checked.name, read(), pack_file, member.name)
        names.add(member.name)
    if info is None:
        raise PackError(f"{pack_file}: holds no pack.toml: not a pack", "pack.toml")
    if "county.toml" not in names:
        raise PackError(f"{pack_file}: holds no county.toml", "county.toml")
    _check_target(pack_file, info, county, version)
    _check_county(pack_file, root, info)
    _check_plugins(pack_file, root, info)
    return info


def _mkdir(root: Path, member: tarfile.TarInfo, pack_file: Path) -> None:
    try:
        checked = tarfile.data_filter(member, str(root))
        (root / checked.name).mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
    except tarfile.FilterError as exc:
        raise PackError(f"{pack_file}: {shown(member.name)}: refused ({exc})",
                        member.name) from None
    except OSError as exc:
        raise PackError(f"{pack_file}: {shown(member.name)}: cannot be made ({exc.strerror})",
                        member.name) from None


def _write(path: Path, data: bytes, pack_file: Path, name: str) -> None:
    """A new file (never one already there, never through a link), mode 0644."""
    try:
        path.parent.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        flags |= getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, _FILE_MODE)
        with os.fdopen(fd, "wb") as file:
            file.write(data)
    except OSError as exc:
        raise PackError(f"{pack_file}: {shown(name)}: cannot be written ({exc.strerror})",
                        name) from None


def _check_target(
    pack_file: Path, info: PackInfo, county: str | None, version: PackVersion | str | None
) -> None:
    if county is not None and info.county != county:
        raise PackError(f"{pack_file}: pack.toml names county {info.county!r}, not {county!r}",
                        "pack.toml")
    if version is not None and str(info.version) != str(version):
        raise PackError(f"{pack_file}: pack.toml names version {info.version}, not {version}",
                        "pack.toml")


def _check_county(pack_file: Path, root: Path, info: PackInfo) -> None:
    """The county file is the pack's county, and its plugins are the pack's own: a county file
    naming other plugin folders would load plugins nobody signed."""
    from launcher.core.schema import read_toml

    where = root / "county.toml"
    try:
        reader = Reader(where, read_toml(where))
        county = reader.sub("county")
        assert county is not None
        county_id = county.county_id("id")
        dirs = reader.table.get("plugin_dirs", ["plugins"])
    except ConfigError as exc:
        raise PackError(f"{pack_file}: county.toml: {exc.key or 'file'}: {exc.problem}",
                        "county.toml") from None
    if county_id != info.county:
        raise PackError(f"{pack_file}: county.toml is county {county_id!r}, pack.toml names "
                        f"{info.county!r}", "county.toml")
    if dirs != ["plugins"]:
        raise PackError(f"{pack_file}: county.toml: plugin_dirs must be [\"plugins\"] in a pack, "
                        f"not {shown(dirs)}", "county.toml")


def _check_plugins(pack_file: Path, root: Path, info: PackInfo) -> None:
    """Each folder of plugins/ is a plugin pack.toml names, with its manifest's id and version,
    and each plugin pack.toml names is there."""
    from launcher.core.schema import read_toml

    folder = root / "plugins"
    found = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    for name in found:
        member = f"plugins/{name}"
        if name not in info.platforms:
            raise PackError(f"{pack_file}: {shown(member)}: a plugin pack.toml does not list",
                            member)
        manifest = folder / name / "manifest.toml"
        try:
            reader = Reader(manifest, read_toml(manifest))
            plugin_id, plugin_version = reader.text("id"), reader.text("version")
        except ConfigError as exc:
            raise PackError(f"{pack_file}: {member}/manifest.toml: {exc.key or 'file'}: "
                            f"{exc.problem}", f"{member}/manifest.toml") from None
        if plugin_id != name:
            raise PackError(f"{pack_file}: {member}/manifest.toml: its id is "
                            f"{shown(plugin_id)}, not the folder's {name!r}", member)
        if plugin_version != info.platforms[name]:
            raise PackError(f"{pack_file}: {member}/manifest.toml: version "
                            f"{shown(plugin_version)}, pack.toml says "
                            f"{shown(info.platforms[name])}", member)
    missing = sorted(set(info.platforms) - set(found))
    if missing:
        raise PackError(f"{pack_file}: pack.toml lists {', '.join(missing)}, not in plugins/",
                        f"plugins/{missing[0]}")


def _clear(dest: Path, *, remove: bool) -> None:
    if remove:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for child in dest.iterdir() if dest.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)

