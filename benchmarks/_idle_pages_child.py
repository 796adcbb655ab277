"""One launcher process with 30 platform pages open, measured from inside (started by
benchmarks/idle_pages.py).

Usage: _idle_pages_child.py MODE COUNTY_FILE PAGES
  Both modes open the pages one after another, bring the inbox to the front and measure them all
  hidden and still active. Then
  MODE ``idle``: the page lifecycle's delays are shortened (launcher/ui/page_lifecycle.py:
  frozen after FREEZE_MS, discarded after DISCARD_MS hidden), and the pages measured after the
  freeze delay, after the discard delay, and with one shown again;
  MODE ``active``: the pages are kept active (no delay), measured at the same moments.

Each sample: the launcher's RSS and PSS and those of its QtWebEngine processes. Prints one line
``RESULT {json}`` and leaves at once (os._exit).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil  # type: ignore[import-untyped]

MODE, COUNTY, PAGES = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
USERNAME, PASSWORD = os.environ.get("BENCH_USER", ""), os.environ.get("BENCH_PASSWORD", "")
FREEZE_MS, DISCARD_MS = 6000, 16000
"""The delays of the run (the county's are minutes)."""
SETTLE_MS = 3000
"""Let the processes (and those that end) settle before a sample."""


def report(**values: Any) -> None:
    print("RESULT " + json.dumps(values), flush=True)
    os._exit(0)


def sample(name: str) -> dict[str, Any]:
    me = psutil.Process()
    children = me.children(recursive=True)
    values: dict[str, Any] = {
        "name": name,
        "rss": me.memory_info().rss,
        "pss": me.memory_full_info().pss,
        "children": len(children),
        "children_rss": 0,
        "children_pss": 0,
    }
    for child in children:
        try:
            values["children_rss"] += child.memory_info().rss
            values["children_pss"] += child.memory_full_info().pss
        except psutil.Error:  # a helper process that just ended
            pass
    tabs = window.web_tabs()
    values["states"] = [tab.page.lifecycleState().name for tab in tabs]
    values["renderers"] = len({tab.page.renderProcessPid() for tab in tabs} - {0})
    return values


import launcher.cli  # noqa: E402, F401 (the command's module, as `launcher` imports it)
from launcher.core import paths  # noqa: E402
from launcher.core.logmask import setup_logging  # noqa: E402

setup_logging(paths.home() / "logs" / "launcher.log")
from PySide6.QtCore import QTimer  # noqa: E402 (after the start-up steps above)
from PySide6.QtWebEngineCore import QWebEnginePage  # noqa: E402

from launcher.ui.app import open_window  # noqa: E402

State = QWebEnginePage.LifecycleState
app, window = open_window(COUNTY, prompt_login=False)
state: dict[str, Any] = {"samples": [], "tab": None, "opened": 0, "started": False}


def refresh_finished(_ok: bool) -> None:
    if not state["started"]:
        state["started"] = True
        open_next()


def platforms() -> list[Any]:
    services = window.services
    assert services is not None
    return list(services.registry.platforms)[:PAGES]


def open_next() -> None:
    chosen = platforms()
    if state["opened"] >= len(chosen):
        all_open()
        return
    platform = chosen[state["opened"]]
    state["origin"] = urlsplit(platform.home).netloc
    window.open_platform(platform.id)


def tab_opened(tab: Any) -> None:
    state["tab"] = tab
    tab.load_finished.connect(lambda ok, t=tab: loaded(t, ok))


def loaded(tab: Any, _ok: bool) -> None:
    if tab is not state["tab"]:
        return
    if urlsplit(tab.url()).netloc == state["origin"]:
        state["tab"] = None
        state["opened"] += 1
        QTimer.singleShot(0, open_next)
        return
    # The provider's login form (the first page only: the others sign in by single sign-on).
    script = (
        "(() => { const f = document.querySelector('form#login-form'); if (!f) return false;"
        f" f.querySelector('input[name=username]').value = {json.dumps(USERNAME)};"
        f" f.querySelector('input[name=password]').value = {json.dumps(PASSWORD)};"
        " f.submit(); return true; })()"
    )
    tab.run_js(script, lambda _submitted: None)


def all_open() -> None:
    """Every page loaded: hide them all behind the inbox and measure them, all active; then, in
    the idle run, let them be frozen (the freeze delay alone), measure, let them be discarded
    too, measure. The delays count from each page's hiding (the first pages opened were hidden
    as the next ones opened)."""
    window.tabs.setCurrentWidget(window.inbox)
    lifecycle = window.page_tools.lifecycle
    lifecycle.delays_ms = (None, None)

    def hidden() -> None:
        take("hidden")
        if MODE == "idle":
            lifecycle.delays_ms = (FREEZE_MS, None)
        QTimer.singleShot(FREEZE_MS + SETTLE_MS, frozen)

    def frozen() -> None:
        take("after the freeze delay")
        if MODE == "idle":
            lifecycle.delays_ms = (FREEZE_MS, DISCARD_MS)
        QTimer.singleShot(DISCARD_MS + SETTLE_MS, discarded)

    def discarded() -> None:
        take("after the discard delay")
        show_one()

    QTimer.singleShot(SETTLE_MS, hidden)


def take(name: str) -> None:
    state["samples"].append(sample(name))


def show_one() -> None:
    """The first page's tab in front again: active (reloaded when it was discarded)."""
    tab = window.web_tabs()[0]
    if tab.page.lifecycleState() == State.Discarded:
        tab.load_finished.connect(lambda _ok: QTimer.singleShot(SETTLE_MS, finish))
    else:
        QTimer.singleShot(SETTLE_MS, finish)
    window.tabs.setCurrentWidget(tab)


def finish() -> None:
    if state.get("finished"):
        return  # a second load of the page shown again
    state["finished"] = True
    take("one page shown again")
    report(mode=MODE, pages=len(window.web_tabs()), samples=state["samples"],
           freeze_ms=FREEZE_MS, discard_ms=DISCARD_MS)


window.refresh_finished.connect(refresh_finished)
window.web_tab_opened.connect(tab_opened)
window.load_failed.connect(lambda text: report(error=text))
QTimer.singleShot(280_000, lambda: report(error="timed out after 280 s",
                                          opened=state["opened"]))
window.show()
app.exec()
