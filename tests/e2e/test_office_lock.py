"""A shared office PC (``[office] shared = true``) in the real window: the idle lock hides the
inbox, the tiles and every page (kept as they are) behind a lock screen; only the same person
opens it again, at the demo identity service's login form, which is asked for again whatever
session it keeps; another person signing in there gets a window without the first person's
pages; 换人 ends the session and asks the next person to sign in; notices are held back while
locked; quitting signs out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from launcher_demo import DEMO_USERS, DemoCounty
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    USER,
    launcher_window,
    open_signed_in_platform,
    sign_in_embedded,
    submit_login_form,
)
from tests.e2e.webpage import wait_for_js

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

OTHER = DEMO_USERS[1]
OFFICE = "\n[office]\nshared = true\nlock_after_minutes = 5\n"


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    """The module's own demo county, as a shared office PC."""
    path = demo.county_path.with_name("county-shared.toml")
    path.write_text(demo.county_path.read_text(encoding="utf-8") + OFFICE, encoding="utf-8")
    return path


def lock_of(window: MainWindow):  # type: ignore[no-untyped-def]
    parts = window._parts
    assert parts is not None
    return parts.office_lock


def unlock_as(qtbot: QtBot, window: MainWindow, user: object) -> None:
    """Press 重新登录 on the lock screen; the identity service's login form comes again (a
    session it keeps does not answer for the person); ``user`` types their name and password."""
    lock = lock_of(window)
    screen = lock._screen
    assert screen is not None and screen.isVisible()
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        screen.unlock_button.click()
        qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=LOAD_TIMEOUT)
        dialog = window.session.dialog
        assert isinstance(dialog, LoginDialog)
        wait_for_js(qtbot, dialog.page, "document.querySelector('form')")
        submit_login_form(qtbot, dialog.page, user=user)  # type: ignore[arg-type]


@pytest.fixture
def shared(qtbot: QtBot, window: MainWindow) -> Iterator[MainWindow]:
    qtbot.waitUntil(lambda: window.services is not None and window._parts is not None,
                    timeout=LOAD_TIMEOUT)
    if window.user is None:
        sign_in_embedded(qtbot, window)
    yield window
    lock = lock_of(window)
    if lock.locked:
        lock._show_window()


def test_the_idle_lock_hides_everything_and_only_the_same_person_opens_it(
    qtbot: QtBot, shared: MainWindow
) -> None:
    window = shared
    services = window.services
    assert services is not None and services.county.office.shared
    tab = open_signed_in_platform(qtbot, window, "demo.anquan")
    lock = lock_of(window)
    assert lock._timer.isActive() and lock._timer.interval() == 5 * 60_000  # the county's
    # Input restarts the idle time; with none, the lock comes by itself (shortened here).
    lock._timer.setInterval(600)
    lock._timer.start()
    handle = window.windowHandle()
    for step in range(4):
        qtbot.wait(300)
        # As the operating system delivers input: to the window, then to its widgets.
        QTest.mouseMove(handle, QPoint(200 + step, 200))
        QTest.keyClick(handle, Qt.Key.Key_Shift)
        assert not lock.locked
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)
    assert not window.isVisible()
    screen = lock._screen
    assert screen is not None and screen.isVisible()
    assert USER.name in screen.message.text()
    tray = window._parts.tray  # type: ignore[union-attr]
    assert tray.locked_view is not None  # notices (task titles) held back
    tray.notify([object()])  # type: ignore[list-item]
    assert not tray.pending_notices()

    unlock_as(qtbot, window, USER)
    qtbot.waitUntil(lambda: not lock.locked, timeout=LOAD_TIMEOUT)
    assert window.isVisible() and not screen.isVisible()
    assert tab in window.web_tabs()  # the person's pages were kept
    assert window.user is not None and window.user.username == USER.username
    assert tray.locked_view is None


def test_another_person_at_the_lock_never_gets_the_first_person_s_pages(
    qtbot: QtBot, shared: MainWindow
) -> None:
    window = shared
    open_signed_in_platform(qtbot, window, "demo.anquan")
    lock = lock_of(window)
    lock.lock()
    assert lock.locked and not window.isVisible()
    unlock_as(qtbot, window, OTHER)
    qtbot.waitUntil(lambda: not lock.locked and window.isVisible(), timeout=LOAD_TIMEOUT)
    assert window.web_tabs() == []
    assert window.user is not None and window.user.username == OTHER.username
    services = window.services
    assert services is not None and not services.auth.locked  # type: ignore[attr-defined]


def test_switch_person_ends_the_session_and_asks_the_next_person(
    qtbot: QtBot, shared: MainWindow
) -> None:
    window = shared
    lock = lock_of(window)
    lock.lock()
    screen = lock._screen
    assert screen is not None
    with qtbot.waitSignal(window.signed_out, timeout=LOAD_TIMEOUT):
        screen.switch_button.click()
    qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=LOAD_TIMEOUT)
    assert window.isVisible() and not lock.locked and window.user is None
    assert window.web_tabs() == []
    window.session.dialog.reject()  # type: ignore[union-attr]


def test_closing_the_lock_screen_quits_and_signs_out(
    qtbot: QtBot, qapp: QApplication, window_county: Path, tmp_path: Path
) -> None:
    with launcher_window(qapp, window_county, tmp_path / "home", keep_session=True) as window:
        qtbot.waitUntil(lambda: window.services is not None and window._parts is not None,
                        timeout=LOAD_TIMEOUT)
        sign_in_embedded(qtbot, window)
        assert window.services is not None
        county_id = window.services.county.id
        lock = lock_of(window)
        lock.lock()
        screen = lock._screen
        assert screen is not None
        screen.close()
        qtbot.waitUntil(lambda: lock._screen is None, timeout=LOAD_TIMEOUT)
        qtbot.waitUntil(lambda: not SecretStore(f"county/{county_id}").names(),
                        timeout=LOAD_TIMEOUT)


def test_quitting_a_shared_pc_signs_out(
    qtbot: QtBot, qapp: QApplication, window_county: Path, tmp_path: Path
) -> None:
    county_id = ""
    with launcher_window(qapp, window_county, tmp_path / "home", keep_session=True) as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        sign_in_embedded(qtbot, window)
        assert window.services is not None
        county_id = window.services.county.id
        assert SecretStore(f"county/{county_id}").names()
    # Closed: the session did not outlive the launcher.
    assert not SecretStore(f"county/{county_id}").names()
