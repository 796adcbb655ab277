"""工作 → 任务管理器 (Shift+Esc): each open platform page, its state and its memory, and the
launcher's own, with buttons to free a page's memory or close it.

One row a page tab: its name (its platform's, else its title), its state (活动, 冻结, 已释放: see
page_lifecycle.py; a frozen page kept from being freed says why) and the memory of its renderer
process (``QWebEnginePage.renderProcessPid``). Chromium often puts several pages of one site in
one renderer process: their rows then give that process's memory once, saying how many pages share
it, and the totals count it once. Below, the launcher's own memory and QtWebEngine's other
processes (GPU, network). Read every few seconds while the window is shown, on a worker
(launcher/core/process_memory.py: a process's memory map can take a while to read).

释放内存 discards the chosen page now (not the page shown in the main window, nor one holding
typed input, a download or a print: those stay frozen, and the row says why); 关闭页面 closes its
tab as the tab's × does.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.page_lifecycle import BUSY, QT_SAYS, TYPED
from launcher.ui.plain_text import PlainLabel, bounded

if TYPE_CHECKING:
    from PySide6.QtGui import QHideEvent

    from launcher.core.process_memory import Memory
    from launcher.ui.page_lifecycle import PageLifecycle
    from launcher.ui.web import WebTab
    from launcher.ui.web_tabs import WebTabs
    from launcher.ui.workers import Workers

log = logging.getLogger(__name__)

REFRESH_MS = 3000
"""How often the figures are read again while the window is shown."""
State = QWebEnginePage.LifecycleState


def megabytes(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


@dataclass(frozen=True)
class Row:
    tab: WebTab
    name: str
    state: State
    kept: str
    pid: int
    shown: bool
    """The page is on screen (the main window's tab in front): it cannot be freed."""


class TaskMonitor(QDialog):
    """The open pages and their memory (one window, made when first opened)."""

    def __init__(
        self,
        parent: QWidget,
        *,
        pages: WebTabs,
        workers: Workers,
        lifecycle: Callable[[], PageLifecycle | None],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("taskMonitor")
        self.setWindowTitle(self.tr("Task monitor"))
        self.setAccessibleName(self.windowTitle())
        self._pages, self._workers, self._lifecycle = pages, workers, lifecycle
        self.rows: list[Row] = []
        self.memory: Memory | None = None
        self._reading = False

        self.table = QTableWidget(0, 3, self)
        self.table.setObjectName("taskMonitorTable")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Page"), self.tr("State"), self.tr("Memory")])
        self.table.setAccessibleName(self.tr("Open pages"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 260)
        self.table.setColumnWidth(1, 230)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.summary = PlainLabel(self)
        self.summary.setObjectName("taskMonitorSummary")
        self.summary.setWordWrap(True)
        self.summary.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # read out like the rows
        self.shared_note = PlainLabel(self)
        self.shared_note.setWordWrap(True)
        self.shared_note.setText(self.tr(
            "Pages that share a process share its memory: their rows give it once, and the "
            "totals count it once."))
        self.shared_note.hide()

        self.release_button = QPushButton(self.tr("&Free memory"), self)
        self.release_button.setAccessibleName(self.tr("Free the chosen page's memory"))
        self.release_button.setAccessibleDescription(self.tr(
            "Unloads the page; a click on its tab loads it again. A page holding typed input, a "
            "download or a print is only frozen."))
        self.close_page_button = QPushButton(self.tr("&Close page"), self)
        self.close_page_button.setAccessibleName(self.tr("Close the chosen page"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        closing = buttons.button(QDialogButtonBox.StandardButton.Close)
        if closing is not None:
            closing.setAccessibleName(self.tr("Close the task monitor"))
        self.release_button.clicked.connect(lambda _=False: self.release_chosen())
        self.close_page_button.clicked.connect(lambda _=False: self.close_chosen())

        row = QHBoxLayout()
        row.addWidget(self.release_button)
        row.addWidget(self.close_page_button)
        row.addStretch(1)
        row.addWidget(buttons)
        column = QVBoxLayout(self)
        column.addWidget(self.table, 1)
        column.addWidget(self.shared_note)
        column.addWidget(self.summary)
        column.addLayout(row)
        QWidget.setTabOrder(self.table, self.summary)
        QWidget.setTabOrder(self.summary, self.release_button)
        QWidget.setTabOrder(self.release_button, self.close_page_button)
        self.resize(720, 420)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._update_buttons()

    # -- shown, hidden ---------------------------------------------------------------------------

    def open_monitor(self) -> None:
        """Show (or bring forward) the window, read at once and every few seconds."""
        self.show()
        self.raise_()
        self.activateWindow()
        self.table.setFocus()
        self.refresh()
        self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    # -- the figures -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The rows now, and their memory read on a worker (one reading at a time)."""
        lifecycle = self._lifecycle()
        rows = []
        for tab in self._pages.all():
            page = tab.page
            state = page.lifecycleState()
            rows.append(Row(
                tab=tab,
                name=self._pages.page_name(tab),
                state=state,
                kept=lifecycle.kept_frozen(tab) if lifecycle is not None else "",
                pid=page.renderProcessPid() if state != State.Discarded else 0,
                shown=page.isVisible(),
            ))
        self.rows = rows
        self._draw()
        if self._reading:
            return
        self._reading = True
        pids = {row.pid for row in rows if row.pid}

        def work() -> Memory:
            from launcher.core.process_memory import read

            return read(pids)

        self._workers.submit("task monitor memory", work, self._measured, self._failed)

    def _measured(self, memory: Memory) -> None:
        self._reading = False
        if shiboken6.isValid(self):
            self.memory = memory
            self._draw()

    def _failed(self, exc: BaseException) -> None:
        self._reading = False
        log.warning("task monitor: memory not read: %s", exc)

    def _draw(self) -> None:
        chosen = self.chosen()
        table = self.table
        table.setRowCount(len(self.rows))
        sharing: dict[int, int] = {}
        for row in self.rows:
            if row.pid:
                sharing[row.pid] = sharing.get(row.pid, 0) + 1
        for index, row in enumerate(self.rows):
            cells = (bounded(row.name, 60, lines=1), self._state_text(row), self._memory_text(
                row, sharing.get(row.pid, 0)))
            for column, text in enumerate(cells):
                item = table.item(index, column)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(index, column, item)
                item.setText(text)
            if row.tab is chosen:
                table.selectRow(index)
        if chosen is None and self.rows and table.currentRow() < 0:
            table.selectRow(0)
        self.shared_note.setVisible(any(n > 1 for n in sharing.values()))
        self.summary.setText(self._summary_text())
        self.summary.setAccessibleName(self.summary.text())
        self._update_buttons()

    def _state_text(self, row: Row) -> str:
        if row.state == State.Discarded:
            return self.tr("Freed")
        if row.state == State.Frozen:
            reason = {
                TYPED: self.tr("Frozen (typed input kept: not freed)"),
                BUSY: self.tr("Frozen (downloading or printing: not freed)"),
                QT_SAYS: self.tr("Frozen (a form in use: not freed)"),
            }
            return reason.get(row.kept, self.tr("Frozen"))
        return self.tr("Active (shown)") if row.shown else self.tr("Active")

    def _memory_text(self, row: Row, sharing: int) -> str:
        if row.state == State.Discarded:
            return self.tr("— (freed)")
        memory = self.memory
        if memory is None:
            return self.tr("Reading…")
        size = memory.renderers.get(row.pid)
        if size is None:
            return self.tr("Unknown")
        if sharing > 1:
            return self.tr("{size} (one process for {count} pages)").format(
                size=megabytes(size), count=sharing)
        return megabytes(size)

    def _summary_text(self) -> str:
        memory = self.memory
        if memory is None:
            return self.tr("Reading the memory…")
        pages = sum(memory.renderers.values())
        return self.tr(
            "Yiduantong itself: {own}. Page processes: {pages}. QtWebEngine's other processes: "
            "{others}. In all: {total} ({kind}; a process shared by pages counted once)."
        ).format(own=megabytes(memory.own), pages=megabytes(pages),
                 others=megabytes(memory.others), total=megabytes(memory.total), kind=memory.kind)

    # -- the buttons -------------------------------------------------------------------------------

    def chosen(self) -> WebTab | None:
        index = self.table.currentRow()
        selected = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not selected or not 0 <= index < len(self.rows):
            return None
        tab = self.rows[index].tab
        return tab if shiboken6.isValid(tab) else None

    def _update_buttons(self) -> None:
        index = self.table.currentRow()
        row = self.rows[index] if self.chosen() is not None else None
        self.close_page_button.setEnabled(row is not None)
        freeable = row is not None and not row.shown and row.state != State.Discarded
        self.release_button.setEnabled(freeable and self._lifecycle() is not None)
        if row is not None and row.shown:
            self.release_button.setToolTip(
                self.tr("The page on screen cannot be freed: show another tab first."))
        else:
            self.release_button.setToolTip("")

    def release_chosen(self) -> None:
        tab, lifecycle = self.chosen(), self._lifecycle()
        if tab is not None and lifecycle is not None:
            lifecycle.release(tab)
            QTimer.singleShot(300, self.refresh)

    def close_chosen(self) -> None:
        tab = self.chosen()
        if tab is not None:
            self._pages.close(self._pages.tab_widget.indexOf(tab))
            self.refresh()
