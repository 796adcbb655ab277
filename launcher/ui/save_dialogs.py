"""Where a page's files go: the save dialog (with the folder last chosen), the print dialog, and
opening a folder in the file manager.

Callers use them through this module (``save_dialogs.ask_save_path(…)``), so that tests can
answer for the person.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from launcher.ui.plain_text import bounded

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

_LAST_FOLDER = "downloads/last_folder"
MAX_NAME_CHARS = 120
# Characters no file name may hold on Windows (and "/" nowhere), plus the controls bounded() keeps.
_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def file_name(text: str, fallback: str) -> str:
    """A file name made from outside text (a page's title, a server's suggestion): one line, no
    path, no control or direction-changing characters, not too long; ``fallback`` if nothing is
    left."""
    name = _NOT_IN_NAMES.sub("_", bounded(text, MAX_NAME_CHARS, lines=1).rstrip("…"))
    name = name.strip(" .")
    return name or fallback


def last_folder(settings: QSettings) -> Path:
    """The folder the person last saved a page's file in (the Downloads folder at first)."""
    saved = settings.value(_LAST_FOLDER, "")
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
    return Path(found) if found else Path.home()


def remember_folder(settings: QSettings, path: str) -> None:
    settings.setValue(_LAST_FOLDER, str(Path(path).parent))


def ask_save_path(parent: QWidget, caption: str, suggested: Path, filters: str = "") -> str:
    """The file the person chose to save to ('' if they cancelled)."""
    path, _chosen = QFileDialog.getSaveFileName(parent, caption, str(suggested), filters)
    return path


def ask_printer(parent: QWidget, printer: QPrinter) -> bool:
    """The print dialog for ``printer``; True when the person chose to print."""
    from PySide6.QtPrintSupport import QPrintDialog

    dialog = QPrintDialog(printer, parent)
    return bool(dialog.exec() == QPrintDialog.DialogCode.Accepted)


def open_folder(folder: Path) -> None:
    """Show ``folder`` in the file manager (never the file itself: a download is not opened)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
