"""Task sources: the declarative REST JSON source and the adapter around a plugin's own Python one.

Both expose one call, ``fetch(*, token, timeout) -> list[TaskItem]``, and raise only
``SourceError`` with a reason code the UI turns into words.
"""

from __future__ import annotations

import importlib
import json
import logging
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.inbox.timestamps import parse_time
from launcher.core.registry import Platform

log = logging.getLogger(__name__)

# A task list is small; anything bigger is a misconfigured URL (a file download, a log dump).
MAX_ANSWER_BYTES = 16 * 1024 * 1024
_CHUNK = 64 * 1024


class Source(Protocol):
    """What the inbox calls: one uniform fetch for declarative and plugin sources alike."""

    skipped: int
    """Items of the last answer that were dropped for lack of an id or a title."""

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]: ...


class RestJsonSource:
    """A platform's REST JSON task list, described by the ``[tasks]`` table of its manifest."""

    def __init__(self, platform: Platform, http: requests.Session | None = None) -> None:
        spec = platform.manifest.tasks
        if spec is None or spec.kind != "rest-json":
            raise ValueError(f"{platform.id} has no rest-json task source")
        self.platform = platform
        self.spec = spec
        self.url = platform.expand(spec.url)
        self.http = http or requests.Session()
        self.skipped = 0

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]:
        answer = self._get(token, timeout)
        rows = _walk(answer, self.spec.items)
        tasks: list[TaskItem] = []
        skipped = 0
        for index, row in enumerate(rows):
            item = self._item(row)
            if item is None:
                skipped += 1
                log.debug("%s: item %d skipped (no id or title)", self.platform.id, index)
                continue
            tasks.append(item)
        self.skipped = skipped
        if skipped:
            log.info("%s: %d of %d items skipped (no id or title)", self.platform.id, skipped,
                     len(rows))
        return tasks

    def _get(self, token: str | None, timeout: float) -> Any:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # requests' timeout bounds each socket wait, not the whole answer: a platform that trickles
        # a byte at a time would never time out. The deadline below bounds the whole read.
        deadline = time.monotonic() + timeout
        try:
            with self.http.get(self.url, headers=headers, timeout=timeout, stream=True) as answer:
                self._check_status(answer)
                body = _read_body(answer, deadline, self.url)
        except SourceError:
            raise
        except requests.Timeout:
            raise SourceError(f"GET {self.url}: no answer within {timeout:g} s",
                              "timeout") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise SourceError(f"GET {self.url}: {_reason(exc)}", "network") from None
        except requests.RequestException as exc:
            raise SourceError(f"GET {self.url}: {_reason(exc)}", "unreadable") from None
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceError(f"GET {self.url}: the answer is not JSON ({exc})",
                              "unreadable") from None

    def _check_status(self, answer: requests.Response) -> None:
        if answer.history and not self.platform.owns(answer.url):
            # An API that redirects off the platform is sending us to a login page.
            raise SourceError(f"GET {self.url}: redirected to {_strip_query(answer.url)}, "
                              "outside the platform (a login page?)", "signed-out")
        if answer.status_code in (401, 403):
            raise SourceError(f"GET {self.url}: HTTP {answer.status_code}: the platform refused "
                              "the token", "signed-out")
        if answer.status_code >= 400:
            raise SourceError(f"GET {self.url}: HTTP {answer.status_code} {answer.reason}",
                              "platform")

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
            url=self._url(get("url")),
            due=parse_time(get("due")),
            status=_text(get("status")) or "open",
            form=_text(get("form")),
            subject=_text(get("subject")),
            period=_text(get("period")),
            priority=_integer(get("priority")),
            updated=parse_time(get("updated")),
        )

    def _url(self, value: Any) -> str:
        link = _text(value)
        if link is None:
            return self.platform.home
        absolute = self.platform.absolute(link)
        # Only web pages: a javascript: or file: link from a platform is never opened.
        if urlsplit(absolute).scheme not in ("http", "https"):
            return self.platform.home
        return absolute


def _read_body(answer: requests.Response, deadline: float, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in answer.iter_content(_CHUNK):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise SourceError(f"GET {url}: the answer is larger than "
                              f"{MAX_ANSWER_BYTES // (1024 * 1024)} MB", "unreadable")
        if time.monotonic() > deadline:
            raise SourceError(f"GET {url}: the answer did not finish in time", "timeout")
        chunks.append(chunk)
    return b"".join(chunks)


def _walk(answer: Any, path: str) -> list[Any]:
    """The list at the dotted ``path`` of the answer ('' = the answer itself is the list)."""
    node = answer
    walked: list[str] = []
    for part in path.split(".") if path else []:
        walked.append(part)
        found, node = _step(node, part)
        if not found:
            raise SourceError(f"the answer has no {'.'.join(walked)!r} (looking for the task "
                              f"list at {path!r})", "unreadable")
    if not isinstance(node, list):
        where = repr(path) if path else "the top level"
        raise SourceError(f"the answer has {type(node).__name__} at {where}, "
                          "where a list of tasks was expected", "unreadable")
    return node


def _step(node: Any, part: str) -> tuple[bool, Any]:
    if isinstance(node, Mapping):
        return (part in node, node.get(part))
    if isinstance(node, list) and part.lstrip("-").isdigit():
        index = int(part)
        if -len(node) <= index < len(node):
            return (True, node[index])
    return (False, None)


def _lookup(row: Mapping[str, Any], path: str) -> Any:
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


def _reason(exc: BaseException) -> str:
    # requests nests the cause (urllib3 MaxRetryError -> NewConnectionError -> OSError); the
    # innermost message says what a person can act on ("Connection refused", "Name or service…").
    inner: BaseException = exc
    for _ in range(8):
        first = inner.args[0] if inner.args else None
        nested = first if isinstance(first, BaseException) else getattr(inner, "reason", None)
        if not isinstance(nested, BaseException):
            nested = inner.__cause__ or inner.__context__
        if nested is None or nested is inner:
            break
        inner = nested
    text = str(inner) or type(inner).__name__
    # urllib3 prefixes its messages with the repr of the connection object.
    return text.split(">: ", 1)[-1] if text.startswith("<") else text


def _strip_query(url: str) -> str:
    return url.split("?", 1)[0]


# -- Python sources from plugins ---------------------------------------------------------------

_IMPORT_LOCK = threading.Lock()


class PluginSource:
    """A plugin's own TaskSource, imported on first use and held to the same rules as the rest.

    Whatever the plugin raises or returns wrongly becomes ``SourceError(reason="plugin")``, so a
    broken plugin shows as failed and never takes the inbox down.
    """

    def __init__(self, platform: Platform) -> None:
        spec = platform.manifest.tasks
        if spec is None or spec.kind != "python":
            raise ValueError(f"{platform.id} has no python task source")
        self.platform = platform
        self.entry = spec.entry
        self.skipped = 0
        self._source: Any = None

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]:
        source = self._load()
        try:
            answer = source.fetch(base_url=self.platform.base_url, token=token, timeout=timeout)
        except SourceError:
            raise
        except Exception as exc:
            raise SourceError(f"{self.entry}: fetch raised {type(exc).__name__}: {exc}",
                              "plugin") from exc
        if isinstance(answer, str | bytes) or not isinstance(answer, Sequence):
            raise SourceError(f"{self.entry}: fetch returned {type(answer).__name__}, "
                              "not a list of TaskItem", "plugin")
        tasks: list[TaskItem] = []
        skipped = 0
        for item in answer:
            if not isinstance(item, TaskItem) or not item.id or not item.title:
                skipped += 1
                continue
            # A plugin speaks only for its own platform, and its links open only as web pages.
            url = self.platform.absolute(item.url) if item.url else self.platform.home
            if urlsplit(url).scheme not in ("http", "https"):
                url = self.platform.home
            tasks.append(replace(item, platform=self.platform.id, url=url))
        self.skipped = skipped
        return tasks

    def _load(self) -> Any:
        if self._source is not None:
            return self._source
        folder = self.platform.manifest.folder.resolve()
        module_name, _, attr = self.entry.partition(":")
        try:
            with _IMPORT_LOCK:
                if str(folder) not in sys.path:
                    sys.path.insert(0, str(folder))
                module = importlib.import_module(module_name)
            _check_home(module, folder, module_name)
            factory = getattr(module, attr)
            source = factory(self.platform)
        except SourceError:
            raise
        except Exception as exc:
            raise SourceError(f"{self.entry}: cannot load the task source "
                              f"({type(exc).__name__}: {exc})", "plugin") from exc
        if not callable(getattr(source, "fetch", None)):
            raise SourceError(f"{self.entry}: returned {type(source).__name__}, which has no "
                              "fetch(*, base_url, token, timeout)", "plugin")
        self._source = source
        return source


def _check_home(module: Any, folder: Path, name: str) -> None:
    # Two plugins with a module of the same name would silently share the first one imported.
    origin = getattr(module, "__file__", None)
    if origin and not Path(origin).resolve().is_relative_to(folder):
        raise SourceError(f"module {name!r} was already imported from {origin}, not from "
                          f"{folder}: rename the plugin's module", "plugin")


def source_for(platform: Platform) -> RestJsonSource | PluginSource:
    """The task source a platform's manifest declares; ValueError for a platform without one."""
    spec = platform.manifest.tasks
    if spec is None:
        raise ValueError(f"{platform.id} declares no task source")
    if spec.kind == "rest-json":
        return RestJsonSource(platform)
    if spec.kind == "python":
        return PluginSource(platform)
    raise ValueError(f"{platform.id}: unknown task source kind {spec.kind!r}")
