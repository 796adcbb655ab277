"""The task cache survives a killed launcher: a process writing it is killed with SIGKILL in the
middle of a refresh, and the next TaskCache opens the file without error, with every platform's
last committed tasks whole and nothing of the interrupted write.

A real process, really killed (no mocks): the writer is a child Python process on the real SQLite
file in WAL mode.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from launcher.core.inbox.cache import SyncState, TaskCache

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")

PLATFORMS = [f"demo.p{n}" for n in range(5)]
COMMITTED_AT = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)

# The child's part. Round 0 is committed for every platform (tasks titled "r0 …", a sync state
# per platform); then, per mode:
# - "blocked": a replace() of the first platform with round 1 starts, and its task list stops
#   after 30,000 rows, inside the transaction (the old rows deleted, new ones inserted, enough of
#   them that SQLite has spilled uncommitted pages into the WAL file); the child says "blocked"
#   and waits to be killed;
# - "loop": rounds 1, 2, 3, … replace every platform in turn (different task counts per round),
#   saying "round N" after each whole round and "halfway N" in the middle of writing the third
#   platform's tasks, until it is killed.
CHILD = textwrap.dedent(
    """
    import sys, threading
    from datetime import UTC, datetime, timedelta
    from pathlib import Path
    from launcher.api import TaskItem
    from launcher.core.inbox.cache import SyncState, TaskCache

    path, mode = Path(sys.argv[1]), sys.argv[2]
    platforms = [f"demo.p{n}" for n in range(5)]
    committed = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)

    def tasks(platform, round_, count):
        return [TaskItem(platform=platform, id=f"{round_}-{n}", title=f"r{round_} task {n} " + "x" * 80,
                         url=f"http://127.0.0.1:9/{platform}/{round_}/{n}") for n in range(count)]

    def count(platform, round_):
        return 200 + 7 * platforms.index(platform) + round_ % 11

    cache = TaskCache(path)
    for p in platforms:
        cache.replace(p, tasks(p, 0, count(p, 0)), committed, SyncState(etag=f'"{p}-r0"'))
    print("committed", flush=True)

    class Blocking(list):
        # A task list that stops half-way through being written, as a fetch blocked mid-answer.
        def __iter__(self):
            for n, task in enumerate(list.__iter__(self)):
                if n == 30_000:
                    print("blocked", flush=True)
                    threading.Event().wait()
                yield task

    class Announcing(list):
        # A task list that says when it is half written (the writer keeps going).
        def __iter__(self):
            for n, task in enumerate(list.__iter__(self)):
                if n == len(self) // 2:
                    print(f"halfway {round_}", flush=True)
                yield task

    if mode == "blocked":
        p = platforms[0]
        cache.replace(p, Blocking(tasks(p, 1, 40_000)), committed + timedelta(hours=1),
                      SyncState(etag=f'"{p}-r1"'))
    else:
        round_ = 1
        while True:
            for p in platforms:
                listed = tasks(p, round_, count(p, round_))
                cache.replace(p, Announcing(listed) if p == platforms[2] else listed,
                              committed + timedelta(minutes=round_), SyncState(etag=f'"{p}-r{round_}"'))
            print(f"round {round_}", flush=True)
            round_ += 1
    """
)


def start_writer(path: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def wait_for(writer: subprocess.Popen[str], wanted: str) -> list[str]:
    """The writer's lines up to and including the first that starts with ``wanted``."""
    assert writer.stdout is not None
    lines = []
    for line in writer.stdout:
        lines.append(line.strip())
        if line.startswith(wanted):
            return lines
    writer.wait(timeout=30)
    raise AssertionError(f"the writer ended before {wanted!r}: {writer.stderr.read()}")  # type: ignore[union-attr]


def kill(writer: subprocess.Popen[str]) -> None:
    os.kill(writer.pid, signal.SIGKILL)
    assert writer.wait(timeout=30) == -signal.SIGKILL
    for stream in (writer.stdout, writer.stderr):
        assert stream is not None
        stream.close()


def expected_count(platform: str, round_: int) -> int:
    return 200 + 7 * PLATFORMS.index(platform) + round_ % 11


def rounds_by_platform(cache: TaskCache) -> dict[str, set[str]]:
    """For each platform, the rounds its cached tasks come from (one, when nothing is mixed)."""
    rounds: dict[str, set[str]] = {}
    for task in cache.load():
        rounds.setdefault(task.platform, set()).add(task.title.split(" ", 1)[0])
    return rounds


def assert_sound(path: Path) -> None:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_kill_inside_a_write_leaves_the_last_committed_tasks(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    writer = start_writer(path, "blocked")
    try:
        wait_for(writer, "blocked")
        # Uncommitted pages of the interrupted write reached the WAL file: recovery has to drop
        # them, not just find nothing to drop.
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 1_000_000
    finally:
        kill(writer)

    cache = TaskCache(path)  # opens without error (and without setting the file aside)
    try:
        assert not list(tmp_path.glob("*.broken"))
        assert_sound(path)
        tasks = cache.load()
        assert rounds_by_platform(cache) == {p: {"r0"} for p in PLATFORMS}
        for platform in PLATFORMS:
            mine = [t for t in tasks if t.platform == platform]
            assert [t.id for t in mine] == [f"0-{n}" for n in range(expected_count(platform, 0))]
        # The interrupted write's refresh time and sync state went with it.
        assert cache.fetched_at() == dict.fromkeys(PLATFORMS, COMMITTED_AT)
        assert cache.sync_state(PLATFORMS[0]) == SyncState(etag=f'"{PLATFORMS[0]}-r0"')
        # And the cache works on: the next refresh writes as usual.
        cache.replace(PLATFORMS[0], tasks[:3], datetime.now(UTC))
        assert [t.id for t in cache.load() if t.platform == PLATFORMS[0]] == ["0-0", "0-1", "0-2"]
    finally:
        cache.close()


def test_a_kill_during_a_loop_of_refreshes_loses_no_platform(tmp_path: Path) -> None:
    """Killed while a busy writer is in the middle of a platform's write (wherever it has got to
    by the time the signal lands): each platform's tasks are one whole round's, its last
    committed one, never a mix and never a part."""
    path = tmp_path / "tasks.sqlite3"
    writer = start_writer(path, "loop")
    try:
        lines = wait_for(writer, "halfway 6")
    finally:
        kill(writer)
    assert lines[0] == "committed"

    cache = TaskCache(path)
    try:
        assert not list(tmp_path.glob("*.broken"))
        assert_sound(path)
        rounds = rounds_by_platform(cache)
        assert sorted(rounds) == PLATFORMS
        fetched = cache.fetched_at()
        latest = []
        for platform in PLATFORMS:
            (tag,) = rounds[platform]  # one round per platform
            round_ = int(tag[1:])
            latest.append(round_)
            assert round_ >= 5  # what the writer reported as committed is there
            mine = [t for t in cache.load() if t.platform == platform]
            assert [t.id for t in mine] == [
                f"{round_}-{n}" for n in range(expected_count(platform, round_))
            ]
            assert cache.sync_state(platform) == SyncState(etag=f'"{platform}-r{round_}"')
            minutes = (fetched[platform] - COMMITTED_AT).total_seconds() / 60
            assert minutes == round_  # tasks, refresh time and sync state from the same write
        # Platforms are written in turn: a later one is at most one round behind an earlier one.
        assert latest == sorted(latest, reverse=True) and latest[0] - latest[-1] <= 1
    finally:
        cache.close()
