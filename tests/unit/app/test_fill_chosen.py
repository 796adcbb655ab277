"""The subject and record the person chose in the fill preview (``FillContext(chosen=True)``):
its ids are all there is — no task lookup, no subject's latest record, an empty id meaning none —
and ``Fill.chosen`` tells which subject and record a task's context stands for (the chooser's
first choice)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from launcher.app.fill import Fill, FillContext
from launcher.app.refresh import Inline
from launcher.core.registry import Platform
from tests.unit.app.test_fill import (
    BASE,
    FORM,
    HOUSEHOLD,
    INSPECTION,
    FakeServices,
    OneRegistry,
    Profile,
    planned_with,
    records,
)
from tests.unit.core._platforms import FORMS, make_platform


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return make_platform(tmp_path, BASE, forms=FORMS)


@pytest.fixture
def services(platform: Platform) -> Any:
    return FakeServices(OneRegistry(platform), Profile(), records())


def test_a_chosen_subject_without_a_record_gives_no_record(
    services: Any, platform: Platform
) -> None:
    fill = Fill(services, Inline())
    # Not chosen: the subject's latest record comes with it.
    latest = fill.values(platform, FORM, FillContext(subject_id="s1"))
    assert latest.values["inspection.date"] == INSPECTION["inspection.date"]
    # Chosen: 新的记录 — the subject's values only.
    chosen = fill.values(platform, FORM, FillContext(subject_id="s1", chosen=True))
    assert chosen.values["household.head_name"] == HOUSEHOLD["household.head_name"]
    assert "inspection.date" not in chosen.values
    # Chosen: an older record of the subject.
    older = fill.values(platform, FORM, FillContext(subject_id="s1", record_id="r-old",
                                                    chosen=True))
    assert older.values["inspection.date"] == "2025-01-01"


def test_no_subject_chosen_leaves_the_tasks_subject_out(
    services: Any, platform: Platform
) -> None:
    fill = Fill(services, Inline())
    task = FillContext(task_key="demo.anquan/T-7", subject_text="李建国")
    assert fill.values(platform, FORM, task).values["household.head_name"] == "李建国"
    none = FillContext(task_key="demo.anquan/T-7", subject_text="李建国", chosen=True)
    values = fill.values(platform, FORM, none)
    assert not any(k.startswith(("household.", "inspection.")) for k in values.values)
    assert services.records.asked == []
    planned = planned_with(fill, platform, none)
    assert {f.source for f in planned.plan.fields} == {"profile"}


def test_chosen_names_what_a_context_stands_for(services: Any, platform: Platform) -> None:
    fill = Fill(services, Inline())
    assert fill.chosen(platform, FORM, None) == ("", "")
    assert fill.chosen(platform, FORM, FillContext(task_key="demo.anquan/T-7")) == ("s1", "r1")
    # The task's words name the subject; its latest record comes with it.
    words = FillContext(task_key="demo.anquan/none", subject_text="李建国")
    assert fill.chosen(platform, FORM, words) == ("s1", "r1")
    assert fill.chosen(platform, FORM, FillContext(subject_id="s1", chosen=True)) == ("s1", "")
    assert fill.chosen(platform, FORM, FillContext(task_key="x/none", subject_text="无人")) == (
        "", "")
