"""Web tabs that behave like a browser's, in the launcher's window with real Chromium pages from a
real HTTP server on 127.0.0.1 (two platforms behind one gateway, as in test_web_tabs.py), driven
by the keys a person presses:

- Zoom: Ctrl+=, Ctrl++, Ctrl+-, Ctrl+0 on a page; the level is the platform's (its other tabs
  and its next tab follow; the other platform's do not) and survives in settings.ini.
- Find in page: Ctrl+F with a page in front opens the find bar (the inbox's search otherwise);
  typing finds and counts, Enter and Shift+Enter move, Esc closes it.
- Print (Ctrl+P) and save as PDF: PDF files where the person chose.
- A download lands in the folder the person chose, the bar shows it; that folder is offered next.
- Back, forward and reload: the buttons and Alt+Left, Alt+Right, F5 (F5 refreshes the inbox
  when the inbox is in front).
- Tab titles name the platform.
- Ctrl+Shift+T reopens the last closed page with its platform; nothing after a sign-out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QInputMethodEvent, QKeySequence
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from launcher.ui import save_dialogs
from launcher.ui.find_bar import FindBar
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from tests.e2e.signin import LOAD_TIMEOUT, current_web_tab, launcher_window
from tests.e2e.test_web_tabs import county_file
from tests.e2e.webpage import wait_for_js
from tests.unit.core._local_http import LocalServer, local_server

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

CTRL, ALT, SHIFT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.AltModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
HOME = """<!doctype html><title>一号平台首页</title><body>
<p>苹果一个，苹果两个。</p><p>还有一个苹果。</p><p>香蕉</p></body>"""
SECOND = "<!doctype html><title>第二页</title><body><p>第二页</p></body>"
FILE = "编号,名称\n1,王家\n".encode()


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_server() as gateway:
        gateway.html("/app1/", HOME)
        gateway.html("/app1/second", SECOND)
        gateway.html("/app2/", "<!doctype html><title>二号平台首页</title>")
        gateway.html("/idp/login", "<!doctype html><title>统一身份认证</title>")
        gateway.raw(
            "/app1/file",
            FILE,
            content_type="text/csv",
            headers={"Content-Disposition": 'attachment; filename="report.csv"'},
        )
        yield gateway


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser-home")


@pytest.fixture(scope="module")
def window(
    server: LocalServer, qapp: QApplication, home: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MainWindow]:
    folder = tmp_path_factory.mktemp("browser-county")
    with launcher_window(qapp, county_file(folder, server.url), home, language="en") as main:
        yield main


@pytest.fixture
def gui(qtbot: QtBot, window: MainWindow, server: LocalServer) -> MainWindow:
    """The module's window, active (keys go to its focused widget), with no web tabs."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    window.close_web_tabs()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    server.seen.clear()
    return window


def loaded(qtbot: QtBot, tab: WebTab, title: str) -> None:
    wait_for_js(
        qtbot, tab.page, f"document.readyState === 'complete' && document.title === '{title}'"
    )


def open_home(qtbot: QtBot, gui: MainWindow, plugin_id: str = "t.one") -> WebTab:
    """The platform's home in a tab (as its tile opens it), the keyboard in the page."""
    gui.open_platform(plugin_id)
    tab = current_web_tab(gui)
    loaded(qtbot, tab, "一号平台首页" if plugin_id == "t.one" else "二号平台首页")
    focus_page(qtbot, tab)
    return tab


def focus_page(qtbot: QtBot, tab: WebTab) -> None:
    tab.view.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: focused_in(tab.view), timeout=5000)


def focused_in(widget: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is widget or widget.isAncestorOf(focus))


def press(qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = CTRL) -> None:
    """A key press where the keyboard is (shortcuts as the person would use them)."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifiers)


def type_chinese(widget: QWidget, text: str) -> None:
    """``text`` as a Chinese input method types it: committed at once."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_zoom_keys_and_the_level_remembered_per_platform(
    qtbot: QtBot, gui: MainWindow, home: Path
) -> None:
    one = open_home(qtbot, gui)
    assert one.view.zoomFactor() == pytest.approx(1.0)
    press(qtbot, Qt.Key.Key_Equal)
    assert one.view.zoomFactor() == pytest.approx(1.1)
    press(qtbot, Qt.Key.Key_Plus)
    assert one.view.zoomFactor() == pytest.approx(1.25)
    assert "Zoom 125%" in gui.statusBar().currentMessage()
    # The page itself is drawn larger (Chromium's zoom), not only the widget told so.
    wait_for_js(qtbot, one.page, "Math.abs(window.devicePixelRatio - 1.25) < 0.01")
    press(qtbot, Qt.Key.Key_Minus)
    assert one.view.zoomFactor() == pytest.approx(1.1)

    # Another platform keeps its own level; the same platform's next tab takes this one's.
    two = open_home(qtbot, gui, "t.two")
    assert two.view.zoomFactor() == pytest.approx(1.0)
    gui.close_tab(gui.tabs.indexOf(one))
    again = open_home(qtbot, gui)
    assert again.view.zoomFactor() == pytest.approx(1.1)
    wait_for_js(qtbot, again.page, "Math.abs(window.devicePixelRatio - 1.1) < 0.01")

    # Kept in settings.ini under the platform's id (no address), for the next start.
    gui.page_tools.zoom._settings.sync()
    saved = QSettings(str(home / "settings.ini"), QSettings.Format.IniFormat)
    assert float(saved.value("zoom/t.one")) == pytest.approx(1.1)  # type: ignore[arg-type]
    assert saved.value("zoom/t.two") is None
    assert not any("127.0.0.1" in key for key in saved.allKeys())

    press(qtbot, Qt.Key.Key_0)
    assert again.view.zoomFactor() == pytest.approx(1.0)
    gui.page_tools.zoom._settings.sync()
    saved.sync()
    assert saved.value("zoom/t.one") is None


def test_ctrl_f_finds_in_the_page_and_searches_tasks_in_the_inbox(
    qtbot: QtBot, gui: MainWindow
) -> None:
    tab = open_home(qtbot, gui)
    press(qtbot, Qt.Key.Key_F)
    bar = tab.findChild(FindBar)
    assert bar is not None and bar.isVisible()
    assert QApplication.focusWidget() is bar.field
    type_chinese(bar.field, "苹果")
    qtbot.waitUntil(lambda: (bar.active, bar.matches) == (1, 3), timeout=LOAD_TIMEOUT)
    assert bar.count.text() == "1 of 3"
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: bar.active == 2, timeout=LOAD_TIMEOUT)
    press(qtbot, Qt.Key.Key_Return, SHIFT)
    qtbot.waitUntil(lambda: bar.active == 1, timeout=LOAD_TIMEOUT)
    qtbot.mouseClick(bar.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.count.text() == "2 of 3", timeout=LOAD_TIMEOUT)

    bar.field.setFocus()
    bar.field.end(False)
    type_chinese(bar.field, "梨")  # 苹果梨: nowhere on the page
    qtbot.waitUntil(lambda: bar.count.text() == "No matches", timeout=LOAD_TIMEOUT)

    press(qtbot, Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier)
    assert bar.isHidden()
    qtbot.waitUntil(lambda: focused_in(tab.view), timeout=5000)

    # With the inbox in front, Ctrl+F is the task search again.
    gui.tabs.setCurrentWidget(gui.inbox)
    gui.tabs.tabBar().setFocus()
    press(qtbot, Qt.Key.Key_F)
    assert QApplication.focusWidget() is gui.inbox.search
    assert bar.isHidden()


def test_save_as_pdf_and_print_write_pdf_files(
    qtbot: QtBot, gui: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[Path] = []

    def choose(_parent: QWidget, _caption: str, suggested: Path, _filters: str = "") -> str:
        asked.append(suggested)
        return str(tmp_path / "检查表")  # typed without its extension

    monkeypatch.setattr(save_dialogs, "ask_save_path", choose)
    tab = open_home(qtbot, gui)
    gui.page_tools.save_pdf.trigger()
    saved = tmp_path / "检查表.pdf"
    qtbot.waitUntil(lambda: saved.exists() and saved.stat().st_size > 1000, timeout=LOAD_TIMEOUT)
    assert saved.read_bytes().startswith(b"%PDF")
    assert asked[0].name == "一号平台.pdf"  # named after the page, as the person knows it
    qtbot.waitUntil(
        lambda: "Saved the page as 检查表.pdf" in gui.statusBar().currentMessage(),
        timeout=LOAD_TIMEOUT,
    )

    # Ctrl+P: the print dialog (answered here: a PDF printer), then the page printed.
    printed = tmp_path / "printed.pdf"

    def print_to_file(_parent: QWidget, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    monkeypatch.setattr(save_dialogs, "ask_printer", print_to_file)
    focus_page(qtbot, tab)
    press(qtbot, Qt.Key.Key_P)
    qtbot.waitUntil(
        lambda: "Sent the page to the printer" in gui.statusBar().currentMessage(),
        timeout=LOAD_TIMEOUT,
    )
    assert printed.read_bytes().startswith(b"%PDF")


def test_a_download_lands_in_the_chosen_folder_and_shows_in_the_bar(
    qtbot: QtBot,
    gui: MainWindow,
    server: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = tmp_path / "台账"
    chosen.mkdir()
    asked: list[Path] = []
    answers = [str(chosen / "名单.csv"), ""]

    def choose(_parent: QWidget, _caption: str, suggested: Path, _filters: str = "") -> str:
        asked.append(suggested)
        return answers.pop(0)

    opened: list[Path] = []
    monkeypatch.setattr(save_dialogs, "ask_save_path", choose)
    monkeypatch.setattr(save_dialogs, "open_folder", opened.append)
    tab = open_home(qtbot, gui)
    tab.load(server.url + "/app1/file")
    target = chosen / "名单.csv"
    qtbot.waitUntil(lambda: target.exists() and target.read_bytes() == FILE, timeout=LOAD_TIMEOUT)
    assert asked[0].name == "report.csv"  # the server's name, offered

    bar = gui.page_tools.download_bar
    assert bar.isVisible()
    (row,) = bar.rows()
    assert row.name.text() == "名单.csv"
    qtbot.waitUntil(lambda: row.state.text() == "Done", timeout=LOAD_TIMEOUT)
    assert row.progress.value() == row.progress.maximum()
    assert row.cancel.isHidden() and row.open_folder.isVisible()
    qtbot.mouseClick(row.open_folder, Qt.MouseButton.LeftButton)
    assert opened == [chosen]  # the folder; the file itself is never opened
    assert tab.url() == server.url + "/app1/"  # the page stayed

    # The next download offers the folder chosen last; cancelled, nothing is saved.
    tab.load(server.url + "/app1/file")
    qtbot.waitUntil(lambda: len(asked) == 2, timeout=LOAD_TIMEOUT)
    assert asked[1] == chosen / "report.csv"
    assert sorted(p.name for p in chosen.iterdir()) == ["名单.csv"]
    assert len(bar.rows()) == 1

    # Tab reaches the bar's button before the status bar.
    order = gui.tab_order()
    assert row.open_folder in order

    qtbot.mouseClick(bar.close_button, Qt.MouseButton.LeftButton)
    assert bar.isHidden() and bar.rows() == []


def test_back_forward_and_reload(qtbot: QtBot, gui: MainWindow, server: LocalServer) -> None:
    tab = open_home(qtbot, gui)
    nav = tab.nav
    assert not nav.back.isEnabled() and not nav.forward.isEnabled()
    tab.load(server.url + "/app1/second")
    loaded(qtbot, tab, "第二页")
    qtbot.waitUntil(nav.back.isEnabled, timeout=LOAD_TIMEOUT)
    focus_page(qtbot, tab)
    press(qtbot, Qt.Key.Key_Left, ALT)
    loaded(qtbot, tab, "一号平台首页")
    qtbot.waitUntil(nav.forward.isEnabled, timeout=LOAD_TIMEOUT)
    qtbot.mouseClick(nav.forward, Qt.MouseButton.LeftButton)
    loaded(qtbot, tab, "第二页")
    qtbot.mouseClick(nav.back, Qt.MouseButton.LeftButton)
    loaded(qtbot, tab, "一号平台首页")
    focus_page(qtbot, tab)
    press(qtbot, Qt.Key.Key_Right, ALT)
    loaded(qtbot, tab, "第二页")

    requests = [seen.path for seen in server.seen].count("/app1/second")
    focus_page(qtbot, tab)
    press(qtbot, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(
        lambda: [seen.path for seen in server.seen].count("/app1/second") > requests,
        timeout=LOAD_TIMEOUT,
    )
    loaded(qtbot, tab, "第二页")
    qtbot.mouseClick(nav.reload, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: [seen.path for seen in server.seen].count("/app1/second") > requests + 1,
        timeout=LOAD_TIMEOUT,
    )

    # F5 and Ctrl+F are the page's with a page in front, the window's with the inbox in front.
    tools = gui.page_tools
    assert tools.reload.shortcut() == QKeySequence("F5") and gui.refresh_action.shortcut().isEmpty()
    gui.tabs.setCurrentWidget(gui.inbox)
    assert gui.refresh_action.shortcut() == QKeySequence("F5") and tools.reload.shortcut().isEmpty()
    assert (
        gui.search_action.shortcut() == QKeySequence("Ctrl+F") and tools.find.shortcut().isEmpty()
    )
    assert not tools.zoom_in.isEnabled()


def test_tab_titles_name_the_platform(qtbot: QtBot, gui: MainWindow, server: LocalServer) -> None:
    tab = gui.open_web(server.url + "/app1/second", "<b>任务</b>", platform_id="t.one")
    index = gui.tabs.indexOf(tab)
    assert gui.tabs.tabText(index) == "一号平台 · <b>任务</b>"
    loaded(qtbot, tab, "第二页")
    qtbot.waitUntil(lambda: gui.tabs.tabText(index) == "一号平台 · 第二页", timeout=LOAD_TIMEOUT)
    assert "一号平台" in gui.tabs.tabToolTip(index) and "第二页" in gui.tabs.tabToolTip(index)
    # A tile's tab: the platform's name once; a page of no platform: its title alone.
    home = open_home(qtbot, gui)
    assert gui.tabs.tabText(gui.tabs.indexOf(home)) == "一号平台 · 一号平台首页"
    plain = gui.open_web(server.url + "/app2/", "二号")
    loaded(qtbot, plain, "二号平台首页")
    qtbot.waitUntil(
        lambda: gui.tabs.tabText(gui.tabs.indexOf(plain)) == "二号平台首页", timeout=LOAD_TIMEOUT
    )


def test_ctrl_shift_t_reopens_the_last_closed_page(
    qtbot: QtBot, gui: MainWindow, server: LocalServer
) -> None:
    tab = open_home(qtbot, gui)
    tab.load(server.url + "/app1/second")
    loaded(qtbot, tab, "第二页")
    other = open_home(qtbot, gui, "t.two")
    press(qtbot, Qt.Key.Key_W)  # closes 二号平台
    gui.tabs.setCurrentWidget(tab)
    focus_page(qtbot, tab)
    press(qtbot, Qt.Key.Key_W)  # closes 一号平台's second page
    assert gui.web_tabs() == []
    assert other is not None

    gui.tabs.tabBar().setFocus()
    press(qtbot, Qt.Key.Key_T, CTRL | SHIFT)
    again = current_web_tab(gui)
    assert (again.platform_id, again.opened_by_person, again.key) == ("t.one", True, "t.one")
    loaded(qtbot, again, "第二页")
    assert again.url() == server.url + "/app1/second"
    press(qtbot, Qt.Key.Key_T, CTRL | SHIFT)
    assert current_web_tab(gui).platform_id == "t.two"
    assert len(gui.web_tabs()) == 2

    # Closed all at once (sign-out, another person): nothing to reopen.
    gui.close_web_tabs()
    gui.tabs.tabBar().setFocus()
    press(qtbot, Qt.Key.Key_T, CTRL | SHIFT)
    assert gui.web_tabs() == []
