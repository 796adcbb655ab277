"""Typed accessors over parsed TOML tables that raise ConfigError naming the file and the key.

County files and manifests come from outside (a county IT team, a downloaded plugin) and may be
broken or hostile. Whatever they hold, reading them either succeeds with values the rest of the
launcher can use as they are, or raises ConfigError naming the file and the key: never another
exception (a parser's RecursionError, a path's ValueError), which would hide every other platform
or end the launcher with a traceback. So every value is checked here for its type and its bounds.
"""

from __future__ import annotations

import math
import re
import reprlib
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from launcher.core.errors import ConfigError

Table = Mapping[str, Any]

MAX_FILE_BYTES = 1024 * 1024
"""A county file or manifest larger than this is refused unread (real ones are a few KB)."""

MAX_DEPTH = 16
"""Tables and arrays nested deeper than this are refused (real files nest three deep)."""

MAX_TEXT_CHARS = 2000
"""The longest string value accepted (names, URLs, selectors)."""

MAX_ITEMS = 500
"""The most entries of one array or inline table (platforms, forms, fields, scopes)."""

# C0 and C1 control characters (NUL, escape, newline…): no name, URL, selector or path needs one,
# and a NUL in a path makes the operating system's calls fail.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

PLUGIN_ID = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$")
"""A plugin id: lower-case words joined by dots, like ``demo.anquan`` (at most MAX_ID_CHARS)."""

COUNTY_ID = re.compile(r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")
"""A county id names the county's data folder and keyring entries: one safe path component."""

MAX_ID_CHARS = 64

# Names Windows gives to devices in every folder ("con", "nul.txt"): a data folder of that name
# would open the device.
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$")

_shown = reprlib.Repr()
_shown.maxstring = 80
_shown.maxother = 80
_shown.maxlist = _shown.maxdict = _shown.maxtuple = 6
_shown.maxlevel = 3


def shown(value: object) -> str:
    """A value of the file, for a message: its TOML-ish repr, bounded in size."""
    return _shown.repr(value)


def read_toml(path: Path) -> dict[str, Any]:
    """The parsed file; ConfigError when it cannot be read, is too large, is not UTF-8 text, is not
    TOML or nests too deeply."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ConfigError(path, "", f"cannot be read ({exc})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(path, "", f"is larger than {MAX_FILE_BYTES // 1024} KB: not read")
    try:
        # utf-8-sig: Windows Notepad may save the file with a byte order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(path, "", f"is not UTF-8 text (line {line}, byte {exc.start})") from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"is not valid TOML ({exc})") from None
    except RecursionError:
        raise ConfigError(
            path, "", f"nests arrays or tables too deeply (at most {MAX_DEPTH})"
        ) from None
    except ValueError as exc:  # a number of more than 4300 digits
        raise ConfigError(path, "", f"is not valid TOML ({exc})") from None
    _check_depth(path, parsed)
    return parsed


def _check_depth(path: Path, root: dict[str, Any]) -> None:
    """Refuse values nested deeper than MAX_DEPTH (walked without recursion)."""
    stack: list[tuple[str, object, int]] = [("", root, 0)]
    while stack:
        key, value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ConfigError(path, key, f"nests arrays or tables too deeply (at most {MAX_DEPTH})")
        if isinstance(value, dict):
            stack.extend((f"{key}.{k}" if key else k, v, depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{key}[{i}]", v, depth + 1) for i, v in enumerate(value))


def bad_text(value: str) -> str:
    """What is wrong with a string of the file ('' when nothing): too long, control characters."""
    if len(value) > MAX_TEXT_CHARS:
        return f"is longer than {MAX_TEXT_CHARS} characters"
    if _CONTROL.search(value):
        return f"must not contain control characters (such as NUL or a line break): {shown(value)}"
    return ""


class Reader:
    """Reads keys of one table; ``prefix`` is the dotted path of the table, for messages."""

    def __init__(self, path: Path, table: Any, prefix: str = "") -> None:
        self.path = path
        self.prefix = prefix
        if not isinstance(table, Mapping):
            raise ConfigError(path, prefix or "(top level)", "must be a table")
        self.table: Table = table

    def name(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.name(key), problem)

    def has(self, key: str) -> bool:
        return key in self.table

    def text(self, key: str, default: str | None = None, *, choices: tuple[str, ...] = ()) -> str:
        if key not in self.table:
            if default is None:
                raise self.error(key, "is required")
            return default
        value = self.table[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty string, not {shown(value)}")
        if choices and value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}, not {shown(value)}")
        problem = bad_text(value)
        if problem:
            raise self.error(key, problem)
        return value

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if key in self.table else None

    def integer(self, key: str, default: int, *, minimum: int = 0, maximum: int = 1_000_000) -> int:
        value = self.table.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not minimum <= value <= maximum
        ):
            raise self.error(
                key, f"must be a whole number from {minimum} to {maximum}, not {shown(value)}"
            )
        return value

    def number(
        self, key: str, default: float, *, minimum: float = 0.0, maximum: float = 1_000_000.0
    ) -> float:
        """A number above ``minimum`` and at most ``maximum``: never nan nor infinite."""
        value = self.table.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or not minimum < value <= maximum
        ):
            raise self.error(
                key, f"must be a number above {minimum:g} and at most {maximum:g}, "
                f"not {shown(value)}"
            )
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {shown(value)}")
        return value

    def str_list(self, key: str, default: list[str] | None = None) -> list[str]:
        if key not in self.table:
            if default is None:
                raise self.error(key, "is required")
            return list(default)
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, f"must be a list of non-empty strings, not {shown(value)}")
        if len(value) > MAX_ITEMS:
            raise self.error(key, f"has more than {MAX_ITEMS} entries")
        for i, item in enumerate(value):
            problem = bad_text(item)
            if problem:
                raise self.error(f"{key}[{i}]", problem)
        return list(value)

    def str_map(self, key: str) -> dict[str, str]:
        value = self.table.get(key, {})
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
        ):
            raise self.error(key, 'must be a table of strings (key = "value")')
        if len(value) > MAX_ITEMS:
            raise self.error(key, f"has more than {MAX_ITEMS} entries")
        for k, v in value.items():
            problem = bad_text(k) or bad_text(v)
            if problem:
                raise self.error(f"{key}.{k}", problem)
        return dict(value)

    def sub(self, key: str, *, required: bool = True) -> Reader | None:
        if key not in self.table:
            if required:
                raise self.error(key, "table is required")
            return None
        return Reader(self.path, self.table[key], self.name(key))

    def tables(self, key: str) -> list[Reader]:
        value = self.table.get(key, [])
        if not isinstance(value, list):
            raise self.error(key, "must be an array of tables ([[...]])")
        if len(value) > MAX_ITEMS:
            raise self.error(key, f"has more than {MAX_ITEMS} entries")
        return [Reader(self.path, t, f"{self.name(key)}[{i}]") for i, t in enumerate(value)]

    def unknown(self, known: set[str]) -> None:
        """Reject keys nobody reads: a misspelt key must not be silently ignored."""
        extra = sorted(set(self.table) - known)
        if extra:
            raise self.error(extra[0], f"is not a known key (known: {', '.join(sorted(known))})")

    def plugin_id(self, key: str) -> str:
        """A plugin id (``county.platform``): it names keyring entries and cached tasks."""
        value = self.text(key)
        if len(value) > MAX_ID_CHARS or not PLUGIN_ID.match(value):
            raise self.error(
                key, f'must be a plugin id like "county.platform" (lower-case letters, digits, '
                f"_ and -, words joined by dots, at most {MAX_ID_CHARS} characters), "
                f"not {shown(value)}"
            )
        return value

    def county_id(self, key: str) -> str:
        """A county id: it names the county's data folder, so it is one safe folder name."""
        value = self.text(key)
        if (
            len(value) > MAX_ID_CHARS
            or not COUNTY_ID.match(value)
            or _WINDOWS_DEVICES.match(value)
        ):
            raise self.error(
                key, f"must be a short name of lower-case letters, digits, '.', '_' and '-' "
                f"(at most {MAX_ID_CHARS}, starting and ending with a letter or digit, not a "
                f"device name such as con or nul), not {shown(value)}"
            )
        return value


def check_http_url(reader: Reader, key: str, value: str, *, base: bool = False) -> str:
    """``value`` when it is an absolute http(s) URL with a host; ConfigError otherwise.

    With ``base``, a base URL that manifests' templates extend (``{base_url}/path``): it may have
    a path but no query nor fragment, which the templates' paths would land in.
    """
    problem = bad_text(value) or (" " in value and "must not contain spaces") or ""
    if problem:
        raise reader.error(key, problem)
    try:
        parts = urlsplit(value)
        port = parts.port  # a port out of range or not a number raises here
    except ValueError as exc:
        raise reader.error(key, f"is not a valid URL ({exc}): {shown(value)}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise reader.error(key, f"must be an http(s) URL, not {shown(value)}")
    if parts.username is not None or parts.password is not None:
        # "http://gov.example@elsewhere/" goes to elsewhere: a name before @ only misleads.
        raise reader.error(key, f"must not contain a user name or password (…@): {shown(value)}")
    if port == 0:
        raise reader.error(key, f"has port 0: {shown(value)}")
    if base and (parts.query or parts.fragment or value.endswith(("?", "#"))):
        raise reader.error(key, f"must not have a query (?…) or fragment (#…): {shown(value)}")
    return value
