"""The headless command-line contracts, run as a user would run them (a new process each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

pytestmark = pytest.mark.usefixtures("real_keyring")


def run(args: list[str], home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LAUNCHER_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "launcher", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_inbox_json_on_the_demo_county(tmp_path: Path) -> None:
    result = run(["inbox", "--demo", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 20
    for row in rows:
        assert {"platform", "id", "title", "due", "url", "status", "platforms"} <= set(row)
        assert row["url"].startswith("http://127.0.0.1:")
        assert row["platform"] in row["platforms"]
    dues = [datetime.fromisoformat(r["due"]) for r in rows if r["due"]]
    assert dues == sorted(dues)
    assert all(d.tzinfo is not None for d in dues)
    duplicates = [r for r in rows if {"demo.anquan", "demo.zhifa"} <= set(r["platforms"])]
    assert duplicates, "the safety inspection asked by both platforms must be one row"
    assert all(len(r["items"]) == len(r["platforms"]) for r in duplicates)
    platforms = {p for r in rows for p in r["platforms"]}
    assert len(platforms) >= 6
    # The demo session is signed out at the end: nothing is left in the keyring or on disk.
    import keyring

    assert keyring.get_password("yiduantong/county/demo", "session") is None
    # ... and the user's task list is not left in the cache for the next person on the PC.
    from launcher.core.inbox.cache import TaskCache

    cache = TaskCache(tmp_path / "counties" / "demo" / "tasks.sqlite3")
    try:
        assert cache.load() == []
    finally:
        cache.close()


def test_broken_county_file_gets_a_clear_message(tmp_path: Path) -> None:
    county = tmp_path / "county.toml"
    county.write_text(
        '[county]\nid = "x"\nname = "县"\n[idp]\nissuer = "not a url"\n', encoding="utf-8"
    )
    result = run(["inbox", "--county", str(county), "--json"], tmp_path)
    assert result.returncode == 1
    assert str(county) in result.stderr and "idp.issuer" in result.stderr
    assert "Traceback" not in result.stderr


def test_inbox_without_login_says_so(tmp_path: Path, demo_county: object) -> None:
    county_path = demo_county.county_path  # type: ignore[attr-defined]
    result = run(["inbox", "--county", str(county_path), "--json"], tmp_path)
    assert result.returncode == 1
    assert "not signed in" in result.stderr


def test_screenshot_of_the_signed_in_demo_window(tmp_path: Path) -> None:
    out = tmp_path / "shot.png"
    result = run(["--demo", "--screenshot", str(out)], tmp_path, timeout=180)
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert image.width() >= 800 and image.height() >= 500
    # Not a blank frame: the rendered window has many distinct colours.
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20
