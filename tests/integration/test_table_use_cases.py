"""The one table's use cases (launcher/app/table.py) on the demo county's Services: what they save,
what they announce (kinds and counts, never a value), masking, and the signed-in person only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.app import table
from launcher.app.events import Event, RecordsChanged, TableExported, TableImported
from launcher.app.services import Services
from launcher.app.session import sign_out, signed_in
from launcher.core.profile.records import RecordError
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty
from launcher_demo import sign_in as demo_sign_in

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG = DEMO_USERS[0]
HEAD_ID = "11010519491231002X"


@pytest.fixture
def services(demo_county: DemoCounty, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[Services]:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    opened = Services.open(demo_county.county_path)
    opened.auth.wipe_local()
    try:
        yield opened
    finally:
        opened.auth.wipe_local()
        opened.close()
        for namespace in ("county/demo", "profile/demo", "vault/demo", "web-session/demo"):
            SecretStore(namespace).delete_matching("")


def test_the_use_cases_save_and_announce_counts_never_values(services: Services,
                                                             tmp_path: Path) -> None:
    seen: list[Event] = []
    services.events.subscribe(Event, seen.append)
    kinds = table.table_kinds(services)
    assert [k.key for k in kinds] == ["household", "resident", "place", "organisation",
                                      "inspection"]
    with pytest.raises(RecordError, match="请先登录"):
        table.list_table(services, "household")

    signed_in(services, demo_sign_in(services.auth, ZHANG))
    ledger = tmp_path / "h.csv"
    ledger.write_text(f"户主,户号,户主身份证号\n王建国,0012,{HEAD_ID}\n李秀英,0013,\n",
                      encoding="utf-8")
    result = table.import_table(services, ledger, "household")
    assert result.ok and result.added == 2
    wang = services.records.find_subject("王建国")
    assert wang is not None
    record = table.save_record(services, "inspection", {"inspection.date": "2026-11-30"},
                               subject_id=wang.id)
    table.export_table(services, tmp_path / "out.xlsx", "household")

    view = table.list_table(services, "household")
    row = dict(zip((c.key for c in view.columns), view.rows[view.ids.index(wang.id)],
                   strict=True))
    assert row["household.head_id_number"] == "110***********002X"
    revealed = table.list_table(services, "household", reveal=True)
    assert HEAD_ID in revealed.rows[revealed.ids.index(wang.id)]
    inspections = table.list_table(services, "inspection")
    assert inspections.subjects == ("王建国",) and inspections.ids == (record.id,)

    ours = [e for e in seen if isinstance(e, TableImported | TableExported | RecordsChanged)]
    assert ours == [TableImported("household", 2, 2, 0, 0, 0), RecordsChanged("household"),
                    RecordsChanged("inspection", (record.id,)),
                    TableExported("household", 2, "xlsx")]
    for event in ours:
        assert "王建国" not in repr(event) and HEAD_ID not in repr(event)
        assert "h.csv" not in repr(event) and "out.xlsx" not in repr(event)

    table.delete_record(services, record.id)
    assert seen[-1] == RecordsChanged("inspection", (record.id,))
    sign_out(services)
    assert services.records.subjects() == []  # nobody signed in: nothing read
