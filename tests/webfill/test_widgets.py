"""Widgets a mapping alone does not show: cascaders by their option path, a single-page app's
form that renders late, multiple choices, options read by the scan, and values that are not
among the options."""

from __future__ import annotations

from typing import Any

import pytest

from launcher.ui.page_fill import PageFill
from tests.form_corpus.harness import PageTab, fill, mount, read_model, scan, wait_until
from tests.form_corpus.server import CorpusServer

pytestmark = pytest.mark.webengine


def only(scan_: dict[str, Any], **match: Any) -> dict[str, Any]:
    found = [f for f in scan_["fields"] if all(f.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, [(f["ref"], f["widget"], f["label"]) for f in scan_["fields"]])
    return found[0]


def plan(field: dict[str, Any], value: str, **extra: Any) -> dict[str, Any]:
    return {"ref": field["ref"], "frame": field["frame"], "selector": field["selector"],
            "widget": field["widget"], "value": value, **extra}


@pytest.mark.parametrize(("name", "prop", "path", "model"), [
    ("element_ui", "wg", ["幸福村", "第二网格"], ["xf", "xf2"]),
    ("element_plus", "region", ["幸福村", "二组"], ["xf", "xf-2"]),
    ("antd", "grid", ["幸福村", "二组"], ["g1", "g1-2"]),
])
def test_a_cascader_is_chosen_level_by_level(
    corpus: CorpusServer, tab: PageTab, name: str, prop: str, path: list[str], model: list[str]
) -> None:
    mount(tab, corpus.url(name))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    field = only(scanned, widget="cascader")
    result = fill(tab, corpus.origin, [plan(field, "/".join(path), path=path)])
    assert result is not None
    assert result["results"] == {field["ref"]: "ok"}
    assert read_model(tab)[prop] == model
    # No dropdown left open over the form.
    assert tab.run("[...document.querySelectorAll('.el-cascader__dropdown, .ant-select-dropdown')]"
                   ".filter(e => e.offsetParent !== null && getComputedStyle(e).display !="
                   " 'none' && !e.className.includes('hidden')).length") == 0


def test_a_late_form_is_waited_for(corpus: CorpusServer, tab: PageTab) -> None:
    """The single-page app mounts with no form and renders it later: the scan waits for it."""
    mount(tab, corpus.url("late_spa"))
    assert tab.run("document.querySelectorAll('input').length") == 0
    scanned = scan(tab, corpus.origin, wait_ms=15_000)
    assert scanned is not None
    assert [f["label"] for f in scanned["fields"]] == ["户主姓名", "联系电话"]
    result = fill(tab, corpus.origin, [plan(scanned["fields"][0], "张建国")])
    assert result is not None and result["results"] == {"0/0": "ok"}
    assert read_model(tab)["hz"] == "张建国"


def test_a_page_with_no_form_answers_with_no_fields(corpus: CorpusServer, tab: PageTab) -> None:
    tab.load(f"{corpus.origin}/frame_menu.html")
    got: list[dict[str, Any] | None] = []
    PageFill(tab).scan(corpus.origin, got.append, wait_ms=500)
    wait_until(lambda: bool(got), 30_000, "the scan")
    assert got[0] is not None
    assert (got[0]["refused"], got[0]["fields"]) == ("", [])


@pytest.mark.parametrize(("name", "version"), [("layui26", "2.6"), ("layui29", "2.9")])
def test_scan_reads_labels_options_sections_and_state(
    corpus: CorpusServer, tab: PageTab, name: str, version: str
) -> None:
    mount(tab, corpus.url(name))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    assert {f["layui"] for f in scanned["fields"]} == {version}
    dibao = only(scanned, name="dblb")
    assert (dibao["widget"], dibao["framework"], dibao["label"], dibao["section"]) == (
        "select", "layui", "低保类别", "户主信息")
    assert [o["text"] for o in dibao["options"]] == ["请选择", "城市低保", "农村低保", "特困", "无"]
    assert dibao["required"] is True
    result = only(scanned, widget="radio")
    assert [(o["text"], o["value"]) for o in result["options"]] == [
        ("合格", "1"), ("限期整改", "2"), ("停业整改", "3")]
    assert only(scanned, name="sfzg")["widget"] == "switch"
    assert only(scanned, name="jcrq")["widget"] == "date"  # a laydate input
    assert only(scanned, name="tbrxm")["section"] == "填报人"
    # layui's rendered stand-ins (its select's title input) are not fields of their own.
    assert len([f for f in scanned["fields"] if f["label"] == "低保类别"]) == 1


def test_table_layout_labels_come_from_the_neighbouring_cell(
    corpus: CorpusServer, tab: PageTab
) -> None:
    mount(tab, corpus.url("frameset"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    code = only(scanned, name="xydm")
    assert (code["frame"], code["label"], code["nearby"]) == ("0.2", "统一社会信用代码",
                                                              "统一社会信用代码")
    assert code["section"] == "企业（场所）检查记录"


def test_a_value_that_is_no_option_changes_nothing(corpus: CorpusServer, tab: PageTab) -> None:
    mount(tab, corpus.url("element_ui"))
    before = read_model(tab)
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    select = only(scanned, id="yhlx")
    radio = only(scanned, id="dblb")
    result = fill(tab, corpus.origin, [plan(select, "地震"), plan(radio, "五保")])
    assert result is not None
    assert result["results"] == {select["ref"]: "no-option", radio["ref"]: "no-option"}
    assert read_model(tab) == before


def test_multiple_choices_are_set_exactly(corpus: CorpusServer, tab: PageTab) -> None:
    """A checkbox group gets exactly the values asked (joined by newlines): others unticked."""
    mount(tab, corpus.url("element_plus"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    group = only(scanned, id="hazards")
    assert group["multiple"] is True
    fill(tab, corpus.origin, [plan(group, "消防通道堵塞\n灭火器过期")])
    assert read_model(tab)["hazards"] == ["fire", "ext"]
    result = fill(tab, corpus.origin, [plan(group, "电线私拉乱接")])
    assert result is not None and result["results"] == {group["ref"]: "ok"}
    assert read_model(tab)["hazards"] == ["wire"]


def test_a_date_is_typed_into_the_element_ui_picker_before_it_exists(
    corpus: CorpusServer, tab: PageTab
) -> None:
    """Element UI builds its picker on first focus; typing before that used to throw in the page.
    The date lands in the model and the page logs no error."""
    mount(tab, corpus.url("element_ui"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    date = only(scanned, id="jcrq")
    result = fill(tab, corpus.origin, [plan(date, "2026-12-01")])
    assert result is not None and result["results"] == {date["ref"]: "ok"}
    assert read_model(tab)["jcrq"] == "2026-12-01"
    assert not [line for line in tab.console if "Error" in line or "error" in line]
    assert tab.run("[...document.querySelectorAll('.el-picker-panel')].filter("
                   "e => getComputedStyle(e).display !== 'none').length") == 0


def test_options_stay_known_after_element_ui_moved_its_dropdown(
    corpus: CorpusServer, tab: PageTab
) -> None:
    """Element UI moves a select's dropdown to the body when it first opens; a scan after a fill
    still lists that select's options (and not another select's)."""
    mount(tab, corpus.url("element_ui"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    select = only(scanned, id="yhlx")
    options = [o["text"] for o in select["options"]]
    assert options == ["消防通道堵塞", "电线私拉乱接", "灭火器过期", "其他"]
    fill(tab, corpus.origin, [plan(select, "灭火器过期")])
    assert tab.run("!!document.querySelector('#yhlx').closest('.el-select')"
                   ".querySelector('.el-select-dropdown')") is False  # it did move
    again = scan(tab, corpus.origin)
    assert again is not None
    select = only(again, id="yhlx")
    assert [o["text"] for o in select["options"]] == options
    assert select["value"] == "灭火器过期"


@pytest.mark.parametrize(("name", "prop", "values", "model"), [
    ("element_ui", "jcfs", ["现场检查", "视频检查"], ["现场检查", "视频检查"]),
    ("element_plus", "escort", ["网格员", "民警"], ["e2", "e3"]),
    ("antd", "ways", ["电话回访", "现场检查"], ["w2", "w1"]),
])
def test_a_multiple_select_gets_each_value(
    corpus: CorpusServer, tab: PageTab, name: str, prop: str, values: list[str],
    model: list[str]
) -> None:
    mount(tab, corpus.url(name))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    field = only(scanned, label={"jcfs": "检查方式", "escort": "陪同人员",
                                 "ways": "检查方式"}[prop])
    assert (field["widget"], field["multiple"]) == ("select", True)
    result = fill(tab, corpus.origin, [plan(field, "\n".join(values))])
    assert result is not None and result["results"] == {field["ref"]: "ok"}
    assert read_model(tab)[prop] == model
    again = fill(tab, corpus.origin, [plan(field, "\n".join(values))])
    assert again is not None and again["results"] == {field["ref"]: "unchanged"}
    assert read_model(tab)[prop] == model
    # Fewer values: the one no longer wanted is taken off (its tag's close button).
    fewer = fill(tab, corpus.origin, [plan(field, values[1])])
    assert fewer is not None and fewer["results"] == {field["ref"]: "ok"}
    assert read_model(tab)[prop] == model[1:]


def test_two_fills_at_once_run_one_after_the_other(corpus: CorpusServer, tab: PageTab) -> None:
    """A second fill started while the first runs (two PageFills on one tab) waits for it: each
    gets its own dropdown, and the later value is the one that stays."""
    mount(tab, corpus.url("element_ui"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    select = only(scanned, id="yhlx")
    date = only(scanned, id="jcrq")
    got: list[dict[str, Any] | None] = []
    PageFill(tab).fill(corpus.origin, [plan(select, "电线私拉乱接"), plan(date, "2026-12-01")],
                       got.append)
    PageFill(tab).fill(corpus.origin, [plan(select, "灭火器过期"), plan(date, "2026-12-02")],
                       got.append)
    wait_until(lambda: len(got) == 2, 60_000, "both fills")
    assert [sorted(r["results"].values()) if r else None for r in got] == [["ok", "ok"]] * 2
    model = read_model(tab)
    assert (model["yhlx"], model["jcrq"]) == ("03", "2026-12-02")
    assert tab.run("[...document.querySelectorAll('.el-select-dropdown, .el-picker-panel')]"
                   ".filter(e => getComputedStyle(e).display !== 'none').length") == 0


def test_labels_as_a_person_reads_them(corpus: CorpusServer, tab: PageTab) -> None:
    mount(tab, corpus.url("labels"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    got = {f["id"]: (f["label"], f["section"]) for f in scanned["fields"]}
    assert got == {
        "a1": ("户主姓名", "基本信息"),       # label[for], colon dropped
        "a2": ("联系电话", "基本信息"),       # the wrapping label
        "a3": ("家庭住址", "基本信息"),       # aria-labelledby
        "a4": ("身份证号", "基本信息"),       # aria-label
        "a5": ("人口数", "基本信息"),         # the element just before it
        "a6": ("检查日期", "检查情况"),       # the table cell before it, star dropped; legend
        "a7": ("隐患类型", "检查情况"),
        "a8": ("姓名", "填报人信息"),         # a one-cell row above it heads its section
        "a11": ("场所名称", "场所信息"),
        "a12": ("", "场所信息"),              # never the text before an earlier field (场所)
        "a13": ("姓名", "代办人信息"),        # a card's header heads the card's fields
        "a14": ("受理人", "场所信息"),      # and only those: not a field after the card
        "a15": ("房东姓名", "场所信息"),
    }
    # A list page's search bar (searches, saves nothing) is marked; the rest is not.
    assert [f["id"] for f in scanned["fields"] if f["search"]] == ["a15"]
    assert only(scanned, id="a2")["autocomplete"] == "tel"
    assert only(scanned, id="a4")["placeholder"] == "请输入"
    assert only(scanned, id="a6")["required"] is True
    assert only(scanned, id="a8")["name"] == "tbrxm"
