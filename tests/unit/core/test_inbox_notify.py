"""Notifications once each: new, due within 24 hours and overdue work, remembered in the task cache
across refreshes and restarts, never for finished work, one per group, summarised when many."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.cache import SCHEMA_VERSION, TaskCache
from launcher.core.inbox.notify import (
    DUE_SOON,
    KEEP_GONE,
    NEW,
    OVERDUE,
    Notice,
    Notifier,
    pending_count,
)

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
A, B = "demo.anquan", "demo.zhifa"


def task(platform: str, task_id: str, **extra: Any) -> TaskItem:
    return TaskItem(platform=platform, id=task_id, title=f"任务 {task_id}",
                    url=f"http://127.0.0.1:9101/t/{task_id}", **extra)


def groups(*tasks: TaskItem) -> list[TaskGroup]:
    """Each task its own inbox row (grouping itself is tested in test_inbox_grouping.py)."""
    return [TaskGroup(t.key, (t,)) for t in tasks]


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[TaskCache]:
    opened = TaskCache(tmp_path / "tasks.sqlite3")
    yield opened
    opened.close()


def kinds(notices: list[Notice]) -> list[tuple[str, tuple[str, ...]]]:
    return [(n.kind, n.keys) for n in notices]


def baseline(cache: TaskCache, *platforms: str, tasks: tuple[TaskItem, ...] = ()) -> None:
    """The first refresh of ``platforms``: what they list is recorded silently."""
    assert Notifier(cache).due(groups(*tasks), NOW, current=platforms) == []


def test_a_new_task_is_announced_once(cache):
    old = task(A, "1")
    baseline(cache, A, tasks=(old,))
    new = task(A, "2")
    notices = Notifier(cache).due(groups(old, new), NOW, current={A})
    assert kinds(notices) == [(NEW, (f"{A}/2",))]
    (notice,) = notices
    assert notice.title == "任务 2" and notice.url == new.url and not notice.summary
    assert notice.group is not None and notice.group.items == (new,)
    # The next refresh lists the same tasks: nothing more to say.
    assert Notifier(cache).due(groups(old, new), NOW + timedelta(minutes=5), current={A}) == []


def test_the_first_refresh_records_without_a_flood_but_tells_what_is_due(cache):
    many = [task(A, str(n)) for n in range(200)]
    soon = task(A, "soon", due=NOW + timedelta(hours=3))
    notices = Notifier(cache).due(groups(*many, soon), NOW, current={A})
    # 200 tasks seen for the first time are no news (the inbox shows them); a deadline is.
    assert kinds(notices) == [(DUE_SOON, (f"{A}/soon",))]
    assert Notifier(cache).due(groups(*many, soon), NOW, current={A}) == []
    # A platform refreshed for the first time later (it was down) is recorded silently too.
    other = [task(B, str(n)) for n in range(30)]
    assert Notifier(cache).due(groups(*many, soon, *other), NOW, current={A, B}) == []
    assert kinds(Notifier(cache).due(groups(*many, soon, *other, task(B, "x")), NOW,
                                     current={A, B})) == [(NEW, (f"{B}/x",))]


def test_tasks_read_from_the_cache_are_not_news(cache):
    baseline(cache, A, B)
    known_elsewhere = task(B, "7")
    # B failed this time: its tasks come from the cache, so they are not announced as new …
    assert Notifier(cache).due(groups(known_elsewhere), NOW, current={A}) == []
    # … and they are not recorded either: once B answers, a task it never delivered before is.
    assert kinds(Notifier(cache).due(groups(known_elsewhere), NOW, current={A, B})) == [
        (NEW, (f"{B}/7",))
    ]


def test_due_soon_when_the_task_enters_the_24_hour_window_then_overdue(cache):
    item = task(A, "1", due=NOW + timedelta(hours=30))
    baseline(cache, A, tasks=(item,))
    assert Notifier(cache).due(groups(item), NOW + timedelta(hours=5), current={A}) == []
    later = NOW + timedelta(hours=7)  # 23 hours left
    assert kinds(Notifier(cache).due(groups(item), later, current={A})) == [
        (DUE_SOON, (f"{A}/1",))
    ]
    assert Notifier(cache).due(groups(item), later + timedelta(hours=1), current={A}) == []
    past = NOW + timedelta(hours=31)
    assert kinds(Notifier(cache).due(groups(item), past, current={A})) == [
        (OVERDUE, (f"{A}/1",))
    ]
    assert Notifier(cache).due(groups(item), past + timedelta(days=1), current={A}) == []


def test_overdue_work_on_a_failed_platform_is_still_announced(cache):
    baseline(cache, A)
    late = task(A, "1", due=NOW - timedelta(hours=2))
    # Nothing current (the network is down): the cached task is still overdue.
    assert kinds(Notifier(cache).due(groups(late), NOW, current=())) == [
        (OVERDUE, (f"{A}/1",))
    ]
    assert Notifier(cache).due(groups(late), NOW, current={A}) == []


def test_a_new_task_already_due_gives_one_notice_of_the_most_urgent_kind(cache):
    baseline(cache, A)
    late = task(A, "1", due=NOW - timedelta(hours=1))
    assert kinds(Notifier(cache).due(groups(late), NOW, current={A})) == [
        (OVERDUE, (f"{A}/1",))
    ]
    # Both kinds were recorded: neither comes later.
    assert Notifier(cache).due(groups(late), NOW, current={A}) == []


@pytest.mark.parametrize("status", ["done", "Closed", "completed", "已办结"])
def test_finished_tasks_are_never_announced(cache, status):
    baseline(cache, A)
    done = task(A, "1", status=status, due=NOW - timedelta(hours=1))
    assert Notifier(cache).due(groups(done), NOW, current={A}) == []
    assert pending_count(groups(done, task(A, "2"))) == 1


def test_a_group_of_two_platforms_gives_one_notice(cache):
    baseline(cache, A, B)
    one = task(A, "1", due=NOW + timedelta(hours=4))
    two = task(B, "9", due=NOW + timedelta(hours=6))
    group = TaskGroup("safety_check|王五商店|2026-11", (one, two))
    notices = Notifier(cache).due([group], NOW, current={A, B})
    assert kinds(notices) == [(DUE_SOON, (f"{A}/1", f"{B}/9"))]
    assert notices[0].platforms == (A, B)
    assert Notifier(cache).due([group], NOW, current={A, B}) == []
    assert pending_count([group]) == 1


def test_a_platform_joining_known_work_is_not_new_work(cache):
    baseline(cache, A, B)
    one = task(A, "1")
    key = "safety_check|王五商店|2026-11"
    assert kinds(Notifier(cache).due([TaskGroup(key, (one,))], NOW, current={A, B})) == [
        (NEW, (f"{A}/1",))
    ]
    two = task(B, "9")
    assert Notifier(cache).due([TaskGroup(key, (one, two))], NOW, current={A, B}) == []
    # The second platform's task is known now: splitting the group later brings no news either.
    assert Notifier(cache).due(groups(one, two), NOW, current={A, B}) == []


def test_many_at_once_come_as_three_and_a_summary(cache):
    late = [task(A, f"late{n}", due=NOW - timedelta(days=n + 1)) for n in range(15)]
    soon = [task(A, f"soon{n}", due=NOW + timedelta(hours=n + 1)) for n in range(2)]
    notices = Notifier(cache).due(groups(*late, *soon), NOW, current={A})
    assert len(notices) == 4
    singles, summary = notices[:3], notices[3]
    # The longest overdue first.
    assert [n.keys for n in singles] == [(f"{A}/late14",), (f"{A}/late13",), (f"{A}/late12",)]
    assert all(n.kind == OVERDUE and not n.summary for n in singles)
    assert summary.summary and summary.kind == OVERDUE and summary.url == ""
    assert dict(summary.counts) == {OVERDUE: 12, DUE_SOON: 2} and summary.count == 14
    assert len(summary.keys) == 14
    assert Notifier(cache).due(groups(*late, *soon), NOW, current={A}) == []


def test_four_notices_are_four_not_three_and_one_more(cache):
    late = [task(A, str(n), due=NOW - timedelta(days=n + 1)) for n in range(4)]
    notices = Notifier(cache).due(groups(*late), NOW, current={A})
    assert len(notices) == 4 and not any(n.summary for n in notices)


def test_a_restart_does_not_repeat_anything(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    first = TaskCache(path)
    item = task(A, "1", due=NOW + timedelta(hours=2))
    baseline(first, A)
    assert len(Notifier(first).due(groups(item), NOW, current={A})) == 1
    first.close()
    again = TaskCache(path)
    try:
        assert Notifier(again).due(groups(item), NOW, current={A}) == []
    finally:
        again.close()


def test_forgetting_the_platform_forgets_what_was_notified(cache):
    item = task(A, "1", due=NOW - timedelta(hours=2))
    baseline(cache, A)
    assert len(Notifier(cache).due(groups(item), NOW, current={A})) == 1
    cache.forget(A)  # logout, or another user signing in
    assert cache.notified() == {}
    # As after a first sign-in: nothing is new, but the overdue task is told once more.
    assert kinds(Notifier(cache).due(groups(item), NOW, current={A})) == [
        (OVERDUE, (f"{A}/1",))
    ]


def test_a_task_that_left_and_came_back_is_not_new_but_is_forgotten_in_time(cache):
    item = task(A, "1")
    baseline(cache, A, tasks=(item,))
    assert Notifier(cache).due([], NOW + timedelta(days=1), current={A}) == []
    assert Notifier(cache).due(groups(item), NOW + timedelta(days=2), current={A}) == []
    # Gone for longer than KEEP_GONE: the memory of it goes, so it would be news again.
    assert Notifier(cache).due([], NOW + timedelta(days=3), current={A}) == []
    assert Notifier(cache).due([], NOW + timedelta(days=3) + KEEP_GONE, current={A}) == []
    assert all(task_id != "1" for _p, task_id, _k in cache.notified())
    assert kinds(Notifier(cache).due(groups(item), NOW + timedelta(days=40), current={A})) == [
        (NEW, (f"{A}/1",))
    ]


def test_nothing_is_written_when_the_user_changed_meanwhile(cache):
    item = task(A, "1", due=NOW - timedelta(hours=2))
    assert Notifier(cache).due(groups(item), NOW, current={A}, keep=lambda: False) == []
    assert cache.notified() == {}


def test_a_naive_time_is_refused(cache):
    with pytest.raises(ValueError, match="timezone-aware"):
        Notifier(cache).due([], datetime(2026, 11, 20, 8, 0), current=())


def test_a_version_2_cache_gains_the_notified_table_and_keeps_its_tasks(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    old = TaskCache(path)
    old.replace(A, [task(A, "1")], NOW)
    old.close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE notified")
        db.execute("PRAGMA user_version=2")
    db.close()
    reopened = TaskCache(path)
    try:
        assert [t.key for t in reopened.load()] == [f"{A}/1"]
        baseline(reopened, A, tasks=(task(A, "1"),))
        assert (A, "1", NEW) in reopened.notified()
    finally:
        reopened.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    db.close()
