"""Turning the many ways platforms write a time into timezone-aware datetimes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

# China has kept UTC+08:00 all year since 1991, so a fixed offset is exact for every time a
# platform can still report, and it avoids depending on the tzdata package on Windows, whose
# Python has no IANA database of its own.
CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")

_SLASHED = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DIGITS = re.compile(r"^\d{9,13}(\.\d+)?$")
# Anything from 1e11 on is read as milliseconds: as seconds it would be past the year 5000.
_MILLIS_FROM = 100_000_000_000


def parse_time(value: object) -> datetime | None:
    """An aware datetime for ``value``, or None when it is empty or not a time at all.

    Accepts ISO 8601 (``2026-11-30T17:00:00+08:00``, ``...Z``), ``YYYY-MM-DD HH:MM:SS``,
    ``YYYY/MM/DD [HH:MM[:SS]]``, a bare date ``YYYY-MM-DD`` and epoch seconds or milliseconds
    (numbers or digit strings). Times without an offset are China time (+08:00). A bare date
    means the end of that day, since a platform that gives only a date means "by that day".
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _DIGITS.match(text):
        return _from_epoch(float(text))
    slashed = _SLASHED.match(text)
    if slashed:
        y, mo, d, h, mi, s = slashed.groups()
        try:
            if h is None:
                return _end_of_day(date(int(y), int(mo), int(d)))
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), tzinfo=CHINA)
        except ValueError:
            return None
    if len(text) == 10:
        try:
            return _end_of_day(date.fromisoformat(text))
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=CHINA)


def _from_epoch(number: float) -> datetime | None:
    if number < 0:
        return None
    if number >= _MILLIS_FROM:
        number /= 1000.0
    try:
        return datetime.fromtimestamp(number, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=CHINA)


def china_month(moment: datetime) -> str:
    """The ``YYYY-MM`` the moment falls in, in China time (the month staff report for)."""
    return moment.astimezone(CHINA).strftime("%Y-%m")


def parse_time_as(value: object, date_format: str) -> datetime | None:
    """``value`` read with a manifest's ``date_format``: ``auto`` (``parse_time``), ``epoch-s``,
    ``epoch-ms`` or a pattern (``strftime_pattern``); None when it does not fit. A time without
    an offset is China time; a pattern without hours means the end of that day."""
    if date_format == "auto":
        return parse_time(value)
    if date_format in ("epoch-s", "epoch-ms"):
        number = _number(value)
        if number is None or number < 0:
            return None
        seconds = number / 1000.0 if date_format == "epoch-ms" else number
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return parse_time(value)  # a number where a text was declared: still read
    # The manifests' module (dataclasses, ~15 ms) is not imported with CHINA: the window's start
    # classifies the cached tasks by China time before any manifest is read.
    from launcher.core.manifest import strftime_pattern

    pattern = strftime_pattern(date_format)
    try:
        parsed = datetime.strptime(value.strip(), pattern)
    except ValueError:
        return parse_time(value)
    if "%H" not in pattern and "%I" not in pattern:
        return _end_of_day(parsed.date())
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=CHINA)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and re.match(r"^\s*\d{1,16}(\.\d+)?\s*$", value):
        return float(value)
    return None
