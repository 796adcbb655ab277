"""The profile tab and 填表 follow the person signed in (issue 11, item 9), in the window: 张伟 and
李娜 sign in in turn on the demo provider's page, on one operating-system account.

The first to sign in after the upgrade gets the profile older versions shared, and is told once;
after 张伟 signs out the tab is empty; 李娜 sees none of his values and 填表 puts none of them into
her form; his come back when he signs in again. Real provider and platforms, real keyring, real
Chromium pages. Each test has a window of its own on a computer an older version left its shared
profile on, so that each runs alone and in any order.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.profile import shared
from launcher.core.profile.fields import load_fields
from launcher.core.profile.store import ProfileStore
from launcher.core.secrets import SecretStore
from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from launcher.ui.profile_form import ProfileView
from launcher.ui.web import WebTab
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from tests.e2e.filling import fill_with_preview
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    OIDC_FORM,
    launcher_window,
    log_out,
    submit_login_form,
)
from tests.e2e.webpage import read_json, wait_for_js, wait_for_text

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]
OLD = {"person.name": "王芳", "org.village": "东风社区"}
HIS = {"person.name": "张伟", "person.id_number": "11010519491231002X",
       "person.phone": "13800138000"}
FORM = "/inspections/new"


@pytest.fixture
def window(
    demo: DemoCounty, qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MainWindow]:
    """A window of the test's own: the first sign-in in it takes over the old shared profile."""
    home = tmp_path_factory.mktemp("profile-people-home")
    # What an older version left on this computer: one profile for whoever used it.
    old = ProfileStore(home / shared.FILE_NAME, SecretStore(shared.SERVICE), load_fields())
    for key, value in OLD.items():
        old.set(key, value)
    old.close()
    try:
        with launcher_window(qapp, demo.county_path, home) as main:
            yield main
    finally:
        for namespace in ("profile/demo", shared.SERVICE):
            SecretStore(namespace).delete_matching("")


def sign_in_as(qtbot: QtBot, window: MainWindow, user: DemoUser) -> None:
    """登录, then ``user``'s name and password on the provider's page, as they would type them;
    returns once their profile is on the profile tab."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    view = window.profile_view
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        window.login_action.trigger()
        qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=LOAD_TIMEOUT)
        dialog = window.session.dialog
        assert isinstance(dialog, LoginDialog)
        wait_for_js(qtbot, dialog.page, f"document.querySelector({json.dumps(OIDC_FORM)})")
        submit_login_form(qtbot, dialog.page, user=user)
    assert window.user is not None and window.user.name == user.name
    sub = window.user.sub
    qtbot.waitUntil(lambda: view.owner == sub and view.save_button.isEnabled(),
                    timeout=LOAD_TIMEOUT)


def switch_to(qtbot: QtBot, window: MainWindow, user: DemoUser) -> None:
    """``user`` signed in, whoever was before (signed out first, as on a shared PC)."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    if window.user is not None and window.user.name == user.name:
        return
    if window.user is not None:
        log_out(qtbot, window)
    sign_in_as(qtbot, window, user)


def on_screen(view: ProfileView) -> dict[str, str]:
    return {k: e.value() for k, e in view.editors.items() if e.value()}


def save(qtbot: QtBot, view: ProfileView, values: dict[str, str]) -> None:
    for editor in view.editors.values():  # what is not in ``values`` is cleared
        editor.set_value("")
    view.set_values(values)
    with qtbot.waitSignal(view.saved, timeout=LOAD_TIMEOUT) as saved:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert saved.args[0] == {}


def fill_form(qtbot: QtBot, window: MainWindow, demo: DemoCounty, user: DemoUser) -> dict[str, str]:
    """Open 安全排查's form as ``user``, press 填表; what the form's person fields hold then."""
    tab = window.open_web(demo.base_urls["demo.anquan"] + FORM, "安全排查")
    assert isinstance(tab, WebTab)
    wait_for_text(qtbot, tab.page, f"已登录：{user.name}")
    wait_for_js(qtbot, tab.page, "document.querySelector('#inspector')")
    result = fill_with_preview(qtbot, window, sensitive=True)
    assert "error" not in result or result["why"] == "no-fields", result
    values: dict[str, str] = read_json(
        qtbot,
        tab.page,
        """{inspector: document.querySelector('#inspector').value,
            idno: document.querySelector('input[name=idno]').value,
            phone: document.querySelector('#phone').value}""",
    )
    window.close_web_tabs()
    return values


def test_the_first_to_sign_in_gets_the_old_shared_profile_and_is_told_once(
    qtbot: QtBot, window: MainWindow
) -> None:
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    view = window.profile_view
    qtbot.waitUntil(lambda: bool(view.editors), timeout=LOAD_TIMEOUT)
    # Nobody signed in: nothing shown, nothing to save.
    assert on_screen(view) == {} and not view.save_button.isEnabled()
    assert view.moved_notice.isHidden()

    sign_in_as(qtbot, window, ZHANG)
    assert on_screen(view) == OLD  # moved to the first person who signed in ...
    notice = view.moved_notice.text()
    assert notice and not view.moved_notice.isHidden()  # ... who is told, in the tab
    assert window.statusBar().currentMessage() == notice  # and in the status bar
    assert not (Path(window.services.data_dir).parents[1] / shared.FILE_NAME).exists()
    save(qtbot, view, HIS)  # not his: he replaces them with his own

    log_out(qtbot, window)
    assert on_screen(view) == {} and view.moved_notice.isHidden()
    assert not view.save_button.isEnabled()

    sign_in_as(qtbot, window, ZHANG)
    assert on_screen(view) == HIS
    assert view.moved_notice.isHidden()  # told once only


def test_li_na_sees_and_fills_nothing_of_zhang_weis(
    qtbot: QtBot, window: MainWindow, demo: DemoCounty
) -> None:
    view = window.profile_view
    switch_to(qtbot, window, ZHANG)
    if on_screen(view) != HIS:  # run alone
        save(qtbot, view, HIS)
    id_editor = view.editors["person.id_number"]
    assert id_editor.toggle is not None
    id_editor.toggle.setChecked(True)  # he looks at his ID number, then leaves

    log_out(qtbot, window)
    assert on_screen(view) == {}
    assert id_editor.edit.echoMode() != id_editor.edit.EchoMode.Normal

    sign_in_as(qtbot, window, LI)
    assert on_screen(view) == {}
    assert view.moved_notice.isHidden()
    id_editor.toggle.setChecked(True)  # 显示: nothing of his to show
    assert id_editor.value() == ""
    assert fill_form(qtbot, window, demo, LI) == {"inspector": "", "idno": "", "phone": ""}

    save(qtbot, view, {"person.name": "李娜"})
    assert fill_form(qtbot, window, demo, LI) == {"inspector": "李娜", "idno": "", "phone": ""}

    switch_to(qtbot, window, ZHANG)
    assert on_screen(view) == HIS  # his come back
    assert fill_form(qtbot, window, demo, ZHANG) == {
        "inspector": "张伟", "idno": "11010519491231002X", "phone": "13800138000"}
