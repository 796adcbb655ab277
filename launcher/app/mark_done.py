"""标记完成 (mark done) as a use case: complete a row's tasks on the platforms that allow it.

A row may hold the same work from several platforms. Its items on platforms that can mark tasks
done (a CalDAV source, a ``[tasks.done]`` request, a plugin with ``complete``) are completed one
after the other by ``Inbox.complete``, which re-reads the platform to confirm and then updates the
task cache. The others are left alone and named: they are finished on the platform's own page. A
refusal (or a network failure) is kept in the outcome with its platform, and the task stays.
The outcome is announced as ``MarkedDone``; the window's launcher/ui/mark_done.py shows progress
and refusals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from launcher.app.events import Events, MarkedDone
from launcher.core.errors import SourceError

if TYPE_CHECKING:
    from launcher.api import TaskGroup, TaskItem
    from launcher.app.refresh import Executor
    from launcher.app.services import Services
    from launcher.core.inbox.service import Inbox, PlatformState, RefreshResult

log = logging.getLogger(__name__)


def completable_platforms(inbox: Inbox) -> set[str]:
    """The platforms whose tasks the launcher can mark done (may load plugins: on a worker)."""
    check: Callable[[str], bool] | None = getattr(inbox, "can_complete", None)
    found = set()
    for platform in inbox.platforms:
        spec = platform.manifest.tasks
        if spec is None:
            continue
        try:
            if check is not None:
                able = bool(check(platform.id))
            elif spec.kind == "caldav":
                able = True
            elif spec.kind == "rest-json":
                able = spec.done is not None
            else:
                from launcher.core.inbox.sources import source_for

                able = bool(getattr(source_for(platform), "can_complete", False))
        except Exception as exc:  # a broken plugin only loses its mark-done
            log.warning("cannot tell whether %s can mark tasks done: %s", platform.id, exc)
            able = False
        if able:
            found.add(platform.id)
    return found


@dataclass
class MarkDoneOutcome:
    group: TaskGroup
    done: list[TaskItem] = field(default_factory=list)
    """Items the platforms marked done (and no longer list)."""
    failed: list[tuple[TaskItem, SourceError]] = field(default_factory=list)
    """Items a platform refused, or could not be reached for; they stay."""
    elsewhere: list[TaskItem] = field(default_factory=list)
    """Items on platforms the launcher cannot mark done: finish them on the platform's page."""
    tasks: list[TaskItem] = field(default_factory=list)
    """Every cached task afterwards."""
    groups: Any = field(default_factory=list)
    """``tasks`` grouped (and arranged for the view) anew."""


def complete_group(
    services: Services,
    group: TaskGroup,
    completable: set[str],
    regroup: Callable[[list[TaskItem]], Sequence[TaskGroup]],
    progress: Callable[[TaskItem, int, int], None] | None = None,
    arrange: Callable[[Sequence[TaskGroup]], Any] = list,
) -> MarkDoneOutcome:
    """Complete ``group``'s items that can be (blocking: network): call it off the GUI thread.
    ``progress(item, number, total)`` before each."""
    outcome = MarkDoneOutcome(group)
    todo = [i for i in group.items if i.platform in completable]
    outcome.elsewhere = [i for i in group.items if i.platform not in completable]
    for number, item in enumerate(todo, start=1):
        if progress is not None:
            progress(item, number, len(todo))
        try:
            services.inbox.complete(item.platform, item.id)
        except SourceError as exc:
            log.warning("marking %s done failed (%s): %s", item.key, exc.reason, exc)
            outcome.failed.append((item, exc))
        else:
            outcome.done.append(item)
    outcome.tasks = services.inbox.cached().tasks
    outcome.groups = arrange(regroup(outcome.tasks))
    return outcome


def result_after(
    outcome: MarkDoneOutcome, before: RefreshResult | None, now: datetime | None = None
) -> RefreshResult:
    """The inbox after marking done: the cached tasks; the platforms that marked a task done are
    current (they were just re-read), every other platform keeps the state it had."""
    from launcher.core.inbox.service import RefreshResult

    old = before.states if before is not None else {}
    return RefreshResult(list(outcome.tasks), states_after(outcome, old, now))


def states_after(
    outcome: MarkDoneOutcome, before: Mapping[str, PlatformState], now: datetime | None = None
) -> dict[str, PlatformState]:
    """Each platform's state after marking done (see ``result_after``): its count is what the
    cache holds now."""
    from launcher.core.inbox.service import PlatformState
    from launcher.core.states import PlatformStatus

    moment = now or datetime.now(UTC)
    counts: dict[str, int] = {}
    for task in outcome.tasks:
        counts[task.platform] = counts.get(task.platform, 0) + 1
    states: dict[str, PlatformState] = {}
    done = {i.platform for i in outcome.done}
    for platform_id in {*before, *done}:
        state = before.get(platform_id)
        count = counts.get(platform_id, 0)
        if platform_id in done:
            states[platform_id] = PlatformState(
                platform_id,
                PlatformStatus.CURRENT,
                None,
                f"{count} tasks; one marked done",
                moment,
                count,
            )
        elif state is not None:
            states[platform_id] = PlatformState(
                state.platform_id, state.state, state.reason, state.message, state.updated, count
            )
    return states


class MarkDone:
    """Mark rows done on ``executor``, one row at a time; each outcome announced as MarkedDone."""

    def __init__(
        self,
        executor: Executor,
        events: Events | None = None,
        *,
        arrange: Callable[[Sequence[TaskGroup]], Any] = list,
    ) -> None:
        self._executor = executor
        self._events = events
        self._arrange = arrange
        self.running = False

    def run(
        self,
        services: Services,
        group: TaskGroup,
        completable: set[str],
        regroup: Callable[[list[TaskItem]], Sequence[TaskGroup]],
        *,
        on_step: Callable[[TaskItem, int, int], None],
        on_done: Callable[[MarkDoneOutcome], None],
        on_failed: Callable[[BaseException], None],
    ) -> bool:
        """Start marking ``group`` done; False when one is running already or nothing can be.
        ``on_step`` (before each platform), ``on_done`` and ``on_failed`` come on the executor's
        answer thread."""
        if self.running or not any(i.platform in completable for i in group.items):
            return False
        self.running = True
        executor, arrange = self._executor, self._arrange

        def step(item: TaskItem, number: int, total: int) -> None:
            executor.post(lambda: on_step(item, number, total))

        def work() -> MarkDoneOutcome:
            return complete_group(services, group, completable, regroup, step, arrange)

        def returned(outcome: MarkDoneOutcome) -> None:
            self.running = False
            if self._events is not None:
                self._events.publish(MarkedDone(outcome))
            on_done(outcome)

        def errored(exc: BaseException) -> None:
            self.running = False
            on_failed(exc)

        executor.submit("mark done", work, returned, errored)
        return True
