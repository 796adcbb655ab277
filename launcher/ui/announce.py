"""Saying a change to a screen reader: ``announce(source, text, assertive=)`` sends Qt's
announcement event (``QAccessibleAnnouncementEvent``, Qt 6.8), which reaches the screen reader
through the platform's accessibility bridge (AT-SPI's ``object:announcement`` on Linux, which
tests/e2e/test_screen_reader.py receives; on Windows and macOS, Qt's own bridges to UI Automation
and NSAccessibility, untested here).

Polite by default: said after what the screen reader is saying. Assertive for failures: said at
once. Nothing is sent while no assistive technology is listening (``QAccessible.isActive``).
What the window announces, and when, is in launcher/ui/announcements.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from launcher.ui.plain_text import bounded

if TYPE_CHECKING:
    from PySide6.QtCore import QObject

MAX_ANNOUNCED_CHARS = 300
"""An announcement is a sentence or two; a longer text (a platform's message in it) is cut."""


def announce(source: QObject, text: str, *, assertive: bool = False) -> None:
    """Have a screen reader say ``text`` (plain text), as coming from ``source`` (a widget of
    the window the person is in)."""
    # Imported here: the window's parts are made before its cached tasks show, and these Qt
    # types (with their enums) are needed only once something is said.
    from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

    if not text or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(source, bounded(text, MAX_ANNOUNCED_CHARS, lines=3))
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if assertive
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)
