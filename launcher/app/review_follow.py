"""A form opened for review is done once its platform no longer asks for the task.

一次填报 opens the form of a platform without a submit API pre-filled in a tab; the record's outcome
there is ``review`` (waiting for the person to submit it on the page). Nothing on the page tells
the launcher when they did, but the platform's task list does: after a whole refresh in which
that platform answered (its state ``current``, its list complete), a task that is no longer
pending there was dealt with, and the outcome becomes ``submitted``. Announced as
``RecordSubmitted``, so the inbox row and the one table show it.

A platform that failed, answered from the cache or listed more tasks than are kept says nothing
about a task it did not list, and its outcomes stay as they are.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from launcher.app.events import Events, RecordSubmitted, Refreshed

if TYPE_CHECKING:
    from launcher.core.profile.records import PersonRecords

log = logging.getLogger(__name__)

DONE_ON_PLATFORM = "平台上的待办已完成"
"""The outcome's message (the launcher's own words: shown with the platform's name)."""


def follow_reviews(events: Events, records: PersonRecords) -> None:
    """Turn ``review`` outcomes into ``submitted`` after each whole refresh (see the module).

    ``Refreshed`` is published on the window's GUI thread: the records (disk, keyring) are read
    on a thread of the follower's own, one refresh after the other."""
    worker: list[ThreadPoolExecutor] = []

    def refreshed(event: Refreshed) -> None:
        if event.partial:
            return
        if not worker:
            worker.append(ThreadPoolExecutor(1, thread_name_prefix="review-follow"))
        worker[0].submit(_settle_logged, records, event.result, events)

    events.subscribe(Refreshed, refreshed)


def _settle_logged(records: PersonRecords, result: Any, events: Events) -> None:
    try:
        settle_reviews(records, result, events)
    except Exception:
        log.exception("review outcomes were not settled")


def settle_reviews(records: PersonRecords, result: Any, events: Events | None = None) -> list[str]:
    """Mark ``submitted`` every ``review`` outcome whose task its platform, refreshed completely
    in ``result`` (a ``RefreshResult``), no longer lists as pending; returns the records changed."""
    from launcher.core.inbox.statuses import CLOSED_STATUSES
    from launcher.core.profile.records import Outcome, OutcomeState

    answered = {
        platform_id
        for platform_id, state in result.states.items()
        if str(state.state) == "current" and not state.more
    }
    if not answered:
        return []
    owner = records.owner()
    if not owner:
        return []
    pending = {
        task.key
        for task in result.tasks
        if task.platform in answered and str(task.status).lower() not in CLOSED_STATUSES
    }
    changed: list[str] = []
    for record in records.records():
        settled: list[tuple[str, str]] = []
        for platform_id, outcome in record.outcomes.items():
            if (
                outcome.state is not OutcomeState.REVIEW
                or platform_id not in answered
                or not outcome.task_key
                or outcome.task_key in pending
            ):
                continue
            done = Outcome(platform_id, OutcomeState.SUBMITTED, DONE_ON_PLATFORM,
                           datetime.now(UTC).isoformat(timespec="seconds"), outcome.task_key)
            try:
                records.set_outcome(record.id, done, owner=owner)
            except Exception:  # another person signed in meanwhile: theirs is not touched
                log.info("the review outcome of a record was not settled", exc_info=True)
                return changed
            settled.append((platform_id, str(OutcomeState.SUBMITTED)))
        if settled:
            changed.append(record.id)
            if events is not None:
                events.publish(RecordSubmitted(record.id, tuple(settled)))
    return changed
