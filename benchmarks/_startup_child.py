"""One start-up of a fresh process, timed from inside (started by benchmarks/startup.py).

Usage: _startup_child.py bare | launcher COUNTY_FILE. BENCH_T0 is the parent's CLOCK_MONOTONIC
just before it started this process. Prints one line ``RESULT {json}`` with the moments (seconds
since BENCH_T0) of the window's first paint and, for the launcher, of the first paint of the task
table holding the cached tasks; then leaves at once (os._exit), skipping the teardown.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

T0 = float(os.environ["BENCH_T0"])
MODE = sys.argv[1]


def report(**values: Any) -> None:
    values["webengine_loaded"] = sorted(m for m in sys.modules if m.startswith("PySide6.QtWebEngine"))
    values["modules"] = len(sys.modules)
    print("RESULT " + json.dumps(values), flush=True)
    os._exit(0)


if MODE == "bare":
    # The yardstick: the least a PySide6 program does to show a main window.
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window: Any = QMainWindow()
    window.resize(1280, 800)
else:
    # What `launcher --county FILE` does (launcher/cli.py main → _gui → run_gui), through the same
    # functions: the command's module, its logging, then open_window() and show().
    from pathlib import Path

    import launcher.cli  # noqa: F401 (the command's module: its imports are part of the start)
    from launcher.core import paths
    from launcher.core.logmask import setup_logging

    setup_logging(paths.home() / "logs" / "launcher.log")
    from launcher.ui.app import open_window

    app, window = open_window(Path(sys.argv[2]))

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402 (after the start-up steps above)
from PySide6.QtWidgets import QAbstractItemView  # noqa: E402 (after the start-up steps above)


class Probe(QObject):
    """Notes the first paint of the window, and of the task table once it has rows."""

    def __init__(self) -> None:
        super().__init__()
        self.painted: float | None = None
        self.loaded: float | None = None
        self.rows = 0
        self.table: Any = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            now = time.monotonic() - T0
            if watched is window and self.painted is None:
                self.painted = now
                if MODE == "bare":
                    QTimer.singleShot(0, lambda: report(painted=self.painted))
            elif (
                self.table is not None
                and watched is self.table.viewport()
                and self.rows
                and self.table.model() is not None
                and self.table.model().rowCount() > 0
            ):
                painted, loaded, rows = self.painted, self.loaded, self.rows
                QTimer.singleShot(0, lambda: report(painted=painted, tasks_on_screen=now,
                                                    tasks_loaded=loaded, rows=rows))
                self.rows = 0
        return False

    def inbox_shown(self, rows: int) -> None:
        if rows and self.loaded is None:
            self.loaded = time.monotonic() - T0
            self.rows = rows
            table = getattr(window.inbox, "table", None)
            if not isinstance(table, QAbstractItemView):  # found the slow way only if renamed
                views = [v for v in window.inbox.findChildren(QAbstractItemView) if v.isVisible()]
                if not views:
                    report(error="no visible task table after the inbox was shown")
                table = views[0]
            self.table = table
            self.table.viewport().installEventFilter(self)
            self.table.viewport().update()


probe = Probe()
window.installEventFilter(probe)
if MODE != "bare":
    window.inbox_updated.connect(probe.inbox_shown)
    window.load_failed.connect(lambda text: report(error=text))
QTimer.singleShot(60_000, lambda: report(error="timed out after 60 s"))
window.show()
app.exec()
