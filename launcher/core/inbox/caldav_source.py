"""CalDAV task sources: the open VTODO items of one calendar collection, and marking them done.

Many task systems speak CalDAV. The manifest names the calendar collection (``[tasks] kind =
"caldav"``, ``url``); each VTODO that is not finished becomes a TaskItem:

======================  ==================================================================
TaskItem                VTODO
======================  ==================================================================
id                      UID
title                   SUMMARY
due                     DUE; a date means the end of that day, a floating time China time
url                     URL (relative resolved against the platform); else the platform home
status                  STATUS, lower case; NEEDS-ACTION or none is ``open``
priority                PRIORITY (1 highest … 9 lowest; 0, "undefined", is None)
form                    X-YIDUANTONG-FORM
subject                 X-YIDUANTONG-SUBJECT
period                  X-YIDUANTONG-PERIOD
updated                 LAST-MODIFIED
======================  ==================================================================

Finished items (STATUS COMPLETED or CANCELLED, or a COMPLETED time) are left out. Recurring
VTODOs are read as their master item; recurrences are not expanded.

Signing in: a ``sso`` platform gets the county's access token (``Authorization: Bearer``); a
``password`` platform HTTP basic with the account saved in the password vault, never again once
refused until the person acts (document_source.saved_account_auth); ``none`` nothing.

Bounds (limits.py, deadline.py): the manifest's ``timeout`` is a deadline for each whole exchange
(reading the list, finding a task, saving it), its connections cut when it passes; each answer is
read within ``MAX_ANSWER_BYTES`` and ``MAX_ANSWER_VALUES`` XML elements and iCalendar lines before
the client parses it; at most ``MAX_TASKS`` open items are made.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import caldav
import requests
from caldav.elements import dav
from caldav.lib import error as dav_error
from caldav.requests import HTTPBearerAuth
from icalendar import Component
from icalendar import Todo as VTodo

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.http import equip
from launcher.core.inbox.confirm import confirm_done
from launcher.core.inbox.deadline import Deadline, capped_body, watched
from launcher.core.inbox.document_source import (
    SAVED_ACCOUNT_REFUSED,
    SavedAccountAuth,
    saved_account_auth,
)
from launcher.core.inbox.http_errors import http_errors
from launcher.core.inbox.limits import MAX_TASKS
from launcher.core.inbox.source_base import Person, fill
from launcher.core.inbox.timestamps import CHINA
from launcher.core.model import PASSWORD_KIND, SavedAccounts
from launcher.core.registry import Platform
from launcher.core.states import FailureReason

log = logging.getLogger(__name__)

FORM_PROPERTY = "X-YIDUANTONG-FORM"
SUBJECT_PROPERTY = "X-YIDUANTONG-SUBJECT"
PERIOD_PROPERTY = "X-YIDUANTONG-PERIOD"
_FINISHED = ("COMPLETED", "CANCELLED")


class CalDavSource:
    """A platform's CalDAV calendar of VTODO items, described by the ``[tasks]`` of its manifest.

    ``credentials`` gives the saved account of a ``password`` platform (the password vault's
    ``get``: a ``SourceAccount``, reporting the server's refusal); it is called on the worker
    thread that fetches.
    """

    def __init__(self, platform: Platform, credentials: SavedAccounts | None = None, *,
                 person: Callable[[], Person] | None = None) -> None:
        spec = platform.manifest.tasks
        if spec is None or spec.kind != "caldav":
            raise ValueError(f"{platform.id} has no caldav task source")
        self.platform = platform
        self._template = platform.expand(spec.url)
        self._person = person
        self._credentials = credentials
        self._basic: SavedAccountAuth | None = None
        """The saved account sent last (a ``password`` platform): whether the server refused it."""
        self.skipped = 0
        self.more = False

    @property
    def url(self) -> str:
        """The calendar (or, with ``discover``, the server) URL, the person's placeholders filled."""
        claims = self._person() if self._person is not None else {}
        return fill(self._template, claims, url=True)

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]:
        with self._errors("read the task list", timeout):
            components = [todo.icalendar_component
                          for calendar in self._calendars(token, timeout)
                          for todo in calendar.todos(include_completed=False)]
        tasks: list[TaskItem] = []
        skipped = 0
        more = False
        for component in components:
            if len(tasks) == MAX_TASKS:
                more = True
                break
            if not isinstance(component, VTodo) or _finished(component):
                # Servers differ in how well they filter: finished items are dropped here too.
                continue
            item = self._item(component)
            if item is None:
                skipped += 1
                continue
            tasks.append(item)
        self.skipped, self.more = skipped, more
        if skipped:
            log.info("%s: %d VTODO items skipped (no UID or SUMMARY)", self.platform.id, skipped)
        return tasks

    def complete(self, task_id: str, *, token: str | None, timeout: float) -> list[TaskItem]:
        """Mark the VTODO ``task_id`` completed, re-read the calendar and return its open tasks.

        Raises SourceError ``refused`` when the server does not allow the change, the item is no
        longer there, or the re-read still lists it as open.
        """
        with self._errors("find the task", timeout):
            todo = self._todo(task_id, token, timeout)
            component = todo.icalendar_component
        if not isinstance(component, VTodo):
            raise SourceError(f"task {task_id!r} in {self.url} is not a VTODO",
                              FailureReason.UNREADABLE)
        if not _finished(component):
            now = datetime.now(UTC).replace(microsecond=0)
            for name, value in (("STATUS", "COMPLETED"), ("COMPLETED", now),
                                ("PERCENT-COMPLETE", 100), ("LAST-MODIFIED", now)):
                component.pop(name, None)
                component.add(name, value)
            with self._errors("mark the task done", timeout, writing=True):
                todo.save()
        return confirm_done(
            self.platform, task_id, lambda: self.fetch(token=token, timeout=timeout),
            f"task {task_id!r}: the platform accepted the change but still lists it as open",
        )

    def _todo(self, task_id: str, token: str | None,
              timeout: float) -> caldav.CalendarObjectResource:
        """The VTODO ``task_id`` in the first calendar that holds it."""
        for calendar in self._calendars(token, timeout):
            try:
                return calendar.todo_by_uid(task_id)
            except dav_error.NotFoundError:
                continue
        raise SourceError(f"task {task_id!r} is no longer in the calendar {self.url} "
                          "(deleted or moved on the platform)", FailureReason.REFUSED)

    def _calendars(self, token: str | None, timeout: float) -> list[caldav.Calendar]:
        """The manifest's calendar; with ``discover``, the signed-in user's calendars that hold
        VTODOs, found from ``url`` (RFC 5397 current-user-principal, RFC 4791
        calendar-home-set), only those named in ``calendars`` when it is set."""
        client = self._client(token, timeout)
        spec = self.platform.manifest.tasks
        if spec is None or not spec.discover:
            return [caldav.Calendar(client=client, url=self.url)]
        found = []
        # RFC 5397 current-user-principal, then its calendar-home-set (what client.principal()
        # makes, typed).
        for candidate in caldav.Principal(client=client).calendars():
            if "VTODO" not in candidate.get_supported_components():
                continue
            names = {str(candidate.url).rstrip("/").rsplit("/", 1)[-1]}
            # The display name, as get_display_name() reads it (typed).
            with contextlib.suppress(dav_error.DAVError, KeyError, ValueError):
                names.add(candidate.get_property(dav.DisplayName(), use_cached=True) or "")
            if spec.calendars and not names & set(spec.calendars):
                continue
            found.append(candidate)
        if not found:
            named = f" named {', '.join(spec.calendars)}" if spec.calendars else ""
            raise SourceError(f"{self.url}: the signed-in user has no calendar{named} that holds "
                              "tasks (VTODO)", FailureReason.PLATFORM)
        return found

    def _client(self, token: str | None, timeout: float) -> caldav.DAVClient:
        """A client for ``url``, signed in as the platform's ``[auth]`` says."""
        auth: requests.auth.AuthBase | None = None
        kind = self.platform.auth_kind
        if self.platform.manifest.auth.sso:
            if token:
                auth = HTTPBearerAuth(token)
        elif kind == PASSWORD_KIND:
            # A refused account is marked so in the vault and never sent again by itself.
            auth = self._basic = saved_account_auth(self.platform, self._credentials)
        # caldav hands the timeout to requests for every exchange (connect and each read); the
        # running Deadline (``_errors``) cuts the connections when the whole time is up, and the
        # hook reads each answer within the limits before caldav parses it.
        client = caldav.DAVClient(self.url, auth=auth, timeout=timeout)  # type: ignore[arg-type]
        watched(client.session).hooks["response"].append(capped_body(self.url))
        equip(client.session)  # the operating system's trust store (launcher/core/http.py)
        return client

    @contextmanager
    def _errors(self, action: str, timeout: float, *, writing: bool = False) -> Iterator[None]:
        """Within a ``timeout`` deadline, turn what the caldav client and requests raise into
        SourceError with a clear reason."""
        where = f"{self.url}: cannot {action}"
        try:
            with Deadline(timeout, where), http_errors(where):
                try:
                    yield
                except dav_error.AuthorizationError as exc:
                    if self._basic is not None and self._basic.refused:
                        raise SourceError(f"{where}: {SAVED_ACCOUNT_REFUSED}",
                                          FailureReason.SIGNED_OUT) from None
                    if writing and str(exc.reason).lower() == "forbidden":
                        raise SourceError(f"{where}: the platform does not allow it (HTTP 403 "
                                          "Forbidden)", FailureReason.REFUSED) from None
                    raise SourceError(f"{where}: the platform refused the sign-in "
                                      f"({exc.reason})", FailureReason.SIGNED_OUT) from None
                except dav_error.NotFoundError:
                    raise SourceError(f"{where}: there is no calendar at this address "
                                      "(HTTP 404)", FailureReason.PLATFORM) from None
                except dav_error.DAVError as exc:
                    raise SourceError(f"{where}: {exc.reason or type(exc).__name__}",
                                      FailureReason.PLATFORM) from None
        except (ValueError, KeyError, TypeError) as exc:
            # icalendar and lxml raise ValueError subclasses on broken iCalendar or XML. (requests'
            # own ValueErrors, such as InvalidURL, are SourceError by now.)
            raise SourceError(f"{where}: the answer is not readable iCalendar/WebDAV "
                              f"({type(exc).__name__}: {exc})", FailureReason.UNREADABLE) from None

    def _item(self, todo: VTodo) -> TaskItem | None:
        task_id = _text(todo.get("UID"))
        title = _text(todo.get("SUMMARY"))
        if task_id is None or title is None:
            return None
        status = (_text(todo.get("STATUS")) or "NEEDS-ACTION").lower()
        return TaskItem(
            platform=self.platform.id,
            id=task_id,
            title=title,
            url=self.platform.page_url(_text(todo.get("URL"))),
            due=_moment(todo, "DUE"),
            status="open" if status == "needs-action" else status,
            form=_text(todo.get(FORM_PROPERTY)),
            subject=_text(todo.get(SUBJECT_PROPERTY)),
            period=_text(todo.get(PERIOD_PROPERTY)),
            priority=_priority(todo.get("PRIORITY")),
            updated=_moment(todo, "LAST-MODIFIED"),
        )


def _finished(todo: Component) -> bool:
    status = (_text(todo.get("STATUS")) or "").upper()
    return status in _FINISHED or todo.get("COMPLETED") is not None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _priority(value: Any) -> int | None:
    try:
        number = int(str(value).strip()) if value is not None else 0
    except ValueError:
        return None
    return number if 1 <= number <= 9 else None


def _moment(component: Component, name: str) -> datetime | None:
    """The date-time property ``name`` of an iCalendar component (a VTODO, a VEVENT), aware."""
    if component.get(name) is None:
        return None
    try:
        return _aware(component.decoded(name))
    except (ValueError, KeyError, TypeError):
        return None


def _aware(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        # A floating time (no zone) is local time, and the county's local time is China time.
        return value if value.tzinfo is not None else value.replace(tzinfo=CHINA)
    if isinstance(value, date):
        # A date means "by that day", as for the REST sources (timestamps.parse_time).
        return datetime(value.year, value.month, value.day, 23, 59, 59, tzinfo=CHINA)
    return None
