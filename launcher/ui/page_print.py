"""``PagePrint``: print a web tab's page (Ctrl+P, or the page's own window.print()) and save it
as a PDF file the person chooses.

Both are Chromium's own and asynchronous (``QWebEngineView.print``, ``QWebEnginePage.printToPdf``);
the outcome is said in the status bar. One at a time per page: a page calling window.print()
again meanwhile is ignored, so a page cannot stack print dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QSettings
from PySide6.QtWidgets import QWidget

from launcher.ui import save_dialogs

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter

    from launcher.ui.web import WebTab

translate = QCoreApplication.translate


class PagePrint(QObject):
    """Printing and PDF files for the window's web tabs."""

    def __init__(
        self,
        window: QWidget,
        settings: QSettings,
        status: Callable[[str], None],
        *,
        page_name: Callable[[WebTab], str],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._status = status
        self._page_name = page_name
        self._busy: dict[int, QPrinter | None] = {}
        """Pages printing or saving now (by id), with the printer kept alive meanwhile."""

    def busy(self, tab: WebTab) -> bool:
        """True while ``tab``'s page is being printed or saved as PDF."""
        return id(tab.page) in self._busy

    def print_tab(self, tab: WebTab) -> None:
        """The print dialog, then the page to the printer the person chose."""
        from PySide6.QtPrintSupport import QPrinter

        if id(tab.page) in self._busy:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._page_name(tab))
        self._busy[id(tab.page)] = printer
        page_id = id(tab.page)
        if not save_dialogs.ask_printer(self._window, printer) or not shiboken6.isValid(tab):
            del self._busy[page_id]  # cancelled, or the tab closed meanwhile
            return
        view = tab.view

        def finished(ok: bool) -> None:
            view.printFinished.disconnect(finished)
            self._busy.pop(page_id, None)
            self._status(
                translate("PagePrint", "Sent the page to the printer.")
                if ok
                else translate("PagePrint", "The page could not be printed.")
            )

        view.printFinished.connect(finished)
        view.print(printer)

    def save_pdf(self, tab: WebTab) -> None:
        """Ask where, then save the page as a PDF file there."""
        page = tab.page
        if id(page) in self._busy:
            return
        name = save_dialogs.file_name(self._page_name(tab), "page") + ".pdf"
        path = save_dialogs.ask_save_path(
            self._window,
            translate("PagePrint", "Save page as PDF"),
            save_dialogs.last_folder(self._settings) / name,
            translate("PagePrint", "PDF files (*.pdf)"),
        )
        if not path or not shiboken6.isValid(page):
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        save_dialogs.remember_folder(self._settings, path)
        self._busy[id(page)] = None

        def finished(file_path: str, ok: bool) -> None:
            page.pdfPrintingFinished.disconnect(finished)
            self._busy.pop(id(page), None)
            shown = Path(file_path).name
            self._status(
                translate("PagePrint", "Saved the page as {file}.").format(file=shown)
                if ok
                else translate("PagePrint", "The page could not be saved as {file}.").format(
                    file=shown
                )
            )

        page.pdfPrintingFinished.connect(finished)
        page.printToPdf(path)
