"""Signing in on a platform's page signs the launcher in too (issue 11 item 16).

The person, signed out, opens a platform's tile; the platform sends its page to the county login
page, where the person signs in. Every page is then signed in (one web profile), and so is the
launcher: 已登录, 退出登录 enabled, the inbox loading, without a second prompt. A platform page
opened without signing in leaves the launcher signed out, and says nothing.

Real demo county (provider and platforms), real keyring, real Chromium pages.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    OIDC_FORM,
    USER,
    current_web_tab,
    sign_out_if_needed,
    submit_login_form,
)
from tests.e2e.webpage import wait_for_js, wait_for_text

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


def open_platform_signed_out(qtbot: QtBot, window: MainWindow, demo: DemoCounty) -> WebTab:
    """The person clicks 安全排查's tile while signed out: its page shows the county login form."""
    sign_out_if_needed(qtbot, window)
    qtbot.mouseClick(window.tiles.tiles["demo.anquan"], Qt.MouseButton.LeftButton)
    tab = current_web_tab(window)
    wait_for_js(qtbot, tab.page, f"document.querySelector('{OIDC_FORM}')")
    assert tab.url().startswith(demo.issuer)
    return tab


def watch_of(window: MainWindow) -> object:
    watch = window.session.findChild(object, "webSignInWatch")
    assert watch is not None
    return watch


def test_a_platform_page_without_a_sign_in_leaves_the_launcher_signed_out_quietly(
    qtbot: QtBot, window: MainWindow, demo: DemoCounty
) -> None:
    failures: list[str] = []
    window.login_failed.connect(failures.append)
    tab = open_platform_signed_out(qtbot, window, demo)
    watch = watch_of(window)
    # The provider's cookies (its login form's) made the launcher ask it, silently: no session.
    qtbot.waitUntil(lambda: watch.attempts >= 1 and not watch._busy, timeout=LOAD_TIMEOUT)
    qtbot.waitUntil(lambda: not window.workers.busy(), timeout=LOAD_TIMEOUT)
    window.login_failed.disconnect(failures.append)
    assert window.user is None
    assert window.user_label.text() == "未登录"
    assert not window.logout_action.isEnabled()
    assert failures == [] and window.session.dialog is None
    assert window.findChild(QMessageBox) is None
    # The person's page is untouched: still the login form, in the same tab.
    assert tab.url().startswith(demo.issuer)
    window.close_current_tab()


def test_signing_in_on_a_platform_page_signs_the_launcher_in(
    qtbot: QtBot, window: MainWindow, demo: DemoCounty
) -> None:
    tab = open_platform_signed_out(qtbot, window, demo)
    dialogs: list[object] = []
    window.session.dialog_shown.connect(dialogs.append)
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT) as signed_in:
        submit_login_form(qtbot, tab.page)
        # The platform's page is signed in by the person's own sign-in, as before.
        wait_for_text(qtbot, tab.page, f"已登录：{USER.name}")
    window.session.dialog_shown.disconnect(dialogs.append)

    assert signed_in.args[0].name == USER.name
    assert dialogs == []  # no second prompt: the page's sign-in was enough
    assert window.user_label.text() == f"已登录：{USER.name}"
    assert window.logout_action.isEnabled() and not window.login_action.isEnabled()
    assert window.services is not None and window.services.auth.restore() is not None
    assert tab in window.web_tabs()  # the person's page stays where it was
    qtbot.waitUntil(lambda: window.inbox_model.rowCount() > 0, timeout=LOAD_TIMEOUT)

    # And 退出登录 works as for any sign-in.
    with qtbot.waitSignal(window.signed_out, timeout=LOAD_TIMEOUT):
        window.logout_action.trigger()
    assert window.user is None and window.web_tabs() == []
