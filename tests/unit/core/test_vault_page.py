"""The vault's page scripts in a real Chromium page (QtWebEngine, offscreen), served by a local
HTTP server: the login script fills and submits the platform's own login form (in the top frame or
in the platform's own frameset), never a form with a captcha, and nothing anywhere else; the
outcome script reads what every frame shows after a submission."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

# QtWebEngine must be imported before the QApplication exists, and runs without sandbox as root.
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6.QtWebEngineWidgets  # noqa: F401  (must precede the QApplication)
import pytest
from _local_http import LocalServer, local_server
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

from launcher.core.auth.vault import Credentials, LoginPlan, login_script, plan_login
from launcher.core.auth.vault_outcome import outcome_script, parse_seen
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform

pytestmark = pytest.mark.webengine

ISOLATED = int(QWebEngineScript.ScriptWorldId.ApplicationWorld)
ACCOUNT = Credentials("zhangwei", 'Sz@zw"2024')

LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>用户登录</title></head>
<body>
<p class="error" id="login-error" %(error)s>用户名或密码错误</p>
<form id="login-form" action="/welcome" method="get">
  <label>用户名 <input type="text" id="username" name="username"></label>
  <label>密码 <input type="%(pw_type)s" id="password" name="password"></label>
  <button type="submit" id="login-submit">登录</button>
</form>
<iframe id="frame" src="/frame"></iframe>
<script>
  document.addEventListener("input", (e) => {
    const seen = JSON.parse(document.body.dataset.input || "[]");
    seen.push(e.target.id);
    document.body.dataset.input = JSON.stringify(seen);
  }, true);
</script>
</body></html>
"""

FRAME_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head><body>
<form action="/welcome"><input type="text" id="username" name="username">
<input type="password" id="password" name="password">
<button type="submit" id="login-submit">登录</button></form></body></html>"""

READ_BACK = """JSON.stringify({
  username: document.querySelector('#username').value,
  password: document.querySelector('#password').value,
  input: JSON.parse(document.body.dataset.input || '[]'),
})"""


def serve(server: LocalServer, *, error_shown: bool = False, pw_type: str = "password") -> None:
    server.html("/login", LOGIN_PAGE % {"error": "" if error_shown else "hidden",
                                        "pw_type": pw_type})
    server.html("/frame", FRAME_PAGE)
    server.html("/welcome", "<!doctype html><title>ok</title><p id=welcome>欢迎</p>")


def platform_for(base_url: str, tmp_path: Path) -> Platform:
    folder = tmp_path / "legacy"
    folder.mkdir(exist_ok=True)
    (folder / "manifest.toml").write_text(
        """schema = 1
id = "county.legacy"
name = "旧平台"
version = "1.0.0"
home = "{base_url}/"
origins = ["{base_url}"]
[auth]
kind = "password"
[auth.login]
url = "{base_url}/login"
username = "#username"
password = "#password"
submit = "#login-submit"
failure = "#login-error"
""",
        encoding="utf-8",
    )
    return Platform(load_manifest(folder / "manifest.toml"), base_url)


def load(qtbot: Any, page: QWebEnginePage, url: str) -> None:
    with qtbot.waitSignal(page.loadFinished, timeout=30_000) as finished:
        page.load(QUrl(url))
    assert finished.args == [True]
    qtbot.waitUntil(lambda: len(page.mainFrame().children()) == 1, timeout=30_000)
    frame = page.mainFrame().children()[0]
    qtbot.waitUntil(lambda: run(qtbot, frame, "!!document.querySelector('#password')") is True,
                    timeout=30_000)


def run(qtbot: Any, target: Any, script: str, world: int = 0) -> Any:
    """Run ``script`` in a page's main frame or in one QWebEngineFrame."""
    results: list[Any] = []
    target.runJavaScript(script, world, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    return results[0]


def plan_for(server: LocalServer, tmp_path: Path) -> LoginPlan:
    plan = plan_login(platform_for(server.url, tmp_path), f"{server.url}/login")
    assert plan is not None
    return plan


def welcome_queries(server: LocalServer) -> list[dict[str, list[str]]]:
    return [parse_qs(seen.query) for seen in server.seen if seen.path == "/welcome"]


def test_the_login_form_is_filled_and_submitted(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server)
        plan = plan_for(server, tmp_path)
        load(qtbot, page, f"{server.url}/login?next=/")
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            report = json.loads(run(qtbot, page, login_script(plan, ACCOUNT), ISOLATED))
        assert report == {"refused": None, "failure": False, "missing": [], "captcha": False,
                          "filled": True, "submitted": True, "focused": False}
        # The browser submitted the form the way a click on 登录 does, with both values.
        assert welcome_queries(server) == [{"username": ["zhangwei"],
                                            "password": ['Sz@zw"2024']}]
        assert page.url().path() == "/welcome"


def test_filled_without_submitting_when_asked_so(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server)
        plan = plan_for(server, tmp_path)
        load(qtbot, page, f"{server.url}/login")
        report = json.loads(run(qtbot, page, login_script(plan, ACCOUNT, submit=False), ISOLATED))
        assert report["filled"] is True and report["submitted"] is False
        after = json.loads(run(qtbot, page, READ_BACK))
        assert after == {"username": "zhangwei", "password": 'Sz@zw"2024',
                         "input": ["username", "password"]}  # the page saw both changes
        assert welcome_queries(server) == []


def test_a_page_of_another_origin_gets_nothing(qtbot, page, tmp_path):
    with local_server() as platform_server, local_server() as impostor:
        serve(platform_server)
        serve(impostor)  # the same login page, on another port
        plan = plan_for(platform_server, tmp_path)
        load(qtbot, page, f"{impostor.url}/login")
        report = json.loads(run(qtbot, page, login_script(plan, ACCOUNT), ISOLATED))
        after = json.loads(run(qtbot, page, READ_BACK))
        assert report["refused"] == "origin" and report["submitted"] is False
        assert after == {"username": "", "password": "", "input": []}
        assert welcome_queries(impostor) == []


def test_another_page_of_the_platform_gets_nothing(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server)
        plan = plan_for(server, tmp_path)
        load(qtbot, page, f"{server.url}/login")
        # The login page's own frame is /frame: the same origin, but not the login page.
        frame = page.mainFrame().children()[0]
        report = json.loads(run(qtbot, frame, login_script(plan, ACCOUNT), ISOLATED))
        assert report["refused"] == "page"
        values = json.loads(run(qtbot, frame, "JSON.stringify([document.querySelector("
                                "'#username').value, document.querySelector('#password').value])"))
        assert values == ["", ""]
        assert welcome_queries(server) == []


FRAMESET = """<!doctype html><html><head><meta charset="utf-8"><title>旧平台</title></head>
<frameset rows="40,*"><frame name="top" src="/banner"><frame name="main" src="/login">
</frameset></html>"""


def child(qtbot: Any, page: QWebEnginePage, name: str) -> Any:
    qtbot.waitUntil(lambda: any(f.name() == name for f in page.mainFrame().children()),
                    timeout=30_000)
    frame = next(f for f in page.mainFrame().children() if f.name() == name)
    qtbot.waitUntil(lambda: run(qtbot, frame, "!!document.querySelector('#password')") is True,
                    timeout=30_000)
    return frame


def test_the_login_form_in_the_platforms_own_frameset_is_filled(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server)
        server.html("/", FRAMESET)
        server.html("/banner", "<!doctype html><p>旧平台</p>")
        plan = plan_login(platform_for(server.url, tmp_path), f"{server.url}/login",
                          ancestors=[f"{server.url}/"])
        assert plan is not None
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            page.load(QUrl(server.url + "/"))
        frame = child(qtbot, page, "main")
        report = json.loads(run(qtbot, frame, login_script(plan, ACCOUNT), ISOLATED))
        assert report["submitted"] is True and report["refused"] is None
        qtbot.waitUntil(lambda: welcome_queries(server) != [], timeout=30_000)
        assert welcome_queries(server) == [{"username": ["zhangwei"],
                                            "password": ['Sz@zw"2024']}]


def test_the_login_page_framed_by_another_origin_gets_nothing(qtbot, page, tmp_path):
    with local_server() as platform_server, local_server() as other:
        serve(platform_server)
        other.html("/", FRAMESET.replace('src="/login"', f'src="{platform_server.url}/login"'))
        other.html("/banner", "<!doctype html><p>通知</p>")
        plan = plan_for(platform_server, tmp_path)
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            page.load(QUrl(other.url + "/"))
        frame = child(qtbot, page, "main")
        report = json.loads(run(qtbot, frame, login_script(plan, ACCOUNT), ISOLATED))
        assert report["refused"] == "frame" and report["filled"] is False
        values = json.loads(run(qtbot, frame, "JSON.stringify([document.querySelector("
                                "'#username').value, document.querySelector('#password').value])"))
        assert values == ["", ""]
        assert welcome_queries(platform_server) == []


CAPTCHA_ROWS = {
    # Named like a captcha (拼音 yzm), with a label 验证码.
    "named": """<label for="yzm">验证码</label><input type="text" id="yzm" name="yzm">""",
    # Nothing in its name: an input beside a picture of characters.
    "picture": """<span><input type="text" id="c1" name="c1"><img src="/pic" alt=""></span>""",
    # Only the manifest knows.
    "declared": """<input type="text" id="code9" name="code9">""",
    # A slider widget instead of an input.
    "slider": """<div class="nc_wrapper" id="slider"></div>""",
    # A captcha row the page shows only after a failed attempt: still a captcha.
    "hidden": """<span style="display:none"><input type="text" name="verifyCode"></span>""",
}


@pytest.mark.parametrize("kind", sorted(CAPTCHA_ROWS))
def test_a_form_with_a_captcha_is_filled_never_submitted(qtbot, page, tmp_path, kind):
    with local_server() as server:
        serve(server)
        server.html("/login", LOGIN_PAGE.replace(
            '<button type="submit"', CAPTCHA_ROWS[kind] + '\n  <button type="submit"') % {
                "error": "hidden", "pw_type": "password"})
        server.raw("/pic", b"GIF89a", content_type="image/gif")
        plan = plan_for(server, tmp_path)
        if kind == "declared":
            plan = replace(plan, captcha="#code9")
        load(qtbot, page, f"{server.url}/login")
        look = json.loads(run(qtbot, page, login_script(plan, None), ISOLATED))
        assert look["captcha"] is True and look["filled"] is False
        assert json.loads(run(qtbot, page, READ_BACK))["password"] == ""
        report = json.loads(run(qtbot, page, login_script(plan, ACCOUNT), ISOLATED))
        assert report["captcha"] is True and report["filled"] is True
        assert report["submitted"] is False
        # The person types the captcha next: it has the focus when it is shown.
        assert report["focused"] is (kind in ("named", "picture", "declared"))
        after = json.loads(run(qtbot, page, READ_BACK))
        assert (after["username"], after["password"]) == ("zhangwei", 'Sz@zw"2024')
        # Nothing was sent (a submission would have loaded /welcome).
        run(qtbot, page, "new Promise(r => setTimeout(() => r(1), 300))")
        assert welcome_queries(server) == [] and page.url().path() == "/login"


def test_a_plain_login_form_is_no_captcha(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server)
        load(qtbot, page, f"{server.url}/login")
        look = json.loads(run(qtbot, page, login_script(plan_for(server, tmp_path), None),
                              ISOLATED))
        assert look == {"refused": None, "failure": False, "missing": [], "captcha": False,
                        "filled": False, "submitted": False, "focused": False}


def test_the_outcome_script_sees_the_answer_arrive_in_the_frame(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server)
        server.html("/", FRAMESET)
        server.html("/banner", "<!doctype html><p>连续输错 3 次将锁定账号</p>")
        # The platform takes its time to answer: until released, the form's page stays.
        server.raw("/welcome", "<!doctype html><p id=err>验证码错误</p>".encode(),
                   content_type="text/html; charset=utf-8", fault="hold")
        legacy = platform_for(server.url, tmp_path)
        plan = plan_login(legacy, f"{server.url}/login", ancestors=[f"{server.url}/"])
        assert plan is not None
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            page.load(QUrl(server.url + "/"))
        frame = child(qtbot, page, "main")

        def seen(mark: str) -> Any:
            answer = parse_seen(run(qtbot, page, outcome_script(legacy, mark), ISOLATED))
            assert answer is not None
            return answer

        before = seen("")
        # The top, the banner, the login frame and the login page's own little frame.
        assert [f.url for f in before.frames] == [f"{server.url}/", f"{server.url}/banner",
                                                  f"{server.url}/login", f"{server.url}/frame"]
        assert before.frames[1].words == ("锁定",) and before.frames[2].login
        assert before.frames[2].passwords == 1 and before.answered
        report = json.loads(run(qtbot, frame, login_script(plan, ACCOUNT, mark="m-1"),
                                ISOLATED))
        assert report["submitted"] is True
        waiting = seen("m-1")
        assert waiting.frames[2].marked and not waiting.answered
        server.release.set()
        qtbot.waitUntil(lambda: seen("m-1").answered, timeout=30_000)
        after = seen("m-1")
        assert after.frames[2].url.startswith(f"{server.url}/welcome?")
        assert after.frames[2].words == ("验证码", "错误") and after.frames[2].status == 200
        assert after.frames[2].passwords == 0 and not after.frames[2].login


def test_the_outcome_script_reads_no_frame_of_another_origin(qtbot, page, tmp_path):
    with local_server() as platform_server, local_server() as other:
        serve(platform_server)
        serve(other)
        platform_server.html("/home", f"""<!doctype html><p>首页</p>
            <iframe src="{other.url}/login"></iframe>""")
        legacy = platform_for(platform_server.url, tmp_path)
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            page.load(QUrl(platform_server.url + "/home"))
        qtbot.waitUntil(lambda: len(page.mainFrame().children()) == 1, timeout=30_000)
        answer = parse_seen(run(qtbot, page, outcome_script(legacy, ""), ISOLATED))
        assert answer is not None and answer.hidden == 1
        assert [f.url for f in answer.frames] == [f"{platform_server.url}/home"]


def test_a_page_showing_a_refused_password_is_left_alone(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server, error_shown=True)
        plan = plan_for(server, tmp_path)
        load(qtbot, page, f"{server.url}/login")
        report = json.loads(run(qtbot, page, login_script(plan, ACCOUNT), ISOLATED))
        assert report["failure"] is True and report["submitted"] is False
        assert json.loads(run(qtbot, page, READ_BACK))["password"] == ""
        assert welcome_queries(server) == []


def test_a_password_never_goes_into_a_field_that_shows_it(qtbot, page, tmp_path):
    with local_server() as server:
        serve(server, pw_type="text")
        plan = plan_for(server, tmp_path)
        load(qtbot, page, f"{server.url}/login")
        report = json.loads(run(qtbot, page, login_script(plan, ACCOUNT), ISOLATED))
        assert report["refused"] == "password-field"
        assert json.loads(run(qtbot, page, READ_BACK))["password"] == ""


def test_a_page_that_fakes_its_globals_is_still_refused_in_the_isolated_world(
        qtbot, page, tmp_path):
    with local_server() as platform_server, local_server() as impostor:
        serve(platform_server)
        serve(impostor)
        plan = plan_for(platform_server, tmp_path)
        load(qtbot, page, f"{impostor.url}/login")
        port = plan.origin.rsplit(":", 1)[1]
        # A hostile page replaces what a naive script would rely on.
        run(qtbot, page, "RegExp.prototype.exec = () => ['', 'http', '127.0.0.1', '" + port
            + "']; window.top = window; true")
        report = json.loads(run(qtbot, page, login_script(plan, ACCOUNT), ISOLATED))
        assert report["refused"] == "origin"
        assert json.loads(run(qtbot, page, READ_BACK))["password"] == ""
