"""The declarative REST JSON task source: a platform's task list described by the ``[tasks]`` table
of its manifest (docs/manifest.md): paging, incremental refresh, mark done, the platform's own
refusal messages.

It raises only ``SourceError`` with a ``FailureReason``.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import requests

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.http import equip
from launcher.core.inbox.cache import SyncState
from launcher.core.inbox.confirm import confirm_done
from launcher.core.inbox.deadline import (
    JSON_VALUES,
    Deadline,
    check_values,
    read_capped,
    watched,
)
from launcher.core.inbox.http_errors import http_errors
from launcher.core.inbox.limits import MAX_TASKS
from launcher.core.inbox.source_base import Synced
from launcher.core.inbox.timestamps import parse_time
from launcher.core.manifest import DoneSpec, PagingSpec
from launcher.core.registry import Platform
from launcher.core.states import FailureReason

log = logging.getLogger(__name__)

# Answers to a mark-done request that mean "not this task, not now": the platform's refusal.
REFUSED_STATUSES = (400, 404, 409, 410, 412, 422, 423)
# Where platforms put the reason of a refusal, when the manifest's [tasks.done] message is unset.
MESSAGE_KEYS = ("message", "msg", "errorMsg", "errmsg", "error_description", "error", "detail",
                "description")
MAX_MESSAGE_CHARS = 200


# A whole list is read again at least this often, so that items a platform deletes outright (instead
# of closing them) do not linger in an inbox that only asks for changes.
FULL_EVERY = timedelta(hours=24)
# ``since`` asks from a little before the last answer: clocks differ and items are merged by id, so
# reading a change twice is harmless while missing one is not.
SINCE_OVERLAP = timedelta(minutes=2)


@dataclass
class _Answer:
    data: Any
    headers: Mapping[str, str]
    links: dict[str, dict[str, str]]
    not_modified: bool = False


class RestJsonSource:
    """A platform's REST JSON task list, described by the ``[tasks]`` table of its manifest."""

    def __init__(self, platform: Platform, http: requests.Session | None = None) -> None:
        spec = platform.manifest.tasks
        if spec is None or spec.kind != "rest-json":
            raise ValueError(f"{platform.id} has no rest-json task source")
        self.platform = platform
        self.spec = spec
        self.url = platform.expand(spec.url)
        # Every connection of this source is cut at its deadline (deadline.py).
        # Verified with the operating system's trust store (launcher/core/http.py).
        self.http = equip(watched(http or requests.Session()))
        self.skipped = 0
        self.more = False

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]:
        """The whole list, every page, without any incremental shortcut."""
        return self.sync(SyncState(), token=token, timeout=timeout).tasks

    @property
    def can_complete(self) -> bool:
        """True when the manifest declares how to mark a task done (``[tasks.done]``)."""
        return self.spec.done is not None

    def complete(self, task_id: str, *, token: str | None, timeout: float) -> list[TaskItem]:
        """Mark ``task_id`` done with the manifest's ``[tasks.done]`` request, then read the whole
        list again (no ETag, no ``since``) and return it.

        Raises SourceError: ``unsupported`` without ``[tasks.done]``; ``signed-out`` for HTTP
        401/403 (the inbox then tries once more with a fresh token); ``refused`` when the platform
        turns the request down (HTTP 400, 404, 409, 410, 412, 422, 423; the platform's own message
        is kept) or still lists the task as open afterwards; ``platform`` for 5xx; ``network``,
        ``timeout``, ``unreadable`` as ``fetch`` does. ``timeout`` bounds the request and the
        re-read each.
        """
        done = self.spec.done
        if done is None:
            raise SourceError(f"{self.platform.name} cannot mark tasks done from the launcher "
                              "(its manifest has no [tasks.done])", FailureReason.UNSUPPORTED)
        url = self.platform.expand(done.url.replace("{id}", quote(task_id, safe="")))
        if urlsplit(url).scheme not in ("http", "https") or not self.platform.owns(url):
            # The token goes with the request: never to a server outside the platform.
            raise SourceError(f"{done.method} {_strip_query(url)}: the tasks.done url is outside "
                              f"the platform's origins ({', '.join(self.platform.origins)}); "
                              "not sent", FailureReason.UNSUPPORTED)
        said = self._send_done(done, url, task_id, token, timeout)
        answered = f" (it answered: {said})" if said else ""
        return confirm_done(
            self.platform, task_id, lambda: self.fetch(token=token, timeout=timeout),
            f"{self.platform.name} accepted the request but still lists the task as open{answered}",
        )

    def _send_done(self, done: DoneSpec, url: str, task_id: str, token: str | None,
                   timeout: float) -> str:
        """Send the mark-done request; returns the platform's message of a 2xx answer, or ''."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = _with_id(done.body, task_id) if done.body is not None else None
        where = f"{done.method} {_strip_query(url)}"
        with (Deadline(timeout, where) as deadline, http_errors(where, timeout=timeout),
              self.http.request(done.method, url, headers=headers, json=body, timeout=timeout,
                                allow_redirects=False, stream=True) as answer):
            status, phrase = answer.status_code, answer.reason or ""
            location = answer.headers.get("Location", "")
            raw = read_capped(answer, where, deadline)
        said = _platform_message(raw, done.message, token)
        if 200 <= status < 300:
            return said
        why = f"{said} (HTTP {status})" if said else f"HTTP {status} {phrase}".rstrip()
        if 300 <= status < 400:
            target = urljoin(url, location) if location else ""
            if target and not self.platform.owns(target):
                raise SourceError(f"{where}: redirected to {_strip_query(target)}, outside the "
                                  "platform (a login page?)", FailureReason.SIGNED_OUT)
            raise SourceError(f"{where}: HTTP {status}: the platform answered a mark-done "
                              "request with a redirect", FailureReason.PLATFORM)
        if status in (401, 403):
            raise SourceError(f"{where}: HTTP {status}: the platform refused the token",
                              FailureReason.SIGNED_OUT)
        if status in REFUSED_STATUSES:
            raise SourceError(f"{self.platform.name} refused: {why}", FailureReason.REFUSED)
        raise SourceError(f"{where}: {why}", FailureReason.PLATFORM)

    def sync(self, state: SyncState, *, token: str | None, timeout: float) -> Synced:
        """One refresh that uses what the last one kept: If-None-Match, or the ``since`` parameter.

        ``timeout`` bounds the whole refresh, every page included: at the deadline its connections
        are cut, whatever the server is doing. At most ``limits.MAX_TASKS`` tasks are made (and
        pages read); ``Synced.more`` says when the platform listed more.
        """
        with Deadline(timeout, f"GET {self.url}") as deadline:
            return self._sync(state, token, deadline)

    def _sync(self, state: SyncState, token: str | None, deadline: Deadline) -> Synced:
        started = datetime.now(UTC)
        spec = self.spec
        changes_only = bool(spec.since and state.since and state.full_at
                            and started - state.full_at < FULL_EVERY)
        params: dict[str, str] = {}
        if changes_only and state.since is not None:
            params[spec.since] = _utc_text(state.since - SINCE_OVERLAP)
        # An ETag names one answer: it is used only where one URL is the whole list.
        etag = state.etag if spec.etag and spec.paging is None and not spec.since else None

        rows, first, more = self._rows(params, token, deadline, etag)
        if first.not_modified:
            return Synced([], not_modified=True, sync=state)
        made = _date(first.headers.get("Date")) or started
        new_etag = first.headers.get("ETag") if spec.etag and spec.paging is None else None
        sync = SyncState(etag=new_etag or None, since=made if spec.since else None,
                         full_at=state.full_at if changes_only else started)

        tasks: list[TaskItem] = []
        removed: list[str] = []
        seen: set[str] = set()
        skipped = 0
        for index, row in enumerate(rows):
            if len(tasks) == MAX_TASKS:
                more = True
                break
            item = self._item(row)
            if item is None:
                skipped += 1
                log.debug("%s: item %d skipped (no id or title)", self.platform.id, index)
                continue
            if item.id in seen:  # lists shift between pages while they are read
                continue
            seen.add(item.id)
            if item.status in spec.closed:
                removed.append(item.id)
            else:
                tasks.append(item)
        self.skipped = skipped
        if skipped:
            log.info("%s: %d of %d items skipped (no id or title)", self.platform.id, skipped,
                     len(rows))
        self.more = more
        if more:
            log.info("%s: more than %d tasks listed; only the first are kept", self.platform.id,
                     MAX_TASKS)
        return Synced(tasks, changes_only=changes_only, removed=tuple(removed), sync=sync,
                      more=more)

    def _rows(self, params: dict[str, str], token: str | None, deadline: Deadline,
              etag: str | None) -> tuple[list[Any], _Answer, bool]:
        """Every page's items, the first page's answer (for its headers), and whether pages
        were left unread because ``MAX_TASKS`` items had come."""
        paging = self.spec.paging
        if paging is None:
            first = self._get(_with_query(self.url, params), token, deadline, etag)
            return ([] if first.not_modified else _walk(first.data, self.spec.items)), first, False
        rows: list[Any] = []
        first_answer: _Answer | None = None  # the later pages' parsed answers are let go
        url = _with_query(self.url, params)
        visited = {url}
        for number in range(paging.max_pages):
            if paging.kind == "page":
                url = _with_query(self.url, {**params, **_size(paging),
                                             paging.param: str(paging.first + number)})
            elif paging.kind == "offset":
                url = _with_query(self.url, {**params, **_size(paging),
                                             paging.param: str(len(rows))})
            answer = self._get(url, token, deadline, None)
            if first_answer is None:
                first_answer = answer
            page = _walk(answer.data, self.spec.items)
            rows.extend(page)
            if paging.kind == "next-link":
                link = self._next_link(answer, url)
                if link is None:
                    return rows, first_answer, False
                if len(rows) >= MAX_TASKS:
                    return rows, first_answer, True
                if link in visited:
                    raise SourceError(f"GET {url}: the next-page link leads back to "
                                      f"{_strip_query(link)}, a page already read",
                                      FailureReason.UNREADABLE)
                visited.add(link)
                url = link
                continue
            total = _integer(_lookup(answer.data, paging.total)) if paging.total else None
            if len(page) < paging.size or (total is not None and len(rows) >= total):
                return rows, first_answer, False
            if len(rows) >= MAX_TASKS:
                return rows, first_answer, True
        raise SourceError(f"GET {self.url}: more than {paging.max_pages} pages of tasks; the "
                          "platform may ignore the paging parameters (raise tasks.paging.max_pages "
                          "in the manifest if it really has that many)", FailureReason.UNREADABLE)

    def _next_link(self, answer: _Answer, url: str) -> str | None:
        paging = self.spec.paging
        assert paging is not None
        if paging.next:
            link = _text(_lookup(answer.data, paging.next))
        else:
            link = _text(answer.links.get("next", {}).get("url"))
        if link is None:
            return None
        absolute = urljoin(url, link)
        if urlsplit(absolute).scheme not in ("http", "https") or not self.platform.owns(absolute):
            # The token goes with every page: it is never sent to a server the platform names.
            raise SourceError(f"GET {url}: the next-page link {_strip_query(absolute)} is outside "
                              f"the platform's origins ({', '.join(self.platform.origins)}); "
                              "not followed", FailureReason.UNREADABLE)
        return absolute

    def _get(self, url: str, token: str | None, deadline: Deadline,
             etag: str | None) -> _Answer:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if etag:
            headers["If-None-Match"] = etag
        # requests' timeout bounds each socket wait, not the whole answer: a platform that trickles
        # a byte at a time would never time out. The deadline bounds the whole read, all pages.
        timeout = deadline.left()
        if timeout <= 0:
            raise SourceError(f"GET {url}: the pages did not all arrive in time",
                              FailureReason.TIMEOUT)
        with (http_errors(f"GET {url}", timeout=timeout),
              self.http.get(url, headers=headers, timeout=timeout, stream=True) as answer):
            self._check_status(answer, url)
            if answer.status_code == 304:
                if not etag:
                    raise SourceError(f"GET {url}: HTTP 304 to a request that was not "
                                      "conditional", FailureReason.PLATFORM)
                return _Answer(None, answer.headers, answer.links, not_modified=True)
            body = read_capped(answer, f"GET {url}", deadline)
            headers_in, links = answer.headers, answer.links
        check_values(body, f"GET {url}", JSON_VALUES)
        try:
            return _Answer(json.loads(body), headers_in, links)
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceError(f"GET {url}: the answer is not JSON ({exc})",
                              FailureReason.UNREADABLE) from None
        except RecursionError:
            raise SourceError(f"GET {url}: the answer is nested too deeply to be a task list",
                              FailureReason.UNREADABLE) from None

    def _check_status(self, answer: requests.Response, url: str) -> None:
        if answer.history and not self.platform.owns(answer.url):
            # An API that redirects off the platform is sending us to a login page.
            raise SourceError(f"GET {url}: redirected to {_strip_query(answer.url)}, "
                              "outside the platform (a login page?)", FailureReason.SIGNED_OUT)
        if answer.status_code in (401, 403):
            raise SourceError(f"GET {url}: HTTP {answer.status_code}: the platform refused "
                              "the token", FailureReason.SIGNED_OUT)
        if answer.status_code >= 400:
            raise SourceError(f"GET {url}: HTTP {answer.status_code} {answer.reason}",
                              FailureReason.PLATFORM)

    def _item(self, row: Any) -> TaskItem | None:
        if not isinstance(row, Mapping):
            return None
        fields = self.spec.fields
        task_id = _text(_lookup(row, fields["id"]))
        title = _text(_lookup(row, fields["title"]))
        if task_id is None or title is None:
            return None

        def get(name: str) -> Any:
            path = fields.get(name)
            return _lookup(row, path) if path else None

        return TaskItem(
            platform=self.platform.id,
            id=task_id,
            title=title,
            url=self.platform.page_url(_text(get("url"))),
            due=parse_time(get("due")),
            status=_text(get("status")) or "open",
            form=_text(get("form")),
            subject=_text(get("subject")),
            period=_text(get("period")),
            priority=_integer(get("priority")),
            updated=parse_time(get("updated")),
        )



def _with_id(value: Any, task_id: str) -> Any:
    """A [tasks.done] body with ``{id}`` in its strings replaced by the task's id."""
    if isinstance(value, str):
        return value.replace("{id}", task_id)
    if isinstance(value, Mapping):
        return {k: _with_id(v, task_id) for k, v in value.items()}
    if isinstance(value, list):
        return [_with_id(v, task_id) for v in value]
    return value


def _platform_message(raw: bytes, path: str, token: str | None) -> str:
    """The platform's own words in a JSON answer (at ``path``, else under a usual name), made
    short and one line; '' when there are none."""
    try:
        check_values(raw, "", JSON_VALUES)
        data = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError, RecursionError, SourceError):
        return ""
    found: Any = None
    if path:
        found = _lookup(data, path)
    elif isinstance(data, Mapping):
        for key in MESSAGE_KEYS:
            found = data.get(key)
            if isinstance(found, Mapping):  # {"error": {"code": 409, "message": "..."}}
                found = next((found[k] for k in MESSAGE_KEYS if isinstance(found.get(k), str)),
                             None)
            if isinstance(found, str) and found.strip():
                break
    if not isinstance(found, str):
        return ""
    text = " ".join("".join(c if c.isprintable() else " " for c in found).split())
    if token:
        text = text.replace(token, "…")  # a platform that echoes the request never shows it
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[: MAX_MESSAGE_CHARS - 1] + "…"
    return text


def _walk(answer: Any, path: str) -> list[Any]:
    """The list at the dotted ``path`` of the answer ('' = the answer itself is the list)."""
    node = answer
    walked: list[str] = []
    for part in path.split(".") if path else []:
        walked.append(part)
        found, node = _step(node, part)
        if not found:
            raise SourceError(f"the answer has no {'.'.join(walked)!r} (looking for the task "
                              f"list at {path!r})", FailureReason.UNREADABLE)
    if not isinstance(node, list):
        where = repr(path) if path else "the top level"
        raise SourceError(f"the answer has {type(node).__name__} at {where}, "
                          "where a list of tasks was expected", FailureReason.UNREADABLE)
    return node


def _step(node: Any, part: str) -> tuple[bool, Any]:
    if isinstance(node, Mapping):
        return (part in node, node.get(part))
    if isinstance(node, list) and part.lstrip("-").isdigit():
        index = int(part)
        if -len(node) <= index < len(node):
            return (True, node[index])
    return (False, None)


def _lookup(row: Any, path: str) -> Any:
    node: Any = row
    for part in path.split("."):
        found, node = _step(node, part)
        if not found:
            return None
    return node


def _text(value: Any) -> str | None:
    """A non-empty string for strings and numbers (ids are often numbers), else None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value or None


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0]


def _with_query(url: str, params: Mapping[str, str]) -> str:
    """``url`` with ``params`` set in its query (replacing any of the same name)."""
    if not params:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def _size(paging: PagingSpec) -> dict[str, str]:
    return {paging.size_param: str(paging.size)} if paging.size_param else {}


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date(header: str | None) -> datetime | None:
    """The moment of an HTTP Date header, or None when there is none or it is garbled."""
    if not header:
        return None
    try:
        moment = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
