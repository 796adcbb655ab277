"""The fill script in a real Chromium page (QtWebEngine, offscreen) served by a local HTTP server.

Checks what a person would see: the fields filled, the page's own scripts told of each change,
password fields and frames left alone, and nothing at all filled on a page of another origin.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# QtWebEngine must be imported before the QApplication exists, and runs without sandbox as root.
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6.QtWebEngineWidgets  # noqa: F401  (must precede the QApplication)
import pytest
from _local_http import LocalServer, local_server
from _platforms import FORMS, make_platform
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineScript

from launcher.core.profile.autofill import FillPlan, fill_script, plan_fill

pytestmark = pytest.mark.webengine

PROFILE = {"person.name": "王小明", "person.id_number": "11010519491231002X",
           "person.phone": "13812345678", "org.village": "幸福村", "inspection.date": "2026-11-30"}

FORM_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>消防安全检查</title></head>
<body>
<form>
  <label>检查人 <input id="inspector"></label>
  <label>身份证号 <input name="idno"></label>
  <label>电话 <input id="phone" type="tel" value="旧号码"></label>
  <label>所属村 <select id="village">
    <option value="">请选择</option><option value="v01">和平村</option>
    <option value="v02">幸福村</option></select></label>
  <label>检查日期 <input id="check_date" type="date"></label>
  <label>口令 <input id="pw" type="password"></label>
  <label>户数 <input id="households" type="number"></label>
  <label>备注 <textarea id="note"></textarea></label>
  <label>编号 <input id="serial" readonly value="A-1"></label>
</form>
<iframe id="frame" src="/frame"></iframe>
<script>
  // What a framework would do: listen for input and change events, and count them.
  for (const kind of ["input", "change"]) {
    document.addEventListener(kind, (e) => {
      const seen = JSON.parse(document.body.dataset[kind] || "[]");
      seen.push(e.target.id || e.target.name);
      document.body.dataset[kind] = JSON.stringify(seen);
    }, true);
  }
</script>
</body></html>
"""

FRAME_PAGE = """<!doctype html><html><head><meta charset="utf-8"></head>
<body><input id="in-frame"></body></html>"""

READ_BACK = """JSON.stringify({
  inspector: document.querySelector('#inspector').value,
  idno: document.querySelector('input[name=idno]').value,
  phone: document.querySelector('#phone').value,
  village: document.querySelector('#village').value,
  date: document.querySelector('#check_date').value,
  pw: document.querySelector('#pw').value,
  households: document.querySelector('#households').value,
  note: document.querySelector('#note').value,
  serial: document.querySelector('#serial').value,
  frame: document.querySelector('#frame').contentDocument.querySelector('#in-frame').value,
  input: JSON.parse(document.body.dataset.input || '[]'),
  change: JSON.parse(document.body.dataset.change || '[]'),
})"""


def serve_form(server: LocalServer) -> None:
    server.html("/inspections/new", FORM_PAGE)
    server.html("/frame", FRAME_PAGE)


@pytest.fixture
def platform_server() -> Iterator[LocalServer]:
    with local_server() as served:
        serve_form(served)
        yield served


def load(qtbot: Any, page: QWebEnginePage, url: str) -> None:
    with qtbot.waitSignal(page.loadFinished, timeout=30_000) as finished:
        page.load(QUrl(url))
    assert finished.args == [True]
    # The iframe loads on its own; wait until its field exists.
    qtbot.waitUntil(lambda: run(qtbot, page, "!!(document.querySelector('#frame')"
                                ".contentDocument || {querySelector: () => null})"
                                ".querySelector('#in-frame')") is True, timeout=30_000)


def run(qtbot: Any, page: QWebEnginePage, script: str, world: int = 0) -> Any:
    results: list[Any] = []
    page.runJavaScript(script, world, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    return results[0]


def fill_plan(server: LocalServer, tmp_path: Path) -> FillPlan:
    platform = make_platform(tmp_path, server.url, forms=FORMS)
    plan = plan_fill(platform, f"{server.url}/inspections/new", PROFILE)
    assert plan is not None
    extra = {"#pw": "hunter2", "#in-frame": "不应出现", "#households": "三百",
             "#note": '备注 "引号" </script>\n第二行', "#serial": "B-2", "#nowhere": "x"}
    return FillPlan(plan.platform_id, plan.form_key, plan.origin, {**plan.values, **extra},
                    plan.missing)


@pytest.mark.parametrize("world", [QWebEngineScript.ScriptWorldId.MainWorld,
                                   QWebEngineScript.ScriptWorldId.ApplicationWorld])
def test_the_form_is_filled_and_the_page_sees_each_change(qtbot, page, platform_server, tmp_path,
                                                          world):
    plan = fill_plan(platform_server, tmp_path)
    load(qtbot, page, f"{platform_server.url}/inspections/new")

    report = json.loads(run(qtbot, page, fill_script(plan), int(world)))
    after = json.loads(run(qtbot, page, READ_BACK))

    assert report["refused"] is None
    assert set(report["filled"]) == {"#inspector", "input[name=idno]", "#phone", "#village",
                                     "#check_date", "#note"}
    assert report["missing"] == ["#in-frame", "#nowhere"]
    assert report["skipped"] == {"#pw": "password", "#households": "rejected",
                                 "#serial": "readonly"}
    assert after["inspector"] == "王小明"
    assert after["idno"] == "11010519491231002X"
    assert after["phone"] == "13812345678"
    assert after["village"] == "v02"  # chosen by the option's visible text
    assert after["date"] == "2026-11-30"
    assert after["note"] == '备注 "引号" </script>\n第二行'
    # Untouched: the password, a number field given text, a read-only field, the iframe.
    assert (after["pw"], after["households"], after["serial"], after["frame"]) == ("", "", "A-1",
                                                                                  "")
    # The page's listeners saw input and change for every filled field.
    filled_ids = {"inspector", "idno", "phone", "village", "check_date", "note"}
    assert set(after["input"]) == filled_ids
    assert set(after["change"]) == filled_ids


def test_a_page_of_another_origin_is_refused_and_left_alone(qtbot, page, platform_server,
                                                             tmp_path):
    plan = fill_plan(platform_server, tmp_path)
    with local_server() as impostor:
        serve_form(impostor)
        load(qtbot, page, f"{impostor.url}/inspections/new")
        report = json.loads(run(qtbot, page, fill_script(plan)))
        after = json.loads(run(qtbot, page, READ_BACK))
    assert report == {"filled": [], "missing": [], "skipped": {}, "refused": "origin"}
    assert (after["inspector"], after["idno"], after["phone"]) == ("", "", "旧号码")
    assert after["input"] == [] and after["change"] == []


def test_a_page_that_fakes_its_globals_is_still_refused_in_the_application_world(
        qtbot, page, platform_server, tmp_path):
    plan = fill_plan(platform_server, tmp_path)
    with local_server() as impostor:
        serve_form(impostor)
        load(qtbot, page, f"{impostor.url}/inspections/new")
        # A hostile page replaces what a naive script would rely on.
        run(qtbot, page, "RegExp.prototype.exec = () => ['', 'http', '127.0.0.1', '"
            + plan.origin.rsplit(":", 1)[1] + "']; String.prototype.toLowerCase = function () "
            "{ return 'x'; }; true")
        report = json.loads(run(qtbot, page, fill_script(plan),
                                int(QWebEngineScript.ScriptWorldId.ApplicationWorld)))
        after = json.loads(run(qtbot, page, READ_BACK))
    assert report["refused"] == "origin"
    assert after["inspector"] == ""
