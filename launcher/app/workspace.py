"""The observable workspace state that the window and the command line both drive (no Qt): who is
signed in, each platform's state, and whether a refresh runs (and for which platforms).

The use cases update it: launcher/app/session.py for sign-in and sign-out (and the cached states
at start, ``set_platforms``), the refresh use case (launcher/app/refresh.py) through its events:
``RefreshStarted``, ``Refreshed`` (partial or final), ``RefreshFailed`` and ``RefreshAbandoned``,
and mark done through ``MarkedDone``. Every way a refresh ends is one of these, and a
sign-out ends whatever ran for that person, so ``refreshing`` never stays True after a refresh.
Every change is published as ``WorkspaceChanged`` (the new snapshot, the one before and the
names of the fields that changed) on the application's events, so a view redraws from here
instead of keeping its own copy (napari's ViewerModel: Qt only renders).

Thread-safe: use cases and their events run on workers. Changes are made and announced one at a
time, in order, so the last ``WorkspaceChanged`` a subscriber got is the current state. Its
handlers run while the workspace is announcing: they may read it or change it (on their own
thread), and must not wait for another thread that changes it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING

from launcher.app.events import (
    Event,
    Events,
    MarkedDone,
    RefreshAbandoned,
    Refreshed,
    RefreshFailed,
    RefreshStarted,
)

if TYPE_CHECKING:
    from launcher.core.auth.status import User
    from launcher.core.inbox.service import PlatformState


@dataclass(frozen=True)
class WorkspaceState:
    """One snapshot of the workspace."""

    user: User | None = None
    platforms: Mapping[str, PlatformState] = field(default_factory=dict)
    refreshing: bool = False
    refreshing_ids: tuple[str, ...] | None = None
    """While refreshing: the platforms asked (None: every platform). None when not refreshing."""


@dataclass(frozen=True)
class WorkspaceChanged(Event):
    """The workspace changed: ``state`` is the new snapshot, ``previous`` the one before and
    ``changed`` the names of the ``WorkspaceState`` fields that differ (``user``,
    ``platforms``, ``refreshing``, ``refreshing_ids``)."""

    state: WorkspaceState
    changed: frozenset[str] = frozenset()
    previous: WorkspaceState | None = None


_FIELDS = tuple(f.name for f in fields(WorkspaceState))


class Workspace:
    """Holds the current ``WorkspaceState``; each change publishes ``WorkspaceChanged``."""

    def __init__(self, events: Events) -> None:
        self._events = events
        # Reentrant: a WorkspaceChanged handler on the announcing thread may change it again.
        # Held while announcing, so announcements come in the order of the changes.
        self._lock = threading.RLock()
        self._state = WorkspaceState()
        events.subscribe(RefreshStarted, self._refresh_started)
        events.subscribe(Refreshed, self._refreshed)
        events.subscribe(RefreshFailed, self._refresh_ended)
        events.subscribe(RefreshAbandoned, self._refresh_ended)
        events.subscribe(MarkedDone, self._marked_done)

    @property
    def state(self) -> WorkspaceState:
        return self._state

    @property
    def user(self) -> User | None:
        return self._state.user

    @property
    def refreshing(self) -> bool:
        return self._state.refreshing

    def signed_in(self, user: User) -> None:
        """``user`` is signed in; when another person was, nothing of theirs stays (each
        platform's state comes with this person's first refresh)."""
        with self._lock:
            previous = self._state.user
            if previous is not None and previous.sub != user.sub:
                self._change(user=user, platforms={})
            else:
                self._change(user=user)

    def signed_out(self) -> None:
        """Nobody is signed in: no platform state of the previous person stays, and what ran
        for them is over (their refresh's end, when it comes, is dropped: RefreshAbandoned)."""
        self._change(user=None, platforms={}, refreshing=False, refreshing_ids=None)

    def set_platforms(self, states: Mapping[str, PlatformState]) -> None:
        """Each platform's state as known without a refresh (the cached one at start)."""
        self._change(platforms=dict(states))

    # -- the refresh use case's events (launcher/app/refresh.py), on its answer thread ---------

    def _refresh_started(self, event: RefreshStarted) -> None:
        ids = tuple(event.platform_ids) if event.platform_ids is not None else None
        self._change(refreshing=True, refreshing_ids=ids)

    def _refreshed(self, event: Refreshed) -> None:
        with self._lock:
            if event.partial:
                # Still running: the platforms that answered show their state, the others
                # show that they are still being asked.
                changes: dict[str, object] = {"refreshing": True}
            else:
                changes = {"refreshing": False, "refreshing_ids": None}
            if self._state.user is not None:  # a refresh that ended after a sign-out shows nothing
                changes["platforms"] = dict(event.result.states)
            self._change(**changes)

    def _refresh_ended(self, event: RefreshFailed | RefreshAbandoned) -> None:
        # A failed refresh has no result: each platform keeps the state it had.
        self._change(refreshing=False, refreshing_ids=None)

    def _marked_done(self, event: MarkedDone) -> None:
        """A platform that marked a task done is current (it was just read again); every
        platform's count is what its cache holds now."""
        from launcher.app.mark_done import states_after

        with self._lock:
            if self._state.user is not None:
                self._change(platforms=states_after(event.outcome, self._state.platforms))

    def _change(self, **changes: object) -> None:
        with self._lock:
            old = self._state
            new = replace(old, **changes)  # type: ignore[arg-type]
            if new == old:
                return
            self._state = new
            changed = frozenset(n for n in _FIELDS if getattr(new, n) != getattr(old, n))
            self._events.publish(WorkspaceChanged(new, changed, old))
