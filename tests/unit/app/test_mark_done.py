"""Mark done as a use case without Qt: each completable item completed in turn with its progress,
a refusal kept with its platform (the task stays), the others named for their own page, the inbox
afterwards, MarkedDone announced, one row at a time."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from launcher.api import TaskItem
from launcher.app.events import Events, MarkedDone
from launcher.app.mark_done import MarkDone, MarkDoneOutcome
from launcher.app.refresh import Inline
from launcher.core.errors import SourceError
from launcher.core.inbox.grouping import group_tasks

A, B, C = (TaskItem(platform=p, id="1", title="消防检查", url=f"http://{p}/1", form="safety",
                    subject="张记小吃店") for p in ("demo.a", "demo.b", "demo.c"))


@dataclass
class FakeInbox:
    tasks: list[TaskItem]
    refuse: set[str] = field(default_factory=set)
    completed: list[str] = field(default_factory=list)

    def complete(self, platform: str, task_id: str) -> None:
        if platform in self.refuse:
            raise SourceError("the platform said no", "platform")
        self.completed.append(platform)
        self.tasks = [t for t in self.tasks if t.platform != platform]

    def cached(self) -> Any:
        return type("Cached", (), {"tasks": list(self.tasks)})()


@dataclass
class FakeServices:
    inbox: FakeInbox


class Held:
    """Keeps the submitted work and the posted reports until the test runs them."""

    def __init__(self) -> None:
        self.jobs: list[Any] = []
        self.posted: list[Any] = []

    def submit(self, name: str, fn: Any, on_returned: Any = None, on_errored: Any = None) -> None:
        self.jobs.append((fn, on_returned))

    def post(self, fn: Any) -> None:
        self.posted.append(fn)


def test_each_platform_in_turn_refusals_kept_others_named_and_announced() -> None:
    services = FakeServices(FakeInbox([A, B, C], refuse={"demo.b"}))
    events = Events()
    seen: list[MarkedDone] = []
    events.subscribe(MarkedDone, seen.append)
    [row] = group_tasks([A, B, C])
    steps: list[tuple[str, int, int]] = []
    outcomes: list[Any] = []
    marking = MarkDone(Inline(), events)
    assert marking.run(services, row, {"demo.a", "demo.b"}, group_tasks,  # type: ignore[arg-type]
                       on_step=lambda i, n, t: steps.append((i.platform, n, t)),
                       on_done=outcomes.append, on_failed=outcomes.append)
    assert isinstance(outcomes[0], MarkDoneOutcome)
    assert steps == [("demo.a", 1, 2), ("demo.b", 2, 2)]
    [outcome] = outcomes
    assert outcome.done == [A]
    assert [(i, e.reason) for i, e in outcome.failed] == [(B, "platform")]
    assert outcome.elsewhere == [C]
    assert outcome.tasks == [B, C]
    assert [sorted(i.key for i in g.items) for g in outcome.groups] == [[B.key, C.key]]
    assert seen == [MarkedDone(outcome)]
    assert not marking.running


def test_nothing_completable_or_one_running_starts_nothing() -> None:
    services: Any = FakeServices(FakeInbox([A, B]))
    executor = Held()
    marking = MarkDone(executor)
    [row_a, row_b] = (group_tasks([t])[0] for t in (A, B))
    said: list[Any] = []
    assert not marking.run(services, row_a, {"demo.b"}, group_tasks, on_step=lambda *a: said.append(a),
                           on_done=said.append, on_failed=said.append)
    assert executor.jobs == [] and said == []
    assert marking.run(services, row_a, {"demo.a"}, group_tasks,
                       on_step=lambda *a: said.append("step"), on_done=said.append,
                       on_failed=said.append)
    assert marking.running
    assert not marking.run(services, row_b, {"demo.b"}, group_tasks, on_step=lambda *a: said.append(a),
                           on_done=said.append, on_failed=said.append)
    fn, returned = executor.jobs.pop()
    outcome = fn()
    # A step's report comes on the answer thread (posted), not from the work itself.
    assert len(executor.posted) == 1 and said == []
    executor.posted[0]()
    returned(outcome)
    assert said == ["step", outcome] and not marking.running
    assert services.inbox.completed == ["demo.a"]


def test_an_unexpected_failure_is_reported_and_frees_the_next_row() -> None:
    class Broken(FakeInbox):
        def cached(self) -> Any:
            raise RuntimeError("cache gone")

    services: Any = FakeServices(Broken([A]))
    failed: list[Any] = []
    marking = MarkDone(Inline())
    marking.run(services, group_tasks([A])[0], {"demo.a"}, group_tasks,
                on_step=lambda *a: None, on_done=failed.append, on_failed=failed.append)
    assert [str(e) for e in failed] == ["cache gone"]
    assert not marking.running
