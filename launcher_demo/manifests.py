"""Plugin folders for the generated demo platforms (generated.py), written by the demo county.

Thirty platforms' plugins would be noise under ``plugins/``; the demo county writes them into its
own folder instead (``<directory>/plugins/<short>/``: manifest.toml and icon.svg) and names that
folder in county.toml's ``plugin_dirs``. A generated manifest takes the ``[tasks]`` table of its
shape's manifest (the demo platform whose task API it copies), so the field mappings, closed
statuses and mark-done endpoint are declared once, in the shipped manifests.
"""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from collections.abc import Iterable
from html import escape
from pathlib import Path
from typing import Any

from launcher_demo.platforms import PlatformSpec
from launcher_demo.plugin_dir import plugins_dir

MARKER = "# Written by the demo county (launcher_demo/manifests.py); rewritten at every start."
_MARKED = "# Written by the demo county ("
"""What every generated manifest starts with, also those an older version (launcher/demo/) wrote."""
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def write_generated_plugins(folder: Path, specs: Iterable[PlatformSpec]) -> list[str]:
    """Write the plugin folder of every generated platform in ``specs`` under ``folder``, and
    remove generated folders left there by an earlier, bigger county. Returns the folder names."""
    written: list[str] = []
    for spec in specs:
        if not spec.shape:
            continue
        plugin = folder / spec.short
        plugin.mkdir(parents=True, exist_ok=True)
        (plugin / "manifest.toml").write_text(manifest_toml(spec), encoding="utf-8")
        (plugin / "icon.svg").write_text(icon_svg(spec), encoding="utf-8")
        written.append(spec.short)
    if folder.is_dir():
        for old in folder.iterdir():
            manifest = old / "manifest.toml"
            if old.name in written or not manifest.is_file():
                continue
            # Only folders this module wrote: anything else someone put there stays.
            if manifest.read_text(encoding="utf-8").startswith(_MARKED):
                shutil.rmtree(old)
    return written


def manifest_toml(spec: PlatformSpec) -> str:
    """The manifest of a generated platform: its own name, scope and form, its shape's tasks."""
    shape = _shape_manifest(spec.shape)
    tasks = {k: v for k, v in shape["tasks"].items() if k not in ("url", "paging")}
    # One answer each (generated platforms do not page): the list URL without page parameters.
    tasks = {"kind": tasks.pop("kind"), "url": f"{{base_url}}{spec.api_path}?status=open",
             **tasks}
    description = f"{spec.name}（示范县演示平台，接口同{shape['name']}）"
    lines = [
        MARKER,
        "schema = 1",
        f"id = {_value(spec.plugin_id)}",
        f"name = {_value(spec.name)}",
        f"name_en = {_value(spec.name_en)}",
        f"description = {_value(description)}",
        'version = "1.0.0"',
        'icon = "icon.svg"',
        'home = "{base_url}/"',
        'origins = ["{base_url}"]',
        "",
        "[auth]",
        'kind = "sso"',
        f"scopes = [{_value(spec.scope)}]",
        'resource = "{base_url}/api"',
        'service = "{base_url}/api/cas/session"',
        "",
        "[tasks]",
        *_table(tasks),
        "",
        "[[forms]]",
        f"key = {_value(spec.form.key)}",
        f"name = {_value(spec.form.title)}",
        f"url = {_value('{base_url}' + spec.form.path)}",
        "fields = "
        + _value(
            {
                "#handler": "person.name",
                "#phone": "person.phone",
                "#village": "org.village",
                "#visit_date": "inspection.date",
            }
        ),
    ]
    return "\n".join(lines) + "\n"


def icon_svg(spec: PlatformSpec) -> str:
    """A tile icon like the shipped ones: the platform's glyph on its colour."""
    name, glyph, colour = escape(spec.name), escape(spec.glyph), escape(spec.colour)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" '
        'role="img" aria-labelledby="t">\n'
        f'  <title id="t">{name}</title>\n'
        f'  <rect x="2" y="2" width="60" height="60" rx="14" fill="{colour}"/>\n'
        '  <text x="32" y="44" font-size="34" font-weight="bold" text-anchor="middle" '
        'fill="#ffffff" font-family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif">'
        f"{glyph}</text>\n"
        "</svg>\n"
    )


def _shape_manifest(short: str) -> dict[str, Any]:
    path = plugins_dir() / short / "manifest.toml"
    with path.open("rb") as file:
        return tomllib.load(file)


def _table(table: dict[str, Any]) -> list[str]:
    """``key = value`` lines; sub-tables become inline tables."""
    return [f"{_key(k)} = {_value(v)}" for k, v in table.items()]


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    """A TOML value: strings as basic strings (TOML accepts JSON's string escapes), tables inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {type(value).__name__}")
