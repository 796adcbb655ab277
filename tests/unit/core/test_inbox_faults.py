"""Fault injection: every way a platform misbehaves, refreshed at once beside good platforms.

Real local HTTP servers (tests/unit/core/_local_http.py); the token source stands in for
AuthSession (its real refreshes are covered in tests/oidc): it hands out a new token after
``invalidate``, and the "once" platform accepts only that renewed token.
"""

from __future__ import annotations

from datetime import UTC, datetime

from _local_http import closed_port_url
from _platforms import make_platform

from launcher.api import TaskItem
from launcher.core.inbox.service import Inbox
from launcher.core.registry import Platform, Registry

EARLIER = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
BAD = ("slow", "silent", "error", "garbage", "shape", "dropped", "cut", "offline", "refusing")
# What each bad platform must be reported as, and a word its message must hold.
EXPECTED = {
    "slow": ("timeout", ""),
    "silent": ("timeout", ""),
    "error": ("platform", "HTTP 500"),
    "garbage": ("unreadable", "not JSON"),
    "shape": ("unreadable", "data.items"),
    "dropped": ("network", ""),
    "cut": ("network", ""),
    "offline": ("network", ""),
    "refusing": ("signed-out", "HTTP 401"),
}


def answer(name: str, count: int = 2) -> dict[str, object]:
    return {"data": {"items": [{"id": n, "title": f"{name}-{n}"} for n in range(1, count + 1)]}}


class Tokens:
    def __init__(self) -> None:
        self.renewed: set[str] = set()

    def token_for(self, platform: Platform) -> str:
        return f"{platform.id}-{'new' if platform.id in self.renewed else 'old'}"

    def invalidate(self, platform: Platform) -> None:
        self.renewed.add(platform.id)


def test_every_fault_at_once_beside_good_platforms(server, cache, tmp_path, platform_at):
    platforms = [platform_at(n) for n in ("good", "fine", "once")]
    platforms += [platform_at(n, timeout=0.5 if n in ("slow", "silent") else 3.0)
                  for n in BAD if n != "offline"]
    platforms.append(make_platform(tmp_path, closed_port_url(), plugin_id="demo.offline",
                                   timeout=3.0))
    server.json("/good/api/tasks", answer("good"))
    server.json("/fine/api/tasks", answer("fine", 3))
    server.json("/once/api/tasks", answer("once"))
    server.routes["/once/api/tasks"].bearer = "demo.once-new"  # 401 until the token is renewed
    server.json("/slow/api/tasks", answer("slow", 40), fault="trickle")
    server.json("/silent/api/tasks", answer("silent"), fault="hold")
    server.json("/error/api/tasks", {"error": "db down"}, status=500)
    server.raw("/garbage/api/tasks", b'{"data": {"items": [{"id": 1, ')
    server.json("/shape/api/tasks", {"data": {"records": []}})
    server.json("/dropped/api/tasks", answer("dropped"), fault="drop")
    server.json("/cut/api/tasks", answer("cut", 30), fault="cut")
    server.json("/refusing/api/tasks", {"error": "invalid_token"}, status=401)
    # Every bad platform delivered before: those tasks must stay, marked by the old update time.
    for name in BAD:
        cache.replace(f"demo.{name}", [TaskItem(f"demo.{name}", "old", f"{name}-cached",
                                                "http://x/")], EARLIER)

    tokens = Tokens()
    result = Inbox(Registry(platforms), cache, tokens.token_for,
                   invalidate=tokens.invalidate).refresh()

    titles = {t.title for t in result.tasks}
    assert {"good-1", "good-2", "fine-1", "fine-2", "fine-3", "once-1", "once-2"} <= titles
    states = result.states
    for name in ("good", "fine", "once"):
        assert (states[f"demo.{name}"].state, states[f"demo.{name}"].reason) == ("current", None)
    assert tokens.renewed == {"demo.once", "demo.refusing"}
    for name, (reason, words) in EXPECTED.items():
        state = states[f"demo.{name}"]
        assert (state.state, state.reason) == ("failed", reason), (name, state.message)
        assert words in state.message, (name, state.message)
        # Stale: the cached tasks are still shown, with the time they were last current.
        assert f"{name}-cached" in titles, name
        assert (state.updated, state.count) == (EARLIER, 1), name
    # Nothing of a half-read answer slips in: a bad platform shows its cached task only.
    assert {t.id for t in result.tasks if t.platform.removeprefix("demo.") in BAD} == {"old"}
    # The cache still holds them for the next start.
    cached = {t.title for t in cache.load()}
    assert {f"{n}-cached" for n in BAD} <= cached and "good-1" in cached


def test_a_platform_that_recovers_replaces_its_stale_tasks(server, cache, platform_at):
    flaky = platform_at("flaky")
    inbox = Inbox(Registry([flaky]), cache, lambda p: "tok")
    server.json("/flaky/api/tasks", answer("first"))
    assert inbox.refresh().states["demo.flaky"].state == "current"
    server.raw("/flaky/api/tasks", b"<html>Bad gateway</html>", status=200,
               content_type="text/html")
    failed = inbox.refresh()
    assert (failed.states["demo.flaky"].state, failed.states["demo.flaky"].reason) == (
        "failed", "unreadable")
    assert [t.title for t in failed.tasks] == ["first-1", "first-2"]
    server.json("/flaky/api/tasks", answer("again", 1))
    recovered = inbox.refresh()
    assert [t.title for t in recovered.tasks] == ["again-1"]
    assert recovered.states["demo.flaky"].state == "current"


def test_a_failing_page_keeps_the_whole_previous_list(server, cache, tmp_path):
    # Half a list is never shown as the list: a page failing mid-way keeps the cache.
    paged = make_platform(tmp_path, server.url, plugin_id="demo.paged", tasks="""
kind = "rest-json"
url = "{base_url}/api/tasks"
items = "data.items"
[tasks.paging]
kind = "page"
size = 2
""")
    cache.replace("demo.paged", [TaskItem("demo.paged", "old", "cached", "http://x/")], EARLIER)
    server.json("/api/tasks?page=1", answer("p1"))
    server.json("/api/tasks?page=2", {"error": "boom"}, status=502)
    result = Inbox(Registry([paged]), cache, lambda p: "tok").refresh()
    state = result.states["demo.paged"]
    assert (state.state, state.reason) == ("failed", "platform")
    assert "page=2" in state.message
    assert [t.title for t in result.tasks] == ["cached"]


def test_progress_shows_the_fast_platforms_before_a_silent_one_times_out(server, cache,
                                                                         platform_at):
    platforms = [platform_at("good"), platform_at("silent", timeout=1.5)]
    server.json("/good/api/tasks", answer("good"))
    server.json("/silent/api/tasks", answer("silent"), fault="hold")
    cache.replace("demo.silent", [TaskItem("demo.silent", "old", "silent-cached", "http://x/")],
                  EARLIER)
    partial: list[tuple[set[str], dict[str, str]]] = []

    def progress(result):
        partial.append(({t.title for t in result.tasks},
                        {pid: s.state for pid, s in result.states.items()}))

    tokens = Tokens()
    final = Inbox(Registry(platforms), cache, tokens.token_for).refresh(
        on_progress=progress, progress_interval=0.0)

    # While the silent platform was still outstanding, the good one was already shown fresh,
    # beside the silent one's cached task.
    assert partial, "no progress before the silent platform timed out"
    titles, states = partial[0]
    assert titles == {"good-1", "good-2", "silent-cached"}
    assert states == {"demo.good": "current", "demo.silent": "refreshing"}
    assert final.states["demo.silent"].state == "failed"
    assert {t.title for t in final.tasks} == titles
