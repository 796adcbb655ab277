"""The fill preview's chooser (launcher/ui/fill_chooser.py) without a window: which kinds of
subject a form lists, how a subject and a record read in the list (never a sensitive value, one
bounded line), the context a choice makes, the ticks kept after planning again, and the lists read
for the account the plan was made for — over a real ``PersonRecords`` and a real ``Fill``."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from launcher.app.fill import Fill, FillContext
from launcher.app.refresh import Inline
from launcher.core.profile.autofill import PagePlan, PlannedField
from launcher.core.profile.fields import load_fields
from launcher.core.profile.records import PersonRecords, Record, Subject
from launcher.core.registry import Platform
from launcher.core.secrets import SecretStore
from launcher.ui.fill_chooser import (
    NONE,
    OPTION_CHARS,
    Job,
    Option,
    asks_for_a_subject,
    chosen_context,
    form_kinds,
    kept_ticks,
    read_lists,
    record_option,
    subject_kinds,
    subject_option,
)
from launcher.ui.fill_preview import PreviewRow
from tests.unit.core._platforms import make_platform

FIELDS = load_fields()
KNOWN = ("household", "resident", "place", "organisation")
ZHANG, LI = "sub-zhangwei", "sub-lina"
BASE = "http://127.0.0.1:43219"
INSPECTION_FORM = f"{BASE}/inspections/new"
RELIEF_FORM = f"{BASE}/relief/review"
HEAD_ID = "11010519491231002X"
PHONE = "13800138000"
FORMS = """
[[forms]]
key = "safety_check"
name = "消防安全检查"
url = "{base_url}/inspections/new"
record = "inspection"
subject = "place"
[forms.fields]
"#inspector" = "person.name"
"#check_date" = "inspection.date"

[[forms]]
key = "relief_review"
name = "低保复核"
url = "{base_url}/relief/review"
subject = "household"
[forms.fields]
"#handler" = "person.name"

[[forms]]
key = "account"
name = "个人中心"
url = "{base_url}/user/profile"
purpose = "account"
[forms.fields]
"#nickName" = "person.name"
"""
SHOP = {"place.name": "李四小卖部", "place.address": "李家村5组1号", "place.phone": PHONE}
HOUSE = {"place.name": "王建国出租房", "place.address": "李家村3组12号"}
HOUSEHOLD = {"household.head_name": "王建国", "household.number": "0012",
             "household.head_id_number": HEAD_ID, "household.phone": PHONE,
             "household.address": "李家村3组12号"}


class Who:
    """The account signed in now (``PersonRecords``' owner callable)."""

    def __init__(self, sub: str = ZHANG) -> None:
        self.sub = sub

    def __call__(self) -> str:
        return self.sub


@pytest.fixture
def who() -> Who:
    return Who()


@pytest.fixture
def records(tmp_path: Path, who: Who) -> Iterator[PersonRecords]:
    opened = PersonRecords(tmp_path / "records", SecretStore("test/fill-chooser"), FIELDS, who)
    yield opened
    opened.close()


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return make_platform(tmp_path, BASE, forms=FORMS)


def plan(*keys: str, missing: tuple[str, ...] = ()) -> PagePlan:
    """A page's plan filling ``keys`` (and asking for ``missing``, which have no value)."""
    fields = tuple(
        PlannedField(f"0/{i}", "0", f"#f{i}", "text", key, "v", "label", 0.95, "profile",
                     False, key)
        for i, key in enumerate(keys)
    )
    return PagePlan("demo.anquan", "", "http://127.0.0.1", "http://127.0.0.1/x", fields,
                    missing, ())


def job(records: PersonRecords, platform: Platform, url: str, context: FillContext | None,
        *, kinds: tuple[str, ...] = ("place",), record_kind: str = "inspection",
        use_case: Any = None, owner: str = ZHANG, english: bool = False) -> Job:
    """The chooser's job for ``url``, its lists read with a real ``Fill`` unless ``use_case``."""
    if use_case is None:
        use_case = Fill(SimpleNamespace(records=records), Inline())  # type: ignore[arg-type]
    return Job(records, use_case, platform, url, context, owner, FIELDS, kinds, record_kind,
               english)


class Chosen:
    """A use case whose ``chosen`` names the given ids (ids no ``Fill`` would find)."""

    def __init__(self, subject_id: str, record_id: str, then: Any = None) -> None:
        self.ids = (subject_id, record_id)
        self.then = then

    def chosen(self, platform: Any, url: str, context: Any) -> tuple[str, str]:
        if self.then is not None:
            self.then()
        return self.ids


# -- which subjects a form lists -------------------------------------------------------------------


def test_form_kinds_are_the_declared_forms_own(platform: Platform) -> None:
    assert form_kinds(platform, INSPECTION_FORM) == ("place", "inspection")
    assert form_kinds(platform, INSPECTION_FORM + "?task=7") == ("place", "inspection")
    assert form_kinds(platform, RELIEF_FORM) == ("household", "")
    assert form_kinds(platform, f"{BASE}/user/profile") == ("", "")
    assert form_kinds(platform, f"{BASE}/somewhere/else") == ("", "")
    # Another origin is no form of the platform's, whatever its path.
    assert form_kinds(platform, "http://127.0.0.2:43219/inspections/new") == ("", "")


def test_subject_kinds_the_declared_one_else_those_the_plan_asks_for_else_all() -> None:
    assert subject_kinds("place", plan("household.head_name"), FIELDS, KNOWN) == ("place",)
    assert subject_kinds("", plan("person.name", "household.head_name", "household.number"),
                         FIELDS, KNOWN) == ("household",)
    # Keys with no value count too; each kind once, in the plan's order.
    asked = plan("resident.name", "person.name", missing=("place.address", "resident.phone"))
    assert subject_kinds("", asked, FIELDS, KNOWN) == ("resident", "place")
    # A record's keys and the person's own name no kind of subject: every kind.
    assert subject_kinds("", plan("person.name", "inspection.date"), FIELDS, KNOWN) == KNOWN
    assert subject_kinds("", plan(), FIELDS, KNOWN) == KNOWN


def test_asks_for_a_subject_when_declared_or_planned() -> None:
    own = plan("person.name", "org.village")
    assert asks_for_a_subject("place", "", own, FIELDS, KNOWN)
    assert asks_for_a_subject("", "inspection", own, FIELDS, KNOWN)
    assert not asks_for_a_subject("", "", own, FIELDS, KNOWN)
    assert not asks_for_a_subject("", "", plan(), FIELDS, KNOWN)
    assert not asks_for_a_subject("", "", plan("inspection.date"), FIELDS, KNOWN)
    assert asks_for_a_subject("", "", plan("person.name", "household.number"), FIELDS, KNOWN)
    assert asks_for_a_subject("", "", plan("person.name", missing=("organisation.name",)),
                              FIELDS, KNOWN)


# -- a subject and a record in the list -------------------------------------------------------------


def test_a_subject_reads_as_its_name_and_address_never_a_sensitive_value(
    records: PersonRecords,
) -> None:
    household = records.save_subject("household", dict(HOUSEHOLD))
    option = subject_option(household, FIELDS)
    assert option == Option(household.id, "王建国 · 李家村3组12号", "household")
    assert HEAD_ID not in option.text and PHONE not in option.text

    shop = records.save_subject("place", dict(SHOP))
    assert subject_option(shop, FIELDS).text == "李四小卖部 · 李家村5组1号"
    assert PHONE not in subject_option(shop, FIELDS).text
    # Where the dictionary calls the address sensitive, it is left out.
    secret_address = {**FIELDS, "place.address": dataclasses.replace(
        FIELDS["place.address"], sensitive=True)}
    assert subject_option(shop, secret_address).text == "李四小卖部"

    # No address: the number tells two 王建国 apart; the address as the name is not said twice.
    numbered = records.save_subject("household", {"household.head_name": "王建国",
                                                  "household.number": "0013"})
    assert subject_option(numbered, FIELDS).text == "王建国 · 0013"
    nameless = records.save_subject("household", {"household.address": "李家村4组",
                                                  "household.number": "0014"})
    assert subject_option(nameless, FIELDS).text == "李家村4组 · 0014"


def test_a_subject_names_its_kind_first_when_several_kinds_are_listed(
    records: PersonRecords,
) -> None:
    shop = records.save_subject("place", dict(SHOP))
    assert subject_option(shop, FIELDS, "场所").text == "场所：李四小卖部 · 李家村5组1号"
    # Nothing to show but its id: still one it can be chosen by.
    empty = Subject("s-empty", "resident", {}, "")
    assert subject_option(empty, FIELDS).text == "s-empty"


def test_a_subject_option_is_one_bounded_line() -> None:
    long = Subject("s-long", "place", {"place.name": "很长的名字" * 30}, "")
    text = subject_option(long, FIELDS, "场所").text
    assert len(text) <= OPTION_CHARS + 1 and text.endswith("…")
    assert text.startswith("场所：很长的名字")
    # Text from a spreadsheet may hold what a list cannot show: one line, no control characters.
    lines = Subject("s-lines", "place", {"place.name": "第一行\n第二行\r第三行\x07",
                                         "place.address": "地址"}, "")
    shown = subject_option(lines, FIELDS).text
    assert "\n" not in shown and "\r" not in shown and "\x07" not in shown
    assert shown.startswith("第一行") and "第二行" not in shown


def test_a_record_reads_as_its_date_then_what_it_found(records: PersonRecords) -> None:
    shop = records.save_subject("place", dict(SHOP))
    record = records.save_record("inspection", {"inspection.date": "2026-11-20",
                                                "inspection.hazard_type": "1",
                                                "inspection.result": "2"},
                                 subject_id=shop.id)
    assert record_option(record, FIELDS) == Option(record.id, "2026-11-20 · 消防安全",
                                                   "inspection")
    # A sensitive value is never the detail: the next one is (a choice as people read it).
    secret_hazard = {**FIELDS, "inspection.hazard_type": dataclasses.replace(
        FIELDS["inspection.hazard_type"], sensitive=True)}
    assert record_option(record, secret_hazard).text == "2026-11-20 · 限期整改"


def test_a_record_skips_flags_long_texts_files_and_other_dates(
    records: PersonRecords, tmp_path: Path
) -> None:
    record = records.save_record("inspection", {
        "inspection.date": "2026-11-20",
        "inspection.rectified": "true",
        "inspection.deadline": "2026-12-31",
        "inspection.rectification": "已更换灭火器",
        "inspection.notes": "备注",
        "inspection.photo": str(tmp_path / "现场.jpg"),
    })
    assert record_option(record, FIELDS).text == "2026-11-20"
    # No inspection date: the first date it has, else the day it was saved.
    later = records.save_record("inspection", {"inspection.deadline": "2026-12-31",
                                               "inspection.result": "1"})
    assert record_option(later, FIELDS).text == "2026-12-31 · 合格"
    undated = Record("r-1", "inspection", None, {"inspection.notes": "只有备注"},
                     "2026-03-04T05:06:07+00:00")
    assert record_option(undated, FIELDS).text == "2026-03-04"
    nothing = Record("r-2", "inspection", None, {}, "")
    assert record_option(nothing, FIELDS).text == "r-2"
    long = Record("r-3", "inspection", None, {"inspection.date": "2026-01-02",
                                              "inspection.hazard_type": "其他隐患" * 40}, "")
    text = record_option(long, FIELDS).text
    assert text.startswith("2026-01-02 · 其他隐患") and len(text) <= OPTION_CHARS + 1


# -- a choice, and the ticks kept ------------------------------------------------------------------


def test_the_chosen_context_keeps_the_task_and_only_the_ids_chosen() -> None:
    task = FillContext(task_key="demo.anquan/T-7", record_id="r-task", subject_id="s-task",
                       subject_text="李家村3组王建国户")
    assert chosen_context(task, "s-2", "r-2") == FillContext(
        task_key="demo.anquan/T-7", subject_id="s-2", record_id="r-2", chosen=True)
    none = chosen_context(task, NONE, NONE)
    assert none.chosen and none.subject_id == "" and none.record_id == ""
    assert none.subject_text == ""  # the task's words look nothing up any more
    assert chosen_context(None, "s-2", "") == FillContext(subject_id="s-2", chosen=True)


def test_an_unchanged_row_keeps_its_tick_a_changed_one_starts_afresh() -> None:
    before = {"0/1": ("张伟", False), "0/2": ("王建国出租房", True), "0/3": ("2026-11-20", False),
              "0/9": ("gone", True)}
    rows = [
        PreviewRow("0/1", "姓名", "张伟", False, "我的信息", "已配置"),
        PreviewRow("0/2", "场所名称", "李四小卖部", False, "户·场所", "已配置"),
        PreviewRow("0/3", "检查日期", "2026-11-20", False, "检查记录", "已配置"),
        PreviewRow("0/4", "地址", "李家村5组1号", False, "户·场所", "已配置"),
    ]
    assert kept_ticks(before, rows) == {"0/1": False, "0/3": False}
    assert kept_ticks({}, rows) == {}


# -- the lists, read for the account the plan was made for ---------------------------------------


def test_the_lists_are_the_forms_kind_and_start_with_the_tasks_subject_and_record(
    records: PersonRecords, platform: Platform
) -> None:
    house = records.save_subject("place", dict(HOUSE))
    shop = records.save_subject("place", dict(SHOP))
    records.save_subject("household", dict(HOUSEHOLD))  # another kind: not listed
    checked = records.save_record("inspection", {"inspection.date": "2026-11-20"},
                                  subject_id=house.id, tasks=["demo.anquan/T-7"])
    records.save_record("inspection", {"inspection.date": "2026-10-01"}, subject_id=shop.id)
    context = FillContext(task_key="demo.anquan/T-7", subject_text="李家村3组王建国户")

    lists = read_lists(job(records, platform, INSPECTION_FORM, context))
    assert lists is not None
    assert [(o.id, o.text) for o in lists.subjects] == [
        (shop.id, "李四小卖部 · 李家村5组1号"), (house.id, "王建国出租房 · 李家村3组12号")]
    assert (lists.subject_id, lists.record_id) == (house.id, checked.id)
    assert [(o.id, o.text) for o in lists.records] == [(checked.id, "2026-11-20")]

    # A tab for no task: nothing chosen; the records listed are those about no subject.
    loose = records.save_record("inspection", {"inspection.date": "2026-09-09"})
    lists = read_lists(job(records, platform, INSPECTION_FORM, None))
    assert lists is not None
    assert (lists.subject_id, lists.record_id) == (NONE, NONE)
    assert {o.id for o in lists.subjects} == {house.id, shop.id}
    assert [o.id for o in lists.records] == [loose.id]
    # A form of no records: no record list.
    lists = read_lists(job(records, platform, RELIEF_FORM, None, kinds=("household",),
                           record_kind=""))
    assert lists is not None and lists.records == ()
    assert [o.text for o in lists.subjects] == ["王建国 · 李家村3组12号"]


def test_several_kinds_each_named_in_the_persons_language(
    records: PersonRecords, platform: Platform
) -> None:
    records.save_subject("place", dict(SHOP))
    records.save_subject("household", dict(HOUSEHOLD))
    kinds = ("household", "place")
    lists = read_lists(job(records, platform, f"{BASE}/other", None, kinds=kinds,
                           record_kind=""))
    assert lists is not None
    assert [o.text for o in lists.subjects] == ["户：王建国 · 李家村3组12号",
                                                "场所：李四小卖部 · 李家村5组1号"]
    english = read_lists(job(records, platform, f"{BASE}/other", None, kinds=kinds,
                             record_kind="", english=True))
    assert english is not None
    assert [o.text for o in english.subjects] == ["Households：王建国 · 李家村3组12号",
                                                  "Shops and places：李四小卖部 · 李家村5组1号"]


def test_a_tasks_subject_of_another_kind_comes_first(
    records: PersonRecords, platform: Platform
) -> None:
    shop = records.save_subject("place", dict(SHOP))
    household = records.save_subject("household", dict(HOUSEHOLD))
    visit = records.save_record("inspection", {"inspection.date": "2026-11-01"},
                                subject_id=household.id)
    # The form asks for a place; the task is about a household.
    lists = read_lists(job(records, platform, INSPECTION_FORM,
                           FillContext(task_key="demo.anquan/T-8", subject_id=household.id)))
    assert lists is not None
    assert [o.id for o in lists.subjects] == [household.id, shop.id]
    assert lists.subjects[0].text == "户：王建国 · 李家村3组12号"
    assert lists.subjects[0].kind == "household"
    assert (lists.subject_id, lists.record_id) == (household.id, visit.id)
    assert [o.id for o in lists.records] == [visit.id]


def test_unknown_ids_fall_back_to_none_and_a_known_record_comes_first(
    records: PersonRecords, platform: Platform
) -> None:
    shop = records.save_subject("place", dict(SHOP))
    house = records.save_subject("place", dict(HOUSE))
    own = records.save_record("inspection", {"inspection.date": "2026-10-01"},
                              subject_id=shop.id)
    elsewhere = records.save_record("inspection", {"inspection.date": "2026-08-08"},
                                    subject_id=house.id)

    lists = read_lists(job(records, platform, INSPECTION_FORM, None,
                           use_case=Chosen(shop.id, "no-such-record")))
    assert lists is not None
    assert (lists.subject_id, lists.record_id) == (shop.id, NONE)
    assert [o.id for o in lists.records] == [own.id]

    lists = read_lists(job(records, platform, INSPECTION_FORM, None,
                           use_case=Chosen("no-such-subject", "")))
    assert lists is not None
    assert (lists.subject_id, lists.record_id) == (NONE, NONE)
    assert {o.id for o in lists.subjects} == {shop.id, house.id}

    # The task's record is about another subject: still listed, first, and chosen.
    lists = read_lists(job(records, platform, INSPECTION_FORM, None,
                           use_case=Chosen(shop.id, elsewhere.id)))
    assert lists is not None
    assert (lists.subject_id, lists.record_id) == (shop.id, elsewhere.id)
    assert [o.id for o in lists.records] == [elsewhere.id, own.id]
    assert lists.records[0].text == "2026-08-08"


def test_no_lists_when_someone_else_is_signed_in(
    records: PersonRecords, platform: Platform, who: Who
) -> None:
    records.save_subject("place", dict(SHOP))
    assert read_lists(job(records, platform, INSPECTION_FORM, None, owner=ZHANG)) is not None
    who.sub = LI
    asked: list[str] = []
    assert read_lists(job(records, platform, INSPECTION_FORM, None, owner=ZHANG,
                          use_case=Chosen("", "", then=lambda: asked.append("chosen")))) is None
    assert asked == []  # nothing of Li's was read for Zhang's plan
    # Li's own table is empty, and Zhang's subjects are never hers.
    lists = read_lists(job(records, platform, INSPECTION_FORM, None, owner=LI))
    assert lists is not None and lists.subjects == () and lists.records == ()
    # Someone else signed in while the lists were read: none of what was read is given.
    who.sub = ZHANG

    def sign_in_li() -> None:
        who.sub = LI

    assert read_lists(job(records, platform, INSPECTION_FORM, None,
                          use_case=Chosen("", "", then=sign_in_li))) is None


def test_enter_in_the_search_chooses_the_subject_typed_and_never_fills(
    qtbot: Any, records: PersonRecords, platform: Platform
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from launcher.ui.fill_chooser import FillChooser

    class Panel(QWidget):
        """Where the preview's Enter (填入) would arrive."""

        entered = 0

        def keyPressEvent(self, event: Any) -> None:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.entered += 1

    house = records.save_subject("place", dict(HOUSE))
    shop = records.save_subject("place", dict(SHOP))
    panel = Panel()
    qtbot.addWidget(panel)
    chooser = FillChooser(Inline(), panel)  # type: ignore[arg-type]
    chosen: list[FillContext] = []
    chooser.chosen.connect(chosen.append)
    chooser.begin(job(records, platform, RELIEF_FORM, None, record_kind=""))
    assert {i for i, _ in chooser.options()[0]} == {NONE, house.id, shop.id}
    line = chooser.subject_box.lineEdit()
    assert line is not None

    line.setText("小卖")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert chooser.current()[0] == shop.id
    assert [c.subject_id for c in chosen] == [shop.id]
    # Text that names no subject (or several) puts back the one chosen.
    for typed in ("不存在的户", "李家村"):
        line.setText(typed)
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert chooser.current()[0] == shop.id
        assert line.text() == chooser.subject_box.itemText(chooser.subject_box.currentIndex())
    assert panel.entered == 0 and len(chosen) == 1
