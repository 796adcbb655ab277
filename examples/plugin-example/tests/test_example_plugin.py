"""The example plugin's tests, written with the launcher's plugin SDK (its pytest fixtures:
``plugin_platform``, ``plugin_run``, ``task_source_contract``, ``plugin_county``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from launcher.testing import PlatformServer, PluginRun

PLUGIN = Path(__file__).resolve().parents[1]
ROWS = [{"taskId": 1000 + n, "taskName": f"入户走访 {n}", "deadline": 1_798_732_800_000 + 1000 * n,
         "target": f"{n} 号户"} for n in range(5)]


def vendor(server: PlatformServer, *, token: str | None = None, page: int = 2) -> None:
    """The vendor's API on ``server``: the rows ``page`` at a time, by cursor."""

    def query(request) -> tuple[int, object]:
        if token is not None and request.headers.get("Authorization") != f"Bearer {token}":
            return 200, {"code": 401, "msg": "认证失败"}
        start = int(request.json().get("cursor") or 0)
        rows = ROWS[start:start + page]
        more = start + page < len(ROWS)
        return 200, {"code": 0, "msg": "ok",
                     "data": {"list": rows, "nextCursor": str(start + page) if more else None}}

    server.answer("/api/v2/todo/query", query)
    server.answer("/api/v2/todo/finish", lambda request: (200, {"code": 500, "msg": "该事项已办结"}))


def test_every_page_is_read_with_due_dates_in_epoch_milliseconds(
        plugin_platform: PlatformServer, plugin_run: Callable[..., PluginRun]) -> None:
    vendor(plugin_platform)
    tasks = plugin_run(PLUGIN, claims={"sub": "u1", "preferred_username": "zhangsan"}).fetch()
    assert [t.id for t in tasks] == [str(r["taskId"]) for r in ROWS]
    china = timezone(timedelta(hours=8))
    assert tasks[0].due == datetime(2027, 1, 1, 0, 0, 0, 0, tzinfo=china)  # 1798732800000 ms
    assert tasks[0].url == f"{plugin_platform.url}/todo/1000"
    queries = [r.json() for r in plugin_platform.requests]
    assert [q["cursor"] for q in queries] == [None, "2", "4"]
    assert {q["assignee"] for q in queries} == {"zhangsan"}


def test_it_keeps_the_task_source_contract(
        plugin_platform: PlatformServer, plugin_run: Callable[..., PluginRun],
        task_source_contract: Callable[..., list]) -> None:
    vendor(plugin_platform)
    assert len(task_source_contract(plugin_run(PLUGIN), timeout=2.0)) == len(ROWS)


def test_a_refused_token_inside_an_http_200_is_signed_out_with_the_platforms_words(
        plugin_platform: PlatformServer, plugin_run: Callable[..., PluginRun]) -> None:
    from launcher.core.errors import SourceError

    vendor(plugin_platform, token="good")
    with pytest.raises(SourceError) as refused:
        plugin_run(PLUGIN, token="stale").fetch()
    assert refused.value.reason == "signed-out" and "认证失败" in str(refused.value)


def test_a_refusal_to_mark_done_carries_the_platforms_words(
        plugin_platform: PlatformServer, plugin_run: Callable[..., PluginRun]) -> None:
    from launcher.core.errors import SourceError

    vendor(plugin_platform)
    with pytest.raises(SourceError) as refused:
        plugin_run(PLUGIN).complete("1000")
    assert refused.value.reason == "refused" and "该事项已办结" in str(refused.value)
    assert json.loads(plugin_platform.requests[0].body) == {"taskId": "1000"}


def test_signed_in_at_the_county_the_plugin_reads_as_that_person(
        plugin_county, plugin_platform: PlatformServer,
        plugin_run: Callable[..., PluginRun]) -> None:
    """A real county login at the test county's identity provider: the plugin gets the person's
    claims, and the token the provider issued reaches the platform."""
    person = plugin_county.sign_in()
    platform_id, token = next(iter(person.tokens.items()))
    vendor(plugin_platform, token=token)
    tasks = plugin_run(PLUGIN, token=token, claims=person.claims).fetch()
    assert len(tasks) == len(ROWS)
    assert plugin_platform.requests[0].json()["assignee"] == person.claims["preferred_username"]
    assert platform_id and person.claims["sub"]
