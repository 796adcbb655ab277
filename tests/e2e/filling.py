"""Pressing 填表 in a real window as a person does: the preview shows, the person ticks (or not)
the sensitive fields and presses 填入 (Enter) or 取消 (Esc); what ``fill_finished`` reports."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow
from tests.e2e.signin import LOAD_TIMEOUT


def open_preview(qtbot: QtBot, window: MainWindow) -> None:
    """Press 填表 (the action, as Alt+F does) and wait for the preview to show the plan."""
    qtbot.waitUntil(window.fill_action.isEnabled, timeout=LOAD_TIMEOUT)
    with qtbot.waitSignal(window.filler.previewed, timeout=LOAD_TIMEOUT):
        window.fill_action.trigger()
    qtbot.waitUntil(window.filler.preview.isVisible)


def fill_with_preview(
    qtbot: QtBot, window: MainWindow, *, sensitive: bool = True
) -> dict[str, Any]:
    """填表, then (with ``sensitive``) 确认填入敏感信息, then Enter: what ``fill_finished``
    reported (at once, without a preview, when nothing could be planned: ``error``, ``why``)."""
    qtbot.waitUntil(window.fill_action.isEnabled, timeout=LOAD_TIMEOUT)
    finished: list[dict[str, Any]] = []
    window.fill_finished.connect(finished.append)
    try:
        window.fill_action.trigger()
        preview = window.filler.preview
        qtbot.waitUntil(lambda: bool(finished) or preview.waiting(), timeout=LOAD_TIMEOUT)
        if finished:
            return finished[0]
        if sensitive and preview.confirm_sensitive.isVisible():
            qtbot.mouseClick(preview.confirm_sensitive, Qt.MouseButton.LeftButton)
        QTest.keyClick(preview.focusWidget() or preview, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: bool(finished), timeout=LOAD_TIMEOUT)
        return finished[0]
    finally:
        window.fill_finished.disconnect(finished.append)
