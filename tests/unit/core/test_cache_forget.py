"""Logout forgets the cached tasks of every platform that has any, configured or not (issue 11,
item 9): a platform dropped from the county file keeps no rows for the next person on the PC."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from launcher.api import TaskItem
from launcher.core.inbox.cache import SyncState, TaskCache

MORNING = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
SECRET_TITLE = "王建国户低保复核"


def item(platform: str, task_id: str) -> TaskItem:
    return TaskItem(platform=platform, id=task_id, title=f"{SECRET_TITLE} {task_id}",
                    url=f"http://127.0.0.1:9101/t/{task_id}")


def fill(cache: TaskCache, platform: str) -> None:
    cache.replace(platform, [item(platform, "1"), item(platform, "2")], MORNING,
                  SyncState(etag='"v1"', since=MORNING))
    cache.remember_notified([(platform, "1", "new", None)], MORNING)


def test_forget_without_a_platform_clears_every_platform_known_or_not(cache: TaskCache) -> None:
    for platform in ("demo.anquan", "demo.zhifa", "retired.minzheng"):
        fill(cache, platform)

    cache.forget()

    assert cache.load() == []
    assert cache.fetched_at() == {}
    assert cache.notified() == {}
    for platform in ("demo.anquan", "demo.zhifa", "retired.minzheng"):
        assert cache.sync_state(platform) == SyncState()


def test_forget_of_one_platform_leaves_the_others(cache: TaskCache) -> None:
    fill(cache, "demo.anquan")
    fill(cache, "demo.zhifa")
    cache.forget("demo.anquan")
    assert {t.platform for t in cache.load()} == {"demo.zhifa"}
    assert set(cache.fetched_at()) == {"demo.zhifa"}
    assert cache.sync_state("demo.anquan") == SyncState()


def test_forgotten_titles_are_not_left_in_the_files(tmp_path: Path) -> None:
    path = tmp_path / "tasks.sqlite3"
    cache = TaskCache(path)
    try:
        fill(cache, "retired.minzheng")
        cache.forget()
        # Neither the database's free pages nor its write-ahead log still hold them.
        for part in tmp_path.glob("tasks.sqlite3*"):
            assert SECRET_TITLE.encode() not in part.read_bytes(), part.name
    finally:
        cache.close()
