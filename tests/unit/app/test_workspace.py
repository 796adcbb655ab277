"""The observable workspace (launcher/app/workspace.py): who is signed in, each platform's state
from the refresh use case's ``Refreshed`` events, refreshing or not; each change announced once."""

from __future__ import annotations

from types import SimpleNamespace

from launcher.app.events import Events, Refreshed
from launcher.app.workspace import Workspace, WorkspaceChanged
from launcher.core.auth.session import UserInfo

ZHANG = UserInfo(sub="zhangwei-sub", name="张伟", username="zhangwei")


def test_the_workspace_follows_the_sign_in_and_the_refreshes() -> None:
    events = Events()
    workspace = Workspace(events)
    changes: list[WorkspaceChanged] = []
    events.subscribe(WorkspaceChanged, changes.append)

    events.publish(Refreshed(SimpleNamespace(states={"demo.anquan": "current"})))
    assert workspace.state.platforms == {} and changes == []  # nobody signed in: not theirs

    workspace.signed_in(ZHANG)
    workspace.signed_in(ZHANG)  # no change, no announcement
    assert [c.state.user for c in changes] == [ZHANG]

    events.publish(Refreshed(SimpleNamespace(states={"demo.anquan": "refreshing"}), partial=True))
    assert workspace.state.refreshing and workspace.state.platforms == {"demo.anquan": "refreshing"}
    events.publish(Refreshed(SimpleNamespace(states={"demo.anquan": "current"})))
    assert not workspace.state.refreshing
    assert workspace.state.platforms == {"demo.anquan": "current"}

    workspace.signed_out()
    assert workspace.user is None and workspace.state.platforms == {}
    assert changes[-1].state == workspace.state
