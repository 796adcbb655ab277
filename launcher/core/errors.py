"""Exceptions the core raises, each carrying what a user or an IT team needs to fix the cause."""

from __future__ import annotations

import re
from pathlib import Path

# C0 and C1 control characters: a key or value of a hostile file must not drive the terminal it is
# printed on (escape sequences) nor break the line a message is on.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")

MAX_KEY_CHARS = 200
"""A key longer than this is cut in messages (a hostile file may have a key of a megabyte)."""

MAX_PROBLEM_CHARS = 1000


class LauncherError(Exception):
    """Base class of every error the core reports to the user."""


class ConfigError(LauncherError):
    """A county file or plugin manifest is wrong: names the file, the key and what is wrong.

    The message is one line of bounded length without control characters, whatever the file
    held: it is printed on terminals and shown in the window as it is.
    """

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = Path(path)
        self.key = _printable(key, MAX_KEY_CHARS)
        self.problem = _printable(problem, MAX_PROBLEM_CHARS)
        shown = _printable(str(self.path), MAX_PROBLEM_CHARS)
        where = f"{shown}: {self.key}: " if self.key else f"{shown}: "
        super().__init__(where + self.problem)


def _printable(text: str, limit: int) -> str:
    """``text`` with control characters written as escapes, cut after ``limit`` characters."""
    if len(text) > limit:
        text = text[:limit] + "…"
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class AuthError(LauncherError):
    """Signing in, refreshing a token or signing out failed.

    ``reason`` is a stable code the UI turns into translated text: ``network``, ``refused``,
    ``forged``, ``signed-out``, ``expired``, ``config``.
    """

    def __init__(self, message: str, reason: str = "refused") -> None:
        self.reason = reason
        super().__init__(message)


class SourceError(LauncherError):
    """A task source could not deliver its tasks.

    ``reason`` is one of ``network``, ``timeout``, ``signed-out``, ``platform``, ``unreadable``,
    ``plugin``.
    """

    def __init__(self, message: str, reason: str) -> None:
        self.reason = reason
        super().__init__(message)
