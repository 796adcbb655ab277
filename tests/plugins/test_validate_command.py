"""``launcher validate``: county files and plugin folders checked as loading checks them, Python
entries imported through the plugin host with a time-out; every problem with its file and key, and
the exit status says whether there was any. ``launcher status --json`` lists loading problems."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.demo_plugins import PLUGIN_DIRS

COUNTY = (
    '[county]\nid = "validate-test"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
    '[[platforms]]\nplugin = "demo.anquan"\nbase_url = "http://127.0.0.1:9101"\n'
    '[[platforms]]\nplugin = "demo.py"\nbase_url = "http://127.0.0.1:9102"\n'
)

MANIFEST = '''schema = 1
id = "demo.py"
name = "测试插件"
version = "1.0.0"
home = "{base_url}/"
origins = ["{base_url}"]

[auth]
kind = "sso"
scopes = ["tasks"]

[tasks]
kind = "python"
entry = "tasks:make"
timeout = 5
'''

GOOD = '''
from launcher.api import TaskItem

LAUNCHER_API = 1


class Source:
    def __init__(self, context):
        self.context = context

    def fetch(self, *, timeout):
        return []


def make(context):
    return Source(context)
'''


def run(args: list[str], home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "launcher", *args],
                          env={**os.environ, "LAUNCHER_HOME": str(home)}, text=True,
                          capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


def county(tmp_path: Path, code: str = GOOD, manifest: str = MANIFEST) -> Path:
    """A county file with the demo platforms' folder and a folder ``plugins/py`` of its own."""
    plugin = tmp_path / "plugins" / "py"
    plugin.mkdir(parents=True)
    (plugin / "manifest.toml").write_text(manifest, encoding="utf-8")
    (plugin / "tasks.py").write_text(textwrap.dedent(code), encoding="utf-8")
    path = tmp_path / "county.toml"
    path.write_text(PLUGIN_DIRS + COUNTY, encoding="utf-8")
    return path


def test_a_good_county_passes_with_a_summary(tmp_path: Path) -> None:
    result = run(["validate", "--lang", "en", str(county(tmp_path))], tmp_path / "home")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ("all good: 1 county file(s), 2 plugin(s), 1 Python entry(ies) "
                                     "imported and checked")
    chinese = run(["validate", str(county(tmp_path / "zh"))], tmp_path / "home")
    assert chinese.returncode == 0 and chinese.stdout.startswith("全部通过")


def test_the_demo_county_and_its_plugins_pass(tmp_path: Path) -> None:
    from launcher_demo.plugin_dir import plugins_dir

    result = run(["validate", str(plugins_dir())], tmp_path / "home")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("manifest", "key"), [
    (MANIFEST.replace('entry = "tasks:make"', 'entry = "not an entry"'), "tasks.entry"),
    (MANIFEST.replace("schema = 1", "schema = 7"), "schema"),
    (MANIFEST.replace('kind = "python"', 'kind = "soap"'), "tasks.kind"),
    (MANIFEST + "\n[bogus]\n", "bogus"),
    # A form naming a key the field dictionary does not have (a misspelt one fills nothing).
    (MANIFEST + '\n[[forms]]\nkey = "f"\nurl = "{base_url}/f"\n'
                'fields = { "#n" = "person.nmae" }\n', "forms[0].fields.#n"),
    (MANIFEST + '\n[[forms]]\nkey = "f"\nurl = "{base_url}/f"\n[forms.submit]\n'
                'url = "{base_url}/api/f"\nbody = { name = "{person.nmae}" }\n', "forms[0].submit.body"),
])
def test_a_broken_manifest_is_named_with_its_key(tmp_path: Path, manifest: str, key: str) -> None:
    path = county(tmp_path, manifest=manifest)
    for target in (path, tmp_path / "plugins" / "py", tmp_path / "plugins"):
        result = run(["validate", "--lang", "en", str(target)], tmp_path / "home")
        assert result.returncode == 1, result.stdout
        manifest_path = tmp_path / "plugins" / "py" / "manifest.toml"
        assert f"problem: {manifest_path}: {key}: " in result.stdout, result.stdout
        assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(("code", "said"), [
    ("def make(context:\n", "SyntaxError"),
    ("raise RuntimeError('no config.ini')\n", "RuntimeError: no config.ini"),
    ("import no_such_module_anywhere\n", "no_such_module_anywhere"),
    ("LAUNCHER_API = 1\n", "has no attribute 'make'"),
    ("LAUNCHER_API = 1\nmake = 3\n", "not a factory"),
    ("LAUNCHER_API = 1\ndef make(a, b):\n    pass\n", "cannot be called with the plugin's context"),
    (GOOD.replace("LAUNCHER_API = 1", "LAUNCHER_API = 2"), "written for launcher API 2"),
    ("import sys\nsys.exit(3)\n", "sys.exit(3)"),
])
def test_a_broken_python_entry_is_named(tmp_path: Path, code: str, said: str) -> None:
    path = county(tmp_path, code)
    result = run(["validate", "--lang", "en", str(path)], tmp_path / "home")
    assert result.returncode == 1, result.stdout
    manifest = tmp_path / "plugins" / "py" / "manifest.toml"
    [line] = [x for x in result.stdout.splitlines() if x.startswith("problem:")]
    assert line.startswith(f"problem: {manifest}: tasks.entry: ") and said in line, line
    assert result.stdout.splitlines()[-1].startswith("problems found: 1")


def test_a_hanging_import_costs_its_time_out_and_no_more(tmp_path: Path) -> None:
    path = county(tmp_path, "import time\nwhile True:\n    time.sleep(1)\n")
    started = time.monotonic()
    result = run(["validate", "--lang", "en", "--timeout", "1", str(path)], tmp_path / "home",
                 timeout=60)
    assert time.monotonic() - started < 30
    assert result.returncode == 1
    assert "did not return within 1 s" in result.stdout


def test_an_entry_without_a_declared_version_is_a_warning_only(tmp_path: Path) -> None:
    path = county(tmp_path, GOOD.replace("LAUNCHER_API = 1", ""))
    result = run(["validate", "--lang", "en", str(path)], tmp_path / "home")
    assert result.returncode == 0, result.stdout
    assert "warning: " in result.stdout and "declares no LAUNCHER_API" in result.stdout


def test_a_missing_path_and_an_empty_folder_are_problems(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run(["validate", "--lang", "en", str(tmp_path / "nothing"), str(tmp_path / "empty")],
                 tmp_path / "home")
    assert result.returncode == 1
    assert f"problem: {tmp_path / 'nothing'}: no such file or folder" in result.stdout
    assert f"problem: {tmp_path / 'empty'}: holds no plugin" in result.stdout


@pytest.mark.usefixtures("real_keyring")
def test_status_json_lists_the_loading_problems(tmp_path: Path) -> None:
    path = county(tmp_path, manifest=MANIFEST.replace("schema = 1", "schema = 7"))
    result = run(["status", "--json", "--county", str(path)], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    problems = json.loads(result.stdout)["problems"]
    manifest = str(tmp_path / "plugins" / "py" / "manifest.toml")
    assert {"file": manifest, "key": "schema",
            "message": "must be 1; this launcher does not read 7"} in problems
    assert any(p["file"] == str(path) and p["key"] == "platforms" for p in problems), problems
