"""100,000 tasks in the inbox: one filter keystroke in the search box, against a plain Python
substring scan over the same titles (``[t for t in titles if q in t]``) timed right beside it
(limit 3×); memory reported.

The keystroke is a user's: the real InboxView (offscreen, shown, 1280×800) over an InboxModel of
the grouped tasks; one character is typed into its search box (the input method's commit event,
as Chinese input arrives), then the event loop runs until it has nothing left to do (processEvents
until no event is pending: the table's new rows painted, and any relayout and repaint the view
schedules after that too), and the view's table says how many rows it shows. Timed
from the key press to after that. Each round clears the box and types a query character by
character; the first character searches every row, the next ones only the rows still shown (the
model narrows), so both kinds are reported, each against the scan for the same text.

Run: bash scripts/with-keyring.sh .venv/bin/python benchmarks/filter_keystroke.py
(no keyring needed: plain .venv/bin/python works as well)
"""

from __future__ import annotations

import gc
import os
import time
import tracemalloc
from typing import Any

from _common import Figures, arguments, headless, median, synthetic_tasks

TASKS = 100_000
PLATFORMS = 30
QUERIES = ("李家村", "安全生产")
"""Typed one character at a time; the first characters match many rows, the last few."""
LIMIT = 3.0


def rss() -> int:
    import psutil  # type: ignore[import-untyped]

    return int(psutil.Process().memory_info().rss)


def mb(size: float) -> str:
    return f"{size / 2**20:.1f} MB"


def bare_table_repaint(table: Any) -> float:
    """Median seconds of one repaint of a plain QTableView over a QStandardItemModel showing the
    cells the inbox table shows now (texts, overdue colours), with the same object name (so the
    same style-sheet rules apply), columns, widths, row height and size: the floor Qt itself
    sets for painting that table, with no Python ``data()`` calls."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

    source = table.model()
    columns = source.columnCount()
    shown = [c for c in range(columns) if not table.isColumnHidden(c)]
    first = max(table.rowAt(0), 0)
    last = table.rowAt(table.viewport().height() - 1)
    last = source.rowCount() - 1 if last < 0 else last
    model = QStandardItemModel(2000, columns)
    for row in range(first, last + 1):
        for column in shown:
            index = source.index(row, column)
            item = QStandardItem(index.data())
            for role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
                value = index.data(role)
                if value is not None:
                    item.setData(value, role)
            model.setItem(row - first, column, item)
    view = QTableView()
    view.setObjectName(table.objectName())
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.verticalHeader().defaultSectionSize())
    for column in range(columns):
        view.setColumnHidden(column, column not in shown)
        view.setColumnWidth(column, table.columnWidth(column))
    view.resize(table.size())
    view.show()
    QApplication.processEvents()
    times = []
    for _ in range(9):
        started = time.perf_counter()
        view.viewport().repaint()
        times.append(time.perf_counter() - started)
    view.close()
    return median(times)


def main() -> int:
    args = arguments(__doc__.splitlines()[0], rounds=15)
    headless()
    out = Figures("filter_keystroke", f"A filter keystroke over {TASKS:,} tasks")
    print(out.title, flush=True)

    from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

    from launcher.core.inbox.grouping import group_tasks
    from launcher.ui.app import ensure_application
    from launcher.ui.inbox_model import InboxModel
    from launcher.ui.inbox_view import InboxView

    ensure_application("zh_CN")
    rss_start = rss()
    tasks = synthetic_tasks([f"demo.p{n}" for n in range(PLATFORMS)], TASKS)
    titles = [t.title for t in tasks]
    rss_tasks = rss()
    groups = group_tasks(tasks)
    rss_groups = rss()

    model = InboxModel()
    view = InboxView(model)
    view.resize(1280, 800)
    view.show()
    started = time.perf_counter()
    model.set_groups(groups)
    QApplication.processEvents()
    load_time = time.perf_counter() - started
    rss_view = rss()
    search = view.findChild(QLineEdit, "taskSearch")
    tables = [v for v in view.findChildren(QAbstractItemView) if v.isVisible()]
    if search is None or not tables:
        raise SystemExit("the InboxView has no search box named taskSearch or no visible table")
    table = tables[0]
    search.setFocus(Qt.FocusReason.OtherFocusReason)

    def shown() -> int:
        return int(table.model().rowCount())

    def settle() -> None:
        """Run the event loop until no event is pending (a single processEvents pass can leave
        work the keystroke caused, such as the view's delayed relayout and its repaint, to the
        next measurement)."""
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1000)

    def keystroke(char: str) -> tuple[float, float, int]:
        """(seconds until the view's table has its new rows, seconds until it has also painted
        them, rows shown)."""
        # Chinese is typed through an input method, which hands the widget its committed text
        # (QTest's key clicks know ASCII keys only).
        event = QInputMethodEvent()
        event.setCommitString(char)
        started = time.perf_counter()
        QApplication.sendEvent(search, event)
        rows = shown()
        filtered = time.perf_counter()
        settle()
        return filtered - started, time.perf_counter() - started, rows

    def scan(query: str) -> tuple[float, int]:
        started = time.perf_counter()
        found = [t for t in titles if query in t]
        return time.perf_counter() - started, len(found)

    # Per keystroke position (query, prefix length): the keystroke times and the scan times.
    filtering: dict[tuple[str, int], list[float]] = {}
    times: dict[tuple[str, int], list[float]] = {}
    scans: dict[tuple[str, int], list[float]] = {}
    rows: dict[tuple[str, int], tuple[int, int]] = {}
    gc.collect()
    for round_ in range(args.rounds):
        for query in QUERIES:
            search.clear()
            settle()
            for length in range(1, len(query) + 1):
                key = (query, length)
                # Alternate which of the two goes first, so neither always gets a warmer cache.
                if round_ % 2 == 0:
                    filtered, took, count = keystroke(query[length - 1])
                    scanned, found = scan(query[:length])
                else:
                    scanned, found = scan(query[:length])
                    filtered, took, count = keystroke(query[length - 1])
                if search.text() != query[:length]:
                    raise SystemExit(f"typed {query[:length]!r} but the box holds {search.text()!r}")
                filtering.setdefault(key, []).append(filtered)
                times.setdefault(key, []).append(took)
                scans.setdefault(key, []).append(scanned)
                rows[key] = (count, found)

    def label(key: tuple[str, int]) -> str:
        query, length = key
        kind = "searches every row" if length == 1 else "narrows the shown rows"
        return f"typing {query[:length]!r} ({kind})"

    out.figure("tasks", f"{TASKS:,} over {PLATFORMS} platforms, {len(groups):,} inbox rows")
    out.figure("loading them into the model and view", f"{load_time * 1000:.0f} ms")
    worst = worst_filter = 0.0
    for key in times:
        filter_ms = median(filtering[key]) * 1000
        keystroke_ms, scan_ms = median(times[key]) * 1000, median(scans[key]) * 1000
        worst = max(worst, keystroke_ms / scan_ms)
        worst_filter = max(worst_filter, filter_ms / scan_ms)
        shown_rows, scan_rows = rows[key]
        out.figure(label(key), f"filtered {filter_ms:.1f} ms, painted {keystroke_ms:.1f} ms "
                   f"({shown_rows:,} rows shown); plain scan {scan_ms:.1f} ms "
                   f"({scan_rows:,} titles)")
    out.ratio("keystroke until the table has its rows / plain substring scan (worst keystroke)",
              worst_filter, LIMIT, "(text change → filter → the view's row count)")
    out.ratio("keystroke until the rows are painted / plain substring scan (worst keystroke)",
              worst, LIMIT, "(the same, then the event loop repaints: processEvents until idle)")
    repaints = []
    for _ in range(9):
        started = time.perf_counter()
        table.viewport().repaint()
        repaints.append(time.perf_counter() - started)
    out.figure("one repaint of the task table alone (no change)", f"{median(repaints) * 1000:.1f} ms")
    out.figure("the same cells in a plain QTableView (C++ model, same style-sheet rules)",
               f"{bare_table_repaint(table) * 1000:.1f} ms")

    # Memory: the process as it grew, then the model's own share measured by tracemalloc.
    out.figure("RSS: Qt application started", mb(rss_start))
    out.figure(f"RSS: + {TASKS:,} TaskItems", f"+{mb(rss_tasks - rss_start)}")
    out.figure("RSS: + grouped", f"+{mb(rss_groups - rss_tasks)}")
    out.figure("RSS: + model and shown view", f"+{mb(rss_view - rss_groups)}")
    out.figure("RSS: total", mb(rss_view))
    search.clear()
    QCoreApplication.processEvents()
    tracemalloc.start()
    other = InboxModel()
    other.set_groups(groups)
    size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out.figure("tracemalloc: what an InboxModel of these rows holds (peak while loading)",
               f"{mb(size)} ({mb(peak)})")
    tracemalloc.start()
    again = synthetic_tasks([f"demo.p{n}" for n in range(PLATFORMS)], TASKS)
    size_tasks, _ = tracemalloc.get_traced_memory()
    again_groups: Any = group_tasks(again)
    size_all, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del again, again_groups
    out.figure(f"tracemalloc: {TASKS:,} TaskItems", mb(size_tasks))
    out.figure("tracemalloc: their groups", mb(size_all - size_tasks))
    view.close()
    out.save(args.json)
    os._exit(0 if out.passed else 1)  # skip tearing down 100,000 rows


if __name__ == "__main__":
    raise SystemExit(main())
