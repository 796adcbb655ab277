"""The refresh use case: ask the platforms for their tasks, one refresh at a time.

What the window used to keep in its slots, without Qt, so the window and the command line run the
same refresh:

- **one at a time, nothing lost**: a refresh asked while one runs is queued and runs once the
  running one ends; several such asks merge their platform lists (``None``, every platform, wins
  over any list, and one that drops the cached work first makes the queued one drop it);
- **partial results**: platforms appear as they answer (``Inbox.refresh``'s ``on_progress``), the
  slower ones shown from the cache meanwhile;
- **the merge with the previous result**: a refresh of some platforms leaves the others' tasks as
  the cache has them (``Inbox.refresh`` merges; nothing here drops a platform not asked);
- **generations**: answers of a refresh that is no longer the current one (the person signed out,
  another person signed in, or another refresh started) are dropped, never shown;
- after a full answer, **what to notify** (``Notifier.due``), dropped if the person changed.

The work runs through an ``Executor`` the use case is given: the window's worker threads (through
``launcher.ui.executor.WorkersExecutor``, whose callbacks come back on the GUI thread), or
``Inline`` (the command line and unit tests: everything at once, on the caller's thread). What
happens is reported to the ``RefreshView`` (the window) and announced on the events: a refresh
starts (``RefreshStarted``, a queued one too when it starts), answers in part (``Refreshed``,
partial), and ends in exactly one of three ways: ``Refreshed``, ``RefreshFailed`` (no result, the
source raised) or ``RefreshAbandoned`` (the person signed out meanwhile). The workspace
(launcher/app/workspace.py) follows these, so it never shows a refresh running after it ended.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from launcher.app.events import (
    Events,
    RefreshAbandoned,
    Refreshed,
    RefreshFailed,
    RefreshStarted,
)
from launcher.core.states import PlatformKind, PlatformStatus, platform_kind

if TYPE_CHECKING:
    from launcher.api import TaskGroup
    from launcher.app.services import Services
    from launcher.core.inbox.notify import Notice
    from launcher.core.inbox.service import PlatformState, RefreshResult

T = TypeVar("T")

Groups = Any
"""The groups as the view shows them (the window's ``prepare_groups`` makes them on the worker)."""


class Executor(Protocol):
    """Runs work away from the caller and brings answers back to the caller's thread."""

    def submit(
        self,
        name: str,
        fn: Callable[[], T],
        on_returned: Callable[[T], None] | None = None,
        on_errored: Callable[[BaseException], None] | None = None,
    ) -> object: ...

    def post(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the thread the answers come back on (called from the work)."""


class Inline:
    """An executor that runs everything at once on the caller's thread (command line, tests)."""

    def submit(
        self,
        name: str,
        fn: Callable[[], T],
        on_returned: Callable[[T], None] | None = None,
        on_errored: Callable[[BaseException], None] | None = None,
    ) -> None:
        try:
            value = fn()
        except Exception as exc:
            if on_errored is None:
                raise
            on_errored(exc)
            return
        if on_returned is not None:
            on_returned(value)

    def post(self, fn: Callable[[], None]) -> None:
        fn()


class RefreshView(Protocol):
    """Whoever shows a refresh (the window); every call comes on the executor's answer thread."""

    def refresh_started(self) -> None: ...

    def refresh_partial(self, result: RefreshResult, groups: Groups, waiting: int) -> None:
        """Some platforms answered; ``waiting`` are still being asked."""

    def refresh_done(self, result: RefreshResult, groups: Groups) -> None: ...

    def refresh_failed(self, exc: BaseException) -> None:
        """The refresh failed as a whole (no result)."""

    def refresh_dropped(self) -> None:
        """The refresh ended after the person signed out: nothing is shown."""

    def show_notices(self, notices: list[Notice]) -> None: ...


def needs_sign_in(state: PlatformState) -> bool:
    """True when a platform's refresh failed because its sign-in can no longer be renewed."""
    return platform_kind(state.state, state.reason) is PlatformKind.SIGN_IN


def signed_out_platforms(result: RefreshResult) -> list[str]:
    """The platforms whose sign-in must be renewed after ``result``."""
    return [pid for pid, state in result.states.items() if needs_sign_in(state)]


def merge_asks(queued: list[str] | None, asked: Sequence[str] | None) -> list[str]:
    """A queued refresh's platforms after one more ask: [] (every platform) when either is for
    every platform, else both lists' platforms. ``queued`` None: nothing was queued yet."""
    if asked is None or queued == []:
        return []
    return sorted({*(queued or []), *asked})


def _no_arrangement(groups: list[TaskGroup]) -> Groups:
    return groups


class Refresh:
    """One county's refresh for the person signed in (``current_sub`` tells who, None: nobody)."""

    def __init__(
        self,
        services: Services,
        executor: Executor,
        events: Events,
        view: RefreshView,
        *,
        current_sub: Callable[[], str | None],
        arrange: Callable[[list[TaskGroup]], Groups] = _no_arrangement,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        notify: bool = True,
    ) -> None:
        """``notify`` False: no notices are worked out (nor remembered as told) after a refresh:
        the command line shows none, and must not keep the window from showing them."""
        self._services = services
        self._executor = executor
        self._events = events
        self._view = view
        self._current_sub = current_sub
        self._arrange = arrange
        self._now = now
        self._notify = notify
        self._running = False
        self._again: list[str] | None = None
        """Platforms to refresh once the running refresh ends ([] for all), or None."""
        self._forget_again = False
        """The queued refresh drops the cached work first (another person signed in)."""
        self._generation = 0

    @property
    def running(self) -> bool:
        return self._running

    @property
    def queued(self) -> list[str] | None:
        """What runs after the running refresh ([] every platform), or None."""
        return None if self._again is None else list(self._again)

    def refresh(
        self, platform_ids: Sequence[str] | None = None, *, forget_cache: bool = False
    ) -> bool:
        """Refresh every platform, or only ``platform_ids`` (the others keep theirs); while one
        runs, queue it. ``forget_cache`` first drops every cached task and split (another person
        signed in). False when nothing started now (nobody signed in, or queued)."""
        sub = self._current_sub()
        if sub is None:
            return False
        if self._running:
            self._again = merge_asks(self._again, platform_ids)
            self._forget_again = self._forget_again or forget_cache
            return False
        self._running = True
        self._generation += 1
        generation = self._generation
        services, arrange = self._services, self._arrange
        ids = list(platform_ids) if platform_ids is not None else None
        self._events.publish(RefreshStarted(tuple(ids) if ids is not None else None))
        self._view.refresh_started()

        def work() -> tuple[RefreshResult, Groups]:
            group = services.grouping.group
            if forget_cache:
                services.forget_work()

            def progress(partial: RefreshResult) -> None:
                # Still on the worker: arranged here, shown on the answer thread.
                groups = arrange(group(partial.tasks))
                self._executor.post(lambda: self._partial(generation, sub, partial, groups))

            result = services.inbox.refresh(ids, on_progress=progress)
            return result, arrange(group(result.tasks))

        def returned(value: tuple[RefreshResult, Groups]) -> None:
            self._running = False
            if self._current_sub() != sub:
                # Signed out (or another person signed in) while it ran: the answer is the
                # previous person's, never shown. A queue left by a sign-out is forgotten; the
                # next person's ask, queued meanwhile, runs.
                self._events.publish(RefreshAbandoned())
                self._view.refresh_dropped()
                self._run_queued()
                return
            result, groups = value
            self._events.publish(Refreshed(result))
            self._view.refresh_done(result, groups)
            if self._notify:
                self._notify_due(result, groups)
            self._run_queued()

        def errored(exc: BaseException) -> None:
            self._running = False
            self._events.publish(RefreshFailed(exc))
            self._view.refresh_failed(exc)
            self._run_queued()

        try:
            self._executor.submit("refresh inbox", work, returned, errored)
        except BaseException as exc:
            # The work could not be handed over (or, run at once, raised past its callbacks):
            # this refresh ended, unless its own callbacks already said so.
            if self._running and generation == self._generation:
                self._running = False
                self._events.publish(RefreshFailed(exc))
            raise
        return True

    def _partial(
        self, generation: int, sub: str, result: RefreshResult, groups: Groups
    ) -> None:
        if not self._running or generation != self._generation or self._current_sub() != sub:
            return  # an abandoned refresh, or one already ended
        from launcher.core.inbox.service import REFRESHING

        waiting = sum(1 for s in result.states.values() if s.state == REFRESHING)
        self._events.publish(Refreshed(result, partial=True))
        self._view.refresh_partial(result, groups, waiting)

    def _run_queued(self) -> None:
        again, self._again = self._again, None
        forget, self._forget_again = self._forget_again, False
        if again is not None and self._current_sub() is not None:
            self.refresh(again or None, forget_cache=forget)

    def _notify_due(self, result: RefreshResult, groups: Groups) -> None:
        """What to notify about after a refresh (see core/inbox/notify.py), worked out on the
        executor; dropped if the person signed out or changed meanwhile."""
        services, sub, now = self._services, self._current_sub(), self._now
        current = {
            pid for pid, state in result.states.items() if state.state == PlatformStatus.CURRENT
        }

        def same_user() -> bool:
            signed_in = services.auth.user
            return signed_in is not None and signed_in.sub == sub

        def work() -> list[Notice]:
            from launcher.core.inbox.notify import Notifier

            return Notifier(services.cache).due(groups, now(), current=current, keep=same_user)

        def returned(notices: list[Notice]) -> None:
            if sub is not None and self._current_sub() == sub:
                self._view.show_notices(notices)

        self._executor.submit("inbox notices", work, returned)


class _Answer:
    """The view of a refresh run at once: keeps its answer."""

    def __init__(self) -> None:
        self.result: RefreshResult | None = None
        self.groups: Groups = None
        self.error: BaseException | None = None

    def refresh_started(self) -> None:
        pass

    def refresh_partial(self, result: RefreshResult, groups: Groups, waiting: int) -> None:
        pass

    def refresh_done(self, result: RefreshResult, groups: Groups) -> None:
        self.result, self.groups = result, groups

    def refresh_failed(self, exc: BaseException) -> None:
        self.error = exc

    def refresh_dropped(self) -> None:
        pass

    def show_notices(self, notices: list[Notice]) -> None:
        pass


def refresh_now(
    services: Services, platform_ids: Sequence[str] | None = None
) -> tuple[RefreshResult, list[TaskGroup]]:
    """The command line's refresh: the same use case as the window's, run at once on this thread
    (``Inline``) for the person signed in, announced on ``services.events``; no notices. Raises
    what the refresh raised; LookupError when nobody is signed in."""
    answer = _Answer()
    user = services.auth.user
    sub = user.sub if user is not None else None
    refresh = Refresh(
        services, Inline(), services.events, answer, current_sub=lambda: sub, notify=False
    )
    if not refresh.refresh(platform_ids):
        raise LookupError("nobody is signed in")
    if answer.error is not None:
        raise answer.error
    assert answer.result is not None
    return answer.result, list(answer.groups)
