"""Exceptions the core raises, each carrying what a user or an IT team needs to fix the cause."""

from __future__ import annotations

from pathlib import Path


class LauncherError(Exception):
    """Base class of every error the core reports to the user."""


class ConfigError(LauncherError):
    """A county file or plugin manifest is wrong: names the file, the key and what is wrong."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = Path(path)
        self.key = key
        self.problem = problem
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(where + problem)


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
