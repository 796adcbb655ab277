"""The question asked before quitting when something typed would be lost (MainWindow.closeEvent;
what counts is found in launcher/ui/unsaved.py): it names the unsaved profile and each page with
typed input, and offers 退出 (quit anyway) and 取消 (go back), 取消 by default."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from launcher.ui.plain_text import bounded, plain_message_box

translate = QCoreApplication.translate

TYPED, STAYS = "typed", "stays"
"""Why a page is named: the person typed into it, or its own beforeunload handler asked to stay
(the same words as launcher/ui/unsaved.py's)."""

NAME_CHARS = 40
"""A page's name (a platform's, or its title) is cut after this many characters."""


def lost_lines(profile: bool, pages: list[tuple[str, str]]) -> list[str]:
    """One line per thing quitting would lose: the profile, then each (name, why) page."""
    lines = []
    if profile:
        lines.append(translate("QuitQuestion", "Profile: changes not saved"))
    for name, why in pages:
        shown = bounded(name, NAME_CHARS, lines=1)
        if why == STAYS:
            text = translate("QuitQuestion", "{name}: the page says its changes are not saved")
        else:
            text = translate("QuitQuestion", "{name}: typed into a form, not sent yet")
        lines.append(text.format(name=shown))
    return lines


def quit_question(
    parent: QWidget, profile: bool, pages: list[tuple[str, str]]
) -> tuple[QMessageBox, QAbstractButton]:
    """The question, not shown yet (``open()`` it: window-modal, no nested event loop), and its
    退出 button; any other answer (取消, Esc, closing it) keeps the window."""
    box = plain_message_box(QMessageBox(parent))  # page titles are outside text
    box.setObjectName("quitQuestion")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("QuitQuestion", "Quit Yiduantong?"))
    lines = lost_lines(profile, pages)
    box.setText(
        translate("QuitQuestion", "What you typed has not been saved; quitting now loses it:")
        + "\n\n"
        + "\n".join("• " + line for line in lines)
    )
    box.setInformativeText(translate("QuitQuestion", "Go back to save it, or quit anyway."))
    quit_button = box.addButton(
        translate("QuitQuestion", "Quit"), QMessageBox.ButtonRole.DestructiveRole
    )
    cancel = box.addButton(translate("QuitQuestion", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    return box, quit_button
