"""First start without a county file: offer the demo county instead of failing; and saying so in
the window when the demo county is asked for and not installed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from launcher.core import paths
from launcher.core.demo import INSTALL_COMMAND
from launcher.ui import i18n
from launcher.ui.app import ensure_application

# lupdate finds strings in calls named translate(...), not in other aliases.
translate = QCoreApplication.translate


def offer_demo(lang: str | None, *, available: bool = True) -> bool:
    """Ask whether to open the demo county; True when the user accepts. When the demo county is
    not ``available`` (not installed), only say where the county file goes; False."""
    language = lang if lang in i18n.LANGUAGES else i18n.saved_language()
    ensure_application(language)
    box = QMessageBox()
    box.setWindowTitle(translate("FirstRun", "No county configured"))
    box.setText(translate("FirstRun", "No county is configured on this computer yet."))
    if not available:
        box.setIcon(QMessageBox.Icon.Information)
        box.setInformativeText(
            translate(
                "FirstRun",
                "Your county IT team provides a county file (county.toml); put it at {path}.",
            ).format(path=paths.config_file())
        )
        box.exec()
        return False
    box.setIcon(QMessageBox.Icon.Question)
    box.setInformativeText(
        translate(
            "FirstRun",
            "Your county IT team provides a county file (county.toml); put it at {path}. "
            "Meanwhile you can try the launcher on the built-in demo county. Open the demo county?",
        ).format(path=paths.config_file())
    )
    box.setStandardButtons(QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Open)
    return box.exec() == QMessageBox.StandardButton.Open


def say_demo_not_installed(lang: str | None) -> None:
    """``launcher --demo`` without the demo county installed: say so, and how to install it."""
    language = lang if lang in i18n.LANGUAGES else i18n.saved_language()
    ensure_application(language)
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("FirstRun", "Demo county not installed"))
    box.setText(translate("FirstRun", "The demo county is not installed on this computer."))
    box.setInformativeText(
        translate("FirstRun", "To install it, run: {command}").format(command=INSTALL_COMMAND)
    )
    box.exec()
