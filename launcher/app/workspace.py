"""The observable workspace state that the window and the command line both drive (no Qt): who is
signed in, each platform's state, and whether a refresh runs.

The use cases update it (launcher/app/session.py for sign-in and sign-out; the refresh use case's
``Refreshed`` events for platform states, and ``refreshing`` while only some have answered) and
every change is published as ``WorkspaceChanged`` on the application's events,
so a view redraws from here instead of keeping its own copy (napari's ViewerModel: Qt only
renders). Thread-safe: use cases run on workers.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from launcher.app.events import Event, Events, Refreshed

if TYPE_CHECKING:
    from launcher.core.auth.status import User
    from launcher.core.inbox.service import PlatformState


@dataclass(frozen=True)
class WorkspaceState:
    """One snapshot of the workspace."""

    user: User | None = None
    platforms: Mapping[str, PlatformState] = field(default_factory=dict)
    refreshing: bool = False


@dataclass(frozen=True)
class WorkspaceChanged(Event):
    """The workspace changed: ``state`` is the new snapshot."""

    state: WorkspaceState


class Workspace:
    """Holds the current ``WorkspaceState``; each change publishes ``WorkspaceChanged``."""

    def __init__(self, events: Events) -> None:
        self._events = events
        self._lock = threading.Lock()
        self._state = WorkspaceState()
        # Each platform's state as the refresh use case (launcher/app/refresh.py) announces it.
        events.subscribe(Refreshed, self._refreshed)

    def _refreshed(self, event: Refreshed) -> None:
        if self._state.user is not None:  # a refresh that ended after a sign-out shows nothing
            self._change(platforms=dict(event.result.states), refreshing=event.partial)

    @property
    def state(self) -> WorkspaceState:
        return self._state

    @property
    def user(self) -> User | None:
        return self._state.user

    def signed_in(self, user: User) -> None:
        self._change(user=user)

    def signed_out(self) -> None:
        """Nobody is signed in: no platform state of the previous person stays either."""
        self._change(user=None, platforms={}, refreshing=False)

    def set_refreshing(self, refreshing: bool) -> None:
        self._change(refreshing=refreshing)

    def set_platforms(self, states: Mapping[str, PlatformState]) -> None:
        self._change(platforms=dict(states))

    def _change(self, **changes: object) -> None:
        with self._lock:
            new = replace(self._state, **changes)  # type: ignore[arg-type]
            if new == self._state:
                return
            self._state = new
        self._events.publish(WorkspaceChanged(new))
