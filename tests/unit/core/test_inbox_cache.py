"""The SQLite task cache: exact replacement per platform, durable across restarts and crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, overload

import pytest

from launcher.api import TaskItem
from launcher.core.inbox.cache import SCHEMA_VERSION, TaskCache

CST = timezone(timedelta(hours=8))
MORNING = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def item(platform: str, task_id: str, **extra: Any) -> TaskItem:
    return TaskItem(platform=platform, id=task_id, title=f"任务 {task_id}",
                    url=f"http://127.0.0.1:9101/t/{task_id}", **extra)


def test_every_field_comes_back_as_stored(cache):
    full = item("demo.anquan", "17", due=datetime(2026, 11, 30, 17, tzinfo=CST), status="doing",
                form="safety_check", subject="张三", period="2026-11", priority=2,
                updated=datetime(2026, 11, 19, 9, 30, tzinfo=UTC))
    bare = item("demo.anquan", "18")
    cache.replace("demo.anquan", [full, bare], MORNING)
    assert cache.load() == [full, bare]
    # The due time keeps the offset it was given in.
    assert cache.load()[0].due.utcoffset() == timedelta(hours=8)
    assert cache.fetched_at() == {"demo.anquan": MORNING}


def test_replace_touches_only_its_own_platform(cache):
    cache.replace("a.one", [item("a.one", "1"), item("a.one", "2")], MORNING)
    cache.replace("b.two", [item("b.two", "1")], MORNING)
    later = MORNING + timedelta(hours=1)
    cache.replace("a.one", [item("a.one", "3")], later)
    assert sorted(t.key for t in cache.load()) == ["a.one/3", "b.two/1"]
    assert cache.fetched_at() == {"a.one": later, "b.two": MORNING}

    cache.replace("a.one", [], later)
    assert [t.key for t in cache.load()] == ["b.two/1"]
    assert "a.one" in cache.fetched_at()


def test_a_failed_replace_keeps_the_previous_rows(cache):
    cache.replace("a.one", [item("a.one", "1")], MORNING)
    with pytest.raises(ValueError):
        cache.replace("a.one", [item("a.one", "2"), item("b.two", "3")], MORNING)
    with pytest.raises(ValueError):
        cache.replace("a.one", [item("a.one", "2")], datetime(2026, 11, 20, 9, 0))
    assert [t.key for t in cache.load()] == ["a.one/1"]


def test_the_cache_survives_closing_and_reopening(tmp_path):
    path = tmp_path / "sub" / "tasks.sqlite3"
    first = TaskCache(path)
    first.replace("a.one", [item("a.one", "1")], MORNING)
    first.close()
    again = TaskCache(path)
    assert [t.key for t in again.load()] == ["a.one/1"]
    assert again.fetched_at() == {"a.one": MORNING}
    again.forget("a.one")
    assert again.load() == [] and again.fetched_at() == {}
    again.close()


def test_threads_may_write_at_the_same_time(cache):
    def write(n: int) -> None:
        platform = f"p.n{n}"
        for round_ in range(5):
            cache.replace(platform, [item(platform, f"{round_}-{k}") for k in range(20)], MORNING)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tasks = cache.load()
    assert len(tasks) == 8 * 20
    assert {t.id.split("-")[0] for t in tasks} == {"4"}


def test_a_damaged_cache_file_is_set_aside_and_started_afresh(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    path.write_bytes(b"this is not a database, it was overwritten " * 200)
    fresh = TaskCache(path)
    assert fresh.load() == []
    fresh.replace("a.one", [item("a.one", "1")], MORNING)
    assert len(fresh.load()) == 1
    fresh.close()
    assert (tmp_path / "tasks.sqlite3.broken").exists()


# -- caches written by older versions ------------------------------------------------------------

# The tables as the older versions created them: version 1 tasks and fetches, 2 also sync, 3 also
# notified (without the due time a notice was about).
_OLD_TABLES = {
    "tasks": "CREATE TABLE tasks (platform TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, "
             "url TEXT NOT NULL, due TEXT, status TEXT NOT NULL, form TEXT, subject TEXT, "
             "period TEXT, priority INTEGER, updated TEXT, position INTEGER NOT NULL, "
             "PRIMARY KEY (platform, id))",
    "fetches": "CREATE TABLE fetches (platform TEXT PRIMARY KEY, fetched_at TEXT NOT NULL)",
    "sync": "CREATE TABLE sync (platform TEXT PRIMARY KEY, etag TEXT, since TEXT, full_at TEXT)",
    "notified": "CREATE TABLE notified (platform TEXT NOT NULL, id TEXT NOT NULL, "
                "kind TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (platform, id, kind))",
}


def _old_cache(path: Path, version: int, tables: Sequence[str]) -> TaskItem:
    due = datetime(2026, 11, 21, 17, tzinfo=CST)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    for table in tables:
        db.execute(_OLD_TABLES[table])
    if version >= 4:  # the due time a notice was about
        db.execute("ALTER TABLE notified ADD COLUMN due TEXT")
    with db:
        db.execute("INSERT INTO tasks (platform, id, title, url, due, status, position) "
                   "VALUES ('a.one', '1', '任务 1', 'http://127.0.0.1:9101/t/1', ?, 'open', 0)",
                   (due.isoformat(),))
        db.execute("INSERT INTO fetches VALUES ('a.one', ?)", (MORNING.isoformat(),))
        if "notified" in tables:
            db.execute("INSERT INTO notified (platform, id, kind, at) "
                       "VALUES ('a.one', '1', 'due-soon', ?)", (MORNING.isoformat(),))
    db.execute(f"PRAGMA user_version={version}")
    db.close()
    return item("a.one", "1", due=due)


@pytest.mark.parametrize("version", [1, 2, 3, 4])
def test_an_older_cache_is_migrated_in_place(tmp_path, version):
    path = tmp_path / "tasks.sqlite3"
    old = _old_cache(path, version, list(_OLD_TABLES)[: min(version, 3) + 1])
    cache = TaskCache(path)
    try:
        assert cache.load() == [old] and cache.fetched_at() == {"a.one": MORNING}
        # A version 3 notice is kept, about no due time in particular (see inbox/notify.py).
        told = {("a.one", "1", "due-soon"): (MORNING, None)} if version >= 3 else {}
        assert cache.notified() == told
        # From now on a notice keeps its due time; one already there keeps when it was made.
        later = MORNING + timedelta(hours=1)
        cache.remember_notified([("a.one", "1", "due-soon", old.due), ("a.one", "1", "new", None)],
                                later)
        assert cache.notified() == {
            ("a.one", "1", "due-soon"): (MORNING if version >= 3 else later, old.due),
            ("a.one", "1", "new"): (later, None),
        }
    finally:
        cache.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
        # Version 5: the start snapshot's table, empty until the window keeps one.
        assert db.execute("SELECT count(*) FROM snapshot").fetchone()[0] == 0
    db.close()


def test_a_cache_of_an_unknown_version_starts_afresh(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    _old_cache(path, 99, ["tasks", "fetches", "notified"])
    cache = TaskCache(path)
    try:
        assert cache.load() == [] and cache.fetched_at() == {} and cache.notified() == {}
        cache.remember_notified([("a.one", "1", "overdue", MORNING)], MORNING)
        assert cache.notified() == {("a.one", "1", "overdue"): (MORNING, MORNING)}
    finally:
        cache.close()


# -- a writer killed in the middle of a transaction ------------------------------------------------

class _StallingTasks(Sequence[TaskItem]):
    """Yields tasks, and halfway through tells the parent so and waits to be killed."""

    def __init__(self, count: int, halfway: Any) -> None:
        self.count = count
        self.halfway = halfway

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> TaskItem: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[TaskItem]: ...
    def __getitem__(self, index: int | slice) -> TaskItem | Sequence[TaskItem]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        return item("a.one", f"new-{index}")

    def __iter__(self) -> Iterator[TaskItem]:
        for n in range(self.count):
            if n == self.count // 2:
                self.halfway.set()
                threading.Event().wait(60)  # killed long before this ends
            yield self[n]


def _write_and_stall(path: str, halfway: Any) -> None:
    cache = TaskCache(Path(path))
    cache.replace("a.one", _StallingTasks(20_000, halfway), datetime.now(UTC))


def test_a_writer_killed_mid_transaction_leaves_the_previous_rows(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    before = TaskCache(path)
    old = [item("a.one", str(n)) for n in range(50)]
    before.replace("a.one", old, MORNING)
    before.replace("b.two", [item("b.two", "1")], MORNING)
    before.close()

    context = multiprocessing.get_context("spawn")
    halfway = context.Event()
    writer = context.Process(target=_write_and_stall, args=(str(path), halfway))
    writer.start()
    try:
        assert halfway.wait(60), "the writer never got into its transaction"
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.join(60)
    assert writer.exitcode == -signal.SIGKILL

    after = TaskCache(path)
    assert [t for t in after.load() if t.platform == "a.one"] == old
    assert after.fetched_at() == {"a.one": MORNING, "b.two": MORNING}
    # And the cache still takes writes.
    after.replace("a.one", [item("a.one", "x")], MORNING)
    assert sorted(t.key for t in after.load()) == ["a.one/x", "b.two/1"]
    after.close()
