"""A per-person audit log: what a county account did with the launcher on this computer, kept
local and append-only (sign-in and sign-out, lock and unlock, platforms opened, forms filled and
records submitted, by field names and counts, never values).

Like the records (launcher/core/profile/records.py), the log belongs to one county account: the
files ``audit/<digest>.log`` (and, once rotated, ``audit/<digest>.1.log``) of the county's data
folder, and the keyring entry ``audit/<digest>`` (of the profile's keyring service), where the
digest is a one-way hash of the account's ``sub`` (another prefix than the profile's and the
records'). Nothing here knows who is signed in: callers name the account.

Each entry is one line: AES-256-GCM of its JSON (a fresh nonce, bound to the log's digest), so
the file names no platform, field or time in clear. Each entry carries its number and the hash
of the line before it; the log's first line starts the chain, and a sealed ``<digest>.head``
names the last entry. Reading checks all of it and reports, without stopping, an entry changed
(it cannot be opened), removed, inserted or moved (the chain breaks there), the first entries
removed (the first kept line does not start the log), the newest ones removed (the head names a
later one), and a log removed as a whole while its key stayed. What it cannot see: the newest
entries removed together with the head put back from an older copy.

Bounded: the current file is rotated when it would pass ``MAX_BYTES`` or its first entry is
older than ``MAX_AGE``; one earlier file is kept. So a person's log holds between 6 and 12
months, and never more than about 2 × ``MAX_BYTES`` (2 MB) however busy they are.

Calls touch the disk and the keyring: make them off the GUI thread. Thread-safe. No Qt here.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import json
import logging
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from launcher.core import paths
from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
"""A log file is rotated before it passes this size (two files are kept)."""
MAX_AGE = timedelta(days=183)
"""A log file is rotated once its first entry is this old (two files are kept)."""
STARTED, ROTATED = "log_started", "log_rotated"
"""The first entry of a log, and of each file after a rotation."""
_NONCE = 12
_HASH = 32  # hex characters of the chain's hashes (128 bits)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.:\-/]{0,119}$")

Detail = int | bool | str | tuple[str, ...]
"""A detail of an entry: a count, a flag, a name (a field's key, a form's key, a state) or names."""


class Problem(StrEnum):
    """What reading found wrong with a log."""

    ALTERED = "altered"
    """An entry cannot be opened: it was changed (or written with another key)."""
    BROKEN = "broken"
    """The chain breaks before this entry: entries removed, inserted or moved."""
    START_REMOVED = "start_removed"
    """The first kept entry does not start the log: its first entries were removed."""
    END_REMOVED = "end_removed"
    """The log's head names later entries than the log holds: its newest ones were removed."""
    HEAD_MISSING = "head_missing"
    """Entries are kept but the head that names the last one is gone or changed."""
    LOG_REMOVED = "log_removed"
    """The log was removed as a whole (its key stayed), and a new one started after it."""


@dataclass(frozen=True)
class Entry:
    """One thing a person did: its ``kind`` (``signed_in``, ``opened``, ``filled``…), the
    platform's id when one is concerned, and details that are names and counts, never values."""

    kind: str
    platform: str = ""
    details: Mapping[str, Detail] = field(default_factory=dict)
    at: str = ""
    """When, ISO 8601 in UTC (set when appended)."""
    seq: int = 0
    """Its number in the log, from 1 (set when appended)."""


@dataclass(frozen=True)
class Finding:
    problem: Problem
    seq: int = 0
    """The entry (or line, for one that cannot be opened) where it was found; 0 for the log."""


@dataclass(frozen=True)
class Reading:
    """A person's log, oldest entry first, and what is wrong with it."""

    entries: tuple[Entry, ...] = ()
    problems: tuple[Finding, ...] = ()

    @property
    def intact(self) -> bool:
        return not self.problems


def log_digest(sub: str) -> str:
    """The name of a county account's log files and key: a one-way hash of its ``sub``."""
    return hashlib.sha256(f"yiduantong-audit-owner:{sub}".encode()).hexdigest()[:32]


def key_name(digest: str) -> str:
    """The keyring entry of the log key of the account with this digest."""
    return f"audit/{digest}"


def checked_details(details: Mapping[str, object]) -> dict[str, Detail]:
    """``details`` when each is a count, a flag or a name (letters first: a field's key, a form's
    key, a state), else ValueError: a value a person typed (a phone number, a name in Chinese)
    has no place in the log."""
    checked: dict[str, Detail] = {}
    for key, value in details.items():
        if not _NAME.match(key):
            raise ValueError(f"not a detail's name: {key!r}")
        if isinstance(value, bool | int) or (isinstance(value, str) and _NAME.match(value)):
            checked[key] = value
        elif isinstance(value, list | tuple) and all(
                isinstance(v, str) and _NAME.match(v) for v in value):
            checked[key] = tuple(value)
        else:
            raise ValueError(f"detail {key!r} is not a count, flag or name")
    return checked


class AuditLog:
    """Every county account's log in one folder (see the module)."""

    def __init__(
        self,
        folder: Path,
        secrets: SecretStore,
        *,
        max_bytes: int = MAX_BYTES,
        max_age: timedelta = MAX_AGE,
    ) -> None:
        self.folder = Path(folder)
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._secrets = secrets
        self._lock = threading.RLock()
        self._keys: dict[str, bytes] = {}

    # -- writing -----------------------------------------------------------------------------

    def append(self, sub: str, entry: Entry, *, now: datetime | None = None) -> Entry:
        """Add ``entry`` to ``sub``'s log (made with its key when there is none); returns it
        with its time and number. ValueError for details that are not names nor counts."""
        if not sub:
            raise ValueError("an audit entry needs the account it is for")
        details = checked_details(entry.details)
        at = (now or datetime.now(UTC)).astimezone(UTC)
        digest = log_digest(sub)
        with self._lock:
            # One keyring read per person and process, not per entry: a key held here exists.
            existed = digest in self._keys or self._secrets.get(key_name(digest)) is not None
            secret = self._key(digest, create=True)
            assert secret is not None
            current = self._path(digest)
            last = self._last_line(current) or self._last_line(self._path(digest, 1))
            if last is None:  # a new log, or one removed as a whole while its key stayed
                lost = {"previous_lost": True} if existed else {}
                last = self._write(secret, digest, Entry(STARTED, details=lost), 1, "", at)
            else:
                first = self._first_time(secret, digest, current)
                size = current.stat().st_size if current.is_file() else 0
                if size == 0 or size > self.max_bytes - 1024 or (
                        first is not None and at - first > self.max_age):
                    self._rotate(digest)
                    last = self._write(secret, digest, Entry(ROTATED), self._seq(secret, digest,
                                       last) + 1, _hash(last), at)
            seq = self._seq(secret, digest, last) + 1
            self._write(secret, digest, Entry(entry.kind, entry.platform, details), seq,
                        _hash(last), at)
            return Entry(entry.kind, entry.platform, details, _time(at), seq)

    def _write(self, secret: bytes, digest: str, entry: Entry, seq: int, prev: str,
               at: datetime) -> bytes:
        body = {"seq": seq, "at": _time(at), "kind": entry.kind, "platform": entry.platform,
                "details": dict(entry.details), "prev": prev}
        nonce = os.urandom(_NONCE)
        plain = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        line = base64.urlsafe_b64encode(nonce + AESGCM(secret).encrypt(nonce, plain,
                                        _aad(digest)))
        path = paths.private_file(self._path(digest))
        with path.open("ab") as out:
            out.write(line + b"\n")
            out.flush()
            os.fsync(out.fileno())
        self._write_head(secret, digest, seq, _hash(line))
        return line

    def _rotate(self, digest: str) -> None:
        current, earlier = self._path(digest), self._path(digest, 1)
        if current.is_file() and current.stat().st_size:
            os.replace(current, earlier)  # the earlier file before it goes

    # -- reading -----------------------------------------------------------------------------

    def read(self, sub: str) -> Reading:
        """``sub``'s log, oldest first, checked (see the module); empty when there is none."""
        digest = log_digest(sub)
        with self._lock:
            secret = self._key(digest, create=False)
            if secret is None:
                return Reading()
            # (from the earlier file, line): a log may start with a rotation only in the
            # earlier file (the current one's first entry follows it, kept beside it)
            lines = [(earlier, line) for earlier, path in ((True, self._path(digest, 1)),
                                                           (False, self._path(digest)))
                     if path.is_file() for line in path.read_bytes().splitlines() if line]
            head = self._read_head(secret, digest)
        entries: list[Entry] = []
        problems: list[Finding] = []
        prev: bytes | None = None
        for number, (earlier, line) in enumerate(lines, 1):
            body = _open(secret, digest, line)
            if body is None:
                problems.append(Finding(Problem.ALTERED, number))
                prev = line
                continue
            entry = _entry(body)
            if prev is None:
                starts = (entry.kind == ROTATED and earlier) or (
                    entry.kind == STARTED and entry.seq == 1 and body.get("prev") == "")
                if not starts:
                    problems.append(Finding(Problem.START_REMOVED, entry.seq))
            elif body.get("prev") != _hash(prev):
                problems.append(Finding(Problem.BROKEN, entry.seq))
            if entry.kind == STARTED and entry.details.get("previous_lost"):
                problems.append(Finding(Problem.LOG_REMOVED, entry.seq))
            entries.append(entry)
            prev = line
        if prev is not None:
            if head is None or head[1] == "":
                problems.append(Finding(Problem.HEAD_MISSING))
            elif head[1] != _hash(prev):
                last = entries[-1].seq if entries else 0
                problems.append(Finding(Problem.END_REMOVED if head[0] > last
                                        else Problem.HEAD_MISSING, last))
        elif head is not None:
            problems.append(Finding(Problem.END_REMOVED, head[0]))
        return Reading(tuple(entries), tuple(problems))

    # -- moments -----------------------------------------------------------------------------

    def forget(self, sub: str) -> None:
        """Erase ``sub``'s log: its files, its head and its key (the account leaves this PC)."""
        digest = log_digest(sub)
        with self._lock:
            self._keys.pop(digest, None)
            for path in (self._path(digest), self._path(digest, 1), self._head_path(digest)):
                path.unlink(missing_ok=True)
            self._secrets.delete(key_name(digest))

    def close(self) -> None:
        """Drop the keys held in memory (sign-out, quit); the logs stay."""
        with self._lock:
            self._keys.clear()

    def holds(self, sub: str) -> bool:
        """True when a log of ``sub`` is kept here."""
        digest = log_digest(sub)
        return any(p.is_file() for p in (self._path(digest), self._path(digest, 1)))

    # -- files and keys ----------------------------------------------------------------------

    def _path(self, digest: str, earlier: int = 0) -> Path:
        return self.folder / (f"{digest}.{earlier}.log" if earlier else f"{digest}.log")

    def _head_path(self, digest: str) -> Path:
        return self.folder / f"{digest}.head"

    def _key(self, digest: str, *, create: bool) -> bytes | None:
        if digest in self._keys:
            return self._keys[digest]
        stored = self._secrets.get(key_name(digest))
        if stored is not None:
            try:
                secret = base64.urlsafe_b64decode(stored)
            except (ValueError, binascii.Error):
                secret = b""
            if len(secret) != 32:
                raise ValueError(f"keyring entry {key_name(digest)} is not a key")
        elif create:
            secret = AESGCM.generate_key(bit_length=256)
            self._secrets.set(key_name(digest), base64.urlsafe_b64encode(secret).decode())
        else:
            return None
        self._keys[digest] = secret
        return secret

    @staticmethod
    def _last_line(path: Path) -> bytes | None:
        if not path.is_file():
            return None
        with path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - 8192))
            lines = [line for line in file.read().splitlines() if line]
        return lines[-1] if lines else None

    def _seq(self, secret: bytes, digest: str, line: bytes) -> int:
        body = _open(secret, digest, line)
        if body is None:  # the last line was changed: count the lines instead
            return sum(1 for path in (self._path(digest, 1), self._path(digest)) if path.is_file()
                       for _ in path.open("rb"))
        return _entry(body).seq

    def _first_time(self, secret: bytes, digest: str, path: Path) -> datetime | None:
        if not path.is_file():
            return None
        with path.open("rb") as file:
            body = _open(secret, digest, file.readline().strip())
        if body is None:
            return None
        with contextlib.suppress(ValueError, TypeError):
            return datetime.fromisoformat(str(body.get("at")))
        return None

    def _write_head(self, secret: bytes, digest: str, seq: int, last: str) -> None:
        nonce = os.urandom(_NONCE)
        plain = json.dumps({"seq": seq, "last": last}).encode()
        blob = nonce + AESGCM(secret).encrypt(nonce, plain, b"head:" + _aad(digest))
        path = self._head_path(digest)
        temporary = paths.private_file(path.with_name(path.name + ".tmp"))
        temporary.write_bytes(base64.urlsafe_b64encode(blob))
        os.replace(temporary, path)

    def _read_head(self, secret: bytes, digest: str) -> tuple[int, str] | None:
        """(the last entry's number, its line's hash); (0, '') when the head cannot be opened,
        None when there is none."""
        try:
            blob = base64.urlsafe_b64decode(self._head_path(digest).read_bytes())
            plain = AESGCM(secret).decrypt(blob[:_NONCE], blob[_NONCE:], b"head:" + _aad(digest))
            head = json.loads(plain)
            return int(head["seq"]), str(head["last"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, InvalidTag, KeyError, TypeError, binascii.Error):
            return 0, ""


def _aad(digest: str) -> bytes:
    return f"yiduantong-audit:{digest}".encode()


def _hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()[:_HASH]


def _time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


def _open(secret: bytes, digest: str, line: bytes) -> dict[str, object] | None:
    try:
        blob = base64.urlsafe_b64decode(line)
        body = json.loads(AESGCM(secret).decrypt(blob[:_NONCE], blob[_NONCE:], _aad(digest)))
    except (ValueError, InvalidTag, binascii.Error):
        return None
    return body if isinstance(body, dict) else None


def _entry(body: Mapping[str, object]) -> Entry:
    raw = body.get("details")
    details: dict[str, Detail] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            details[str(key)] = tuple(value) if isinstance(value, list) else value
    seq = body.get("seq")
    return Entry(str(body.get("kind", "")), str(body.get("platform", "")), details,
                 str(body.get("at", "")), seq if isinstance(seq, int) else 0)
