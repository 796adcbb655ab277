"""Outside text is shown as plain text everywhere (issue 11, item 1).

A task titled ``<img src="/dev/zero">`` made Qt read /dev/zero when its inbox row was hovered,
and the launcher died. Here the image is a real picture in a temporary folder: every place that
shows a platform's, a manifest's or the provider's text is given that title (and a link), and
what Qt shows must be the characters themselves, with nothing loaded. ``shown`` (tests/unit/ui/
shown.py) does what Qt does with a tooltip's or label's text and records what the layout asks
for; ``test_qt_itself_reads_no_image`` shows the same texts in real tooltips and labels and
checks that the picture file is never read.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QPixmapCache
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.notify import OVERDUE, Notice
from launcher.core.inbox.service import PlatformState
from launcher.ui.banner import SignInBanner
from launcher.ui.inbox_model import InboxModel
from launcher.ui.inbox_view import InboxView
from launcher.ui.mark_done import MarkDone
from launcher.ui.plain_text import PlainLabel, bounded, notification_text, tooltip
from launcher.ui.platform_states import PlatformStatePanel
from launcher.ui.status_bar import StatusLabel
from launcher.ui.tiles import FAILED, PlatformTile, TileInfo
from launcher.ui.tray import TrayController
from tests.unit.ui.shown import Shown, label_shown, shown

TOOLTIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def picture(tmp_path: Path) -> Path:
    path = tmp_path / "picture.png"
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    image.fill(0xFF0000)
    assert image.save(str(path))
    return path


@pytest.fixture
def hostile(picture: Path) -> str:
    """A title that, taken for HTML, loads a picture and carries a link."""
    return f'<img src="{picture}"> <a href="http://evil.example/">点此</a> &lt;b&gt;'


def harmless(result: Shown, hostile: str) -> None:
    assert result.loads == [], f"showing it loads {result.loads}"
    assert hostile in result.text, f"shown as {result.text!r}"


# --- each place that shows outside text -----------------------------------------------------

def test_an_inbox_rows_tooltip(qtbot: QtBot, hostile: str) -> None:
    model = InboxModel(lambda pid: hostile if pid == "demo.a" else "其他平台")
    item = TaskItem("demo.a", "1", hostile, "http://127.0.0.1/1", subject=hostile)
    other = TaskItem("demo.b", "2", "x", "http://127.0.0.1/2")
    model.set_groups([TaskGroup("g", (item, other))])
    tip = model.data(model.index(0, InboxModel.TITLE), TOOLTIP_ROLE)
    harmless(shown(tip), hostile)
    assert shown(tip).text.count(hostile) == 3  # title, subject, platform name


def test_a_platform_states_tooltip_and_list(qtbot: QtBot, hostile: str) -> None:
    panel = PlatformStatePanel()
    qtbot.addWidget(panel)
    state = PlatformState("demo.a", "failed", "platform", f"GET /x: HTTP 500 {hostile}",
                          datetime(2026, 11, 1, tzinfo=UTC), 3)
    panel.set_states({"demo.a": state}, lambda pid: hostile)
    item = panel.details.topLevelItem(0)
    assert item is not None
    harmless(shown(item.toolTip(PlatformStatePanel.DETAIL)), hostile)
    assert item.text(PlatformStatePanel.NAME) == hostile  # an item view draws plain text
    harmless(label_shown(panel.summary), panel.summary.text())


def test_the_tray_notice_in_the_status_bar(qtbot: QtBot, hostile: str) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = TrayController(window, available=False, platform_name=lambda pid: hostile)
    task = TaskItem("demo.a", "1", hostile, "http://127.0.0.1/1", subject="王家")
    tray.notify([Notice(OVERDUE, (task.key,), TaskGroup(task.key, (task,)), {OVERDUE: 1}),
                 Notice(OVERDUE, ("demo.a/2",), None, {OVERDUE: 1})])
    label = tray.notice_label
    assert label.textFormat() == Qt.TextFormat.RichText  # for its link alone
    harmless(label_shown(label), hostile)
    harmless(shown(label.toolTip()), hostile)
    tray.close()


def test_a_desktop_notification_has_no_markup(qtbot: QtBot, hostile: str,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    tray = TrayController(window, available=True, platform_name=lambda pid: hostile)
    sent: list[tuple[str, str]] = []
    monkeypatch.setattr(tray.icon, "showMessage", lambda title, body, *_: sent.append(
        (title, body)))
    monkeypatch.setattr("launcher.ui.tray.QSystemTrayIcon.supportsMessages", lambda: True)
    task = TaskItem("demo.a", "1", hostile, "http://127.0.0.1/1", subject=hostile)
    tray.notify([Notice(OVERDUE, (task.key,), TaskGroup(task.key, (task,)), {OVERDUE: 1})])
    [(title, body)] = sent
    for text in (title, body):
        assert not set("<>&") & set(text)
    assert notification_text(hostile) in body  # the words stay, in full-width forms
    tray.close()


def test_a_tiles_tooltip_and_name(qtbot: QtBot, hostile: str) -> None:
    tile = PlatformTile(TileInfo("demo.a", hostile, "http://127.0.0.1/"))
    qtbot.addWidget(tile)
    tile.set_state(FAILED, 2, f"The platform reported an error.\nHTTP 500 {hostile}")
    harmless(shown(tile.toolTip()), hostile)
    harmless(label_shown(tile._name), hostile)


def test_the_mark_done_refusal_box(qtbot: QtBot, hostile: str) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    marker = MarkDone(None, lambda pid: hostile, parent)  # type: ignore[arg-type]
    marker.show_problem(f"{hostile}: the platform refused\nDetail: {hostile}")
    box = marker.message_box
    assert box is not None
    labels = {label.objectName(): label for label in box.findChildren(QLabel)}
    harmless(label_shown(labels["qt_msgbox_informativelabel"]), hostile)
    box.close()


def test_the_sign_in_again_bar(qtbot: QtBot, hostile: str) -> None:
    banner = SignInBanner()
    qtbot.addWidget(banner)
    banner.show_platforms(["demo.a"], [hostile])
    harmless(label_shown(banner.message), hostile)


def test_the_user_name_in_the_status_bar(qtbot: QtBot, hostile: str) -> None:
    label = StatusLabel()
    qtbot.addWidget(label)
    label.setText(f"Signed in: {hostile}")  # the provider's name for the user
    harmless(label_shown(label), hostile)
    harmless(shown(label.toolTip()), hostile)


def test_the_inbox_progress_line_naming_a_platform(qtbot: QtBot, hostile: str) -> None:
    view = InboxView(InboxModel())
    qtbot.addWidget(view)
    view.set_busy(f"Marking done on {hostile} (1/2)…")  # a platform name from its manifest
    harmless(label_shown(view.progress), hostile)


# --- the rule itself --------------------------------------------------------------------------

def test_tooltip_shows_its_parts_exactly_and_bounded() -> None:
    assert shown(tooltip("a < b & c > d", "第二行")).text == "a < b & c > d\n第二行"
    assert tooltip("", "") == ""
    long = shown(tooltip("x" * 100_000)).text
    assert len(long) <= 501 and long.endswith("…")


def test_bounded_removes_what_could_reorder_the_text() -> None:
    # A right-to-left override would show "exe.txt" as "txt.exe".
    assert bounded("report\u202etxt.exe\x00") == "reporttxt.exe"
    assert bounded("a\r\nb") == "a\nb"
    assert bounded("\n".join("x" * 20), lines=3) == "x\nx\nx…"


def test_a_plain_label_switches_only_for_a_text_qt_would_take_for_html(qtbot: QtBot,
                                                                        hostile: str) -> None:
    label = PlainLabel("已更新 09:30")
    qtbot.addWidget(label)
    assert label.textFormat() == Qt.TextFormat.AutoText  # no Qt namespace needed before
    label.setText(hostile)
    assert label.textFormat() == Qt.TextFormat.PlainText
    made = PlainLabel(hostile)
    qtbot.addWidget(made)
    assert made.textFormat() == Qt.TextFormat.PlainText


# --- Qt itself ----------------------------------------------------------------------------------

@pytest.fixture
def reads(picture: Path) -> Iterator[Callable[[Callable[[], object]], bool]]:
    """``reads(action)``: whether Qt read the picture file while ``action`` ran (its access time
    moves: the file's access time is set before its change time, so even a relatime mount
    records the next read)."""

    def did_read(action: Callable[[], object]) -> bool:
        stat = os.stat(picture)
        os.utime(picture, (stat.st_mtime - 1000, stat.st_mtime))
        before = os.stat(picture).st_atime
        QPixmapCache.clear()  # Qt keeps images it loaded by their address
        action()
        QApplication.processEvents()
        return os.stat(picture).st_atime != before

    if not did_read(lambda: picture.read_bytes()):
        pytest.skip("this file system records no access times")
    yield did_read
    QToolTip.hideText()


def test_qt_itself_reads_no_image(qtbot: QtBot, hostile: str,
                                  reads: Callable[[Callable[[], object]], bool]) -> None:
    anchor = QWidget()
    qtbot.addWidget(anchor)
    anchor.show()

    def tooltip_of(text: str) -> None:
        QToolTip.showText(QPoint(20, 20), text, anchor)
        QApplication.processEvents()

    def painted(widget: QWidget) -> None:
        qtbot.addWidget(widget)
        widget.show()
        widget.grab()

    # The check sees what it must: the raw title in a tooltip or a label makes Qt read the file.
    assert reads(lambda: tooltip_of(hostile))
    QToolTip.hideText()
    assert reads(lambda: painted(QLabel(hostile)))

    def everything() -> None:
        model = InboxModel()
        item = TaskItem("demo.a", "1", hostile, "http://127.0.0.1/", subject=hostile)
        model.set_groups([TaskGroup("g", (item,))])
        tooltip_of(model.data(model.index(0, InboxModel.TITLE), TOOLTIP_ROLE))
        tile = PlatformTile(TileInfo("demo.a", hostile, "http://127.0.0.1/"))
        tile.set_state(FAILED, 1, hostile)
        painted(tile)
        tooltip_of(tile.toolTip())
        marker = MarkDone(None, lambda pid: hostile, anchor)  # type: ignore[arg-type]
        marker.show_problem(hostile)
        assert marker.message_box is not None
        marker.message_box.grab()
        marker.message_box.close()
        status = StatusLabel()
        status.setText(hostile)
        painted(status)
        tooltip_of(status.toolTip())
        banner = SignInBanner()
        banner.show_platforms(["demo.a"], [hostile])
        painted(banner)

    assert not reads(everything)
