"""Fill a corpus page for real and read back what the framework holds.

``run_page(server, name, planner)`` loads the page in an offscreen QWebEnginePage, waits until the
framework has mounted (``window.__model`` exists in the page's own world), scans it with
``PageFill`` (the launcher's own scan), hands the scan to ``planner`` (scan -> list of C3 fill
field dicts), fills them with ``PageFill``, then reads ``window.__model()`` and runs
``window.__submit()`` (the framework's own validation) in the page's main world.

A QApplication must exist (pytest-qt's ``qapp``, or ``ensure_app()``). Used by tests/webfill, the
benchmark (benchmarks/autofill.py) and the fill-flow tests.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView  # before any QApplication exists

from launcher.ui.page_fill import PageFill
from tests.form_corpus.server import PAGES, CorpusServer

Planner = Callable[[dict[str, Any]], list[dict[str, Any]]]
PAGE_NAMES = ("element_ui", "element_plus", "layui26", "layui29", "antd", "table_html",
              "iframe_element", "iframe_same", "frameset", "iframe_cross")


class HarnessError(RuntimeError):
    pass


def ensure_app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def truth(name: str) -> dict[str, Any]:
    """The page's truth file: framework, url, mapping {selector: key} (what a manifest maps),
    truth {model prop: key or null} (what each model property IS: the answer heuristics must
    find), choices {key: {value: model value}} (codes the model stores), and mapped_props {model
    prop: key} (props the mapping fills although they are not that key: score them only for
    mapped runs)."""
    data: dict[str, Any] = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
    return data


def wait_until(predicate: Callable[[], Any], timeout_ms: int = 30_000, what: str = "") -> Any:
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        got = predicate()
        if got:
            return got
        if time.monotonic() > deadline:
            raise HarnessError(f"timed out waiting for {what or predicate}")
        time.sleep(0.01)


class PageTab:
    """A QWebEnginePage with the two calls PageFill uses (``url``, ``run_js``)."""

    def __init__(self, profile: QWebEngineProfile | None = None) -> None:
        self._own_profile = profile is None
        self.profile = profile or QWebEngineProfile()  # off the record
        self.page = QWebEnginePage(self.profile)
        # Shown (offscreen), as a tab is: a hidden page gets no animation frames, and the
        # frameworks' virtual lists and transitions wait for them.
        self.view = QWebEngineView()
        self.view.setPage(self.page)
        self.view.resize(1280, 900)
        self.view.show()
        self.console: list[str] = []
        self.page.javaScriptConsoleMessage = (  # type: ignore[method-assign]
            lambda level, message, line, source: self.console.append(f"{source}:{line}: {message}"))

    def url(self) -> str:
        return self.page.url().toString()

    def run_js(self, script: str, callback: Callable[[Any], None], *, isolated: bool = False
               ) -> None:
        world = (QWebEngineScript.ScriptWorldId.ApplicationWorld if isolated
                 else QWebEngineScript.ScriptWorldId.MainWorld)
        self.page.runJavaScript(script, world, callback)

    def load(self, url: str, timeout_ms: int = 30_000) -> None:
        done: list[bool] = []
        self.page.loadFinished.connect(done.append)
        try:
            self.page.load(QUrl(url))
            wait_until(lambda: bool(done), timeout_ms, f"loading {url}")
        finally:
            self.page.loadFinished.disconnect(done.append)
        if not done[0]:
            raise HarnessError(f"{url} did not load")

    def run(self, script: str, *, isolated: bool = False, timeout_ms: int = 30_000) -> Any:
        results: list[Any] = []
        self.run_js(script, results.append, isolated=isolated)
        wait_until(lambda: bool(results), timeout_ms, "a script's answer")
        return results[0]

    def close(self) -> None:
        # The page before its profile, now: a profile released under a live page warns.
        self.view.hide()
        self.view.setPage(None)  # type: ignore[arg-type]
        shiboken6.delete(self.page)
        shiboken6.delete(self.view)
        if self._own_profile:
            shiboken6.delete(self.profile)


@dataclass
class PageResult:
    name: str
    scan: dict[str, Any]
    planned: list[dict[str, Any]]
    model_before: dict[str, Any]
    popups: int
    fill: dict[str, Any] | None
    model: dict[str, Any]
    submit: dict[str, Any]
    truth: dict[str, Any] = field(default_factory=dict)
    console: list[str] = field(default_factory=list)

    @property
    def results(self) -> dict[str, str]:
        return dict((self.fill or {}).get("results") or {})


def mount(tab: PageTab, url: str, timeout_ms: int = 30_000) -> None:
    tab.load(url, timeout_ms)
    wait_until(lambda: tab.run("typeof window.__model === 'function' && !!window.__ready")
               is True, timeout_ms, f"the framework of {url} to mount")


def scan(tab: PageTab, origin: str, wait_ms: int = 8000, selectors: tuple[str, ...] = ()
         ) -> dict[str, Any] | None:
    filler = PageFill(tab)
    got: list[dict[str, Any] | None] = []
    filler.scan(origin, got.append, wait_ms=wait_ms, selectors=selectors)
    wait_until(lambda: bool(got), wait_ms + 30_000, "the scan")
    return got[0]


def fill(tab: PageTab, origin: str, fields: list[dict[str, Any]], timeout_ms: int = 60_000
         ) -> dict[str, Any] | None:
    filler = PageFill(tab)
    got: list[dict[str, Any] | None] = []
    filler.fill(origin, fields, got.append, timeout_ms=timeout_ms)
    wait_until(lambda: bool(got), timeout_ms + 30_000, "the fill")
    return got[0]


POPUPS = (".el-select-dropdown, .el-picker-panel, .el-cascader__dropdown, .ant-select-dropdown,"
          " .ant-picker-dropdown, .layui-laydate, .layui-form-selected dl")


OPEN_POPUPS_JS = """(function () {
  var n = 0, docs = [document];
  for (var i = 0; i < frames.length; i++) {
    try { docs.push(frames[i].document); } catch (e) { /* another origin */ }
  }
  docs.forEach(function (d) {
    d.querySelectorAll(SELECTORS).forEach(function (e) {
      var s = getComputedStyle(e);
      if (s.display !== "none" && s.visibility !== "hidden" && e.getClientRects().length &&
          !/hidden/.test(e.className)) { n++; }
    });
  });
  return n;
})()"""


def open_popups(tab: PageTab) -> int:
    """How many dropdowns, pickers and cascader panels are left open over the page (all frames
    of its origin)."""
    script = OPEN_POPUPS_JS.replace("SELECTORS", json.dumps(POPUPS))
    return int(tab.run(script))


def read_model(tab: PageTab) -> dict[str, Any]:
    answer = tab.run("JSON.stringify(window.__model())")
    data = json.loads(answer) if isinstance(answer, str) else {}
    return data if isinstance(data, dict) else {}


def submit(tab: PageTab) -> dict[str, Any]:
    tab.run("window.__submitted = null; Promise.resolve().then(() => window.__submit()).then("
            "r => { window.__submitted = r || window.__submitted || {ok: false, errors: ['none']} },"
            " e => { window.__submitted = {ok: false, errors: [String(e && e.message || e)]} });"
            " true")
    answer = wait_until(lambda: tab.run("window.__submitted ? JSON.stringify(window.__submitted)"
                                        " : ''") or None, 30_000, "the form's validation")
    data = json.loads(answer)
    return data if isinstance(data, dict) else {"ok": False, "errors": ["bad answer"]}


def mapping_planner(name: str, values: dict[str, str]) -> Planner:
    """A planner that does what a manifest does: each mapped selector gets its key's value."""
    mapping: dict[str, str] = truth(name).get("mapping", {})

    def plan(scan_: dict[str, Any]) -> list[dict[str, Any]]:
        # scan_["mapped"]: where the page found each mapped selector (run_page asks for them).
        by_ref = {f["ref"]: f for f in scan_.get("fields", [])}
        planned: list[dict[str, Any]] = []
        for selector, key in mapping.items():
            f = by_ref.get(scan_.get("mapped", {}).get(selector, ""))
            if f is not None and key in values and all(p["ref"] != f["ref"] for p in planned):
                planned.append({"ref": f["ref"], "frame": f["frame"], "selector": f["selector"],
                                "widget": f["widget"], "value": values[key]})
        return planned

    return plan


def run_page(server: CorpusServer, name: str, planner: Planner, *,
             tab: PageTab | None = None, submit_form: bool = True) -> PageResult:
    """Load, scan, plan, fill, read back and submit one corpus page."""
    own = tab is None
    tab = tab or PageTab()
    try:
        url = server.url(name)
        mount(tab, url)
        before = read_model(tab)
        mapped = tuple(truth(name).get("mapping", {}))
        scanned = scan(tab, server.origin, selectors=mapped) or {"fields": [],
                                                                  "refused": "no answer"}
        planned = planner(scanned)
        filled = fill(tab, server.origin, planned) if planned else {"done": True, "results": {}}
        model = read_model(tab)
        popups = open_popups(tab)
        submitted = submit(tab) if submit_form else {}
        return PageResult(name, scanned, planned, before, popups, filled, model, submitted, truth(name),
                          list(tab.console))
    finally:
        if own:
            tab.close()


def page_path(name: str) -> Path:
    return PAGES / f"{name}.html"


def expected(name: str, key: str, value: str) -> Any:
    """What the page's model should hold for ``key`` filled with ``value`` (its choices' code)."""
    choices = truth(name).get("choices", {}).get(key, {})
    return choices.get(value, value)


def same_value(model_value: Any, want: Any) -> bool:
    """A model value equals the expected one (numbers compared as the text a person typed)."""
    if isinstance(model_value, bool) or isinstance(want, (bool, list)):
        return bool(model_value == want)
    if isinstance(model_value, (int, float)):
        return str(model_value) == str(want)
    return bool(model_value == want)
