"""Names for the few controls Qt makes without one, which a screen reader would otherwise read as
"button" alone: a line edit's clear button (an icon, kept on screen and faded out while the
field is empty) and a toolbar's button for the actions that do not fit."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLineEdit, QToolBar, QToolButton, QWidget

translate = QCoreApplication.translate

CLEAR_ACTION = "_q_qlineeditclearaction"
"""The object name Qt gives a line edit's clear action, its button's default action."""
TOOLBAR_EXTENSION = "qt_toolbar_ext_button"


def name_qt_controls(root: QWidget) -> None:
    """Name the clear buttons of the line edits under ``root`` and its toolbars' extension
    buttons (call again for controls made later)."""
    for edit in root.findChildren(QLineEdit):
        for button in edit.findChildren(QToolButton):
            action = button.defaultAction()
            if action is not None and action.objectName() == CLEAR_ACTION:
                button.setAccessibleName(translate("AccessibleNames", "Clear"))
    for toolbar in root.findChildren(QToolBar):
        more = toolbar.findChild(QToolButton, TOOLBAR_EXTENSION)
        if more is not None and not more.accessibleName():
            more.setAccessibleName(translate("AccessibleNames", "More toolbar buttons"))
