"""``Downloads``: files a web tab's page downloads, saved where the person chooses, shown in a bar.

Every download asks where to save it (the folder last chosen first, the server's name cleaned of
paths, controls and direction-changing characters); cancelled, nothing is saved. Only the pages
of web tabs download: the hidden pages (sign-in, sessions, 三清) and the sign-in dialog's never
do, and while the save dialog is open other downloads are refused (a page cannot stack dialogs).
A downloaded file is never opened: the bar offers its folder.

``DownloadBar`` sits under the tabs while it has something to show: a row per download with its
name (plain text, bounded), progress, 取消 while it runs and 打开文件夹 when it is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWebEngineCore import QWebEngineDownloadRequest, QWebEngineProfile
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from launcher.ui import save_dialogs
from launcher.ui.plain_text import bounded
from launcher.ui.web import BrowserPage, WebContext

if TYPE_CHECKING:
    from launcher.ui.window_context import WindowContext

State = QWebEngineDownloadRequest.DownloadState
MAX_ROWS = 5
"""Downloads the bar lists at once (the oldest finished ones leave first)."""
SHOWN_NAME_CHARS = 60


class DownloadRow(QWidget):
    """One download: its name, progress, state, and 取消 or 打开文件夹."""

    def __init__(self, request: QWebEngineDownloadRequest, parent: QWidget) -> None:
        super().__init__(parent)
        self.request = request
        self.path = Path(request.downloadDirectory()) / request.downloadFileName()
        self.finished = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.name = QLabel(self)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.name.setText(bounded(self.path.name, SHOWN_NAME_CHARS, lines=1))
        self.name.setAccessibleName(self.tr("Downloaded file"))
        self.progress = QProgressBar(self)
        self.progress.setMaximumWidth(160)
        self.progress.setAccessibleName(self.tr("Download progress"))
        self.state = QLabel(self)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.cancel = QPushButton(self.tr("Cancel"), self)
        self.cancel.setAccessibleName(self.tr("Cancel download"))
        self.open_folder = QPushButton(self.tr("Open folder"), self)
        self.open_folder.hide()
        for widget in (self.name, self.progress, self.state, self.cancel, self.open_folder):
            row.addWidget(widget)
        row.addStretch(1)
        self.cancel.clicked.connect(lambda _=False: self._cancel())
        self.open_folder.clicked.connect(lambda _=False: save_dialogs.open_folder(self.path.parent))
        request.receivedBytesChanged.connect(self._update)
        request.totalBytesChanged.connect(self._update)
        request.stateChanged.connect(lambda _state: self._update())
        request.destroyed.connect(lambda _=None: self._gone())
        self._update()

    def _cancel(self) -> None:
        if shiboken6.isValid(self.request):
            self.request.cancel()

    def _update(self) -> None:
        request = self.request
        if not shiboken6.isValid(request):
            return
        total, received = request.totalBytes(), request.receivedBytes()
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(received, total) / total))
        else:
            self.progress.setRange(0, 0)  # size unknown: busy
        state = request.state()
        if state == State.DownloadCompleted:
            self.progress.setRange(0, 1000)
            self.progress.setValue(1000)
            self._end(self.tr("Done"), folder=True)
        elif state == State.DownloadCancelled:
            self._end(self.tr("Cancelled"))
        elif state == State.DownloadInterrupted:
            # Chromium's reason ("Network error", "Insufficient disk space"…), its own words.
            reason = bounded(request.interruptReasonString(), 80, lines=1)
            self._end(self.tr("Failed: {reason}").format(reason=reason))
        else:
            self.state.setText(self.tr("Downloading…"))

    def _end(self, words: str, *, folder: bool = False) -> None:
        self.finished = True
        self.state.setText(words)
        self.cancel.hide()
        self.open_folder.setVisible(folder)

    def _gone(self) -> None:
        # The request went with its web profile (sign-out): Chromium stopped it.
        if not self.finished:
            self._end(self.tr("Stopped"))


class DownloadBar(QFrame):
    """The downloads under the tabs; hidden until the first, and again when closed (×)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("downloadBar")
        self.setAccessibleName(self.tr("Downloads"))
        self.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 4, 8, 4)
        self._rows = QVBoxLayout()
        outer.addLayout(self._rows, 1)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAccessibleName(self.tr("Close downloads bar"))
        self.close_button.setToolTip(self.tr("Close downloads bar"))
        outer.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.close_button.clicked.connect(lambda _=False: self.close_bar())
        self.hide()

    def rows(self) -> list[DownloadRow]:
        return self.findChildren(DownloadRow)

    def running(self, page: object) -> bool:
        """True while a download ``page`` started is running."""
        return any(
            not row.finished and shiboken6.isValid(row.request) and row.request.page() is page
            for row in self.rows()
        )

    def add(self, request: QWebEngineDownloadRequest) -> DownloadRow:
        rows = self.rows()
        while len(rows) >= MAX_ROWS and any(r.finished for r in rows):
            oldest = next(r for r in rows if r.finished)
            rows.remove(oldest)
            self._drop(oldest)
        row = DownloadRow(request, self)
        self._rows.addWidget(row)
        self.show()
        return row

    def close_bar(self) -> None:
        """Hide the bar; finished downloads leave it, running ones stay for next time."""
        for row in self.rows():
            if row.finished:
                self._drop(row)
        self.hide()

    def clear(self) -> None:
        """Stop every download and forget them (sign-out: the next person sees none)."""
        for row in self.rows():
            row._cancel()
            self._drop(row)
        self.hide()

    def _drop(self, row: DownloadRow) -> None:
        self._rows.removeWidget(row)
        row.setParent(None)
        row.deleteLater()


class Downloads(QObject):
    """Takes the downloads of the window's web profile (each new one, after a sign-out too)."""

    def __init__(
        self, context: WindowContext, bar: DownloadBar, settings: QSettings, window: QWidget
    ) -> None:
        super().__init__(bar)
        self.bar = bar
        self._settings = settings
        self._window = window
        self._asking = False
        web = context.existing_web
        if web is None:
            context.web_made.connect(lambda made: self._follow(made))
        else:
            self._follow(web)

    def _follow(self, web: WebContext) -> None:
        web.profile_created.connect(self._watch)
        if web.has_profile():
            self._watch(web.profile())

    def _watch(self, profile: QWebEngineProfile) -> None:
        profile.downloadRequested.connect(self._requested)

    def _requested(self, request: QWebEngineDownloadRequest) -> None:
        # Accepted or not while this signal is delivered (Chromium cancels it otherwise).
        if self._asking or not isinstance(request.page(), BrowserPage):
            request.cancel()
            return
        name = save_dialogs.file_name(request.downloadFileName(), "download")
        self._asking = True
        try:
            path = save_dialogs.ask_save_path(
                self._window,
                self.tr("Save download"),
                save_dialogs.last_folder(self._settings) / name,
            )
        finally:
            self._asking = False
        if not path:
            request.cancel()
            return
        save_dialogs.remember_folder(self._settings, path)
        request.setDownloadDirectory(str(Path(path).parent))
        request.setDownloadFileName(Path(path).name)
        request.accept()
        self.bar.add(request)
