"""The headless command-line contracts, run as a user would run them (a new process each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from launcher.app.vocabulary import (
    CHINESE,
    ENGLISH,
    auth_kind_label,
    sign_in_state_label,
    sign_in_text,
)
from launcher.core.states import AuthReason, SignInState

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
    result = run(["inbox", "--county", str(county_path), "--json", "--lang", "en"], tmp_path)
    assert result.returncode == 1
    assert "not signed in" in result.stderr
    chinese = run(["inbox", "--county", str(county_path), "--json"], tmp_path)
    assert chinese.returncode == 1
    assert "launcher: 未登录：请先运行 `launcher login`" in chinese.stderr  # the default


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


# -- login, status, logout (the full sessions against oidc-provider are in tests/oidc/) ----------

BROWSER_SCRIPT = '''\
"""A stand-in for the system browser: signs in at the demo IdP, then follows the loopback
redirect to the launcher, as a browser would."""
import sys

import requests

from launcher_demo import sign_in_scripted

callback = sign_in_scripted(sys.argv[1], "wangfang", "wf123456")
with requests.Session() as http:
    http.trust_env = False
    page = http.get(callback, timeout=30)
page.raise_for_status()
assert "登录完成" in page.text, page.text
'''


def test_login_opens_the_system_browser_and_inbox_uses_the_session(
    tmp_path: Path, demo_county: object
) -> None:
    """The default mode through Python's real webbrowser module, with $BROWSER naming a script."""
    county = str(demo_county.county_path)  # type: ignore[attr-defined]
    script = tmp_path / "browser.py"
    script.write_text(BROWSER_SCRIPT, encoding="utf-8")
    env = {**os.environ, "LAUNCHER_HOME": str(tmp_path), "BROWSER": f"{sys.executable} {script} %s"}
    args = ["login", "--county", county, "--timeout", "60", "--lang", "en"]
    login = subprocess.run(
        [sys.executable, "-m", "launcher", *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert login.returncode == 0, login.stderr
    first, *rest = login.stdout.splitlines()
    assert first.startswith(demo_county.issuer + "/authorize?")  # type: ignore[attr-defined]
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in first
    assert rest[-1].startswith("signed in as 王芳 (wangfang)")
    assert "continue signing in in your browser" in login.stderr
    try:
        inbox = run(["inbox", "--county", county, "--json"], tmp_path)
        assert inbox.returncode == 0, inbox.stderr
        assert json.loads(inbox.stdout), "the signed-in user's tasks"
        assert "launcher: demo." not in inbox.stderr  # no platform failed
        status = run(["status", "--county", county, "--lang", "en"], tmp_path)
        assert status.returncode == 0, status.stderr
        assert "signed in as 王芳 (wangfang)" in status.stdout
        laji = row_of("demo.laji", status.stdout)
        assert "Signed in" in laji and "Single sign-on" in laji
        chinese = run(["status", "--county", county], tmp_path)  # the default
        assert chinese.stdout.startswith("已登录：王芳（wangfang）")
        assert "已登录" in row_of("demo.laji", chinese.stdout)
    finally:
        logout = run(["logout", "--county", county, "--lang", "en"], tmp_path)
    assert logout.returncode == 0, logout.stderr
    assert "id_token_hint" not in logout.stdout
    status = run(["status", "--county", county, "--json"], tmp_path)
    assert json.loads(status.stdout)["signed_in"] is False


def test_login_no_browser_gives_up_after_its_timeout(tmp_path: Path, demo_county: object) -> None:
    county = str(demo_county.county_path)  # type: ignore[attr-defined]
    result = run(
        ["login", "--county", county, "--no-browser", "--timeout", "0.5", "--lang", "en"],
        tmp_path,
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith(demo_county.issuer)  # type: ignore[attr-defined]
    assert "launcher: no sign-in answer reached the launcher within 0.5 s" in result.stderr
    # ... after the window's sentence for the reason (what to do next).
    assert f"launcher: {sign_in_text(AuthReason.EXPIRED, ENGLISH)}\n" in result.stderr
    assert "Traceback" not in result.stderr


def test_status_and_logout_when_not_signed_in(tmp_path: Path, demo_county: object) -> None:
    county = str(demo_county.county_path)  # type: ignore[attr-defined]
    status = run(["status", "--county", county, "--lang", "en"], tmp_path)
    assert status.returncode == 0, status.stderr
    assert "not signed in" in status.stdout and "launcher login" in status.stdout
    data = json.loads(run(["status", "--county", county, "--json"], tmp_path).stdout)
    assert data["signed_in"] is False and data["user"] is None
    assert {p["state"] for p in data["platforms"] if p["auth_kind"] == "sso"} == {"signed-out"}
    # The table says each platform's state in the window's words, in the chosen language.
    for platform in data["platforms"]:
        row = row_of(platform["id"], status.stdout)
        assert sign_in_state_label(SignInState(platform["state"]), ENGLISH) in row
        assert auth_kind_label(platform["auth_kind"], ENGLISH) in row
    logout = run(["logout", "--county", county, "--lang", "en"], tmp_path)
    assert logout.returncode == 0, logout.stderr
    assert "not signed in" in logout.stdout


def test_the_commands_speak_chinese_unless_told_or_saved_otherwise(
    tmp_path: Path, demo_county: object
) -> None:
    county = str(demo_county.county_path)  # type: ignore[attr-defined]
    status = run(["status", "--county", county], tmp_path)
    assert status.returncode == 0, status.stderr
    heading = status.stdout.splitlines()[1]
    assert heading.split() == ["平台", "名称", "登录方式", "状态", "令牌到期"]
    data = json.loads(run(["status", "--county", county, "--json"], tmp_path).stdout)
    for platform in data["platforms"]:  # the window's words for the same states
        row = row_of(platform["id"], status.stdout)
        assert sign_in_state_label(SignInState(platform["state"]), CHINESE) in row
        assert auth_kind_label(platform["auth_kind"], CHINESE) in row
    assert status.stdout.startswith("未登录") and "launcher login" in status.stdout
    # The language saved in the window; --lang before or after the command overrides it.
    (tmp_path / "settings.ini").write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    saved = run(["logout", "--county", county], tmp_path)
    assert saved.stdout == "not signed in; nothing was left in the keyring\n"
    for args in (["--lang", "zh_CN", "logout"], ["logout", "--lang", "zh_CN"]):
        told = run([*args, "--county", county], tmp_path)
        assert told.stdout == "未登录；密钥环中没有留下登录信息\n", args


def row_of(platform_id: str, table: str) -> str:
    """The status table's row of a platform."""
    (row,) = [line for line in table.splitlines() if line.split()[:1] == [platform_id]]
    return row


def test_login_on_the_demo_flag_and_bad_options_are_refused(tmp_path: Path) -> None:
    result = run(["login", "--demo"], tmp_path)
    assert result.returncode == 2  # argparse: login takes --county only
    result = run(["--demo", "status", "--lang", "en"], tmp_path)
    assert result.returncode == 1 and "use --county PATH" in result.stderr
    result = run(["login", "--county", "x.toml", "--timeout", "0"], tmp_path)
    assert result.returncode == 2 and "more than 0 seconds" in result.stderr
    result = run(["login", "--county", "x.toml", "--device", "--no-browser"], tmp_path)
    assert result.returncode == 2 and "not allowed with" in result.stderr


def test_login_on_a_cas_county_points_to_the_window(tmp_path: Path) -> None:
    county = tmp_path / "county.toml"
    county.write_text(
        '[county]\nid = "cas-x"\nname = "县"\n'
        '[idp]\nkind = "cas"\nserver = "http://127.0.0.1:9/cas"\n',
        encoding="utf-8",
    )
    result = run(["login", "--county", str(county), "--lang", "en"], tmp_path)
    assert result.returncode == 1
    assert "CAS" in result.stderr and "in the window only" in result.stderr
    chinese = run(["login", "--county", str(county)], tmp_path)
    assert "CAS" in chinese.stderr and "只能在窗口中登录" in chinese.stderr
    assert "Traceback" not in result.stderr
