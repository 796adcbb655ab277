"""The demo's framework forms filled by the launcher's page engine, as 填表 does in the window:
scanned (launcher.ui.page_fill.PageFill), planned from the manifest and the page's labels
(plan_page) with the person's profile, the task's subject and the inspection record, filled
through the frameworks' widgets, completed by the person where the record has nothing the page
takes, and submitted through the page's own validation to the platform, which stores it.

安全排查 (Element UI) is mapped field by field; 执法检查 (layui 2.9) maps the person and the place
and leaves the inspection's fields to their labels; 基层智治's household form (Ant Design Vue) is
declared by its address alone; 社区云 (Element Plus) is mapped; 民政救助 (layui 2.6) maps the
person and the applicant's household and leaves 家庭住址 and 低保类别 to their labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from launcher.core.county import load_county
from launcher.core.profile.autofill import FillValues, fill_fields, plan_page
from launcher.core.profile.fields import load_fields
from launcher.core.registry import build_registry
from launcher_demo import DEMO_USERS, DemoCounty
from tests.form_corpus.harness import PageTab, fill, scan, wait_until

pytestmark = pytest.mark.webengine

USER = DEMO_USERS[0]
PROFILE = {"person.name": "张伟", "person.id_number": "11010519491231002X",
           "person.phone": "13800138000", "org.township": "城关镇", "org.village": "李家村"}
PLACE = {"place.name": "张记小吃店", "place.address": "城关镇解放路12号",
         "place.credit_code": "92330102MA2J8Q5R1M", "place.kind": "02"}
INSPECTION = {"inspection.date": "2026-11-20", "inspection.hazard_type": "1",
              "inspection.result": "2", "inspection.rectified": "true",
              "inspection.deadline": "2026-12-20", "inspection.rectification": "已清理消防通道",
              "inspection.notes": "整改后复查"}
HOUSEHOLD = {"household.head_name": "王建国", "household.head_id_number": "330102196503120015",
             "household.number": "330102003001", "household.address": "李家村3组18号",
             "household.size": "4", "household.phone": "13905710001", "household.dibao": "2"}


def values(*parts: tuple[str, dict[str, str]]) -> FillValues:
    merged: dict[str, str] = {}
    sources: dict[str, str] = {}
    for source, part in parts:
        merged.update(part)
        sources.update(dict.fromkeys(part, source))
    return FillValues(merged, sources)


@pytest.fixture(scope="module")
def tab(qapp: Any) -> Iterator[PageTab]:
    shown = PageTab()
    yield shown
    shown.close()


def open_signed_in(tab: PageTab, county: DemoCounty, url: str, mounted: str) -> None:
    tab.load(url)
    if tab.url().startswith(county.issuer):
        credentials = json.dumps([USER.username, USER.password])
        tab.run(f"""var c = {credentials};
            document.querySelector('#username').value = c[0];
            document.querySelector('input[name=password]').value = c[1];
            document.querySelector('#login-form').submit(); true;""")
    wait_until(lambda: tab.url() == url, what=url)
    wait_until(lambda: tab.run(f"!!({mounted})") is True, what=f"{url} to mount")


def fill_page(tab: PageTab, county: DemoCounty, plugin_id: str, path: str, mounted: str,
              given: FillValues) -> dict[str, str]:
    """Scan, plan and fill the page; the plan's keys by the outcome of their field."""
    base = county.base_urls[plugin_id]
    url = base + path
    open_signed_in(tab, county, url, mounted)
    platform = build_registry(load_county(county.county_path)).get(plugin_id)
    assert platform is not None
    form = platform.form_for(url)
    assert form is not None
    scanned = scan(tab, base, selectors=tuple(form.fields))
    assert scanned is not None and not scanned.get("refused")
    plan = plan_page(platform, url, scanned, given, load_fields())
    assert plan is not None and plan.form_key == form.key
    filled = fill(tab, base, fill_fields(plan))
    assert filled is not None and filled.get("done")
    results = filled["results"]
    return {f.key: results.get(f.ref, "missing") for f in plan.fields}


def submit_and_read(tab: PageTab, county: DemoCounty, plugin_id: str) -> dict[str, str]:
    before = len(county.submissions(plugin_id))
    tab.run("document.querySelector('#submit').click(); true;")
    wait_until(lambda: len(county.submissions(plugin_id)) == before + 1,
               what=f"{plugin_id} to store the record")
    wait_until(lambda: tab.run("document.body.innerText.includes('提交成功')") is True)
    return county.submissions(plugin_id)[-1]


def test_element_ui_inspection_is_filled_from_the_manifest_and_submits(
    tab: PageTab, demo_county: DemoCounty
) -> None:
    outcome = fill_page(tab, demo_county, "demo.anquan", "/inspections/new",
                        "document.querySelector('.el-select #village')",
                        values(("profile", PROFILE), ("subject", PLACE),
                               ("record", INSPECTION)))
    assert outcome == dict.fromkeys(outcome, "ok")
    assert set(outcome) == {*PROFILE, *PLACE, *INSPECTION} - {"org.township"}

    stored = submit_and_read(tab, demo_county, "demo.anquan")
    assert {k: stored[k] for k in ("inspector", "idno", "phone", "village", "place_name",
                                   "place_type", "credit_code", "address", "check_date",
                                   "hazard_types", "result", "rectified", "deadline",
                                   "rectification", "notes", "follow_up")} == {
        "inspector": "张伟", "idno": "11010519491231002X", "phone": "13800138000",
        "village": "李家村", "place_name": "张记小吃店", "place_type": "小餐饮",
        "credit_code": "92330102MA2J8Q5R1M", "address": "城关镇解放路12号",
        "check_date": "2026-11-20", "hazard_types": "消防安全", "result": "限期整改",
        "rectified": "是", "deadline": "2026-12-20", "rectification": "已清理消防通道",
        "notes": "整改后复查", "follow_up": "false"}


def test_layui_inspection_is_filled_by_mapping_and_labels_then_completed_and_submitted(
    tab: PageTab, demo_county: DemoCounty
) -> None:
    outcome = fill_page(tab, demo_county, "demo.zhifa", "/jcjl/add",
                        "document.querySelectorAll('.layui-form-select').length === 3",
                        values(("profile", PROFILE), ("subject", PLACE),
                               ("record", INSPECTION)))
    # The person and the place by the manifest; the inspection's fields by their labels.
    for key in (*PROFILE, "place.name", "place.address", "place.credit_code",
                "inspection.date", "inspection.hazard_type", "inspection.rectified",
                "inspection.deadline", "inspection.rectification", "inspection.notes"):
        assert outcome.get(key) == "ok", (key, outcome)
    # 检查结果 offers 未发现问题 / 责令整改 / 立案查处: the record's 限期整改 is none of them, so the
    # person chooses, on layui's own select.
    assert "inspection.result" not in outcome or outcome["inspection.result"] == "no-option"
    tab.run("""var box = document.querySelector('#jcjg').parentNode
          .querySelector('.layui-form-select');
        box.querySelector('.layui-select-title input').click();
        box.querySelector('dd[lay-value="责令整改"]').click(); true;""")

    stored = submit_and_read(tab, demo_county, "demo.zhifa")
    assert {k: stored[k] for k in ("zfry_xm", "zfry_sfz", "lxdh", "ssxz", "cun", "jcrq", "jcdx",
                                   "jcdxdz", "tyshxydm", "yhlx", "jcjg", "sfzg", "zgqx", "zgqk",
                                   "bz")} == {
        "zfry_xm": "张伟", "zfry_sfz": "11010519491231002X", "lxdh": "13800138000",
        "ssxz": "城关镇", "cun": "李家村", "jcrq": "2026-11-20", "jcdx": "张记小吃店",
        "jcdxdz": "城关镇解放路12号", "tyshxydm": "92330102MA2J8Q5R1M", "yhlx": "消防安全",
        "jcjg": "责令整改", "sfzg": "是", "zgqx": "2026-12-20", "zgqk": "已清理消防通道",
        "bz": "整改后复查"}


def test_ant_design_household_declared_by_url_is_filled_by_labels_and_submits(
    tab: PageTab, demo_county: DemoCounty
) -> None:
    outcome = fill_page(tab, demo_county, "demo.zhizhi", "/household/edit",
                        "document.querySelector('form.ant-form #household_hzxm')",
                        values(("profile", PROFILE), ("subject", HOUSEHOLD)))
    for key in HOUSEHOLD:
        assert outcome.get(key) == "ok", (key, outcome)
    assert "person.name" not in outcome, "户主姓名 is not the person's own name"
    # What no record holds, the person sets: 是否脱贫户 and the 登记日期 (today, from the picker).
    tab.run("""Array.from(document.querySelectorAll('.ant-radio-wrapper'))
          .find(e => e.textContent.trim() === '否').click();
        var date = document.querySelector('#household_djrq');
        date.dispatchEvent(new MouseEvent('mousedown', {bubbles: true})); date.click(); true;""")
    wait_until(lambda: tab.run("!!document.querySelector('.ant-picker-cell-today')") is True)
    tab.run("document.querySelector('.ant-picker-cell-today .ant-picker-cell-inner').click();"
            "true;")
    wait_until(lambda: tab.run("document.querySelector('#household_djrq').value"))

    stored = submit_and_read(tab, demo_county, "demo.zhizhi")
    assert {k: stored[k] for k in ("hzxm", "hzsfzh", "hh", "lxdh", "ssxz", "sscun", "dz", "rks",
                                   "dblb", "sftp")} == {
        "hzxm": "王建国", "hzsfzh": "330102196503120015", "hh": "330102003001",
        "lxdh": "13905710001", "ssxz": "城关镇", "sscun": "李家村", "dz": "李家村3组18号",
        "rks": "4", "dblb": "农村低保", "sftp": "否"}


def test_element_plus_collection_is_filled_from_the_manifest_and_submits(
    tab: PageTab, demo_county: DemoCounty
) -> None:
    village = {"org.households": "326", "org.population": "1045"}
    outcome = fill_page(tab, demo_county, "demo.shequyun", "/collect/household",
                        "document.querySelector('form.el-form #realName')",
                        values(("profile", {**PROFILE, **village})))
    assert outcome == dict.fromkeys(outcome, "ok") and len(outcome) == 6

    stored = submit_and_read(tab, demo_county, "demo.shequyun")
    assert {k: stored[k] for k in ("realName", "certNo", "tel", "community", "households",
                                   "population", "verified")} == {
        "realName": "张伟", "certNo": "11010519491231002X", "tel": "13800138000",
        "community": "李家村", "households": "326", "population": "1045", "verified": "false"}


def test_layui_26_review_is_filled_then_completed_and_submitted(
    tab: PageTab, demo_county: DemoCounty
) -> None:
    outcome = fill_page(tab, demo_county, "demo.minzheng", "/relief/review",
                        "document.querySelectorAll('.layui-form-radio').length === 3",
                        values(("profile", PROFILE), ("subject", HOUSEHOLD),
                               ("record", {"inspection.date": "2026-11-22"})))
    for key in ("person.name", "person.phone", "org.village", "inspection.date",
                "household.head_name", "household.head_id_number", "household.size",
                "household.address", "household.dibao"):
        assert outcome.get(key) == "ok", (key, outcome)
    # 复核结论 is the person's to decide.
    tab.run("""Array.from(document.querySelectorAll('#fhjl .layui-form-radio > div'))
          .find(e => e.textContent.trim() === '继续享受').parentNode.click(); true;""")

    stored = submit_and_read(tab, demo_county, "demo.minzheng")
    assert {k: stored[k] for k in ("handler", "handler_phone", "village", "reviewDate",
                                   "applicant", "sqrsfz", "jtzz", "members", "dblb",
                                   "fhjl")} == {
        "handler": "张伟", "handler_phone": "13800138000", "village": "李家村",
        "reviewDate": "2026-11-22", "applicant": "王建国", "sqrsfz": "330102196503120015",
        "jtzz": "李家村3组18号", "members": "4", "dblb": "农村低保", "fhjl": "继续享受"}
