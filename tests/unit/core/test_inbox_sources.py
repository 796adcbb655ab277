"""RestJsonSource and plugin sources against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from _local_http import LocalServer, closed_port_url, local_server
from _platforms import make_platform

from launcher.core.errors import SourceError
from launcher.core.inbox.sources import PluginSource, RestJsonSource, source_for
from launcher.core.registry import Platform

CST = timezone(timedelta(hours=8))
TOKEN = "tok-7f3a9c-secret"


@pytest.fixture
def platform(server: LocalServer, tmp_path: Path) -> Platform:
    return make_platform(tmp_path, server.url, timeout=2.0)


def answer(*items: dict[str, object]) -> dict[str, object]:
    return {"code": 0, "data": {"items": list(items), "total": len(items)}}


def fetch(platform: Platform, token: str | None = TOKEN, timeout: float = 2.0) -> list:
    return RestJsonSource(platform).fetch(token=token, timeout=timeout)


def fails(platform: Platform, timeout: float = 2.0) -> SourceError:
    with pytest.raises(SourceError) as caught:
        fetch(platform, timeout=timeout)
    assert TOKEN not in str(caught.value)
    return caught.value


def test_tasks_are_read_from_the_declared_path_with_the_bearer_token(server, platform):
    server.json("/api/tasks", answer(
        {"id": 17, "title": "张三户 消防安全检查", "deadline": "2026-11-30T17:00:00+08:00",
         "link": "/tasks/17", "form_code": "safety_check", "household": "张三", "state": "open"},
        {"id": "a-2", "title": "李四户 燃气检查", "deadline": "2026-12-01 09:30:00",
         "link": "http://elsewhere.example/x"},
    ))
    tasks = fetch(platform)

    assert server.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert server.seen[0].query == "status=open"
    assert [t.id for t in tasks] == ["17", "a-2"]
    first, second = tasks
    assert first.platform == "demo.anquan"
    assert first.title == "张三户 消防安全检查"
    assert first.url == f"{server.url}/tasks/17"
    assert first.due == datetime(2026, 11, 30, 17, 0, tzinfo=CST)
    assert (first.form, first.subject, first.status) == ("safety_check", "张三", "open")
    # A time without an offset is China time.
    assert second.due == datetime(2026, 12, 1, 9, 30, tzinfo=CST)
    assert second.url == "http://elsewhere.example/x"
    assert second.form is None and second.status == "open"


def test_without_a_token_no_authorization_header_is_sent(server, platform):
    server.json("/api/tasks", answer({"id": 1, "title": "t"}))
    fetch(platform, token=None)
    assert "Authorization" not in server.seen[0].headers


def test_nested_paths_numeric_indexes_and_a_bare_list(server, tmp_path):
    server.json("/list", [{"meta": {"key": "n1", "due": 1764464400},
                           "names": ["第一项", "别名"], "links": [{"href": "p/1"}],
                           "period": "2026-11", "prio": "2"}])
    platform = make_platform(tmp_path, server.url, tasks=textwrap.dedent("""
        kind = "rest-json"
        url = "{base_url}/list"
        [tasks.fields]
        id = "meta.key"
        title = "names.0"
        url = "links.0.href"
        due = "meta.due"
        period = "period"
        priority = "prio"
        """))
    [task] = fetch(platform)
    assert (task.id, task.title, task.period, task.priority) == ("n1", "第一项", "2026-11", 2)
    assert task.url == f"{server.url}/p/1"
    assert task.due == datetime(2025, 11, 30, 9, 0, tzinfo=CST)

    server.json("/deep", {"results": [{"tasks": [{"id": 5, "title": "五"}]}]})
    deep = make_platform(tmp_path, server.url, plugin_id="demo.deep", tasks=textwrap.dedent("""
        kind = "rest-json"
        url = "{base_url}/deep"
        items = "results.0.tasks"
        """))
    assert [t.title for t in fetch(deep)] == ["五"]


@pytest.mark.parametrize(("written", "expected"), [
    ("2026-11-30T09:00:00Z", datetime(2026, 11, 30, 17, 0, tzinfo=CST)),
    ("2026-11-30 17:00:00", datetime(2026, 11, 30, 17, 0, tzinfo=CST)),
    ("2026/11/30 17:00", datetime(2026, 11, 30, 17, 0, tzinfo=CST)),
    ("2026-11-30", datetime(2026, 11, 30, 23, 59, 59, tzinfo=CST)),
    (1796115600, datetime(2026, 12, 1, 17, 0, tzinfo=CST)),
    (1796115600000, datetime(2026, 12, 1, 17, 0, tzinfo=CST)),
    ("1796115600000", datetime(2026, 12, 1, 17, 0, tzinfo=CST)),
    ("下周一", None),
    ("2026-02-30", None),
    (None, None),
])
def test_due_times_in_the_forms_platforms_write_them(server, platform, written, expected):
    server.json("/api/tasks", answer({"id": 1, "title": "t", "deadline": written}))
    [task] = fetch(platform)
    assert task.due == expected
    if task.due is not None:
        assert task.due.tzinfo is not None


def test_items_without_id_or_title_are_skipped_and_counted(server, platform):
    server.json("/api/tasks", answer(
        {"id": 1, "title": "有效"}, {"title": "没有编号"}, {"id": 3, "title": "  "},
        "not an object", {"id": 4, "title": "也有效"},
    ))
    source = RestJsonSource(platform)
    tasks = source.fetch(token=TOKEN, timeout=2.0)
    assert [t.title for t in tasks] == ["有效", "也有效"]
    assert source.skipped == 3
    # A missing link leads to the platform's home page.
    assert tasks[0].url == f"{server.url}/"


def test_a_javascript_link_is_never_kept(server, platform):
    server.json("/api/tasks", answer({"id": 1, "title": "t", "link": "javascript:alert(1)"}))
    [task] = fetch(platform)
    assert task.url == platform.home


def test_an_answer_of_another_shape_names_the_path_that_failed(server, platform):
    server.json("/api/tasks", {"code": 0, "result": {"items": []}})
    error = fails(platform)
    assert error.reason == "unreadable"
    assert "'data'" in str(error) and "data.items" in str(error)

    server.json("/api/tasks", {"data": {"items": {"id": 1}}})
    error = fails(platform)
    assert error.reason == "unreadable"
    assert "list" in str(error) and "data.items" in str(error)


def test_invalid_json_is_unreadable(server, platform):
    server.raw("/api/tasks", b"<html><body>\xe7\x99\xbb\xe5\xbd\x95</body></html>",
               content_type="text/html")
    assert fails(platform).reason == "unreadable"
    server.raw("/api/tasks", b'{"data": {"items": [')
    assert fails(platform).reason == "unreadable"


@pytest.mark.parametrize("status", [401, 403])
def test_a_refused_token_means_signed_out(server, platform, status):
    server.json("/api/tasks", {"error": "invalid_token"}, status=status)
    error = fails(platform)
    assert error.reason == "signed-out"
    assert str(status) in str(error)


@pytest.mark.parametrize("status", [404, 500, 503])
def test_server_errors_are_the_platforms_and_name_the_status(server, platform, status):
    server.json("/api/tasks", {"error": "boom"}, status=status)
    error = fails(platform)
    assert error.reason == "platform"
    assert f"HTTP {status}" in str(error)


def test_a_platform_that_does_not_answer_times_out(server, platform):
    server.json("/api/tasks", answer({"id": 1, "title": "t"}), fault="hold")
    assert fails(platform, timeout=0.3).reason == "timeout"


def test_a_dropped_connection_is_a_network_failure(server, platform):
    server.json("/api/tasks", answer({"id": 1, "title": "t"}), fault="drop")
    assert fails(platform).reason == "network"


def test_an_answer_cut_short_is_a_network_failure(server, platform):
    server.json("/api/tasks", answer(*({"id": n, "title": "t" * 50} for n in range(200))),
                fault="cut")
    assert fails(platform).reason == "network"


def test_a_refused_connection_is_a_network_failure(tmp_path):
    platform = make_platform(tmp_path, closed_port_url())
    error = fails(platform)
    assert error.reason == "network"
    assert "refused" in str(error).lower()


def test_a_redirect_off_the_platform_means_signed_out(server, platform):
    with local_server() as idp:
        idp.html("/login", "<form>登录</form>")
        server.raw("/api/tasks", b"", status=302, headers={"Location": f"{idp.url}/login"})
        error = fails(platform)
    assert error.reason == "signed-out"
    assert "/login" in str(error)


# -- plugin (python) sources ----------------------------------------------------------------------

PLUGIN_SOURCE = '''
from launcher.api import TaskItem

class Source:
    def __init__(self, platform):
        self.platform = platform

    def fetch(self, *, base_url, token, timeout):
        mode = (self.platform.base_url.rsplit("/", 1)[-1])
        if mode == "boom":
            raise RuntimeError("database is locked")
        if mode == "wrong":
            return "not a list"
        return [
            TaskItem(platform="someone.else", id="1", title=f"{token} @ {base_url}", url="t/1"),
            TaskItem(platform="x", id="", title="no id", url=""),
        ]

def make(platform):
    return Source(platform)
'''


def python_platform(tmp_path: Path, base_url: str, module: str, entry: str) -> Platform:
    platform = make_platform(tmp_path, base_url, plugin_id=f"demo.{module}",
                             tasks=f'kind = "python"\nentry = "{entry}"')
    (platform.manifest.folder / f"{module}.py").write_text(PLUGIN_SOURCE, encoding="utf-8")
    return platform


def test_a_python_source_speaks_only_for_its_own_platform(tmp_path):
    platform = python_platform(tmp_path, "http://127.0.0.1:9/ok", "pysrc_ok", "pysrc_ok:make")
    source = source_for(platform)
    assert isinstance(source, PluginSource)
    [task] = source.fetch(token="abc", timeout=1.0)
    assert task.platform == "demo.pysrc_ok"
    assert task.title == "abc @ http://127.0.0.1:9/ok"
    assert task.url == "http://127.0.0.1:9/ok/t/1"
    assert source.skipped == 1


@pytest.mark.parametrize(("module", "base", "entry", "words"), [
    ("pysrc_boom", "boom", "pysrc_boom:make", "database is locked"),
    ("pysrc_wrong", "wrong", "pysrc_wrong:make", "not a list"),
    ("pysrc_noattr", "ok", "pysrc_noattr:missing", "missing"),
    ("pysrc_nomod", "ok", "no_such_module_here:make", "no_such_module_here"),
])
def test_whatever_a_plugin_gets_wrong_is_reason_plugin(tmp_path, module, base, entry, words):
    platform = python_platform(tmp_path, f"http://127.0.0.1:9/{base}", module, entry)
    with pytest.raises(SourceError) as caught:
        source_for(platform).fetch(token=None, timeout=1.0)
    assert caught.value.reason == "plugin"
    assert words in str(caught.value)


def test_source_for_picks_the_declared_kind(tmp_path, server):
    rest = make_platform(tmp_path, server.url)
    assert isinstance(source_for(rest), RestJsonSource)
