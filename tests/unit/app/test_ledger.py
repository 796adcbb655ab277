"""The burden ledger: counted from the application's events, per person, summed by week and by
platform with the time saved under its stated assumptions, exported without personal data."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from launcher.app.events import Events, Filled, PlatformOpened, RecordSubmitted, Refreshed
from launcher.app.ledger import (
    ASSUMPTIONS,
    LedgerCounter,
    export_rows,
    seconds_saved,
    summarise,
    write_export,
)
from launcher.core.ledger import Count, LedgerStore


class Registry:
    def get(self, pid: str) -> object:
        kind = "none" if pid == "demo.open" else "sso"
        return SimpleNamespace(manifest=SimpleNamespace(auth=SimpleNamespace(kind=kind)))


def store_for(tmp_path: Path, who: list[str]) -> LedgerStore:
    return LedgerStore(tmp_path / "ledger", lambda: who[0], lambda sub: f"d-{sub}")


def test_events_are_counted_for_the_person_signed_in_only(tmp_path: Path) -> None:
    who = ["zhang"]
    store = store_for(tmp_path, who)
    events = Events()
    LedgerCounter(store, Registry()).subscribe(events)  # type: ignore[arg-type]
    events.publish(PlatformOpened("demo.anquan"))
    events.publish(PlatformOpened("demo.open"))  # no sign-in needed: not one saved
    events.publish(Filled("demo.anquan", "k", ("person.name", "person.phone", "place.name")))
    events.publish(RecordSubmitted("r1", (("demo.anquan", "submitted"), ("demo.zhifa", "review"),
                                          ("demo.x", "failed"))))
    tasks = [SimpleNamespace(platform="demo.anquan")] * 3 + [SimpleNamespace(platform="demo.zhifa")]
    states = {"demo.anquan": SimpleNamespace(state="current"),
              "demo.zhifa": SimpleNamespace(state="current"),
              "demo.x": SimpleNamespace(state="failed")}
    events.publish(Refreshed(SimpleNamespace(tasks=tasks, states=states)))
    events.publish(Refreshed(SimpleNamespace(tasks=tasks[:1], states=states)))  # fewer later
    events.publish(Refreshed(SimpleNamespace(tasks=tasks * 5, states=states), partial=True))
    summary = summarise(store.counts())
    totals = summary.totals
    assert totals["opened"] == 2 and totals["signed_in_for_you"] == 1
    assert totals["fills"] == 1 and totals["fields_filled"] == 3
    assert totals["submitted"] == 2 and totals["multi_submits"] == 1
    assert totals["tasks_seen"] == 4 and totals["inbox_checks"] == 2  # the day's highest
    by_id = {use.platform: use for use in summary.platforms}
    assert by_id["demo.anquan"].days_used == 1 and by_id["demo.anquan"].fields == 3
    assert "demo.x" not in by_id  # it failed: nothing was done for it
    assert summary.seconds_saved == 1 * 30 + 3 * 6 + 2 * 45 + 1 * 60

    who[0] = "lina"  # another person signed in: her own ledger, empty
    assert store.counts() == []
    who[0] = ""  # nobody: nothing is counted, nothing shown
    events.publish(PlatformOpened("demo.anquan"))
    assert store.counts() == []


def test_weeks_start_on_monday_and_each_time_saved_names_its_assumption() -> None:
    counts = [Count(date(2026, 11, 30), "a", "signed_in_for_you", 2),   # a Monday
              Count(date(2026, 12, 6), "a", "fields_filled", 10),        # the Sunday after
              Count(date(2026, 12, 7), "b", "inbox_checks", 1)]          # the next Monday
    summary = summarise(counts, {"a": "安全排查"})
    assert [w.start for w in summary.weeks] == [date(2026, 11, 30), date(2026, 12, 7)]
    assert summary.weeks[0].seconds_saved == 2 * 30 + 10 * 6
    assert summary.platforms[0].name == "安全排查" and summary.platforms[0].days_used == 2
    assert seconds_saved({"nothing": 5}) == 0
    assert all(words.zh and words.en for _, words in ASSUMPTIONS.values())


def test_the_export_holds_numbers_platform_names_and_assumptions_only(tmp_path: Path) -> None:
    counts = [Count(date(2026, 12, 7), "demo.anquan", "fields_filled", 12),
              Count(date(2026, 12, 7), "demo.evil", "opened", 1)]
    summary = summarise(counts, {"demo.anquan": "安全排查", "demo.evil": "=HYPERLINK(\"x\")"})
    rows = export_rows(summary, "zh_CN", "示范县")
    csv_file = write_export(tmp_path / "账本.csv", rows)
    text = csv_file.read_text(encoding="utf-8-sig")
    assert "安全排查" in text and "示范县" in text and "每个自动填入的字段按 6 秒计" in text
    cells = [cell for row in csv.reader(text.splitlines()) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "@")]  # no formula reaches a sheet
    xlsx = write_export(tmp_path / "账本.xlsx", export_rows(summary, "en", "Demo County"))
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    sheet = load_workbook(xlsx).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "Fields filled" in values and 12 in values


def test_a_retired_platform_leaves_no_row_and_no_trace_in_the_file(tmp_path: Path) -> None:
    from launcher.app.account import scrub_sqlite

    who = ["zhang"]
    store = store_for(tmp_path, who)
    store.add(date(2026, 12, 7), "demo.retired-one", "opened", 4)
    store.add(date(2026, 12, 7), "demo.anquan", "opened", 1)
    who[0] = "lina"
    store.add(date(2026, 12, 7), "demo.retired-one", "fills", 1)
    store.forget_platform("demo.retired-one", scrub_sqlite)
    for path in (tmp_path / "ledger").iterdir():
        assert b"demo.retired-one" not in path.read_bytes()
    who[0] = "zhang"
    assert [c.platform for c in store.counts()] == ["demo.anquan"]
    store.forget("zhang")
    assert store.counts() == []
