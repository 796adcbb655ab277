"""The look set up by launcher.ui.app: body text in 12 pt and TEXT_COLOUR in every kind of widget
and every state (from the application font and palette, not from a style-sheet rule for every
widget), with the style sheet's own rules still on top."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from launcher.ui.app import BODY_POINT_SIZE, TEXT_COLOUR

KINDS = [
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QComboBox,
    QMenu,
    QTabBar,
    lambda: QHeaderView(Qt.Orientation.Horizontal),
]
GROUPS = (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled)
ROLES = (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText)


@pytest.mark.parametrize("make", KINDS)
def test_every_kind_of_widget_gets_the_body_size_and_text_colour(qtbot: QtBot, make: type) -> None:
    widget: QWidget = make()
    qtbot.addWidget(widget)
    widget.setEnabled(False)  # a disabled widget's text too, unless the style sheet says otherwise
    widget.ensurePolished()
    assert widget.font().pointSize() == QApplication.font().pointSize() >= BODY_POINT_SIZE
    palette = widget.palette()
    assert {palette.color(g, r).name() for g in GROUPS for r in ROLES} == {TEXT_COLOUR}
    placeholder = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
    assert placeholder.name() == TEXT_COLOUR and placeholder.alpha() == 128


def test_the_style_sheet_still_styles_the_widgets_it_names(qtbot: QtBot) -> None:
    empty = QLabel("Loading…")
    empty.setObjectName("emptyState")
    qtbot.addWidget(empty)
    empty.ensurePolished()
    assert empty.font().pointSize() == 13
    assert empty.palette().color(QPalette.ColorRole.WindowText).name() == "#4a525c"
