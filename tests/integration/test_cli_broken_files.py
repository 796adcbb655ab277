"""The command line on broken county files and manifests: one message naming the file and the key,
never a traceback (issue 11, item 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_plugins import PLUGIN_DIRS

pytestmark = pytest.mark.usefixtures("real_keyring")

COUNTY = (
    '[county]\nid = "cli-broken"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
    '[[platforms]]\nplugin = "demo.anquan"\nbase_url = "http://127.0.0.1:9101"\n'
)


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launcher", *args],
        env={**os.environ, "LAUNCHER_HOME": str(home)},
        text=True,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (("x = " + "[" * 3000 + "]" * 3000 + "\n" + COUNTY).encode(), ""),  # RecursionError
        (COUNTY.replace('"cli-broken"', '"../../outside"').encode(), "county.id"),
        (COUNTY.replace('"测试县"', '"\\u0000\\u001b[2J"').encode(), "county.name"),
        ((COUNTY + "[inbox]\nrefresh_minutes = 40000\n").encode(), "inbox.refresh_minutes"),
        (COUNTY.encode() + b"\nname_en = \"\xff\"\n", ""),
        (("[inbox]\nrefresh_minutes = " + "9" * 5000 + "\n" + COUNTY).encode(), ""),
    ],
)
@pytest.mark.parametrize("command", [["status"], ["inbox", "--cached"]])
def test_a_broken_county_file_is_one_line_naming_it(
    tmp_path: Path, data: bytes, key: str, command: list[str]
) -> None:
    county = tmp_path / "county.toml"
    county.write_bytes(data)
    result = run([*command, "--county", str(county)], tmp_path / "home")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr, result.stderr
    assert f"launcher: {county}: {key}" in result.stderr, result.stderr
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr


def test_a_broken_manifest_is_named_and_the_other_platforms_work(tmp_path: Path) -> None:
    plugin = tmp_path / "plugins" / "deep"
    plugin.mkdir(parents=True)
    manifest = plugin / "manifest.toml"
    manifest.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    county = tmp_path / "county.toml"
    county.write_text(PLUGIN_DIRS + COUNTY, encoding="utf-8")
    result = run(["status", "--county", str(county)], tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert str(manifest) in result.stderr
    assert "demo.anquan" in result.stdout
