"""The window by keyboard alone, against the demo county (real provider, platforms, keyring) and a
real Chromium page from a real HTTP server on 127.0.0.1.

- Tab goes round every control in reading order (toolbar, tiles, tab bar, the inbox's views,
  platform filter, search, 标记完成, 详情, table, status bar) and round again; Shift+Tab goes the
  same way back. Before, Tab never left the task table (it moved from cell to cell) and the tiles
  came only by Shift+Tab.
- Into a web tab and out: Tab reaches the page's first field, its next field, then leaves the
  page; Shift+Tab comes back into its last field.
- Focus is always visible: for every kind of control, focused and not focused differ at its edge
  by a contrast of 3:1 or more over at least its perimeter (as WCAG 2.2's focus appearance asks);
  before, a checked view button (全部) looked the same focused or not, and so did the table.
- 填表 has a shortcut (Alt+F), shown in its tooltip and menu, which nothing else in the window uses.
- The sign-in page's user-name field has the keyboard as soon as the dialog shows.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QColor, QImage, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from launcher.ui.inbox_index import ALL, OVERDUE, VIEWS
from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from tests.e2e.signin import LOAD_TIMEOUT, log_out
from tests.e2e.webpage import read_json, run_js, wait_for_js
from tests.unit.core._local_http import LocalServer, local_server

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

FORM = """<!doctype html><title>表单</title><body>
<p>一个平台的表单</p>
<input id=first name=first><input id=second name=second>
</body>"""


@pytest.fixture(scope="module")
def scripted_sign_in() -> bool:
    return True


@pytest.fixture
def signed_in(qtbot: QtBot, signed_in: MainWindow) -> MainWindow:
    """tests/e2e/conftest.py's, with the window active (keys go to the focused widget)."""
    signed_in.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is signed_in, timeout=5000)
    return signed_in


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_server() as http:
        http.html("/form", FORM)
        yield http


def toolbar_of(window: MainWindow) -> QToolBar:
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert toolbar is not None
    return toolbar


def press(key: Qt.Key, times: int = 1) -> QWidget | None:
    """Send ``key`` to the focused widget (as a keyboard does), ``times`` times."""
    for _ in range(times):
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard"
        QTest.keyClick(target, key)
    return QApplication.focusWidget()


def walk(start: QWidget, key: Qt.Key, limit: int = 200) -> list[QWidget]:
    """The widgets ``key`` (Tab or Backtab) visits from ``start`` until it is back at ``start``
    (a test failure when it never comes back: a keyboard trap)."""
    start.setFocus(Qt.FocusReason.OtherFocusReason)
    visited: list[QWidget] = [start]
    for _ in range(limit):
        widget = press(key)
        assert widget is not None
        if widget is start:
            return visited
        visited.append(widget)
    names = [f"{type(w).__name__}:{w.objectName()}" for w in visited[-8:]]
    raise AssertionError(f"Tab never came back to where it started; last stops: {names}")


def test_tab_goes_round_every_control_in_reading_order(signed_in: MainWindow) -> None:
    window, inbox = signed_in, signed_in.inbox
    inbox.select_group(inbox.visible_groups()[0].key)  # a row chosen: 标记完成 may be enabled
    toolbar = [
        button
        for act in toolbar_of(window).actions()
        if act.isEnabled() and (button := toolbar_of(window).widgetForAction(act)) is not None
    ]
    assert toolbar, "刷新 and 退出登录 are enabled once signed in"
    tiles = list(window.tiles.tiles.values())
    bar = [inbox.view_buttons[v] for v in VIEWS] + [inbox.platform_combo, inbox.search]
    if inbox.submit_button.isEnabled():
        bar.append(inbox.submit_button)
    if inbox.mark_done_button.isEnabled():
        bar.append(inbox.mark_done_button)
    expected = [*toolbar, *tiles, window.tabs.tabBar(), *bar, inbox.states.toggle, inbox.table]

    forward = walk(toolbar[0], Qt.Key.Key_Tab)
    assert forward[: len(expected)] == expected
    assert len(set(forward)) == len(forward)  # each once: no trap, no stop twice
    rest = forward[len(expected) :]
    assert all(window.statusBar().isAncestorOf(w) for w in rest), rest

    backward = walk(toolbar[0], Qt.Key.Key_Backtab)
    assert backward == [forward[0], *reversed(forward[1:])]


def test_the_table_lets_tab_go_and_arrows_move_rows(signed_in: MainWindow) -> None:
    table = signed_in.inbox.table
    assert not table.tabKeyNavigation()
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    assert press(Qt.Key.Key_Down) is table and table.currentIndex().row() == 1
    after = press(Qt.Key.Key_Tab)
    assert after is not table and after is not None
    assert press(Qt.Key.Key_Backtab) is table


@pytest.mark.webengine
def test_tab_goes_into_a_web_page_and_out(
    qtbot: QtBot, signed_in: MainWindow, server: LocalServer
) -> None:
    window = signed_in
    tab = window.open_web(server.url + "/form", "表单")
    assert isinstance(tab, WebTab)
    page = tab.view.page()
    wait_for_js(qtbot, page, "document.getElementById('second')")
    try:
        window.tabs.tabBar().setFocus(Qt.FocusReason.OtherFocusReason)
        inside = press(Qt.Key.Key_Tab)
        # Past the tab's own controls above the page (its address bar), into the page.
        for _ in range(10):
            if (inside is not None and tab.view.isAncestorOf(inside)) or inside is tab.view:
                break
            assert inside is not None and tab.isAncestorOf(inside), inside
            inside = press(Qt.Key.Key_Tab)
        assert inside is tab.view or tab.view.isAncestorOf(inside)
        active = "document.hasFocus() && document.activeElement.id"
        qtbot.waitUntil(lambda: run_js(qtbot, page, active) == "first", timeout=5000)
        press(Qt.Key.Key_Tab)
        qtbot.waitUntil(lambda: run_js(qtbot, page, active) == "second", timeout=5000)
        press(Qt.Key.Key_Tab)  # past the page's last field: out of the page
        qtbot.waitUntil(
            lambda: (w := QApplication.focusWidget()) is not None and not tab.isAncestorOf(w),
            timeout=5000,
        )
        press(Qt.Key.Key_Backtab)  # back in, at its last field
        qtbot.waitUntil(lambda: run_js(qtbot, page, active) == "second", timeout=5000)
        QTest.keyClicks(QApplication.focusWidget(), "xy")
        qtbot.waitUntil(
            lambda: read_json(qtbot, page, "document.getElementById('second').value") == "xy",
            timeout=5000,
        )
    finally:
        window.close_tab(window.tabs.indexOf(tab))


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours."""

    def luminance(colour: QColor) -> float:
        def linear(channel: float) -> float:
            return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

        r, g, b = colour.redF(), colour.greenF(), colour.blueF()
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_change(widget: QWidget, elsewhere: QWidget, part: QRect | None = None) -> tuple[int, int]:
    """(edge pixels whose colour changes by 3:1 or more when ``widget`` takes the focus, the
    perimeter in pixels): the outer 3-pixel band of the widget (or of ``part`` of it: a tab bar's
    current tab), focused against not focused."""
    elsewhere.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    plain = widget.grab(part or QRect(0, 0, -1, -1)).toImage()
    plain = plain.convertToFormat(QImage.Format.Format_RGB32)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    assert QApplication.focusWidget() is widget
    focused = widget.grab(part or QRect(0, 0, -1, -1)).toImage()
    focused = focused.convertToFormat(QImage.Format.Format_RGB32)
    width, height = plain.width(), plain.height()
    assert (focused.width(), focused.height()) == (width, height)
    changed = 0
    for y in range(height):
        for x in range(width):
            if min(x, y, width - 1 - x, height - 1 - y) >= 3:
                continue
            if contrast(plain.pixelColor(x, y), focused.pixelColor(x, y)) >= 3:
                changed += 1
    return changed, 2 * (width + height)


def test_focus_is_visible_on_every_kind_of_control(signed_in: MainWindow) -> None:
    window, inbox = signed_in, signed_in.inbox
    inbox.set_view(ALL)
    inbox.select_group(inbox.visible_groups()[0].key)
    refresh = toolbar_of(window).widgetForAction(window.refresh_action)
    assert refresh is not None
    controls: dict[str, QWidget] = {
        "view button, checked (全部)": inbox.view_buttons[ALL],
        "view button": inbox.view_buttons[OVERDUE],
        "tile": next(iter(window.tiles.tiles.values())),
        "table": inbox.table,
        "search": inbox.search,
        "platform filter": inbox.platform_combo,
        "toolbar button": refresh,
        "details": inbox.states.toggle,
    }
    if inbox.mark_done_button.isEnabled():
        controls["标记完成"] = inbox.mark_done_button
    unseen = {}
    for name, widget in controls.items():
        elsewhere = inbox.search if widget is not inbox.search else inbox.platform_combo
        changed, perimeter = focus_change(widget, elsewhere)
        if changed < perimeter * 0.8:
            unseen[name] = (changed, perimeter)
    bar = window.tabs.tabBar()  # its current tab shows the focus
    changed, perimeter = focus_change(bar, inbox.search, bar.tabRect(bar.currentIndex()))
    if changed < perimeter * 0.6:  # its bottom edge is open to the page
        unseen["tab"] = (changed, perimeter)
    window.tabs.setCurrentWidget(window.profile_page)
    profile = window.profile_view
    try:
        editor = next(iter(profile.editors.values()))
        for name, widget in {
            "保存": profile.save_button,
            "撤销修改": profile.revert_button,
            "field": editor.edit,
        }.items():
            if widget.isEnabled():
                changed, perimeter = focus_change(
                    widget, editor.edit if widget is not editor.edit else profile.save_button
                )
                if changed < perimeter * 0.8:
                    unseen[name] = (changed, perimeter)
    finally:
        window.tabs.setCurrentWidget(inbox)
    assert not unseen, f"focus hardly visible (pixels changed, perimeter): {unseen}"


def test_fill_has_a_shortcut_no_other_control_uses(signed_in: MainWindow) -> None:
    window = signed_in
    alt_f = QKeySequence("Alt+F")
    assert window.fill_action.shortcut() == alt_f
    assert "Alt+F" in window.fill_action.toolTip()
    others = [
        a.text()
        for a in window.findChildren(QAction)
        if a is not window.fill_action and alt_f in a.shortcuts()
    ]
    assert others == []
    # No menu or labelled control takes Alt+F as its mnemonic either.
    mnemonics = [a.text() for a in window.menuBar().actions() if "&f" in a.text().lower()] + [
        w.text()
        for w in window.findChildren(QWidget)
        if "&f" in str(getattr(w, "text", lambda: "")()).lower()
    ]
    assert mnemonics == []


@pytest.mark.webengine
def test_the_sign_in_field_has_the_keyboard(qtbot: QtBot, signed_in: MainWindow) -> None:
    window = signed_in
    log_out(qtbot, window)  # last in the module: the others sign in again by themselves
    window.login_action.trigger()
    qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=LOAD_TIMEOUT)
    dialog = window.session.dialog
    assert isinstance(dialog, LoginDialog)
    try:
        wait_for_js(qtbot, dialog.page, "document.querySelector('input[name=username]')")
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
        active = "document.hasFocus() && document.activeElement.name"
        qtbot.waitUntil(lambda: run_js(qtbot, dialog.page, active) == "username", timeout=5000)
        target = QApplication.focusWidget()
        assert target is not None
        assert target is dialog.view or dialog.view.isAncestorOf(target)
        QTest.keyClicks(target, "zhangwei")  # typed, not clicked into first
        value = "document.querySelector('input[name=username]').value"
        qtbot.waitUntil(lambda: run_js(qtbot, dialog.page, value) == "zhangwei", timeout=5000)
    finally:
        dialog.reject()


def test_the_sign_in_again_bar_and_the_profile_tab_in_order(signed_in: MainWindow) -> None:
    window = signed_in
    tiles = list(window.tiles.tiles.values())
    first = next(iter(window.tiles.tiles))
    window.banner.show_platforms([first], ["平台"])
    try:
        tiles[-1].setFocus(Qt.FocusReason.OtherFocusReason)
        assert press(Qt.Key.Key_Tab) is window.banner.button  # above the tabs, right of tiles
        assert press(Qt.Key.Key_Tab) is window.tabs.tabBar()
    finally:
        window.banner.show_platforms([], [])

    window.tabs.setCurrentWidget(window.profile_page)
    profile = window.profile_view
    try:
        fields = [e.edit for e in profile.editors.values()]
        stops = walk(window.tabs.tabBar(), Qt.Key.Key_Tab)
        page = [w for w in stops if window.profile_page.isAncestorOf(w)]
        edits = [w for w in page if w in fields]
        assert edits == fields  # every field, in the form's order
        buttons = [w for w in (profile.revert_button, profile.save_button) if w.isEnabled()]
        assert page[-len(buttons) :] == buttons  # then 撤销修改 and 保存, last
    finally:
        window.tabs.setCurrentWidget(window.inbox)
