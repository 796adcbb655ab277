"""Notifications once each: new, due within 24 hours and overdue work, remembered in the task cache
across refreshes and restarts, never for finished work, one per group, summarised when many."""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.cache import SCHEMA_VERSION, TaskCache
from launcher.core.inbox.notify import (
    CLOCK_SLACK,
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


def kinds(notices: list[Notice]) -> list[tuple[str, tuple[str, ...]]]:
    return [(n.kind, n.keys) for n in notices]


def moved(item: TaskItem, due: datetime | None, **extra: Any) -> TaskItem:
    """The same task after its platform changed its due time (or other fields)."""
    return dataclasses.replace(item, due=due, **extra)


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
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    db.close()


# -- due times that move -------------------------------------------------------------------------

def test_a_deadline_extended_after_its_notice_is_told_again_when_due_soon_again(cache):
    baseline(cache, A)
    item = task(A, "1", due=NOW + timedelta(hours=5))  # Monday 13:00 (UTC)
    (notice,) = Notifier(cache).due(groups(item), NOW, current={A})
    assert notice.kind == DUE_SOON and notice.moved_from is None
    # The platform extends it by four days: nothing to say while it is far …
    later = moved(item, NOW + timedelta(days=4, hours=5))
    assert Notifier(cache).due(groups(later), NOW + timedelta(hours=1), current={A}) == []
    assert Notifier(cache).due(groups(later), NOW + timedelta(days=3), current={A}) == []
    # … and once it is due within 24 hours again, one notice naming the old due time.
    thursday = NOW + timedelta(days=3, hours=6)
    (notice,) = Notifier(cache).due(groups(later), thursday, current={A})
    assert (notice.kind, notice.keys, notice.due) == (DUE_SOON, (f"{A}/1",), later.due)
    assert notice.moved_from == item.due
    assert Notifier(cache).due(groups(later), thursday + timedelta(hours=1), current={A}) == []
    # Passing the new due time is told once, as it always was (no move since the last notice).
    past = NOW + timedelta(days=4, hours=6)
    (notice,) = Notifier(cache).due(groups(later), past, current={A})
    assert notice.kind == OVERDUE and notice.moved_from is None
    assert Notifier(cache).due(groups(later), past + timedelta(days=1), current={A}) == []


def test_a_deadline_brought_forward_is_told_at_once(cache):
    baseline(cache, A)
    item = task(A, "1", due=NOW + timedelta(hours=20))
    assert kinds(Notifier(cache).due(groups(item), NOW, current={A})) == [(DUE_SOON, (f"{A}/1",))]
    sooner = moved(item, NOW + timedelta(hours=3))
    (notice,) = Notifier(cache).due(groups(sooner), NOW + timedelta(hours=1), current={A})
    assert (notice.kind, notice.moved_from) == (DUE_SOON, item.due)
    assert Notifier(cache).due(groups(sooner), NOW + timedelta(hours=2), current={A}) == []
    # Brought forward into the past: overdue at once.
    backdated = moved(item, NOW - timedelta(hours=1))
    (notice,) = Notifier(cache).due(groups(backdated), NOW + timedelta(hours=2), current={A})
    assert (notice.kind, notice.moved_from) == (OVERDUE, sooner.due)


def test_an_overdue_task_given_a_new_deadline_is_told_when_it_passes_that_one(cache):
    baseline(cache, A)
    late = task(A, "1", due=NOW - timedelta(hours=2))
    assert kinds(Notifier(cache).due(groups(late), NOW, current={A})) == [(OVERDUE, (f"{A}/1",))]
    extended = moved(late, NOW + timedelta(hours=30))
    assert Notifier(cache).due(groups(extended), NOW, current={A}) == []
    assert kinds(Notifier(cache).due(groups(extended), NOW + timedelta(hours=7), current={A})) == [
        (DUE_SOON, (f"{A}/1",))
    ]
    (notice,) = Notifier(cache).due(groups(extended), NOW + timedelta(hours=31), current={A})
    assert (notice.kind, notice.moved_from) == (OVERDUE, None)
    assert Notifier(cache).due(groups(extended), NOW + timedelta(hours=32), current={A}) == []


def test_an_overdue_deadline_moved_later_but_still_past_is_told_earlier_is_not(cache):
    baseline(cache, A)
    late = task(A, "1", due=NOW - timedelta(days=2))
    assert len(Notifier(cache).due(groups(late), NOW, current={A})) == 1
    # Corrected to an even earlier day: it was overdue already, and the user knows.
    earlier = moved(late, NOW - timedelta(days=3))
    assert Notifier(cache).due(groups(earlier), NOW, current={A}) == []
    # Extended, but the new deadline has passed too (the launcher was not running meanwhile).
    later = moved(late, NOW - timedelta(hours=1))
    (notice,) = Notifier(cache).due(groups(later), NOW, current={A})
    assert (notice.kind, notice.moved_from) == (OVERDUE, late.due)
    assert Notifier(cache).due(groups(later), NOW, current={A}) == []


def test_the_same_due_time_in_another_offset_is_not_a_move(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    first = TaskCache(path)
    baseline(first, A)
    item = task(A, "1", due=NOW + timedelta(hours=2))
    assert len(Notifier(first).due(groups(item), NOW, current={A})) == 1
    # The next refreshes list it unchanged, once given in China time: no repeat …
    cst = moved(item, item.due.astimezone(timezone(timedelta(hours=8))))
    assert Notifier(first).due(groups(item), NOW + timedelta(minutes=5), current={A}) == []
    assert Notifier(first).due(groups(cst), NOW + timedelta(minutes=10), current={A}) == []
    first.close()
    # … nor after a restart (a new Notifier over the same cache file) …
    again = TaskCache(path)
    try:
        assert Notifier(again).due(groups(cst), NOW + timedelta(minutes=15), current={A}) == []
        # … which still knows which due time it told: a move is seen across the restart.
        sooner = moved(item, NOW + timedelta(hours=1))
        (notice,) = Notifier(again).due(groups(sooner), NOW + timedelta(minutes=20), current={A})
        assert (notice.kind, notice.moved_from) == (DUE_SOON, item.due)
    finally:
        again.close()


def test_a_removed_due_time_keeps_what_was_told(cache):
    baseline(cache, A)
    item = task(A, "1", due=NOW + timedelta(hours=6))
    assert len(Notifier(cache).due(groups(item), NOW, current={A})) == 1
    undated = moved(item, None)
    assert Notifier(cache).due(groups(undated), NOW + timedelta(hours=1), current={A}) == []
    # The same due time back (an answer that once lacked the field): nothing new.
    assert Notifier(cache).due(groups(item), NOW + timedelta(hours=2), current={A}) == []
    # Another one is a move.
    assert kinds(Notifier(cache).due(groups(undated), NOW + timedelta(hours=3), current={A})
                 ) == []
    other = moved(item, NOW + timedelta(hours=10))
    assert kinds(Notifier(cache).due(groups(other), NOW + timedelta(hours=4), current={A})) == [
        (DUE_SOON, (f"{A}/1",))
    ]


def test_a_group_whose_deadline_moves_gives_one_notice_per_move(cache):
    baseline(cache, A, B)
    key = "safety_check|王五商店|2026-11"
    one = task(A, "1", due=NOW + timedelta(hours=4))
    two = task(B, "9", due=NOW + timedelta(hours=4))
    assert kinds(Notifier(cache).due([TaskGroup(key, (one, two))], NOW, current={A, B})) == [
        (DUE_SOON, (f"{A}/1", f"{B}/9"))
    ]
    # The county extends the work on both platforms, to slightly different times.
    group = TaskGroup(key, (moved(one, NOW + timedelta(hours=52)),
                            moved(two, NOW + timedelta(hours=55))))
    assert Notifier(cache).due([group], NOW + timedelta(hours=1), current={A, B}) == []
    # The group's due time (its earliest) enters the window: one notice for the group …
    (notice,) = Notifier(cache).due([group], NOW + timedelta(hours=29), current={A, B})
    assert (notice.kind, notice.keys) == (DUE_SOON, (f"{A}/1", f"{B}/9"))
    assert notice.due == NOW + timedelta(hours=52) and notice.moved_from == one.due
    # … and none when the later platform's due time enters it or passes: the row was told.
    assert Notifier(cache).due([group], NOW + timedelta(hours=32), current={A, B}) == []
    assert kinds(Notifier(cache).due([group], NOW + timedelta(hours=53), current={A, B})) == [
        (OVERDUE, (f"{A}/1", f"{B}/9"))
    ]
    assert Notifier(cache).due([group], NOW + timedelta(hours=56), current={A, B}) == []
    # Split by the user, the second task is a row of its own, overdue by a due time never told.
    split = groups(*group.items)
    (notice,) = Notifier(cache).due(split, NOW + timedelta(hours=57), current={A, B})
    assert (notice.kind, notice.keys, notice.moved_from) == (OVERDUE, (f"{B}/9",), two.due)
    assert Notifier(cache).due(split, NOW + timedelta(hours=58), current={A, B}) == []


# -- work that is open again; clocks that were wrong -----------------------------------------------

def test_work_open_again_after_it_left_has_its_deadline_told_again(cache):
    other = task(A, "2")
    baseline(cache, A, tasks=(other,))
    late = task(A, "1", due=NOW - timedelta(hours=3))
    assert len(Notifier(cache).due(groups(late, other), NOW, current={A})) == 1
    # Marked done: it leaves the list. Sent back a day later, still overdue: told again,
    # but not as new work.
    assert Notifier(cache).due(groups(other), NOW + timedelta(hours=1), current={A}) == []
    back = NOW + timedelta(days=1)
    assert kinds(Notifier(cache).due(groups(late, other), back, current={A})) == [
        (OVERDUE, (f"{A}/1",))
    ]
    assert Notifier(cache).due(groups(late, other), back, current={A}) == []
    # A platform that lists finished work with its status: reopened the same way.
    done = moved(late, late.due, status="done")
    assert Notifier(cache).due(groups(done, other), back + timedelta(hours=1), current={A}) == []
    assert kinds(Notifier(cache).due(groups(late, other), back + timedelta(hours=2),
                                     current={A})) == [(OVERDUE, (f"{A}/1",))]


def test_a_task_missing_from_a_failed_platform_is_not_open_again(cache):
    baseline(cache, A)
    late = task(A, "1", due=NOW - timedelta(hours=3))
    assert len(Notifier(cache).due(groups(late), NOW, current={A})) == 1
    # A's refresh failed: what the cache lists is as it was; nothing left, nothing came back.
    assert Notifier(cache).due([], NOW + timedelta(hours=1), current=()) == []
    assert Notifier(cache).due(groups(late), NOW + timedelta(hours=2), current={A}) == []


def test_a_clock_that_was_ahead_does_not_silence_a_deadline(cache):
    baseline(cache, A)
    item = task(A, "1", due=NOW + timedelta(days=2))
    wrong = NOW + timedelta(days=10)  # the PC's clock was ten days ahead, then set right
    assert kinds(Notifier(cache).due(groups(item), wrong, current={A})) == [
        (OVERDUE, (f"{A}/1",))
    ]
    assert Notifier(cache).due(groups(item), NOW, current={A}) == []
    assert kinds(Notifier(cache).due(groups(item), NOW + timedelta(days=1, hours=1),
                                     current={A})) == [(DUE_SOON, (f"{A}/1",))]
    assert kinds(Notifier(cache).due(groups(item), NOW + timedelta(days=2, hours=1),
                                     current={A})) == [(OVERDUE, (f"{A}/1",))]
    # A small correction (as NTP makes them) repeats nothing.
    later = NOW + timedelta(days=2, hours=1) - CLOCK_SLACK / 2
    assert Notifier(cache).due(groups(item), later, current={A}) == []


def test_a_task_that_left_while_the_clock_was_ahead_is_still_forgotten_in_time(cache):
    item = task(A, "1")
    baseline(cache, A, tasks=(item,))
    assert Notifier(cache).due([], NOW + timedelta(days=400), current={A}) == []  # clock ahead
    assert Notifier(cache).due([], NOW + timedelta(days=1), current={A}) == []  # set right
    assert any(task_id == "1" for _p, task_id, _k in cache.notified())
    assert Notifier(cache).due([], NOW + timedelta(days=1) + KEEP_GONE, current={A}) == []
    assert all(task_id != "1" for _p, task_id, _k in cache.notified())


# -- a cache written before due times were remembered --------------------------------------------

# The tables as version 3 of the cache created them (launcher/core/inbox/cache.py before v4).
_V3_SCHEMA = """
CREATE TABLE tasks (
    platform TEXT NOT NULL, id TEXT NOT NULL, title TEXT NOT NULL, url TEXT NOT NULL, due TEXT,
    status TEXT NOT NULL, form TEXT, subject TEXT, period TEXT, priority INTEGER, updated TEXT,
    position INTEGER NOT NULL, PRIMARY KEY (platform, id)
);
CREATE TABLE fetches (platform TEXT PRIMARY KEY, fetched_at TEXT NOT NULL);
CREATE TABLE sync (platform TEXT PRIMARY KEY, etag TEXT, since TEXT, full_at TEXT);
CREATE TABLE notified (
    platform TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (platform, id, kind)
);
"""


def test_a_version_3_cache_keeps_what_it_told(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    soon = task(A, "1", due=NOW + timedelta(hours=5))
    late = task(A, "2", due=NOW - timedelta(hours=5))
    # Told due soon under v3, then extended to three days before the upgrade.
    extended = task(A, "3", due=NOW + timedelta(days=3))
    told = (NOW - timedelta(hours=1)).isoformat()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(_V3_SCHEMA)
    with db:
        db.executemany(
            "INSERT INTO tasks (platform, id, title, url, due, status, position) "
            "VALUES (?, ?, ?, ?, ?, 'open', ?)",
            [(t.platform, t.id, t.title, t.url, t.due.isoformat(), n)
             for n, t in enumerate((soon, late, extended))])
        db.execute("INSERT INTO fetches VALUES (?, ?)", (A, told))
        db.executemany("INSERT INTO notified VALUES (?, ?, ?, ?)", [
            (A, "", "baseline", told),
            (A, "1", NEW, told), (A, "1", DUE_SOON, told),
            (A, "2", NEW, told), (A, "2", OVERDUE, told),
            (A, "3", NEW, told), (A, "3", DUE_SOON, told),
        ])
    db.execute("PRAGMA user_version=3")
    db.close()

    upgraded = TaskCache(path)
    try:
        assert [t.key for t in upgraded.load()] == [soon.key, late.key, extended.key]
        assert upgraded.notified()[(A, "1", DUE_SOON)] == (NOW - timedelta(hours=1), None)
        # Nothing told again on the upgrade: the notices are about the due times tasks have.
        listed = groups(soon, late, extended)
        assert Notifier(upgraded).due(listed, NOW, current={A}) == []
        memory = upgraded.notified()
        assert memory[(A, "1", DUE_SOON)] == (NOW - timedelta(hours=1), soon.due)
        assert memory[(A, "2", OVERDUE)][1] == late.due
        # Task 3's notice cannot have been about a due time three days away: it goes, and that
        # due time is told when it comes.
        assert (A, "3", DUE_SOON) not in memory
        assert Notifier(upgraded).due(listed, NOW + timedelta(hours=1), current={A}) == []
    finally:
        upgraded.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    db.close()

    again = TaskCache(path)
    try:
        # From now on a move is seen: task 1 extended and due soon again is told.
        later = moved(soon, NOW + timedelta(days=2))
        assert kinds(Notifier(again).due(groups(later, late, extended), NOW + timedelta(days=1, hours=1),
                                         current={A})) == [(DUE_SOON, (f"{A}/1",))]
        assert kinds(Notifier(again).due(groups(later, late, extended),
                                         NOW + timedelta(days=2, hours=1), current={A})) == [
            (OVERDUE, (f"{A}/1",)), (DUE_SOON, (f"{A}/3",))
        ]
    finally:
        again.close()
