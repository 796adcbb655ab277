"""Fill as a use case without Qt: which platform a page is (or why none), the values a page may get
(the person's own details, and for a task's tab its subject and record), the plan over a page's
scan, what the page's answer means, the fill history noted with only what was filled, and Filled
naming fields, never values."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from launcher.app.events import Events, Filled
from launcher.app.fill import (
    FIELD_RESULTS,
    Fill,
    FillContext,
    FillOutcome,
    NotFilled,
    Planned,
    form_platform,
    result_words,
)
from launcher.app.refresh import Inline
from launcher.core.profile.fields import load_fields
from launcher.core.registry import Platform
from tests.unit.core._platforms import FORMS, make_platform

BASE = "http://127.0.0.1:43211"
FORM = f"{BASE}/inspections/new"
OWNER = "sub-zhang"
PROFILE = {
    "person.name": "王小明",
    "person.phone": "13800138000",
    "org.village": "幸福村",
    "inspection.date": "2020-01-01",  # an old profile's: a record's value now, never filled
}
HOUSEHOLD = {"household.head_name": "李建国", "household.address": "幸福村3组12号"}
INSPECTION = {"inspection.date": "2026-11-20", "inspection.notes": "灭火器过期"}


@dataclass
class OneRegistry:
    platform: Platform

    def platform_for_url(self, url: str, prefer: str = "") -> Platform | None:
        return self.platform if self.platform.owns(url) else None


@dataclass
class Profile:
    owner_now: str = OWNER

    def owner(self) -> str:
        return self.owner_now

    def values(self, *, owner: str | None = None) -> dict[str, str]:
        return dict(PROFILE) if owner in (None, self.owner_now) else {}


@dataclass(frozen=True)
class Subject:
    id: str
    kind: str
    values: dict[str, str]
    updated: str = "2026-11-01T00:00:00"


@dataclass(frozen=True)
class Record:
    id: str
    kind: str
    subject_id: str | None
    values: dict[str, str]
    updated: str
    version: int = 1


@dataclass
class Records:
    """The C2 PersonRecords calls Fill makes, answering from memory; it notes every call."""

    subjects: dict[str, Subject] = field(default_factory=dict)
    all_records: list[Record] = field(default_factory=list)
    by_task: dict[str, str] = field(default_factory=dict)
    noted: list[tuple[str, str, dict[str, str], str | None]] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    signed_in: str = OWNER

    def owner(self) -> str:
        return self.signed_in

    def subject(self, subject_id: str) -> Subject | None:
        return self.subjects.get(subject_id)

    def find_subject(self, text: str, kind: str | None = None) -> Subject | None:
        self.asked.append(text)
        return next((s for s in self.subjects.values() if text in s.values.values()), None)

    def record(self, record_id: str) -> Record | None:
        return next((r for r in self.all_records if r.id == record_id), None)

    def record_for_task(self, task_key: str) -> Record | None:
        return self.record(self.by_task.get(task_key, ""))

    def records(self, *, subject_id: str | None = None, kind: str | None = None) -> list[Record]:
        return [r for r in self.all_records if subject_id in (None, r.subject_id)
                and kind in (None, r.kind)]

    def note_filled(self, platform_id: str, form_key: str, values: dict[str, str], *,
                    owner: str | None = None) -> None:
        self.noted.append((platform_id, form_key, dict(values), owner))


@dataclass
class FakeServices:
    registry: OneRegistry
    profile: Profile
    records: Records
    fields: dict[str, Any] = field(default_factory=load_fields)


def records() -> Records:
    store = Records()
    store.subjects["s1"] = Subject("s1", "household", dict(HOUSEHOLD))
    store.all_records = [
        Record("r-old", "inspection", "s1", {"inspection.date": "2025-01-01"}, "2025-01-02"),
        Record("r1", "inspection", "s1", dict(INSPECTION), "2026-11-21"),
    ]
    store.by_task["demo.anquan/T-7"] = "r1"
    return store


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return make_platform(tmp_path, BASE, forms=FORMS)


@pytest.fixture
def services(platform: Platform) -> Any:
    return FakeServices(OneRegistry(platform), Profile(), records())


def scanned(origin: str = BASE) -> dict[str, Any]:
    """A page's scan (C3) of 安全排查's form: the mapped fields, and two the manifest does not
    map (户主姓名 and 检查日期 by label) plus one nothing matches."""

    def text(ref: str, selector: str, label: str, **more: Any) -> dict[str, Any]:
        return {"ref": ref, "frame": "0", "selector": selector, "widget": "text",
                "framework": "native", "label": label, "placeholder": "", "name": "",
                "id": selector.lstrip("#"), "autocomplete": "", "nearby": "", "section": "",
                "options": [], "multiple": False, "required": False, "value": "",
                "disabled": False, "readonly": False, "visible": True, **more}

    return {"origin": origin, "url": FORM, "title": "消防安全检查", "refused": "", "fields": [
        text("0/0", "#inspector", "检查人"),
        text("0/1", "#phone", "联系电话"),
        text("0/2", "#village", "所属村/社区"),
        text("0/3", "#check_date", "检查日期", widget="date"),
        text("0/4", "#hzxm", "户主姓名"),
        text("0/5", "#weather", "天气情况"),
    ]}


def planned_with(fill: Fill, platform: Platform, context: FillContext | None) -> Planned:
    got: list[Any] = []
    fill.plan(platform, FORM, scanned(), context, got.append, got.append, got.append)
    [planned] = got
    assert isinstance(planned, Planned), planned
    return planned


def test_which_page_may_be_filled(services: Any, platform: Platform) -> None:
    fill = Fill(services, Inline())
    assert fill.page(FORM) == (platform, None)
    # Any page of the platform: the heuristics plan what the manifest does not map.
    assert fill.page(f"{BASE}/inbox") == (platform, None)
    assert fill.page("http://127.0.0.1:9/elsewhere") == (None, NotFilled.NO_PLATFORM)
    assert fill.page("") == (None, NotFilled.NO_PLATFORM)
    assert fill.page("about:blank") == (None, NotFilled.NO_PLATFORM)
    assert form_platform(services.registry, FORM) is platform


def test_the_profile_alone_without_a_context(services: Any, platform: Platform) -> None:
    values = Fill(services, Inline()).values(platform, FORM, None)
    assert values.values == {k: v for k, v in PROFILE.items() if k != "inspection.date"}
    assert set(values.sources.values()) == {"profile"}
    assert services.records.asked == []


def test_a_tasks_values_come_from_its_record_and_subject(
    services: Any, platform: Platform
) -> None:
    context = FillContext(task_key="demo.anquan/T-7", subject_text="李建国")
    values = Fill(services, Inline()).values(platform, FORM, context)
    assert values.values == {
        "person.name": "王小明", "person.phone": "13800138000", "org.village": "幸福村",
        **HOUSEHOLD, **INSPECTION,
    }
    assert values.sources["person.name"] == "profile"
    assert values.sources["household.head_name"] == "subject"
    assert values.sources["inspection.date"] == "record"  # the record's, not the old profile's
    assert services.records.asked == []  # the record named its subject


def test_without_a_record_the_subject_named_by_the_task_and_its_latest_record(
    services: Any, platform: Platform
) -> None:
    context = FillContext(task_key="demo.anquan/none", subject_text="李建国")
    values = Fill(services, Inline()).values(platform, FORM, context)
    assert services.records.asked == ["李建国"]
    assert values.values["household.address"] == "幸福村3组12号"
    assert values.values["inspection.date"] == "2026-11-20"  # r1, the later of the two
    # A subject chosen by id wins over the task's words; an unknown one gives nothing of its own.
    nobody = Fill(services, Inline()).values(platform, FORM, FillContext(subject_id="s9"))
    assert "household.head_name" not in nobody.values


def test_the_plan_fills_the_record_and_the_event_and_history_hold_only_what_was_filled(
    services: Any, platform: Platform
) -> None:
    events = Events()
    seen: list[Filled] = []
    events.subscribe(Filled, seen.append)
    fill = Fill(services, Inline(), events)
    planned = planned_with(fill, platform, FillContext(task_key="demo.anquan/T-7"))
    by_key = {f.key: f for f in planned.plan.fields}
    assert by_key["person.name"].how == "manifest" and by_key["person.name"].ref == "0/0"
    assert by_key["inspection.date"].value == "2026-11-20"
    assert by_key["inspection.date"].source == "record"
    assert by_key["household.head_name"].value == "李建国"
    assert by_key["household.head_name"].source == "subject"
    assert by_key["household.head_name"].how != "manifest"
    assert by_key["person.phone"].sensitive
    assert ("0/5", "天气情况") in planned.plan.unknown
    assert planned.owner == OWNER

    # The person ticked all but the phone; the village's field turned out read-only.
    refs = [f.ref for f in planned.plan.fields if f.key != "person.phone"]
    fields = fill.fields_to_fill(planned, refs)
    assert {f["ref"] for f in fields} == set(refs)
    results = {ref: "ok" for ref in refs}
    results[by_key["org.village"].ref] = "readonly"
    results[by_key["inspection.date"].ref] = "unchanged"
    outcome = fill.answered(planned, refs, {"done": True, "results": results})
    assert isinstance(outcome, FillOutcome)
    assert set(outcome.keys) == {"person.name", "inspection.date", "household.head_name"}
    assert [(f.key, code) for f, code in outcome.failed] == [("org.village", "readonly")]
    assert [f.key for f in outcome.skipped] == ["person.phone"]

    [(platform_id, form_key, noted, owner)] = services.records.noted
    assert (platform_id, form_key, owner) == ("demo.anquan", "safety_check", OWNER)
    assert noted == {"person.name": "王小明", "inspection.date": "2026-11-20",
                     "household.head_name": "李建国"}
    assert seen == [Filled("demo.anquan", "safety_check", outcome.keys)]
    for value in ("王小明", "李建国", "2026-11-20", "13800138000"):
        assert value not in repr(seen)


def test_a_page_that_refused_or_did_not_answer_fills_and_notes_nothing(
    services: Any, platform: Platform
) -> None:
    events = Events()
    seen: list[Filled] = []
    events.subscribe(Filled, seen.append)
    fill = Fill(services, Inline(), events)
    planned = planned_with(fill, platform, None)
    refs = [f.ref for f in planned.plan.fields]
    assert fill.answered(planned, refs, None) is NotFilled.NO_ANSWER
    assert fill.answered(planned, refs, {"refused": "origin"}) is NotFilled.REFUSED
    nothing = fill.answered(planned, refs, {"done": True, "results": {r: "missing" for r in refs}})
    assert isinstance(nothing, FillOutcome) and nothing.filled == []
    assert seen == [] and services.records.noted == []


def test_other_origins_are_refused(services: Any, platform: Platform) -> None:
    fill = Fill(services, Inline())
    refused: list[Any] = []
    # A scan of another origin (the page navigated while it was read) is not planned.
    fill.plan(platform, FORM, scanned("http://127.0.0.1:9"), None, refused.append,
              refused.append, refused.append)
    # Nor is a page outside the platform's origins.
    fill.plan(platform, "http://127.0.0.1:9/inspections/new", scanned("http://127.0.0.1:9"),
              None, refused.append, refused.append, refused.append)
    assert refused == [NotFilled.NOT_A_FORM, NotFilled.NOT_A_FORM]


def test_every_result_code_has_words() -> None:
    for code in ("ok", "unchanged", "missing", "no-option", "readonly", "password", "rejected",
                 "timeout", "frame"):
        assert code in FIELD_RESULTS
    assert result_words("missing").zh == "页面上没有此项"
    assert result_words("error: TypeError").zh == "出错"


def test_with_the_real_records_of_the_signed_in_person(
    tmp_path: Path, platform: Platform
) -> None:
    """The one table's own store (core/profile/records.py): the task's record and its subject
    fill, and the fill history knows the values that were filled, not the one left unticked."""
    from launcher.core.profile.records import PersonRecords
    from launcher.core.secrets import SecretStore

    fields = load_fields()
    store = PersonRecords(tmp_path / "records", SecretStore("test/fill"), fields, lambda: OWNER)
    try:
        place = store.save_subject("place", {"place.name": "王建国出租房",
                                             "place.address": "李家村3组12号"})
        store.save_record("inspection", dict(INSPECTION), subject_id=place.id,
                          tasks=["demo.anquan/T-9"])
        services: Any = FakeServices(OneRegistry(platform), Profile(), records=Records())
        services.records = store
        fill = Fill(services, Inline())
        values = fill.values(platform, FORM, FillContext(task_key="demo.anquan/T-9"))
        assert values.values["inspection.date"] == "2026-11-20"
        assert values.values["place.name"] == "王建国出租房"
        assert values.sources["place.name"] == "subject"

        planned = planned_with(fill, platform, FillContext(task_key="demo.anquan/T-9"))
        by_key = {f.key: f for f in planned.plan.fields}
        refs = [by_key["inspection.date"].ref, by_key["person.name"].ref]
        outcome = fill.answered(planned, refs, {"done": True,
                                                "results": dict.fromkeys(refs, "ok")})
        assert isinstance(outcome, FillOutcome)
        [received] = store.filled_with("inspection.date", "2026-11-20")
        assert (received.platform_id, received.form_key) == ("demo.anquan", "safety_check")
        assert store.filled_with("person.phone", "13800138000") == []  # not ticked
        assert store.filled_with("inspection.date", "2020-01-01") == []
    finally:
        store.close()


def test_a_record_store_that_cannot_be_read_still_fills_the_persons_own_details(
    services: Any, platform: Platform
) -> None:
    from launcher.core.profile.records import RecordError

    def broken(task_key: str) -> None:
        raise RecordError("记录无法读取")

    services.records.record_for_task = broken
    values = Fill(services, Inline()).values(platform, FORM, FillContext(task_key="x/1"))
    assert values.values["person.name"] == "王小明"
    assert set(values.sources.values()) == {"profile"}


def test_another_persons_records_never_fill(services: Any, platform: Platform) -> None:
    # The plan was started for OWNER; by the time the records are read, someone else is signed
    # in: none of their records or subjects may reach the page.
    services.records.signed_in = "sub-li"
    values = Fill(services, Inline()).values(
        platform, FORM, FillContext(task_key="demo.anquan/T-7"), OWNER
    )
    assert not {k for k, s in values.sources.items() if s != "profile"}
