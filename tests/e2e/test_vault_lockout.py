"""The password vault never locks an account (issue 11, item 12; issue 13's legacy system).

The platform is the one of the incident, served for real (launcher_demo/lockout_app.py): an old
system whose login form sits in a frameset and has a captcha, answers a refusal on another URL,
and locks an account after three refused logins. Before the fix the vault submitted without the
captcha, took the refusal page for a success and submitted again at every opening of the tile,
until the account was locked. Here, with real Chromium pages (QtWebEngine, offscreen), the real
keyring and the real demo identity provider: six openings of the tile and a restart of the launcher
give the platform at most one automatic login, and the account is never locked; a captcha form is
filled and never submitted; an unclear answer stops the vault as a refusal does; a popup another
application behind the same gateway opens on the login page gets nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWebEngineCore import QWebEngineFrame
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.auth.vault import AutoSubmit, Credentials
from launcher.core.secrets import SecretStore
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from launcher_demo.county import county_toml
from launcher_demo.lockout_app import (
    LOCKOUT_ACCOUNTS,
    LOCKOUT_ID,
    LOCKOUT_SHORT,
    PREFIX,
    LockoutAttempt,
    LockoutData,
    lockout_manifest,
    serve_lockout,
)
from tests.e2e.signin import LOAD_TIMEOUT, current_web_tab, launcher_window, scripted_login
from tests.e2e.webpage import MAIN_WORLD, read_json, wait_for_js, wait_for_text

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ACCOUNT = LOCKOUT_ACCOUNTS[0]
COUNTY_ID = "demo-lockout"
OPENINGS = 6
READ_FORM = """{name: document.querySelector('#loginName').value,
                password: document.querySelector('#loginPwd').value,
                captcha: (document.querySelector('#yzm') || {value: null}).value,
                focused: document.activeElement ? document.activeElement.id : ''}"""


@pytest.fixture(scope="module")
def platform() -> Iterator[tuple[LockoutData, str]]:
    """The lockout platform on its own server: its data, and the server's URL."""
    with serve_lockout() as served:
        yield served


@pytest.fixture(scope="module")
def county_path(
    demo_county: DemoCounty,
    platform: tuple[LockoutData, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    """A county of its own (its own keyring entries) with the demo provider and the platform,
    whose manifest is the plain one a county IT team writes first (no declared checks)."""
    folder = tmp_path_factory.mktemp("lockout-county")
    plugins = folder / "plugins"
    (plugins / LOCKOUT_SHORT).mkdir(parents=True)
    (plugins / LOCKOUT_SHORT / "manifest.toml").write_text(lockout_manifest(), encoding="utf-8")
    text = county_toml(demo_county.issuer, {LOCKOUT_ID: platform[1] + PREFIX}, plugin_dirs=[plugins])
    assert text.count('id = "demo"') == 1
    path = folder / "county.toml"
    path.write_text(text.replace('id = "demo"', f'id = "{COUNTY_ID}"'), encoding="utf-8")
    try:
        yield path
    finally:
        SecretStore(f"vault/{COUNTY_ID}").delete_matching("")
        SecretStore(f"county/{COUNTY_ID}").delete_matching("")


@pytest.fixture
def data(platform: tuple[LockoutData, str]) -> LockoutData:
    """The platform with every account unlocked, in its first shape (frameset, captcha)."""
    lockout = platform[0]
    lockout.reset()
    lockout.captcha, lockout.frameset, lockout.answer_delay = "form", True, 0.0
    return lockout


@contextmanager
def started(qtbot: QtBot, qapp: QApplication, county: Path, home: Path) -> Iterator[MainWindow]:
    """A start of the launcher, signed in to the county (at the first start by the provider's
    form, at the next ones from the keyring)."""
    with launcher_window(qapp, county, home, keep_session=True) as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        window.vault.outcome_timeout_ms = 8_000
        if window.user is None:  # the session restored from the keyring, else a sign-in
            with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
                window.sign_in_with(scripted_login)
        yield window


def save(qtbot: QtBot, window: MainWindow, password: str) -> None:
    assert window.services is not None
    window.services.vault.set(LOCKOUT_ID, ACCOUNT.username, password)
    window.vault.reload()
    qtbot.waitUntil(lambda: window.vault.saved.get(LOCKOUT_ID) is True, timeout=LOAD_TIMEOUT)


def auto_state(window: MainWindow) -> str:
    assert window.services is not None
    account = window.services.vault.account(LOCKOUT_ID)
    assert account is not None
    return account.auto


class Events:
    """What the vault did, by signal."""

    def __init__(self, window: MainWindow) -> None:
        self.attempts: list[bool] = []
        self.filled: list[str] = []
        self.stopped = 0
        self.vault = window.vault
        self.vault.attempted.connect(self._attempted)
        self.vault.filled.connect(self._filled)
        self.vault.stopped.connect(self._stopped)

    def _attempted(self, platform_id: str, automatic: bool) -> None:
        if platform_id == LOCKOUT_ID:
            self.attempts.append(automatic)

    def _filled(self, platform_id: str, why: str) -> None:
        if platform_id == LOCKOUT_ID:
            self.filled.append(why)

    def _stopped(self, platform_id: str) -> None:
        self.stopped += platform_id == LOCKOUT_ID

    def close(self) -> None:
        self.vault.attempted.disconnect(self._attempted)
        self.vault.filled.disconnect(self._filled)
        self.vault.stopped.disconnect(self._stopped)


def open_tile(qtbot: QtBot, window: MainWindow) -> WebTab:
    window.close_web_tabs()
    qtbot.mouseClick(window.tiles.tiles[LOCKOUT_ID], Qt.MouseButton.LeftButton)
    tab = current_web_tab(window)
    assert (tab.platform_id, tab.opened_by_person) == (LOCKOUT_ID, True)
    return tab


def main_frame(qtbot: QtBot, tab: WebTab) -> QWebEngineFrame:
    """The frameset's main frame (where the login form is)."""

    def found() -> QWebEngineFrame | None:
        return next((f for f in tab.page.mainFrame().children() if f.name() == "mainFrame"), None)

    qtbot.waitUntil(lambda: found() is not None, timeout=LOAD_TIMEOUT)
    frame = found()
    assert frame is not None
    return frame


def in_frame(qtbot: QtBot, frame: QWebEngineFrame, expression: str) -> Any:
    answers: list[Any] = []
    frame.runJavaScript(f"JSON.stringify({expression})", MAIN_WORLD, answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=LOAD_TIMEOUT)
    return json.loads(answers[0]) if answers[0] else None


def wait_in_frame(qtbot: QtBot, tab: WebTab, expression: str) -> None:
    """Wait until ``expression`` is true in the frameset's main frame (which may be navigating,
    or replaced with the whole frameset: each look asks the frame there now)."""
    latest: dict[str, Any] = {"value": False}

    def poll() -> bool:
        frame = next((f for f in tab.page.mainFrame().children() if f.name() == "mainFrame"), None)
        if frame is not None:
            frame.runJavaScript(
                f"!!({expression})", MAIN_WORLD, lambda v: latest.__setitem__("value", v)
            )
        return latest["value"] is True

    qtbot.waitUntil(poll, timeout=LOAD_TIMEOUT)


def form_in(qtbot: QtBot, tab: WebTab, *, frameset: bool) -> dict[str, Any]:
    if not frameset:
        wait_for_js(qtbot, tab.page, "document.querySelector('#loginPwd')")
        return dict(read_json(qtbot, tab.page, READ_FORM))
    wait_in_frame(qtbot, tab, "document.querySelector('#loginPwd')")
    return dict(in_frame(qtbot, main_frame(qtbot, tab), READ_FORM))


def click(qtbot: QtBot, tab: WebTab, selector: str) -> None:
    """A real click of the person (a user gesture for Chromium) in the middle of ``selector``."""
    box = read_json(
        qtbot,
        tab.page,
        f"(r => ({{x: r.x + r.width / 2, y: r.y + r.height / 2}}))"
        f"(document.querySelector({json.dumps(selector)}).getBoundingClientRect())",
    )
    target = tab.view.focusProxy()
    assert target is not None
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(int(box["x"]), int(box["y"])))


def person_signs_in(qtbot: QtBot, data: LockoutData, tab: WebTab, *, frameset: bool) -> None:
    """What the person does: click in the form, type the captcha the picture shows, press 登 录."""
    script = """(() => {
        document.querySelector('#loginName').focus();
        const code = document.querySelector('#yzm');
        if (code) code.value = CODE;
        document.querySelector('#btnLogin').click();
        return true; })()"""
    shown = len(data.captchas)
    if frameset:
        frame = main_frame(qtbot, tab)
        in_frame(qtbot, frame, "(document.querySelector('#loginName').focus(), 1)")
        in_frame(qtbot, frame, script.replace("CODE", json.dumps(data.latest_captcha())))
        wait_in_frame(qtbot, tab, f"document.body.innerText.includes('已登录：{ACCOUNT.name}')")
    else:
        click(qtbot, tab, "#loginName")
        # The captcha row appears with the click, and its picture (a new code) loads.
        qtbot.waitUntil(lambda: len(data.captchas) > shown, timeout=LOAD_TIMEOUT)
        read_json(qtbot, tab.page, script.replace("CODE", json.dumps(data.latest_captcha())))
        wait_for_text(qtbot, tab.page, f"已登录：{ACCOUNT.name}")


def test_a_frameset_login_with_a_captcha_is_filled_and_never_submitted(
    qtbot: QtBot, qapp: QApplication, county_path: Path, data: LockoutData, tmp_path: Path
) -> None:
    with started(qtbot, qapp, county_path, tmp_path) as window:
        save(qtbot, window, ACCOUNT.password)  # the right password: the dangerous case
        events = Events(window)
        for _ in range(OPENINGS):
            with qtbot.waitSignal(window.vault.filled, timeout=LOAD_TIMEOUT) as filled:
                tab = open_tile(qtbot, window)
            assert filled.args == [LOCKOUT_ID, "captcha"]
            # In the frame: name and password filled, the captcha empty and in focus.
            assert form_in(qtbot, tab, frameset=True) == {
                "name": ACCOUNT.username,
                "password": ACCOUNT.password,
                "captcha": "",
                "focused": "yzm",
            }
            assert "验证码" in window.statusBar().currentMessage() or "captcha" in (
                window.statusBar().currentMessage()
            )
        assert events.attempts == [] and data.all_attempts() == []
        events.close()

    with started(qtbot, qapp, county_path, tmp_path) as window:  # the launcher starts again
        events = Events(window)
        with qtbot.waitSignal(window.vault.filled, timeout=LOAD_TIMEOUT):
            tab = open_tile(qtbot, window)
        assert form_in(qtbot, tab, frameset=True)["password"] == ACCOUNT.password
        assert data.all_attempts() == [] and not data.locked(ACCOUNT.username)
        # The person types the captcha and presses the button: signed in, once.
        person_signs_in(qtbot, data, tab, frameset=True)
        assert data.all_attempts() == [LockoutAttempt(ACCOUNT.username, "ok")]
        assert events.attempts == [] and auto_state(window) == AutoSubmit.READY
        events.close()


def test_a_refusal_on_another_url_stops_the_vault_until_the_person_acts(
    qtbot: QtBot, qapp: QApplication, county_path: Path, data: LockoutData, tmp_path: Path
) -> None:
    """The incident itself: a captcha the vault cannot see (drawn when the form gets the focus),
    the right password, the refusal on another URL."""
    data.captcha, data.frameset = "on-focus", False
    with started(qtbot, qapp, county_path, tmp_path) as window:
        save(qtbot, window, ACCOUNT.password)
        events = Events(window)
        with qtbot.waitSignal(window.vault.refused, timeout=LOAD_TIMEOUT) as refused:
            tab = open_tile(qtbot, window)
        assert refused.args[0] == LOCKOUT_ID
        assert events.attempts == [True]  # one automatic submission
        assert data.all_attempts() == [LockoutAttempt(ACCOUNT.username, "captcha")]
        assert tab.url().startswith(tab.url().split(PREFIX)[0] + PREFIX + "/loginError.jsp")
        notice = window.vault.notice
        assert notice is not None and notice.isVisible() and notice.parent() is tab
        assert notice.text() == refused.args[1] and "村级档案管理" in notice.text()
        qtbot.waitUntil(lambda: auto_state(window) == AutoSubmit.REFUSED, timeout=LOAD_TIMEOUT)

        for _ in range(OPENINGS):
            with qtbot.waitSignal(window.vault.stopped, timeout=LOAD_TIMEOUT):
                tab = open_tile(qtbot, window)
            assert form_in(qtbot, tab, frameset=False)["password"] == ""  # nothing filled
            notice = window.vault.notice
            assert notice is not None and notice.isVisible() and notice.parent() is tab
        assert events.attempts == [True] and events.stopped == OPENINGS
        events.close()

    with started(qtbot, qapp, county_path, tmp_path) as window:  # the launcher starts again
        events = Events(window)
        with qtbot.waitSignal(window.vault.stopped, timeout=LOAD_TIMEOUT):
            tab = open_tile(qtbot, window)
        assert form_in(qtbot, tab, frameset=False)["password"] == ""
        assert data.all_attempts() == [LockoutAttempt(ACCOUNT.username, "captcha")]
        assert not data.locked(ACCOUNT.username)

        # The person: 再试一次. One more submission, refused again, and the vault stops again.
        notice = window.vault.notice
        assert notice is not None
        with qtbot.waitSignal(window.vault.refused, timeout=LOAD_TIMEOUT):
            notice.try_button.click()
        assert events.attempts == [False]
        assert [a.result for a in data.all_attempts()] == ["captcha", "captcha"]
        assert not data.locked(ACCOUNT.username)
        qtbot.waitUntil(lambda: auto_state(window) == AutoSubmit.REFUSED, timeout=LOAD_TIMEOUT)

        # 只填入账号: filled on the login page (the vault goes back to it), never submitted; the
        # person types the captcha now shown and signs in.
        notice = window.vault.notice
        assert notice is not None
        with qtbot.waitSignal(window.vault.filled, timeout=LOAD_TIMEOUT) as filled:
            notice.fill_button.click()
        assert filled.args == [LOCKOUT_ID, "fill"]
        form = form_in(qtbot, tab, frameset=False)
        assert (form["name"], form["password"]) == (ACCOUNT.username, ACCOUNT.password)
        qtbot.waitUntil(lambda: auto_state(window) == AutoSubmit.FILL_ONLY, timeout=LOAD_TIMEOUT)
        person_signs_in(qtbot, data, tab, frameset=False)
        assert [a.result for a in data.all_attempts()] == ["captcha", "captcha", "ok"]
        assert events.attempts == [False] and not data.locked(ACCOUNT.username)
        events.close()


def test_an_answer_that_never_settles_is_unknown_and_stops_the_vault_too(
    qtbot: QtBot, qapp: QApplication, county_path: Path, data: LockoutData, tmp_path: Path
) -> None:
    data.captcha, data.answer_delay = "none", 12.0  # longer than the vault waits (8 s here)
    with started(qtbot, qapp, county_path, tmp_path) as window:
        save(qtbot, window, ACCOUNT.password)
        events = Events(window)
        with qtbot.waitSignal(window.vault.refused, timeout=LOAD_TIMEOUT) as refused:
            open_tile(qtbot, window)
        assert events.attempts == [True]
        qtbot.waitUntil(lambda: auto_state(window) == AutoSubmit.UNKNOWN, timeout=LOAD_TIMEOUT)
        assert refused.args[1] != "" and window.vault.notice is not None
        data.answer_delay = 0.0
        # The next opening (the platform's session may exist by now, or not): never a submission.
        window.close_web_tabs()
        events.close()
    with started(qtbot, qapp, county_path, tmp_path) as window:
        events = Events(window)
        with qtbot.waitSignal(window.vault.stopped, timeout=LOAD_TIMEOUT):
            open_tile(qtbot, window)
        assert events.attempts == []
        # The platform did take the one submission in the end; the vault could not know.
        qtbot.waitUntil(lambda: len(data.all_attempts()) == 1, timeout=LOAD_TIMEOUT)
        assert data.all_attempts() == [LockoutAttempt(ACCOUNT.username, "ok")]
        assert not data.locked(ACCOUNT.username)
        events.close()


def test_a_clear_success_in_the_frameset_keeps_the_vault_signing_in(
    qtbot: QtBot, qapp: QApplication, county_path: Path, data: LockoutData, tmp_path: Path
) -> None:
    data.captcha = "none"
    with started(qtbot, qapp, county_path, tmp_path) as window:
        save(qtbot, window, ACCOUNT.password)
        events = Events(window)
        with qtbot.waitSignal(window.vault.succeeded, timeout=LOAD_TIMEOUT):
            tab = open_tile(qtbot, window)
        wait_in_frame(qtbot, tab, f"document.body.innerText.includes('已登录：{ACCOUNT.name}')")
        assert events.attempts == [True] and window.vault.notice is None
        assert data.all_attempts() == [LockoutAttempt(ACCOUNT.username, "ok")]
        qtbot.waitUntil(lambda: auto_state(window) == AutoSubmit.READY, timeout=LOAD_TIMEOUT)
        events.close()
    with started(qtbot, qapp, county_path, tmp_path) as window:  # a new day: signed in again
        events = Events(window)
        with qtbot.waitSignal(window.vault.succeeded, timeout=LOAD_TIMEOUT):
            open_tile(qtbot, window)
        assert events.attempts == [True]
        assert [a.result for a in data.all_attempts()] == ["ok", "ok"]
        events.close()


def test_a_popup_another_application_opens_on_the_login_page_gets_nothing(
    qtbot: QtBot,
    qapp: QApplication,
    county_path: Path,
    data: LockoutData,
    platform: tuple[LockoutData, str],
    tmp_path: Path,
) -> None:
    """Issue 11, item 3: a page on the same host and port (another application behind the
    gateway) opens the platform's login page in a window and reads its password field."""
    data.captcha, data.frameset = "none", False  # a saved password would even be submitted
    with started(qtbot, qapp, county_path, tmp_path) as window:
        save(qtbot, window, ACCOUNT.password)
        events = Events(window)
        window.close_web_tabs()
        portal = window.open_web(platform[1] + "/portal/", "统一门户")
        wait_for_js(qtbot, portal.page, "document.querySelector('#open')")
        click(qtbot, portal, "#open")  # the person clicks: the window is allowed to open
        qtbot.waitUntil(lambda: len(window.web_tabs()) == 2, timeout=LOAD_TIMEOUT)
        popup = current_web_tab(window)
        assert popup is not portal and not popup.opened_by_person
        wait_for_js(qtbot, popup.page, "document.querySelector('#loginPwd')")
        assert popup.url().endswith(PREFIX + "/login.jsp")
        # Time for the vault to have filled (it would have: a saved, ready password) and for the
        # portal's script to have read the field.
        wait_for_js(qtbot, portal.page, "window.popupOpened === true")
        qtbot.wait(2000)
        assert read_json(qtbot, popup.page, READ_FORM)["password"] == ""
        assert data.collected == [] and data.all_attempts() == []
        assert events.attempts == [] and events.filled == [] and events.stopped == 0
        assert window.vault.dialog is None
        # The control: the tile's own tab on the same page is signed in.
        with qtbot.waitSignal(window.vault.succeeded, timeout=LOAD_TIMEOUT):
            open_tile(qtbot, window)
        assert data.collected == [] and data.all_attempts() == [
            LockoutAttempt(ACCOUNT.username, "ok")
        ]
        assert window.services is not None
        assert window.services.vault.get(LOCKOUT_ID) == Credentials(
            ACCOUNT.username, ACCOUNT.password
        )
        events.close()
