"""The window's small message boxes: the county's loading problems, About, the language note.

Their words keep the window's translation context (``MainWindow``). Imported when first shown.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

translate = QCoreApplication.translate


def show_problems(parent: QWidget, errors: list[str]) -> None:
    """List every county entry or manifest that was skipped, naming file, key and problem."""
    from launcher.ui.plain_text import bounded, plain_message_box

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(translate("MainWindow", "Loading problems"))
    box.setText(
        translate(
            "MainWindow",
            "These platforms were skipped; the others work as usual. Tell your county IT team:",
        )
    )
    box.setDetailedText("\n\n".join(errors))
    # The problems quote the files (a hostile manifest's values): shown as plain text.
    plain_message_box(box)
    box.setInformativeText("\n".join(bounded(e) for e in errors[:5]))
    box.exec()


def say_language_after_restart(parent: QWidget) -> None:
    # Strings are translated once, when the window is built: the new language needs a restart.
    QMessageBox.information(
        parent,
        translate("MainWindow", "Language"),
        translate("MainWindow", "The new language takes effect the next time the launcher starts."),
    )


def show_about(parent: QWidget) -> None:
    from launcher import __version__

    QMessageBox.about(
        parent,
        translate("MainWindow", "About Yiduantong"),
        translate(
            "MainWindow",
            "<h3>Yiduantong {version}</h3><p>One entry, one login, one inbox and one "
            "table for township staff.</p>",
        ).format(version=__version__),
    )
