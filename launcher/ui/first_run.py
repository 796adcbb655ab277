"""First start without a county file: offer the built-in demo county instead of failing."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from launcher.core import paths
from launcher.ui import i18n
from launcher.ui.app import ensure_application

# lupdate finds strings in calls named translate(...), not in other aliases.
translate = QCoreApplication.translate


def offer_demo(lang: str | None) -> bool:
    """Ask whether to open the demo county; True when the user accepts."""
    language = lang if lang in i18n.LANGUAGES else i18n.saved_language()
    ensure_application(language)
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(translate("FirstRun", "No county configured"))
    box.setText(translate("FirstRun", "No county is configured on this computer yet."))
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
