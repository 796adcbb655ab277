"""Reading the launcher as assistive technology does, for the tests: the controls of a widget as
Qt's accessibility interfaces present them (``unnamed``: the shown controls without a name), and
``catch_announcements``, which keeps the announcements the launcher hands to Qt
(``QAccessible.updateAccessibility``) as if an assistive technology were listening. Qt's offscreen
platform has no accessibility bridge to pass them on; tests/e2e/test_screen_reader.py reads them
as a screen reader does, over AT-SPI."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget

INTERACTIVE = {
    QAccessible.Role.PushButton, QAccessible.Role.CheckBox, QAccessible.Role.RadioButton,
    QAccessible.Role.ComboBox, QAccessible.Role.EditableText, QAccessible.Role.SpinBox,
    QAccessible.Role.List, QAccessible.Role.Table, QAccessible.Role.Tree,
    QAccessible.Role.PageTab, QAccessible.Role.MenuItem, QAccessible.Role.Link,
}
ITEM_VIEWS = {QAccessible.Role.List, QAccessible.Role.Table, QAccessible.Role.Tree,
              QAccessible.Role.ComboBox}


@dataclass(frozen=True)
class Said:
    text: str
    assertive: bool
    source: QObject


def catch_announcements(monkeypatch: pytest.MonkeyPatch) -> list[Said]:
    """The announcements handed to Qt from now on (until ``monkeypatch`` is undone), oldest
    first."""
    got: list[Said] = []

    def update(event: object) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            assertive = event.politeness() == QAccessible.AnnouncementPoliteness.Assertive
            got.append(Said(event.message(), assertive, event.object()))

    monkeypatch.setattr(QAccessible, "isActive", staticmethod(lambda: True))
    monkeypatch.setattr(QAccessible, "updateAccessibility", staticmethod(update))
    return got


def accessible_controls(widget: QWidget) -> Iterator[Any]:
    """The shown objects under ``widget`` as the accessibility interfaces present them (the
    rows of lists, tables and combo boxes are left out: their names are their texts)."""
    stack = [QAccessible.queryAccessibleInterface(widget)]
    while stack:
        iface = stack.pop()
        if iface is None or iface.state().invisible:
            continue
        yield iface
        if iface.role() not in ITEM_VIEWS:
            stack.extend(iface.child(i) for i in range(iface.childCount()))


def unnamed(widget: QWidget) -> list[str]:
    """The shown controls (buttons, fields, lists, tabs…) under ``widget`` without a name."""
    return [
        f"{iface.role().name} {iface.object()!r}"
        for iface in accessible_controls(widget)
        if iface.role() in INTERACTIVE and not iface.text(QAccessible.Text.Name).strip()
    ]
