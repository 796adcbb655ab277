"""Marking a task done through a platform's REST API (``[tasks.done]``), and through a Python
plugin's ``complete``: the request, the re-read that confirms, and every way it is refused.

Two kinds of platform: the demo county's own (real Flask platforms checking real JWTs from the
demo identity provider) and a local HTTP server that misbehaves on demand (_local_http.py).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from _local_http import LocalServer, closed_port_url
from _platforms import make_platform

from launcher.core.auth.oidc import OidcClient
from launcher.core.county import load_county
from launcher.core.errors import ConfigError, SourceError
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.service import Inbox
from launcher.core.inbox.sources import PluginSource, RestJsonSource, source_for
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform, Registry, build_registry
from launcher_demo import DEMO_USERS, DemoCounty, sign_in_scripted

# --- the demo county's platforms ------------------------------------------------------------


class DemoTokens:
    """The launcher's tokens, got the launcher's way: one login at the demo provider, then one
    narrow access token per platform (RFC 8707 resource)."""

    def __init__(self, county: DemoCounty, registry: Registry) -> None:
        self.client = OidcClient(county.issuer, "launcher")
        scopes = ("openid", "profile", "offline_access",
                  *(s for p in registry.platforms for s in p.scopes))
        flow = self.client.begin("http://127.0.0.1/callback", scopes)
        user = DEMO_USERS[0]
        answer = self.client.complete(flow, sign_in_scripted(flow.auth_uri, user.username,
                                                             user.password))
        self.refresh_token = str(answer["refresh_token"])
        self.tokens: dict[str, str] = {}

    def token_for(self, platform: Platform) -> str:
        if platform.id not in self.tokens:
            answer = self.client.refresh(self.refresh_token, platform.scopes, platform.resource)
            self.tokens[platform.id] = str(answer["access_token"])
        return self.tokens[platform.id]


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCounty]:
    """A demo county of its own: these tests close its tasks (the shared one must stay whole)."""
    with DemoCounty(directory=tmp_path_factory.mktemp("done-county"), platform_count=5,
                    legacy=False) as started:
        yield started


@pytest.fixture(scope="module")
def registry(county: DemoCounty) -> Registry:
    built = build_registry(load_county(county.county_path))
    assert not built.errors
    return built


@pytest.fixture(scope="module")
def tokens(county: DemoCounty, registry: Registry) -> DemoTokens:
    return DemoTokens(county, registry)


@pytest.fixture
def inbox(registry: Registry, tokens: DemoTokens, cache: TaskCache) -> Inbox:
    return Inbox(registry, cache, tokens.token_for)


def cached(inbox: Inbox, platform_id: str) -> list[tuple[str, str]]:
    return [(t.id, t.title) for t in inbox.cached().tasks if t.platform == platform_id]


def test_done_is_accepted_and_the_task_is_gone_on_the_platform_and_in_the_cache(county, inbox):
    inbox.refresh(["demo.anquan"])
    task = next(t for t in inbox.cached().tasks if t.platform == "demo.anquan")

    inbox.complete("demo.anquan", task.id)

    assert task.id not in dict(cached(inbox, "demo.anquan"))
    item = next(i for i in county.tasks("demo.anquan") if i["id"] == task.id)
    assert item["state"] == "done"  # PATCH {"state": "done"} changed it on the platform
    again = inbox.refresh(["demo.anquan"])
    assert again.states["demo.anquan"].state == "current"
    assert task.id not in {t.id for t in again.tasks if t.platform == "demo.anquan"}


def test_done_on_a_platform_with_an_etag_reads_the_changed_list(county, inbox):
    inbox.refresh(["demo.laji"])
    before = cached(inbox, "demo.laji")
    task_id = before[0][0]

    inbox.complete("demo.laji", task_id)

    assert cached(inbox, "demo.laji") == before[1:]
    # The next refresh sends the old ETag; the list changed, so the platform answers in full.
    result = inbox.refresh(["demo.laji"])
    assert "not modified" not in result.states["demo.laji"].message
    assert task_id not in {t.id for t in result.tasks if t.platform == "demo.laji"}


def test_a_refusal_carries_the_platforms_words_and_leaves_the_cache(county, inbox):
    inbox.refresh(["demo.zhifa"])
    before = inbox.cached().tasks
    inspection = next(t for t in before if t.platform == "demo.zhifa" and t.form)

    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.zhifa", inspection.id)

    assert caught.value.reason == "refused"
    assert "须在平台上填写检查记录后方可办结" in str(caught.value)
    assert "HTTP 409" in str(caught.value)
    assert inbox.cached().tasks == before


def test_the_refused_inspection_can_be_closed_once_its_record_is_entered(county, inbox,
                                                                        registry):
    inbox.refresh(["demo.zhifa"])
    inspection = next(t for t in inbox.cached().tasks if t.platform == "demo.zhifa" and t.form)
    with pytest.raises(SourceError):
        inbox.complete("demo.zhifa", inspection.id)

    submit_record(county.base_urls["demo.zhifa"], inspection.id)
    inbox.complete("demo.zhifa", inspection.id)

    assert inspection.id not in dict(cached(inbox, "demo.zhifa"))


def submit_record(base_url: str, task_id: str) -> None:
    """Enter the inspection record on the platform's own form, signed in as a browser would."""
    with requests.Session() as web:
        web.trust_env = False
        start = web.get(f"{base_url}/auth/login", params={"next": "/"}, allow_redirects=False,
                        timeout=10)
        user = DEMO_USERS[0]
        callback = sign_in_scripted(urljoin(base_url, start.headers["Location"]), user.username,
                                    user.password)
        web.get(callback, timeout=10).raise_for_status()
        answer = web.post(f"{base_url}/jcjl/add", params={"task": task_id}, timeout=10, data={
            "zfry_xm": "张伟", "zfry_sfz": "330102198001011234", "lxdh": "13800000000",
            "ssxz": "城关镇", "cun": "李家村", "jcrq": "2026-03-01", "jcdx": "张记小吃店",
            "jcjg": "未发现问题"})
        assert answer.status_code == 200 and "提交成功" in answer.text


def test_a_task_without_a_form_is_closed_on_the_strict_platform(inbox):
    inbox.refresh(["demo.zhifa"])
    plain = next(t for t in inbox.cached().tasks if t.platform == "demo.zhifa" and not t.form)
    inbox.complete("demo.zhifa", plain.id)
    assert plain.id not in dict(cached(inbox, "demo.zhifa"))


def test_another_users_task_is_refused_as_not_found(county, inbox):
    others = [i for i in county.tasks("demo.anquan") if i["state"] == "open"]
    mine = {t.id for t in inbox.refresh(["demo.anquan"]).tasks}
    foreign = next(i["id"] for i in others if i["id"] not in mine)
    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.anquan", str(foreign))
    assert caught.value.reason == "refused"
    assert "任务不存在" in str(caught.value)


def test_a_platform_without_tasks_done_is_unsupported(inbox, registry):
    platform = registry.get("demo.dangyuan")
    assert platform is not None
    source = source_for(platform)
    assert isinstance(source, RestJsonSource) and not source.can_complete
    assert source_for(registry.get("demo.anquan")).can_complete  # type: ignore[arg-type]
    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.dangyuan", "10231")
    assert caught.value.reason == "unsupported"
    assert "[tasks.done]" in str(caught.value)
    able = {p.id for p in registry.platforms if inbox.can_complete(p.id)}
    assert able == {"demo.anquan", "demo.laji", "demo.zhifa"}
    assert not inbox.can_complete("demo.nowhere")


# --- a platform that misbehaves on demand ---------------------------------------------------

LIST = "/p/api/tasks"
ITEM = {"id": "A/1", "title": "入户走访", "state": "open"}
OTHER = {"id": "B2", "title": "月报", "state": "open"}

DONE = """
kind = "rest-json"
url = "{base_url}/api/tasks?status=open"
items = "data.items"
closed = ["done"]
[tasks.fields]
id = "id"
title = "title"
status = "state"
[tasks.done]
method = "PUT"
url = "{base_url}/api/tasks/{id}/state"
body = { state = "done", by = ["launcher", "{id}"] }
"""


class Tokens:
    """tok-1, then tok-2 after the platform refused the first (the inbox's one retry)."""

    def __init__(self) -> None:
        self.generation = 1

    def token_for(self, platform: Platform) -> str:
        return f"tok-{self.generation}"

    def invalidate(self, platform: Platform) -> None:
        self.generation += 1


def listing(server: LocalServer, *items: dict[str, str]) -> None:
    server.json(LIST, {"data": {"items": list(items)}})


@pytest.fixture
def local(server: LocalServer, cache: TaskCache, tmp_path: Path) -> tuple[Inbox, Tokens]:
    platform = make_platform(tmp_path, f"{server.url}/p", plugin_id="demo.p", tasks=DONE,
                             timeout=2)
    tokens = Tokens()
    inbox = Inbox(Registry([platform]), cache, tokens.token_for, invalidate=tokens.invalidate)
    listing(server, ITEM, OTHER)
    inbox.refresh()
    assert len(inbox.cached().tasks) == 2
    return inbox, tokens


DONE_PATH = "/p/api/tasks/A%2F1/state"


def done_requests(server: LocalServer) -> list[tuple[str, str, dict[str, object]]]:
    return [(s.method, s.headers.get("Authorization", ""), json.loads(s.body or b"null"))
            for s in server.seen if s.path == DONE_PATH]


def test_the_request_is_the_declared_one_and_the_reread_is_whole(server, local):
    inbox, _ = local
    server.json(DONE_PATH, {"ok": True})
    listing(server, OTHER, {**ITEM, "state": "done"})  # still listed, but with a closed status
    before = len(server.seen)

    inbox.complete("demo.p", "A/1")

    # {id} URL-quoted in the path, verbatim in the body; the bearer token sent.
    assert done_requests(server) == [
        ("PUT", "Bearer tok-1", {"state": "done", "by": ["launcher", "A/1"]})]
    reread = [s for s in server.seen[before:] if s.path == LIST]
    assert len(reread) == 1 and "If-None-Match" not in reread[0].headers
    assert [t.id for t in inbox.cached().tasks] == ["B2"]


def test_a_refused_token_is_replaced_once_then_the_done_goes_through(server, local):
    inbox, tokens = local
    server.json(DONE_PATH, {"ok": True})
    server.routes[DONE_PATH].bearer = "tok-2"  # tok-1 gets 401: revoked meanwhile
    listing(server, OTHER)

    inbox.complete("demo.p", "A/1")

    assert [(m, auth) for m, auth, _ in done_requests(server)] == [
        ("PUT", "Bearer tok-1"), ("PUT", "Bearer tok-2")]
    assert tokens.generation == 2
    assert [t.id for t in inbox.cached().tasks] == ["B2"]


@pytest.mark.parametrize(("status", "answer", "reason", "words"), [
    (409, {"code": 409, "message": "该事项已被他人办结"}, "refused", "该事项已被他人办结"),
    (422, {"error": {"code": "E1", "msg": "缺少处理意见"}}, "refused", "缺少处理意见"),
    (404, {"msg": "任务不存在"}, "refused", "任务不存在"),
    (400, "<html>Bad Request</html>", "refused", "HTTP 400"),
    (500, {"message": "数据库连接失败"}, "platform", "数据库连接失败 (HTTP 500)"),
    (503, "", "platform", "HTTP 503"),
    (405, {}, "platform", "HTTP 405"),
    (403, {"message": "无权限"}, "signed-out", "HTTP 403"),
])
def test_answers_to_the_done_request_and_the_cache_kept(server, local, status, answer, reason,
                                                        words):
    inbox, _ = local
    before = inbox.cached().tasks
    body = answer.encode() if isinstance(answer, str) else json.dumps(answer).encode()
    server.raw(DONE_PATH, body, status=status)
    listing(server, OTHER)  # would confirm, were the request accepted

    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.p", "A/1")

    assert caught.value.reason == reason
    assert words in str(caught.value)
    assert inbox.cached().tasks == before


def test_accepted_but_still_listed_open_is_a_refusal(server, local):
    inbox, _ = local
    before = inbox.cached().tasks
    server.json(DONE_PATH, {"success": False, "errorMsg": "流程未结束，暂不能办结"})

    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.p", "A/1")

    assert caught.value.reason == "refused"
    assert "still lists the task as open" in str(caught.value)
    assert "流程未结束，暂不能办结" in str(caught.value)
    assert inbox.cached().tasks == before


def test_the_platforms_message_is_short_one_line_and_never_the_token(server, local):
    inbox, _ = local
    server.json(DONE_PATH, {"message": "refused tok-1\n" + "原因" * 300}, status=409)
    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.p", "A/1")
    text = str(caught.value)
    assert "tok-1" not in text and "\n" not in text
    assert len(text) < 300


def test_a_redirect_to_a_login_page_is_signed_out(server, local):
    inbox, _ = local
    server.raw(DONE_PATH, b"", status=302, headers={"Location": "http://sso.example/login"})
    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.p", "A/1")
    assert caught.value.reason == "signed-out"
    assert "http://sso.example/login" in str(caught.value)


def test_a_done_request_that_gets_no_answer_times_out(server, local):
    inbox, _ = local
    server.json(DONE_PATH, {"ok": True}, fault="hold")
    with pytest.raises(SourceError) as caught:
        inbox.complete("demo.p", "A/1")
    assert caught.value.reason == "timeout"


def test_a_platform_that_is_down_is_network(tmp_path):
    platform = make_platform(tmp_path, closed_port_url(), plugin_id="demo.down", tasks=DONE)
    with pytest.raises(SourceError) as caught:
        source_for(platform).complete("1", token=None, timeout=2)  # type: ignore[union-attr]
    assert caught.value.reason == "network"


def test_the_token_never_goes_outside_the_platform(server, tmp_path):
    tasks = DONE.replace("{base_url}/api/tasks/{id}/state", "http://elsewhere.example/{id}")
    platform = make_platform(tmp_path, server.url, plugin_id="demo.leak", tasks=tasks)
    with pytest.raises(SourceError) as caught:
        source_for(platform).complete("1", token="secret", timeout=2)  # type: ignore[union-attr]
    assert caught.value.reason == "unsupported"
    assert "outside the platform's origins" in str(caught.value)
    assert server.seen == []


# --- the manifest's [tasks.done] --------------------------------------------------------------


@pytest.mark.parametrize(("done", "key", "words"), [
    ('method = "GET"\nurl = "{base_url}/t/{id}"', "tasks.done.method", "POST, PUT, PATCH, DELETE"),
    ('url = "{base_url}/t/{task}"', "tasks.done.url", "unknown placeholder {task}"),
    ('url = "{base_url}/t/done"', "tasks.done.url", "put {id} in the url or in a body value"),
    ('url = "/t/{id}"', "tasks.done.url", 'must start with "{base_url}"'),
    ('url = "{base_url}/t/{id}"\nbody = "done"', "tasks.done.body", "must be a table"),
    ('url = "{base_url}/t/{id}"\nbody = { at = 2026-03-01 }', "tasks.done.body",
     "at is a date"),
    ('url = "{base_url}/t/{id}"\nverb = "POST"', "tasks.done", "verb"),
])
def test_a_wrong_done_table_is_named(tmp_path, done, key, words):
    tasks = 'kind = "rest-json"\nurl = "{base_url}/api/tasks"\n[tasks.done]\n' + done
    with pytest.raises(ConfigError) as caught:
        make_platform(tmp_path, "http://127.0.0.1:9", tasks=tasks)
    assert caught.value.key.startswith(key)
    assert words in str(caught.value)


@pytest.mark.parametrize("kind", ['kind = "caldav"\nurl = "{base_url}/dav/"',
                                  'kind = "python"\nentry = "mod:make"'])
def test_done_applies_to_rest_json_only(tmp_path, kind):
    with pytest.raises(ConfigError) as caught:
        make_platform(tmp_path, "http://127.0.0.1:9",
                      tasks=f'{kind}\n[tasks.done]\nurl = "{{base_url}}/t/{{id}}"')
    assert caught.value.key == "tasks.done"
    assert "rest-json" in str(caught.value)


def test_the_done_table_read(tmp_path):
    platform = make_platform(tmp_path, "http://127.0.0.1:9", tasks=DONE)
    done = load_manifest(platform.manifest.path).tasks.done  # type: ignore[union-attr]
    assert done is not None
    assert (done.method, done.url, done.message) == ("PUT", "{base_url}/api/tasks/{id}/state", "")
    assert done.body == {"state": "done", "by": ["launcher", "{id}"]}
    no_method = make_platform(tmp_path, "http://127.0.0.1:9", plugin_id="demo.q",
                              tasks='kind = "rest-json"\nurl = "{base_url}/t"\n'
                                    '[tasks.done]\nurl = "{base_url}/t/{id}/done"')
    assert no_method.manifest.tasks.done.method == "POST"  # type: ignore[union-attr]


# --- Python plugin sources ------------------------------------------------------------------

PLUGIN = textwrap.dedent('''
    from launcher.api import TaskItem

    OPEN = {"1": "入户走访", "2": "月报", "3": "年报"}

    class Source:
        def fetch(self, *, base_url, token, timeout):
            return [TaskItem(platform="x", id=k, title=v, url="") for k, v in OPEN.items()]

        def complete(self, task_id, *, base_url, token, timeout):
            assert token == "tok" and base_url.startswith("http")
            if task_id == "2":
                raise PermissionError("须先上传附件")
            if task_id == "3":
                return  # says yes, changes nothing
            OPEN.pop(task_id)

    class FetchOnly:
        def fetch(self, *, base_url, token, timeout):
            return []

    def make(platform):
        return Source()

    def fetch_only(platform):
        return FetchOnly()
    ''')


def plugin_platform(tmp_path: Path, module: str, factory: str) -> Platform:
    platform = make_platform(tmp_path, "http://127.0.0.1:9", plugin_id=f"demo.{module}",
                             tasks=f'kind = "python"\nentry = "{module}:{factory}"')
    (platform.manifest.folder / f"{module}.py").write_text(PLUGIN, encoding="utf-8")
    return platform


def test_a_plugin_marks_done_and_the_reread_confirms(tmp_path):
    source = source_for(plugin_platform(tmp_path, "done_ok", "make"))
    assert isinstance(source, PluginSource) and source.can_complete
    tasks = source.complete("1", token="tok", timeout=2)
    assert [t.id for t in tasks] == ["2", "3"]


@pytest.mark.parametrize(("task_id", "reason", "words"), [
    ("2", "refused", "须先上传附件"),
    ("3", "refused", "still lists the task as open"),
    ("9", "plugin", "KeyError"),
])
def test_a_plugins_refusals_and_errors(tmp_path, task_id, reason, words):
    source = source_for(plugin_platform(tmp_path, f"done_err{task_id}", "make"))
    with pytest.raises(SourceError) as caught:
        source.complete(task_id, token="tok", timeout=2)  # type: ignore[union-attr]
    assert caught.value.reason == reason
    assert words in str(caught.value)


def test_a_plugin_without_complete_is_unsupported(tmp_path):
    source = source_for(plugin_platform(tmp_path, "done_none", "fetch_only"))
    assert isinstance(source, PluginSource) and not source.can_complete
    with pytest.raises(SourceError) as caught:
        source.complete("1", token="tok", timeout=2)
    assert caught.value.reason == "unsupported"


def test_the_inbox_tells_which_plugins_can_mark_done(tmp_path, cache):
    able = plugin_platform(tmp_path, "done_able", "make")
    unable = plugin_platform(tmp_path, "done_unable", "fetch_only")
    broken = make_platform(tmp_path, "http://127.0.0.1:9", plugin_id="demo.done_broken",
                           tasks='kind = "python"\nentry = "no_such_module_anywhere:make"')
    inbox = Inbox(Registry([able, unable, broken]), cache, lambda p: "tok")
    assert [inbox.can_complete(p.id) for p in (able, unable, broken)] == [True, False, False]
