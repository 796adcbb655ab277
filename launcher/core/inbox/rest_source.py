"""The declarative REST JSON task source: a platform's task list described by the ``[tasks]`` table
of its manifest (docs/manifest.md): paging, incremental refresh, mark done, the platform's own
refusal messages.

It raises only ``SourceError`` with a ``FailureReason``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
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
from launcher.core.inbox.source_base import Person, Synced, fill
from launcher.core.inbox.timestamps import parse_time_as
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

    def __init__(self, platform: Platform, http: requests.Session | None = None, *,
                 person: Callable[[], Person] | None = None) -> None:
        """``person`` gives the signed-in person's claims for ``{username}``, ``{sub}``, ``{name}``
        and ``{claim.X}`` in the manifest's url, body and headers (source_base.Person)."""
        spec = platform.manifest.tasks
        if spec is None or spec.kind != "rest-json":
            raise ValueError(f"{platform.id} has no rest-json task source")
        self.platform = platform
        self.spec = spec
        self._person = person
        self._template = platform.expand(spec.url)
        # Every connection of this source is cut at its deadline (deadline.py).
        # Verified with the operating system's trust store (launcher/core/http.py).
        self.http = equip(watched(http or requests.Session()))
        self.skipped = 0
        self.more = False
        self.cookies: Mapping[str, str] = {}
        """Sent with every request: a session-bound platform's cookies, set by the inbox with its
        token (launcher/core/auth/web_session.py); only ever to the platform's own URLs."""

    @property
    def url(self) -> str:
        """The list's URL, the signed-in person's placeholders filled in (URL-quoted)."""
        return fill(self._template, self._claims(), url=True)

    def _claims(self) -> Person:
        return self._person() if self._person is not None else {}

    def _headers(self, token: str | None) -> dict[str, str]:
        """The request's headers: the manifest's, its placeholders filled in; ``Authorization:
        Bearer`` with the token unless the manifest places the token itself. A header that needs
        a token when there is none is left out."""
        request = self.spec.request
        headers = {"Accept": "application/json"}
        if token and not request.token_declared:
            headers["Authorization"] = f"Bearer {token}"
        claims = self._claims()
        for name, value in request.headers.items():
            if "{token}" in value and not token:
                continue
            headers[name] = fill(value, claims, token=token)
        return headers

    def _body(self, token: str | None, cursor: str | None) -> dict[str, Any] | None:
        """The list request's body (a POST), placeholders filled in, the cursor added."""
        request = self.spec.request
        if request.method != "POST":
            return None
        claims = self._claims()
        body = {key: _filled(value, claims, token) for key, value in (request.body or {}).items()}
        paging = self.spec.paging
        if paging is not None and paging.kind == "cursor" and paging.send == "body":
            if cursor is not None:
                body[paging.param] = cursor
            if paging.size_param:
                body[paging.size_param] = paging.size
        return body

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
        if self.cookies:  # a header, not requests' cookies: dropped if the platform redirects
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = _with_id(done.body, task_id) if done.body is not None else None
        where = f"{done.method} {_strip_query(url)}"
        with (Deadline(timeout, where) as deadline, http_errors(where, timeout=timeout),
              self.http.request(done.method, url, headers=headers, json=body, timeout=timeout,
                                allow_redirects=False, stream=True) as answer):
            status, phrase = answer.status_code, answer.reason or ""
            location = answer.headers.get("Location", "")
            raw = read_capped(answer, where, deadline)
        said = _platform_message(self._decoded(raw, answer.headers), done.message, token)
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
        with Deadline(timeout, f"{self.spec.request.method} {_strip_query(self.url)}") as deadline:
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
            if item.status in spec.closed or _mapped_closed(spec.answer.statuses, item.status):
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
        if paging.kind == "cursor":
            return self._cursor_rows(params, token, deadline)
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

    def _cursor_rows(self, params: dict[str, str], token: str | None,
                     deadline: Deadline) -> tuple[list[Any], _Answer, bool]:
        """Every page of a list paged by a cursor: each answer names the next page's cursor (at
        ``paging.next``), sent back in the query or the body; none, an empty one or one already
        sent ends the list."""
        paging = self.spec.paging
        assert paging is not None
        rows: list[Any] = []
        first: _Answer | None = None
        cursor: str | None = None
        sent: set[str] = set()
        for _ in range(paging.max_pages):
            query = dict(params)
            if paging.send == "query":
                query.update(_size(paging))
                if cursor is not None:
                    query[paging.param] = cursor
            answer = self._get(_with_query(self.url, query), token, deadline, None, cursor=cursor)
            first = first or answer
            rows.extend(_walk(answer.data, self.spec.items))
            cursor = _text(_lookup(answer.data, paging.next))
            if cursor is None or len(cursor) > 2000:
                return rows, first, False
            if cursor in sent:
                raise SourceError(f"{self.spec.request.method} {_strip_query(self.url)}: the "
                                  "answer names a cursor already sent (a loop)",
                                  FailureReason.UNREADABLE)
            sent.add(cursor)
            if len(rows) >= MAX_TASKS:
                return rows, first, True
        raise SourceError(f"{_strip_query(self.url)}: more than {paging.max_pages} pages of tasks "
                          "(raise tasks.paging.max_pages in the manifest if it really has that "
                          "many)", FailureReason.UNREADABLE)

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
             etag: str | None, *, cursor: str | None = None) -> _Answer:
        """One page: the manifest's request (method, headers, body), its answer read within the
        limits, decoded with its charset, its result code checked."""
        request = self.spec.request
        headers = self._headers(token)
        if etag:
            headers["If-None-Match"] = etag
        body = self._body(token, cursor)
        sent: dict[str, Any] = {}
        if body is not None:
            sent = {"json": body} if request.body_format == "json" else {"data": body}
        where = f"{request.method} {url}"
        # requests' timeout bounds each socket wait, not the whole answer: a platform that trickles
        # a byte at a time would never time out. The deadline bounds the whole read, all pages.
        timeout = deadline.left()
        if timeout <= 0:
            raise SourceError(f"{where}: the pages did not all arrive in time",
                              FailureReason.TIMEOUT)
        with (http_errors(where, timeout=timeout),
              self.http.request(request.method, url, headers=headers, timeout=timeout,
                                stream=True, **sent) as answer):
            self._check_status(answer, url)
            if answer.status_code == 304:
                if not etag:
                    raise SourceError(f"{where}: HTTP 304 to a request that was not "
                                      "conditional", FailureReason.PLATFORM)
                return _Answer(None, answer.headers, answer.links, not_modified=True)
            raw = read_capped(answer, where, deadline)
            headers_in, links = answer.headers, answer.links
            redirected = bool(answer.history)
        check_values(raw, where, JSON_VALUES)
        text = self._decoded(raw, headers_in)
        if redirected and _looks_like_html(text, headers_in):
            # A JSON API that answers a web page after a redirect sent us to its login page.
            raise SourceError(f"{where}: redirected to a web page where JSON was expected (the "
                              "platform's login page?)", FailureReason.SIGNED_OUT)
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise SourceError(f"{where}: the answer is not JSON ({exc})",
                              FailureReason.UNREADABLE) from None
        except RecursionError:
            raise SourceError(f"{where}: the answer is nested too deeply to be a task list",
                              FailureReason.UNREADABLE) from None
        self._check_code(data, where, token)
        return _Answer(data, headers_in, links)

    def _decoded(self, raw: bytes, headers: Mapping[str, str]) -> str:
        """The answer's text: in the manifest's ``charset``, else Content-Type's, else UTF-8
        (GBK is read as GB18030, of which it is a part)."""
        charset = self.spec.answer.charset or _charset_of(headers.get("Content-Type", "")) or "utf-8"
        if charset.lower().replace("-", "").replace("_", "") in ("gbk", "gb2312", "cp936"):
            charset = "gb18030"
        try:
            return raw.decode(charset)
        except LookupError:
            return raw.decode("utf-8", errors="replace")
        except UnicodeDecodeError as exc:
            raise SourceError(f"the answer is not {charset} text ({exc.reason} at byte "
                              f"{exc.start}); set tasks.charset in the manifest",
                              FailureReason.UNREADABLE) from None

    def _check_code(self, data: Any, where: str, token: str | None) -> None:
        """The platform's own result code in an HTTP 200 answer (``[tasks.answer]``): a success
        code goes on, a signed-out one (``{"code": 401, "msg": "认证失败"}``) is ``signed-out``
        with the platform's words, any other ``platform``."""
        answer = self.spec.answer
        if not answer.code:
            return
        code = _text(_lookup(data, answer.code))
        if code in answer.ok:
            return
        said = _message_in(data, answer.message, token)
        words = f": {said}" if said else ""
        if code is None:
            raise SourceError(f"{where}: the answer has no result code at {answer.code!r}{words}",
                              FailureReason.UNREADABLE)
        if code in answer.signed_out:
            raise SourceError(f"{self.platform.name} says{words or ' the token is refused'} "
                              f"(code {code})", FailureReason.SIGNED_OUT)
        raise SourceError(f"{self.platform.name} says{words or ' it failed'} (code {code})",
                          FailureReason.PLATFORM)

    def _check_status(self, answer: requests.Response, url: str) -> None:
        where = f"{self.spec.request.method} {url}"
        if answer.history and not self.platform.owns(answer.url):
            # An API that redirects off the platform is sending us to a login page.
            raise SourceError(f"{where}: redirected to {_strip_query(answer.url)}, "
                              "outside the platform (a login page?)", FailureReason.SIGNED_OUT)
        if answer.history and self._is_login_page(answer.url):
            raise SourceError(f"{where}: redirected to the platform's login page "
                              f"{_strip_query(answer.url)}", FailureReason.SIGNED_OUT)
        if answer.status_code in (401, 403):
            raise SourceError(f"{where}: HTTP {answer.status_code}: the platform refused "
                              "the token", FailureReason.SIGNED_OUT)
        if answer.status_code >= 400:
            raise SourceError(f"{where}: HTTP {answer.status_code} {answer.reason}",
                              FailureReason.PLATFORM)

    def _is_login_page(self, url: str) -> bool:
        """True when ``url`` matches one of the manifest's ``login_url`` patterns."""
        return any(_matches(self.platform.expand(p), url) for p in self.spec.request.login_url)

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

        answer = self.spec.answer
        status = _text(get("status"))
        status = answer.statuses.get(status, status) if status is not None else None
        return TaskItem(
            platform=self.platform.id,
            id=task_id,
            title=title,
            url=self.platform.page_url(_text(get("url"))),
            due=parse_time_as(get("due"), answer.date_format),
            status=status or "open",
            form=_text(get("form")),
            subject=_text(get("subject")),
            period=_text(get("period")),
            priority=_integer(get("priority")),
            updated=parse_time_as(get("updated"), answer.date_format),
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


def _platform_message(raw: str, path: str, token: str | None) -> str:
    """The platform's own words in a JSON answer (at ``path``, else under a usual name), made
    short and one line; '' when there are none."""
    try:
        check_values(raw.encode(), "", JSON_VALUES)
        data = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError, RecursionError, SourceError):
        return ""
    return _message_in(data, path, token)


def _message_in(data: Any, path: str, token: str | None) -> str:
    """The platform's words in a parsed answer, one plain line of at most MAX_MESSAGE_CHARS."""
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


def _filled(value: Any, claims: Person, token: str | None) -> Any:
    """A body with the placeholders of its strings filled in."""
    if isinstance(value, str):
        return fill(value, claims, token=token)
    if isinstance(value, Mapping):
        return {k: _filled(v, claims, token) for k, v in value.items()}
    if isinstance(value, list):
        return [_filled(v, claims, token) for v in value]
    return value


def _mapped_closed(statuses: Mapping[str, str], status: str) -> bool:
    """True when the manifest's status dictionary made this status ``closed``."""
    return status == "closed" and "closed" in statuses.values()


def _charset_of(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"')
    return ""


def _looks_like_html(text: str, headers: Mapping[str, str]) -> bool:
    kind = headers.get("Content-Type", "").split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml") or text.lstrip()[:1] == "<"


def _matches(pattern: str, url: str) -> bool:
    """``url`` (without its fragment) matches ``pattern``, where ``*`` is any text."""
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, url.split("#", 1)[0]) is not None


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
