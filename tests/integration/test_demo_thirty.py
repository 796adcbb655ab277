"""The demo county grown to thirty platforms (`DemoCounty(platform_count=30)`, `launcher --demo
--demo-platforms 30`): generated platforms with their own tasks, manifests and shared work, served
by the real demo servers; and the checks that keep generated and shipped manifests true to the
platforms they describe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from launcher.core.auth.oidc import OidcClient
from launcher.core.county import load_county
from launcher.core.errors import SourceError
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.grouping import group_tasks
from launcher.core.inbox.service import Inbox
from launcher.core.inbox.sources import RestJsonSource
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform, Registry, build_registry
from launcher.main import main
from launcher_demo import DEMO_USERS, DemoCounty, sign_in_scripted
from launcher_demo.generated import MAX_PLATFORMS, demo_platforms
from launcher_demo.manifests import write_generated_plugins
from launcher_demo.platforms import PLATFORMS, PlatformSpec
from launcher_demo.plugin_dir import plugins_dir
from launcher_demo.ruoyi_app import RUOYI_ID
from launcher_demo.seed import seed_platform

SHARED_GROUPS = (
    {"demo.fanpin", "demo.zhenxing", "demo.wangge"},
    {"demo.hezhang", "demo.fangxun"},
    {"demo.senlin", "demo.wangge"},
    {"demo.dongfang", "demo.shipin"},
    {"demo.anquan", "demo.zhifa"},
)
"""Platforms that ask for the same piece of work (one inbox row each)."""


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCounty]:
    """The benchmark's county: thirty platforms answering after 200 ms, no legacy platform."""
    with DemoCounty(directory=tmp_path_factory.mktemp("thirty"), platform_count=30,
                    latency=0.2, legacy=False) as started:
        yield started


@pytest.fixture(scope="module")
def registry(county: DemoCounty) -> Registry:
    built = build_registry(load_county(county.county_path))
    assert built.errors == []
    return built


@pytest.fixture(scope="module")
def tokens(county: DemoCounty, registry: Registry) -> dict[str, str]:
    """One login at the demo provider, then each platform's own access token (RFC 8707)."""
    client = OidcClient(county.issuer, "launcher")
    scopes = ("openid", "profile", "offline_access",
              *(s for p in registry.platforms for s in p.scopes))
    flow = client.begin("http://127.0.0.1/callback", scopes)
    user = DEMO_USERS[0]
    refresh = str(client.complete(flow, sign_in_scripted(flow.auth_uri, user.username,
                                                         user.password))["refresh_token"])
    return {p.id: str(client.refresh(refresh, p.scopes, p.resource)["access_token"])
            for p in registry.platforms}


def test_thirty_platforms_from_the_county_file(county, registry):
    assert [p.id for p in registry.platforms] == [s.plugin_id for s in county.specs]
    assert len(registry.platforms) == 30
    generated = [p for p in registry.platforms if p.manifest.folder.parent != plugins_dir()]
    assert len(generated) == 23
    assert {p.manifest.folder.parent for p in generated} == {county.directory / "plugins"}
    names = [p.name for p in registry.platforms]
    assert len(set(names)) == 30
    assert {"防返贫监测", "河长制巡河", "森林防火", "网格化管理", "人口信息"} <= set(names)


def test_every_platform_lists_its_own_seeded_tasks(county, registry, tokens, tmp_path):
    """All thirty refreshed at once through the inbox; each platform's list is exactly its seeded
    open tasks of the user (so every generated manifest maps its shape's JSON right)."""
    cache = TaskCache(tmp_path / "tasks.sqlite3")
    try:
        result = Inbox(registry, cache, lambda p: tokens[p.id]).refresh()
    finally:
        cache.close()
    assert {s.state for s in result.states.values()} == {"current"}
    user = DEMO_USERS[0].username
    for spec in county.specs:
        want = [(t.id, t.title) for t in seed_platform(spec) if t.owner == user and t.open]
        got = [(t.id, t.title) for t in result.tasks if t.platform == spec.plugin_id]
        assert sorted(got) == sorted(want), spec.plugin_id
        assert want, f"{spec.plugin_id} has no task for {user}"
    rows = [set(g.platforms) for g in group_tasks(result.tasks) if len(g.platforms) > 1]
    for shared in SHARED_GROUPS:
        assert shared in rows
    due = {g.key: g.due for g in group_tasks(result.tasks) if len(g.platforms) > 1}
    assert all(due.values())


def test_the_latency_holds_every_answer_back(registry, tokens):
    platform = registry.get("demo.renkou")
    assert isinstance(platform, Platform)
    source = RestJsonSource(platform)
    with pytest.raises(SourceError) as caught:  # 200 ms is never within 50 ms
        source.fetch(token=tokens[platform.id], timeout=0.05)
    assert caught.value.reason == "timeout"
    assert source.fetch(token=tokens[platform.id], timeout=10)


def test_the_command_line_lists_thirty_platforms(tmp_path, real_keyring):
    result = subprocess.run(
        [sys.executable, "-m", "launcher", "inbox", "--demo", "--demo-platforms", "30", "--json"],
        env={**os.environ, "LAUNCHER_HOME": str(tmp_path)},
        text=True, capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "launcher: demo." not in result.stderr  # no platform failed or stale
    rows = json.loads(result.stdout)
    platforms = {p for row in rows for p in row["platforms"]}
    # The 30 asked for, and the session-bound 网格化服务管理 that `launcher --demo` always has
    # (its web app signed in over HTTP by the demo, as the window's hidden page would).
    assert len(platforms) == 31
    assert {s.plugin_id for s in demo_platforms(30)} | {RUOYI_ID} == platforms
    assert {"demo.fanpin", "demo.zhenxing", "demo.wangge"} in [set(r["platforms"]) for r in rows]


@pytest.mark.parametrize(("args", "words"), [
    (["inbox", "--demo", "--demo-platforms", "0"], f"from 1 to {MAX_PLATFORMS}"),
    (["inbox", "--demo", "--demo-platforms", "many"], "whole number"),
    (["--demo", "--demo-latency", "-5"], "0 to 60000 milliseconds"),
    (["inbox", "--demo", "--demo-latency", "slow"], "not a number of milliseconds"),
])
def test_wrong_demo_options_are_named(args, words, capsys):
    with pytest.raises(SystemExit) as caught:
        main(args)
    assert caught.value.code == 2
    assert words in capsys.readouterr().err


def test_demo_options_need_the_demo(tmp_path, capsys):
    county_file = tmp_path / "county.toml"
    county_file.write_text("", encoding="utf-8")
    assert main(["inbox", "--county", str(county_file), "--demo-platforms", "30"]) == 1
    assert "--demo-platforms shapes the built-in demo county: use it with --demo" in (
        capsys.readouterr().err)


def test_wrong_county_sizes_are_refused(tmp_path):
    with pytest.raises(ValueError, match=f"1 to {MAX_PLATFORMS}"):
        DemoCounty(directory=tmp_path, platform_count=MAX_PLATFORMS + 1)
    with pytest.raises(ValueError, match="latency"):
        DemoCounty(directory=tmp_path, latency=-0.1)


# --- the demo's manifests, generated and shipped, describe its platforms ----------------------


def done_url(spec: PlatformSpec) -> str:
    assert spec.done is not None
    return "{base_url}" + spec.done.path.replace("<task_id>", "{id}")


@pytest.mark.parametrize("spec", demo_platforms(40)[len(PLATFORMS):],
                         ids=lambda s: s.short)
def test_a_generated_manifest_describes_its_platform(spec, tmp_path):
    write_generated_plugins(tmp_path, [spec])
    manifest = load_manifest(tmp_path / spec.short / "manifest.toml")
    shape = load_manifest(plugins_dir() / spec.shape / "manifest.toml")
    assert (manifest.id, manifest.name, manifest.auth.scopes) == (
        spec.plugin_id, spec.name, (spec.scope,))
    assert manifest.icon is not None and manifest.icon.is_file()
    tasks, like = manifest.tasks, shape.tasks
    assert tasks is not None and like is not None
    assert tasks.url == "{base_url}" + spec.api_path + "?status=open"
    assert tasks.paging is None  # a generated platform answers in one page
    assert (tasks.items, tasks.fields, tasks.done) == (like.items, like.fields, like.done)
    assert (tasks.done is None) == (spec.done is None)
    if tasks.done is not None:
        assert tasks.done.url == done_url(spec)
    [form] = manifest.forms
    ids = {f"#{f.element_id}" for f in spec.form.fields}
    assert form.key == spec.form.key and set(form.fields) <= ids


@pytest.mark.parametrize("spec", PLATFORMS, ids=lambda s: s.short)
def test_a_shipped_done_table_matches_its_platform(spec):
    manifest = load_manifest(plugins_dir() / spec.short / "manifest.toml")
    assert manifest.tasks is not None
    done = manifest.tasks.done
    if spec.done is None:
        assert done is None
        return
    assert done is not None
    assert (done.method, done.url, done.body, done.message) == (
        spec.done.method, done_url(spec), spec.done.body, spec.done.message)


def test_a_smaller_county_takes_away_the_plugins_it_no_longer_has(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "manifest.toml").write_text('schema = 1\nid = "county.mine"\n', encoding="utf-8")
    assert len(write_generated_plugins(tmp_path, demo_platforms(10))) == 3
    assert write_generated_plugins(tmp_path, demo_platforms(8)) == ["fanpin"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fanpin", "mine"]


def test_the_default_county_is_the_seven_and_the_shipped_plugins(demo_county):
    assert [s.plugin_id for s in demo_county.specs] == [s.plugin_id for s in PLATFORMS]
    assert not (demo_county.directory / "plugins").exists()
    county = load_county(demo_county.county_path)
    assert county.plugin_dirs == (plugins_dir().resolve(),)
