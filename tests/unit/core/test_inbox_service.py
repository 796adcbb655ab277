"""The inbox refresh: platforms side by side against a real HTTP server, failures kept apart."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from _platforms import make_platform

from launcher.api import TaskItem
from launcher.core.errors import AuthError
from launcher.core.inbox.service import Inbox, PlatformState
from launcher.core.registry import Platform, Registry

TOKENS = {"demo.good": "tok-good-1", "demo.other": "tok-other-2", "demo.broken": "tok-broken",
          "demo.slow": "tok-slow", "demo.plugin": "tok-plugin", "demo.stuck": "tok-stuck"}
EARLIER = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)

HANGING_PLUGIN = '''
import threading

class Stuck:
    def fetch(self, *, base_url, token, timeout):
        threading.Event().wait(60)  # ignores its timeout, as a badly written plugin would
        return []

def make(platform):
    return Stuck()
'''

FAILING_PLUGIN = '''
def make(platform):
    raise KeyError("county_code")
'''


def answer(*titles: str) -> dict[str, object]:
    return {"data": {"items": [{"id": n, "title": t} for n, t in enumerate(titles, 1)]}}


def python_platform(folder: Path, name: str, source: str, timeout: float = 0.5) -> Platform:
    platform = make_platform(folder, "http://127.0.0.1:9", plugin_id=f"demo.{name}",
                             tasks=f'kind = "python"\nentry = "svc_{name}:make"', timeout=timeout)
    (platform.manifest.folder / f"svc_{name}.py").write_text(source, encoding="utf-8")
    return platform


def tokens(platform: Platform) -> str | None:
    return TOKENS[platform.id]


def test_one_failing_platform_never_empties_or_holds_back_the_others(server, cache, tmp_path,
                                                                     platform_at):
    good = platform_at("good")
    other = platform_at("other")
    broken = platform_at("broken")
    slow = platform_at("slow", timeout=0.4)
    stuck = python_platform(tmp_path, "stuck", HANGING_PLUGIN, timeout=0.3)
    registry = Registry([good, other, broken, slow, stuck])
    # What each platform delivered last time.
    cache.replace("demo.broken", [TaskItem("demo.broken", "old", "上次的任务", "http://x/")],
                  EARLIER)
    cache.replace("demo.slow", [TaskItem("demo.slow", "old", "慢平台的任务", "http://x/")],
                  EARLIER)

    server.json("/good/api/tasks", answer("入户走访", "台账更新"))
    server.json("/other/api/tasks", answer("垃圾分类检查"))
    server.json("/broken/api/tasks", {"error": "db down"}, status=500)
    server.json("/slow/api/tasks", answer("永远等不到"), fault="hold")

    reported: list[PlatformState] = []
    result = Inbox(registry, cache, tokens).refresh(on_state=reported.append)

    titles = sorted(t.title for t in result.tasks)
    assert titles == sorted(["入户走访", "台账更新", "垃圾分类检查", "上次的任务", "慢平台的任务"])
    states = result.states
    assert (states["demo.good"].state, states["demo.good"].count) == ("current", 2)
    assert states["demo.other"].state == "current"
    assert (states["demo.broken"].state, states["demo.broken"].reason) == ("failed", "platform")
    assert "HTTP 500" in states["demo.broken"].message
    assert states["demo.broken"].count == 1 and states["demo.broken"].updated == EARLIER
    assert (states["demo.slow"].state, states["demo.slow"].reason) == ("failed", "timeout")
    assert (states["demo.stuck"].state, states["demo.stuck"].reason) == ("failed", "timeout")
    assert states["demo.stuck"].updated is None and states["demo.stuck"].count == 0
    # The working platforms were reported before the slow ones gave up.
    order = [s.platform_id for s in reported]
    assert set(order[-2:]) == {"demo.slow", "demo.stuck"}
    assert set(order) == set(states)
    # Successes replaced the cache; failures left theirs alone.
    cached = {t.key: t.title for t in cache.load()}
    assert cached["demo.good/1"] == "入户走访" and cached["demo.broken/old"] == "上次的任务"
    assert set(cache.fetched_at()) == {"demo.good", "demo.other", "demo.broken", "demo.slow"}
    # Each platform got its own token, and no token appears in any message.
    sent = {s.path.split("/")[1]: s.headers.get("Authorization") for s in server.seen}
    assert sent["good"] == "Bearer tok-good-1" and sent["other"] == "Bearer tok-other-2"
    assert not any(token in s.message for s in states.values() for token in TOKENS.values())


def test_signed_out_and_broken_plugins_are_reported_with_their_reason(server, cache, tmp_path,
                                                                      platform_at):
    good = platform_at("good")
    other = platform_at("other")
    plugin = python_platform(tmp_path, "plugin", FAILING_PLUGIN)
    server.json("/good/api/tasks", answer("能看到"))
    server.json("/other/api/tasks", answer("看不到"))

    def token_for(platform: Platform) -> str | None:
        if platform.id == "demo.other":
            raise AuthError("refresh token expired", reason="expired")
        return TOKENS[platform.id]

    result = Inbox(Registry([good, other, plugin]), cache, token_for).refresh()
    assert [t.title for t in result.tasks] == ["能看到"]
    assert (result.states["demo.other"].state,
            result.states["demo.other"].reason) == ("failed", "signed-out")
    assert (result.states["demo.plugin"].state,
            result.states["demo.plugin"].reason) == ("failed", "plugin")
    assert "county_code" in result.states["demo.plugin"].message
    # A signed-out platform is not even asked.
    assert [s.path for s in server.seen] == ["/good/api/tasks"]


def test_the_cache_is_shown_before_any_refresh(server, cache, platform_at):
    good = platform_at("good")
    other = platform_at("other")
    registry = Registry([good, other])
    server.json("/good/api/tasks", answer("甲", "乙"))
    server.json("/other/api/tasks", {}, status=503)
    Inbox(registry, cache, tokens).refresh()

    # The next start: a new Inbox over the same cache, nothing fetched yet.
    result = Inbox(registry, cache, tokens).cached()
    assert sorted(t.title for t in result.tasks) == ["乙", "甲"]
    assert result.states["demo.good"].state == "stale"
    assert result.states["demo.good"].count == 2
    assert result.states["demo.good"].updated is not None
    assert result.states["demo.other"].state == "unknown"
    assert len(server.seen) == 2


def test_refreshing_some_platforms_keeps_the_others_from_the_cache(server, cache, platform_at):
    good = platform_at("good")
    other = platform_at("other")
    inbox = Inbox(Registry([good, other]), cache, tokens)
    server.json("/good/api/tasks", answer("一"))
    server.json("/other/api/tasks", answer("二"))
    inbox.refresh()

    server.json("/good/api/tasks", answer("一", "三"))
    server.json("/other/api/tasks", {}, status=500)
    result = inbox.refresh(["demo.good"])
    assert sorted(t.title for t in result.tasks) == ["一", "三", "二"]
    assert result.states["demo.good"].count == 2
    assert result.states["demo.other"].state == "current"  # as of its own last refresh
    assert [s.path for s in server.seen].count("/other/api/tasks") == 1


def test_a_platform_whose_tasks_are_all_done_is_emptied(server, cache, platform_at):
    good = platform_at("good")
    inbox = Inbox(Registry([good]), cache, tokens)
    server.json("/good/api/tasks", answer("一", "二"))
    assert len(inbox.refresh().tasks) == 2
    server.json("/good/api/tasks", answer())
    result = inbox.refresh()
    assert result.tasks == [] and cache.load() == []
    assert result.states["demo.good"].state == "current"


def test_platforms_without_a_task_list_have_no_inbox_state(server, cache, tmp_path, platform_at):
    good = platform_at("good")
    tiles_only = make_platform(tmp_path, f"{server.url}/tiles", plugin_id="demo.tiles",
                               no_tasks=True)
    server.json("/good/api/tasks", answer("一"))
    result = Inbox(Registry([good, tiles_only]), cache, tokens).refresh()
    assert set(result.states) == {"demo.good"}
    assert result.states["demo.good"].updated is not None
    assert result.states["demo.good"].updated <= datetime.now(UTC)
