from __future__ import annotations

from pathlib import Path

from launcher.core.county import load_county
from launcher.core.registry import Registry, build_registry

MANIFEST = """
schema = 1
id = "{id}"
name = "平台"
version = "1.0.0"
home = "{{base_url}}/"
origins = ["{{base_url}}"]
[[forms]]
key = "k"
url = "{{base_url}}/form/new"
fields = {{ "#a" = "person.name" }}
"""


def make(tmp_path: Path, plugins: dict[str, str], platforms: list[str]) -> Path:
    for folder, text in plugins.items():
        (tmp_path / "plugins" / folder).mkdir(parents=True)
        (tmp_path / "plugins" / folder / "manifest.toml").write_text(text, encoding="utf-8")
    entries = "".join(
        f'[[platforms]]\nplugin = "{p}"\nbase_url = "http://127.0.0.1:{9000 + i}"\n'
        for i, p in enumerate(platforms)
    )
    county = tmp_path / "county.toml"
    county.write_text(
        '[county]\nid = "t"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:1"\n' + entries,
        encoding="utf-8",
    )
    return county


def test_broken_manifest_is_reported_and_the_rest_load(tmp_path: Path) -> None:
    county = make(
        tmp_path,
        {"a": MANIFEST.format(id="t.a"), "b": "schema = 1\nid = ", "c": MANIFEST.format(id="t.c")},
        ["t.a", "t.b", "t.c"],
    )
    registry = build_registry(load_county(county))
    assert [p.id for p in registry.platforms] == ["t.a", "t.c"]
    assert any("b/manifest.toml" in e and "not valid TOML" in e for e in registry.errors)
    assert any("'t.b' was not found" in e for e in registry.errors)


def test_plugins_are_found_only_where_the_county_says(tmp_path: Path) -> None:
    """The launcher has no plugin folder of its own: the demo platforms' plugins (once built in,
    found by every county) are found only by a county that names their folder."""
    from tests.demo_plugins import PLUGIN_DIRS

    county = make(tmp_path, {"a": MANIFEST.format(id="t.a")}, ["t.a", "demo.anquan"])
    registry = build_registry(load_county(county))
    assert [p.id for p in registry.platforms] == ["t.a"]
    (missing,) = [e for e in registry.errors if "'demo.anquan' was not found" in e]
    assert missing.endswith(f"was not found in {(tmp_path / 'plugins').resolve()}")
    county.write_text(PLUGIN_DIRS + county.read_text(encoding="utf-8"), encoding="utf-8")
    registry = build_registry(load_county(county))
    assert [p.id for p in registry.platforms] == ["t.a", "demo.anquan"]
    assert registry.errors == []


def test_origins_and_forms_are_bound_to_the_base_url(tmp_path: Path) -> None:
    county = make(tmp_path, {"a": MANIFEST.format(id="t.a")}, ["t.a"])
    platform = build_registry(load_county(county)).platforms[0]
    assert platform.home == "http://127.0.0.1:9000/"
    assert platform.owns("http://127.0.0.1:9000/form/new?x=1")
    assert platform.owns("HTTP://127.0.0.1:9000")
    assert not platform.owns("http://127.0.0.1:9001/form/new")
    assert not platform.owns("https://127.0.0.1:9000/form/new")
    assert not platform.owns("http://127.0.0.1.evil.example:9000/form/new")
    assert platform.form_for("http://127.0.0.1:9000/form/new#top") is not None
    assert platform.form_for("http://127.0.0.1:9000/form/other") is None
    assert platform.absolute("/tasks/7") == "http://127.0.0.1:9000/tasks/7"


GATEWAY = "http://gw.example:8000"
PLATFORM = """
schema = 1
id = "{id}"
name = "{id}"
version = "1.0.0"
home = "{{base_url}}/"
origins = {origins}
[[forms]]
key = "{id}-form"
url = "{{base_url}}/form/new"
fields = {{ "#a" = "person.name" }}
"""


def registry_of(tmp_path: Path, platforms: list[tuple[str, str, str]]) -> Registry:
    """A county of ``(plugin id, origins as TOML, base URL)`` platforms, in that order."""
    entries = ""
    for plugin_id, origins, base_url in platforms:
        folder = tmp_path / "plugins" / plugin_id
        folder.mkdir(parents=True)
        (folder / "manifest.toml").write_text(
            PLATFORM.format(id=plugin_id, origins=origins), encoding="utf-8"
        )
        entries += f'[[platforms]]\nplugin = "{plugin_id}"\nbase_url = "{base_url}"\n'
    county = tmp_path / "county.toml"
    county.write_text(
        '[county]\nid = "t"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:1"\n' + entries,
        encoding="utf-8",
    )
    registry = build_registry(load_county(county))
    assert not registry.errors
    return registry


def owner(registry: Registry, url: str, prefer: str = "") -> str | None:
    platform = registry.platform_for_url(url, prefer)
    return platform.id if platform is not None else None


def test_two_platforms_behind_one_gateway_each_get_their_own_pages(tmp_path: Path) -> None:
    registry = registry_of(
        tmp_path,
        [
            ("t.one", '["{base_url}"]', f"{GATEWAY}/app1"),
            ("t.two", '["{base_url}"]', f"{GATEWAY}/app2"),
        ],
    )
    one, two = registry.platforms
    assert owner(registry, f"{GATEWAY}/app1/form/new") == "t.one"
    assert owner(registry, f"{GATEWAY}/app2/form/new") == "t.two"
    assert owner(registry, f"{GATEWAY}/app2") == "t.two"
    assert owner(registry, "HTTP://GW.EXAMPLE:8000/app2/x?y=1#z") == "t.two"
    # Segment boundaries: /app1 is not /app10, nor the gateway's other pages.
    assert owner(registry, f"{GATEWAY}/app10/form/new") is None
    assert owner(registry, f"{GATEWAY}/") is None
    assert owner(registry, f"{GATEWAY}/other/app1/form/new") is None
    # The path as the gateway routes it: dot segments and percent-encoding.
    assert owner(registry, f"{GATEWAY}/app1/../app2/form/new") == "t.two"
    assert owner(registry, f"{GATEWAY}/app1/%2e%2e/app2/form/new") == "t.two"
    assert owner(registry, f"{GATEWAY}/app%32/form/new") == "t.two"
    # Paths servers read differently belong to nobody: an encoded slash, "//" before "..".
    assert owner(registry, f"{GATEWAY}/app1/x%2F..%2F..%2Fapp2/form/new") is None
    assert owner(registry, f"{GATEWAY}/app1//../app2/form/new") is None
    # Paths are case-sensitive; scheme and port count.
    assert owner(registry, f"{GATEWAY}/APP1/form/new") is None
    assert owner(registry, "https://gw.example:8000/app1/form/new") is None
    assert owner(registry, "http://gw.example/app1/form/new") is None
    # Forms: each platform's own, on its own path only.
    assert one.form_for(f"{GATEWAY}/app1/form/new/?draft=1#top") is not None
    assert one.form_for(f"{GATEWAY}/app2/form/new") is None
    assert two.form_for(f"{GATEWAY}/app2/./form/new") is not None
    assert not one.owns(f"{GATEWAY}/app2/form/new") and two.owns(f"{GATEWAY}/app2/form/new")
    assert one.origins == (f"{GATEWAY}/app1",)


def test_the_longest_declared_path_wins(tmp_path: Path) -> None:
    # A portal that declares the whole gateway, and a platform under one of its paths.
    registry = registry_of(
        tmp_path,
        [
            ("t.portal", f'["{GATEWAY}"]', f"{GATEWAY}/portal"),
            ("t.app", '["{base_url}"]', f"{GATEWAY}/app"),
        ],
    )
    assert owner(registry, f"{GATEWAY}/app/form/new") == "t.app"
    # The portal's base URL path counts as declared: its pages are its own at that depth too.
    assert owner(registry, f"{GATEWAY}/portal/form/new") == "t.portal"
    assert owner(registry, f"{GATEWAY}/elsewhere") == "t.portal"
    # A tab of the portal does not take the platform's pages: the longer declaration wins.
    assert owner(registry, f"{GATEWAY}/app/form/new", prefer="t.portal") == "t.app"
    assert registry.platforms[0].match(f"{GATEWAY}/elsewhere") == 0
    assert registry.platforms[0].match(f"{GATEWAY}/portal/x") == 1
    assert registry.platforms[1].match(f"{GATEWAY}/elsewhere") == -1


def test_a_tab_s_platform_wins_a_tie(tmp_path: Path) -> None:
    registry = registry_of(
        tmp_path,
        [
            ("t.first", '["{base_url}"]', f"{GATEWAY}/shared"),
            ("t.second", '["{base_url}"]', f"{GATEWAY}/shared"),
        ],
    )
    url = f"{GATEWAY}/shared/form/new"
    assert owner(registry, url) == "t.first"
    assert owner(registry, url, prefer="t.second") == "t.second"
    assert owner(registry, f"{GATEWAY}/elsewhere", prefer="t.second") is None


class _Block:
    def __init__(self, level: str) -> None:
        self.level, self.reason, self.reason_en, self.contact = level, "数据泄露", "", "县大数据中心"


def test_the_county_s_kill_switch_leaves_hard_blocked_versions_out_and_warns_of_soft_ones(
    tmp_path: Path,
) -> None:
    county = make(
        tmp_path,
        {f: MANIFEST.format(id=f"t.{f}") for f in ("a", "b", "c")},
        ["t.a", "t.b", "t.c"],
    )
    levels = {("t.a", "1.0.0"): "hard", ("t.b", "1.0.0"): "soft", ("t.c", "0.9.0"): "hard"}

    def block_of(plugin_id: str, version: str) -> _Block | None:
        level = levels.get((plugin_id, version))
        return _Block(level) if level else None

    registry = build_registry(load_county(county), block_of=block_of)
    assert [p.id for p in registry.platforms] == ["t.b", "t.c"]  # t.c's 1.0.0 is not blocked
    assert sorted(registry.blocked) == ["t.a", "t.b"]
    assert [b.platform.id for b in registry.hard_blocked()] == ["t.a"]
    assert not registry.blocked["t.b"].hard
    assert registry.get("t.a") is None  # never opened, refreshed or filled
