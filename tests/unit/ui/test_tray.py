"""The tray icon: the pending count painted on it and in its tooltip, the tray menu, notifications
one at a time whose click opens the task (or the inbox), and the fallback without a system tray.

A real QSystemTrayIcon under the offscreen platform: it exists (and keeps its icon, tooltip and
menu) although no tray shows it. No notification daemon runs headless either, so where a test
needs a notification clicked, it emits the icon's own ``messageClicked`` signal, as Qt does when
the user clicks the shown message.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMainWindow, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from launcher.api import TaskGroup, TaskItem
from launcher.core.inbox.notify import DUE_SOON, NEW, OVERDUE, Notice
from launcher.ui.tray import BADGE_COLOUR, TrayController, badge_text
from tests.unit.ui.shown import shown

NOW = datetime.now(UTC)
NAMES = {"demo.anquan": "Safety", "demo.zhifa": "Enforcement"}


def notice(kind: str, task_id: str, *, due: datetime | None = None,
           platforms: tuple[str, ...] = ("demo.anquan",), subject: str | None = None) -> Notice:
    items = tuple(
        TaskItem(platform=p, id=task_id, title=f"Inspect shop {task_id}",
                 url=f"http://127.0.0.1:9101/tasks/{task_id}", due=due, subject=subject)
        for p in platforms
    )
    return Notice(kind, tuple(i.key for i in items), TaskGroup(items[0].key, items), {kind: 1})


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[QMainWindow]:
    main = QMainWindow()
    qtbot.addWidget(main)
    main.setWindowTitle("Yiduantong — Demo County")
    yield main


def tray_for(window: QMainWindow, *, available: bool) -> TrayController:
    return TrayController(window, platform_name=lambda p: NAMES.get(p, p), available=available)


def badge_pixels(tray: TrayController) -> int:
    """How many pixels of the icon's top right quarter are the badge's red."""
    image = tray.icon.icon().pixmap(64, 64).toImage().convertToFormat(QImage.Format.Format_ARGB32)
    red = 0
    for x in range(image.width() // 2, image.width()):
        for y in range(image.height() // 2):
            if QColor(image.pixel(x, y)) == BADGE_COLOUR:
                red += 1
    return red


def test_the_count_is_painted_on_the_icon_and_named_in_the_tooltip(window):
    tray = tray_for(window, available=False)
    assert tray.icon.toolTip() == "Yiduantong"  # nobody signed in: no number at all
    assert badge_pixels(tray) == 0
    tray.set_count(12)
    assert tray.icon.toolTip() == "Yiduantong — 12 pending"
    assert badge_pixels(tray) > 100
    tray.set_count(0)
    assert tray.icon.toolTip() == "Yiduantong — 0 pending"
    assert badge_pixels(tray) == 0
    assert [badge_text(n) for n in (0, 1, 99, 100, 2000)] == ["", "1", "99", "99+", "99+"]


def test_the_tray_menu_opens_refreshes_and_quits(window, qtbot):
    from PySide6.QtGui import QAction

    tray = tray_for(window, available=False)
    refreshed: list[bool] = []
    refresh = QAction("Refresh", window)
    refresh.triggered.connect(lambda: refreshed.append(True))
    tray.add_actions([refresh, QAction("Quit", window)])
    texts = [a.text() for a in tray.icon.contextMenu().actions() if not a.isSeparator()]
    assert texts == ["Open Yiduantong", "Refresh", "Quit"]
    window.showMinimized()
    tray.open_action.trigger()
    qtbot.waitUntil(lambda: window.isVisible() and not window.isMinimized())
    refresh.trigger()
    assert refreshed == [True]
    window.hide()
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert window.isVisible()


def test_notifications_come_one_at_a_time_and_a_click_opens_the_task_shown(window, qtbot):
    tray = tray_for(window, available=True)
    try:
        late = notice(OVERDUE, "1", due=NOW - timedelta(hours=3),
                      platforms=("demo.anquan", "demo.zhifa"), subject="Wang's shop")
        soon = notice(DUE_SOON, "2", due=NOW + timedelta(hours=5))
        shown: list[Notice] = []
        tray.notice_shown.connect(shown.append)
        tray.notify([late, soon])
        assert shown == [late] and tray.shown is late and tray.pending_notices() == [soon]

        title, body = tray.message(late)
        assert title == "Overdue"
        local = late.due.astimezone().strftime("%Y-%m-%d %H:%M") if late.due else ""
        assert body.splitlines() == [
            "Inspect shop 1 (Wang's shop)",
            "Safety, Enforcement",
            f"Was due {local}",
        ]
        window.hide()
        # Headless: no notification daemon shows the message, so the click is emitted here.
        with qtbot.waitSignal(tray.task_requested) as opened:
            tray.icon.messageClicked.emit()
        assert opened.args == [late] and late.group is not None
        assert opened.args[0].url == "http://127.0.0.1:9101/tasks/1"
        assert window.isVisible()

        # The next one comes when the first has had its time (the pacing timer fires).
        tray._pacer.timeout.emit()
        assert shown == [late, soon] and tray.pending_notices() == []
        assert tray.message(soon)[0] == "Due within 24 hours"
        with qtbot.waitSignal(tray.task_requested) as opened:
            tray.icon.messageClicked.emit()
        assert opened.args == [soon]
    finally:
        tray.close()


def test_a_summary_click_shows_the_inbox_at_its_most_urgent_kind(window, qtbot):
    tray = tray_for(window, available=True)
    try:
        summary = Notice(OVERDUE, ("demo.anquan/3", "demo.anquan/4"), None,
                         {OVERDUE: 9, DUE_SOON: 2, NEW: 1})
        tray.notify([summary])
        title, body = tray.message(summary)
        assert title == "12 more tasks need attention"
        assert body.splitlines() == ["9 overdue, 2 due within 24 hours, 1 new",
                                     "Click to see them in the inbox."]
        with qtbot.assertNotEmitted(tray.task_requested), \
                qtbot.waitSignal(tray.inbox_requested) as shown:
            tray.icon.messageClicked.emit()
        assert shown.args == [OVERDUE]
    finally:
        tray.close()


def test_without_a_tray_the_count_goes_to_the_title_and_notices_to_the_status_bar(window, qtbot):
    tray = tray_for(window, available=False)
    window.show()
    assert not tray.icon.isVisible()
    tray.set_count(12)
    assert window.windowTitle() == "Yiduantong — Demo County (12)"
    tray.set_count(3)
    assert window.windowTitle() == "Yiduantong — Demo County (3)"
    window.setWindowTitle("Yiduantong — Other County")  # the window renamed itself meanwhile
    tray.set_count(5)
    assert window.windowTitle() == "Yiduantong — Other County (5)"

    late = notice(OVERDUE, "1", due=NOW - timedelta(hours=3))
    new = notice(NEW, "2")
    summary = Notice(NEW, ("demo.anquan/3", "demo.anquan/4"), None, {NEW: 2})
    window.statusBar().showMessage("Filled 5 fields.")
    tray.notify([late, new, summary])
    # A link in the status bar, beside (not instead of) the window's own messages.
    label = tray.notice_label
    assert label.isVisible() and window.statusBar().currentMessage() == "Filled 5 fields."
    assert label.accessibleName() == "Overdue: Inspect shop 1 (and 3 more)"
    assert shown(label.toolTip()).text.splitlines() == [
        "Overdue: Inspect shop 1", "New task: Inspect shop 2", "2 more tasks need attention"
    ]
    assert QApplication.activeModalWidget() is None  # never a dialog
    window.hide()
    with qtbot.waitSignal(tray.task_requested) as opened:
        label.linkActivated.emit("#notice")
    assert opened.args == [late] and window.isVisible() and not label.isVisible()

    tray.notify([new])
    assert label.isVisible() and label.accessibleName() == "New task: Inspect shop 2"
    tray.clear()  # signed out: no count, no task title left anywhere
    assert not label.isVisible() and label.text() == ""
    assert window.windowTitle() == "Yiduantong — Other County"
    assert tray.icon.toolTip() == "Yiduantong" and tray.shown is None
    with qtbot.assertNotEmitted(tray.task_requested):
        tray.icon.messageClicked.emit()


def test_signing_out_drops_the_waiting_notifications(window):
    tray = tray_for(window, available=True)
    try:
        tray.notify([notice(NEW, "1"), notice(NEW, "2"), notice(NEW, "3")])
        assert len(tray.pending_notices()) == 2
        tray.clear()
        assert tray.pending_notices() == [] and tray.shown is None
        tray._pacer.timeout.emit()
        assert tray.shown is None
    finally:
        tray.close()


def test_a_tray_that_appears_after_start_takes_the_count_from_the_title(
    window: QMainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The desktop's answer to "is there a tray?" is the one thing no headless program can give:
    # it is replaced here (no tray at first, then one), the rest is the real QSystemTrayIcon.
    import launcher.ui.tray as tray_module

    present = False
    monkeypatch.setattr(tray_module, "tray_available", lambda: present)
    monkeypatch.setattr(tray_module, "RECHECK_MS", 20)
    tray = TrayController(window, platform_name=lambda p: NAMES.get(p, p))
    window.show()
    assert not tray.available
    tray.set_count(7)
    assert window.windowTitle() == "Yiduantong — Demo County (7)"
    qtbot.wait(100)
    assert not tray.available, "looked for again, still none"
    present = True
    qtbot.waitUntil(lambda: tray.available)
    assert tray.icon.isVisible()
    assert window.windowTitle() == "Yiduantong — Demo County"
    tray.set_count(9)
    assert window.windowTitle() == "Yiduantong — Demo County"
    assert tray.icon.toolTip() == "Yiduantong — 9 pending"


def test_without_a_tray_it_is_looked_for_a_while_then_no_more(
    window: QMainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import launcher.ui.tray as tray_module

    looks: list[int] = []
    monkeypatch.setattr(tray_module, "tray_available", lambda: looks.append(1) or False)
    monkeypatch.setattr(tray_module, "RECHECK_MS", 5)
    monkeypatch.setattr(tray_module, "RECHECKS", 3)
    tray = TrayController(window)
    qtbot.wait(200)
    assert len(looks) == 1 + 3 and not tray.available


def test_a_moved_deadline_is_said_in_the_notification(window: QMainWindow) -> None:
    tray = tray_for(window, available=False)
    earlier = NOW + timedelta(hours=3)
    base = notice(DUE_SOON, "7", due=NOW + timedelta(hours=20))
    moved = Notice(base.kind, base.keys, base.group, base.counts, moved_from=earlier)
    local = earlier.astimezone().strftime("%Y-%m-%d %H:%M")
    assert tray.message(moved)[1].splitlines()[-1] == f"Deadline changed (was {local})"
    assert "Deadline changed" not in tray.message(base)[1]
