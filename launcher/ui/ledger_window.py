"""工作 → 减负账本: the burden ledger of the person signed in (launcher/app/ledger.py): the time
saved by week as a chart (QtCharts: minutes per source, stacked), each platform's use (days used,
opens, tasks, fills, fields, records sent; the least used last), the assumptions behind every
time, and an export for the county (xlsx, csv or a printable PDF) without personal data.

Read on a worker; the window only shows the answer. Platform names come from manifests: plain
text in the table, escaped in the PDF.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import PlainLabel, bounded

if TYPE_CHECKING:
    from launcher.app.ledger import LedgerSummary
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)

SOURCES = ("signed_in_for_you", "fields_filled", "inbox_checks", "multi_submits")
"""The time saved by week, split by where it came from (the chart's stacked sets)."""


class LedgerDialog(QDialog):
    """The person's burden ledger: summary, chart by week, table by platform, export."""

    exported = Signal(object)
    """An export ended: the file written, or None (the note says why)."""

    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ledgerDialog")
        self.setWindowTitle(self.tr("Burden ledger"))
        self._context = context
        self.summary: LedgerSummary | None = None
        self.headline = PlainLabel(self)
        self.headline.setObjectName("ledgerHeadline")
        self.headline.setWordWrap(True)
        self.assumptions = PlainLabel(self)
        self.assumptions.setObjectName("ledgerAssumptions")
        self.assumptions.setWordWrap(True)
        self.chart_area = QVBoxLayout()
        self.table = QTableWidget(0, 7, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Platform"), self.tr("Days used"), self.tr("Opens"), self.tr("Tasks"),
            self.tr("Forms filled"), self.tr("Fields"), self.tr("Sent"),
        ])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName(self.tr("Use of each platform"))
        self.export_button = QPushButton(self.tr("Export for the county…"), self)
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(lambda _=False: self.export())
        self.note = PlainLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.export_button)
        row.addWidget(self.note, 1)
        row.addWidget(buttons)
        column = QVBoxLayout(self)
        column.addWidget(self.headline)
        column.addLayout(self.chart_area, 2)
        column.addWidget(self.table, 2)
        column.addWidget(self.assumptions)
        column.addLayout(row)
        self.resize(880, 600)
        self.headline.setText(self.tr("Reading the ledger…"))

    def load(self) -> None:
        """Read and sum the ledger on a worker, then show it."""
        services = self._context.services
        if services is None or services.ledger is None:
            self.headline.setText(self.tr("Sign in to see your ledger."))
            return
        store = services.ledger
        english = self._context.language.startswith("en")
        names = {p.id: (p.name_en if english else p.name)
                 for p in [*services.registry.platforms,
                           *(b.platform for b in services.registry.blocked.values())]}

        def work() -> LedgerSummary:
            from launcher.app.ledger import summarise

            return summarise(store.counts(), names)

        self._context.workers.submit("burden ledger", work, self.show_summary)

    def show_summary(self, summary: LedgerSummary) -> None:
        from launcher.app.ledger import assumptions_text

        self.summary = summary
        hours = summary.seconds_saved / 3600
        if summary.first is None:
            self.headline.setText(self.tr("Nothing counted yet: the ledger fills as you work."))
        else:
            self.headline.setText(self.tr(
                "Since {first}: about {hours:.1f} hours saved; {signins} sign-ins without "
                "typing, {fields} fields filled for you, {multi} records sent to several "
                "platforms at once."
            ).format(first=summary.first.isoformat(), hours=hours,
                     signins=summary.totals.get("signed_in_for_you", 0),
                     fields=summary.totals.get("fields_filled", 0),
                     multi=summary.totals.get("multi_submits", 0)))
        language = self._context.language
        separator = "; " if language.startswith("en") else "；"
        self.assumptions.setText(self.tr("How the time is estimated: {lines}").format(
            lines=separator.join(assumptions_text(language))))
        self._chart(summary)
        self.table.setRowCount(len(summary.platforms))
        for row, use in enumerate(summary.platforms):
            cells = [bounded(use.name, 60, lines=1), use.days_used, use.opens, use.tasks,
                     use.fills, use.fields, use.submitted]
            for column, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.export_button.setEnabled(summary.first is not None)

    def _chart(self, summary: LedgerSummary) -> None:
        from PySide6.QtCharts import (
            QBarCategoryAxis,
            QBarSet,
            QChart,
            QChartView,
            QStackedBarSeries,
            QValueAxis,
        )

        from launcher.app.ledger import ASSUMPTIONS, METRIC_WORDS

        while self.chart_area.count():
            old = self.chart_area.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()
        weeks = summary.weeks[-12:]
        series = QStackedBarSeries()
        language = self._context.language
        top = 0.0
        for metric in SOURCES:
            seconds = ASSUMPTIONS[metric][0]
            bars = QBarSet(METRIC_WORDS[metric].in_(language))
            for week in weeks:
                bars.append(week.totals.get(metric, 0) * seconds / 60)
            series.append(bars)
        for week in weeks:
            top = max(top, week.seconds_saved / 60)
        chart = QChart()
        chart.setTitle(self.tr("Minutes saved by week"))
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([week.start.strftime("%m-%d") for week in weeks] or ["-"])
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        axis_y.setRange(0, max(10.0, top * 1.1))
        axis_y.setLabelFormat("%d")
        axis_y.setTickCount(5)
        small = QFont(self.font())
        small.setPointSizeF(max(8.0, small.pointSizeF() * 0.75))
        for axis in (axis_x, axis_y):
            axis.setLabelsFont(small)  # the window's large body font would not fit: "…"
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_y)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setMargins(QMargins(4, 4, 4, 4))
        view = QChartView(chart, self)
        view.setObjectName("ledgerChart")
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setAccessibleName(self.tr("Minutes saved by week"))
        view.setMinimumHeight(200)
        self.chart_area.addWidget(view)

    # -- export ----------------------------------------------------------------------------------

    def export(self, path: Path | None = None) -> None:
        """Ask where (xlsx, csv or PDF), then write the ledger for the county (on a worker: the
        disk): numbers, platform names and the assumptions, nothing personal. ``exported`` says
        where it went (None: it did not)."""
        summary, services = self.summary, self._context.services
        if summary is None or services is None:
            return
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the burden ledger"), "减负账本.xlsx",
                self.tr("Excel (*.xlsx);;CSV (*.csv);;PDF (*.pdf)"))
            if not chosen:
                return
            path = Path(chosen)
        from launcher.app.ledger import export_rows, write_export

        language = self._context.language
        county = services.county.name_en if language.startswith("en") else services.county.name
        rows = export_rows(summary, language, county)
        target = path

        def work() -> Path:
            if target.suffix.lower() == ".pdf":
                _write_pdf(target, rows)
            else:
                write_export(target, rows)
            return target

        def done(written: Path) -> None:
            self.note.setText(self.tr("Exported to {path}").format(path=bounded(written, 200)))
            self.export_button.setEnabled(True)
            self.exported.emit(written)

        def failed(exc: BaseException) -> None:
            self.note.setText(self.tr("Not exported: {error}").format(error=bounded(exc, 200)))
            self.export_button.setEnabled(True)
            self.exported.emit(None)

        self.export_button.setEnabled(False)  # one export at a time
        self.note.setText(self.tr("Exporting…"))
        self._context.workers.submit("export the burden ledger", work, done, failed)


def _write_pdf(path: Path, rows: list[list[object]]) -> None:
    """The export as a printable A4 PDF (Qt's own PDF writer); every cell escaped. Runs on a
    worker: QTextDocument and QPdfWriter may be used off the GUI thread."""
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    body = []
    for row in rows:
        if not row:
            body.append("<br/>")
            continue
        cells = "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row)
        body.append(f"<tr>{cells}</tr>")
    document = QTextDocument()
    document.setHtml("<table border='1' cellspacing='0' cellpadding='3'>" + "".join(body)
                     + "</table>")
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(150)
    document.setPageSize(writer.pageLayout().paintRectPixels(150).size().toSizeF())
    document.print_(writer)
