"""Closing the window (or Ctrl+Q) with something typed and not saved asks first; with nothing, it
closes at once. Before, a half-filled platform form or unsaved profile edits were lost without a
word.

The demo county (real provider, platforms and keyring; the scripted sign-in) and real Chromium
pages from a real HTTP server on 127.0.0.1, typed into with real key events and clicks:
- the profile edited: close asks, naming the profile; 取消 keeps the window and the edits;
- a platform page with typed input: close asks, naming that platform; 取消 keeps the page as it
  was (the text still in its field); 退出 closes, and the teardown (the end of the session's work:
  tokens written, cache closed, web profile released) still runs;
- a page whose beforeunload handler asks to stay (an old-style ``return '…'``), after a click;
- an editable area typed into;
- nothing typed (a page open, a field filled by a script, as Fill does): closes at once, no
  question; no web page and nothing typed: closes in the same call;
- the desktop session ending closes without asking.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from launcher.ui import i18n
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT, launcher_window, scripted_login
from tests.e2e.webpage import read_json, run_js, wait_for_js
from tests.unit.core._local_http import LocalServer, local_server

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ANQUAN = "demo.anquan"
FORM = """<!doctype html><title>检查表</title><body>
<form><input id=name name=name value=""><label><input id=agree type=checkbox> 同意</label></form>
</body>"""
LEAVING = """<!doctype html><title>旧系统</title><body>
<button id=edit style="width:300px;height:120px">编辑</button>
<script>window.onbeforeunload = function () { return '数据尚未保存'; };</script>
</body>"""
EDITOR = """<!doctype html><title>通知稿</title><body>
<div id=text contenteditable style="width:300px;height:120px">初稿</div>
</body>"""


@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_server() as http:
        http.html("/form", FORM)
        http.html("/leaving", LEAVING)
        http.html("/editor", EDITOR)
        yield http


@contextmanager
def signed_in_window(
    qtbot: QtBot, qapp: QApplication, county: DemoCounty, home: Path
) -> Iterator[MainWindow]:
    """A window of its own (a test closes it), signed in the scripted way, the profile loaded,
    in English (the assertions read the source texts)."""
    with launcher_window(qapp, county.county_path, home, language=i18n.ENGLISH) as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        if window.user is None:
            with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT):
                window.sign_in_with(scripted_login)
        qtbot.waitUntil(lambda: bool(window.profile_view.editors), timeout=LOAD_TIMEOUT)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
        yield window


def question(window: MainWindow) -> QMessageBox | None:
    box = window.findChild(QMessageBox, "quitQuestion")
    return box if box is not None and box.isVisible() else None


def wait_for_question(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: question(window) is not None, timeout=10_000)
    box = question(window)
    assert box is not None
    return box


def answer(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text() == text)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def open_page(qtbot: QtBot, window: MainWindow, url: str, element: str) -> WebTab:
    tab = window.open_web(url, "page", platform_id=ANQUAN)
    wait_for_js(qtbot, tab.page, f"document.getElementById('{element}')")
    return tab


def type_into(qtbot: QtBot, tab: WebTab, element: str, text: str) -> None:
    """Real key presses into the page's ``element``, as a person types."""
    tab.view.setFocus()
    run_js(qtbot, tab.page, f"document.getElementById('{element}').focus(); true")
    target = QApplication.focusWidget()
    assert target is not None and (target is tab.view or tab.view.isAncestorOf(target))
    QTest.keyClicks(target, text)


def test_an_edited_profile_asks_and_cancel_keeps_the_window(
    qtbot: QtBot,
    qapp: QApplication,
    demo_county: DemoCounty,
    tmp_path: Path,
) -> None:
    with signed_in_window(qtbot, qapp, demo_county, tmp_path) as window:
        profile = window.profile_view
        key = next(iter(profile.editors))
        profile.set_values({key: "张三"})
        window.quit_action.trigger()  # Ctrl+Q, or the window's ×: the same close
        box = wait_for_question(qtbot, window)
        assert window.isVisible()
        assert "Profile: changes not saved" in box.text()
        assert box.defaultButton() is next(b for b in box.buttons() if b.text() == "Cancel")
        answer(box, "Cancel")
        qtbot.waitUntil(lambda: question(window) is None, timeout=5000)
        assert window.isVisible() and window.services is not None
        assert profile.editors[key].value() == "张三"  # nothing lost

        profile.revert()  # saved or undone: nothing to lose, closes in the same call
        window.close()
        assert not window.isVisible() and window.services is None


def test_a_page_with_typed_input_asks_naming_its_platform(
    qtbot: QtBot,
    qapp: QApplication,
    demo_county: DemoCounty,
    server: LocalServer,
    tmp_path: Path,
) -> None:
    with signed_in_window(qtbot, qapp, demo_county, tmp_path) as window:
        name = window.context.platform_name(ANQUAN)
        tab = open_page(qtbot, window, server.url + "/form", "name")
        type_into(qtbot, tab, "name", "Wang")
        value = "document.getElementById('name').value"
        qtbot.waitUntil(lambda: run_js(qtbot, tab.page, value) == "Wang", timeout=5000)

        window.close()
        box = wait_for_question(qtbot, window)
        assert f"{name}: typed into a form, not sent yet" in box.text()
        assert "Profile" not in box.text()
        answer(box, "Cancel")
        qtbot.waitUntil(lambda: question(window) is None, timeout=5000)
        assert window.isVisible() and window.web_tabs() == [tab]
        assert run_js(qtbot, tab.page, value) == "Wang"  # the page as it was

        window.close()
        box = wait_for_question(qtbot, window)
        answer(box, "Quit")
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=15_000)
        # The teardown ran all the same: tabs closed, services closed, web profile released.
        assert window.services is None and window.web_tabs() == []
        assert not window.web_started()


def test_a_page_that_asks_to_stay_an_edited_area_and_a_ticked_box_are_named(
    qtbot: QtBot,
    qapp: QApplication,
    demo_county: DemoCounty,
    server: LocalServer,
    tmp_path: Path,
) -> None:
    with signed_in_window(qtbot, qapp, demo_county, tmp_path) as window:
        leaving = window.open_web(server.url + "/leaving", "旧系统")  # of no platform
        wait_for_js(qtbot, leaving.page, "document.getElementById('edit')")
        window.close()  # never used by the person: Chromium lets it not ask
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
        assert question(window) is None

    with signed_in_window(qtbot, qapp, demo_county, tmp_path) as window:
        leaving = window.open_web(server.url + "/leaving", "旧系统")
        wait_for_js(qtbot, leaving.page, "document.getElementById('edit')")
        run_js(qtbot, leaving.page, "window.kept = 1; true")
        proxy = leaving.view.focusProxy() or leaving.view
        QTest.mouseClick(proxy, Qt.MouseButton.LeftButton, pos=QPoint(40, 40))  # 编辑
        editor = open_page(qtbot, window, server.url + "/editor", "text")
        type_into(qtbot, editor, "text", "x")  # (QTest types ASCII only)
        form = window.open_web(server.url + "/form", "form")  # of no platform: its title
        wait_for_js(qtbot, form.page, "document.title === '检查表'")
        type_into(qtbot, form, "agree", " ")  # Space ticks the box
        agree = "document.getElementById('agree').checked"
        qtbot.waitUntil(lambda: read_json(qtbot, form.page, agree) is True, timeout=5000)

        window.close()
        box = wait_for_question(qtbot, window)
        text = box.text()
        assert "旧系统: the page says its changes are not saved" in text
        assert f"{window.context.platform_name(ANQUAN)}: typed into a form" in text
        assert "检查表: typed into a form" in text
        answer(box, "Cancel")
        qtbot.waitUntil(lambda: question(window) is None, timeout=5000)
        # Still the same pages: the refused leaving unloaded nothing, and no tab closed.
        assert window.web_tabs() == [leaving, editor, form]
        assert run_js(qtbot, leaving.page, "window.kept") == 1


def test_nothing_typed_closes_at_once(
    qtbot: QtBot,
    qapp: QApplication,
    demo_county: DemoCounty,
    server: LocalServer,
    tmp_path: Path,
) -> None:
    with signed_in_window(qtbot, qapp, demo_county, tmp_path) as window:
        window.close()  # no page, nothing typed: closed in this very call
        assert not window.isVisible() and window.services is None

    with signed_in_window(qtbot, qapp, demo_county, tmp_path) as window:
        tab = open_page(qtbot, window, server.url + "/form", "name")
        # Typed and deleted again: nothing of the person's is left to lose.
        type_into(qtbot, tab, "name", "ab")
        value = "document.getElementById('name').value"
        qtbot.waitUntil(lambda: run_js(qtbot, tab.page, value) == "ab", timeout=5000)
        QTest.keyClicks(QApplication.focusWidget(), "\b\b")
        qtbot.waitUntil(lambda: run_js(qtbot, tab.page, value) == "", timeout=5000)
        # Ticked by a script, as Fill does, not by the person.
        tick = (
            "const box = document.getElementById('agree'); box.checked = true;"
            "box.dispatchEvent(new Event('change', {bubbles: true})); true"
        )
        run_js(qtbot, tab.page, tick)
        agree = "document.getElementById('agree').checked"
        assert read_json(qtbot, tab.page, agree) is True
        window.close()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
        assert question(window) is None and window.services is None


def test_the_desktop_session_ending_closes_without_asking(
    qtbot: QtBot, qapp: QApplication, demo_county: DemoCounty, tmp_path: Path
) -> None:
    with signed_in_window(qtbot, qapp, demo_county, tmp_path) as window:
        profile = window.profile_view
        profile.set_values({next(iter(profile.editors)): "张三"})
        window.session_ending()  # what QGuiApplication.commitDataRequest calls
        assert not window.isVisible() and question(window) is None
        assert window.services is None  # its teardown ran
