"""What a platform sends is bounded (issue 11, item 2): every field's length, the tasks kept per
platform, the work one answer costs, and the time it takes, whatever the server does.

Real local servers: the shared one (_local_http.py) for answers, and a raw TCP server here for
what no HTTP server library does on purpose (a body or headers that drip a byte at a time behind
a Content-Length, a reason phrase of 60,000 characters).
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from _platforms import make_platform

from launcher.api import TaskItem
from launcher.core.errors import SourceError
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.caldav_source import CalDavSource
from launcher.core.inbox.limits import (
    MAX_ANSWER_BYTES,
    MAX_ANSWER_VALUES,
    MAX_ID_CHARS,
    MAX_MESSAGE_CHARS,
    MAX_SUBJECT_CHARS,
    MAX_TASKS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
)
from launcher.core.inbox.service import GRACE, Inbox
from launcher.core.inbox.sources import RestJsonSource
from launcher.core.registry import Platform, Registry

EARLIER = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
HUGE = 1_000_000


def items(count: int, **fields: object) -> dict[str, object]:
    rows = [{"id": n, "title": f"任务{n}", **fields} for n in range(1, count + 1)]
    return {"data": {"items": rows}}


def refresh(platform: Platform, cache: TaskCache) -> tuple[list[TaskItem], object]:
    result = Inbox(Registry([platform]), cache, lambda p: "tok").refresh()
    return result.tasks, result.states[platform.id]


# --- fields and counts ----------------------------------------------------------------------

def test_eight_titles_of_a_million_characters_are_cut_and_cached_cut(server, cache,
                                                                     platform_at):
    platform = platform_at("fat")
    # The answer of the issue: 8 MB, under the byte cap.
    server.json("/fat/api/tasks", items(8, title="x" * HUGE, household="户" * 1000,
                                        form_code="f" * 1000, state="s" * 1000))
    tasks, state = refresh(platform, cache)
    assert state.state == "current" and len(tasks) == 8
    for task in tasks:
        assert len(task.title) == MAX_TITLE_CHARS and task.title.endswith("…")
        assert len(task.subject or "") == MAX_SUBJECT_CHARS
        assert len(task.form or "") <= 100 and len(task.status) <= 100
    # What the next start reads: the cache holds the cut texts, not the megabytes.
    with sqlite3.connect(cache.path) as db:
        longest = db.execute("SELECT max(length(title)), max(length(subject)) FROM tasks").fetchone()
    assert longest == (MAX_TITLE_CHARS, MAX_SUBJECT_CHARS)


def test_an_overlong_id_is_dropped_and_an_overlong_link_opens_the_home_page(server, cache,
                                                                            platform_at):
    platform = platform_at("odd")
    rows = [{"id": "x" * (MAX_ID_CHARS + 1), "title": "id too long"},
            {"id": "ok", "title": "link too long", "link": "/t?" + "q" * MAX_URL_CHARS}]
    server.json("/odd/api/tasks", {"data": {"items": rows}})
    tasks, state = refresh(platform, cache)
    assert [(t.id, t.url) for t in tasks] == [("ok", platform.home)]
    assert "1 items without id or title skipped" in state.message


def test_only_the_first_tasks_of_a_platform_are_kept_and_the_state_says_so(server, cache,
                                                                          platform_at):
    platform = platform_at("many")
    server.json("/many/api/tasks", items(MAX_TASKS + 500))
    tasks, state = refresh(platform, cache)
    assert len(tasks) == MAX_TASKS
    assert [t.id for t in tasks[:2]] == ["1", "2"]
    assert state.more and state.count == MAX_TASKS
    assert f"only the first {MAX_TASKS} kept" in state.message
    assert len(cache.load()) == MAX_TASKS


def test_paging_stops_reading_once_enough_tasks_came(server, cache, tmp_path):
    paged = make_platform(tmp_path, server.url, plugin_id="demo.paged", tasks="""
kind = "rest-json"
url = "{base_url}/api/tasks"
items = "data.items"
[tasks.paging]
kind = "page"
size = 1000
max_pages = 100
""")
    for page in range(1, 101):
        rows = [{"id": f"{page}-{n}", "title": "t"} for n in range(1000)]
        server.json(f"/api/tasks?page={page}", {"data": {"items": rows}})
    tasks, state = refresh(paged, cache)
    assert len(tasks) == MAX_TASKS and state.more
    asked = [s.query for s in server.seen]
    assert asked == [f"page={n}" for n in range(1, MAX_TASKS // 1000 + 1)]


PLUGIN = '''
from launcher.api import TaskItem

class Endless:
    def fetch(self, *, base_url, token, timeout):
        def rows():
            n = 0
            while True:  # a plugin's list that never ends
                n += 1
                yield TaskItem(platform="x", id=str(n), title="题" * 100_000, url="/t",
                               subject="户" * 100_000)
        return _Lazy(rows)

class _Lazy(list):
    """A Sequence whose iteration never ends (len() says 0)."""
    def __init__(self, rows):
        super().__init__()
        self._rows = rows
    def __iter__(self):
        return self._rows()

def make(platform):
    return Endless()
'''


def test_a_plugins_tasks_are_bounded_too(cache, tmp_path):
    platform = make_platform(tmp_path, "http://127.0.0.1:9", plugin_id="demo.endless",
                             tasks='kind = "python"\nentry = "endless_tasks:make"', timeout=20)
    (platform.manifest.folder / "endless_tasks.py").write_text(PLUGIN, encoding="utf-8")
    tasks, state = refresh(platform, cache)
    assert state.state == "current" and state.more
    assert len(tasks) == MAX_TASKS
    assert max(len(t.title) for t in tasks) == MAX_TITLE_CHARS
    assert max(len(t.subject or "") for t in tasks) == MAX_SUBJECT_CHARS


def test_an_old_cache_with_oversized_rows_is_read_back_bounded(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    TaskCache(path).close()
    # Rows an older launcher wrote before these limits: megabyte texts, a huge id, many tasks.
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO tasks (platform, id, title, url, status, subject, form, period, "
            "position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [("demo.old", str(n), "标" * HUGE, "http://x/", "s" * 1000, "户" * 1000, "f" * 1000,
              "p" * 1000, n) for n in range(8)]
            + [("demo.old", str(n), f"t{n}", "http://x/", "open", None, None, None, n)
               for n in range(8, MAX_TASKS + 50)]
            + [("demo.old2", "i" * HUGE, "title", "http://x/", "open", None, None, None, 0),
               ("demo.old2", "ok", "title", "http://x/" + "u" * HUGE, "open", None, None, None,
                1),
               ("demo.old2", "fine", "title", "http://x/", "open", None, None, None, 2)])
    cache = TaskCache(path)
    try:
        loaded = cache.load()
    finally:
        cache.close()
    old = [t for t in loaded if t.platform == "demo.old"]
    assert len(old) == MAX_TASKS
    assert max(len(t.title) for t in old) == MAX_TITLE_CHARS and old[0].title.endswith("…")
    assert max(len(t.subject or "") for t in old) == MAX_SUBJECT_CHARS
    assert max(len(t.status) for t in old) <= 100
    assert max(len(t.form or "") + len(t.period or "") for t in old) <= 200
    assert [t.id for t in loaded if t.platform == "demo.old2"] == ["fine"]


# --- the work one answer costs --------------------------------------------------------------

def test_an_answer_of_empty_arrays_is_refused_before_it_is_parsed(server, cache, platform_at):
    platform = platform_at("arrays")
    count = (MAX_ANSWER_BYTES - 100) // 3  # just under the byte cap: 16 MB of "[],"
    body = b'{"data": {"items": [' + b"[]," * count + b"[]]}}"
    server.raw("/arrays/api/tasks", body)
    source = RestJsonSource(platform)
    tracemalloc.start()
    try:
        with pytest.raises(SourceError) as caught:
            source.fetch(token="tok", timeout=20)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.reason == "unreadable"
    assert f"more than {MAX_ANSWER_VALUES:,} values" in str(caught.value)
    # The body itself (read, then joined), never its parsed form (440 MB before).
    assert peak < 4 * MAX_ANSWER_BYTES


def test_a_deeply_nested_answer_is_unreadable_not_a_crash(server, cache, platform_at):
    platform = platform_at("deep")
    server.raw("/deep/api/tasks", b"[" * 100_000 + b"]" * 100_000)
    _, state = refresh(platform, cache)
    assert (state.state, state.reason) == ("failed", "unreadable")
    assert "nested too deeply" in state.message


def test_an_answer_larger_than_the_cap_is_refused_by_its_length_unread(server, cache,
                                                                      platform_at):
    platform = platform_at("big")
    server.raw("/big/api/tasks", b" " * (MAX_ANSWER_BYTES + 1))
    _, state = refresh(platform, cache)
    assert (state.state, state.reason) == ("failed", "unreadable")
    assert "larger than 16 MB" in state.message


# --- the deadline, whatever the server does -------------------------------------------------

class RawServer:
    """A TCP server on 127.0.0.1 that sends each connection ``head`` at once and then ``drip``
    one byte every ``every`` seconds, until the client goes or the server stops."""

    def __init__(self, head: bytes, drip: bytes = b"", every: float = 0.05) -> None:
        self.head, self.drip, self.every = head, drip, every
        self.stopped = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # stopped
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)  # the request (small enough to come in one piece)
                conn.sendall(self.head)
                for byte in self.drip:
                    if self.stopped.wait(self.every):
                        return
                    conn.sendall(bytes([byte]))
                self.stopped.wait(30)  # then hold the connection open
            except OSError:
                return  # the client cut the connection: what the deadline does

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()


@pytest.fixture
def raw_server() -> Iterator[list[RawServer]]:
    servers: list[RawServer] = []
    yield servers
    for server in servers:
        server.stop()


def _dripping_body(raw_server: list[RawServer]) -> RawServer:
    body = json.dumps(items(200)).encode()
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body))
    server = RawServer(head, body)  # 200 tasks at 20 bytes a second: about 8 minutes
    raw_server.append(server)
    return server


def _inbox_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("inbox-")]


def test_a_body_that_drips_behind_a_content_length_ends_at_the_deadline(raw_server, cache,
                                                                       tmp_path):
    server = _dripping_body(raw_server)
    platform = make_platform(tmp_path, server.url, plugin_id="demo.drip", timeout=1.5)
    cache.replace("demo.drip", [TaskItem("demo.drip", "old", "cached", "http://x/")], EARLIER)
    before = set(_inbox_threads())
    started = time.monotonic()
    result = Inbox(Registry([platform]), cache, lambda p: "tok").refresh()
    took = time.monotonic() - started
    state = result.states["demo.drip"]
    assert (state.state, state.reason) == ("failed", "timeout")
    assert [t.title for t in result.tasks] == ["cached"]
    assert took < 1.5 + GRACE + 1.0  # the deadline, with a generous margin
    # Its thread does not outlive the refresh: the connection was cut at the deadline.
    for thread in set(_inbox_threads()) - before:
        thread.join(timeout=2.0)
        assert not thread.is_alive(), "the platform's thread outlived the refresh"


def test_a_source_reports_the_drip_itself_by_its_deadline(raw_server, tmp_path):
    server = _dripping_body(raw_server)
    platform = make_platform(tmp_path, server.url, plugin_id="demo.drip2")
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        RestJsonSource(platform).fetch(token="tok", timeout=1.0)
    assert caught.value.reason == "timeout"
    assert "did not finish within 1.0 s" in str(caught.value)
    assert time.monotonic() - started < 1.0 + 2.0


def test_headers_that_drip_end_at_the_deadline_too(raw_server, tmp_path):
    # Each header byte comes well within requests' read timeout: only the deadline ends it.
    server = RawServer(b"HTTP/1.1 200 OK\r\n", b"X-Slow: " + b"a" * 10_000)
    raw_server.append(server)
    platform = make_platform(tmp_path, server.url, plugin_id="demo.headers")
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        RestJsonSource(platform).fetch(token="tok", timeout=1.0)
    assert caught.value.reason == "timeout"
    assert time.monotonic() - started < 1.0 + 2.0


def test_a_caldav_answer_that_drips_ends_at_the_deadline(raw_server, tmp_path):
    body = b'<?xml version="1.0"?><multistatus xmlns="DAV:">' + b" " * 5000 + b"</multistatus>"
    server = RawServer(b"HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body), body)
    raw_server.append(server)
    platform = make_platform(tmp_path, server.url, plugin_id="demo.dav",
                             tasks='kind = "caldav"\nurl = "{base_url}/dav/tasks/"')
    source = CalDavSource(platform)
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        source.fetch(token="tok", timeout=1.0)
    assert caught.value.reason == "timeout", str(caught.value)
    assert time.monotonic() - started < 1.0 + 2.0


def test_a_caldav_answer_of_too_many_elements_is_refused_unparsed(raw_server, tmp_path):
    body = (b'<?xml version="1.0"?><multistatus xmlns="DAV:">'
            + b"<a/>" * (MAX_ANSWER_VALUES + 1) + b"</multistatus>")
    server = RawServer(b"HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body) + body)
    raw_server.append(server)
    platform = make_platform(tmp_path, server.url, plugin_id="demo.davbig",
                             tasks='kind = "caldav"\nurl = "{base_url}/dav/tasks/"')
    with pytest.raises(SourceError) as caught:
        CalDavSource(platform).fetch(token="tok", timeout=10)
    assert caught.value.reason == "unreadable"
    assert "values" in str(caught.value)


def test_a_huge_reason_phrase_is_not_kept_whole(raw_server, cache, tmp_path):
    server = RawServer(b"HTTP/1.1 500 " + b"x" * 60_000 + b"\r\nContent-Length: 0\r\n\r\n")
    raw_server.append(server)
    platform = make_platform(tmp_path, server.url, plugin_id="demo.phrase")
    _, state = refresh(platform, cache)
    assert (state.state, state.reason) == ("failed", "platform")
    assert len(state.message) <= MAX_MESSAGE_CHARS
