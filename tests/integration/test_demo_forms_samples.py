"""The demo's sample spreadsheets (launcher_demo/samples/) read as the one table imports them,
and the subjects the demo platforms' tasks name found among their rows; the sheets are what
launcher_demo.sample_sheets writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.profile.fields import load_fields
from launcher.core.profile.records import Subject, match_subject
from launcher.core.profile.sheet import read_sheet
from launcher_demo import DemoCounty
from launcher_demo.sample_sheets import SAMPLES, write_samples
from launcher_demo.validation import credit_code_ok, id_number_ok


def subjects(kind: str, name: str) -> list[Subject]:
    rows = read_sheet(SAMPLES / name, kind, load_fields())
    assert rows.errors == [], rows.errors
    return [Subject(f"{kind}-{n}", kind, row) for n, row in enumerate(rows.rows)]


@pytest.mark.parametrize("suffix", ["xlsx", "csv"])
def test_the_samples_read_without_a_row_error(suffix: str) -> None:
    households = subjects("household", f"households.{suffix}")
    places = subjects("place", f"places.{suffix}")
    assert len(households) == 6 and len(places) == 5
    assert all(id_number_ok(s.values["household.head_id_number"]) for s in households)
    assert all(credit_code_ok(s.values["place.credit_code"]) for s in places
               if s.values.get("place.credit_code"))
    wang = households[0].values
    assert (wang["household.head_name"], wang["household.dibao"], wang["household.size"]) == (
        "王建国", "0", "4")


def test_the_tasks_subjects_are_rows_of_the_samples(demo_county: DemoCounty) -> None:
    places = subjects("place", "places.xlsx")
    households = subjects("household", "households.xlsx")
    for shop in ("张记小吃店", "红星五金店"):  # the shared inspections' places
        assert any(t["household"] == shop for t in demo_county.tasks("demo.anquan"))
        found = match_subject(places, shop, "place")
        assert found is not None and found.values["place.name"] == shop
    household_task = next(t for t in demo_county.tasks("demo.zhizhi")
                          if t["bdbm"] == "household_register")
    found = match_subject(households, household_task["dxmc"], "household")
    assert found is not None and found.values["household.head_name"] == "王建国"


def test_the_samples_are_what_the_module_writes(tmp_path: Path) -> None:
    written = write_samples(tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in SAMPLES.iterdir()
                                                     if p.suffix in (".xlsx", ".csv"))
    for path in written:
        if path.suffix == ".csv":
            assert path.read_bytes() == (SAMPLES / path.name).read_bytes()
