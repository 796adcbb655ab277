"""Names for the few controls Qt makes without one, which a screen reader would otherwise read as
"button" alone: a line edit's clear button (an icon, kept on screen and faded out while the
field is empty) and a toolbar's button for the actions that do not fit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolButton, QWidget

translate = QCoreApplication.translate

CLEAR_ACTION = "_q_qlineeditclearaction"
"""The object name Qt gives a line edit's clear action, its button's default action."""
TOOLBAR_EXTENSION = "qt_toolbar_ext_button"


def name_qt_controls(root: QWidget) -> None:
    """Name the clear buttons of the line edits under ``root`` and its toolbars' extension
    buttons (call again for controls made later). Found by Qt's object names: only they are
    wrapped for Python (the window has hundreds of widgets)."""
    for action in root.findChildren(QAction, CLEAR_ACTION):
        for button in action.associatedObjects():
            if isinstance(button, QToolButton) and not button.accessibleName():
                button.setAccessibleName(translate("AccessibleNames", "Clear"))
    for more in root.findChildren(QToolButton, TOOLBAR_EXTENSION):
        if not more.accessibleName():
            more.setAccessibleName(translate("AccessibleNames", "More toolbar buttons"))
