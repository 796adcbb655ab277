"""The demo platforms' forms built on real UI frameworks, in a real Chromium page (QtWebEngine,
offscreen), signed in through the demo county's identity provider as a person is.

安全排查 on Element UI 2.15 (Vue 2), 执法检查 on layui 2.9, 基层智治's household form on Ant Design
Vue 4 (Vue 3), 社区云's 户情信息采集 on Element Plus 2 (Vue 3), 民政救助's 低保复核 on layui 2.6, each
loading the framework from its own origin (/vendor/...). Each page mounts
without a console error, the manifest's selectors find fields inside the framework's form items,
the framework's own validation stops an empty submit before anything is sent, and a form filled
through its widgets reaches the platform, which stores it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import PySide6.QtWebEngineWidgets  # noqa: F401  (must precede the QApplication)
import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView

from launcher.core.manifest import Manifest, load_manifest
from launcher_demo import DEMO_USERS, DemoCounty, plugins_dir

pytestmark = pytest.mark.webengine

TIMEOUT = 30_000
USER = DEMO_USERS[0]

MOUNTED = {
    "demo.anquan": "!!document.querySelector('form.el-form#safety_check-form')"
                   " && !!document.querySelector('.el-select #village')",
    "demo.zhifa": "document.querySelectorAll('.layui-form-select').length === 3"
                  " && !!document.querySelector('.layui-form-switch')",
    "demo.zhizhi": "!!document.querySelector('form.ant-form #household_hzxm')"
                   " && !!document.querySelector('.ant-picker')",
    "demo.shequyun": "!!document.querySelector('form.el-form #realName')"
                     " && !!document.querySelector('.el-select')",
    "demo.minzheng": "document.querySelectorAll('.layui-form-select').length === 2"
                     " && document.querySelectorAll('.layui-form-radio').length === 3",
}
PATHS = {"demo.anquan": "/inspections/new", "demo.zhifa": "/jcjl/add",
         "demo.zhizhi": "/household/edit", "demo.shequyun": "/collect/household",
         "demo.minzheng": "/relief/review"}
FORM_ITEM = ".el-form-item, .layui-form-item, .ant-form-item"

# Helpers the test runs in the page, as a person's hands: type into an input (the framework
# hears input and change), click things.
HANDS = """
window.__type = function (el, text) {
  var proto = el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, text);
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  el.dispatchEvent(new Event('blur'));
};
window.__byText = function (selector, text) {
  return Array.from(document.querySelectorAll(selector))
    .find(function (e) { return e.textContent.trim() === text; });
};
true;
"""


class ConsolePage(QWebEnginePage):
    """A page that keeps the console errors its scripts log."""

    def __init__(self, profile: QWebEngineProfile) -> None:
        super().__init__(profile)
        self.errors: list[str] = []

    def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.errors.append(f"{source}:{line}: {message}")


@pytest.fixture(scope="module")
def profile(qapp: Any) -> Iterator[QWebEngineProfile]:
    """An off-the-record browser profile: it signs in to the county once for the module."""
    browser = QWebEngineProfile()
    yield browser
    browser.deleteLater()


@pytest.fixture
def view(qtbot: Any, profile: QWebEngineProfile) -> Iterator[QWebEngineView]:
    shown = QWebEngineView()
    page = ConsolePage(profile)
    shown.setPage(page)
    shown.page_ref = page  # type: ignore[attr-defined]
    shown.resize(1280, 1000)
    shown.show()
    yield shown
    shown.close()
    shown.setPage(None)  # type: ignore[arg-type]
    del shown.page_ref  # type: ignore[attr-defined]
    page.deleteLater()
    shown.deleteLater()
    qtbot.wait(50)


def run(qtbot: Any, page: QWebEnginePage, script: str) -> Any:
    results: list[Any] = []
    page.runJavaScript(script, 0, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=TIMEOUT)
    return results[0]


def value(qtbot: Any, page: QWebEnginePage, expression: str) -> Any:
    """An expression's value in the page, through JSON."""
    return json.loads(run(qtbot, page, f"JSON.stringify(({expression}) ?? null)"))


def wait_js(qtbot: Any, page: QWebEnginePage, condition: str) -> None:
    qtbot.waitUntil(lambda: run(qtbot, page, f"!!({condition})") is True, timeout=TIMEOUT)


def open_form(qtbot: Any, view: QWebEngineView, county: DemoCounty, plugin_id: str) -> ConsolePage:
    """The platform's form page, signed in (the provider's login form the first time)."""
    page = view.page_ref  # type: ignore[attr-defined]
    assert isinstance(page, ConsolePage)
    base = county.base_urls[plugin_id]
    url = base + PATHS[plugin_id]
    with qtbot.waitSignal(page.loadFinished, timeout=TIMEOUT):
        page.load(QUrl(url))
    if page.url().toString().startswith(county.issuer):
        wait_js(qtbot, page, "document.querySelector('#login-form')")
        credentials = json.dumps([USER.username, USER.password])
        run(qtbot, page, f"""var c = {credentials};
            document.querySelector('#username').value = c[0];
            document.querySelector('input[name=password]').value = c[1];
            document.querySelector('#login-form').submit(); true;""")
    qtbot.waitUntil(lambda: page.url().toString() == url, timeout=TIMEOUT)
    wait_js(qtbot, page, MOUNTED[plugin_id])
    run(qtbot, page, HANDS)
    return page


def manifest(plugin_id: str) -> Manifest:
    return load_manifest(plugins_dir() / plugin_id.removeprefix("demo.") / "manifest.toml")


def form_spec(plugin_id: str) -> Any:
    return next(f for f in manifest(plugin_id).forms if f.url.endswith(PATHS[plugin_id]))


@pytest.mark.parametrize("plugin_id", list(PATHS))
def test_the_framework_page_mounts_from_its_own_origin_without_console_errors(
    qtbot: Any, view: QWebEngineView, demo_county: DemoCounty, plugin_id: str
) -> None:
    page = open_form(qtbot, view, demo_county, plugin_id)
    scripts = value(qtbot, page, "Array.from(document.scripts).filter(s => s.src)"
                                 ".map(s => s.src)")
    base = demo_county.base_urls[plugin_id]
    assert scripts and all(s.startswith(base + "/vendor/") for s in scripts), scripts
    assert page.errors == []
    # Each selector the manifest maps finds one field inside one of the framework's form items.
    for selector in form_spec(plugin_id).fields:
        found = run(qtbot, page, f"""(function () {{
            var all = document.querySelectorAll({json.dumps(selector)});
            return all.length === 1 && !!all[0].closest({json.dumps(FORM_ITEM)}); }})()""")
        assert found is True, (plugin_id, selector)


def test_element_ui_inspection_validates_then_reaches_the_platform(
    qtbot: Any, view: QWebEngineView, demo_county: DemoCounty
) -> None:
    plugin_id = "demo.anquan"
    page = open_form(qtbot, view, demo_county, plugin_id)
    before = len(demo_county.submissions(plugin_id)), len(demo_county.refusals(plugin_id))

    run(qtbot, page, "document.querySelector('#submit').click(); true;")
    wait_js(qtbot, page, "document.querySelectorAll('.el-form-item.is-error').length >= 9")
    errors = value(qtbot, page, "Array.from(document.querySelectorAll('.el-form-item__error'))"
                              ".map(e => e.textContent.trim())")
    assert "请输入场所名称或户主姓名" in errors and "请选择检查日期" in errors

    # A person's hands for the widgets: text typed, options clicked in the dropdowns.
    typed = {"#place_name": "张记小吃店", "#address": "城关镇解放路 12 号",
             "#credit_code": "91330102MA2XXXXX0A", "#inspector": "张伟",
             "#inspector_idno": "11010519491231002X", "#phone": "13800138000",
             "#rectification": "已清理消防通道"}
    for selector, text in typed.items():
        run(qtbot, page, f"__type(document.querySelector({json.dumps(selector)}), "
                         f"{json.dumps(text)}); true;")
    # The credit code above has a wrong check character: the page's own rule says so.
    wait_js(qtbot, page, "(__byText('.el-form-item__error', '统一社会信用代码不正确'))")
    run(qtbot, page, "__type(document.querySelector('#credit_code'), ''); true;")
    for selector, option in (("#village", "李家村"), ("#result", "限期整改"),
                             ("#hazard_types", "消防安全"), ("#hazard_types", "用电安全")):
        run(qtbot, page, f"document.querySelector({json.dumps(selector)}).click(); true;")
        wait_js(qtbot, page, f"__byText('.el-select-dropdown__item', {json.dumps(option)})")
        run(qtbot, page, f"__byText('.el-select-dropdown__item', {json.dumps(option)})"
                         ".click(); true;")
    run(qtbot, page, "__byText('#rectified .el-radio', '否').click();"
                     "document.querySelector('.el-switch').click(); true;")
    # The date pickers: the Vue model, as the picker commits it (yyyy-MM-dd).
    run(qtbot, page, """var vm = document.querySelector('.app-container').__vue__;
        vm.form.check_date = '2026-11-20'; vm.form.deadline = '2026-12-20'; true;""")
    run(qtbot, page, "document.querySelector('#submit').click(); true;")

    qtbot.waitUntil(lambda: len(demo_county.submissions(plugin_id)) == before[0] + 1,
                    timeout=TIMEOUT)
    wait_js(qtbot, page, "document.body.innerText.includes('提交成功')")
    stored = demo_county.submissions(plugin_id)[-1]
    assert {k: stored[k] for k in ("place_name", "village", "result", "hazard_types",
                                   "rectified", "follow_up", "check_date", "deadline", "idno",
                                   "via")} == {
        "place_name": "张记小吃店", "village": "李家村", "result": "限期整改",
        "hazard_types": "消防安全,用电安全", "rectified": "否", "follow_up": "true",
        "check_date": "2026-11-20", "deadline": "2026-12-20", "idno": "11010519491231002X",
        "via": "web"}
    assert stored["submitted_by"] == USER.username and stored["credit_code"] == ""
    assert len(demo_county.refusals(plugin_id)) == before[1], "the empty form was never sent"
    assert page.errors == []


def test_layui_inspection_validates_then_reaches_the_platform(
    qtbot: Any, view: QWebEngineView, demo_county: DemoCounty
) -> None:
    plugin_id = "demo.zhifa"
    page = open_form(qtbot, view, demo_county, plugin_id)
    before = len(demo_county.submissions(plugin_id)), len(demo_county.refusals(plugin_id))

    run(qtbot, page, "document.querySelector('#submit').click(); true;")
    # layui marks the first field its lay-verify refuses and says why in a layer message.
    wait_js(qtbot, page, "document.querySelector('#zfry_xm.layui-form-danger')")
    wait_js(qtbot, page, "__byText('.layui-layer-content', '请填写执法人员姓名')")

    typed = {"#zfry_xm": "张伟", "#sfz": "11010519491231002X", "#lxdh": "13800138000",
             "#jcdx": "张记小吃店", "#jcdxdz": "城关镇解放路 12 号", "#jcrq": "2026-11-21",
             "#zgqk": "当场整改"}
    for selector, text in typed.items():
        run(qtbot, page, f"__type(document.querySelector({json.dumps(selector)}), "
                         f"{json.dumps(text)}); true;")
    # layui's rendered widgets: the select's title then its option, the skinned radio,
    # checkboxes and switch (the native inputs are hidden).
    for select, option in (("#ssxz", "城关镇"), ("#sscun", "李家村"), ("#jcjg", "未发现问题")):
        run(qtbot, page, f"""var box = document.querySelector({json.dumps(select)})
              .parentNode.querySelector('.layui-form-select');
            box.querySelector('.layui-select-title input').click();
            box.querySelector('dd[lay-value="{option}"]').click(); true;""")
    run(qtbot, page, """__byText('#sfzg .layui-form-radio', '是').click();
        __byText('#yhlx .layui-form-checkbox', '燃气安全').click();
        document.querySelector('#fc').nextElementSibling.click(); true;""")
    run(qtbot, page, "document.querySelector('#submit').click(); true;")

    qtbot.waitUntil(lambda: len(demo_county.submissions(plugin_id)) == before[0] + 1,
                    timeout=TIMEOUT)
    wait_js(qtbot, page, "document.body.innerText.includes('提交成功')")
    stored = demo_county.submissions(plugin_id)[-1]
    assert {k: stored[k] for k in ("zfry_xm", "zfry_sfz", "ssxz", "cun", "jcrq", "jcdx", "jcjg",
                                   "sfzg", "yhlx", "fc", "zgqx")} == {
        "zfry_xm": "张伟", "zfry_sfz": "11010519491231002X", "ssxz": "城关镇", "cun": "李家村",
        "jcrq": "2026-11-21", "jcdx": "张记小吃店", "jcjg": "未发现问题", "sfzg": "是",
        "yhlx": "燃气安全", "fc": "true", "zgqx": ""}
    assert len(demo_county.refusals(plugin_id)) == before[1], "the empty form was never sent"
    assert page.errors == []


def test_ant_design_household_validates_then_reaches_the_platform(
    qtbot: Any, view: QWebEngineView, demo_county: DemoCounty
) -> None:
    plugin_id = "demo.zhizhi"
    page = open_form(qtbot, view, demo_county, plugin_id)
    before = len(demo_county.submissions(plugin_id)), len(demo_county.refusals(plugin_id))

    run(qtbot, page, "document.querySelector('#submit').click(); true;")
    wait_js(qtbot, page, "document.querySelectorAll('.ant-form-item-has-error').length >= 9")
    assert run(qtbot, page, "!!__byText('.ant-form-item-explain-error', '请输入户主姓名')")

    typed = {"#household_hzxm": "王建国", "#household_hzsfzh": "11010519491231002X",
             "#household_hh": "330102003001", "#household_dz": "李家村 3 组 18 号",
             "#household_lxdh": "13900000000", "#household_rks": "4"}
    for selector, text in typed.items():
        run(qtbot, page, f"__type(document.querySelector({json.dumps(selector)}), "
                         f"{json.dumps(text)}); true;")
    # a-select opens on mousedown on its selector; the option is clicked by its title.
    for field, option in (("ssxz", "城关镇"), ("sscun", "李家村"), ("dblb", "农村低保")):
        run(qtbot, page, f"""document.querySelector('#household_{field}')
              .closest('.ant-select').querySelector('.ant-select-selector')
              .dispatchEvent(new MouseEvent('mousedown', {{bubbles: true}})); true;""")
        option_selector = f'.ant-select-item-option[title="{option}"]'
        wait_js(qtbot, page, f"document.querySelector({json.dumps(option_selector)})")
        run(qtbot, page, f"document.querySelector({json.dumps(option_selector)}).click(); true;")
    # The date picker: open it and click today, as a person does.
    run(qtbot, page, """document.querySelector('#household_djrq').dispatchEvent(
        new MouseEvent('mousedown', {bubbles: true}));
        document.querySelector('#household_djrq').click(); true;""")
    wait_js(qtbot, page, "document.querySelector('.ant-picker-cell-today')")
    run(qtbot, page, "document.querySelector('.ant-picker-cell-today .ant-picker-cell-inner')"
                     ".click(); true;")
    wait_js(qtbot, page, "document.querySelector('#household_djrq').value")
    run(qtbot, page, """__byText('.ant-radio-wrapper', '是').click();
        document.querySelector('#household_yhs').click(); true;""")
    shown_date = value(qtbot, page, "document.querySelector('#household_djrq').value")
    run(qtbot, page, "document.querySelector('#submit').click(); true;")

    qtbot.waitUntil(lambda: len(demo_county.submissions(plugin_id)) == before[0] + 1,
                    timeout=TIMEOUT)
    wait_js(qtbot, page, "document.body.innerText.includes('提交成功')")
    stored = demo_county.submissions(plugin_id)[-1]
    assert {k: stored[k] for k in ("hzxm", "hzsfzh", "hh", "ssxz", "sscun", "dz", "rks", "dblb",
                                   "lxdh", "sftp", "djrq", "yhs", "form")} == {
        "hzxm": "王建国", "hzsfzh": "11010519491231002X", "hh": "330102003001",
        "ssxz": "城关镇", "sscun": "李家村", "dz": "李家村 3 组 18 号", "rks": "4",
        "dblb": "农村低保", "lxdh": "13900000000", "sftp": "是", "djrq": shown_date,
        "yhs": "true", "form": "household_register"}
    assert len(demo_county.refusals(plugin_id)) == before[1], "the empty form was never sent"
    assert page.errors == []


def test_element_plus_collection_validates_then_reaches_the_platform(
    qtbot: Any, view: QWebEngineView, demo_county: DemoCounty
) -> None:
    plugin_id = "demo.shequyun"
    page = open_form(qtbot, view, demo_county, plugin_id)
    before = len(demo_county.submissions(plugin_id)), len(demo_county.refusals(plugin_id))

    run(qtbot, page, "document.querySelector('#submit').click(); true;")
    wait_js(qtbot, page, "document.querySelectorAll('.el-form-item.is-error').length >= 6")
    wait_js(qtbot, page, "__byText('.el-form-item__error', '请选择所属村/社区')")

    typed = {"#realName": "张伟", "#tel": "13800138000", "#certNo": "11010519491231002X",
             "#households": "326", "#population": "1045"}
    for selector, text in typed.items():
        run(qtbot, page, f"__type(document.querySelector({json.dumps(selector)}), "
                         f"{json.dumps(text)}); true;")
    run(qtbot, page, "document.querySelector('#community').click(); true;")
    wait_js(qtbot, page, "__byText('.el-select-dropdown__item', '城南社区')")
    run(qtbot, page, "__byText('.el-select-dropdown__item', '城南社区').click();"
                     "document.querySelector('#verified').click(); true;")
    run(qtbot, page, "document.querySelector('#submit').click(); true;")

    qtbot.waitUntil(lambda: len(demo_county.submissions(plugin_id)) == before[0] + 1,
                    timeout=TIMEOUT)
    wait_js(qtbot, page, "document.body.innerText.includes('提交成功')")
    stored = demo_county.submissions(plugin_id)[-1]
    assert {k: stored[k] for k in ("realName", "tel", "certNo", "community", "households",
                                   "population", "verified")} == {
        "realName": "张伟", "tel": "13800138000", "certNo": "11010519491231002X",
        "community": "城南社区", "households": "326", "population": "1045", "verified": "true"}
    assert len(demo_county.refusals(plugin_id)) == before[1], "the empty form was never sent"
    assert page.errors == []


def test_layui_26_review_validates_then_reaches_the_platform(
    qtbot: Any, view: QWebEngineView, demo_county: DemoCounty
) -> None:
    plugin_id = "demo.minzheng"
    page = open_form(qtbot, view, demo_county, plugin_id)
    before = len(demo_county.submissions(plugin_id)), len(demo_county.refusals(plugin_id))

    run(qtbot, page, "document.querySelector('#submit').click(); true;")
    wait_js(qtbot, page, "document.querySelector('#handler.layui-form-danger')")

    typed = {"#handler": "张伟", "#handlerPhone": "13800138000", "#applicant": "王秀英",
             "#sqrsfz": "330102195807230024", "#members": "2", "#reviewDate": "2026-11-22",
             "#bz": "家庭收入无变化"}
    for selector, text in typed.items():
        run(qtbot, page, f"__type(document.querySelector({json.dumps(selector)}), "
                         f"{json.dumps(text)}); true;")
    for select, option in (("#village", "李家村"), ("#dblb", "农村低保")):
        run(qtbot, page, f"""var box = document.querySelector({json.dumps(select)})
              .parentNode.querySelector('.layui-form-select');
            box.querySelector('.layui-select-title input').click();
            box.querySelector('dd[lay-value="{option}"]').click(); true;""")
    # Without 复核结论 the page's own check stops it; then the radio is chosen.
    run(qtbot, page, "document.querySelector('#submit').click(); true;")
    wait_js(qtbot, page, "__byText('.layui-layer-content', '请选择复核结论')")
    run(qtbot, page, "__byText('#fhjl .layui-form-radio > div', '继续享受').parentNode.click();"
                     "document.querySelector('#submit').click(); true;")

    qtbot.waitUntil(lambda: len(demo_county.submissions(plugin_id)) == before[0] + 1,
                    timeout=TIMEOUT)
    wait_js(qtbot, page, "document.body.innerText.includes('提交成功')")
    stored = demo_county.submissions(plugin_id)[-1]
    assert {k: stored[k] for k in ("handler", "handler_phone", "village", "applicant", "sqrsfz",
                                   "members", "dblb", "reviewDate", "fhjl", "bz")} == {
        "handler": "张伟", "handler_phone": "13800138000", "village": "李家村",
        "applicant": "王秀英", "sqrsfz": "330102195807230024", "members": "2",
        "dblb": "农村低保", "reviewDate": "2026-11-22", "fhjl": "继续享受",
        "bz": "家庭收入无变化"}
    assert len(demo_county.refusals(plugin_id)) == before[1], "the empty form was never sent"
    assert page.errors == []
