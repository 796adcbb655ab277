"""iCalendar subscriptions (``[tasks] kind = "ics"``): the events and to-dos of an .ics feed.

Each VTODO that is not finished and each VEVENT that is not cancelled becomes a task: id = UID
(with the RECURRENCE-ID of an overridden occurrence), title = SUMMARY, due = DUE of a VTODO, DTEND
(else DTSTART) of a VEVENT, url = URL, updated = LAST-MODIFIED, priority = PRIORITY, and form,
subject and period from the X-YIDUANTONG-* properties, as for CalDAV (caldav_source.py). Items
without UID or SUMMARY are skipped; recurrences are not expanded.
"""

from __future__ import annotations

import logging
from typing import Any

from icalendar import Calendar, Event, Todo

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.inbox.caldav_source import (
    FORM_PROPERTY,
    PERIOD_PROPERTY,
    SUBJECT_PROPERTY,
    _finished,
    _moment,
    _priority,
    _text,
)
from launcher.core.inbox.document_source import DocumentSource
from launcher.core.inbox.limits import MAX_TASKS
from launcher.core.states import FailureReason

log = logging.getLogger(__name__)


class IcsSource(DocumentSource):
    """An .ics subscription read into tasks."""

    kind = "ics"
    accept = "text/calendar, */*;q=0.5"

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]:
        body = self.document(token, timeout)
        try:
            calendar = Calendar.from_ical(body)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise SourceError(f"GET {self.url}: the answer is not iCalendar ({type(exc).__name__}"
                              f": {str(exc)[:200]})", FailureReason.UNREADABLE) from None
        if not isinstance(calendar, Calendar):
            raise SourceError(f"GET {self.url}: the answer is not one VCALENDAR",
                              FailureReason.UNREADABLE)
        tasks: list[TaskItem] = []
        skipped = 0
        more = False
        for component in calendar.walk():
            if not isinstance(component, Event | Todo) or _over(component):
                continue
            if len(tasks) == MAX_TASKS:
                more = True
                break
            item = self._item(component)
            if item is None:
                skipped += 1
            else:
                tasks.append(item)
        self.skipped, self.more = skipped, more
        if skipped:
            log.info("%s: %d iCalendar items skipped (no UID or SUMMARY)", self.platform.id,
                     skipped)
        return tasks

    def _item(self, component: Event | Todo) -> TaskItem | None:
        uid = _text(component.get("UID"))
        title = _text(component.get("SUMMARY"))
        if uid is None or title is None:
            return None
        recurrence = _text(component.get("RECURRENCE-ID"))
        if isinstance(component, Todo):
            due = _moment(component, "DUE")
        else:
            due = _moment(component, "DTEND") or _moment(component, "DTSTART")
        status = (_text(component.get("STATUS")) or "").lower()
        return TaskItem(
            platform=self.platform.id,
            id=f"{uid}#{recurrence}" if recurrence else uid,
            title=title,
            url=self.platform.page_url(_text(component.get("URL"))),
            due=due,
            status="open" if status in ("", "needs-action", "confirmed", "tentative") else status,
            form=_text(component.get(FORM_PROPERTY)),
            subject=_text(component.get(SUBJECT_PROPERTY)),
            period=_text(component.get(PERIOD_PROPERTY)),
            priority=_priority(component.get("PRIORITY")),
            updated=_moment(component, "LAST-MODIFIED"),
        )


def _over(component: Any) -> bool:
    """A finished to-do, or a cancelled event."""
    if isinstance(component, Todo):
        return _finished(component)
    return (_text(component.get("STATUS")) or "").upper() == "CANCELLED"
