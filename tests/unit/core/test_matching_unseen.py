"""Matching rules learnt from forms the matcher was not tuned on (the corpus's held-out pages):
each rule as it works on any form, with a case where it must give nothing.

The scans are shaped as page_script.scan_script reports them; the dictionary is the shipped one.
"""

from __future__ import annotations

import itertools
from typing import Any

from launcher.core.profile.fields import load_fields
from launcher.core.profile.matching import match_page, placeholder_text

FIELDS = load_fields()
_refs = itertools.count(1)
PERSON = {"person.name": "王建国", "person.phone": "13812345678",
          "person.id_number": "330102198503154318"}
RESIDENT = {**PERSON, "resident.name": "张秀英", "resident.phone": "13700002222",
            "resident.id_number": "33010219790301002X", "resident.address": "幸福村五组8号",
            "inspection.date": "2026-11-30", "inspection.notes": "通道杂物已清理"}
PLACE = {**PERSON, "place.name": "幸福便利店", "place.address": "幸福村商业街12号",
         "place.owner": "赵明", "place.phone": "13600003333", "inspection.date": "2026-11-30"}


def field(label: str = "", section: str = "", widget: str = "text", **more: Any) -> dict[str, Any]:
    n = next(_refs)
    return {"ref": f"0/{n}", "frame": "0", "selector": f"#f{n}", "widget": widget,
            "framework": "native", "label": label, "placeholder": "", "name": "", "id": "",
            "autocomplete": "", "nearby": "", "section": section, "options": [],
            "multiple": False, "required": False, "value": "", "disabled": False,
            "readonly": False, "visible": True, **more}


def keys(scan: list[dict[str, Any]], values: dict[str, str], **kw: Any) -> list[str | None]:
    found = match_page(scan, FIELDS, values=values, **kw)
    return [found[f["ref"]].key if f["ref"] in found else None for f in scan]


def hows(scan: list[dict[str, Any]], values: dict[str, str]) -> list[str | None]:
    found = match_page(scan, FIELDS, values=values)
    return [found[f["ref"]].how if f["ref"] in found else None for f in scan]


def test_a_field_with_no_label_is_named_by_its_placeholder_as_by_a_label():
    scan = [field(placeholder="采集人"), field(placeholder="采集人电话"),
            field(placeholder="监护人姓名"), field(placeholder="请输入")]
    assert keys(scan, RESIDENT) == ["person.name", "person.phone", None, None]
    assert hows(scan, RESIDENT)[:2] == ["placeholder", "placeholder"]


def test_a_labelled_field_keeps_its_label_over_its_placeholder():
    # 经度 with a placeholder naming nothing of the dictionary, and a label that is not the key
    # its placeholder would name, get nothing.
    scan = [field("经度", placeholder="自动定位"), field("监护人姓名", placeholder="姓名")]
    assert keys(scan, RESIDENT) == [None, None]


def test_a_bracketed_note_in_a_placeholder_is_left_out():
    assert placeholder_text("经营地址（街道门牌）") == "经营地址"
    assert placeholder_text("请输入（必填）") == ""
    assert keys([field(placeholder="经营地址（街道门牌）")], PLACE) == ["place.address"]


def test_a_phone_is_a_手机_as_well_as_a_电话():
    scan = [field("联系手机"), field("上报人手机")]
    assert keys(scan, RESIDENT, page_context="resident") == ["resident.phone", "person.phone"]
    # The twin is a phone's word only: 手机型号 is no phone number.
    assert keys([field("手机型号")], RESIDENT, page_context="resident") == [None]


def test_a_date_is_a_时间_as_well_as_a_日期():
    scan = [field("走访时间", widget="date"), field("下次走访时间", widget="date"),
            field("时间段", widget="text")]
    assert keys(scan, RESIDENT, page_context="resident") == ["inspection.date", None, None]


def test_someone_acting_for_the_subject_is_neither_the_subject_nor_the_person():
    scan = [field("姓名", "申请人信息"), field("身份证号", "申请人信息"),
            field("姓名", "代办人信息"), field("身份证号", "代办人信息"),
            field("联系电话", "代理人"), field("委托人姓名")]
    assert keys(scan, RESIDENT, page_context="resident") == [
        "resident.name", "resident.id_number", None, None, None, None]


def test_the_staff_who_accept_or_record_a_case_are_the_person():
    scan = [field("受理人"), field("承办人电话")]
    assert keys(scan, RESIDENT, page_context="resident") == ["person.name", "person.phone"]
    assert keys([field("记录人")], RESIDENT) == ["person.name"]
    # Two of them on one page are two people: which one is the person is not clear.
    assert keys([field("受理人"), field("记录人")], RESIDENT) == [None, None]


def test_a_search_bar_over_a_list_gets_nothing():
    scan = [field("房东姓名", search=True), field("房东姓名")]
    assert keys(scan, PLACE, page_context="place") == [None, "place.owner"]


def test_a_hazard_description_is_not_the_record_notes():
    assert keys([field("隐患描述", widget="textarea"), field("备注", widget="textarea")],
                RESIDENT) == [None, "inspection.notes"]


def test_a_number_named_without_its_号_is_the_same_number():
    scan = [field("身份证", "人员信息"), field("手机", "人员信息")]
    assert keys(scan, RESIDENT, page_context="resident") == [
        "resident.id_number", "resident.phone"]
    # Only a number's tail: 证件 is not 证件号码's field when it is a list of kinds of papers.
    kinds = [{"text": "居民身份证", "value": "01"}, {"text": "护照", "value": "02"}]
    assert keys([field("证件", widget="select", options=kinds)], RESIDENT,
                page_context="resident") == [None]


def test_a_role_no_group_knows_names_someone_else():
    # 收件人 / 申请人 / 见面人: a person, but not surely the subject nor the one filling the form.
    scan = [field("收件人电话"), field("申请人姓名"), field("陪访人员身份证号")]
    assert keys(scan, RESIDENT, page_context="resident") == [None, None, None]
    # A role a group knows is that group's; 家庭人口数 is no person's; 老人姓名 is the subject.
    scan = [field("随访人电话"), field("执法人员"), field("老人姓名")]
    assert keys(scan, RESIDENT, page_context="resident") == [
        "person.phone", "person.name", "resident.name"]


def test_on_a_page_about_a_shop_its_单位名称_is_the_shop_name():
    assert keys([field("单位名称"), field("填报单位名称")], PLACE) == ["place.name", None]
    # Under a heading naming someone else's organisation, it is not the shop's.
    assert keys([field("单位名称", "检查单位信息")], PLACE) == [None]


def test_an_inspection_is_a_检查_排查_巡查_or_核查():
    values = {**PLACE, "inspection.result": "2"}
    results = [{"text": t, "value": t} for t in ("合格", "限期整改", "停业整改")]
    scan = [field("巡查结果", widget="radio", options=results), field("核查时间", widget="date")]
    assert keys(scan, values, page_context="place") == ["inspection.result", "inspection.date"]
    # Never the other inspection words: 整改结果 is no conclusion of the check.
    assert keys([field("整改结果", widget="radio", options=results)], values) == [None]


def test_an_icon_in_a_label_is_no_word_of_it():
    values = {**PERSON, "household.head_name": "李大山"}
    assert keys([field("户主 ⓘ"), field("姓名 ❓")], values) == ["household.head_name", "person.name"]


def test_a_business_licence_number_is_the_credit_code():
    values = {**PLACE, "place.credit_code": "92330102MA2B3C4D5G"}
    assert keys([field("营业执照号码")], values, page_context="place") == ["place.credit_code"]


def test_the_other_party_of_a_case_is_nobody_s_key():
    scan = [field("当事人"), field("联系电话"), field("对方当事人"), field("对方电话")]
    assert keys(scan, RESIDENT, page_context="resident") == [
        "resident.name", "resident.phone", None, None]
    # Even when the subject's own phone is mapped by the manifest (its key is taken).
    assert keys(scan[2:], RESIDENT, page_context="resident",
                skip_keys={"resident.phone", "resident.name"}) == [None, None]


def test_on_a_page_about_a_subject_a_plain_word_is_the_subject_s():
    values = {**PERSON, "household.head_name": "李大山",
              "household.head_id_number": "330102196207120036"}
    # No heading, no role word: on a form about a household, 身份证号 is the head's.
    assert keys([field("户主姓名"), field("身份证号")], values, page_context="household") == [
        "household.head_name", "household.head_id_number"]
    # Without a subject, the person's own; under the person's heading, the person's.
    assert keys([field("身份证号")], PERSON) == ["person.id_number"]
    assert keys([field("身份证号", "填报人信息")], values, page_context="household") == [
        "person.id_number"]
