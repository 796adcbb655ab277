"""The refresh use case without Qt: one refresh at a time with the asks made meanwhile merged and
run after it, partial results while platforms answer, answers of an abandoned refresh dropped, the
platforms not asked keeping their tasks, and the notices after a refresh."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from launcher.api import TaskItem
from launcher.app.events import (
    Event,
    Events,
    RefreshAbandoned,
    Refreshed,
    RefreshFailed,
    RefreshStarted,
)
from launcher.app.refresh import (
    Inline,
    Refresh,
    merge_asks,
    needs_sign_in,
    signed_out_platforms,
)
from launcher.app.workspace import Workspace, WorkspaceChanged
from launcher.core.auth.session import UserInfo
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.grouping import Grouping
from launcher.core.inbox.service import REFRESHING, PlatformState, RefreshResult

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def _task(platform: str, task_id: str, title: str = "") -> TaskItem:
    return TaskItem(platform=platform, id=task_id, title=title or task_id,
                    url=f"http://127.0.0.1/{platform}/{task_id}", due=NOW + timedelta(days=1))


def _state(platform: str, state: Any = "current", *, reason: Any = None,
           message: str = "") -> PlatformState:
    # Plain words: the states' vocabulary compares equal to them.
    return PlatformState(platform, state, reason, message, NOW, 1)


class FakeInbox:
    """Two platforms' tasks; a refresh replaces only the platforms asked (as Inbox.refresh does:
    the others come from the cache) and may report progress first."""

    def __init__(self) -> None:
        self.tasks = {"a": [_task("a", "1")], "b": [_task("b", "1")]}
        self.asked: list[list[str] | None] = []
        self.fresh: dict[str, list[TaskItem]] = {}
        self.partial_with: list[str] = []
        """Platforms that answer first: a progress report names the others as still waiting."""
        self.fail: Exception | None = None

    def refresh(self, ids: list[str] | None, *,
                on_progress: Callable[[RefreshResult], None] | None = None) -> RefreshResult:
        self.asked.append(ids)
        if self.fail is not None:
            raise self.fail
        wanted = ids if ids is not None else sorted(self.tasks)
        if on_progress is not None and self.partial_with:
            states = {p: _state(p) if p in self.partial_with else
                      _state(p, REFRESHING, message=REFRESHING) for p in self.tasks}
            tasks = [t for p in sorted(self.tasks)
                     for t in (self.fresh.get(p, self.tasks[p]) if p in self.partial_with
                               else self.tasks[p])]
            on_progress(RefreshResult(tasks, states))
        for platform in wanted:
            self.tasks[platform] = self.fresh.get(platform, self.tasks[platform])
        states = {p: _state(p) if p in wanted else _state(p, "stale") for p in self.tasks}
        return RefreshResult([t for p in sorted(self.tasks) for t in self.tasks[p]], states)


@dataclass
class FakeUser:
    sub: str


@dataclass
class FakeAuth:
    user: FakeUser | None


@dataclass
class FakeServices:
    inbox: FakeInbox
    cache: TaskCache
    auth: FakeAuth
    grouping: Grouping = field(default_factory=lambda: Grouping({}, None))
    forgotten: int = 0

    def forget_work(self) -> None:
        self.forgotten += 1


class View:
    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def refresh_started(self) -> None:
        self.calls.append(("started", None))

    def refresh_partial(self, result: RefreshResult, groups: Any, waiting: int) -> None:
        self.calls.append(("partial", (sorted(t.key for t in result.tasks), waiting)))

    def refresh_done(self, result: RefreshResult, groups: Any) -> None:
        self.calls.append(("done", sorted(t.key for t in result.tasks)))

    def refresh_failed(self, exc: BaseException) -> None:
        self.calls.append(("failed", str(exc)))

    def refresh_dropped(self) -> None:
        self.calls.append(("dropped", None))

    def show_notices(self, notices: list[Any]) -> None:
        self.calls.append(("notices", len(notices)))

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.calls]


class Manual:
    """An executor whose jobs wait until the test runs them: the work first (what it posts is
    kept), then its answer, as worker threads and queued signals deliver them."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, Callable[[], Any], Any, Any]] = []
        self.posted: list[Callable[[], None]] = []

    def submit(self, name: str, fn: Callable[[], Any], on_returned: Any = None,
               on_errored: Any = None) -> None:
        self.jobs.append((name, fn, on_returned, on_errored))

    def post(self, fn: Callable[[], None]) -> None:
        self.posted.append(fn)

    def work(self, name: str = "refresh inbox") -> Callable[[], None]:
        """Run the first waiting job called ``name``; returns the delivery of its answer."""
        index = next(i for i, job in enumerate(self.jobs) if job[0] == name)
        _name, fn, on_returned, on_errored = self.jobs.pop(index)
        try:
            value = fn()
        except Exception as exc:
            error = exc
            return lambda: on_errored(error) if on_errored else None
        return lambda: on_returned(value) if on_returned else None

    def deliver_posted(self) -> None:
        posted, self.posted = self.posted, []
        for fn in posted:
            fn()

    def names(self) -> list[str]:
        return [job[0] for job in self.jobs]


@pytest.fixture
def services(tmp_path: Any) -> Iterator[FakeServices]:
    cache = TaskCache(tmp_path / "tasks.db")
    yield FakeServices(FakeInbox(), cache, FakeAuth(FakeUser("zhangwei")))
    cache.close()


def _refresh(services: FakeServices, executor: Any, view: View, events: Events | None = None,
             signed_in: list[str | None] | None = None) -> Refresh:
    who = signed_in if signed_in is not None else ["zhangwei"]
    return Refresh(services, executor, events or Events(), view,  # type: ignore[arg-type]
                   current_sub=lambda: who[0], now=lambda: NOW)


def test_inline_refresh_shows_the_result_publishes_it_and_works_out_the_notices(
    services: FakeServices,
) -> None:
    view, events = View(), Events()
    published: list[Refreshed] = []
    events.subscribe(Refreshed, published.append)
    refresh = _refresh(services, Inline(), view, events)
    assert refresh.refresh() is True
    assert view.kinds() == ["started", "done", "notices"]
    assert view.calls[1] == ("done", ["a/1", "b/1"])
    assert [(e.partial, sorted(e.result.states)) for e in published] == [(False, ["a", "b"])]
    assert not refresh.running
    assert services.inbox.asked == [None]


def test_nobody_signed_in_refreshes_nothing(services: FakeServices) -> None:
    view, executor = View(), Manual()
    refresh = _refresh(services, executor, view, signed_in=[None])
    assert refresh.refresh() is False
    assert executor.jobs == [] and view.calls == []


def test_asks_while_one_runs_merge_and_run_once_after_it(services: FakeServices) -> None:
    view, executor = View(), Manual()
    refresh = _refresh(services, executor, view)
    assert refresh.refresh() is True
    assert refresh.refresh(["b"]) is False
    assert refresh.refresh(["a"]) is False
    assert refresh.refresh(["b"]) is False
    assert refresh.queued == ["a", "b"]
    assert executor.names() == ["refresh inbox"]  # one at a time
    executor.work()()
    # The first ended: the queued one runs, once, with both platforms.
    assert refresh.running and refresh.queued is None
    executor.work()()
    assert services.inbox.asked == [None, ["a", "b"]]
    assert view.kinds().count("done") == 2
    assert executor.names() == ["inbox notices", "inbox notices"]


def test_an_ask_for_every_platform_wins_over_lists(services: FakeServices) -> None:
    view, executor = View(), Manual()
    refresh = _refresh(services, executor, view)
    refresh.refresh(["a"])
    refresh.refresh(["b"])
    refresh.refresh()
    refresh.refresh(["a"])
    assert refresh.queued == []
    executor.work()()
    executor.work()()
    assert services.inbox.asked == [["a"], None]
    assert merge_asks(None, ["b", "a"]) == ["a", "b"]
    assert merge_asks(["a"], None) == []
    assert merge_asks([], ["a"]) == []
    assert merge_asks(["c"], ["a", "c"]) == ["a", "c"]


def test_a_refresh_of_some_platforms_keeps_the_others_tasks(services: FakeServices) -> None:
    view = View()
    services.inbox.fresh = {"a": [_task("a", "2")], "b": [_task("b", "9")]}
    _refresh(services, Inline(), view).refresh(["a"])
    # Only a was asked: its new task replaces the old one; b's task stays as it was.
    assert ("done", ["a/2", "b/1"]) in view.calls
    assert services.inbox.asked == [["a"]]


def test_platforms_appear_as_they_answer(services: FakeServices) -> None:
    view, executor, events = View(), Manual(), Events()
    published: list[Refreshed] = []
    events.subscribe(Refreshed, published.append)
    services.inbox.partial_with = ["a"]
    services.inbox.fresh = {"a": [_task("a", "2")]}
    refresh = _refresh(services, executor, view, events)
    refresh.refresh()
    answer = executor.work()
    executor.deliver_posted()  # the progress report comes before the answer
    assert view.calls[-1] == ("partial", (["a/2", "b/1"], 1))
    assert [e.partial for e in published] == [True]
    answer()
    assert view.kinds() == ["started", "partial", "done"]
    assert [e.partial for e in published] == [True, False]


def test_a_progress_report_arriving_after_its_refresh_ended_is_dropped(
    services: FakeServices,
) -> None:
    view, executor = View(), Manual()
    services.inbox.partial_with = ["a"]
    refresh = _refresh(services, executor, view)
    refresh.refresh()
    answer = executor.work()
    answer()  # the answer overtook the report
    executor.deliver_posted()
    assert view.kinds() == ["started", "done"]


def test_a_progress_report_of_an_older_refresh_is_dropped(services: FakeServices) -> None:
    view, executor = View(), Manual()
    services.inbox.partial_with = ["a"]
    refresh = _refresh(services, executor, view)
    refresh.refresh()
    refresh.refresh()  # queued
    first = executor.work()
    old_reports = executor.posted
    executor.posted = []
    first()  # the second refresh starts: a new generation
    assert refresh.running
    for report in old_reports:
        report()
    assert view.kinds() == ["started", "done", "started"]
    executor.work()
    executor.deliver_posted()  # the current refresh's own report is shown
    assert view.kinds()[-1] == "partial"


def test_a_refresh_ending_after_sign_out_shows_nothing_and_forgets_the_queue(
    services: FakeServices,
) -> None:
    view, executor, events = View(), Manual(), Events()
    published: list[Refreshed] = []
    events.subscribe(Refreshed, published.append)
    signed_in: list[str | None] = ["zhangwei"]
    services.inbox.partial_with = ["a"]
    refresh = _refresh(services, executor, view, events, signed_in)
    refresh.refresh()
    refresh.refresh(["a"])
    answer = executor.work()
    signed_in[0] = None
    executor.deliver_posted()
    answer()
    assert view.kinds() == ["started", "dropped"]
    assert published == []
    assert refresh.queued is None and not refresh.running
    assert executor.jobs == []


def test_a_failed_refresh_is_reported_and_the_queued_one_still_runs(
    services: FakeServices,
) -> None:
    view, executor = View(), Manual()
    refresh = _refresh(services, executor, view)
    services.inbox.fail = RuntimeError("no network")
    refresh.refresh()
    refresh.refresh(["b"])
    answer = executor.work()
    services.inbox.fail = None
    answer()
    assert view.calls[1] == ("failed", "no network")
    assert refresh.running
    executor.work()()
    assert services.inbox.asked == [None, ["b"]]
    assert view.kinds()[-1] == "done"


def test_forget_cache_drops_the_previous_persons_work_before_asking(
    services: FakeServices,
) -> None:
    view = View()
    _refresh(services, Inline(), view).refresh(forget_cache=True)
    assert services.forgotten == 1
    assert view.kinds() == ["started", "done", "notices"]


def test_notices_are_dropped_when_the_person_changed_meanwhile(services: FakeServices) -> None:
    view, executor = View(), Manual()
    signed_in: list[str | None] = ["zhangwei"]
    refresh = _refresh(services, executor, view, signed_in=signed_in)
    refresh.refresh()
    executor.work()()
    notices = executor.work("inbox notices")
    signed_in[0] = "lina"
    notices()
    assert "notices" not in view.kinds()


def test_which_platforms_need_a_new_sign_in() -> None:
    assert needs_sign_in(_state("a", "signed-out"))
    assert needs_sign_in(_state("a", "failed", reason="signed-out"))
    assert not needs_sign_in(_state("a", "failed", reason="network"))
    assert not needs_sign_in(_state("a", "stale"))
    result = RefreshResult([], {"a": _state("a", "failed", reason="signed-out"),
                                "b": _state("b")})
    assert signed_out_platforms(result) == ["a"]


def test_the_command_lines_refresh_is_the_same_use_case_at_once_without_notices(
    services: FakeServices,
) -> None:
    from launcher.app.refresh import refresh_now

    events = Events()
    published: list[Refreshed] = []
    events.subscribe(Refreshed, published.append)
    services.events = events  # type: ignore[attr-defined]
    services.inbox.fresh = {"a": [_task("a", "2")]}
    result, groups = refresh_now(services, ["a"])  # type: ignore[arg-type]
    assert sorted(t.key for t in result.tasks) == ["a/2", "b/1"]
    assert sorted(i.key for g in groups for i in g.items) == ["a/2", "b/1"]
    assert [e.result for e in published] == [result]
    assert services.cache.notified() == {}  # nothing remembered as told: the window tells it
    services.inbox.fail = RuntimeError("no network")
    with pytest.raises(RuntimeError, match="no network"):
        refresh_now(services)  # type: ignore[arg-type]
    services.auth.user = None
    with pytest.raises(LookupError):
        refresh_now(services)  # type: ignore[arg-type]


# -- the workspace follows every start and every end (launcher/app/workspace.py) -------------


def _followed(services: FakeServices, executor: Any, signed_in: list[str | None] | None = None,
              ) -> tuple[Refresh, Workspace, list[Event]]:
    events = Events()
    workspace = Workspace(events)
    workspace.signed_in(UserInfo(sub="zhangwei", name="张伟", username="zhangwei"))
    seen: list[Event] = []
    events.subscribe(Event, lambda e: seen.append(e) if not isinstance(e, WorkspaceChanged)
                     else None)
    return _refresh(services, executor, View(), events, signed_in), workspace, seen


def test_refreshing_during_a_refresh_and_not_after_it(services: FakeServices) -> None:
    executor = Manual()
    services.inbox.partial_with = ["a"]
    refresh, workspace, seen = _followed(services, executor)
    refresh.refresh(["a", "b"])
    assert workspace.refreshing and workspace.state.refreshing_ids == ("a", "b")
    answer = executor.work()
    executor.deliver_posted()
    assert workspace.refreshing
    assert workspace.state.platforms["a"].state == "current"
    assert workspace.state.platforms["b"].state == REFRESHING
    answer()
    assert not workspace.refreshing and workspace.state.refreshing_ids is None
    assert {p: s.state for p, s in workspace.state.platforms.items()} == {
        "a": "current", "b": "current"}
    assert [type(e) for e in seen] == [RefreshStarted, Refreshed, Refreshed]
    assert seen[0] == RefreshStarted(("a", "b"))


def test_refreshing_ends_when_the_source_raises(services: FakeServices) -> None:
    executor = Manual()
    refresh, workspace, seen = _followed(services, executor)
    services.inbox.fail = RuntimeError("no network")
    refresh.refresh()
    assert workspace.refreshing and workspace.state.refreshing_ids is None
    executor.work()()
    assert not workspace.refreshing and not refresh.running
    assert [type(e) for e in seen] == [RefreshStarted, RefreshFailed]
    assert str(cast(RefreshFailed, seen[1]).error) == "no network"


def test_refreshing_ends_when_the_person_signs_out_meanwhile(services: FakeServices) -> None:
    executor = Manual()
    signed_in: list[str | None] = ["zhangwei"]
    refresh, workspace, seen = _followed(services, executor, signed_in)
    refresh.refresh()
    refresh.refresh(["a"])  # queued, forgotten at the sign-out
    answer = executor.work()
    signed_in[0] = None
    workspace.signed_out()
    assert not workspace.refreshing
    answer()
    assert not workspace.refreshing and workspace.state.platforms == {}
    assert [type(e) for e in seen] == [RefreshStarted, RefreshAbandoned]


def test_a_queued_refresh_is_refreshing_again_when_it_starts(services: FakeServices) -> None:
    executor = Manual()
    refresh, workspace, seen = _followed(services, executor)
    starts: list[tuple[bool, tuple[str, ...] | None]] = []
    refresh.refresh()
    refresh.refresh(["b"])
    services.inbox.fail = RuntimeError("no network")
    first = executor.work()
    services.inbox.fail = None
    first()  # the first failed; the queued one starts
    starts.append((workspace.refreshing, workspace.state.refreshing_ids))
    executor.work()()
    starts.append((workspace.refreshing, workspace.state.refreshing_ids))
    assert starts == [(True, ("b",)), (False, None)]
    assert [type(e) for e in seen] == [RefreshStarted, RefreshFailed, RefreshStarted, Refreshed]


def test_refreshing_ends_when_the_work_cannot_be_handed_over(services: FakeServices) -> None:
    class Refusing(Manual):
        def submit(self, *args: Any, **kwargs: Any) -> None:
            raise RuntimeError("the workers are shut down")

    refresh, workspace, seen = _followed(services, Refusing())
    with pytest.raises(RuntimeError, match="shut down"):
        refresh.refresh()
    assert not workspace.refreshing and not refresh.running
    assert [type(e) for e in seen] == [RefreshStarted, RefreshFailed]


def test_the_inline_refresh_ends_refreshing_on_every_ending(services: FakeServices) -> None:
    refresh, workspace, seen = _followed(services, Inline())
    refresh.refresh()
    assert not workspace.refreshing
    services.inbox.fail = RuntimeError("no network")
    refresh.refresh()
    assert not workspace.refreshing
    services.inbox.fail = None
    services.inbox.partial_with = ["a"]
    refresh.refresh(["a"])
    assert not workspace.refreshing
    kinds = [type(e).__name__ + ("(partial)" if getattr(e, "partial", False) else "")
             for e in seen]
    assert kinds == ["RefreshStarted", "Refreshed", "RefreshStarted", "RefreshFailed",
                     "RefreshStarted", "Refreshed(partial)", "Refreshed"]


def test_a_refresh_ending_after_another_person_signed_in_is_dropped_and_theirs_runs(
    services: FakeServices,
) -> None:
    executor = Manual()
    signed_in: list[str | None] = ["zhangwei"]
    services.inbox.partial_with = ["a"]
    refresh, workspace, seen = _followed(services, executor, signed_in)
    refresh.refresh()
    answer = executor.work()
    workspace.signed_out()
    signed_in[0] = "lina"  # another person signed in while zhang's refresh ran
    workspace.signed_in(UserInfo(sub="lina", name="李娜", username="lina"))
    assert refresh.refresh(forget_cache=True) is False  # lina's: queued behind zhang's
    executor.deliver_posted()  # zhang's progress: not shown to lina
    answer()
    assert [type(e) for e in seen] == [RefreshStarted, RefreshAbandoned, RefreshStarted]
    assert workspace.refreshing and workspace.state.platforms == {}
    executor.work()()
    assert services.forgotten == 1  # lina's refresh dropped the cached work first
    assert not workspace.refreshing and sorted(workspace.state.platforms) == ["a", "b"]
    assert [type(e) for e in seen][-1] is Refreshed
