"""The plugin SDK (launcher.testing): its contract catches what a careless plugin does, and its
pytest plugin only offers fixtures, so the launcher's own test run and anyone's else are as they
were (``-p no:yiduantong`` turns it off)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

import yiduantong_pytest as sdk
from launcher.testing import ContractBroken, PlatformServer, PluginRun

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plugin-example"

MANIFEST = (EXAMPLE / "manifest.toml").read_text(encoding="utf-8")

CARELESS = '''
import requests
from launcher.api import TaskItem

LAUNCHER_API = 1


class Source:
    def __init__(self, context):
        self.context = context

    def fetch(self, *, timeout):
        answer = self.context.session.get(self.context.url("/api/tasks"){timeout})
        {status}
        return [TaskItem("x", str(row["id"]), row["title"], {link})
                for row in answer.json()["rows"]]


def make(context):
    return Source(context)
'''
SOUND = {"timeout": ", timeout=timeout", "status": "answer.raise_for_status()",
         "link": 'self.context.url(f"/t/{row[\'id\']}")'}


def careless(tmp_path: Path, **changes: str) -> Path:
    folder = tmp_path / "careless"
    folder.mkdir()
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    code = CARELESS
    for name, sound in SOUND.items():
        code = code.replace("{" + name + "}", changes.get(name, sound))
    (folder / "tasks.py").write_text(textwrap.dedent(code), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("changes", "said"), [
    ({}, None),
    ({"timeout": ""}, "time-out not honoured"),
    ({"status": "if answer.status_code != 200: raise RuntimeError('bad')"},
     "status 500: the launcher would show 'plugin', not 'platform'"),
    ({"link": '"https://elsewhere.example/t/1"'}, "is not on the platform"),
])
def test_the_contract_names_what_a_plugin_gets_wrong(
        tmp_path: Path, plugin_platform: PlatformServer, plugin_run: Callable[..., PluginRun],
        task_source_contract: Callable[..., list], changes: dict[str, str],
        said: str | None) -> None:
    plugin_platform.json("/api/tasks", {"rows": [{"id": 1, "title": "走访"}]})
    run = plugin_run(careless(tmp_path, **changes))
    if said is None:
        assert [t.title for t in task_source_contract(run, timeout=1.0)] == ["走访"]
        return
    with pytest.raises(ContractBroken) as broken:
        task_source_contract(run, timeout=1.0)
    assert said in str(broken.value)


def test_the_pytest_plugin_only_offers_fixtures() -> None:
    """No hooks and nothing autouse: a run that names none of its fixtures is untouched."""
    assert not [name for name in vars(sdk) if name.startswith("pytest_")]
    for name in ("plugin_platform", "plugin_run", "task_source_contract", "plugin_county"):
        fixture = getattr(sdk, name)
        marker = (getattr(fixture, "_fixture_function_marker", None)  # pytest 8.4 and later
                  or fixture._pytestfixturefunction)
        assert marker.autouse is False


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                           *args, str(folder)], cwd=folder, text=True, capture_output=True,
                          timeout=300, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


def test_the_fixtures_are_found_through_the_entry_point_and_turned_off_by_p_no(
        tmp_path: Path) -> None:
    (tmp_path / "test_one.py").write_text(
        "def test_server(plugin_platform):\n    assert plugin_platform.url\n", encoding="utf-8")
    found = pytest_in(tmp_path)
    assert found.returncode == 0, found.stdout + found.stderr
    off = pytest_in(tmp_path, "-p", "no:yiduantong")
    assert off.returncode == 1 and "fixture 'plugin_platform' not found" in off.stdout


def test_the_county_fixture_skips_saying_why_without_the_demo_county(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(textwrap.dedent('''
        import launcher.testing.county as county
        from launcher.core.demo import DemoNotInstalled

        def not_installed():
            raise DemoNotInstalled()

        county.load_demo = not_installed
        '''), encoding="utf-8")
    (tmp_path / "test_county.py").write_text(
        "def test_county(plugin_county):\n    pass\n", encoding="utf-8")
    result = pytest_in(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout
    assert "the demo county (launcher_demo) is not installed" in result.stdout


def test_the_example_plugin_passes_validate(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "launcher", "validate", "--lang", "en",
                             str(EXAMPLE)], text=True, capture_output=True, timeout=120,
                            env={**os.environ, "LAUNCHER_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 plugin(s), 1 Python entry(ies) imported" in result.stdout
