"""Split and merge as a use case without Qt: the rows afterwards, the split kept in the store, the
Regrouped event, and a store that cannot be written reported, nothing announced."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from launcher.api import TaskItem
from launcher.app.events import Events, Regrouped
from launcher.app.refresh import Inline
from launcher.app.regroup import Regroup
from launcher.core.inbox.grouping import Grouping
from launcher.core.inbox.splits import SplitStore

CST = timezone(timedelta(hours=8))


def task(platform: str, task_id: str) -> TaskItem:
    return TaskItem(platform=platform, id=task_id, title=f"消防检查 {task_id}",
                    url=f"http://{platform}/t/{task_id}", due=datetime(2026, 11, 10, tzinfo=CST),
                    form="safety", subject="张记小吃店")


TASKS = [task("demo.anquan", "1"), task("demo.zhifa", "7")]


def rows(groups: Any) -> list[tuple[str, ...]]:
    return sorted(tuple(sorted(i.key for i in g.items)) for g in groups)


def test_a_split_row_then_merged_again(tmp_path: Path) -> None:
    grouping = Grouping(splits=SplitStore(tmp_path / "splits.json"))
    events = Events()
    seen: list[Regrouped] = []
    events.subscribe(Regrouped, seen.append)
    answers: list[Any] = []
    regroup = Regroup(grouping, Inline(), events)
    [row] = grouping.group(TASKS)

    regroup.run(row, TASKS, split=True, on_done=answers.append, on_failed=answers.append)
    assert rows(answers[-1]) == [("demo.anquan/1",), ("demo.zhifa/7",)]
    assert Grouping(splits=SplitStore(tmp_path / "splits.json")).is_split(answers[-1][0])
    regroup.run(answers[-1][0], TASKS, split=False, on_done=answers.append,
                on_failed=answers.append)
    assert rows(answers[-1]) == [("demo.anquan/1", "demo.zhifa/7")]
    assert seen == [Regrouped(("demo.anquan/1", "demo.zhifa/7"), True),
                    Regrouped(("demo.anquan/1",), False)]


def test_a_split_that_cannot_be_saved_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    grouping = Grouping(splits=SplitStore(blocker / "splits.json"))  # under a file: no folder
    events = Events()
    seen: list[Regrouped] = []
    events.subscribe(Regrouped, seen.append)
    done: list[Any] = []
    failed: list[BaseException] = []
    [row] = grouping.group(TASKS)
    Regroup(grouping, Inline(), events).run(row, TASKS, split=True, on_done=done.append,
                                            on_failed=failed.append)
    assert done == [] and seen == []
    assert isinstance(failed[0], OSError)
