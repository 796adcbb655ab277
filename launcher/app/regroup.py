"""Split a row into its platforms' tasks ("not the same work"), or merge a split row back.

The person's splits are kept in the account's split store (``Grouping.split`` / ``unsplit`` write
its file, so the work runs on the executor); the answer is the same tasks grouped anew, announced
as ``Regrouped``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from launcher.app.events import Events, Regrouped

if TYPE_CHECKING:
    from launcher.api import TaskGroup, TaskItem
    from launcher.app.refresh import Executor
    from launcher.core.inbox.grouping import Grouping


class Regroup:
    """Split and merge rows of ``grouping``'s inbox."""

    def __init__(
        self,
        grouping: Grouping,
        executor: Executor,
        events: Events,
        *,
        arrange: Callable[[list[TaskGroup]], Any] = lambda groups: groups,
    ) -> None:
        self._grouping = grouping
        self._executor = executor
        self._events = events
        self._arrange = arrange

    def run(
        self,
        group: TaskGroup,
        tasks: list[TaskItem],
        *,
        split: bool,
        on_done: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Split (or merge) ``group``, then ``on_done`` gets ``tasks`` grouped anew (arranged
        for the view); ``on_failed`` the reason the change could not be saved."""
        grouping, arrange = self._grouping, self._arrange

        def work() -> Any:
            if split:
                grouping.split(group)  # writes the split store's file
            else:
                grouping.unsplit(group)
            return arrange(grouping.group(tasks))

        def returned(groups: Any) -> None:
            self._events.publish(Regrouped(tuple(item.key for item in group.items), split))
            on_done(groups)

        name = "split group" if split else "merge group"
        self._executor.submit(name, work, returned, on_failed)
