"""The records of the one table (基层一张表): subjects of work and records about them, per person.

Subjects are what work is about (a household 户, a resident 人, a shop or place 场所, an
organisation 单位); records are what was found or done about one (an inspection 检查记录). Both
keep every version (:meth:`PersonRecords.history`); a record also keeps each platform's outcome
of submitting it, the tasks it answers and, per platform and form, a keyed fingerprint of every
value filled into that form (never the value), so a changed value can find the forms that
received the old one.

Like the profile (launcher/core/profile/person.py), records belong to one county account: the
file ``records/<digest>.sqlite3`` of the county's data folder and the keyring entry
``records/<digest>`` (of the profile's keyring service), where the digest is a one-way hash of the account's ``sub`` (another prefix than
the profile's). The owner is asked at every call: when it changed, the previous person's file is
closed and their key dropped before anything is read; nobody signed in: nothing is read or saved.

Sensitive values (the dictionary's ``sensitive = true``) are sealed with AES-256-GCM, bound to
the subject's or record's id and the field's key, so the file alone reveals none of them and a
value moved to another row or field is detected. A value that cannot be opened (changed on disk,
another key) is left out of ``values`` and named in ``unreadable``: it never ends a call.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from launcher.core import paths
from launcher.core.errors import LauncherError
from launcher.core.profile.fields import FieldDef, FieldGroup, fold, load_field_groups
from launcher.core.profile.store import key_id, load_key, open_sealed, seal
from launcher.core.secrets import KeyringUnavailable, SecretStore

log = logging.getLogger(__name__)

SIGNED_OUT = "请先登录，再查看或保存记录"
SOMEONE_ELSE = "登录的人已更换，此项没有保存"
SUBJECT_KINDS_DEFAULT = ("household", "resident", "place", "organisation")
RECORD_KINDS_DEFAULT = ("inspection",)
MAX_MESSAGE = 500
"""The longest platform message kept with an outcome (platform answers are outside data)."""
MAX_TASK_KEY = 300
MAX_TASKS = 100
MAX_NAME = 200
"""Longest platform id, form key or task key accepted."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    id TEXT PRIMARY KEY,
    what TEXT NOT NULL,               -- 'subject' | 'record'
    kind TEXT NOT NULL,
    subject_id TEXT,
    version INTEGER NOT NULL,
    updated TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS items_subject ON items (subject_id);
CREATE TABLE IF NOT EXISTS versions (
    item_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (item_id, version)
);
CREATE TABLE IF NOT EXISTS item_values (
    item_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    sealed INTEGER NOT NULL,
    key_id TEXT,
    PRIMARY KEY (item_id, version, key)
);
CREATE TABLE IF NOT EXISTS outcomes (
    record_id TEXT NOT NULL,
    platform_id TEXT NOT NULL,
    state TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL,
    task_key TEXT NOT NULL,
    PRIMARY KEY (record_id, platform_id)
);
CREATE TABLE IF NOT EXISTS task_links (
    task_key TEXT PRIMARY KEY,
    record_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS task_links_record ON task_links (record_id);
CREATE TABLE IF NOT EXISTS filled (
    platform_id TEXT NOT NULL,
    form_key TEXT NOT NULL,
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (platform_id, form_key, key)
);
"""


class RecordError(LauncherError):
    """A record or subject that cannot be stored or read; ``message`` is Chinese, for people, and
    names the field (``key``) when one is at fault."""

    def __init__(self, message: str, key: str = "") -> None:
        self.message = message
        self.key = key
        super().__init__(message)


class OutcomeState(StrEnum):
    SUBMITTED = "submitted"
    REVIEW = "review"
    """Opened pre-filled, waiting for the person to submit on the page."""
    FAILED = "failed"


@dataclass(frozen=True)
class Outcome:
    """What became of a record on one platform."""

    platform_id: str
    state: OutcomeState
    message: str
    """The platform's own message (plain text, bounded), or the launcher's reason."""
    at: str
    task_key: str = ""


@dataclass(frozen=True)
class Subject:
    """A household, resident, place or organisation work is about."""

    id: str
    kind: str
    values: dict[str, str] = field(repr=False)
    """Readable values by dictionary key, as stored (never in a repr: logs, tracebacks)."""
    updated: str = ""
    unreadable: dict[str, str] = field(default_factory=dict)
    """Keys of values kept but not readable now (changed on disk, another key): a message each."""

    @property
    def name(self) -> str:
        """The name people know it by: the head of household's, the resident's, the place's or
        organisation's name; else its address or number."""
        for suffix in ("head_name", "name", "address", "number"):
            value = self.values.get(f"{self.kind}.{suffix}", "")
            if value:
                return value
        return ""


@dataclass(frozen=True)
class Record:
    """A record of work (an inspection) with its current values."""

    id: str
    kind: str
    subject_id: str | None
    values: dict[str, str] = field(repr=False)
    updated: str = ""
    version: int = 0
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    """Each platform's outcome, by platform id."""
    tasks: tuple[str, ...] = ()
    """The keys of the tasks (``platform/id``) this record answers."""
    unreadable: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Version:
    version: int
    at: str
    values: dict[str, str] = field(repr=False)


@dataclass(frozen=True)
class FilledAt:
    """A form of a platform that received a value."""

    platform_id: str
    form_key: str
    at: str


def records_digest(sub: str) -> str:
    """The name of a county account's records file and key: a one-way hash of its ``sub``."""
    return hashlib.sha256(f"yiduantong-records-owner:{sub}".encode()).hexdigest()[:32]


def key_name(digest: str) -> str:
    """The keyring entry of the records key of the account with this digest."""
    return f"records/{digest}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _plain(text: str, limit: int) -> str:
    return _CONTROL.sub(" ", text).strip()[:limit]


class PersonRecords:
    """The signed-in county account's subjects and records; thread-safe (calls are serialised).

    ``owner`` returns the signed-in account's ``sub`` ('' when nobody is). Calls touch the disk
    and the keyring: make them off the GUI thread. Writing methods take ``owner``: whom the values
    were typed for; if someone else is signed in by now, nothing is stored (RecordError).
    """

    def __init__(
        self,
        folder: Path,
        secrets: SecretStore,
        fields: dict[str, FieldDef],
        owner: Callable[[], str],
        groups: dict[str, FieldGroup] | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.fields = fields
        if groups is None:
            groups = load_field_groups()
        self.subject_kinds = tuple(k for k, g in groups.items() if g.role == "subject") or (
            SUBJECT_KINDS_DEFAULT)
        self.record_kinds = tuple(k for k, g in groups.items() if g.role == "record") or (
            RECORD_KINDS_DEFAULT)
        self._secrets = secrets
        self._owner = owner
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._digest = ""
        self._open_for = ""
        self._key: bytes | None = None
        self._in_batch = False

    def owner(self) -> str:
        """The county account whose records calls use now ('' when nobody is signed in)."""
        return self._owner()

    def kind_fields(self, kind: str) -> dict[str, FieldDef]:
        """The dictionary's fields of a subject or record kind, in dictionary order."""
        return {k: f for k, f in self.fields.items() if f.group == kind}

    # -- subjects ----------------------------------------------------------------------------------

    def subjects(self, kind: str | None = None) -> list[Subject]:
        """The signed-in person's subjects (of one kind), by name."""
        with self._lock:
            db = self._current()
            if db is None:
                return []
            where = "WHERE i.what = 'subject'" + (" AND i.kind = ?" if kind else "")
            args = (kind,) if kind else ()
            items = db.execute(f"SELECT i.id, i.kind, i.updated FROM items i {where}",
                               args).fetchall()
            stored: dict[str, list[tuple[str, object, int, str | None]]] = {}
            # Every subject's current values in one query (a village has thousands).
            for item_id, key, value, sealed, stored_key_id in db.execute(
                    "SELECT v.item_id, v.key, v.value, v.sealed, v.key_id FROM item_values v "
                    f"JOIN items i ON i.id = v.item_id AND i.version = v.version {where}", args):
                stored.setdefault(item_id, []).append((key, value, sealed, stored_key_id))
            found = []
            for item_id, item_kind, updated in items:
                values, unreadable = self._open_rows(item_id, stored.get(item_id, []))
                found.append(Subject(item_id, item_kind, values, updated, unreadable))
        return sorted(found, key=lambda s: (s.kind, s.name, s.id))

    def subject(self, subject_id: str) -> Subject | None:
        with self._lock:
            db = self._current()
            if db is None:
                return None
            row = db.execute(
                "SELECT id, kind, version, updated FROM items WHERE id = ? AND what = 'subject'",
                (subject_id,)).fetchone()
            return self._subject(db, *row) if row is not None else None

    def find_subject(self, text: str, kind: str | None = None) -> Subject | None:
        """The one subject a task's subject text names (see :func:`match_subject`)."""
        if not fold(text) or len(text) > MAX_NAME * 2:
            return None
        return match_subject(self.subjects(kind), text, kind)

    def save_subject(
        self,
        kind: str,
        values: dict[str, str],
        *,
        subject_id: str | None = None,
        owner: str | None = None,
    ) -> Subject:
        """Store a subject's values (all of them: a key left out has no value any more), after
        checking each; a new version when anything changed. RecordError names a wrong field."""
        if kind not in self.subject_kinds:
            raise RecordError(f"不是可以保存的对象类型：{_plain(kind, 40)}")
        with self._lock:
            db = self._writable(owner)
            with self._transaction(db):
                item_id = self._write(db, "subject", kind, values, subject_id, None)
            row = db.execute("SELECT id, kind, version, updated FROM items WHERE id = ?",
                             (item_id,)).fetchone()
            return self._subject(db, *row)

    def save_subjects(
        self, kind: str, rows: list[tuple[str | None, dict[str, str]]], *, owner: str | None = None
    ) -> list[Subject]:
        """Store many subjects at once, all or none (a spreadsheet's rows): each row is
        (subject id or None for a new one, values)."""
        if kind not in self.subject_kinds:
            raise RecordError(f"不是可以保存的对象类型：{_plain(kind, 40)}")
        with self._lock:
            db = self._writable(owner)
            with self._transaction(db):
                ids = [self._write(db, "subject", kind, values, subject_id, None)
                       for subject_id, values in rows]
            return [s for s in (self.subject(i) for i in ids) if s is not None]

    def delete_subject(self, subject_id: str, *, owner: str | None = None) -> None:
        """Erase a subject and its history; its records stay, no longer linked to it."""
        with self._lock:
            db = self._writable(owner)
            with self._transaction(db):
                db.execute("DELETE FROM item_values WHERE item_id = ?", (subject_id,))
                db.execute("DELETE FROM versions WHERE item_id = ?", (subject_id,))
                db.execute("DELETE FROM items WHERE id = ? AND what = 'subject'", (subject_id,))
                db.execute("UPDATE items SET subject_id = NULL WHERE subject_id = ?",
                           (subject_id,))

    # -- records -----------------------------------------------------------------------------------

    def records(self, *, subject_id: str | None = None, kind: str | None = None) -> list[Record]:
        """The signed-in person's records, newest first."""
        query = "SELECT id FROM items WHERE what = 'record'"
        args: list[str] = []
        if subject_id is not None:
            query += " AND subject_id = ?"
            args.append(subject_id)
        if kind is not None:
            query += " AND kind = ?"
            args.append(kind)
        with self._lock:
            db = self._current()
            if db is None:
                return []
            ids = [i for (i,) in db.execute(query + " ORDER BY updated DESC, id", args)]
            return [r for r in (self._record(db, i) for i in ids) if r is not None]

    def record(self, record_id: str) -> Record | None:
        with self._lock:
            db = self._current()
            return self._record(db, record_id) if db is not None else None

    def record_for_task(self, task_key: str) -> Record | None:
        """The record that answers the task ``platform/id``, or None."""
        with self._lock:
            db = self._current()
            if db is None:
                return None
            row = db.execute("SELECT record_id FROM task_links WHERE task_key = ?",
                             (task_key,)).fetchone()
            return self._record(db, row[0]) if row is not None else None

    def save_record(
        self,
        kind: str,
        values: dict[str, str],
        *,
        subject_id: str | None = None,
        record_id: str | None = None,
        tasks: Iterable[str] = (),
        owner: str | None = None,
    ) -> Record:
        """Store a record's values (all of them), after checking each; a new version when
        anything changed (the earlier ones stay: :meth:`history`). ``tasks`` (keys
        ``platform/id``) are linked to it, each task to one record. ``subject_id`` None keeps an
        existing record's subject."""
        if kind not in self.record_kinds:
            raise RecordError(f"不是可以保存的记录类型：{_plain(kind, 40)}")
        task_keys = self._task_keys(tasks)
        with self._lock:
            db = self._writable(owner)
            with self._transaction(db):
                if subject_id is not None and db.execute(
                        "SELECT 1 FROM items WHERE id = ? AND what = 'subject'",
                        (subject_id,)).fetchone() is None:
                    raise RecordError("记录所属的对象不存在（可能已被删除）")
                item_id = self._write(db, "record", kind, values, record_id, subject_id)
                db.executemany("INSERT OR REPLACE INTO task_links (task_key, record_id) "
                               "VALUES (?, ?)", [(t, item_id) for t in task_keys])
            record = self._record(db, item_id)
            assert record is not None
            return record

    def save_records(
        self,
        kind: str,
        rows: list[tuple[str | None, str | None, dict[str, str]]],
        *,
        owner: str | None = None,
    ) -> list[Record]:
        """Store many records at once, all or none: each row is (record id or None, subject id
        or None, values)."""
        if kind not in self.record_kinds:
            raise RecordError(f"不是可以保存的记录类型：{_plain(kind, 40)}")
        with self._lock:
            db = self._writable(owner)
            with self._transaction(db):
                ids = [self._write(db, "record", kind, values, record_id, subject_id)
                       for record_id, subject_id, values in rows]
            return [r for r in (self._record(db, i) for i in ids) if r is not None]

    def delete_record(self, record_id: str, *, owner: str | None = None) -> None:
        """Erase a record, its history, outcomes and task links."""
        with self._lock:
            db = self._writable(owner)
            with self._transaction(db):
                for table, column in (("item_values", "item_id"), ("versions", "item_id"),
                                      ("outcomes", "record_id"), ("task_links", "record_id")):
                    db.execute(f"DELETE FROM {table} WHERE {column} = ?", (record_id,))
                db.execute("DELETE FROM items WHERE id = ? AND what = 'record'", (record_id,))

    def history(self, record_id: str) -> list[Version]:
        """Every version of a record (or subject), oldest first; unreadable values left out."""
        with self._lock:
            db = self._current()
            if db is None:
                return []
            versions = db.execute("SELECT version, at FROM versions WHERE item_id = ? "
                                  "ORDER BY version", (record_id,)).fetchall()
            return [Version(v, at, self._values(db, record_id, v)[0]) for v, at in versions]

    def set_outcome(self, record_id: str, outcome: Outcome, *, owner: str | None = None) -> Record:
        """Keep a platform's outcome with the record (replacing that platform's earlier one)."""
        state = OutcomeState(outcome.state)
        platform_id = _plain(outcome.platform_id, MAX_NAME)
        if not platform_id:
            raise RecordError("结果缺少平台")
        with self._lock:
            db = self._writable(owner)
            if db.execute("SELECT 1 FROM items WHERE id = ? AND what = 'record'",
                          (record_id,)).fetchone() is None:
                raise RecordError("记录不存在（可能已被删除）")
            with self._transaction(db):
                db.execute(
                    "INSERT OR REPLACE INTO outcomes (record_id, platform_id, state, message, at, "
                    "task_key) VALUES (?, ?, ?, ?, ?, ?)",
                    (record_id, platform_id, state.value, _plain(outcome.message, MAX_MESSAGE),
                     _plain(outcome.at, 40) or _now(), _plain(outcome.task_key, MAX_TASK_KEY)))
                task = _plain(outcome.task_key, MAX_TASK_KEY)
                if task:
                    db.execute("INSERT OR REPLACE INTO task_links (task_key, record_id) "
                               "VALUES (?, ?)", (task, record_id))
            record = self._record(db, record_id)
            assert record is not None
            return record

    # -- fill history --------------------------------------------------------------------------------

    def note_filled(
        self, platform_id: str, form_key: str, values: dict[str, str], *, owner: str | None = None
    ) -> None:
        """Remember that a platform's form received these values: per (platform, form, key) a
        fingerprint keyed with the person's key, never the value."""
        platform_id, form_key = _plain(platform_id, MAX_NAME), _plain(form_key, MAX_NAME)
        if not platform_id:
            return
        with self._lock:
            db = self._writable(owner)
            secret = self._secret(create=True)
            assert secret is not None  # made when missing
            at = _now()
            rows = [(platform_id, form_key, key, self._fingerprint(secret, key, value), at)
                    for key, value in values.items() if key in self.fields and value.strip()]
            with self._transaction(db):
                db.executemany(
                    "INSERT OR REPLACE INTO filled (platform_id, form_key, key, fingerprint, at) "
                    "VALUES (?, ?, ?, ?, ?)", rows)

    def filled_with(self, key: str, value: str) -> list[FilledAt]:
        """The platforms' forms whose last fill gave ``key`` this value (most recent first)."""
        with self._lock:
            db = self._current()
            if db is None or not value.strip():
                return []
            secret = self._secret(create=False)
            if secret is None:
                return []
            rows = db.execute(
                "SELECT platform_id, form_key, at FROM filled WHERE key = ? AND fingerprint = ? "
                "ORDER BY at DESC, platform_id, form_key",
                (key, self._fingerprint(secret, key, value))).fetchall()
            return [FilledAt(p, f, at) for p, f, at in rows]

    def _fingerprint(self, secret: bytes, key: str, value: str) -> str:
        fielddef = self.fields.get(key)
        value = fielddef.normalize(value) if fielddef is not None else value.strip()
        mac_key = hmac.new(secret, b"yiduantong-fill-history", hashlib.sha256).digest()
        return hmac.new(mac_key, f"{key}\x00{value}".encode(), hashlib.sha256).hexdigest()[:32]

    # -- moments -----------------------------------------------------------------------------------

    def forget_platform(self, platform_id: str) -> None:
        """Erase what is kept of a platform, for every account on this computer: outcomes, task
        links and fill history (no key is needed: none of it is sealed)."""
        with self._lock:
            files = sorted(self.folder.glob("*.sqlite3")) if self.folder.is_dir() else []
            for path in files:
                if self._db is not None and path.name == f"{self._digest}.sqlite3":
                    self._forget_platform_in(self._db, platform_id)
                    continue
                try:
                    db = sqlite3.connect(path, isolation_level=None)
                except sqlite3.Error as exc:
                    log.warning("records file not opened to forget a platform: %s", exc)
                    continue
                try:
                    db.executescript(_SCHEMA)
                    self._forget_platform_in(db, platform_id)
                finally:
                    db.close()

    @staticmethod
    def _forget_platform_in(db: sqlite3.Connection, platform_id: str) -> None:
        db.execute("PRAGMA secure_delete=ON")
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM outcomes WHERE platform_id = ?", (platform_id,))
            db.execute("DELETE FROM filled WHERE platform_id = ?", (platform_id,))
            db.execute("DELETE FROM task_links WHERE substr(task_key, 1, ?) = ?",
                       (len(platform_id) + 1, platform_id + "/"))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def forget(self, owner: str) -> None:
        """Erase ``owner``'s records: their file and their key (the account leaves this PC)."""
        digest = records_digest(owner)
        with self._lock:
            if self._open_for == owner:
                self._close()
            path = self.folder / f"{digest}.sqlite3"
            for name in (path, path.with_name(path.name + "-journal"),
                         path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                name.unlink(missing_ok=True)
            self._secrets.delete(key_name(digest))

    def close(self) -> None:
        """Close the open person's file and drop their key from memory (sign-out, quit)."""
        with self._lock:
            self._close()

    # -- the open person ---------------------------------------------------------------------------

    def _writable(self, owner: str | None) -> sqlite3.Connection:
        current = self._owner()
        db = self._current()
        if db is None:
            raise RecordError(SIGNED_OUT)
        if owner is not None and owner != current:
            raise RecordError(SOMEONE_ELSE)
        return db

    def _current(self) -> sqlite3.Connection | None:
        owner = self._owner()
        if owner != self._open_for or (owner and self._db is None):
            self._close()
            if owner:
                self._open(owner)
        return self._db

    def _open(self, owner: str) -> None:
        digest = records_digest(owner)
        path = self.folder / f"{digest}.sqlite3"
        try:
            # 0600 before SQLite opens it, in a 0700 folder: its journal takes the same mode.
            paths.private_sqlite(path)
            db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=10)
            db.execute("PRAGMA secure_delete=ON")
            db.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            log.warning("records file cannot be opened: %s", exc)
            raise RecordError("记录文件无法打开（可能已损坏或无权访问）") from None
        self._db, self._digest, self._open_for, self._key = db, digest, owner, None

    def _close(self) -> None:
        db, self._db, self._open_for, self._digest, self._key = (
            self._db, None, "", "", None)
        if db is not None:
            db.close()

    def _secret(self, *, create: bool) -> bytes | None:
        if self._key is not None:
            return self._key
        try:
            self._key = load_key(self._secrets, key_name(self._digest), create=create)
        except KeyringUnavailable:
            raise RecordError("系统钥匙串不可用，无法读写加密保存的内容") from None
        except ValueError:
            raise RecordError("系统钥匙串中的记录密钥已损坏，无法读写加密内容") from None
        return self._key

    @contextlib.contextmanager
    def _transaction(self, db: sqlite3.Connection) -> Iterator[None]:
        if self._in_batch:
            yield
            return
        db.execute("BEGIN IMMEDIATE")
        self._in_batch = True
        try:
            yield
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        finally:
            self._in_batch = False

    # -- rows --------------------------------------------------------------------------------------

    @staticmethod
    def _task_keys(tasks: Iterable[str]) -> list[str]:
        keys: list[str] = []
        for task in tasks:
            key = _plain(str(task), MAX_TASK_KEY)
            if key and key not in keys:
                keys.append(key)
            if len(keys) > MAX_TASKS:
                raise RecordError(f"一条记录最多关联 {MAX_TASKS} 个任务")
        return keys

    def _checked(self, kind: str, values: dict[str, str]) -> dict[str, str]:
        checked: dict[str, str] = {}
        for key, value in values.items():
            fielddef = self.fields.get(key)
            if fielddef is None or fielddef.group != kind:
                raise RecordError(f"“{_plain(str(key), 60)}”不是此类记录的字段", str(key))
            if not isinstance(value, str):
                raise RecordError(f"{fielddef.label}：应为文字", key)
            problem = fielddef.validate(value)
            if problem is not None:
                raise RecordError(f"{fielddef.label}：{problem}", key)
            value = fielddef.normalize(value)
            if value:
                checked[key] = value
        return checked

    def _write(self, db: sqlite3.Connection, what: str, kind: str, values: dict[str, str],
               item_id: str | None, subject_id: str | None) -> str:
        checked = self._checked(kind, values)
        now = _now()
        if item_id is None:
            item_id = uuid.uuid4().hex
            version = 1
            db.execute("INSERT INTO items (id, what, kind, subject_id, version, updated) "
                       "VALUES (?, ?, ?, ?, ?, ?)", (item_id, what, kind, subject_id, 1, now))
        else:
            row = db.execute("SELECT kind, version FROM items WHERE id = ? AND what = ?",
                             (item_id, what)).fetchone()
            if row is None:
                raise RecordError("要修改的记录不存在（可能已被删除）")
            if row[0] != kind:
                raise RecordError("记录类型不能更改")
            previous = int(row[1])
            current, unreadable = self._values(db, item_id, previous)
            # A value that cannot be read now (another key, changed on disk) is carried over as
            # it is stored, unless a new value replaces it: restoring the key still opens it.
            carried = [k for k in unreadable if k not in checked]
            if current == checked and len(carried) == len(unreadable):
                if subject_id is not None:
                    db.execute("UPDATE items SET subject_id = ? WHERE id = ?",
                               (subject_id, item_id))
                return item_id  # nothing changed: no new version
            version = previous + 1
            db.execute("UPDATE items SET version = ?, updated = ?, subject_id = "
                       "COALESCE(?, subject_id) WHERE id = ?",
                       (version, now, subject_id, item_id))
            if carried:
                marks = ",".join("?" * len(carried))
                db.execute(
                    "INSERT INTO item_values (item_id, version, key, value, sealed, key_id) "
                    "SELECT item_id, ?, key, value, sealed, key_id FROM item_values "
                    f"WHERE item_id = ? AND version = ? AND key IN ({marks})",
                    (version, item_id, previous, *carried))
        db.execute("INSERT INTO versions (item_id, version, at) VALUES (?, ?, ?)",
                   (item_id, version, now))
        rows: list[tuple[str, int, str, bytes, int, str | None]] = []
        for key, value in checked.items():
            if self.fields[key].sensitive:
                secret = self._secret(create=True)
                assert secret is not None
                rows.append((item_id, version, key, seal(secret, value, _aad(item_id, key)), 1,
                             key_id(secret)))
            else:
                rows.append((item_id, version, key, value.encode("utf-8"), 0, None))
        db.executemany("INSERT INTO item_values (item_id, version, key, value, sealed, key_id) "
                       "VALUES (?, ?, ?, ?, ?, ?)", rows)
        return item_id

    def _values(self, db: sqlite3.Connection, item_id: str,
                version: int) -> tuple[dict[str, str], dict[str, str]]:
        rows = db.execute("SELECT key, value, sealed, key_id FROM item_values "
                          "WHERE item_id = ? AND version = ?", (item_id, version)).fetchall()
        return self._open_rows(item_id, rows)

    def _open_rows(self, item_id: str, rows: Iterable[tuple[str, object, int, str | None]],
                   ) -> tuple[dict[str, str], dict[str, str]]:
        """Stored rows of one subject or record as (values, unreadable)."""
        values: dict[str, str] = {}
        unreadable: dict[str, str] = {}
        for key, value, sealed, stored_key_id in rows:
            if key not in self.fields:
                continue  # a field the dictionary no longer has: kept, not shown
            blob = bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
            if not sealed:
                values[key] = blob.decode("utf-8", errors="replace")
                continue
            try:
                secret = self._secret(create=False)
            except RecordError as exc:
                unreadable[key] = exc.message
                continue
            if secret is None:
                unreadable[key] = "加密密钥已不在系统钥匙串中，无法读取此项（原数据仍保留）"
            elif stored_key_id != key_id(secret):
                unreadable[key] = "此项由另一把密钥加密，当前密钥无法读取（原数据仍保留）"
            else:
                try:
                    values[key] = open_sealed(secret, blob, _aad(item_id, key))
                except ValueError:
                    unreadable[key] = "此项数据已损坏或被改动，无法解密（原数据仍保留）"
            if key in unreadable:
                log.warning("record value %s unreadable", key)
        ordered = {k: values[k] for k in self.fields if k in values}
        return ordered, unreadable

    def _subject(self, db: sqlite3.Connection, item_id: str, kind: str, version: int,
                 updated: str) -> Subject:
        values, unreadable = self._values(db, item_id, int(version))
        return Subject(item_id, kind, values, updated, unreadable)

    def _record(self, db: sqlite3.Connection, record_id: str) -> Record | None:
        row = db.execute("SELECT kind, subject_id, version, updated FROM items "
                         "WHERE id = ? AND what = 'record'", (record_id,)).fetchone()
        if row is None:
            return None
        kind, subject_id, version, updated = row
        values, unreadable = self._values(db, record_id, int(version))
        outcomes: dict[str, Outcome] = {}
        for platform_id, state, message, at, task_key in db.execute(
                "SELECT platform_id, state, message, at, task_key FROM outcomes "
                "WHERE record_id = ? ORDER BY platform_id", (record_id,)):
            try:
                outcomes[platform_id] = Outcome(platform_id, OutcomeState(state), message, at,
                                                task_key)
            except ValueError:
                continue  # a state of a newer version
        tasks = tuple(t for (t,) in db.execute(
            "SELECT task_key FROM task_links WHERE record_id = ? ORDER BY task_key",
            (record_id,)))
        return Record(record_id, kind, subject_id, values, updated, int(version), outcomes,
                      tasks, unreadable)


_MATCHED_BY = ("head_name", "name", "address", "number", "head_id_number", "id_number",
               "credit_code")


def match_subject(subjects: Iterable[Subject], text: str,
                  kind: str | None = None) -> Subject | None:
    """The one subject of ``subjects`` (of ``kind``) that ``text`` names: its name, head of
    household's name (a household also as "张三户"), address, number, ID number or credit code,
    equal after normalising white space, full-width characters and case. None when none or more
    than one match: no part or near match is ever taken, a wrong household is worse than none."""
    return SubjectIndex(subjects).match(text, kind)


class SubjectIndex:
    """Subjects by the folded values that name them, for matching many texts (an import's rows)
    against thousands of subjects; see :func:`match_subject`."""

    def __init__(self, subjects: Iterable[Subject]) -> None:
        self._by_value: dict[str, dict[str, Subject]] = {}
        self._by_head: dict[str, dict[str, Subject]] = {}
        for subject in subjects:
            for suffix in _MATCHED_BY:
                value = subject.values.get(f"{subject.kind}.{suffix}", "")
                if value:
                    folded = fold(value)
                    self._by_value.setdefault(folded, {})[subject.id] = subject
                    if suffix == "head_name":
                        self._by_head.setdefault(folded, {})[subject.id] = subject

    def match(self, text: str, kind: str | None = None) -> Subject | None:
        wanted = fold(text)
        if not wanted or len(wanted) > MAX_NAME:
            return None
        matches = dict(self._by_value.get(wanted, {}))
        if wanted.endswith("户") and len(wanted) > 1:
            matches.update(self._by_head.get(wanted[:-1].strip(), {}))
        if kind is not None:
            matches = {i: s for i, s in matches.items() if s.kind == kind}
        return next(iter(matches.values())) if len(matches) == 1 else None


def _aad(item_id: str, key: str) -> bytes:
    return f"yiduantong-records:{item_id}:{key}".encode()
