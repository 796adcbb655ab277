"""Fill planning (``plan_page``): only the platform's own pages get a plan; the manifest's mapping
first, then the matcher; values as the widgets take them. The engine that fills runs in real pages
in tests/webfill.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _platforms import FORMS, make_platform

from launcher.core.model import web_origin
from launcher.core.profile.autofill import (
    FillValues,
    PagePlan,
    PlannedField,
    fill_fields,
    plan_page,
)
from launcher.core.profile.fields import load_fields
from launcher.core.registry import Platform


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return make_platform(tmp_path, "http://127.0.0.1:43211", forms=FORMS)


def test_origins_are_written_as_the_browser_writes_them():
    assert web_origin("http://Example.GOV.cn:80/a?b") == "http://example.gov.cn"
    assert web_origin("https://example.gov.cn:443/") == "https://example.gov.cn"
    assert web_origin("https://example.gov.cn:8443/x") == "https://example.gov.cn:8443"
    assert web_origin("http://[::1]:9101/") == "http://[::1]:9101"
    assert web_origin("http://127.0.0.1:99999/") is None
    assert web_origin("about:blank") is None



ORIGIN = "http://127.0.0.1:43211"
DICTIONARY = load_fields()
VALUES = FillValues(
    values={"person.name": "王小明", "person.id_number": "11010519491231002X",
            "household.head_name": "李大山", "inspection.date": "2026/11/30",
            "inspection.hazard_type": "2", "inspection.rectified": "true"},
    sources={"person.name": "profile", "person.id_number": "profile",
             "household.head_name": "subject", "inspection.date": "record",
             "inspection.hazard_type": "record", "inspection.rectified": "record"},
)
UNMAPPED = """
[[forms]]
key = "visit"
url = "{base_url}/visits/new"
subject = "household"
"""


def scanned(*fields: dict, origin: str = ORIGIN, title: str = "") -> dict:
    return {"origin": origin, "url": origin + "/inspections/new", "title": title, "refused": "",
            "fields": [{"ref": f"0/{i}", "frame": "0", "selector": f"#f{i}", "widget": "text",
                        "framework": "element-ui", "label": "", "placeholder": "", "name": "",
                        "id": "", "autocomplete": "", "nearby": "", "section": "", "options": [],
                        **f} for i, f in enumerate(fields)]}


def test_the_manifest_mapping_wins_over_what_the_labels_say(platform):
    scan = scanned({"id": "inspector", "label": "户主姓名"},   # mapped to person.name
                   {"name": "idno", "label": "身份证号"},
                   {"label": "户主姓名", "section": "户主信息"},
                   {"label": "检查日期", "widget": "date", "id": "check_date"},
                   {"label": "验证码"})
    plan = plan_page(platform, ORIGIN + "/inspections/new?task=3", scan, VALUES, DICTIONARY)
    assert isinstance(plan, PagePlan)
    assert (plan.platform_id, plan.form_key, plan.origin) == ("demo.anquan", "safety_check",
                                                              ORIGIN)
    assert plan.fields == (
        PlannedField("0/0", "0", "#f0", "text", "person.name", "王小明", "manifest", 1.0,
                     "profile", False, "户主姓名"),
        PlannedField("0/1", "0", "#f1", "text", "person.id_number", "11010519491231002X",
                     "manifest", 1.0, "profile", True, "身份证号"),
        PlannedField("0/3", "0", "#f3", "date", "inspection.date", "2026-11-30", "manifest", 1.0,
                     "record", False, "检查日期"),
        PlannedField("0/2", "0", "#f2", "text", "household.head_name", "李大山", "label", 1.0,
                     "subject", False, "户主姓名"),
    )
    assert plan.missing == ("person.phone", "org.village")
    assert plan.unknown == (("0/4", "验证码"),)


def test_a_form_declared_by_url_alone_is_planned_by_its_labels(tmp_path):
    platform = make_platform(tmp_path, ORIGIN, forms=UNMAPPED)
    scan = scanned({"label": "＊户主姓名："},
                   {"label": "隐患类型", "widget": "select",
                    "options": [{"text": "消防安全", "value": "a"},
                                {"text": "用电安全", "value": "b"}]},
                   {"label": "是否整改", "widget": "radio",
                    "options": [{"text": "是", "value": "1"}, {"text": "否", "value": "0"}]},
                   {"label": "户主身份证号"})
    plan = plan_page(platform, ORIGIN + "/visits/new", scan, VALUES, DICTIONARY)
    assert plan is not None and plan.form_key == "visit"
    assert [(f.key, f.value, f.how, f.source) for f in plan.fields] == [
        ("household.head_name", "李大山", "label", "subject"),
        ("inspection.hazard_type", "用电安全", "label", "record"),
        ("inspection.rectified", "是", "label", "record")]
    assert plan.missing == ("household.head_id_number",)
    assert plan.unknown == (("0/3", "户主身份证号"),)


def test_a_page_of_the_platform_that_is_no_declared_form_gets_heuristics(platform):
    scan = scanned({"label": "户主姓名"})
    plan = plan_page(platform, ORIGIN + "/somewhere/else", scan, VALUES, DICTIONARY)
    assert plan is not None and plan.form_key == ""
    assert [f.key for f in plan.fields] == ["household.head_name"]


@pytest.mark.parametrize(("url", "scan"), [
    ("http://127.0.0.1:43212/inspections/new", scanned({"label": "户主姓名"})),
    ("http://localhost:43211/inspections/new", scanned({"label": "户主姓名"})),
    # The page navigated to another origin between the scan and the plan.
    (ORIGIN + "/inspections/new", scanned({"label": "户主姓名"}, origin="http://evil.example")),
    (ORIGIN + "/inspections/new", {**scanned({"label": "户主姓名"}), "refused": "origin"}),
    ("about:blank", scanned({"label": "户主姓名"})),
])
def test_no_plan_off_the_platforms_origins(platform, url, scan):
    assert plan_page(platform, url, scan, VALUES, DICTIONARY) is None


def test_a_value_the_widget_cannot_take_is_left_out(tmp_path):
    platform = make_platform(tmp_path, ORIGIN, forms=UNMAPPED)
    scan = scanned({"label": "隐患类型", "widget": "select",
                    "options": [{"text": "消防安全", "value": "a"}]})
    plan = plan_page(platform, ORIGIN + "/visits/new", scan, VALUES, DICTIONARY)
    assert plan is not None and plan.fields == ()    # 用电安全 is not one of its options
    assert plan.unknown == (("0/0", "隐患类型"),)


def test_labels_reach_the_preview_plain_and_bounded(tmp_path):
    platform = make_platform(tmp_path, ORIGIN, forms=UNMAPPED)
    hostile = "户主姓名\u202e\n<b>" + "长" * 200
    plan = plan_page(platform, ORIGIN + "/visits/new",
                     scanned({"placeholder": "请输入户主姓名", "nearby": hostile}),
                     VALUES, DICTIONARY)
    assert plan is not None
    assert plan.fields[0].label == "请输入户主姓名"
    plan = plan_page(platform, ORIGIN + "/visits/new", scanned({"label": "验证码", "nearby": ""},
                                                               {"nearby": hostile}),
                     VALUES, DICTIONARY)
    assert plan is not None
    label = dict(plan.unknown)["0/1"]
    assert len(label) == 80 and "\n" not in label and "\u202e" not in label


def test_fill_fields_are_the_plans_fields_or_those_chosen(platform):
    scan = scanned({"id": "inspector"}, {"name": "idno"})
    plan = plan_page(platform, ORIGIN + "/inspections/new", scan, VALUES, DICTIONARY)
    assert plan is not None
    assert fill_fields(plan) == [
        {"ref": "0/0", "frame": "0", "selector": "#f0", "widget": "text", "value": "王小明"},
        {"ref": "0/1", "frame": "0", "selector": "#f1", "widget": "text",
         "value": "11010519491231002X"},
        # A mapped selector the scan did not report is still planned: the script looks for it.
        {"ref": "manifest:#check_date", "frame": "0", "selector": "#check_date",
         "widget": "text", "value": "2026-11-30"}]
    assert [f["ref"] for f in fill_fields(plan, ["0/1"])] == ["0/1"]
    assert fill_fields(plan, []) == []


@pytest.mark.parametrize("selector", [
    "#hzxm", "input#hzxm", "[name=hz]", 'input[name="hz"]', "[placeholder='请输入户主姓名']",
    "#wrap", "#app > form > div:nth-of-type(2) > input"])
def test_a_mapped_selector_finds_its_scanned_field(tmp_path, selector):
    forms = f"""
[[forms]]
key = "visit"
url = "{{base_url}}/visits/new"
[forms.fields]
{json.dumps(selector)} = "household.head_name"
"""
    platform = make_platform(tmp_path, ORIGIN, forms=forms)
    scan = scanned({"label": "验证码", "id": "code"},
                   {"label": "名字", "id": "hzxm", "name": "hz", "placeholder": "请输入户主姓名",
                    "selectors": ["#wrap > div:nth-of-type(1) > input:nth-of-type(1)",
                                  "#app > form > div:nth-of-type(2) > input"]})
    plan = plan_page(platform, ORIGIN + "/visits/new", scan, VALUES, DICTIONARY)
    assert plan is not None
    assert [(f.ref, f.how, f.value) for f in plan.fields] == [("0/1", "manifest", "李大山")]


def test_where_the_page_found_a_mapped_selector_wins(platform):
    # scan_script(origin, selectors) answers "mapped": {selector: ref}: the page's own query.
    scan = {**scanned({"label": "户主姓名", "id": "inspector"}, {"label": "填报人"}),
            "mapped": {"#inspector": "0/1"}}
    plan = plan_page(platform, ORIGIN + "/inspections/new", scan, VALUES, DICTIONARY)
    assert plan is not None
    assert [(f.ref, f.key, f.how) for f in plan.fields][:1] == [("0/1", "person.name", "manifest")]
    assert ("0/0", "household.head_name") in [(f.ref, f.key) for f in plan.fields]


@pytest.mark.parametrize("fields", [
    {"0/0": {"label": "户主姓名"}}, "户主姓名", None, 17,
    [None, "x", {"ref": 3, "label": "户主姓名"}, {"label": "户主姓名"},
     {"ref": "0/9", "label": ["户主姓名"], "options": "x", "selectors": {"a": 1}}],
])
def test_a_scan_of_any_shape_plans_nothing_it_cannot_read(tmp_path, fields):
    platform = make_platform(tmp_path, ORIGIN, forms=UNMAPPED)
    scan = {"origin": ORIGIN, "url": ORIGIN + "/visits/new", "title": 5, "refused": "",
            "fields": fields, "mapped": ["#x"]}
    plan = plan_page(platform, ORIGIN + "/visits/new", scan, VALUES, DICTIONARY)
    assert plan is not None and plan.fields == ()
