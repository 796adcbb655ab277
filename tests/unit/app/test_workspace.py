"""The observable workspace (launcher/app/workspace.py): who is signed in, each platform's state
from the refresh use case's events, refreshing or not (and for which platforms) until a refresh
ends in any way; each change announced once, in order, from any thread."""

from __future__ import annotations

import itertools
import threading
from types import SimpleNamespace

from launcher.app.events import (
    Events,
    RefreshAbandoned,
    Refreshed,
    RefreshFailed,
    RefreshStarted,
)
from launcher.app.workspace import Workspace, WorkspaceChanged
from launcher.core.auth.session import UserInfo

ZHANG = UserInfo(sub="zhangwei-sub", name="张伟", username="zhangwei")


def test_the_workspace_follows_the_sign_in_and_the_refreshes() -> None:
    events = Events()
    workspace = Workspace(events)
    changes: list[WorkspaceChanged] = []
    events.subscribe(WorkspaceChanged, changes.append)

    events.publish(Refreshed(SimpleNamespace(states={"demo.anquan": "current"})))
    assert _platforms(workspace) == {} and changes == []  # nobody signed in: not theirs

    workspace.signed_in(ZHANG)
    workspace.signed_in(ZHANG)  # no change, no announcement
    assert [c.state.user for c in changes] == [ZHANG]

    events.publish(Refreshed(SimpleNamespace(states={"demo.anquan": "refreshing"}), partial=True))
    assert workspace.state.refreshing and _platforms(workspace) == {"demo.anquan": "refreshing"}
    events.publish(Refreshed(SimpleNamespace(states={"demo.anquan": "current"})))
    assert not workspace.state.refreshing
    assert _platforms(workspace) == {"demo.anquan": "current"}

    workspace.signed_out()
    assert workspace.user is None and _platforms(workspace) == {}
    assert changes[-1].state == workspace.state


LINA = UserInfo(sub="lina-sub", name="李娜", username="lina")


def _watched() -> tuple[Events, Workspace, list[WorkspaceChanged]]:
    events = Events()
    workspace = Workspace(events)
    changes: list[WorkspaceChanged] = []
    events.subscribe(WorkspaceChanged, changes.append)
    return events, workspace, changes


def _platforms(workspace: Workspace) -> dict[str, object]:
    """Each platform's state (plain words in these tests)."""
    return dict(workspace.state.platforms)


def _result(**states: str) -> SimpleNamespace:
    return SimpleNamespace(states=states)


def test_who_is_signed_in_after_sign_in_switch_and_sign_out() -> None:
    _events, workspace, changes = _watched()
    assert workspace.user is None
    workspace.signed_in(ZHANG)
    assert workspace.user == ZHANG
    workspace.signed_in(LINA)  # another person: a switch
    assert workspace.user == LINA
    assert changes[-1].previous is not None and changes[-1].previous.user == ZHANG
    assert changes[-1].changed == {"user"}
    workspace.signed_out()
    assert workspace.user is None
    assert [c.state.user for c in changes] == [ZHANG, LINA, None]


def test_refreshing_from_start_through_partial_to_the_end() -> None:
    events, workspace, changes = _watched()
    workspace.signed_in(ZHANG)
    events.publish(RefreshStarted(("a", "b")))
    assert workspace.refreshing and workspace.state.refreshing_ids == ("a", "b")
    assert changes[-1].changed == {"refreshing", "refreshing_ids"}
    events.publish(Refreshed(_result(a="current", b="refreshing"), partial=True))
    assert workspace.refreshing and workspace.state.refreshing_ids == ("a", "b")
    assert _platforms(workspace) == {"a": "current", "b": "refreshing"}
    assert changes[-1].changed == {"platforms"}
    events.publish(Refreshed(_result(a="current", b="failed")))
    assert not workspace.refreshing and workspace.state.refreshing_ids is None
    assert _platforms(workspace) == {"a": "current", "b": "failed"}
    assert changes[-1].changed == {"platforms", "refreshing", "refreshing_ids"}


def test_a_refresh_of_every_platform_names_none() -> None:
    events, workspace, _changes = _watched()
    events.publish(RefreshStarted(None))
    assert workspace.refreshing and workspace.state.refreshing_ids is None
    events.publish(RefreshStarted(("a",)))  # the queued one started after the first ended
    assert workspace.state.refreshing_ids == ("a",)


def test_a_failed_refresh_ends_refreshing_and_keeps_each_platforms_state() -> None:
    events, workspace, _changes = _watched()
    workspace.signed_in(ZHANG)
    events.publish(Refreshed(_result(a="current")))
    events.publish(RefreshStarted(None))
    events.publish(RefreshFailed(RuntimeError("no network")))
    assert not workspace.refreshing and workspace.state.refreshing_ids is None
    assert _platforms(workspace) == {"a": "current"}


def test_an_abandoned_refresh_ends_refreshing() -> None:
    events, workspace, _changes = _watched()
    events.publish(RefreshStarted(None))
    events.publish(RefreshAbandoned())
    assert not workspace.refreshing


def test_signing_out_ends_refreshing_and_a_late_answer_shows_nothing() -> None:
    events, workspace, _changes = _watched()
    workspace.signed_in(ZHANG)
    events.publish(RefreshStarted(None))
    events.publish(Refreshed(_result(a="refreshing"), partial=True))
    workspace.signed_out()
    assert not workspace.refreshing and _platforms(workspace) == {}
    events.publish(Refreshed(_result(a="current")))  # the late end of zhang's refresh
    assert not workspace.refreshing and _platforms(workspace) == {}


def test_the_cached_platform_states_at_start() -> None:
    _events, workspace, changes = _watched()
    workspace.set_platforms({"a": "stale"})  # type: ignore[dict-item]
    assert _platforms(workspace) == {"a": "stale"}
    assert changes[-1].changed == {"platforms"}


def test_changes_from_many_threads_are_announced_in_order() -> None:
    events, workspace, changes = _watched()
    workspace.signed_in(ZHANG)

    def churn() -> None:
        for _ in range(200):
            events.publish(RefreshStarted(None))
            events.publish(Refreshed(_result(a="current")))

    threads = [threading.Thread(target=churn) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not workspace.refreshing
    # Each announcement follows the one before: the last one is the current state.
    for before, after in itertools.pairwise(changes):
        assert after.previous == before.state
    assert changes[-1].state == workspace.state


def test_a_handler_may_change_the_workspace_while_it_is_announced() -> None:
    events, workspace, changes = _watched()

    def sign_out_on_refresh(change: WorkspaceChanged) -> None:
        if change.state.refreshing and change.state.user is not None:
            workspace.signed_out()

    events.subscribe(WorkspaceChanged, sign_out_on_refresh)
    workspace.signed_in(ZHANG)
    events.publish(RefreshStarted(None))
    assert workspace.user is None and not workspace.refreshing
    assert changes[-1].state == workspace.state


def test_another_person_signing_in_sees_none_of_the_previous_persons_platform_states() -> None:
    events, workspace, _changes = _watched()
    workspace.signed_in(ZHANG)
    events.publish(Refreshed(SimpleNamespace(states={"demo.anquan": "current"})))
    workspace.signed_in(ZHANG)  # the same person again (a renewed sign-in): theirs stay
    assert _platforms(workspace) == {"demo.anquan": "current"}
    workspace.signed_in(LINA)
    assert workspace.user == LINA and _platforms(workspace) == {}


def test_marking_done_makes_the_platform_current_with_the_cached_count() -> None:
    from launcher.api import TaskItem
    from launcher.app.events import MarkedDone
    from launcher.app.mark_done import MarkDoneOutcome
    from launcher.core.inbox.service import PlatformState
    from launcher.core.states import FailureReason, PlatformStatus

    events, workspace, _changes = _watched()
    workspace.signed_in(ZHANG)
    stale = PlatformState("a", PlatformStatus.STALE, None, "3 tasks", None, 3)
    failed = PlatformState("b", PlatformStatus.FAILED, FailureReason.NETWORK, "down", None, 1)
    workspace.set_platforms({"a": stale, "b": failed})
    done = TaskItem(platform="a", id="1", title="t", url="http://a/")
    left = [TaskItem(platform="a", id=str(n), title="t", url="http://a/") for n in (2, 3)]
    left.append(TaskItem(platform="b", id="9", title="t", url="http://b/"))
    events.publish(MarkedDone(MarkDoneOutcome(group=None, done=[done], tasks=left)))  # type: ignore[arg-type]
    a, b = workspace.state.platforms["a"], workspace.state.platforms["b"]
    assert (a.state, a.count) == (PlatformStatus.CURRENT, 2)
    assert (b.state, b.reason, b.count) == (PlatformStatus.FAILED, FailureReason.NETWORK, 1)

    workspace.signed_out()
    events.publish(MarkedDone(MarkDoneOutcome(group=None, done=[done], tasks=left)))  # type: ignore[arg-type]
    assert workspace.state.platforms == {}  # a late outcome after sign-out shows nothing
