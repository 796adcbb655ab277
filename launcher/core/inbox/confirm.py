"""After a platform accepted "mark done": read its list again and make sure the task left it."""

from __future__ import annotations

import logging
from collections.abc import Callable

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.registry import Platform
from launcher.core.states import FailureReason

log = logging.getLogger(__name__)


def confirm_done(
    platform: Platform, task_id: str, fetch: Callable[[], list[TaskItem]], still_open: str
) -> list[TaskItem]:
    """The platform's tasks read again by ``fetch``; a SourceError (``refused``) saying
    ``still_open`` when the task is still among them."""
    tasks = fetch()
    if any(task.id == task_id for task in tasks):
        raise SourceError(still_open, FailureReason.REFUSED)
    log.info("%s: task %s marked done", platform.id, task_id)
    return tasks
