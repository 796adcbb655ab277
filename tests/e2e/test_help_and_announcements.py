"""帮助 and what a screen reader is told, in the real window on the demo county (real provider,
platforms and keyring; signed in by the provider's form over HTTP, no Chromium): 使用指南 (F1)
and 联系县信息化团队 with the county's [support]; every control of the window and of the guide
named in Qt's accessibility interfaces; the guide naming only menu entries that exist; the
announcements of refreshes (new tasks counted, a platform that cannot be reached, quiet
background refreshes), of Fill's outcome, of signing out and in, and of the idle lock; the status
bar's lines readable; a failed sign-in naming the county IT team.

The county is the demo's with 垃圾分类 (demo.laji) moved to a port nothing listens on, and as a
shared PC ([office]). Announcements are caught where the launcher hands them to Qt (Qt's offscreen
platform has no accessibility bridge); tests/e2e/test_screen_reader.py receives them as a screen
reader does, over AT-SPI.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from launcher.app.events import RefreshFailed
from launcher.core.errors import AuthError
from launcher.core.inbox.notify import pending_count
from launcher.core.paths import resources_dir
from launcher.core.states import AuthReason
from launcher.ui.help_window import CONTACT, HelpWindow
from launcher.ui.main_window import MainWindow
from launcher.ui.office_lock import LockScreen
from launcher_demo import DemoCounty
from tests.accessible import Said, catch_announcements, unnamed
from tests.e2e.signin import LOAD_TIMEOUT, USER, log_out, scripted_login


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[Said]:
    """The announcements made during the test (tests/accessible.py)."""
    return catch_announcements(monkeypatch)


pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

BROKEN = "demo.laji"
BROKEN_NAME = "垃圾分类"


@pytest.fixture(scope="module")
def scripted_sign_in() -> bool:
    return True


@pytest.fixture(scope="module")
def window_county(demo_county: DemoCounty, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county with 垃圾分类 unreachable, on a shared PC."""
    text = demo_county.county_path.read_text(encoding="utf-8")
    text, found = re.subn(rf'(plugin = "{BROKEN}"\nbase_url = )"[^"]*"', r'\1"http://127.0.0.1:9"',
                          text)
    assert found == 1
    path = tmp_path_factory.mktemp("announce-county") / "county.toml"
    path.write_text(text + "\n[office]\nshared = true\n", encoding="utf-8")
    return path


def last(said: list[Said], qtbot: QtBot, contains: str) -> Said:
    qtbot.waitUntil(lambda: any(contains in s.text for s in said), timeout=LOAD_TIMEOUT)
    return next(s for s in reversed(said) if contains in s.text)


def refresh_by_hand(qtbot: QtBot, window: MainWindow) -> None:
    """刷新 (F5, the toolbar button), and wait until its result is on screen."""
    with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT) as finished:
        window.refresh_action.trigger()
    assert finished.args == [True]


def help_window(window: MainWindow) -> HelpWindow:
    found = window.parts.help_window
    assert found is not None
    return found


# -- 帮助 -----------------------------------------------------------------------------------------


def test_the_help_menu_has_the_guide_and_the_contact(signed_in: MainWindow) -> None:
    menu = signed_in.window_actions.help_menu
    texts = [a.text() for a in menu.actions()]
    assert texts == ["使用指南(&G)", "联系县信息化团队(&C)…", "", "加载问题…", "关于"]
    assert signed_in.parts.guide_action.shortcut().toString() == "F1"


def test_f1_opens_the_guide_named_throughout_and_the_contact_is_the_county_s(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    signed_in.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is signed_in)
    QTest.keyClick(signed_in, Qt.Key.Key_F1)
    guide = help_window(signed_in)
    qtbot.waitUntil(guide.isVisible)
    assert guide.windowTitle() == "一端通使用指南"
    assert guide.topics.item(0).text() == "登录一次"
    for row in range(guide.topics.count()):
        guide.topics.setCurrentRow(row)
        assert unnamed(guide) == [], guide.guide[row].title
    guide.close()

    signed_in.parts.contact_action.trigger()
    assert guide.isVisible() and guide.current_topic() is guide.guide[-1]
    assert guide.guide[-1].key == CONTACT
    values = {key: widget.text() for key, widget in guide.contact.values.items()}
    assert values == {
        "name": "示范县信息化服务台",
        "phone": "0000-1234567",
        "email": "help@demo-county.example",
        "hours": "工作日 8:30–12:00，14:00–17:30",
        "note": "示范县的联系方式是虚构的：电话打不通，邮件也收不到。",
    }
    phone = QAccessible.queryAccessibleInterface(guide.contact.values["phone"])
    assert phone.text(QAccessible.Text.Name) == "电话：0000-1234567"
    guide.contact.copy_buttons["email"].click()
    assert QGuiApplication.clipboard().text() == "help@demo-county.example"
    guide.close()


def test_the_guide_names_only_menu_entries_that_exist(signed_in: MainWindow) -> None:
    """Every “菜单 → 项” the Chinese guide names is in the window's menus (and 视图's entries)."""
    menus = {
        plain(action.text()): [plain(a.text()) for a in action.menu().actions()]
        for action in signed_in.menuBar().actions()
        if isinstance(action.menu(), QMenu)
    }
    guide = (resources_dir() / "help" / "guide_zh_CN.md").read_text(encoding="utf-8")
    paths = re.findall(r"“([^“”]+?) → ([^“”]+?)”", guide)
    assert len(paths) >= 6
    for menu, entry in paths:
        assert plain(entry) in menus[menu], (menu, entry, menus.get(menu))
    for entry in re.findall(r"“(较大文字[^”]*|特大文字[^”]*|高对比度)”", guide):
        assert entry in menus["视图"]


def plain(text: str) -> str:
    """A menu text without its mnemonic and ellipsis: 减负账本(&L)… → 减负账本."""
    return re.sub(r"\(&\w\)", "", text).replace("&", "").rstrip("…")


def test_every_control_of_the_window_is_named(signed_in: MainWindow) -> None:
    for page in (signed_in.inbox, signed_in.profile_page):
        signed_in.tabs.setCurrentWidget(page)
        assert unnamed(signed_in) == []


def test_the_status_bar_s_lines_are_readable(signed_in: MainWindow) -> None:
    bar = signed_in.status_bar()
    bar.showMessage("已填写 5 项")
    assert QAccessible.queryAccessibleInterface(bar).text(QAccessible.Text.Name) == "已填写 5 项"
    refresh = QAccessible.queryAccessibleInterface(bar.refresh_label)
    assert "已刷新" in refresh.text(QAccessible.Text.Name)
    assert refresh.text(QAccessible.Text.Description) == "待办更新到什么时候"
    user = QAccessible.queryAccessibleInterface(bar.user_label)
    assert user.text(QAccessible.Text.Name) == f"已登录：{USER.name}"
    assert user.text(QAccessible.Text.Description) == "登录的人"


# -- announcements ----------------------------------------------------------------------------


def test_a_refresh_asked_for_says_the_tasks_and_the_platform_that_failed(
    qtbot: QtBot, signed_in: MainWindow, said: list[Said]
) -> None:
    refresh_by_hand(qtbot, signed_in)
    count = pending_count(signed_in.inbox_model.groups())
    one = last(said, qtbot, "待办已刷新")
    assert one.text == (f"待办已刷新：共 {count} 项待办。没有新的待办。"
                        "有 1 个平台没有刷新成功，平台按钮上写着原因。")
    assert one.assertive and one.source is signed_in
    assert "出错" in signed_in.tiles.tiles[BROKEN].accessibleName()


def test_new_tasks_are_counted_against_the_list_on_screen(
    qtbot: QtBot, signed_in: MainWindow, said: list[Said]
) -> None:
    """The list on screen lacks two open tasks (as a cached list from before they were given):
    the refresh says two are new."""
    result = signed_in.last_result
    assert result is not None
    groups = signed_in.inbox_model.groups()
    gone = [g for g in groups if len(g.items) == 1][:2]
    keys = {g.items[0].key for g in gone}
    older = type(result)([t for t in result.tasks if t.key not in keys], result.states)
    signed_in.inbox_presenter.show(older, [g for g in groups if g not in gone], fresh=False)
    refresh_by_hand(qtbot, signed_in)
    assert "其中 2 项是新的。" in last(said, qtbot, "待办已刷新").text


def test_a_background_refresh_that_brings_nothing_new_is_quiet(
    qtbot: QtBot, signed_in: MainWindow, said: list[Said]
) -> None:
    with qtbot.waitSignal(signed_in.refresh_finished, timeout=LOAD_TIMEOUT):
        signed_in.inbox_presenter.timer.timeout.emit()  # the background refresh's timer
    assert said == []


def test_a_refresh_that_failed_as_a_whole_is_said_at_once(
    qtbot: QtBot, signed_in: MainWindow, said: list[Said]
) -> None:
    signed_in.events.publish(RefreshFailed(ConnectionError("the cache is locked")))
    one = last(said, qtbot, "待办刷新失败")
    assert one.text == "待办刷新失败：ConnectionError: the cache is locked" and one.assertive


def test_fill_outcomes_are_said(signed_in: MainWindow, said: list[Said]) -> None:
    """What FormFiller reports (``fill_finished``) in words: counts, never values."""
    signed_in.fill_finished.emit({"platform": "demo.anquan", "form": "x",
                                  "filled": ["person.name", "person.phone"], "failed": {}})
    signed_in.fill_finished.emit({"platform": "demo.anquan", "form": "x",
                                  "filled": ["person.name"], "failed": {"place.name": "missing"}})
    signed_in.fill_finished.emit({"error": "已取消。", "why": "cancelled"})
    signed_in.fill_finished.emit({"error": "这个页面不属于本县的任何平台，没有填写。",
                                  "why": "no-platform"})
    assert [(s.text, s.assertive) for s in said] == [
        ("已填写 2 项。", False),
        ("已填写 1 项。有 1 项没有填上，填表面板里写着原因。", True),
        ("这个页面不属于本县的任何平台，没有填写。", True),
    ]


def test_signing_out_and_in_are_said(
    qtbot: QtBot, signed_in: MainWindow, said: list[Said]
) -> None:
    log_out(qtbot, signed_in)
    assert last(said, qtbot, "已退出登录").text == "已退出登录。"
    signed_in.sign_in_with(scripted_login)
    assert last(said, qtbot, "已登录").text == f"已登录：{USER.name}。正在加载待办…"
    # The refresh after signing in is said, without "new" (nothing was on screen before).
    text = last(said, qtbot, "待办已刷新").text
    assert text.startswith("待办已刷新：共 ") and "新的" not in text


def test_locking_and_unlocking_are_said(
    qtbot: QtBot, signed_in: MainWindow, said: list[Said]
) -> None:
    lock = signed_in.parts.office_lock
    lock.lock()
    one = last(said, qtbot, "已锁定")
    assert one.text.startswith("一端通已锁定。只有本人重新登录才能继续")
    assert isinstance(one.source, QWidget) and isinstance(one.source.window(), LockScreen)
    # The same person signs in again (by the provider's form over HTTP, not the dialog that
    # 重新登录 opens): unlocked, said once (not as a new sign-in).
    lock._unlocking = True  # what 重新登录 sets before its dialog
    signed_in.sign_in_with(scripted_login)
    qtbot.waitUntil(lambda: not lock.locked, timeout=LOAD_TIMEOUT)
    assert last(said, qtbot, "已解锁").text == "已解锁，页面都保持原样。"
    assert not any(s.text.startswith("已登录") for s in said)


def test_a_failed_sign_in_names_the_county_it_team(
    qtbot: QtBot, signed_out: MainWindow
) -> None:
    def refused(_services: object) -> object:
        raise AuthError("the keyring daemon is gone", AuthReason.CONFIG)

    with qtbot.waitSignal(signed_out.login_failed, timeout=LOAD_TIMEOUT) as failed:
        signed_out.sign_in_with(refused)  # type: ignore[arg-type]
    text = failed.args[0]
    assert text.endswith("请联系县信息化团队。\n县信息化团队：示范县信息化服务台，电话 0000-1234567，"
                         "邮箱 help@demo-county.example")
    box = signed_out.findChild(QMessageBox, "loginErrorBox")
    assert box is not None and box.text() == text
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()

