"""一次填报 (launcher/app/submit.py) in the demo county, against its real servers: the shared
fire-safety inspection row of 安全排查 (a submit API) and 执法检查 (its page only) is entered once;
安全排查 stores it through its API, 执法检查's form is to be opened pre-filled; the record and both
outcomes are kept for the person, and the row's tasks show them.

Real provider, real platforms (Flask over HTTP), real keyring (the records' key)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.api import TaskGroup
from launcher.app.events import Events, RecordSubmitted
from launcher.app.refresh import Inline
from launcher.app.services import Services
from launcher.app.session import signed_in
from launcher.app.submit import (
    FAILED,
    REVIEW,
    SUBMITTED,
    InvalidValues,
    PlatformOutcome,
    RowForm,
    SubmitResult,
    SubmitToMany,
    can_submit,
    fields_for_row,
    prepare,
    task_outcomes,
)
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty
from launcher_demo import sign_in as demo_sign_in

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ANQUAN, ZHIFA = "demo.anquan", "demo.zhifa"


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCounty]:
    with DemoCounty(directory=tmp_path_factory.mktemp("submit-county")) as demo:
        yield demo


@pytest.fixture
def services(county: DemoCounty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[Services]:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    opened = Services.open(county.county_path)
    opened.auth.wipe_local()
    signed_in(opened, demo_sign_in(opened.auth, DEMO_USERS[0]))
    try:
        yield opened
    finally:
        opened.auth.wipe_local()
        opened.close()
        for namespace in ("county/demo", "profile/demo", "vault/demo", "web-session/demo"):
            SecretStore(namespace).delete_matching("")


def shared_row(services: Services) -> TaskGroup:
    result = services.inbox.refresh()
    groups = services.grouping.group(result.tasks)
    rows = [g for g in groups if {ANQUAN, ZHIFA} <= set(g.platforms)]
    assert rows, "the demo county has a fire-safety inspection asked by both platforms"
    return rows[0]


def good_values(row: RowForm) -> dict[str, str]:
    values = dict(row.values)
    values.update({
        "place.name": "平安超市",
        "place.address": "李家村3组12号",
        "place.kind": "01",
        "org.village": "李家村",
        "inspection.date": "2026-11-20",
        "inspection.result": "1",
        "inspection.rectified": "false",
        "inspection.deadline": "2026-12-20",
        "inspection.notes": "灭火器过期",
        "person.name": values.get("person.name") or "张伟",
        "person.id_number": values.get("person.id_number") or "110101199003074514",
        "person.phone": values.get("person.phone") or "13800138000",
    })
    return values


def run(services: Services, row: RowForm, values: dict[str, str],
        events: Events | None = None) -> tuple[list[PlatformOutcome], list[SubmitResult],
                                               list[BaseException]]:
    outcomes: list[PlatformOutcome] = []
    results: list[SubmitResult] = []
    failures: list[BaseException] = []
    use_case = SubmitToMany(services, Inline(), events)
    assert use_case.submit(row, values, on_outcome=outcomes.append, on_done=results.append,
                           on_failed=failures.append)
    return outcomes, results, failures


def test_the_shared_inspection_reaches_both_platforms(services: Services,
                                                      county: DemoCounty) -> None:
    row_group = shared_row(services)
    assert can_submit(services.registry, row_group)
    keys = [f.key for f in fields_for_row(services, row_group)]
    # The union: the subject's fields (place), the record's (inspection), the person's own.
    for key in ("place.name", "place.address", "inspection.date", "inspection.result",
                "inspection.rectification", "person.name", "person.phone", "org.village"):
        assert key in keys
    row = prepare(services, row_group)
    assert [p.platform.id for p in row.platforms] == list(row_group.platforms)
    assert {p.platform.id: p.api for p in row.platforms} == {ANQUAN: True, ZHIFA: False}
    assert "inspection.date" in row.required and "person.name" in row.required
    assert (row.record_kind, row.subject_kind) == ("inspection", "place")

    events = Events()
    seen: list[RecordSubmitted] = []
    events.subscribe(RecordSubmitted, seen.append)
    before = len(county.submissions(ANQUAN))
    outcomes, results, failures = run(services, row, good_values(row), events)
    assert failures == []
    by_platform = {o.platform_id: o for o in outcomes}
    assert by_platform[ANQUAN].state == SUBMITTED, by_platform[ANQUAN].message
    assert by_platform[ANQUAN].message == "提交成功"
    opened = by_platform[ZHIFA]
    assert opened.state == REVIEW and opened.open_form is not None
    zhifa = services.registry.get(ZHIFA)
    assert zhifa is not None and opened.open_form.url == zhifa.expand("{base_url}/jcjl/add")
    record_id = results[0].record_id
    assert opened.open_form.context.record_id == record_id
    assert opened.open_form.context.task_key.startswith(ZHIFA + "/")

    # 安全排查 stored it, from the launcher's API call, for this task and person.
    stored = county.submissions(ANQUAN)[before:]
    assert len(stored) == 1
    assert stored[0]["via"] == "api" and stored[0]["place_name"] == "平安超市"
    anquan_item = next(i for i in row_group.items if i.platform == ANQUAN)
    assert stored[0]["task"] == anquan_item.id

    # The record, its subject and both outcomes are kept; the event names states, not values.
    record = services.records.record(record_id)
    assert record is not None
    assert record.values["inspection.notes"] == "灭火器过期"
    assert set(record.tasks) == {i.key for i in row_group.items}
    assert {p: o.state for p, o in record.outcomes.items()} == {ANQUAN: SUBMITTED, ZHIFA: REVIEW}
    subject = services.records.subject(record.subject_id or "")
    assert subject is not None and subject.values["place.name"] == "平安超市"
    assert seen and dict(seen[0].outcomes) == {ANQUAN: SUBMITTED, ZHIFA: REVIEW}
    assert "平安超市" not in repr(seen[0])
    shown = task_outcomes(services)
    assert shown[anquan_item.key][0] == SUBMITTED

    # Opened again, the row's form is pre-filled from its record.
    again = prepare(services, row_group)
    assert again.record_id == record_id and again.values["inspection.notes"] == "灭火器过期"


def test_a_refusal_is_the_platforms_reason(services: Services, county: DemoCounty) -> None:
    row = prepare(services, shared_row(services))
    values = good_values(row)
    values["org.village"] = "不在列表的村"  # text for the launcher; 安全排查 wants one of its list
    before = len(county.submissions(ANQUAN))
    outcomes, results, failures = run(services, row, values)
    assert failures == []
    anquan = next(o for o in outcomes if o.platform_id == ANQUAN)
    assert anquan.state == FAILED
    assert anquan.message == county.refusals(ANQUAN)[-1]["error"] == "请从列表中选择：所属村/社区"
    assert len(county.submissions(ANQUAN)) == before
    record = services.records.record(results[0].record_id)
    assert record is not None and record.outcomes[ANQUAN].state == FAILED


def test_a_missing_value_is_named_and_nothing_sent(services: Services,
                                                   county: DemoCounty) -> None:
    row = prepare(services, shared_row(services))
    values = good_values(row)
    values["place.name"] = ""
    values["person.phone"] = ""
    before = len(county.submissions(ANQUAN)), len(county.refusals(ANQUAN))
    outcomes, _results, failures = run(services, row, values)
    assert failures == []
    anquan = next(o for o in outcomes if o.platform_id == ANQUAN)
    assert anquan.state == FAILED
    assert anquan.message == "缺少：场所名称、联系电话（未发送）"
    assert (len(county.submissions(ANQUAN)), len(county.refusals(ANQUAN))) == before


def test_wrong_values_are_refused_before_anything(services: Services, county: DemoCounty) -> None:
    row = prepare(services, shared_row(services))
    values = good_values(row)
    values["inspection.date"] = "2026-13-40"
    values["person.phone"] = "12345"
    before = len(county.submissions(ANQUAN))
    outcomes, results, failures = run(services, row, values)
    assert outcomes == [] and results == []
    assert isinstance(failures[0], InvalidValues)
    assert set(failures[0].problems) == {"inspection.date", "person.phone"}
    assert len(county.submissions(ANQUAN)) == before


def test_a_refused_token_is_tried_once_more_then_signed_out(
        services: Services, county: DemoCounty, monkeypatch: pytest.MonkeyPatch) -> None:
    row = prepare(services, shared_row(services))
    asked: list[str] = []
    invalidated: list[str] = []

    def stale_token(platform: object) -> str:
        asked.append(getattr(platform, "id", ""))
        return "not-a-token-the-provider-issued"

    monkeypatch.setattr(services.auth, "token_for", stale_token)
    monkeypatch.setattr(services.auth, "invalidate",
                        lambda platform: invalidated.append(platform.id))
    before = len(county.submissions(ANQUAN))
    outcomes, _results, failures = run(services, row, good_values(row))
    assert failures == []
    anquan = next(o for o in outcomes if o.platform_id == ANQUAN)
    assert anquan.state == FAILED and anquan.message == "登录已失效，请重新登录后再提交"
    assert asked.count(ANQUAN) == 2 and invalidated == [ANQUAN]
    assert len(county.submissions(ANQUAN)) == before
