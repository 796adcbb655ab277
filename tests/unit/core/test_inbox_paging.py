"""Paged task lists (page, offset, next-link) and incremental refresh (ETag, ``since``) against a
real local HTTP server."""

from __future__ import annotations

import sqlite3
import textwrap
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from _local_http import LocalServer, local_server
from _platforms import make_platform

from launcher.api import TaskItem
from launcher.core.errors import ConfigError, SourceError
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.service import Inbox
from launcher.core.inbox.sources import SINCE_OVERLAP, RestJsonSource
from launcher.core.registry import Platform, Registry

BASE = """
kind = "rest-json"
url = "{base_url}/api/tasks?status=open"
items = "data.items"
"""


def rows(*numbers: int, state: str = "open") -> list[dict[str, object]]:
    return [{"id": n, "title": f"任务{n}", "state": state} for n in numbers]


def page(*numbers: int, **extra: object) -> dict[str, object]:
    return {"data": {"items": rows(*numbers), **extra}}


def paged(server: LocalServer, folder: Path, paging: str, extra: str = "") -> Platform:
    tasks = BASE + extra + "\n[tasks.paging]\n" + textwrap.dedent(paging)
    return make_platform(folder, server.url, tasks=tasks)


def fetch(platform: Platform) -> list[str]:
    return [t.id for t in RestJsonSource(platform).fetch(token="tok", timeout=5)]


def queries(server: LocalServer) -> list[dict[str, list[str]]]:
    return [parse_qs(s.query) for s in server.seen]


def test_page_numbers_until_a_short_page(server, tmp_path):
    platform = paged(server, tmp_path, 'kind = "page"\nparam = "p"\nsize_param = "n"\nsize = 2\n')
    server.json("/api/tasks?status=open&n=2&p=1", page(1, 2))
    server.json("/api/tasks?status=open&n=2&p=2", page(3, 4))
    server.json("/api/tasks?status=open&n=2&p=3", page(5))
    assert fetch(platform) == ["1", "2", "3", "4", "5"]
    assert [q["p"] for q in queries(server)] == [["1"], ["2"], ["3"]]
    # Every page keeps the manifest's own query and carries the token.
    assert all(q["status"] == ["open"] for q in queries(server))
    assert all(s.headers["Authorization"] == "Bearer tok" for s in server.seen)


def test_page_numbers_may_start_at_zero_and_stop_at_the_total(server, tmp_path):
    platform = paged(server, tmp_path, 'kind = "page"\nfirst = 0\nsize = 2\ntotal = "data.total"\n')
    server.json("/api/tasks?status=open&page=0", page(1, 2, total=4))
    server.json("/api/tasks?status=open&page=1", page(3, 4, total=4))
    # A third page would be a 404 here: the total says there is none.
    assert fetch(platform) == ["1", "2", "3", "4"]
    assert len(server.seen) == 2


def test_offsets_advance_by_what_arrived_and_an_empty_page_ends(server, tmp_path):
    platform = paged(server, tmp_path, 'kind = "offset"\nparam = "start"\nsize_param = "limit"\n'
                                       'size = 2\n')
    server.json("/api/tasks?status=open&limit=2&start=0", page(1, 2))
    server.json("/api/tasks?status=open&limit=2&start=2", page(2, 3))  # shifted: 2 again
    server.json("/api/tasks?status=open&limit=2&start=4", page())
    assert fetch(platform) == ["1", "2", "3"]  # the repeated item is kept once
    assert [q["start"] for q in queries(server)] == [["0"], ["2"], ["4"]]


def test_next_links_in_the_answer_may_be_relative(server, tmp_path):
    platform = paged(server, tmp_path, 'kind = "next-link"\nnext = "data.next"\n')
    server.json("/api/tasks", page(1, next="/api/more?cursor=b"))
    server.json("/api/more", page(2, next=f"{server.url}/api/last"))
    server.json("/api/last", page(3, next=None))
    assert fetch(platform) == ["1", "2", "3"]
    assert [s.path for s in server.seen] == ["/api/tasks", "/api/more", "/api/last"]


def test_next_links_in_the_http_link_header(server, tmp_path):
    platform = paged(server, tmp_path, 'kind = "next-link"\n')
    server.raw("/api/tasks", b'{"data": {"items": [{"id": 1, "title": "a"}]}}',
               headers={"Link": '<second?x=1>; rel="next", </api/tasks>; rel="first"'})
    server.json("/api/second", page(2))
    assert fetch(platform) == ["1", "2"]


def test_a_next_link_to_another_origin_is_refused(server, tmp_path):
    platform = paged(server, tmp_path, 'kind = "next-link"\nnext = "data.next"\n')
    with local_server() as elsewhere:
        elsewhere.json("/steal", page(9))
        server.json("/api/tasks", page(1, next=f"{elsewhere.url}/steal?page=2"))
        with pytest.raises(SourceError) as caught:
            fetch(platform)
        assert elsewhere.seen == []  # the token never went there
    assert caught.value.reason == "unreadable"
    assert "outside the platform's origins" in str(caught.value)
    assert f"{elsewhere.url}/steal" in str(caught.value)


def test_a_next_link_loop_and_too_many_pages_are_errors(server, tmp_path):
    looping = paged(server, tmp_path, 'kind = "next-link"\nnext = "data.next"\n')
    server.json("/api/tasks", page(1, next="/api/tasks?status=open"))
    with pytest.raises(SourceError, match="a page already read"):
        fetch(looping)

    # A platform that ignores the page parameter answers the same full page for ever.
    endless = make_platform(tmp_path, server.url, plugin_id="demo.endless",
                            tasks=BASE + '[tasks.paging]\nkind = "page"\nsize = 2\n'
                                         'max_pages = 4\n')
    server.json("/api/tasks", page(1, 2))
    server.seen.clear()
    with pytest.raises(SourceError) as caught:
        fetch(endless)
    assert caught.value.reason == "unreadable"
    assert "more than 4 pages" in str(caught.value) and "max_pages" in str(caught.value)
    assert len(server.seen) == 4


@pytest.mark.parametrize(
    ("paging", "words"),
    [
        ('kind = "continuation"', "kind"),
        ('kind = "next-link"\nsize = 5', "size"),
        ('kind = "page"\nnext = "links.next"', "next"),
        ('kind = "offset"\nfirst = 1', "first"),
        ('kind = "page"\nmax_pages = 0', "max_pages"),
        ('kind = "page"\ncolour = 1', "colour"),
    ],
)
def test_paging_mistakes_in_the_manifest_name_the_key(tmp_path, paging, words):
    with pytest.raises(ConfigError, match=words):
        make_platform(tmp_path, "http://127.0.0.1:9", tasks=BASE + "[tasks.paging]\n" + paging)


def test_since_needs_a_status_field_and_closed_values(tmp_path):
    with pytest.raises(ConfigError, match=r"since.*fields\.status and closed"):
        make_platform(tmp_path, "http://127.0.0.1:9", tasks=BASE + 'since = "since"\n')
    with pytest.raises(ConfigError, match=r"paging.*rest-json"):
        make_platform(tmp_path, "http://127.0.0.1:9",
                      tasks='kind = "python"\nentry = "x:y"\n[tasks.paging]\nkind = "page"\n')


# -- incremental refresh through the inbox ----------------------------------------------------


def test_an_unchanged_list_answers_304_and_the_cache_stays(server, cache, tmp_path):
    platform = make_platform(tmp_path, server.url, tasks=BASE)
    inbox = Inbox(Registry([platform]), cache, lambda p: "tok")
    server.raw("/api/tasks", b'{"data": {"items": [{"id": 1, "title": "a"}, {"id": 2, '
               b'"title": "b"}]}}', headers={"ETag": '"v1"'})
    first = inbox.refresh()
    assert len(first.tasks) == 2 and "If-None-Match" not in server.seen[0].headers

    server.raw("/api/tasks", b"", status=304, headers={"ETag": '"v1"'})
    second = inbox.refresh()
    assert server.seen[1].headers["If-None-Match"] == '"v1"'
    assert [t.title for t in second.tasks] == ["a", "b"]
    state = second.states["demo.anquan"]
    assert (state.state, state.count) == ("current", 2)
    assert "not modified" in state.message
    assert state.updated is not None and state.updated > first.states["demo.anquan"].updated
    assert [t.id for t in cache.load()] == ["1", "2"]

    # A changed list comes back whole, with its new ETag for next time.
    server.raw("/api/tasks", b'{"data": {"items": [{"id": 3, "title": "c"}]}}',
               headers={"ETag": '"v2"'})
    assert [t.title for t in inbox.refresh().tasks] == ["c"]
    assert cache.sync_state("demo.anquan").etag == '"v2"'


def test_since_asks_for_changes_and_merges_them(server, cache, tmp_path):
    platform = make_platform(tmp_path, server.url, tasks=BASE + textwrap.dedent("""
        since = "changed_since"
        closed = ["done"]
        [tasks.fields]
        status = "state"
        """))
    inbox = Inbox(Registry([platform]), cache, lambda p: "tok")
    server.raw("/api/tasks", b'{"data": {"items": [{"id": 1, "title": "one", "state": "open"}, '
               b'{"id": 2, "title": "two", "state": "open"}, {"id": 9, "title": "x", '
               b'"state": "done"}]}}')
    before = datetime.now(UTC).replace(microsecond=0)
    first = inbox.refresh()
    after = datetime.now(UTC)
    assert sorted(t.title for t in first.tasks) == ["one", "two"]  # a closed item never shows
    assert "changed_since" not in parse_qs(server.seen[0].query)  # the first read is whole

    # Only what changed: 1 was closed, 2 renamed, 3 is new.
    changes = {"data": {"items": [{"id": 1, "title": "one", "state": "done"},
                                  {"id": 2, "title": "two (new)", "state": "open"},
                                  {"id": 3, "title": "three", "state": "open"}]}}
    server.json("/api/tasks", changes)
    second = inbox.refresh()
    # Asked from a little before the last answer's Date (clocks differ; a repeat is harmless).
    (asked,) = parse_qs(server.seen[1].query)["changed_since"]
    since = datetime.strptime(asked, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert before - SINCE_OVERLAP <= since <= after - SINCE_OVERLAP
    assert [t.title for t in second.tasks] == ["two (new)", "three"]
    assert [t.title for t in cache.load()] == ["two (new)", "three"]
    assert second.states["demo.anquan"].state == "current"


def test_the_sync_table_joins_an_old_cache_without_losing_its_tasks(tmp_path):
    path = tmp_path / "tasks.sqlite3"
    old = TaskCache(path)
    old.replace("demo.a", [TaskItem("demo.a", "1", "旧任务", "http://x/")],
                datetime.now(UTC))
    old.close()
    # Make it a version-1 cache: no sync table.
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE sync")
        db.execute("PRAGMA user_version=1")
    db.close()
    reopened = TaskCache(path)
    try:
        assert [t.title for t in reopened.load()] == ["旧任务"]
        assert reopened.sync_state("demo.a").etag is None
    finally:
        reopened.close()
