"""The start snapshot's document (launcher/core/inbox/snapshot.py): what the inbox showed comes
back as the same task groups, and anything but a whole, well-formed document is refused with a
ValueError (never another exception, never a half-made snapshot)."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta, timezone

import pytest

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox import snapshot
from launcher.core.inbox.limits import MAX_TITLE_CHARS
from launcher.ui.inbox_index import prepare_groups, prepared_as_before

CHINA = timezone(timedelta(hours=8))
DUE = datetime(2026, 12, 8, 17, 30, 15, 123456, tzinfo=CHINA)


def groups() -> list[TaskGroup]:
    one = TaskItem("demo.anquan", "a-1", "安全排查：城南社区王某户", "http://127.0.0.1:9/a/1",
                   due=DUE, form="inspection", subject="城南社区王某户", period="2026-12",
                   priority=1, updated=DUE - timedelta(days=1))
    same = TaskItem("demo.zhifa", "z-9", "执法检查：城南社区王某户", "http://127.0.0.1:9/z/9",
                    due=DUE + timedelta(hours=2), form="inspection", subject="城南社区王某户",
                    period="2026-12")
    bare = TaskItem("demo.minzheng", "m/3", "低保复核 <b>not html</b>", "http://127.0.0.1:9/m/3",
                    status="in_progress")
    utc = TaskItem("demo.anquan", "a-2", "Report", "http://127.0.0.1:9/a/2",
                   due=datetime(2026, 12, 1, tzinfo=UTC), status="done", priority=-3)
    # Columns of few distinct values are written as those values and a number per task.
    more = [TaskItem("demo.anquan", f"r-{n}", f"日报 {n}", f"http://127.0.0.1:9/r/{n}",
                     due=DUE - timedelta(days=400 * 365) if n == 0 else None) for n in range(6)]
    return [TaskGroup("inspection|城南社区王某户|2026-12", (one, same)),
            TaskGroup(bare.key, (bare,)), TaskGroup(utc.key, (utc,)),
            *(TaskGroup(m.key, (m,)) for m in more)]


def document(shown: list[TaskGroup] | None = None) -> bytes:
    prepared = prepare_groups(groups() if shown is None else shown)
    return snapshot.encode(
        prepared, prepared.order,
        platforms=[("demo.anquan", "安全生产", "Safety"), ("demo.zhifa", "执法", "Enforcement")],
        forms={"inspection": "检查记录"}, person="张伟", county={"path": "/c.toml", "size": 3},
    )


def test_the_groups_come_back_as_they_were_shown() -> None:
    body = document()
    assert isinstance(json.loads(body)["tasks"]["status"], dict)  # the short form is read too
    back = snapshot.decode(body)
    prepared = prepare_groups(groups())
    assert back.groups == groups()
    # Every moment back to the microsecond, with its UTC offset.
    assert [[(i.due, i.updated, i.due and i.due.utcoffset()) for i in g.items]
            for g in back.groups] == [[(i.due, i.updated, i.due and i.due.utcoffset())
                                       for i in g.items] for g in groups()]
    assert back.order == prepared.order
    assert back.platforms == [("demo.anquan", "安全生产", "Safety"),
                              ("demo.zhifa", "执法", "Enforcement")]
    assert back.forms == {"inspection": "检查记录"} and back.person == "张伟"
    assert back.county == {"path": "/c.toml", "size": 3}
    # The inbox's own preparation of them, without sorting again (the search texts are made
    # when first searched in).
    again = prepared_as_before(back.groups, back.order)
    for name in ("firsts", "dues", "closed", "platforms", "keys", "order", "haystacks"):
        assert getattr(again, name) == getattr(prepared, name), name


def test_an_empty_inbox_and_one_task_groups_come_back() -> None:
    assert snapshot.decode(document([])).groups == []
    single = [TaskGroup(g.items[0].key, (g.items[0],)) for g in groups()]
    assert snapshot.decode(document(single)).groups == single


def test_tasks_are_made_as_their_class_makes_them() -> None:
    """The quick way of making the tasks gives what TaskItem(...) gives; a class whose __init__
    does more than set its fields is made the usual way."""
    @dataclass(frozen=True, slots=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            if self.value < 0:
                raise ValueError("negative")

    with pytest.raises(ValueError, match="negative"):
        snapshot._made(Checked, 2, [[1, -1]])
    made = snapshot._made(TaskItem, 1, [[getattr(groups()[1].items[0], f.name)]
                                        for f in fields(TaskItem)])
    assert made == [groups()[1].items[0]] and hash(made[0]) == hash(groups()[1].items[0])


def mutate(body: bytes, change: str) -> bytes:
    data = json.loads(body)
    tasks, shown = data["tasks"], data["groups"]
    if change == "title not text":
        tasks["title"][0] = 7
    elif change == "title too long":
        tasks["title"][0] = "长" * (MAX_TITLE_CHARS + 1)
    elif change == "a column short":
        tasks["url"].pop()
    elif change == "a column missing":
        del tasks["period"]
    elif change == "a moment without its offset":
        tasks["due"][0] = "2026-12-08T17:30:00"
    elif change == "a moment a number":
        tasks["due"][0] = 1.5
    elif change == "not a moment":
        tasks["updated"][0] = "tomorrow"
    elif change == "a code past its values":
        tasks["status"]["codes"][0] = 9
    elif change == "a code not a number":
        tasks["status"]["codes"][0] = "0"
    elif change == "values not a list":
        tasks["status"]["values"] = "open"
    elif change == "priority not a number":
        tasks["priority"][0] = "1"
    elif change == "priority a flag":
        tasks["priority"][0] = True
    elif change == "sizes do not add up":
        shown["size"][0] = 1
    elif change == "a size of nothing":
        shown["size"] = [0, 2, 2]
    elif change == "order repeats a group":
        shown["order"] = [0, 0, 1]
    elif change == "order out of range":
        shown["order"] = [0, 1, 7]
    elif change == "another format":
        data["format"] = 99
    elif change == "person missing":
        del data["person"]
    elif change == "platform of two names":
        data["platforms"][0] = ["demo.anquan", "安全生产"]
    elif change == "form names a list":
        data["forms"] = ["inspection"]
    elif change == "a key not text":
        shown["key"][1] = None
    elif change == "nested too deep":
        return b"[" * 100_000 + b"]" * 100_000
    elif change == "not json":
        return b"\xff\xfe not json"
    elif change == "a list, not a table":
        return b"[]"
    return json.dumps(data, ensure_ascii=False).encode()


CHANGES = [
    "title not text", "title too long", "a column short", "a column missing",
    "a moment without its offset", "a moment a number", "a code past its values", "a code not a number",
    "values not a list",
    "not a moment", "priority not a number", "priority a flag", "sizes do not add up",
    "a size of nothing", "order repeats a group", "order out of range", "another format",
    "person missing", "platform of two names", "form names a list", "a key not text",
    "nested too deep", "not json", "a list, not a table",
]


@pytest.mark.parametrize("change", CHANGES)
def test_a_damaged_document_is_refused(change: str) -> None:
    with pytest.raises(ValueError, match="snapshot"):
        snapshot.decode(mutate(document(), change))


def test_fuzzed_documents_are_refused_or_read_never_crash() -> None:
    """Bytes flipped, cut and repeated at random: decode answers a snapshot or a ValueError."""
    body = document()
    chance = random.Random(16)
    for _ in range(600):
        data = bytearray(body)
        kind = chance.randrange(3)
        if kind == 0:
            for _ in range(chance.randint(1, 8)):
                data[chance.randrange(len(data))] = chance.randrange(256)
        elif kind == 1:
            del data[chance.randrange(len(data)):]
        else:
            at = chance.randrange(len(data))
            data[at:at] = data[chance.randrange(len(data)):][:40]
        try:
            back = snapshot.decode(bytes(data))
        except ValueError:
            continue
        assert all(isinstance(g, TaskGroup) and g.items for g in back.groups)
        assert sorted(back.order) == list(range(len(back.groups)))
