"""The 三清 report (launcher/app/sanqing.py): what was cleared of retired platforms, and what
could not be and why, per platform and kind of data; written as JSON into the data folder
(``reports/sanqing-<UTC time>.json``, its owner's alone) for the IT team to collect.

A report names platforms, kinds of data, counts and reasons: never a person, an account, a
secret, a value a person typed, a task's title or a file's path (a path names the Windows
account). Notes carry a stable ``code`` (scripts and the command line read it) and a detail in
English. No Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from launcher import __version__
from launcher.core import paths

log = logging.getLogger(__name__)

REPORTS = "reports"
"""In the data folder: the 三清 reports, for the IT team to collect."""
FORMAT = 1


class State(StrEnum):
    """What became of one kind of data of one platform."""

    CLEARED = "cleared"
    """Everything held was deleted (or nothing was held)."""
    PARTLY = "partly"
    """Deleted here; something elsewhere could not be done (a token the identity service cannot
    revoke lapses when it expires; a window's web profile in another process)."""
    KEPT = "kept"
    """The kind keeps nothing of a platform (the profile is the person's): untouched."""
    FAILED = "failed"
    """Something stays: sign-out tries again."""


@dataclass(frozen=True)
class Note:
    """One thing done or not done: a stable ``code`` and its detail in English."""

    code: str
    detail: str
    done: bool = True


@dataclass(frozen=True)
class Item:
    """One kind of data of one platform."""

    platform: str
    kind: str
    state: State
    held: int | None = None
    """How many were held before (tasks, saved passwords…); None where it is not counted."""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class SanqingReport:
    county: str
    platforms: tuple[str, ...]
    why: str
    at: datetime
    items: tuple[Item, ...]
    path: Path | None = None
    """Where the report was written (None: it could not be; the log says why)."""

    @property
    def complete(self) -> bool:
        """Nothing stays here (what lapses elsewhere may: see PARTLY)."""
        return not self.failed

    @property
    def failed(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.state is State.FAILED)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "report": "sanqing",
            "launcher": __version__,
            "county": self.county,
            "platforms": list(self.platforms),
            "why": self.why,
            "at": iso(self.at),
            "complete": self.complete,
            "items": [
                {
                    "platform": item.platform,
                    "kind": item.kind,
                    "state": str(item.state),
                    "held": item.held,
                    "cleared": [{"code": n.code, "detail": n.detail} for n in item.notes
                                if n.done],
                    "not_cleared": [{"code": n.code, "detail": n.detail} for n in item.notes
                                    if not n.done],
                }
                for item in self.items
            ],
        }


# Codes of the notes (stable: scripts and the command line read them).
DELETED = "deleted"
REVOKED = "revoked"
NOT_REVOKED = "not-revoked"
NO_REVOCATION = "no-revocation"
GRANT = "grant"
KEPT_BY_DESIGN = "kept"
STILL_HELD = "still-held"
ERROR = "error"
NOT_HERE = "no-web-profile-here"
NO_PROFILE = "no-web-profile"
WEB_PART = "web"
LOG_LINES = "log-lines"

REVOCATION_WHY = {
    "no-endpoint": "the identity service names no revocation endpoint: it lapses when it expires",
    "unsupported": "the identity service cannot revoke this kind of token: it lapses when it "
    "expires",
    "failed": "the identity service could not be reached or refused: it lapses when it expires",
}


def replace_file(path: Path, text: str) -> None:
    """Replace ``path`` whole with ``text`` (a temporary file, then ``os.replace``): a crash
    leaves the old or the new one, its owner's alone."""
    temporary = paths.private_file(path.with_name(f".{path.name}.{os.getpid()}.tmp"))
    try:
        with temporary.open("w", encoding="utf-8") as out:
            out.write(text + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_report(report: SanqingReport) -> Path | None:
    """``reports/sanqing-<UTC time>.json`` of the data folder; None when it cannot be written
    (logged)."""
    try:
        folder = paths.folder(REPORTS)
        stem = f"sanqing-{report.at.strftime('%Y%m%dT%H%M%SZ')}"
        for number in range(1, 1000):
            path = folder / (f"{stem}.json" if number == 1 else f"{stem}-{number}.json")
            if not path.exists():
                break
        replace_file(path, json.dumps(report.to_json(), ensure_ascii=False, indent=1))
        return path
    except OSError as exc:
        log.warning("the 三清 report was not written: %s", why(exc))
        return None


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def why(exc: BaseException) -> str:
    """A failure in words that name no file (a path names the Windows account) and no value."""
    if isinstance(exc, OSError):
        return f"{type(exc).__name__}: {exc.strerror or exc.errno}"
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
