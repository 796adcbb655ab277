"""The password vault in the launcher's window: the demo county's legacy platform (农村“三资”监管,
only its own login form) opened from its tile, with real Chromium pages (QtWebEngine, offscreen),
the real keyring and the real demo servers.

Saved account -> signed in; a refused saved password -> one attempt and a bar with the choices
(never a second attempt by itself, in any tab), then the update; no saved account -> asked once;
and never anything filled on another origin, neither in a frame of another site nor on a look-alike
page, nor in a tab the person did not open for the platform. The tests share one window and one
county sign-in; each sets up the vault and the legacy session it needs, and runs alone and in any
order.
(tests/e2e/test_vault_lockout.py: the platform with a frameset, a captcha and a lockout.)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from launcher.core.auth.vault import Credentials
from launcher.core.secrets import SecretStore
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from launcher_demo.legacy_app import LEGACY_ACCOUNTS, LEGACY_ID, LoginAttempt
from tests.e2e.signin import LOAD_TIMEOUT, USER, current_web_tab
from tests.e2e.webpage import MAIN_WORLD, read_json, run_js, wait_for_js, wait_for_text

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ACCOUNT = LEGACY_ACCOUNTS[0]
translate = QCoreApplication.translate
READ_FORM = """{username: document.querySelector('#username').value,
                password: document.querySelector('#password').value}"""


@pytest.fixture(scope="module", autouse=True)
def forget_saved_passwords() -> Iterator[None]:
    """The module's saved passwords leave the keyring after its window (set up before it, so
    torn down after it); the window takes the session with it."""
    yield
    SecretStore("vault/demo").delete_matching("")


@pytest.fixture(scope="module")
def scripted_sign_in() -> bool:
    return True


def base(county: DemoCounty) -> str:
    return county.base_urls[LEGACY_ID]


def save(qtbot: QtBot, window: MainWindow, password: str | None) -> None:
    """Put the saved account in the keyring (None: none saved) and let the window see it."""
    assert window.services is not None
    vault = window.services.vault
    if password is None:
        vault.delete(LEGACY_ID)
    else:
        vault.set(LEGACY_ID, ACCOUNT.username, password)
    window.vault.reload()
    qtbot.waitUntil(lambda: window.vault.saved.get(LEGACY_ID) == (password is not None))


def sign_out_of_legacy(qtbot: QtBot, window: MainWindow, county: DemoCounty) -> None:
    """End the legacy platform's own session, in a page that is not a tab (the vault ignores it)."""
    page = QWebEnginePage(window.web().profile())
    with qtbot.waitSignal(page.loadFinished, timeout=LOAD_TIMEOUT):
        page.load(QUrl(base(county) + "/logout"))
    assert page.url().path() == "/login"
    page.deleteLater()


def open_tile(qtbot: QtBot, window: MainWindow) -> WebTab:
    qtbot.mouseClick(window.tiles.tiles[LEGACY_ID], Qt.MouseButton.LeftButton)
    tab = current_web_tab(window)
    assert tab.key == LEGACY_ID
    return tab


def attempts_since(county: DemoCounty, before: int) -> list[LoginAttempt]:
    return county.login_attempts()[before:]


def test_a_saved_password_signs_in_to_the_legacy_platform(
    qtbot: QtBot, signed_in: MainWindow, demo_county: DemoCounty
) -> None:
    window = signed_in
    tile = window.tiles.tiles[LEGACY_ID]
    save(qtbot, window, None)
    assert tile.state_text() == "自有登录（未保存密码）"
    save(qtbot, window, ACCOUNT.password)
    assert tile.state_text() == "已保存密码" and tile.badge_text() == ""
    sign_out_of_legacy(qtbot, window, demo_county)
    before = len(demo_county.login_attempts())
    asked: list[str] = []
    window.vault.asked.connect(asked.append)

    with qtbot.waitSignal(window.vault.succeeded, timeout=LOAD_TIMEOUT) as succeeded:
        tab = open_tile(qtbot, window)
    assert succeeded.args == [LEGACY_ID]
    wait_for_text(qtbot, tab.page, f"已登录：{USER.name}")
    assert tab.url() == base(demo_county) + "/"
    assert attempts_since(demo_county, before) == [LoginAttempt(ACCOUNT.username, True)]
    assert asked == [] and window.vault.dialog is None and window.vault.notice is None
    window.vault.asked.disconnect(asked.append)

    # The user signs out of the platform on its page: not signed straight back in; the saved
    # account is only filled in, for the user to press 登录.
    window.statusBar().clearMessage()
    run_js(qtbot, tab.page, "document.querySelector('a[href=\"/logout\"]').click(); true")
    qtbot.waitUntil(lambda: "已填入" in window.statusBar().currentMessage(), timeout=LOAD_TIMEOUT)
    assert urlsplit(tab.url()).path == "/login"
    assert read_json(qtbot, tab.page, READ_FORM) == {
        "username": ACCOUNT.username,
        "password": ACCOUNT.password,
    }
    assert len(attempts_since(demo_county, before)) == 1


def test_a_refused_saved_password_is_reported_and_never_retried(
    qtbot: QtBot, signed_in: MainWindow, demo_county: DemoCounty
) -> None:
    window = signed_in
    save(qtbot, window, "an-old-password")
    sign_out_of_legacy(qtbot, window, demo_county)
    before = len(demo_county.login_attempts())
    submitted: list[tuple[str, bool]] = []
    record = lambda pid, automatic: submitted.append((pid, automatic))  # noqa: E731
    window.vault.attempted.connect(record)

    with qtbot.waitSignal(window.vault.refused, timeout=LOAD_TIMEOUT) as refused:
        tab = open_tile(qtbot, window)
    assert refused.args[0] == LEGACY_ID
    # The bar above the page says so, names the platform and offers the choices.
    notice = window.vault.notice
    assert notice is not None and notice.isVisible() and notice.parent() is tab
    assert notice.text() == refused.args[1] and "农村“三资”监管" in notice.text()
    assert refused.args[1] in window.statusBar().currentMessage()
    wait_for_js(qtbot, tab.page, "document.querySelector('#login-error')")
    assert attempts_since(demo_county, before) == [LoginAttempt(ACCOUNT.username, False)]

    # The login page again (reloaded, or in a new tab from the tile): nothing is sent, nothing
    # filled, the bar is there again.
    for reopen in (
        lambda: tab.load(base(demo_county) + "/login"),
        lambda: (window.close_web_tabs(), open_tile(qtbot, window)),
    ):
        with qtbot.waitSignal(window.vault.stopped, timeout=LOAD_TIMEOUT):
            reopen()
        page = current_web_tab(window)
        wait_for_js(qtbot, page.page, "document.querySelector('#password')")
        assert read_json(qtbot, page.page, READ_FORM)["password"] == ""
        assert window.vault.notice is not None and window.vault.notice.parent() is page
    assert submitted == [(LEGACY_ID, True)]
    assert attempts_since(demo_county, before) == [LoginAttempt(ACCOUNT.username, False)]

    # 更新密码…: the dialog, the new password saved in the keyring, then signed in.
    tab = current_web_tab(window)
    notice = window.vault.notice
    assert notice is not None
    with qtbot.waitSignal(window.vault.asked, timeout=LOAD_TIMEOUT):
        notice.update_button.click()
    dialog = window.vault.dialog
    assert dialog is not None and dialog.username.text() == ACCOUNT.username
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password
    dialog.password.setText(ACCOUNT.password)
    with qtbot.waitSignal(window.vault.succeeded, timeout=LOAD_TIMEOUT):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_for_text(qtbot, tab.page, f"已登录：{USER.name}")  # the tab where it was refused
    assert window.services is not None
    assert window.services.vault.get(LEGACY_ID) == Credentials(ACCOUNT.username, ACCOUNT.password)
    assert attempts_since(demo_county, before) == [
        LoginAttempt(ACCOUNT.username, False),
        LoginAttempt(ACCOUNT.username, True),
    ]
    assert submitted == [(LEGACY_ID, True), (LEGACY_ID, False)]  # the second one: the person's
    window.vault.attempted.disconnect(record)


def test_without_a_saved_password_the_user_is_asked_once(
    qtbot: QtBot, signed_in: MainWindow, demo_county: DemoCounty
) -> None:
    window = signed_in
    save(qtbot, window, None)
    sign_out_of_legacy(qtbot, window, demo_county)
    before = len(demo_county.login_attempts())

    with qtbot.waitSignal(window.vault.asked, timeout=LOAD_TIMEOUT):
        tab = open_tile(qtbot, window)
    dialog = window.vault.dialog
    assert dialog is not None and dialog.save.isChecked()
    assert "农村“三资”监管" in dialog.windowTitle()
    # Cancel: the user signs in on the page by hand; the launcher asks no more in this tab.
    dialog.reject()
    asked: list[str] = []
    window.vault.asked.connect(asked.append)
    window.statusBar().clearMessage()
    tab.load(base(demo_county) + "/login")
    qtbot.waitUntil(lambda: "下次" in window.statusBar().currentMessage(), timeout=LOAD_TIMEOUT)
    assert asked == [] and window.vault.dialog is None
    window.vault.asked.disconnect(asked.append)

    # A new tab asks again; this time the account is typed in and saved.
    window.close_web_tabs()
    with qtbot.waitSignal(window.vault.asked, timeout=LOAD_TIMEOUT):
        tab = open_tile(qtbot, window)
    dialog = window.vault.dialog
    assert dialog is not None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.username.setText(ACCOUNT.username)
    dialog.password.setText(ACCOUNT.password)
    with qtbot.waitSignal(window.vault.succeeded, timeout=LOAD_TIMEOUT):
        ok.click()
    wait_for_text(qtbot, tab.page, f"已登录：{USER.name}")
    assert attempts_since(demo_county, before) == [LoginAttempt(ACCOUNT.username, True)]
    assert window.services is not None and window.services.vault.has(LEGACY_ID)
    qtbot.waitUntil(lambda: window.tiles.tiles[LEGACY_ID].state_text() == "已保存密码")


class _OtherSite:
    """A tiny site on another loopback port: the legacy login page in a frame, and a copy of it."""

    def __init__(self, legacy_base: str) -> None:
        copy = requests.get(legacy_base + "/login", timeout=10).text
        pages = {
            "/framed": f"""<!doctype html><html><head><meta charset="utf-8"><title>通知</title>
                </head><body><h1>重要通知</h1>
                <iframe id="frame" src="{legacy_base}/login" width="800" height="600"></iframe>
                </body></html>""",
            # The same HTML at the same path; the form posts to this site.
            "/login": copy,
        }

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path.split("?", 1)[0], "").encode("utf-8")
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                posts.append(self.path)
                self.send_response(303)
                self.send_header("Location", "/login")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        posts: list[str] = []
        self.posts = posts
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def frame_values(qtbot: QtBot, page: QWebEnginePage) -> dict[str, str]:
    """The legacy login form's inputs inside the page's iframe, read in the frame itself."""
    frames = page.mainFrame().children()
    assert len(frames) == 1
    answers: list[Any] = []
    frames[0].runJavaScript(f"JSON.stringify({READ_FORM})", MAIN_WORLD, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=LOAD_TIMEOUT)
    return dict(json.loads(answers[0]))


def test_nothing_is_filled_on_another_origin(
    qtbot: QtBot, signed_in: MainWindow, demo_county: DemoCounty
) -> None:
    window = signed_in
    save(qtbot, window, ACCOUNT.password)  # the dangerous case: a good password is saved
    sign_out_of_legacy(qtbot, window, demo_county)
    before = len(demo_county.login_attempts())
    events: list[str] = []
    for signal in (window.vault.attempted, window.vault.asked, window.vault.refused):
        signal.connect(lambda *args: events.append(str(args)))
    site = _OtherSite(base(demo_county))
    try:
        # The platform's real login page, framed by another origin's page: even in a tab
        # opened for the platform.
        tab = window.open_web(site.url + "/framed", "通知", platform_id=LEGACY_ID)
        with qtbot.waitSignal(tab.load_finished, timeout=LOAD_TIMEOUT):
            pass
        qtbot.waitUntil(lambda: len(tab.page.mainFrame().children()) == 1, timeout=LOAD_TIMEOUT)
        qtbot.waitUntil(lambda: "/login" in tab.page.mainFrame().children()[0].url().path())
        qtbot.waitUntil(
            lambda: frame_values(qtbot, tab.page) == {"username": "", "password": ""},
            timeout=LOAD_TIMEOUT,
        )
        # A look-alike login page: the same HTML, the same path, another origin.
        lookalike = window.open_web(site.url + "/login?next=/", "用户登录", platform_id=LEGACY_ID)
        with qtbot.waitSignal(lookalike.load_finished, timeout=LOAD_TIMEOUT):
            pass
        wait_for_text(qtbot, lookalike.page, ACCOUNT.password)  # the copied demo hint
        assert read_json(qtbot, lookalike.page, READ_FORM) == {"username": "", "password": ""}

        # The control: the platform's own login page, opened now for the platform (as a task
        # opens it), is filled and submitted.
        with qtbot.waitSignal(window.vault.succeeded, timeout=LOAD_TIMEOUT):
            own = window.open_web(base(demo_county) + "/login", "三资", platform_id=LEGACY_ID)
        wait_for_text(qtbot, own.page, f"已登录：{USER.name}")
        assert frame_values(qtbot, tab.page) == {"username": "", "password": ""}
        assert read_json(qtbot, lookalike.page, READ_FORM) == {"username": "", "password": ""}
        assert site.posts == []
    finally:
        site.close()
    assert len(events) == 1 and LEGACY_ID in events[0]  # only the control's attempt
    assert attempts_since(demo_county, before) == [LoginAttempt(ACCOUNT.username, True)]


def test_saved_passwords_are_listed_changed_and_deleted(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    window = signed_in
    save(qtbot, window, ACCOUNT.password)
    assert window.vault_action.text() == "已保存的密码…"
    window.vault_action.trigger()
    manager = window.vault.manager
    assert manager is not None
    qtbot.waitUntil(lambda: manager.table.rowCount() == 1, timeout=LOAD_TIMEOUT)
    assert manager.table.item(0, 0).text() == "农村“三资”监管"
    assert manager.table.item(0, 1).text() == ACCOUNT.username
    # Whether the vault signs in by itself: yes, for a saved password never refused.
    assert manager.table.item(0, 2).text() == translate("SavedPasswordsDialog", "Yes")
    assert manager.delete_button.isEnabled()

    # Change…: a new user name and password, saved in the keyring.
    with qtbot.waitSignal(window.vault.asked, timeout=LOAD_TIMEOUT):
        manager.change_button.click()
    dialog = window.vault.dialog
    assert dialog is not None and not dialog.save.isVisibleTo(dialog)
    dialog.username.setText("lina")
    dialog.password.setText(LEGACY_ACCOUNTS[1].password)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: manager.table.item(0, 1).text() == "lina", timeout=LOAD_TIMEOUT)
    assert window.services is not None
    assert window.services.vault.get(LEGACY_ID) == Credentials("lina", LEGACY_ACCOUNTS[1].password)

    manager.delete_button.click()
    qtbot.waitUntil(lambda: manager.table.item(0, 1).text() == "（未保存）", timeout=LOAD_TIMEOUT)
    assert not window.services.vault.has(LEGACY_ID)
    assert not manager.delete_button.isEnabled()
    assert window.tiles.tiles[LEGACY_ID].state_text() == "自有登录（未保存密码）"
    manager.reject()
    qtbot.waitUntil(lambda: window.vault.manager is None)
