from __future__ import annotations

from pathlib import Path

from launcher.core.county import load_county
from launcher.core.registry import build_registry

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
