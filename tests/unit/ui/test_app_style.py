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
    QToolBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from launcher.ui.app import BODY_POINT_SIZE, PLACEHOLDER_COLOUR, TEXT_COLOUR

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
    assert placeholder.name() == PLACEHOLDER_COLOUR and placeholder.alpha() == 255


def test_the_style_sheet_still_styles_the_widgets_it_names(qtbot: QtBot) -> None:
    empty = QLabel("Loading…")
    empty.setObjectName("emptyState")
    qtbot.addWidget(empty)
    empty.ensurePolished()
    assert empty.font().pointSize() == 13
    assert empty.palette().color(QPalette.ColorRole.WindowText).name() == "#4a525c"


def test_the_style_sheet_sets_what_the_first_frame_would_need_the_qt_namespace_for(
    qtbot: QtBot,
) -> None:
    """The empty-state text is centred and the main toolbar shows text only by the style sheet
    (qproperty-…), so the window's first frame needs no enum of PySide6's Qt namespace."""
    empty = QLabel("Loading…")
    empty.setObjectName("emptyState")
    toolbar = QToolBar("Main toolbar")
    toolbar.setObjectName("mainToolbar")
    for widget in (empty, toolbar):
        qtbot.addWidget(widget)
        widget.ensurePolished()
    assert empty.alignment() == Qt.AlignmentFlag.AlignCenter
    assert toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextOnly
