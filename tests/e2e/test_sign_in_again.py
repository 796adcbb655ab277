"""A platform whose sign-in can no longer be renewed: the window asks to sign in again with a bar,
leaves the other platforms' tasks and every open page alone, and after the new sign-in refreshes
only that platform.

Real demo county, keyring and Chromium. The refresh token is revoked at the provider (RFC 7009)
and one platform's cached access token dropped, as happens when the provider ends a session: the
other platforms keep working on their still-valid access tokens until those expire.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    OIDC_FORM,
    fill_login_form,
    open_signed_in_platform,
    revoke_session_and_drop_token,
    sign_in_embedded,
)

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ANQUAN, ZHIFA = "demo.anquan", "demo.zhifa"


def refresh(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT) as finished:
        window.refresh_action.trigger()
    assert finished.args == [True]


def fill_if_asked(qtbot: QtBot, dialog: LoginDialog) -> None:
    def fill(has_form: object) -> None:
        if has_form is True:
            fill_login_form(qtbot, dialog)

    dialog.page.runJavaScript(f"!!document.querySelector('{OIDC_FORM}')", 0, fill)


def sso_platforms(window: MainWindow) -> list[str]:
    """The platforms signed in by the county login (not those with a login of their own)."""
    assert window.services is not None
    return [p.id for p in window.services.registry.platforms if p.manifest.auth.sso]


def rows_of(window: MainWindow, plugin_id: str) -> int:
    model = window.inbox_model
    return sum(1 for r in range(model.rowCount()) if plugin_id in model.group(r).platforms)


@pytest.mark.usefixtures("signed_out")
def test_a_failed_renewal_asks_to_sign_in_again_and_leaves_the_rest_alone(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_in_embedded(qtbot, window)
    qtbot.waitUntil(
        lambda: window.last_result is not None and not window.refreshing(), timeout=LOAD_TIMEOUT
    )
    refresh(qtbot, window)
    assert not window.banner.isVisible()
    page_tab = open_signed_in_platform(qtbot, window, ZHIFA)
    page_url = page_tab.url()
    anquan_rows, zhifa_rows = rows_of(window, ANQUAN), rows_of(window, ZHIFA)
    assert anquan_rows > 0 and zhifa_rows > 0

    revoke_session_and_drop_token(window, ANQUAN)
    with qtbot.waitSignal(window.sign_in_needed, timeout=LOAD_TIMEOUT) as needed:
        refresh(qtbot, window)
    assert needed.args == [[ANQUAN]]

    # The bar names the platform; its tile says so; nothing else changed.
    assert window.banner.isVisible()
    assert "安全排查" in window.banner.text()
    assert window.banner.button.text() == "重新登录"
    tiles = window.tiles.tiles
    assert tiles[ANQUAN].state_text() == "需重新登录"
    others = [pid for pid in sso_platforms(window) if pid != ANQUAN]
    assert len(others) >= 6
    assert all(tiles[pid].state_text() == "已登录" for pid in others)
    assert window.user is not None
    assert rows_of(window, ZHIFA) == zhifa_rows
    assert rows_of(window, ANQUAN) == anquan_rows  # its saved tasks stay on show
    assert window.web_tabs() == [page_tab] and page_tab.url() == page_url
    assert window.last_result is not None
    zhifa_updated = window.last_result.states[ZHIFA].updated

    # 重新登录: the provider still knows the user in the shared web profile, so the embedded
    # sign-in page finishes by itself (a login form, if one comes, is filled in).
    refreshed: list[bool] = []
    window.refresh_finished.connect(refreshed.append)
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        qtbot.mouseClick(window.banner.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=LOAD_TIMEOUT)
        dialog = window.session.dialog
        assert isinstance(dialog, LoginDialog)
        dialog.page.loadFinished.connect(lambda _ok: fill_if_asked(qtbot, dialog))
    qtbot.waitUntil(lambda: refreshed == [True], timeout=LOAD_TIMEOUT)
    window.refresh_finished.disconnect(refreshed.append)
    assert not window.banner.isVisible()

    assert tiles[ANQUAN].state_text() == "已登录"
    states = window.last_result.states
    assert states[ANQUAN].state == "current"
    assert states[ZHIFA].updated == zhifa_updated  # only the platform that needed it refreshed
    assert rows_of(window, ANQUAN) > 0 and rows_of(window, ZHIFA) == zhifa_rows
    assert window.web_tabs() == [page_tab] and page_tab.url() == page_url


def test_sign_in_again_is_offered_in_the_account_menu_only_while_needed(
    qtbot: QtBot, window: MainWindow
) -> None:
    if window.user is None:
        sign_in_embedded(qtbot, window)
    qtbot.waitUntil(
        lambda: window.last_result is not None and not window.refreshing(), timeout=LOAD_TIMEOUT
    )
    refresh(qtbot, window)
    assert not window.login_action.isEnabled()
    revoke_session_and_drop_token(window, ZHIFA)
    refresh(qtbot, window)
    assert window.banner.platform_ids == [ZHIFA]
    assert window.login_action.isEnabled()
    assert window.tiles.tiles[ZHIFA].state_text() == "需重新登录"
