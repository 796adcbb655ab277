"""A working day on a shared office PC (``[office] shared = true``), scripted as two people live it
in the real window: 张伟 signs in, opens a platform, keeps his phone number and a household in the
one table; the idle lock comes; he opens it again and finds his page; he leaves with 换人; 李娜
signs in, works, and quits; the next start shows nobody's work; 张伟 comes back to his own.

After every step, everything the window and its other windows show (texts, editors, tables,
tabs, the lock screen) is read, as a screen reader would, and must hold nothing of the other
person: no task, page, profile value or record. Real provider and platforms, real keyring, real
Chromium pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from tests.e2e.signin import LOAD_TIMEOUT, OIDC_FORM, launcher_window, submit_login_form
from tests.e2e.webpage import wait_for_js, wait_for_text

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]
OFFICE = "\n[office]\nshared = true\nlock_after_minutes = 5\nsign_out_on_quit = true\n"
HIS_PHONE = "13812345678"
HIS_HOUSEHOLD = "赵铁柱"  # a household head's name only 张伟 keeps
HER_PHONE = "13987654321"


@pytest.fixture(scope="module")
def office_county(demo: DemoCounty) -> Path:
    text = demo.county_path.read_text(encoding="utf-8")
    # The county file names its plugins relative to itself: kept beside the demo county's.
    path = demo.county_path.with_name("county-shared-day.toml")
    path.write_text(text + OFFICE, encoding="utf-8")
    return path


@pytest.fixture(scope="module", autouse=True)
def forget_keys() -> Iterator[None]:
    yield
    for namespace in ("profile/demo", "county/demo"):
        SecretStore(namespace).delete_matching("")


# -- what is on screen ---------------------------------------------------------------------------


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts: list[str] = []
    rows = min(model.rowCount(), 500)  # the rows a person can scroll to, bounded for the test

    for row in range(rows):
        for column in range(model.columnCount()):
            value = model.data(model.index(row, column, QModelIndex()))
            if value is not None:
                texts.append(str(value))
    return texts


def on_screen() -> str:
    """Every text the application's visible windows hold: labels, editors, buttons, tab titles,
    every row of every list and table, window titles and accessible names."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QWidget)]:
            if not widget.isVisibleTo(top) and widget is not top:
                continue
            texts += [widget.accessibleName(), widget.toolTip()]
            if isinstance(widget, (QLabel, QAbstractButton)):
                texts.append(widget.text())
            elif isinstance(widget, QLineEdit):
                texts += [widget.text(), widget.placeholderText()]
            elif isinstance(widget, (QTextEdit, QPlainTextEdit)):
                texts.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                texts += [widget.itemText(i) for i in range(widget.count())]
            elif isinstance(widget, QTabBar):
                texts += [widget.tabText(i) for i in range(widget.count())]
            elif isinstance(widget, QAbstractItemView):
                texts += _model_texts(widget)
    return "\n".join(t for t in texts if t)


def task_titles(window: MainWindow) -> set[str]:
    return {group.title for group in window.inbox_model.groups()}


def page_urls(window: MainWindow) -> list[str]:
    return [tab.page.url().toString() for tab in window.web_tabs()]


# -- what a person does --------------------------------------------------------------------------


def type_name_and_password(qtbot: QtBot, window: MainWindow, user: DemoUser) -> None:
    """The identity service's page, in the sign-in dialog: ``user`` types and submits."""
    qtbot.waitUntil(lambda: isinstance(window.session.dialog, LoginDialog), timeout=LOAD_TIMEOUT)
    dialog = window.session.dialog
    assert isinstance(dialog, LoginDialog)
    wait_for_js(qtbot, dialog.page, f"document.querySelector({OIDC_FORM!r})")
    submit_login_form(qtbot, dialog.page, user=user)


def sign_in(qtbot: QtBot, window: MainWindow, user: DemoUser) -> None:
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        if window.session.dialog is None:
            window.login_action.trigger()
        type_name_and_password(qtbot, window, user)
    settle(qtbot, window, user)


def settle(qtbot: QtBot, window: MainWindow, user: DemoUser) -> None:
    """Wait until ``user``'s tasks are refreshed and their profile and records are read."""
    assert window.user is not None and window.user.name == user.name
    sub = window.user.sub
    view = window.profile_view
    qtbot.waitUntil(
        lambda: window.inbox_model.rowCount() > 0 and not window.refreshing(),
        timeout=LOAD_TIMEOUT,
    )
    qtbot.waitUntil(
        lambda: view.owner == sub and bool(view.panels)
        and all(p.owner == sub for p in view.panels.values()),
        timeout=LOAD_TIMEOUT,
    )


def keep_phone(qtbot: QtBot, window: MainWindow, phone: str) -> None:
    view = window.profile_view
    view.set_values({"person.phone": phone})
    with qtbot.waitSignal(view.saved, timeout=LOAD_TIMEOUT):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)


def keep_household(qtbot: QtBot, window: MainWindow, head: str) -> None:
    view = window.profile_view
    panel = view.panels["household"]
    view.show_kind("household")
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    panel.set_values({"household.head_name": head, "household.size": "3"})
    with qtbot.waitSignal(panel.saved, timeout=LOAD_TIMEOUT):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(head in str(i) for i in panel.items) or
                    head in " ".join(_model_texts(panel.table)), timeout=LOAD_TIMEOUT)


def open_platform(qtbot: QtBot, window: MainWindow, plugin_id: str, user: DemoUser) -> None:
    qtbot.mouseClick(window.tiles.tiles[plugin_id], Qt.MouseButton.LeftButton)
    tab = window.current_web_tab()
    assert tab is not None
    wait_for_text(qtbot, tab.page, f"已登录：{user.name}")


def the_lock(window: MainWindow):  # type: ignore[no-untyped-def]
    assert window._parts is not None
    return window._parts.office_lock


def wait_for_idle_lock(qtbot: QtBot, window: MainWindow) -> None:
    """Nobody touches the PC: the county's idle time (five minutes, shortened here) passes."""
    lock = the_lock(window)
    assert lock._timer.isActive() and lock._timer.interval() == 5 * 60_000
    lock._timer.setInterval(400)
    lock._timer.start()
    qtbot.waitUntil(lambda: lock.locked, timeout=5000)


def keep_working(qtbot: QtBot, window: MainWindow) -> None:
    """Input, as the operating system delivers it, keeps the idle lock away (shortened here),
    whatever QWindow Qt gave the window since (a page's view, a lock shown and lifted)."""
    lock = the_lock(window)
    lock._timer.setInterval(700)
    lock._timer.start()
    for step in range(5):
        qtbot.wait(300)
        handle = window.windowHandle()
        QTest.mouseMove(handle, QPoint(300 + step, 300))
        QTest.keyClick(handle, Qt.Key.Key_Shift)
        assert not lock.locked, "input did not restart the idle time"
    lock._timer.setInterval(5 * 60_000)
    lock._timer.start()


def nothing_of(person: dict[str, object], shown: str) -> None:
    """None of ``person``'s tasks, pages, profile values or records is in ``shown``."""
    for kind, values in person.items():
        assert isinstance(values, (set, list))
        leaked = sorted(v for v in values if v and str(v) in shown)
        assert not leaked, f"{kind} of the other person on screen: {leaked}"


def test_a_shared_pc_day_never_shows_one_person_anything_of_the_other(
    qtbot: QtBot, qapp: QApplication, office_county: Path, tmp_path: Path, demo: DemoCounty
) -> None:
    home = tmp_path / "home"
    with launcher_window(qapp, office_county, home, keep_session=True) as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        services = window.services
        assert services is not None and services.county.office.shared

        # 8:30 张伟 signs in, opens 安全排查, keeps his phone and a household.
        sign_in(qtbot, window, ZHANG)
        his_tasks = task_titles(window)
        open_platform(qtbot, window, "demo.anquan", ZHANG)
        his_pages = page_urls(window)
        keep_phone(qtbot, window, HIS_PHONE)
        keep_household(qtbot, window, HIS_HOUSEHOLD)
        his = {"tasks": his_tasks, "profile": [HIS_PHONE], "records": [HIS_HOUSEHOLD]}

        # 10:00 he is called away: the idle lock hides all of it.
        wait_for_idle_lock(qtbot, window)
        assert not window.isVisible()
        shown = on_screen()
        assert ZHANG.name in shown  # the lock screen says whose session it is, nothing more
        nothing_of(his, shown)
        # The input the operating system gives a locked launcher does not open it.
        lock = the_lock(window)
        screen = lock._screen
        assert screen is not None
        QTest.keyClick(screen, Qt.Key.Key_Escape)
        QTest.mouseClick(screen, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
        assert lock.locked and not window.isVisible()

        # 10:20 he comes back: his page is where he left it.
        with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
            screen.unlock_button.click()
            type_name_and_password(qtbot, window, ZHANG)
        qtbot.waitUntil(lambda: not lock.locked and window.isVisible(), timeout=LOAD_TIMEOUT)
        assert page_urls(window) == his_pages
        keep_working(qtbot, window)

        # 11:00 he leaves for the day: 换人.
        lock.lock()
        with qtbot.waitSignal(window.signed_out, timeout=LOAD_TIMEOUT):
            screen = lock._screen
            assert screen is not None
            screen.switch_button.click()
        qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=LOAD_TIMEOUT)
        assert window.web_tabs() == [] and window.user is None
        nothing_of({**his, "pages": his_pages}, on_screen())

        # 11:05 李娜 signs in at the same window: none of his work is hers to see.
        sign_in(qtbot, window, LI)
        her_tasks = task_titles(window)
        assert her_tasks and his_tasks - her_tasks  # her own list, not his
        view = window.profile_view
        assert view.editors["person.phone"].value() != HIS_PHONE
        assert HIS_HOUSEHOLD not in " ".join(_model_texts(view.panels["household"].table))
        window.tabs.setCurrentWidget(window.profile_page)
        view.show_kind("household")
        qtbot.wait(50)
        shown = on_screen()
        only_his = {"tasks": his_tasks - her_tasks, "profile": [HIS_PHONE],
                    "records": [HIS_HOUSEHOLD], "pages": his_pages}
        nothing_of(only_his, shown)
        keep_phone(qtbot, window, HER_PHONE)
        open_platform(qtbot, window, "demo.anquan", LI)
        window.tabs.setCurrentWidget(window.inbox)
        keep_working(qtbot, window)
        nothing_of(only_his, on_screen())
        her = {"tasks": her_tasks - his_tasks, "profile": [HER_PHONE]}
        county_id = services.county.id
    # 17:30 she quits: on a shared PC, her session ends with the launcher.
    assert not SecretStore(f"county/{county_id}").names()

    # The next morning the launcher starts on the same PC: nobody's work is on screen.
    with launcher_window(qapp, office_county, home, keep_session=True) as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        assert window.user is None and window.inbox_model.rowCount() == 0
        shown = on_screen()
        nothing_of(only_his, shown)
        nothing_of(her, shown)

        # 张伟 signs in again: his own phone and household are back, none of hers.
        sign_in(qtbot, window, ZHANG)
        view = window.profile_view
        assert view.editors["person.phone"].value() == HIS_PHONE
        assert HIS_HOUSEHOLD in " ".join(_model_texts(view.panels["household"].table))
        window.tabs.setCurrentWidget(window.profile_page)
        nothing_of(her, on_screen())
        window.logout_action.trigger()
