"""Exceptions the core raises, each carrying what a user or an IT team needs to fix the cause."""

from __future__ import annotations

import re
from pathlib import Path

from launcher.core.states import AuthReason, FailureReason

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

    ``reason`` (an ``AuthReason``, launcher/core/states.py) says why, for the code that decides
    and for the words the person is told (launcher/app/vocabulary.py). The message is the
    technical detail, never parsed.

    The launcher's code passes a member (tests/unit/core/test_reason_literals.py holds it to
    that). A reason outside the vocabulary raises ``ValueError``: a mistake is never silently
    another reason (``auth_reason`` is the parser for a code that comes from outside).
    """

    def __init__(self, message: str, reason: AuthReason = AuthReason.REFUSED) -> None:
        self.reason = AuthReason(reason)
        super().__init__(message)

    def source_reason(self) -> FailureReason:
        """The task source's reason for a platform whose token this error kept away: trouble
        reaching the identity service stays that (signing in again would not help); anything
        else means the person must sign in again."""
        return self.reason.source_reason()


class SourceError(LauncherError):
    """A task source could not deliver its tasks (or do what it was asked).

    ``reason`` is a ``FailureReason`` (launcher/core/states.py); the message is the technical
    detail, never parsed.

    The launcher's code passes a member (tests/unit/core/test_reason_literals.py holds it to
    that), a plugin's failure one of ``PluginError``'s (launcher/core/plugins/host.py). A reason
    outside the vocabulary raises ``ValueError``: a mistake is never silently another reason.
    """

    def __init__(self, message: str, reason: FailureReason) -> None:
        self.reason = FailureReason(reason)
        super().__init__(message)
