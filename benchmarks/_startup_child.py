"""One start-up of a fresh process, timed from inside (started by benchmarks/startup.py).

Usage: _startup_child.py bare | widgets | launcher COUNTY_FILE. BENCH_T0 is the parent's
CLOCK_MONOTONIC just before it started this process. Prints one line ``RESULT {json}`` with the
moments (seconds since BENCH_T0) at which the window's first frame was painted and, for the
launcher, at which the task table was first painted with the cached tasks; then leaves at once
(os._exit), skipping the teardown.

The launcher starts exactly as the ``launcher --county FILE`` command does: ``launcher.main.main``
with those arguments (parsing them, logging, then ``run_gui``, which opens, shows and runs the
window). The only thing added is the probe, attached to the window ``open_window`` returns, before
``run_gui`` shows it.

``widgets`` is for information: plain PySide6 code, none of the launcher's, that shows the widgets
the launcher's first frame shows (toolbar, menus, tiles panel heading, two tabs, the inbox's bar of
view buttons, platform filter and search, its empty-state text, status bar) under the launcher's
style sheet and font: about the least any PySide6 program showing that window would spend.

The first frame is painted when the window and every widget in it have been painted: Qt paints a
window first and its widgets after it, in the same pass, before anything else the event loop has
queued; so the moment taken is that of the first event handled after the window's first paint
event (for the bare window, with no widgets, the two are the same).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

T0 = float(os.environ["BENCH_T0"])
MODE = sys.argv[1]


def report(**values: Any) -> None:
    values["webengine_loaded"] = sorted(m for m in sys.modules if m.startswith("PySide6.QtWebEngine"))
    values["modules"] = len(sys.modules)
    print("RESULT " + json.dumps(values), flush=True)
    os._exit(0)


def probe(app: Any, window: Any) -> None:
    """Notes the first frame of ``window`` and, for the launcher, of its task table with rows."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class Probe(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.painted: float | None = None
            self.qt_namespace = False
            self.paint_started: float | None = None
            self.loaded: float | None = None
            self.rows = 0
            self.table: Any = None
            self.from_snapshot = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                now = time.monotonic() - T0
                if watched is window and self.paint_started is None:
                    self.paint_started = now
                    QTimer.singleShot(0, self.frame_painted)  # the first thing after the frame
                elif (
                    self.table is not None
                    and watched is self.table.viewport()
                    and self.rows
                    and self.table.model() is not None
                    and self.table.model().rowCount() > 0
                ):
                    painted, started, loaded, rows, qt_namespace, early = (
                        self.painted, self.paint_started, self.loaded, self.rows, self.qt_namespace,
                        self.from_snapshot,
                    )
                    QTimer.singleShot(0, lambda: report(
                        painted=painted, paint_started=started, tasks_on_screen=now,
                        tasks_loaded=loaded, rows=rows, qt_namespace=qt_namespace,
                        from_snapshot=early))
                    self.rows = 0
            return False

        def frame_painted(self) -> None:
            self.painted = time.monotonic() - T0
            # Whether PySide6 had built its ``Qt`` namespace by the first frame (about 95 Python
            # enums, ~14 ms): it does on the first use of ``QtCore.Qt``, or of a call whose
            # overloads take one of its enums (QSplitter(parent) by position, as it could be
            # QSplitter(Qt.Orientation)).
            self.qt_namespace = "Qt" in vars(sys.modules["PySide6.QtCore"])
            if MODE != "launcher":
                report(
                    painted=self.painted,
                    paint_started=self.paint_started,
                    qt_namespace=self.qt_namespace,
                )

        def inbox_shown(self, rows: int) -> None:
            if rows and self.loaded is None:
                self.loaded = time.monotonic() - T0
                # Shown before the county's services exist: the start snapshot's rows.
                self.from_snapshot = window.services is None
                from PySide6.QtWidgets import QAbstractItemView  # not in the bare start
                self.rows = rows
                table = getattr(window.inbox, "table", None)
                if not isinstance(table, QAbstractItemView):  # found the slow way only if renamed
                    views = [
                        v for v in window.inbox.findChildren(QAbstractItemView) if v.isVisible()
                    ]
                    if not views:
                        report(error="no visible task table after the inbox was shown")
                    table = views[0]
                self.table = table
                self.table.viewport().installEventFilter(self)
                self.table.viewport().update()

    found = Probe()
    setattr(app, "_bench_probe", found)  # noqa: B010 (kept alive as long as the application)
    window.installEventFilter(found)
    if MODE == "launcher":
        window.inbox_updated.connect(found.inbox_shown)
        window.load_failed.connect(lambda text: report(error=text))
    QTimer.singleShot(60_000, lambda: report(error="timed out after 60 s"))


class ProbeTheWindow:
    """An import hook: once ``launcher.ui.app`` is loaded, its ``open_window`` (which ``run_gui``
    calls) is wrapped to attach the probe to the window it returns. Nothing else changes."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        if name != "launcher.ui.app":
            return None
        from importlib.machinery import PathFinder

        sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        load = spec.loader.exec_module

        def exec_module(module: Any) -> None:
            load(module)
            open_window = module.open_window

            def probed(*args: Any, **kwargs: Any) -> Any:
                app, window = open_window(*args, **kwargs)
                probe(app, window)
                return app, window

            module.open_window = probed

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if MODE == "bare":
    # The yardstick: the least a PySide6 program does to show a main window.
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    probe(app, window)
    window.show()
    app.exec()
elif MODE == "widgets":
    from PySide6.QtGui import QAction, QFont, QIcon
    from PySide6.QtWidgets import (
        QApplication,
        QComboBox,
        QHBoxLayout,
        QLabel,
        QLineEdit,
        QMainWindow,
        QScrollArea,
        QSplitter,
        QStackedWidget,
        QTabWidget,
        QToolBar,
        QToolButton,
        QVBoxLayout,
        QWidget,
    )

    RESOURCES = Path(__file__).resolve().parent.parent / "resources"
    app = QApplication(sys.argv[:1])
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "app.svg")))
    font = QFont(app.font())
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", *font.families()])
    font.setPointSize(max(12, font.pointSize()))
    app.setFont(font)
    app.setStyleSheet((RESOURCES / "style.qss").read_text(encoding="utf-8"))
    window = QMainWindow()
    window.resize(1280, 800)
    window.setWindowTitle("一端通")
    splitter = QSplitter(parent=window)  # by keyword: see report()
    window.setCentralWidget(splitter)
    tiles = QScrollArea(splitter)
    tiles.setObjectName("tilePanel")
    tiles.setWidgetResizable(True)
    box = QWidget(tiles)
    column = QVBoxLayout(box)
    column.addWidget(QLabel("平台", box))
    column.addStretch(1)
    tiles.setWidget(box)
    work = QWidget(splitter)
    tabs = QTabWidget(work)
    tabs.setObjectName("mainTabs")
    tabs.setDocumentMode(True)
    tabs.setTabsClosable(True)
    QVBoxLayout(work).addWidget(tabs)
    pages = tabs.findChild(QStackedWidget)
    inbox = QWidget(pages)
    bar = QHBoxLayout()
    for text in ("全部", "今天", "本周", "逾期"):
        button = QToolButton(inbox)
        button.setObjectName("viewButton")
        button.setText(text)
        bar.addWidget(button)
    bar.addWidget(QLabel("平台：", inbox))
    platforms = QComboBox(inbox)
    platforms.addItem("全部平台")
    bar.addWidget(platforms)
    search = QLineEdit(inbox)
    search.setPlaceholderText("搜索待办（Ctrl+F）")
    search.setClearButtonEnabled(True)
    bar.addWidget(search, 1)
    done = QToolButton(inbox)
    done.setObjectName("markDone")
    done.setText("标记完成")
    bar.addWidget(done)
    empty = QLabel("正在加载本县……", inbox)
    empty.setObjectName("emptyState")  # centred by the style sheet
    page = QVBoxLayout(inbox)
    page.addLayout(bar)
    page.addWidget(empty, 1)
    tabs.addTab(inbox, "待办")
    tabs.addTab(QWidget(pages), "一张表")
    toolbar = QToolBar("主工具栏", window)
    toolbar.setObjectName("mainToolbar")
    for text in ("登录", "刷新", "填表", "退出登录"):
        toolbar.addAction(QAction(text, window))
    window.addToolBar(toolbar)
    for text in ("账户(&A)", "工作(&W)", "语言(&L)", "帮助(&H)"):
        window.menuBar().addMenu(text).addAction(QAction(text, window))
    window.statusBar().addPermanentWidget(QLabel("未登录", window))
    probe(app, window)
    window.show()
    app.exec()
else:
    sys.meta_path.insert(0, ProbeTheWindow())
    from launcher.main import main

    main(["--county", sys.argv[2]])
report(error="the launcher's window closed before it was painted")
