"""Whole forms as county platforms write them, matched with the values a task gives.

Each form lists its fields as the page scan reports them (label, section heading, widget,
options) with the key a person would put there, or None where nothing from the one table
belongs (a wrong value is worse than none). The labels are the ordinary vocabulary of such
forms, not copies of the dictionary's synonyms: they test what the matcher does with words it
was not given one by one.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from launcher.core.profile.fields import load_fields
from launcher.core.profile.matching import match_page, page_context

FIELDS = load_fields()
_refs = itertools.count(1)

SELF = {"person.name": "王建国", "person.id_number": "330102198503154318",
        "person.phone": "13812345678", "person.position": "网格员", "org.township": "城关镇",
        "org.village": "幸福村"}
RECORD = {"inspection.date": "2026-11-30", "inspection.hazard_type": "1",
          "inspection.result": "2", "inspection.rectified": "true",
          "inspection.deadline": "2026-12-15", "inspection.rectification": "已更换灭火器",
          "inspection.notes": "通道已清理"}
SUBJECTS = {
    "household": {"household.head_name": "李大山", "household.head_id_number": "330102196207120036",
                  "household.number": "3301020012", "household.address": "幸福村三组15号",
                  "household.size": "4", "household.phone": "13900001111",
                  "household.dibao": "2"},
    "place": {"place.name": "幸福便利店", "place.credit_code": "92330102MA2B3C4D5G",
              "place.address": "幸福村商业街12号", "place.owner": "赵明",
              "place.phone": "13600003333", "place.kind": "01"},
    "resident": {"resident.name": "张秀英", "resident.id_number": "33010219790301002X",
                 "resident.phone": "13700002222", "resident.address": "幸福村五组8号"},
}


def f(label: str, key: str | None, section: str = "", widget: str = "text",
      options: tuple[str, ...] = (), **more: Any) -> tuple[dict[str, Any], str | None]:
    n = next(_refs)
    return ({"ref": f"0/{n}", "frame": "0", "selector": f"#f{n}", "widget": widget,
             "framework": "element-ui", "label": label, "placeholder": "", "name": "",
             "id": "", "autocomplete": "", "nearby": label, "section": section,
             "options": [{"text": o, "value": str(i)} for i, o in enumerate(options)],
             **more}, key)


def check(form: list[tuple[dict[str, Any], str | None]], subject: str, title: str = "") -> None:
    values = {**SELF, **RECORD, **SUBJECTS.get(subject, {})}
    context = page_context("", title, [subject] if subject else [])
    found = match_page([field for field, _ in form], FIELDS, values=values,
                       page_context=context)
    got = [(field["section"], field["label"], found[field["ref"]].key
            if field["ref"] in found else None) for field, _ in form]
    want = [(field["section"], field["label"], key) for field, key in form]
    assert got == want


def test_a_household_visit_form():
    check([
        f("户主姓名", "household.head_name", "家庭基本情况"),
        f("性别", None, "家庭基本情况", "radio", ("男", "女")),
        f("户主身份证号码", "household.head_id_number", "家庭基本情况"),
        f("户主性别", None, "家庭基本情况", "radio", ("男", "女")),
        f("与户主关系", None, "家庭成员"),
        f("家庭人口(人)", "household.size", "家庭基本情况", "number"),
        f("现居住地址", "household.address", "家庭基本情况"),
        f("联系电话", "household.phone", "家庭基本情况"),
        f("低保类型", "household.dibao", "家庭基本情况", "select", ("城市低保", "农村低保", "特困供养")),
        f("出生日期", None, "家庭基本情况", "date"),
        f("民族", None, "家庭基本情况", "select", ("汉族", "回族")),
        f("走访日期", "inspection.date", "走访情况", "date"),
        f("走访人", "person.name", "走访情况"),
        f("走访人电话", "person.phone", "走访情况"),   # the visitor is the person: 走访人 + 电话
        f("紧急联系人电话", None, "家庭基本情况"),
        f("监护人姓名", None, "家庭基本情况"),
    ], "household", "困难家庭走访登记")


def test_a_shop_fire_safety_check():
    check([
        f("商户名称", "place.name", "被检查场所"),
        f("统一社会信用代码", "place.credit_code", "被检查场所"),
        f("经营场所详细地址", "place.address", "被检查场所"),
        f("负责人", "place.owner", "被检查场所"),
        f("负责人联系电话", "place.phone", "被检查场所"),
        f("负责人身份证号", None, "被检查场所"),
        f("场所类别", "place.kind", "被检查场所", "select", ("小商店", "小餐饮", "小旅馆")),
        f("营业面积(㎡)", None, "被检查场所", "number"),
        f("检查时间", "inspection.date", "检查情况", "date"),
        f("隐患类别", "inspection.hazard_type", "检查情况", "checkbox",
          ("消防安全", "用电安全", "燃气安全")),
        f("检查结论", "inspection.result", "检查情况", "radio", ("合格", "限期整改", "停业整改")),
        f("是否存在隐患", None, "检查情况", "radio", ("是", "否")),
        f("整改时限", "inspection.deadline", "检查情况", "date"),
        f("整改措施", "inspection.rectification", "检查情况", "textarea"),
        f("检查人员", "person.name", "检查人员信息"),
        f("联系电话", "person.phone", "检查人员信息"),
        f("验证码", None, "检查人员信息"),
        f("经度", None, "检查人员信息", name="jd"),
    ], "place", "九小场所消防安全检查")


def test_a_resident_form_without_headings():
    check([
        f("姓名", "resident.name"),
        f("身份证号", "resident.id_number"),
        f("手机号码", "resident.phone"),
        f("现住址", "resident.address"),
        f("户籍所在地", None),
        f("工作单位", None),
        f("填报人", "person.name"),
        f("填报日期", None, widget="date"),
    ], "resident", "重点人员排查登记")


def test_a_form_of_the_persons_own_details():
    check([
        f("姓名", "person.name"),
        f("身份证号", "person.id_number"),
        f("手机号", "person.phone"),
        f("职务", "person.position"),
        f("所属乡镇（街道）", "org.township", widget="select", options=("城关镇", "东湖镇")),
        f("所属村（社区）", "org.village"),
        f("登录账号", None),
        f("密码", None, widget="password"),
    ], "", "个人信息维护")


@pytest.mark.parametrize("label", ["户主", "户主姓名：", "＊户主姓名", "户主名字", "户主姓名（全称）"])
def test_household_head_spellings(label):
    check([f(label, "household.head_name")], "household")


def test_a_rented_house_check():
    check([
        f("房屋地址", "place.address", "出租房屋"),
        f("房东姓名", "place.owner", "出租房屋"),
        f("房东电话", "place.phone", "出租房屋"),
        f("房东身份证号", None, "出租房屋"),
        f("承租人姓名", None, "承租人"),
        f("居住人数", None, "出租房屋", "number"),
        f("巡查日期", "inspection.date", "巡查情况", "date"),
        f("已整改", "inspection.rectified", "巡查情况", "switch"),
        f("填报人", "person.name", "填报人信息"),
        f("联系方式", "person.phone", "填报人信息"),
    ], "place", "出租房屋安全巡查")
