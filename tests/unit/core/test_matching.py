"""Which dictionary key a scanned page field asks for: the traps real county forms set.

The scans are shaped as page_script.scan_script reports real framework markup (Element UI form
items with a required star and a full-width colon, layui's hidden native select with its options,
table layouts whose label is the cell before the input); the dictionary is the shipped one.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from launcher.core.profile.fields import load_fields
from launcher.core.profile.matching import (
    group_of,
    match_page,
    name_tokens,
    normalise,
    normalise_date,
    page_value,
    placeholder_text,
    terms_by_key,
)

FIELDS = load_fields()
_refs = itertools.count(1)


def field(label: str = "", section: str = "", widget: str = "text", **more: Any) -> dict[str, Any]:
    n = next(_refs)
    return {"ref": f"0/{n}", "frame": "0", "selector": f"#f{n}", "widget": widget,
            "framework": "element-ui", "label": label, "placeholder": "", "name": "", "id": "",
            "autocomplete": "", "nearby": "", "section": section, "options": [],
            "multiple": False, "required": False, "value": "", "disabled": False,
            "readonly": False, "visible": True, **more}


def options(*texts: str, values: tuple[str, ...] = ()) -> list[dict[str, str]]:
    return [{"text": t, "value": values[i] if values else t} for i, t in enumerate(texts)]


def keys(scan: list[dict[str, Any]], **kw: Any) -> list[str | None]:
    found = match_page(scan, FIELDS, **kw)
    return [found[f["ref"]].key if f["ref"] in found else None for f in scan]


def test_texts_are_compared_half_width_without_stars_colons_or_brackets():
    assert normalise("＊ 户主姓名：") == "户主姓名"
    assert normalise("身份证号（必填）") == "身份证号必填"
    assert normalise("ＩＤ Card:") == "idcard"
    assert placeholder_text("请输入户主姓名") == "户主姓名"
    assert placeholder_text("请选择") == ""
    assert placeholder_text("请输入18位身份证号码") == "身份证号码"
    assert name_tokens("form.hzXm") == ("form", "hz", "xm")
    assert name_tokens("realName") == ("real", "name")
    assert name_tokens("el-id-1024-7") == ()  # a framework's generated id says nothing
    assert normalise_date("2026年11月3日") == "2026-11-03"
    assert normalise_date("2026/11/30") == "2026-11-30"
    assert normalise_date("20261130") == "2026-11-30"
    assert normalise_date("2026-02-30") is None
    assert normalise_date("明天") is None


def test_headings_name_their_group_by_the_longest_word():
    assert group_of("户主信息") == "household"
    assert group_of("填报人信息") == "person"
    assert group_of("检查人") == "person"            # not the inspection
    assert group_of("检查情况") == "inspection"
    assert group_of("法定代表人身份证号") == "organisation"
    assert group_of("检查人员信息") == "person"
    assert group_of("企业（场所）检查记录") == ""     # two subjects named alike: neither
    assert group_of("基本信息") == ""


def test_a_plain_label_is_whoever_its_section_is_about():
    scan = [field("姓名", "户主信息"), field("身份证号", "户主信息"), field("联系电话", "户主信息"),
            field("姓名", "填报人信息"), field("身份证号", "填报人信息"),
            field("联系电话", "填报人信息")]
    assert keys(scan) == ["household.head_name", "household.head_id_number", "household.phone",
                          "person.name", "person.id_number", "person.phone"]


def test_the_household_head_is_never_the_person():
    scan = [field("* 户主姓名："), field("户主身份证号码"), field("户主联系电话"),
            field("填报人"), field("填报人身份证号")]
    assert keys(scan) == ["household.head_name", "household.head_id_number", "household.phone",
                          "person.name", "person.id_number"]


def test_a_contact_persons_phone_is_not_the_persons_own():
    scan = [field("联系人电话"), field("本人电话"), field("紧急联系人手机")]
    assert keys(scan) == [None, "person.phone", None]


def test_a_legal_representatives_id_number_is_nobodys_here():
    scan = [field("法人身份证号"), field("法定代表人身份证号码"), field("负责人身份证号")]
    assert keys(scan) == [None, None, None]


@pytest.mark.parametrize("label", ["验证码", "图形验证码", "短信验证码", "经度", "纬度", "密码",
                                   "确认密码", "用户名", "登录账号", "邮政编码", "出生日期",
                                   "附件说明", "审核日期", "备用电话", "办公电话", "曾用名",
                                   "上级单位名称"])
def test_fields_the_dictionary_does_not_have_get_nothing(label):
    widget = "date" if "日期" in label else "text"
    assert keys([field(label, widget=widget)]) == [None]


def test_a_credit_code_is_not_an_id_number_and_needs_to_know_whose():
    scan = [field("统一社会信用代码", "场所信息"), field("身份证号", "填报人信息")]
    assert keys(scan) == ["place.credit_code", "person.id_number"]
    # Without a heading, a place's and an organisation's code are the same words: nothing ...
    assert keys([field("统一社会信用代码")]) == [None]
    # ... unless the form says what it is about.
    assert keys([field("统一社会信用代码")], page_context="organisation") == [
        "organisation.credit_code"]


def test_two_name_fields_in_two_sections_each_get_their_own_key():
    scan = [field("姓名", "户主基本信息"), field("姓名", "检查人员信息")]
    assert keys(scan) == ["household.head_name", "person.name"]


def test_a_bare_label_that_several_subjects_share_gets_nothing():
    assert keys([field("姓名"), field("联系电话"), field("地址")]) == [None, None, None]


def test_placeholders_names_and_table_cells_are_evidence_too():
    scan = [field(placeholder="请输入户主姓名"),
            field(name="hzsfzh"),
            field(nearby="整改期限", widget="date"),
            field(label="", name="jcrq", widget="date")]
    found = match_page(scan, FIELDS)
    assert [(found[f["ref"]].key, found[f["ref"]].how) for f in scan] == [
        ("household.head_name", "placeholder"), ("household.head_id_number", "name"),
        ("inspection.deadline", "nearby"), ("inspection.date", "name")]


def test_a_generic_name_attribute_alone_is_not_enough():
    # "name" is the person's, a resident's and a household's token alike.
    assert keys([field(name="name")]) == [None]
    assert keys([field(name="phone")]) == [None]


def test_the_widget_must_be_able_to_take_the_value():
    scan = [field("检查日期", widget="select", options=options("是", "否")),
            field("户主姓名", widget="date"),
            field("隐患类型", widget="select", options=options("红色", "黄色")),
            field("家庭人口数", widget="select", options=options("1", "2", "3")),
            field("现场照片", widget="file"),
            field("户主姓名", widget="file"),
            field("是否整改", widget="text")]
    assert keys(scan) == [None, None, None, "household.size", "inspection.photo", None, None]


def test_one_key_goes_to_one_field_of_a_section_unless_the_labels_are_the_same():
    two = [field("联系电话", "填报人信息"), field("手机号码", "填报人信息")]
    assert keys(two) == [None, None]
    same = [field("户主姓名", "基本信息"), field("户主姓名", "基本信息")]
    assert keys(same) == ["household.head_name", "household.head_name"]


def test_disabled_fields_are_left_alone():
    assert keys([field("检查日期", widget="date", disabled=True)]) == [None]


def test_choices_become_the_pages_option_text():
    terms = terms_by_key(FIELDS)
    select = field("隐患类型", widget="select",
                   options=options("请选择", "消防安全隐患", "用电安全隐患", "其他"))
    assert page_value(select, terms["inspection.hazard_type"], "2") == "用电安全隐患"
    coded = field("低保类别", widget="radio", options=options("城市低保", "农村低保", "特困供养",
                                                            values=("1", "2", "3")))
    assert page_value(coded, terms["household.dibao"], "3") == "特困供养"
    assert page_value(coded, terms["household.dibao"], "0") is None   # 无: no such option
    text = field("低保类别")
    assert page_value(text, terms["household.dibao"], "2") == "农村低保"


def test_yes_no_becomes_the_switch_state_or_the_option():
    terms = terms_by_key(FIELDS)["inspection.rectified"]
    assert page_value(field("是否整改", widget="switch"), terms, "true") == "true"
    assert page_value(field("是否整改", widget="checkbox"), terms, "false") == "false"
    radio = field("是否整改", widget="radio", options=options("已整改", "未整改"))
    assert page_value(radio, terms, "true") == "已整改"
    assert page_value(radio, terms, "false") == "未整改"
    yes_no = field("是否整改", widget="select", options=options("是", "否"))
    assert page_value(yes_no, terms, "false") == "否"


def test_dates_become_iso_dates():
    terms = terms_by_key(FIELDS)["inspection.date"]
    assert page_value(field("检查日期", widget="date"), terms, "2026/11/30") == "2026-11-30"
    assert page_value(field("检查日期", widget="date"), terms, "soon") is None


def test_subject_kinds_the_task_is_not_about_are_no_candidates():
    scan = [field("姓名"), field("联系电话")]
    own = {"person.name": "王建国", "person.phone": "13812345678"}
    assert keys(scan) == [None, None]          # the person's or a resident's: unknown
    assert keys(scan, values=own) == ["person.name", "person.phone"]
    resident = {**own, "resident.name": "张秀英", "resident.phone": "13700002222"}
    assert keys(scan, values=resident) == [None, None]
    assert keys(scan, values=resident, page_context="resident") == ["resident.name",
                                                                    "resident.phone"]


def test_a_label_names_its_last_word_not_its_first():
    scan = [field("户主性别", widget="radio", options=options("男", "女")), field("与户主关系"),
            field("户主姓名全称"), field("经营场所详细地址", "场所信息"),
            field("手机号码/电话", "填报人信息")]
    assert keys(scan) == [None, None, "household.head_name", "place.address", "person.phone"]


def test_a_role_alone_asks_for_that_persons_name():
    assert keys([field("走访人", "走访情况"), field("采集人", "采集信息"), field("当事人")]) == [
        "person.name", "person.name", "resident.name"]


def test_a_select_that_shows_its_options_only_when_opened_takes_the_text():
    terms = terms_by_key(FIELDS)
    closed = field("场所类型", "场所信息", widget="select")     # no options scanned yet
    assert keys([closed]) == ["place.kind"]
    assert page_value(closed, terms["place.kind"], "02") == "小餐饮"
    village = field("所属村", widget="select")
    assert page_value(village, terms["org.village"], "幸福村") == "幸福村"


def test_a_lone_checkbox_is_yes_or_no():
    lone = field("已整改", "检查情况", widget="checkbox", options=options("1"))
    assert keys([lone]) == ["inspection.rectified"]
    assert page_value(lone, terms_by_key(FIELDS)["inspection.rectified"], "true") == "true"


def test_placeholders_alone_name_the_field():
    scan = [field(placeholder="请输入您的姓名"), field(placeholder="请输入11位手机号码", section="填报人"),
            field(placeholder="请输入户主身份证号")]
    assert keys(scan) == ["person.name", "person.phone", "household.head_id_number"]


def test_a_long_list_may_hold_more_options_than_the_scan_saw():
    terms = terms_by_key(FIELDS)["org.village"]
    long_list = field("所属村", widget="select", options=options(*(f"第{n}村" for n in range(12))))
    assert page_value(long_list, terms, "幸福村") == "幸福村"     # the page looks for it
    short = field("所属村", widget="select", options=options("和平村", "东风村"))
    assert page_value(short, terms, "幸福村") is None
    assert page_value(short, terms, "幸福村", mapped=True) == "幸福村"   # the manifest says so
    kind = terms_by_key(FIELDS)["place.kind"]
    assert page_value(field("类型", widget="radio", options=options("甲", "乙")), kind, "10",
                      mapped=True) == "出租房"


def test_members_relatives_and_contacts_are_nobodys_here():
    scan = [field("姓名", "家庭成员信息"), field("身份证号", "家庭成员信息"),
            field("联系电话", "紧急联系人"), field("姓名", "监护人信息")]
    assert keys(scan) == [None, None, None, None]


def test_a_table_of_people_gives_its_rows_nothing():
    rows = [field("姓名", "人员名单") for _ in range(3)]
    own = {"person.name": "王建国"}
    assert keys(rows, values=own) == [None, None, None]
    assert keys(rows[:2], values=own) == ["person.name", "person.name"]   # a repeated input


def test_a_label_listing_alternatives_is_either():
    scan = [field("场所名称/户主姓名")]
    assert keys(scan, values={"place.name": "幸福便利店"}) == ["place.name"]
    assert keys(scan, values={"household.head_name": "李大山"}) == ["household.head_name"]
    assert keys(scan) == [None]      # both in play: which one is not for the launcher to guess


def test_a_subject_word_of_a_kind_out_of_play_is_only_a_word():
    place = {"place.name": "幸福便利店", "place.address": "幸福村商业街12号",
             "person.name": "王建国"}
    scan = [field("企业地址"), field("户主姓名"), field("法人身份证号"), field("单位电话")]
    # On a page about a shop, 企业地址 is the shop's address and 单位电话 its phone (场所电话);
    # the head of a household and a legal representative's ID are still nobody's here.
    assert keys(scan, values=place, page_context="place") == [
        "place.address", None, None, "place.phone"]


def test_a_photo_goes_into_one_upload_and_never_into_a_text_box():
    photo = {"inspection.photo": "/home/zhang/现场1.png"}
    own, hazard = field("现场照片", widget="file"), field("隐患照片", "整改", widget="file")
    assert keys([own, hazard, field("整改照片", widget="file")], values=photo) == [
        "inspection.photo", None, None]
    # Two uploads named alike, neither by the key's own label: which one is meant is not known.
    assert keys([field("隐患照片", widget="file"), field("上传照片", "附件", widget="file")],
                values=photo) == [None, None]
    assert keys([field("照片", widget="file")], values=photo) == ["inspection.photo"]
    # A text box labelled 现场照片 gets no path of this PC; an upload gets no text.
    assert keys([field("现场照片")], values=photo) == [None]
    assert keys([field("检查结果", widget="file")], values={"inspection.result": "1"}) == [None]
    terms = terms_by_key(FIELDS)["inspection.photo"]
    assert page_value(field("现场照片"), terms, "/home/zhang/现场1.png") is None
