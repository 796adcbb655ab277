"""One launcher process whose memory is measured from inside (started by benchmarks/memory.py).

Usage:
  _memory_child.py idle COUNTY_FILE [--tracemalloc]
      start, wait until the cached inbox is shown and the start-up refresh has ended, settle, and
      report the memory (no page open);
  _memory_child.py pages COUNTY_FILE N
      the same, then open N platform pages one after another in the real window (signing in on
      the provider's web form in the first one, as a user would; the others sign in by single
      sign-on) and report the memory after each, QtWebEngineProcess children included.

Prints one line ``RESULT {json}`` and leaves at once (os._exit).
"""

from __future__ import annotations

import sys

if "--tracemalloc" in sys.argv:
    import tracemalloc

    tracemalloc.start()

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil  # type: ignore[import-untyped]

MODE, COUNTY = sys.argv[1], Path(sys.argv[2])
PAGES = int(sys.argv[3]) if MODE == "pages" else 0
USERNAME, PASSWORD = os.environ.get("BENCH_USER", ""), os.environ.get("BENCH_PASSWORD", "")


def report(**values: Any) -> None:
    print("RESULT " + json.dumps(values), flush=True)
    os._exit(0)


def peak_rss() -> int:
    """VmHWM: the most resident memory this process ever had (bytes)."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def sample() -> dict[str, Any]:
    me = psutil.Process()
    children = me.children(recursive=True)
    values: dict[str, Any] = {
        "rss": me.memory_info().rss,
        "pss": me.memory_full_info().pss,
        "peak_rss": peak_rss(),
        "children": len(children),
        "children_rss": 0,
        "children_pss": 0,
        "webengine_loaded": any(m.startswith("PySide6.QtWebEngine") for m in sys.modules),
    }
    for child in children:
        try:
            values["children_rss"] += child.memory_info().rss
            values["children_pss"] += child.memory_full_info().pss
        except psutil.Error:  # a helper process that just ended
            pass
    if "tracemalloc" in sys.modules:
        import tracemalloc

        if tracemalloc.is_tracing():
            values["traced"], values["traced_peak"] = tracemalloc.get_traced_memory()
    return values


import launcher.cli  # noqa: E402, F401 (the command's module, as `launcher` imports it)
from launcher.core import paths  # noqa: E402
from launcher.core.logmask import setup_logging  # noqa: E402

setup_logging(paths.home() / "logs" / "launcher.log")
from PySide6.QtCore import QTimer  # noqa: E402 (after the start-up steps above)

from launcher.ui.app import open_window  # noqa: E402 (after the start-up steps above)

app, window = open_window(COUNTY, prompt_login=False)
SETTLE_MS = 1500
"""Let the pages' processes and the garbage collector settle before each sample."""
state: dict[str, Any] = {"rows": 0, "samples": [], "tab": None, "signed_in_on_web": False}


def inbox_shown(rows: int) -> None:
    state["rows"] = max(state["rows"], rows)


def refresh_finished(_ok: bool) -> None:
    if "idle" not in state:
        state["idle"] = True
        QTimer.singleShot(SETTLE_MS, idle)


def idle() -> None:
    state["samples"].append(sample())
    if MODE == "idle":
        report(rows=state["rows"], samples=state["samples"])
    open_next()


def open_next() -> None:
    services = window.services
    assert services is not None
    platforms = [p for p in services.registry.platforms if p.manifest.tasks is not None]
    index = len(state["samples"]) - 1
    if index >= PAGES:
        report(rows=state["rows"], samples=state["samples"],
               pages=[p.id for p in platforms[:PAGES]])
    platform = platforms[index]
    state["origin"] = urlsplit(platform.home).netloc
    window.open_platform(platform.id)


def tab_opened(tab: Any) -> None:
    state["tab"] = tab
    tab.load_finished.connect(lambda ok, t=tab: loaded(t, ok))


def loaded(tab: Any, ok: bool) -> None:
    if tab is not state["tab"]:
        return
    if urlsplit(tab.url()).netloc == state["origin"]:
        state["tab"] = None  # this page is done: later loads of it are not counted again
        QTimer.singleShot(SETTLE_MS, after_page)
        return
    # The provider's login form (only the first page: the others sign in by single sign-on).
    script = (
        "(() => { const f = document.querySelector('form#login-form'); if (!f) return false;"
        f" f.querySelector('input[name=username]').value = {json.dumps(USERNAME)};"
        f" f.querySelector('input[name=password]').value = {json.dumps(PASSWORD)};"
        " f.submit(); return true; })()"
    )
    tab.run_js(script, lambda submitted: state.__setitem__("signed_in_on_web", bool(submitted)
                                                           or state["signed_in_on_web"]))


def after_page() -> None:
    state["samples"].append(sample())
    open_next()


window.inbox_updated.connect(inbox_shown)
window.refresh_finished.connect(refresh_finished)
window.web_tab_opened.connect(tab_opened)
window.load_failed.connect(lambda text: report(error=text))
QTimer.singleShot(120_000, lambda: report(error="timed out after 120 s", state=str(state)))
window.show()
app.exec()
