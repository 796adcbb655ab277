"""The last tasks each platform delivered, kept in SQLite so the inbox shows them at once on start
and keeps showing them while a platform is down."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from launcher.api import TaskItem
from launcher.core.inbox.limits import (
    ELLIPSIS,
    MAX_ID_CHARS,
    MAX_SUBJECT_CHARS,
    MAX_TASKS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    MAX_WORD_CHARS,
)

log = logging.getLogger(__name__)

# The cache holds nothing that cannot be fetched again, so an unknown layout simply starts it
# afresh; the known older ones are migrated in place (version 1 lacked the sync table, version 2
# the notified table, version 3 the due time a notice was about, version 4 the start snapshot).
SCHEMA_VERSION = 5
_MIGRATABLE = (0, 1, 2, 3, 4, SCHEMA_VERSION)
_TABLES = ("tasks", "fetches", "sync", "notified")
"""The tables of per-platform rows (the start snapshot is one row for every platform)."""
_COLUMNS = ("platform", "id", "title", "url", "due", "status", "form", "subject", "period",
            "priority", "updated", "position")


def _cut(column: str, limit: int) -> str:
    """SQL for ``column`` cut as ``limits.cut`` does, so a long text never reaches Python."""
    return (f"CASE WHEN length({column}) > {limit} "
            f"THEN substr({column}, 1, {limit - 1}) || '{ELLIPSIS}' ELSE {column} END")


# What load() reads back, within limits.py's bounds: a cache an older launcher wrote may hold a
# title of a million characters (SQLite cuts it), and rows that cannot be kept now (a huge id or
# link, more than MAX_TASKS of a platform) stay in the file until the next refresh replaces them.
_LOAD = (
    f"SELECT platform, id, {_cut('title', MAX_TITLE_CHARS)}, url, due, "
    f"{_cut('status', MAX_WORD_CHARS)}, {_cut('form', MAX_WORD_CHARS)}, "
    f"{_cut('subject', MAX_SUBJECT_CHARS)}, {_cut('period', MAX_WORD_CHARS)}, "
    "priority, updated, position FROM tasks "
    f"WHERE position < {MAX_TASKS} AND length(id) <= {MAX_ID_CHARS} "
    f"AND length(url) <= {MAX_URL_CHARS} ORDER BY platform, position"
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    platform TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    due TEXT,
    status TEXT NOT NULL,
    form TEXT,
    subject TEXT,
    period TEXT,
    priority INTEGER,
    updated TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (platform, id)
);
CREATE TABLE IF NOT EXISTS fetches (
    platform TEXT PRIMARY KEY,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sync (
    platform TEXT PRIMARY KEY,
    etag TEXT,
    since TEXT,
    full_at TEXT
);
CREATE TABLE IF NOT EXISTS notified (
    platform TEXT NOT NULL,
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    at TEXT NOT NULL,
    due TEXT,
    PRIMARY KEY (platform, id, kind)
);
CREATE TABLE IF NOT EXISTS snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    owner TEXT NOT NULL,
    body BLOB NOT NULL
);
"""


@dataclass(frozen=True)
class SyncState:
    """What a platform's next refresh may send to fetch only what changed (rest-json sources)."""

    etag: str | None = None
    """The ETag of the last whole answer, sent back as If-None-Match."""
    since: datetime | None = None
    """The moment the last successful answer was made, for the manifest's ``since`` parameter."""
    full_at: datetime | None = None
    """The last refresh that read the whole list (not only the changes)."""


class TaskCache:
    """Tasks per platform in one SQLite file (WAL); safe to call from any thread.

    One connection guarded by a lock: writes are short, and SQLite serialises writers anyway.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._generation = 0
        """Counts the forgets: a start snapshot of the tasks shown before one is not kept."""
        self._snapshot_digest: bytes | None = None
        """The SHA-256 of the start snapshot this object kept last (None: none, or forgotten)."""
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            # A damaged cache is thrown away, not repaired: every row in it can be fetched again.
            log.warning("task cache %s is unreadable (%s); starting a new one", self.path, exc)
            self._set_aside()
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL is safe against a killed process in WAL mode; only a power cut may lose the
            # last refresh, which the next refresh brings back.
            db.execute("PRAGMA synchronous=NORMAL")
            # One transaction: two launchers opening an old cache at once migrate it once.
            db.execute("BEGIN IMMEDIATE")
            try:
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version not in _MIGRATABLE:
                    for table in (*_TABLES, "snapshot"):
                        db.execute(f"DROP TABLE IF EXISTS {table}")
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        db.execute(statement)
                columns = {row[1] for row in db.execute("PRAGMA table_info(notified)")}
                if "due" not in columns:  # version 3: its rows are about the due time a task has
                    db.execute("ALTER TABLE notified ADD COLUMN due TEXT")
                db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def _set_aside(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            part = self.path.with_name(self.path.name + suffix)
            if part.exists():
                part.replace(part.with_name(part.name + ".broken"))

    def replace(self, platform_id: str, tasks: Sequence[TaskItem], fetched_at: datetime,
                sync: SyncState | None = None) -> None:
        """Make the platform's cached tasks exactly ``tasks``, all or nothing.

        ``sync`` is kept for the platform's next refresh; None forgets what was kept.
        """
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        with self._transaction():
            self._db.execute("DELETE FROM tasks WHERE platform = ?", (platform_id,))
            self._db.executemany(
                f"INSERT OR REPLACE INTO tasks ({', '.join(_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(_COLUMNS))})",
                (_row(platform_id, task, n) for n, task in enumerate(tasks)),
            )
            self._db.execute(
                "INSERT OR REPLACE INTO fetches (platform, fetched_at) VALUES (?, ?)",
                (platform_id, fetched_at.astimezone(UTC).isoformat()),
            )
            self._put_sync(platform_id, sync)

    def touch(self, platform_id: str, fetched_at: datetime, sync: SyncState | None) -> None:
        """The platform answered "not modified": its cached tasks are current as of ``fetched_at``."""
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        with self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO fetches (platform, fetched_at) VALUES (?, ?)",
                (platform_id, fetched_at.astimezone(UTC).isoformat()),
            )
            self._put_sync(platform_id, sync)

    def sync_state(self, platform_id: str) -> SyncState:
        """What the last refresh of the platform kept for the next one (empty when nothing)."""
        with self._lock:
            row = self._db.execute("SELECT etag, since, full_at FROM sync WHERE platform = ?",
                                   (platform_id,)).fetchone()
        if row is None:
            return SyncState()
        etag, since, full_at = row
        return SyncState(etag, _moment(since), _moment(full_at))

    def _put_sync(self, platform_id: str, sync: SyncState | None) -> None:
        self._db.execute("DELETE FROM sync WHERE platform = ?", (platform_id,))
        if sync is not None and sync != SyncState():
            self._db.execute(
                "INSERT INTO sync (platform, etag, since, full_at) VALUES (?, ?, ?, ?)",
                (platform_id, sync.etag, _utc(sync.since), _utc(sync.full_at)),
            )

    def load(self) -> list[TaskItem]:
        """Every platform's cached tasks, in their order, within limits.py's bounds."""
        with self._lock:
            rows = self._db.execute(_LOAD).fetchall()
        return [_item(row) for row in rows]

    def fetched_at(self) -> dict[str, datetime]:
        with self._lock:
            rows = self._db.execute("SELECT platform, fetched_at FROM fetches").fetchall()
        return {platform: datetime.fromisoformat(when) for platform, when in rows}

    def notified(self) -> dict[tuple[str, str, str], tuple[datetime, datetime | None]]:
        """The notification memory (see inbox/notify.py): per (platform, task id, kind), when it
        was recorded and the due time it was about (None: no due time, or a row kept before due
        times were). Baselines are kept as (platform, "", "baseline")."""
        with self._lock:
            rows = self._db.execute("SELECT platform, id, kind, at, due FROM notified").fetchall()
        return {(str(platform), str(task_id), str(kind)): (datetime.fromisoformat(str(at)),
                                                           _moment(due))
                for platform, task_id, kind, at, due in rows}

    def remember_notified(self, entries: Iterable[tuple[str, str, str, datetime | None]],
                          at: datetime, drop: Iterable[tuple[str, str, str]] = ()) -> None:
        """Drop the (platform, task id, kind) entries in ``drop``, then record the (platform,
        task id, kind, due time) ``entries`` as of ``at`` (one already there keeps its time and
        takes the due time); all or nothing."""
        if at.tzinfo is None:
            raise ValueError("at must be timezone-aware")
        when = at.astimezone(UTC).isoformat()
        with self._transaction():
            self._db.executemany(
                "DELETE FROM notified WHERE platform = ? AND id = ? AND kind = ?", list(drop))
            self._db.executemany(
                "INSERT INTO notified (platform, id, kind, at, due) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (platform, id, kind) DO UPDATE SET due = excluded.due",
                ((platform, task_id, kind, when, _utc(due))
                 for platform, task_id, kind, due in entries),
            )

    def forget(self, platform_id: str | None = None) -> None:
        """Drop everything known about a platform (it was removed or retired), including what
        was notified about its tasks; with no platform, about every platform that has anything
        here, in the county file or not any more (logout, another person signing in).

        Forgetting everything also overwrites the deleted rows in the file and empties the
        write-ahead log: the next person on a shared PC finds no task titles in either."""
        where, args = ("WHERE platform = ?", (platform_id,)) if platform_id is not None else ("", ())
        if platform_id is None:
            with self._lock:
                self._db.execute("PRAGMA secure_delete=ON")
        with self._transaction():
            self._generation += 1
            self._snapshot_digest = None
            # The start snapshot shows every platform's tasks: it goes with any of them.
            self._db.execute("DELETE FROM snapshot")
            for table in _TABLES:
                self._db.execute(f"DELETE FROM {table} {where}", args)
        if platform_id is None:
            with self._lock:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                self._db.execute("PRAGMA secure_delete=OFF")

    # -- the start snapshot --------------------------------------------------------------------

    @property
    def generation(self) -> int:
        """Changes whenever tasks are forgotten: take it when the tasks to snapshot are shown
        (read without the lock, which a write may hold: the GUI thread reads it)."""
        return self._generation

    def put_snapshot(self, owner: str, body: bytes, generation: int) -> bool:
        """Keep ``body``, the inbox as ``owner`` (a session owner digest) saw it, for the window's
        next start (launcher/app/start_snapshot.py); not when anything was forgotten since
        ``generation`` was taken (the tasks it shows may be another person's, or retired).
        Returns whether it was kept (True too when it is the one kept already)."""
        digest = hashlib.sha256(owner.encode() + b"\0" + body).digest()
        with self._transaction():
            if generation != self._generation:
                return False
            if digest != self._snapshot_digest:
                self._db.execute(
                    "INSERT OR REPLACE INTO snapshot (id, owner, body) VALUES (1, ?, ?)",
                    (owner, body))
                self._snapshot_digest = digest
        return True

    def drop_snapshot(self) -> None:
        with self._transaction():
            self._db.execute("DELETE FROM snapshot")
            self._snapshot_digest = None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """One write transaction, taken at once (BEGIN IMMEDIATE): all of it or nothing."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _row(platform_id: str, task: TaskItem, position: int) -> tuple[object, ...]:
    if task.platform != platform_id:
        raise ValueError(f"task {task.key} does not belong to {platform_id}")
    return (platform_id, task.id, task.title, task.url, _when(task.due), task.status, task.form,
            task.subject, task.period, task.priority, _when(task.updated), position)


def _item(row: Sequence[object]) -> TaskItem:
    (platform, task_id, title, url, due, status, form, subject, period, priority, updated,
     _position) = row
    return TaskItem(
        platform=str(platform),
        id=str(task_id),
        title=str(title),
        url=str(url),
        due=datetime.fromisoformat(str(due)) if due else None,
        status=str(status),
        form=str(form) if form is not None else None,
        subject=str(subject) if subject is not None else None,
        period=str(period) if period is not None else None,
        priority=int(str(priority)) if priority is not None else None,
        updated=datetime.fromisoformat(str(updated)) if updated else None,
    )


def _when(moment: datetime | None) -> str | None:
    # Kept with its own offset, so a +08:00 due time comes back as +08:00.
    return moment.isoformat() if moment is not None else None


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def _moment(text: object) -> datetime | None:
    return datetime.fromisoformat(str(text)) if text else None
