"""Idle pages (launcher/ui/page_lifecycle.py) in the real window on the demo county, with real
Chromium pages and the delays shortened:

- a platform page left behind the inbox is frozen, then discarded (its renderer's memory freed),
  its tab dimmed and saying so, its title kept; the inbox still refreshes meanwhile; a click on
  the tab brings it back active, at its address, still signed in;
- a platform form the person typed into is frozen but never discarded (by the delays nor by
  hand), and shown again it still holds the text;
- a page downloading a file is frozen, not discarded (nor by hand) until its download ends;
- quitting asks no discarded page anything (nothing to lose there, no warning from Qt), and a
  frozen one with typed input is named;
- the task monitor lists the pages with their memory, frees one, refuses the one shown, closes
  one, every control named and reached by Tab.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from launcher.ui import save_dialogs
from launcher.ui.main_window import MainWindow
from launcher.ui.page_lifecycle import BUSY, DIMMED_TEXT, TYPED, PageLifecycle
from launcher.ui.unsaved import PageAnswer, PagesCheck
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT, USER, open_signed_in_platform
from tests.e2e.webpage import run_js, wait_for_js, wait_for_text
from tests.unit.core._local_http import LocalServer, local_server

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

State = QWebEnginePage.LifecycleState
ANQUAN = "demo.anquan"
FREEZE_MS, DISCARD_MS = 400, 1500


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


@pytest.fixture
def lifecycle(signed_in: MainWindow) -> Iterator[PageLifecycle]:
    """The window's page lifecycle with short delays (the county's minutes after the test)."""
    tab = first_page(signed_in)
    lifecycle = signed_in.page_tools.lifecycle
    lifecycle.delays_ms = (FREEZE_MS, DISCARD_MS)
    signed_in.close_tab(signed_in.tabs.indexOf(tab))
    yield lifecycle
    lifecycle.delays_ms = None


def first_page(window: MainWindow) -> WebTab:
    """A page, so that the window's page tools (and their lifecycle) exist."""
    return window.open_web("about:blank", "blank")


def tab_index(window: MainWindow, tab: WebTab) -> int:
    index = window.tabs.indexOf(tab)
    assert index >= 0
    return index


def click_tab(qtbot: QtBot, window: MainWindow, tab: WebTab) -> None:
    bar = window.tabs.tabBar()
    QTest.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(tab_index(window, tab)).center())
    qtbot.waitUntil(lambda: window.tabs.currentWidget() is tab, timeout=5000)


def note(source: str) -> str:
    return QCoreApplication.translate("PageLifecycle", source)


def test_a_hidden_page_is_frozen_then_discarded_and_comes_back_signed_in(
    qtbot: QtBot, signed_in: MainWindow, lifecycle: PageLifecycle
) -> None:
    window = signed_in
    tab = open_signed_in_platform(qtbot, window, ANQUAN)
    page = tab.page
    address, text = tab.url(), window.tabs.tabText(tab_index(window, tab))
    assert page.renderProcessPid() > 0 and page.lifecycleState() == State.Active

    window.tabs.setCurrentWidget(window.inbox)
    qtbot.waitUntil(lambda: page.lifecycleState() == State.Frozen, timeout=10_000)
    bar = window.tabs.tabBar()
    assert bar.tabTextColor(tab_index(window, tab)) == DIMMED_TEXT
    assert note("Frozen; click to wake it") in window.tabs.tabToolTip(tab_index(window, tab))

    qtbot.waitUntil(lambda: page.lifecycleState() == State.Discarded, timeout=10_000)
    assert page.renderProcessPid() == 0  # its renderer's memory is freed
    index = tab_index(window, tab)
    freed = note("Memory freed; click to load it again")
    assert window.tabs.tabText(index) == text  # the title stays
    assert freed in window.tabs.tabToolTip(index)
    assert freed in bar.accessibleTabName(index) and text in bar.accessibleTabName(index)
    assert tab.url() == address

    # The inbox and the tiles' badges come from the task sources, not from the pages.
    with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT) as refreshed:
        window.refresh()
    assert refreshed.args == [True]
    assert window.tiles.tiles[ANQUAN].badge_text().isdigit()
    assert page.lifecycleState() == State.Discarded

    click_tab(qtbot, window, tab)
    qtbot.waitUntil(lambda: page.lifecycleState() == State.Active, timeout=5000)
    wait_for_text(qtbot, page, f"已登录：{USER.name}")  # loaded again, still signed in
    assert tab.url() == address and page.renderProcessPid() > 0
    index = tab_index(window, tab)
    assert not bar.tabTextColor(index).isValid() or bar.tabTextColor(index) != DIMMED_TEXT
    assert freed not in window.tabs.tabToolTip(index)
    assert bar.accessibleTabName(index) == ""


def test_a_page_holding_typed_input_is_frozen_and_never_discarded(
    qtbot: QtBot, signed_in: MainWindow, lifecycle: PageLifecycle, demo: DemoCounty
) -> None:
    window = signed_in
    open_signed_in_platform(qtbot, window, ANQUAN)  # signed in to the platform first
    tab = window.open_web(f"{demo.base_urls[ANQUAN]}/inspections/new", "form", platform_id=ANQUAN)
    page = tab.page
    wait_for_js(qtbot, page, "document.getElementById('place_name')")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    tab.view.setFocus()
    run_js(qtbot, page, "document.getElementById('place_name').focus(); true")
    target = QApplication.focusWidget()
    assert target is not None and (target is tab.view or tab.view.isAncestorOf(target))
    QTest.keyClicks(target, "lijiacun")  # real key presses, as a person types
    wait_for_js(qtbot, page, "document.getElementById('place_name').value === 'lijiacun'")

    window.tabs.setCurrentWidget(window.inbox)
    qtbot.waitUntil(lambda: page.lifecycleState() == State.Frozen, timeout=10_000)
    qtbot.waitUntil(lambda: lifecycle.kept_frozen(tab) == TYPED, timeout=10_000)
    # Quitting now would still ask about it: a frozen page answers.
    check = PagesCheck([tab])
    with qtbot.waitSignal(check.finished, timeout=5000) as answered:
        check.start()
    assert answered.args == [[PageAnswer(tab, TYPED)]]
    assert lifecycle.release(tab)  # freed by hand (the task monitor): still only frozen
    qtbot.wait(DISCARD_MS * 2)  # well past the discard delay: nothing to wait for but time
    assert page.lifecycleState() == State.Frozen and page.renderProcessPid() > 0

    click_tab(qtbot, window, tab)
    qtbot.waitUntil(lambda: page.lifecycleState() == State.Active, timeout=5000)
    assert run_js(qtbot, page, "document.getElementById('place_name').value") == "lijiacun"
    assert lifecycle.kept_frozen(tab) == ""


@pytest.fixture(scope="module")
def slow_files() -> Iterator[LocalServer]:
    """A file served a byte at a time (about 20 s), until the test lets it end."""
    with local_server() as server:
        server.raw("/list.csv", b"x" * 400, content_type="text/csv", fault="trickle",
                   headers={"Content-Disposition": 'attachment; filename="list.csv"'})
        yield server


def test_a_page_downloading_is_frozen_and_discarded_only_once_its_download_ends(
    qtbot: QtBot, signed_in: MainWindow, lifecycle: PageLifecycle, slow_files: LocalServer,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = signed_in
    monkeypatch.setattr(save_dialogs, "ask_save_path", lambda *_: str(tmp_path / "list.csv"))
    tab = open_signed_in_platform(qtbot, window, ANQUAN)
    bar = window.page_tools.download_bar
    tab.load(f"{slow_files.url}/list.csv")  # the page stays; the file comes slowly
    qtbot.waitUntil(lambda: bar.running(tab.page), timeout=10_000)

    window.tabs.setCurrentWidget(window.inbox)
    qtbot.waitUntil(lambda: tab.page.lifecycleState() == State.Frozen, timeout=10_000)
    qtbot.waitUntil(lambda: lifecycle.kept_frozen(tab) == BUSY, timeout=10_000)
    assert lifecycle.release(tab)  # not even by hand while it downloads
    assert tab.page.lifecycleState() == State.Frozen and bar.running(tab.page)

    slow_files.release.set()  # the server stops sending: the download ends (interrupted)
    qtbot.waitUntil(lambda: not bar.running(tab.page), timeout=10_000)
    qtbot.waitUntil(lambda: tab.page.lifecycleState() == State.Discarded, timeout=10_000)
    bar.clear()


def test_quitting_asks_nothing_of_a_discarded_page(
    qtbot: QtBot, signed_in: MainWindow, lifecycle: PageLifecycle
) -> None:
    window = signed_in
    tab = open_signed_in_platform(qtbot, window, ANQUAN)
    window.tabs.setCurrentWidget(window.inbox)
    lifecycle.release(tab)
    qtbot.waitUntil(lambda: tab.page.lifecycleState() == State.Discarded, timeout=10_000)
    check = PagesCheck([tab])
    with qtbot.waitSignal(check.finished, timeout=1000) as answered:  # within the 1.5 s limit
        check.start()
    assert answered.args == [[]]


def monitor_text(source: str) -> str:
    return QCoreApplication.translate("TaskMonitor", source)


def test_the_task_monitor_lists_pages_with_their_memory_and_frees_or_closes_one(
    qtbot: QtBot, signed_in: MainWindow, lifecycle: PageLifecycle
) -> None:
    window = signed_in
    hidden = open_signed_in_platform(qtbot, window, ANQUAN)
    shown = open_signed_in_platform(qtbot, window, "demo.zhifa")
    lifecycle.delays_ms = (None, None)  # only what the monitor's button does
    # Keyboard: Shift+Esc, as in Chrome's task manager (the 工作 menu has it too).
    window.tabs.setCurrentWidget(window.inbox)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    QTest.keyClick(window, Qt.Key.Key_Escape, Qt.KeyboardModifier.ShiftModifier)
    monitor = window.parts.task_monitor
    assert monitor is not None
    qtbot.waitUntil(lambda: monitor.isVisible(), timeout=5000)
    window.tabs.setCurrentWidget(shown)
    monitor.refresh()
    qtbot.waitUntil(lambda: monitor.memory is not None and len(monitor.rows) == 2, timeout=10_000)
    table = monitor.table
    qtbot.waitUntil(lambda: "MB" in table.item(0, 2).text() and "MB" in table.item(1, 2).text(),
                    timeout=10_000)
    assert [table.item(r, 0).text() for r in range(2)] == ["安全排查", "执法检查"]
    assert "MB" in monitor.summary.text() and monitor.memory.own > 0
    assert monitor.memory.total >= monitor.memory.own + sum(monitor.memory.renderers.values())
    # Pages in one renderer process: its memory given once, the sharing said.
    if hidden.page.renderProcessPid() == shown.page.renderProcessPid():
        assert monitor.shared_note.isVisible()
    # Every control has a name a screen reader reads, and Tab reaches each in reading order.
    close = monitor.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Close)
    controls = [table, monitor.summary, monitor.release_button, monitor.close_page_button, close]
    assert all(control.accessibleName() for control in controls)
    table.selectRow(0)
    monitor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is monitor, timeout=5000)
    table.setFocus()
    order = [QApplication.focusWidget()]
    for _ in controls[1:]:
        QTest.keyClick(order[-1], Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == controls

    table.selectRow(1)  # the page shown in the window: it cannot be freed
    assert not monitor.release_button.isEnabled() and monitor.close_page_button.isEnabled()
    table.selectRow(0)
    assert monitor.release_button.isEnabled()
    QTest.mouseClick(monitor.release_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hidden.page.lifecycleState() == State.Discarded, timeout=10_000)
    qtbot.waitUntil(lambda: table.item(0, 1).text() == monitor_text("Freed"), timeout=10_000)
    assert table.item(0, 2).text() == monitor_text("— (freed)")

    table.selectRow(1)
    gone: list[bool] = []
    shown.destroyed.connect(lambda: gone.append(True))
    QTest.mouseClick(monitor.close_page_button, Qt.MouseButton.LeftButton)
    assert window.web_tabs() == [hidden]
    qtbot.waitUntil(lambda: bool(gone), timeout=5000)  # its tab closed and deleted
    qtbot.waitUntil(lambda: len(monitor.rows) == 1 and table.rowCount() == 1, timeout=5000)
    monitor.close()
