"""Typed accessors over parsed TOML tables that raise ConfigError naming the file and the key."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from launcher.core.errors import ConfigError

Table = Mapping[str, Any]


def read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot be read ({exc})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"is not valid TOML ({exc})") from None


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
            raise self.error(key, f"must be a non-empty string, not {value!r}")
        if choices and value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def opt_text(self, key: str) -> str | None:
        return self.text(key) if key in self.table else None

    def integer(self, key: str, default: int, *, minimum: int = 0) -> int:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(key, f"must be a whole number ≥ {minimum}, not {value!r}")
        return value

    def number(self, key: str, default: float, *, minimum: float = 0.0) -> float:
        value = self.table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= minimum:
            raise self.error(key, f"must be a number > {minimum}, not {value!r}")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, not {value!r}")
        return value

    def str_list(self, key: str, default: list[str] | None = None) -> list[str]:
        if key not in self.table:
            if default is None:
                raise self.error(key, "is required")
            return list(default)
        value = self.table[key]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.error(key, f"must be a list of non-empty strings, not {value!r}")
        return list(value)

    def str_map(self, key: str) -> dict[str, str]:
        value = self.table.get(key, {})
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) and v for k, v in value.items()
        ):
            raise self.error(key, 'must be a table of strings (key = "value")')
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
        return [Reader(self.path, t, f"{self.name(key)}[{i}]") for i, t in enumerate(value)]

    def unknown(self, known: set[str]) -> None:
        """Reject keys nobody reads: a misspelt key must not be silently ignored."""
        extra = sorted(set(self.table) - known)
        if extra:
            raise self.error(extra[0], f"is not a known key (known: {', '.join(sorted(known))})")


def check_http_url(reader: Reader, key: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise reader.error(key, f"must be an http(s) URL, not {value!r}")
    return value
