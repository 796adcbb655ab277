"""账号 → 操作记录: the signed-in person's own audit log (launcher/app/audit.py), newest first, with
whether it is complete, and 导出 to a spreadsheet for the county (no values).

The log is read and exported on the window's workers (disk and keyring); the table shows plain
text only. ``AuditView`` puts the menu entry after 保存的密码 in the Account menu and opens the
dialog; the window makes it with its other parts (launcher/ui/window_parts.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from launcher.app.audit import details_text, export_log, integrity, kind_words, local_time
from launcher.app.events import Locked
from launcher.core.audit import Reading

if TYPE_CHECKING:
    from launcher.ui.main_window import MainWindow
    from launcher.ui.window_context import WindowContext


class AuditDialog(QDialog):
    """The person's log as a table (time, action, platform, details), newest first."""

    loaded = Signal()
    """The log was read and shown (or reading it failed: the state line says so)."""
    exported = Signal(str)
    """An export ended: the file's path ('' when it failed)."""

    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.reading = Reading()
        self.setWindowTitle(self.tr("Audit log"))
        self.setObjectName("auditDialog")
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("What you did with the launcher on this computer. Only field "
                               "names are kept, never what was typed."), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.state = QLabel(self.tr("Reading…"), self)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setWordWrap(True)
        self.state.setObjectName("auditState")
        layout.addWidget(self.state)
        table = self.table = QTableWidget(0, 4, self)
        table.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Action"), self.tr("Platform"), self.tr("Details")])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        table.setAccessibleName(self.tr("Audit log"))
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.export_button = QPushButton(self.tr("Export…"), self)
        self.export_button.setToolTip(self.tr("A spreadsheet for the county: times, actions, "
                                              "platforms and field names, no values"))
        self.export_button.setEnabled(False)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self._choose_file)
        layout.addWidget(buttons)

    def load(self) -> None:
        """Read the signed-in person's log on a worker and show it."""
        services = self.context.services
        if services is None:
            return
        self.context.workers.submit("read the audit log", services.audit.read, self._show,
                                    self._failed)

    def _show(self, reading: Reading) -> None:
        self.reading = reading
        language = self.context.language
        entries = list(reversed(reading.entries))
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            platform = self.context.platform_name(entry.platform) if entry.platform else ""
            for column, text in enumerate((local_time(entry.at),
                                           kind_words(entry.kind, language), platform,
                                           details_text(entry))):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if reading.intact:
            self.state.setText(self.tr("%n entries; the log is complete.", "", len(entries)))
        else:
            lines = "\n".join(integrity(reading, language))
            self.state.setText(self.tr("The log is not complete:") + "\n" + lines)
            self.state.setProperty("problem", True)
        self.export_button.setEnabled(bool(entries))
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.state.setText(self.tr("The audit log could not be read."))
        self.loaded.emit()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export audit log"), str(Path.home() / (self.tr("audit-log") + ".xlsx")),
            self.tr("Excel workbook (*.xlsx);;CSV (*.csv)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        """Write the log shown to ``path`` (``.xlsx``, else CSV) on a worker."""
        services = self.context.services
        if services is None:
            return
        reading, language, name = self.reading, self.context.language, self.context.platform_name

        def done(_count: object) -> None:
            self.state.setText(self.tr("Exported to %1").replace("%1", str(path)))
            self.exported.emit(str(path))

        def failed(_error: BaseException) -> None:
            self.state.setText(self.tr("The file could not be written."))
            self.exported.emit("")

        self.context.workers.submit(
            "export the audit log", lambda: export_log(reading, path, language, name), done,
            failed)


class AuditView(QObject):
    """The Account menu's 操作记录… entry, and the dialog it opens."""

    _locked = Signal()
    """The screen was locked (launcher/app/events.py ``Locked``)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: AuditDialog | None = None
        action = self.action = QAction(self.tr("Audit log…"), window)
        action.setObjectName("auditLogAction")
        action.triggered.connect(lambda _=False: self.open())
        vault = window.vault_action
        menus = [m for m in vault.associatedObjects() if isinstance(m, QMenu)]
        if menus:  # after 保存的密码, in the Account menu
            menu = menus[0]
            following = menu.actions()
            index = following.index(vault)
            before = following[index + 1] if index + 1 < len(following) else None
            if before is not None:
                menu.insertAction(before, action)
            else:
                menu.addAction(action)
        # Nobody's log stays on screen after sign-out, nor behind the lock (a dialog is a window
        # of its own): closed on the GUI thread, whichever thread announced it.
        window.signed_out.connect(self.close)
        self._locked.connect(self.close)
        window.context.events.subscribe(Locked, lambda _event: self._locked.emit())

    def open(self) -> AuditDialog | None:
        """The dialog for the person signed in (a message when nobody is)."""
        window = self.window
        if window.services is None or window.user is None:
            QMessageBox.information(window, self.tr("Audit log"),
                                    self.tr("Sign in to see your audit log."))
            return None
        self.close()
        dialog = self.dialog = AuditDialog(window.context, window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._gone(dialog))
        dialog.show()
        dialog.load()
        return dialog

    def close(self) -> None:
        """The person signed out: their log is no longer shown."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog = None

    def _gone(self, dialog: AuditDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
