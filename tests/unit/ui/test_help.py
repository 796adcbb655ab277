"""The guide (帮助 → 使用指南), the county IT team's contact, the sign-in errors that name it, and
the announcement a screen reader receives (launcher/ui/help_window.py, contact.py, announce.py).

Read through Qt's accessibility interfaces (``QAccessible.queryAccessibleInterface``), as a
screen reader's bridge reads them. The announcements here are caught where the launcher hands
them to Qt (``QAccessible.updateAccessibility``, patched to keep the event): Qt's offscreen
platform has no accessibility bridge to receive them; tests/e2e/test_screen_reader.py receives
them over AT-SPI, as a screen reader does.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.errors import AuthError
from launcher.core.secrets import KeyringUnavailable
from launcher.core.states import AuthReason
from launcher.core.support import SupportContact
from launcher.ui.accessible_names import name_qt_controls
from launcher.ui.announce import MAX_ANNOUNCED_CHARS, announce
from launcher.ui.contact import ContactPanel, contact_line
from launcher.ui.help_window import CONTACT, HelpWindow, read_guide
from launcher.ui.sign_in_errors import sign_in_error
from tests.accessible import Said, catch_announcements, unnamed


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[Said]:
    """The announcements made during the test (tests/accessible.py)."""
    return catch_announcements(monkeypatch)


SUPPORT = SupportContact(
    name="示范县信息化服务台",
    phone="0572-5123456 转 8001",
    email="help@county.example",
    hours="工作日 8:30–17:30",
    note="请说明乡镇和平台。",
)


# -- announce ---------------------------------------------------------------------------------


def test_an_announcement_is_qt_s_announcement_event(said: list[Said], qtbot: QtBot) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    announce(label, "Inbox refreshed: 3 tasks to do.")
    announce(label, "The inbox could not be refreshed.", assertive=True)
    assert said == [Said("Inbox refreshed: 3 tasks to do.", False, label),
                    Said("The inbox could not be refreshed.", True, label)]


def test_an_announcement_is_bounded_plain_text(said: list[Said], qtbot: QtBot) -> None:
    label = QLabel("x")
    qtbot.addWidget(label)
    announce(label, "平台说：" + "长" * 5000 + "\u202e")
    (one,) = said
    assert len(one.text) == MAX_ANNOUNCED_CHARS + 1 and one.text.endswith("…")


def test_nothing_is_sent_while_no_assistive_technology_listens(
    monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    sent: list[object] = []
    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(sent.append))
    assert not QAccessible.isActive()  # offscreen: no bridge
    label = QLabel("x")
    qtbot.addWidget(label)
    announce(label, "anything")
    assert sent == []


# -- the guide ----------------------------------------------------------------------------------


def test_the_guide_has_the_same_topics_in_both_languages() -> None:
    zh_title, zh = read_guide("zh_CN")
    en_title, en = read_guide("en")
    assert zh_title == "一端通使用指南" and en_title == "Yiduantong guide"
    assert len(zh) == len(en) >= 10
    assert [t.key for t in zh] == [t.key for t in en]
    assert zh[-1].key == en[-1].key == CONTACT
    assert all(t.title and t.text for t in (*zh, *en))
    # Short titles: the topics list is narrow on a 1366×768 screen at 150 %.
    assert max(len(t.title) for t in zh) <= 8


def test_the_guide_window_names_every_control_and_goes_by_keyboard(qtbot: QtBot) -> None:
    window = HelpWindow(SUPPORT, "en")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    assert window.windowTitle() == "Yiduantong guide"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.topics)  # the topics first
    for row in range(window.topics.count()):
        window.topics.setCurrentRow(row)
        assert unnamed(window) == [], window.guide[row].title
    # A text topic: the topics, the text (its name the topic's title), 关闭.
    window.topics.setCurrentRow(0)
    text = QAccessible.queryAccessibleInterface(window.text)
    assert text.text(QAccessible.Text.Name) == "Sign in once"
    assert "Sign in" in window.text.toPlainText()
    assert tab_round(window) == [window.topics, window.text, window.close_button]
    # Arrow keys choose a topic.
    window.topics.setFocus()
    QTest.keyClick(window.topics, Qt.Key.Key_Down)
    assert window.current_topic() is window.guide[1]
    assert window.text.accessibleName() == window.guide[1].title
    # The contact: its fields and 复制 buttons in reading order.
    window.show_topic(CONTACT)
    contact = window.contact
    assert tab_round(window) == [
        window.topics, contact.values["phone"], contact.copy_buttons["phone"],
        contact.values["email"], contact.copy_buttons["email"], window.close_button,
    ]
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def tab_round(window: QWidget) -> list[QWidget]:
    """The widgets Tab visits from the topics list until it is back there."""
    start = window.findChild(QWidget, "helpTopics")
    assert start is not None
    start.setFocus()
    seen: list[QWidget] = [start]
    for _ in range(20):
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is start:
            return seen
        assert now is not None
        seen.append(now)
    raise AssertionError(f"Tab never came back: {seen}")


# -- the county IT team -----------------------------------------------------------------------


def test_the_contact_panel_shows_the_county_s_words_as_plain_text(qtbot: QtBot) -> None:
    hostile = SupportContact(name='<img src="/dev/zero">运维组', phone="12345",
                             email="it@county.example", note="<b>bold</b>")
    panel = ContactPanel(hostile)
    qtbot.addWidget(panel)
    for key in ("name", "note"):
        label = panel.values[key]
        assert isinstance(label, QLabel) and label.textFormat() == Qt.TextFormat.PlainText
    assert panel.values["name"].text() == '<img src="/dev/zero">运维组'
    assert QAccessible.queryAccessibleInterface(panel.values["phone"]).text(
        QAccessible.Text.Name) == "Phone: 12345"
    phone = panel.values["phone"]
    assert isinstance(phone, QLineEdit) and phone.isReadOnly()
    assert unnamed(panel) == []


def test_copy_puts_the_number_on_the_clipboard_and_says_so(
    said: list[Said], qtbot: QtBot
) -> None:
    panel = ContactPanel(SUPPORT)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.mouseClick(panel.copy_buttons["phone"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "0572-5123456 转 8001"
    assert [s.text for s in said] == ["Phone number copied."]
    qtbot.mouseClick(panel.copy_buttons["email"], Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "help@county.example"


def test_without_a_contact_the_panel_says_the_county_file_gives_none(qtbot: QtBot) -> None:
    panel = ContactPanel(None)
    qtbot.addWidget(panel)
    assert panel.none_label is not None
    assert "county file gives no contact" in panel.none_label.text()
    assert panel.values == {} and contact_line(None) == ""


def test_the_help_window_follows_the_county_it_is_given(qtbot: QtBot) -> None:
    window = HelpWindow(None, "en")
    qtbot.addWidget(window)
    window.show_topic(CONTACT)
    assert window.contact.none_label is not None
    window.set_support(SUPPORT)
    assert window.contact.values["email"].text() == "help@county.example"


@pytest.mark.parametrize(
    ("error", "named"),
    [
        (KeyringUnavailable("the OS keyring cannot be read"), True),
        (AuthError("no route", AuthReason.NETWORK), True),  # "…if it keeps happening, contact…"
        (AuthError("bad config", AuthReason.CONFIG), True),
        (AuthError("expired", AuthReason.EXPIRED), False),  # "sign in again": nobody to call
    ],
)
def test_sign_in_errors_that_say_to_call_the_it_team_name_it(
    error: Exception, named: bool
) -> None:
    line = contact_line(SUPPORT)
    assert line == ("County IT team: 示范县信息化服务台, phone 0572-5123456 转 8001, "
                    "e-mail help@county.example")
    text = sign_in_error(error, line).text
    assert (line in text) is named
    assert sign_in_error(error).text == text.replace("\n" + line, "")


def test_qt_s_own_unnamed_controls_get_names(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    search = QLineEdit(root)
    search.setClearButtonEnabled(True)
    name_qt_controls(root)
    (clear,) = search.findChildren(QToolButton)
    assert QAccessible.queryAccessibleInterface(clear).text(QAccessible.Text.Name) == "Clear"


def test_the_guide_fits_a_small_screen_with_the_largest_text(qtbot: QtBot) -> None:
    """1366×768 at 150 % leaves 911×512 (less the title bar); with 特大文字 (18 pt) the guide's
    window still fits: its text, the topics and the contact scroll instead of growing."""
    window = HelpWindow(SUPPORT, "zh_CN")
    qtbot.addWidget(window)
    font = window.font()
    font.setPointSize(18)
    window.setFont(font)
    for key in ("0", CONTACT):
        window.show_topic(key)
        hint = window.minimumSizeHint()
        assert hint.width() <= 911 and hint.height() <= 512 - 40, (key, hint)
