"""The window's system-browser sign-in (RFC 8252) against the demo county.

The "system browser" is a script: the window's open_url hook (QDesktopServices in real use) hands
the authorization URL to a thread that signs in at the real demo provider over HTTP, as a browser
would, and then requests the loopback redirect it was sent to, from the launcher's real listener.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from launcher.ui.login_modes import BrowserLoginDialog
from launcher.ui.main_window import MainWindow
from launcher_demo import DEMO_USERS, DemoCounty
from launcher_demo.scripted import sign_in_scripted
from launcher_demo.users import DemoUser
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    USER,
    county_copy,
    revoke_session_and_drop_token,
    sign_out_if_needed,
)

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]


class ScriptedBrowser:
    """Stands in for the system browser: what it was asked to open, and what the launcher's
    loopback page answered it."""

    def __init__(self, *, sign_in: bool = True, user: DemoUser = USER) -> None:
        self.sign_in = sign_in
        self.user = user
        self.opened: list[str] = []
        self.answers: list[requests.Response] = []
        self.errors: list[BaseException] = []

    def open_url(self, url: str) -> bool:
        self.opened.append(url)
        if self.sign_in:
            threading.Thread(target=self._sign_in, args=(url,), daemon=True).start()
        return True

    def _sign_in(self, url: str) -> None:
        try:
            callback = sign_in_scripted(url, self.user.username, self.user.password)
            self.answers.append(requests.get(callback, timeout=10))
        except BaseException as exc:  # shown by the test that waits for an answer
            self.errors.append(exc)


@pytest.fixture(scope="module")
def window_county(demo_county: DemoCounty, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return county_copy(
        demo_county.county_path, tmp_path_factory.mktemp("browser-county"), login="system-browser"
    )


def browser_dialog(qtbot: QtBot, window: MainWindow) -> BrowserLoginDialog:
    qtbot.waitUntil(lambda: isinstance(window.session.dialog, BrowserLoginDialog))
    dialog = window.session.dialog
    assert isinstance(dialog, BrowserLoginDialog)
    return dialog


def port_is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_system_browser_sign_in_fills_the_inbox(
    qtbot: QtBot, window: MainWindow, demo_county: DemoCounty
) -> None:
    sign_out_if_needed(qtbot, window)
    browser = ScriptedBrowser()
    window.session.open_url = browser.open_url
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT) as signed_in:
        window.login_action.trigger()
        dialog = browser_dialog(qtbot, window)
        qtbot.waitUntil(lambda: bool(browser.opened), timeout=LOAD_TIMEOUT)
        assert dialog.url == browser.opened[0]
    assert signed_in.args[0].name == USER.name
    assert browser.errors == []

    # One URL opened, at the provider, with a loopback redirect on a port of its own and PKCE.
    assert len(browser.opened) == 1
    url = browser.opened[0]
    assert url.startswith(demo_county.issuer)
    query = parse_qs(urlsplit(url).query)
    redirect = urlsplit(query["redirect_uri"][0])
    assert (redirect.scheme, redirect.hostname, redirect.path) == ("http", "127.0.0.1", "/callback")
    assert redirect.port and query["code_challenge_method"] == ["S256"]
    # The browser got the launcher's "signed in, you can close this page" answer; the listener
    # is closed since.
    qtbot.waitUntil(lambda: bool(browser.answers), timeout=LOAD_TIMEOUT)
    assert browser.answers[0].status_code == 200
    assert "登录完成" in browser.answers[0].text
    assert port_is_closed(redirect.port)

    assert window.session.dialog is None
    qtbot.waitUntil(lambda: window.inbox_model.rowCount() > 0, timeout=LOAD_TIMEOUT)
    assert window.user_label.text() == f"已登录：{USER.name}"


def test_the_dialog_opens_again_copies_the_link_and_cancels(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_out_if_needed(qtbot, window)
    browser = ScriptedBrowser(sign_in=False)  # a browser window the user ignores
    window.session.open_url = browser.open_url
    failures: list[str] = []
    window.login_failed.connect(failures.append)
    window.login_action.trigger()
    dialog = browser_dialog(qtbot, window)
    qtbot.waitUntil(lambda: bool(browser.opened), timeout=LOAD_TIMEOUT)
    url = browser.opened[0]
    assert "请在浏览器中完成登录" in dialog.heading.text()
    assert dialog.link.text() == url

    dialog.open_button.click()
    assert browser.opened == [url, url]
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == url
    assert "已复制" in dialog.message.text()

    port = urlsplit(parse_qs(urlsplit(url).query)["redirect_uri"][0]).port
    assert port is not None and not port_is_closed(port)
    dialog.reject()
    # The waiting worker ends, the listener closes, and a cancel is no error to report.
    qtbot.waitUntil(lambda: not window.workers.busy(), timeout=LOAD_TIMEOUT)
    assert port_is_closed(port)
    assert window.session.dialog is None
    assert window.user is None
    assert failures == []
    window.login_failed.disconnect(failures.append)


def test_closing_the_dialog_at_once_never_opens_a_browser(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_out_if_needed(qtbot, window)
    browser = ScriptedBrowser()
    window.session.open_url = browser.open_url
    failures: list[str] = []
    window.login_failed.connect(failures.append)
    window.login_action.trigger()
    dialog = window.session.dialog
    assert isinstance(dialog, BrowserLoginDialog)
    dialog.reject()  # before the worker's URL reaches the window
    qtbot.waitUntil(lambda: not window.workers.busy(), timeout=LOAD_TIMEOUT)
    window.login_failed.disconnect(failures.append)
    assert browser.opened == [] and failures == []
    assert window.user is None


def test_a_refused_answer_shows_the_error_and_try_again_signs_in(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_out_if_needed(qtbot, window)
    refusing = ScriptedBrowser(sign_in=False)
    window.session.open_url = refusing.open_url
    with qtbot.waitSignal(window.login_failed, timeout=LOAD_TIMEOUT) as failed:
        window.login_action.trigger()
        dialog = browser_dialog(qtbot, window)
        qtbot.waitUntil(lambda: bool(refusing.opened), timeout=LOAD_TIMEOUT)
        # The provider's answer when the user declines: error=access_denied, to the loopback URI.
        query = parse_qs(urlsplit(refusing.opened[0]).query)
        answer = urlencode(
            {"error": "access_denied", "state": query["state"][0], "iss": window_issuer(window)}
        )
        requests.get(f"{query['redirect_uri'][0]}?{answer}", timeout=10)
    assert "拒绝" in failed.args[0]
    assert dialog.retry_button.isVisible()
    assert "拒绝" in dialog.message.text()

    browser = ScriptedBrowser()
    window.session.open_url = browser.open_url
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        dialog.retry_button.click()
    assert len(browser.opened) == 1 and browser.opened[0] != refusing.opened[0]
    assert window.session.dialog is None


def window_issuer(window: MainWindow) -> str:
    assert window.services is not None
    return window.services.county.idp.issuer


def test_another_person_at_the_sign_in_again_bar_gets_nothing_of_the_previous_users(
    qtbot: QtBot, window: MainWindow, demo_county: DemoCounty
) -> None:
    sign_out_if_needed(qtbot, window)
    window.session.open_url = ScriptedBrowser().open_url
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        window.login_action.trigger()
    qtbot.waitUntil(
        lambda: window.last_result is not None and not window.refreshing(), timeout=LOAD_TIMEOUT
    )
    window.open_web(demo_county.base_urls["demo.anquan"] + "/", "安全排查")
    revoke_session_and_drop_token(window, "demo.anquan")
    with qtbot.waitSignal(window.sign_in_needed, timeout=LOAD_TIMEOUT):
        window.refresh_action.trigger()
    assert window.banner.platform_ids == ["demo.anquan"]

    other = DEMO_USERS[1]
    window.session.open_url = ScriptedBrowser(user=other).open_url
    refreshed: list[bool] = []
    window.refresh_finished.connect(refreshed.append)
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        window.banner.button.click()
    qtbot.waitUntil(lambda: bool(refreshed), timeout=LOAD_TIMEOUT)
    window.refresh_finished.disconnect(refreshed.append)
    assert window.user_label.text() == f"已登录：{other.name}"
    assert window.web_tabs() == []  # the previous user's pages are closed
    assert not window.banner.isVisible()
    assert window.last_result is not None
    # Every platform refreshed for the new user, none kept the previous user's cached tasks.
    assert {s.state for s in window.last_result.states.values()} == {"current"}
