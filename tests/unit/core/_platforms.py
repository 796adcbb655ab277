"""Platforms for tests, loaded from real manifest files written into a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform

FORMS = """
[[forms]]
key = "safety_check"
name = "消防安全检查"
url = "{base_url}/inspections/new"
[forms.fields]
"#inspector" = "person.name"
"input[name=idno]" = "person.id_number"
"#phone" = "person.phone"
"#village" = "org.village"
"#check_date" = "inspection.date"
"""


def make_platform(folder: Path, base_url: str, *, plugin_id: str = "demo.anquan",
                  tasks: str | None = None, forms: str = "", timeout: float = 5.0,
                  no_tasks: bool = False) -> Platform:
    """A Platform from a manifest written into ``folder/<plugin name>``.

    ``tasks`` is the body of the [tasks] table; by default a rest-json list at /api/tasks.
    ``no_tasks`` leaves the table out: a platform without an inbox.
    """
    if tasks is None:
        tasks = textwrap.dedent("""
            kind = "rest-json"
            url = "{base_url}/api/tasks?status=open"
            items = "data.items"
            [tasks.fields]
            id = "id"
            title = "title"
            due = "deadline"
            url = "link"
            form = "form_code"
            subject = "household"
            status = "state"
            """)
    plugin = folder / plugin_id.split(".", 1)[1]
    plugin.mkdir(parents=True, exist_ok=True)
    manifest = textwrap.dedent(f"""
        schema = 1
        id = "{plugin_id}"
        name = "测试平台 {plugin_id}"
        version = "1.0.0"
        home = "{{base_url}}/"
        origins = ["{{base_url}}"]

        [auth]
        kind = "sso"
        scopes = ["tasks"]
        """)
    if not no_tasks:
        manifest += f"\n[tasks]\ntimeout = {timeout}\n{tasks}\n"
    manifest += forms
    (plugin / "manifest.toml").write_text(manifest, encoding="utf-8")
    return Platform(load_manifest(plugin / "manifest.toml"), base_url.rstrip("/"))
