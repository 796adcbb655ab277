"""The user splits a wrong group: it stays split across restarts, and when its tasks change, until
merged again; a damaged splits.json never stops the inbox; logout forgets the splits."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.grouping import Grouping
from launcher.core.inbox.splits import SplitStore

CST = timezone(timedelta(hours=8))
KEY = "safety|张记小吃店|2026-11"


def task(platform: str, task_id: str, *, subject: str = "张记小吃店", day: int = 10) -> TaskItem:
    return TaskItem(platform=platform, id=task_id, title=f"消防检查 {task_id}",
                    url=f"http://{platform}/t/{task_id}", due=datetime(2026, 11, day, tzinfo=CST),
                    form="safety", subject=subject)


ANQUAN = task("demo.anquan", "1", day=10)
ZHIFA = task("demo.zhifa", "7", day=11)
ZHIZHI = task("demo.zhizhi", "3", day=12)
OTHER = task("demo.zhizhi", "4", subject="红星五金店", day=13)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "county" / "splits.json"


def rows(grouping: Grouping, *items: TaskItem) -> list[tuple[str, ...]]:
    """Each row as the ids of its tasks."""
    return sorted(tuple(sorted(i.key for i in g.items)) for g in grouping.group(items))


def only(groups: list[TaskGroup], item: TaskItem) -> TaskGroup:
    return next(g for g in groups if item in g.items)


def test_a_split_group_shows_each_task_alone_and_stays_split_after_a_restart(path: Path):
    grouping = Grouping(splits=SplitStore(path))
    [shared, other] = grouping.group([ANQUAN, ZHIFA, OTHER])
    assert shared.key == KEY and grouping.can_split(shared) and not grouping.is_split(shared)
    assert not grouping.can_split(other)  # one task: nothing to split

    assert grouping.split(shared) is True
    assert grouping.split(shared) is False  # already split
    assert rows(grouping, ANQUAN, ZHIFA, OTHER) == [
        ("demo.anquan/1",), ("demo.zhifa/7",), ("demo.zhizhi/4",)]
    # Each split-off row is a row of its own under its task's key, and knows it was split.
    groups = grouping.group([ANQUAN, ZHIFA, OTHER])
    assert [g.key for g in groups] == ["demo.anquan/1", "demo.zhifa/7", "safety|红星五金店|2026-11"]
    assert grouping.is_split(groups[0]) and grouping.is_split(groups[1])
    assert not grouping.is_split(groups[2]) and not grouping.can_split(groups[0])

    # A new launcher (a new store on the same file) knows the split.
    assert json.loads(path.read_text(encoding="utf-8")) == {"version": 1, "splits": [KEY]}
    again = Grouping(splits=SplitStore(path))
    assert rows(again, ANQUAN, ZHIFA) == [("demo.anquan/1",), ("demo.zhifa/7",)]
    assert [p.name for p in path.parent.iterdir()] == ["splits.json"]  # no temporary file left


def test_merge_again_from_either_split_off_row(path: Path):
    store = SplitStore(path)
    grouping = Grouping(splits=store)
    grouping.split(grouping.group([ANQUAN, ZHIFA])[0])
    lone_zhifa = only(grouping.group([ANQUAN, ZHIFA]), ZHIFA)
    assert grouping.unsplit(lone_zhifa) is True
    assert grouping.unsplit(lone_zhifa) is False
    assert rows(grouping, ANQUAN, ZHIFA) == [("demo.anquan/1", "demo.zhifa/7")]
    assert store.keys() == frozenset()
    assert rows(Grouping(splits=SplitStore(path)), ANQUAN, ZHIFA) == [
        ("demo.anquan/1", "demo.zhifa/7")]


def test_the_split_holds_when_a_task_is_finished_and_when_a_third_platform_asks(path: Path):
    grouping = Grouping(splits=SplitStore(path))
    grouping.split(grouping.group([ANQUAN, ZHIFA])[0])

    # 执法检查's task is done: 安全排查's stays a row of its own and can be merged back.
    [alone] = grouping.group([ANQUAN])
    assert alone.items == (ANQUAN,) and grouping.is_split(alone)

    # 基层智治 asks for the same inspection later: the user said this key is not one task, so
    # the newcomer does not pull the others back together either.
    assert rows(grouping, ANQUAN, ZHIFA, ZHIZHI) == [
        ("demo.anquan/1",), ("demo.zhifa/7",), ("demo.zhizhi/3",)]
    grouping.unsplit(only(grouping.group([ANQUAN, ZHIFA, ZHIZHI]), ZHIZHI))
    assert rows(grouping, ANQUAN, ZHIFA, ZHIZHI) == [
        ("demo.anquan/1", "demo.zhifa/7", "demo.zhizhi/3")]


def test_splitting_a_second_group_of_a_key_splits_every_group_of_that_key(path: Path):
    second_anquan = task("demo.anquan", "2", day=20)
    second_zhifa = task("demo.zhifa", "8", day=21)
    grouping = Grouping(splits=SplitStore(path))
    groups = {g.key: g for g in grouping.group([ANQUAN, ZHIFA, second_anquan, second_zhifa])}
    assert sorted(groups) == [KEY, f"{KEY}#2"]
    assert grouping.split(groups[f"{KEY}#2"])
    assert SplitStore(path).keys() == {KEY}
    assert all(len(g.items) == 1 for g in grouping.group(
        [ANQUAN, ZHIFA, second_anquan, second_zhifa]))


def test_tasks_that_never_group_cannot_be_split(path: Path):
    loner = TaskItem(platform="demo.laji", id="5", title="督导", url="http://laji/5")
    grouping = Grouping(splits=SplitStore(path))
    [group] = grouping.group([loner])
    assert grouping.key(group) is None
    assert not grouping.can_split(group) and not grouping.is_split(group)
    assert grouping.split(group) is False and grouping.unsplit(group) is False
    assert not path.exists()
    # Without a store (a caller that keeps no splits) grouping works and splitting is a no-op.
    bare = Grouping()
    [shared] = bare.group([ANQUAN, ZHIFA])
    assert len(shared.items) == 2 and bare.split(shared) is False and not bare.is_split(shared)


@pytest.mark.parametrize(
    "damage",
    [
        b"{\"version\": 1, \"splits\": [",           # cut short by a crash of another program
        b"\xff\xfe not text",
        b"[\"safety|x|2026-11\"]",                   # the wrong shape
        b"{\"version\": 9, \"splits\": []}",         # a format this launcher does not know
        b"{\"version\": 1, \"splits\": [\"\", 3]}",
        b"",
    ],
)
def test_a_damaged_file_is_set_aside_with_a_warning_and_the_inbox_starts_unsplit(
    path: Path, damage: bytes, caplog: pytest.LogCaptureFixture
):
    path.parent.mkdir(parents=True)
    path.write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="launcher.core.inbox.splits"):
        store = SplitStore(path)
    assert store.keys() == frozenset()
    [aside] = path.parent.glob("splits.json.corrupt-*")
    assert aside.read_bytes() == damage  # kept for whoever wants to look
    assert not path.exists()
    assert "splits.json is unreadable" in caplog.text and aside.name in caplog.text
    # The store works on: the next split writes a good file.
    grouping = Grouping(splits=store)
    assert grouping.split(grouping.group([ANQUAN, ZHIFA])[0])
    assert SplitStore(path).keys() == {KEY}


def test_a_file_that_cannot_be_read_or_written_never_crashes_and_changes_nothing(
    path: Path, caplog: pytest.LogCaptureFixture
):
    path.mkdir(parents=True)  # a directory where the file should be: reading it fails
    with caplog.at_level(logging.WARNING, logger="launcher.core.inbox.splits"):
        store = SplitStore(path)
    assert store.keys() == frozenset() and "not read" in caplog.text
    grouping = Grouping(splits=store)
    [shared] = grouping.group([ANQUAN, ZHIFA])
    with pytest.raises(OSError):
        grouping.split(shared)
    assert store.keys() == frozenset() and len(grouping.group([ANQUAN, ZHIFA])) == 1
    assert sorted(p.name for p in path.parent.iterdir()) == ["splits.json"]  # no temporary file


def test_splits_from_many_threads_are_all_kept(path: Path):
    store = SplitStore(path)
    keys = [f"safety|户{n}|2026-11" for n in range(40)]
    threads = [threading.Thread(target=store.split, args=(k,)) for k in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.keys() == set(keys) == SplitStore(path).keys()


def test_clear_forgets_every_split_and_the_set_aside_copies(path: Path):
    path.parent.mkdir(parents=True)
    path.write_text("garbage", encoding="utf-8")
    store = SplitStore(path)
    store.split(KEY)
    assert path.exists() and list(path.parent.glob("splits.json.corrupt-*"))
    store.clear()
    assert store.keys() == frozenset() and list(path.parent.iterdir()) == []
    assert SplitStore(path).keys() == frozenset()
    store.clear()  # nothing there: still fine


# -- the county's services: rules from the manifests, splits in the data dir, gone at logout ----


@pytest.fixture
def services(demo_county: object, tmp_path: Path) -> Iterator[object]:
    from launcher.app.services import Services
    from tests.oidc.launcher_cli import county_copy

    # A county id of its own: its own data folder and keyring entries, apart from other tests'.
    opened = Services.open(county_copy(demo_county, "demo-splits", tmp_path))  # type: ignore[arg-type]
    yield opened
    opened.auth.wipe_local()
    opened.splits.clear()
    opened.close()


def test_the_services_group_by_the_manifests_and_forget_splits_at_logout(services: object):
    from launcher.app.services import Services
    from launcher_demo import sign_in
    from launcher_demo.platforms import SHARED_INSPECTIONS

    assert isinstance(services, Services)
    assert services.splits.path == services.data_dir / "splits.json"
    assert services.grouping.splits is services.splits
    assert services.grouping.rules["demo.zhifa"].period == "month"
    sign_in(services.auth)
    tasks = services.inbox.refresh().tasks
    shared = [g for g in services.grouping.group(tasks) if len(g.items) > 1]
    assert len(shared) == len(SHARED_INSPECTIONS)
    assert all(set(g.platforms) == {"demo.anquan", "demo.zhifa"} for g in shared)

    assert services.grouping.split(shared[0])
    assert len([g for g in services.grouping.group(tasks) if len(g.items) > 1]) == len(shared) - 1
    reopened = Services.open(services.county.path)
    try:
        assert reopened.splits.keys() == services.splits.keys() != frozenset()
    finally:
        reopened.close()

    services.logout()
    assert not services.splits.path.exists() and services.splits.keys() == frozenset()
