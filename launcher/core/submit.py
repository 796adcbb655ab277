"""Sending a record to a platform's own API, as its manifest's ``[forms.submit]`` declares.

One request per platform: the body's templates (``{inspection.date}``, ``{id}``) filled from the
values the person completed, sent with the platform's credentials (its access token, or a
session-bound platform's web session) to a URL on the platform's own origins, within a deadline;
the answer read bounded and decided by the spec: submitted, waiting for review, or refused with
the platform's own words (plain, one line, bounded). Values never reach the log.

Transport failures, a refused token and an unreadable answer raise ``SourceError`` with the
inbox's reasons (``signed-out`` for HTTP 401/403 or a redirect to a login page); a template naming
a key without a value raises ``MissingValues`` before anything is sent.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol
from urllib.parse import quote, urljoin, urlsplit

import requests

from launcher.core.errors import ConfigError, LauncherError, SourceError
from launcher.core.http import equip
from launcher.core.inbox.deadline import JSON_VALUES, Deadline, check_values, read_capped, watched
from launcher.core.inbox.http_errors import http_errors
from launcher.core.inbox.rest_source import _lookup, _message_in, _text
from launcher.core.manifest import _PLACEHOLDER, FormSpec, Manifest, SubmitSpec, template_parts
from launcher.core.registry import Platform
from launcher.core.states import FailureReason

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
"""Seconds a platform has to answer a submission when its ``[tasks]`` names no timeout."""


class Labelled(Protocol):
    """A field of the dictionary (core.profile.fields.FieldDef), as far as submitting needs it."""

    @property
    def label(self) -> str: ...

    def display(self, value: str) -> str: ...


class SubmitState(StrEnum):
    SUBMITTED = "submitted"
    """The platform took the record."""
    REVIEW = "review"
    """The platform took the record and holds it for its own review."""
    REFUSED = "refused"
    """The platform answered, and did not take it."""


@dataclass(frozen=True)
class Credentials:
    """What the platform's API is called with: its access token and, for a session-bound
    platform, its web session's cookies."""

    token: str | None = None
    cookies: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # never a token in a log or a traceback
        return f"Credentials(token={'…' if self.token else None}, cookies={len(self.cookies)})"


@dataclass(frozen=True)
class SubmitAnswer:
    state: SubmitState
    message: str = ""
    """The platform's own words (plain, one line, at most 200 characters), or ''."""
    status: int = 0
    """The HTTP status of the answer."""


class MissingValues(LauncherError):
    """The body names dictionary keys that have no value: nothing was sent."""

    def __init__(self, keys: list[str], labels: list[str]) -> None:
        self.keys = keys
        self.labels = labels
        self.message = "缺少：" + "、".join(labels)
        super().__init__(f"{self.message} (missing: {', '.join(keys)})")


class UnknownKeys(LauncherError):
    """The body names keys the field dictionary does not have (a manifest error)."""

    def __init__(self, path: str, keys: list[str]) -> None:
        self.keys = keys
        super().__init__(f"{path}: forms.submit.body names {', '.join(keys)}, which the field "
                         "dictionary does not have")


def submit_timeout(platform: Platform) -> float:
    spec = platform.manifest.tasks
    return spec.timeout if spec is not None else DEFAULT_TIMEOUT


def unknown_keys(spec: SubmitSpec, fields: Mapping[str, object]) -> list[str]:
    """The dictionary keys the body names that ``fields`` (the dictionary) does not have."""
    return [key for key in spec.template_keys() if key not in fields]


def check_keys(platform: Platform, form: FormSpec, fields: Mapping[str, object]) -> None:
    """Raise UnknownKeys naming the manifest when ``form``'s submit body names unknown keys."""
    if form.submit is None:
        return
    unknown = unknown_keys(form.submit, fields)
    if unknown:
        raise UnknownKeys(str(platform.manifest.path), unknown)


def dictionary_problems(manifest: Manifest, fields: Mapping[str, object]) -> list[ConfigError]:
    """Each dictionary key a manifest's forms name (a mapping's value, a submit body's template)
    that ``fields`` (the field dictionary) does not have, as a ConfigError naming the manifest
    and the key: for ``launcher validate`` and the registry's loading problems."""
    problems: list[ConfigError] = []
    for number, form in enumerate(manifest.forms):
        where = f"forms[{number}]"
        for selector, key in form.fields.items():
            if key not in fields:
                problems.append(ConfigError(manifest.path, f"{where}.fields.{selector}",
                                            f"names {key}, which the field dictionary does not "
                                            "have"))
        if form.submit is not None:
            unknown = unknown_keys(form.submit, fields)
            if unknown:
                problems.append(ConfigError(manifest.path, f"{where}.submit.body",
                                            f"names {', '.join(unknown)}, which the field "
                                            "dictionary does not have"))
    return problems


def missing_keys(spec: SubmitSpec, values: Mapping[str, str]) -> list[str]:
    """The keys the body cannot go without that have no value (blank counts as none)."""
    return [key for key in spec.required_keys() if not (values.get(key) or "").strip()]


def render_body(spec: SubmitSpec, values: Mapping[str, str], task_id: str = "",
                fields: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The body with its templates filled in: ``{group.key}`` from ``values`` (``|text``: as
    ``fields[key].display`` shows it), ``{id}`` with the task's id. An optional template
    (``{group.key?}``) without a value is '', and a table's entry that is only such a template
    is left out. Raises KeyError for a required key without value (``missing_keys`` first)."""

    def value_of(name: str) -> str | None:
        if name == "id":
            return task_id
        key, how, optional = template_parts(name)
        value = (values.get(key) or "").strip() if optional else values[key]
        if not value:
            return None if optional else value
        field_def = fields.get(key) if fields is not None else None
        if how == "text" and field_def is not None:
            return str(field_def.display(value))
        return value

    def filled(value: Any) -> Any:
        if isinstance(value, str):
            return _PLACEHOLDER.sub(lambda m: value_of(m.group(1)) or "", value)
        if isinstance(value, Mapping):
            return {k: filled(v) for k, v in value.items() if not _absent(v)}
        if isinstance(value, list):
            return [filled(v) for v in value]
        return value

    def _absent(value: Any) -> bool:
        """A string that is one optional template without a value: its entry is left out."""
        if not isinstance(value, str):
            return False
        match = _PLACEHOLDER.fullmatch(value)
        return match is not None and match.group(1) != "id" and value_of(match.group(1)) is None

    return {k: filled(v) for k, v in spec.body.items() if not _absent(v)}


def submit_url(platform: Platform, spec: SubmitSpec, task_id: str = "") -> str:
    """The request's URL, on the platform's own origins; SourceError (``unsupported``) if not."""
    url = platform.expand(spec.url.replace("{id}", quote(task_id, safe="")))
    if urlsplit(url).scheme not in ("http", "https") or not platform.owns(url):
        raise SourceError(f"{spec.method} {_strip(url)}: the forms.submit url is outside the "
                          f"platform's origins ({', '.join(platform.origins)}); not sent",
                          FailureReason.UNSUPPORTED)
    return url


def submit_record(
    platform: Platform,
    spec: SubmitSpec,
    values: Mapping[str, str],
    *,
    fields: Mapping[str, Labelled] | None = None,
    task_id: str = "",
    credentials: Credentials | None = None,
    timeout: float | None = None,
    http: requests.Session | None = None,
) -> SubmitAnswer:
    """Send one record to ``platform`` (blocking: network; call it off the GUI thread).

    ``values``: dictionary key -> value (the record's, its subject's, the person's). ``fields``
    (the dictionary) gives the missing keys' Chinese labels. Raises MissingValues (nothing sent),
    SourceError: ``signed-out`` (HTTP 401/403, a redirect to a login page or off the platform),
    ``timeout``, ``network``, ``certificate``, ``unreadable`` (an answer too large, not JSON
    where a result code is expected, without the code), ``unsupported`` (the URL is not the
    platform's). A platform that answers and does not take the record is a SubmitAnswer REFUSED
    with its words."""
    missing = missing_keys(spec, values)
    if missing:
        labels = [fields[k].label if fields is not None and k in fields else k for k in missing]
        raise MissingValues(missing, labels)
    url = submit_url(platform, spec, task_id)
    body = render_body(spec, values, task_id, fields)
    credentials = credentials or Credentials()
    token = credentials.token
    timeout = timeout if timeout is not None else submit_timeout(platform)
    headers = {"Accept": "application/json"}
    declared = any("{token}" in v for v in spec.headers.values())
    if token and not declared:
        headers["Authorization"] = f"Bearer {token}"
    for name, value in spec.headers.items():
        if "{token}" in value and not token:
            continue
        headers[name] = value.replace("{token}", token or "")
    if credentials.cookies:  # a header, not requests' cookies: never sent on after a redirect
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in credentials.cookies.items())
    sent: dict[str, Any] = {"json": body} if spec.body_format == "json" else {
        "data": {k: _form_value(v) for k, v in body.items()}}
    where = f"{spec.method} {_strip(url)}"
    session = equip(watched(http or requests.Session()))
    log.info("submitting a record to %s (%s)", platform.id, where)
    with (Deadline(timeout, where) as deadline, http_errors(where, timeout=timeout),
          session.request(spec.method, url, headers=headers, timeout=timeout,
                          allow_redirects=False, stream=True, **sent) as answer):
        status, phrase = answer.status_code, answer.reason or ""
        location = answer.headers.get("Location", "")
        content_type = answer.headers.get("Content-Type", "")
        raw = read_capped(answer, where, deadline)
    text = raw.decode(_charset(content_type), errors="replace")
    data, readable = _json(raw, text)
    said = ""
    if readable:  # at the manifest's path, else under one of the usual names
        said = _message_in(data, spec.message, token) or _message_in(data, "", token)
    if 300 <= status < 400:
        target = urljoin(url, location) if location else ""
        if not target or not platform.owns(target) or "login" in target.lower():
            raise SourceError(f"{where}: redirected to {_strip(target) or 'nowhere'} (a login "
                              "page?)", FailureReason.SIGNED_OUT)
        raise SourceError(f"{where}: HTTP {status}: the platform answered the submission with a "
                          "redirect", FailureReason.PLATFORM)
    if status in (401, 403):
        raise SourceError(f"{where}: HTTP {status}: the platform refused the token",
                          FailureReason.SIGNED_OUT)
    if not 200 <= status < 300:
        if not said:
            said = f"HTTP {status} {phrase}".rstrip()
        log.info("%s refused the record: HTTP %s", platform.id, status)
        return SubmitAnswer(SubmitState.REFUSED, said, status)
    if _looks_like_html(text, content_type):
        # A JSON API answering a web page: its login page, whatever the status says.
        raise SourceError(f"{where}: a web page where JSON was expected (the platform's login "
                          "page?)", FailureReason.SIGNED_OUT)
    if not spec.success:
        return SubmitAnswer(SubmitState.SUBMITTED, said, status)
    if not readable:
        raise SourceError(f"{where}: the answer is not JSON", FailureReason.UNREADABLE)
    code = _text(_lookup(data, spec.success))
    if code is None:
        raise SourceError(f"{where}: the answer has no result code at {spec.success!r}",
                          FailureReason.UNREADABLE)
    if code in spec.success_values:
        return SubmitAnswer(SubmitState.SUBMITTED, said, status)
    if code in spec.review_values:
        return SubmitAnswer(SubmitState.REVIEW, said, status)
    if code in _signed_out_codes(platform):
        # {"code": 401, "msg": "认证失败"} in an HTTP 200 answer: RuoYi and its kind.
        raise SourceError(f"{where}: the platform says the sign-in is no longer valid (code "
                          f"{code})", FailureReason.SIGNED_OUT)
    log.info("%s refused the record: code %s", platform.id, code)
    return SubmitAnswer(SubmitState.REFUSED, said or f"code {code}", status)


def _signed_out_codes(platform: Platform) -> tuple[str, ...]:
    """The result codes that mean signed out: the task list's ``[tasks.answer] signed_out`` when
    the manifest has one, else 401."""
    tasks = platform.manifest.tasks
    if tasks is not None and tasks.answer.code and tasks.answer.signed_out:
        return tasks.answer.signed_out
    return ("401",)


def _json(raw: bytes, text: str) -> tuple[Any, bool]:
    if not text.strip():
        return None, False
    try:
        check_values(raw, "", JSON_VALUES)
        return json.loads(text), True
    except (ValueError, RecursionError, SourceError):
        return None, False


def _form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
            if charset.replace("-", "").replace("_", "") in ("gbk", "gb2312", "cp936"):
                return "gb18030"
            try:
                "".encode(charset)
            except LookupError:
                return "utf-8"
            return charset
    return "utf-8"


def _looks_like_html(text: str, content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind in ("text/html", "application/xhtml+xml") or text.lstrip()[:1] == "<"


def _strip(url: str) -> str:
    return url.split("?", 1)[0]
