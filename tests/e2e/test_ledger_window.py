"""工作 → 减负账本 in the real window: a day's work (a platform opened signed in, a form filled)
is counted for the person signed in, shown as a chart by week and a table by platform with the
assumptions behind the time saved, and exported for the county as xlsx, csv and PDF without
personal data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.app.events import Filled, PlatformOpened
from launcher.ui.main_window import MainWindow
from tests.e2e.signin import LOAD_TIMEOUT, USER

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]


@pytest.fixture(scope="module")
def scripted_sign_in() -> bool:
    return True


def test_the_day_s_work_is_counted_shown_and_exported(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path
) -> None:
    window = signed_in
    services = window.services
    assert services is not None and services.ledger is not None
    services.events.publish(PlatformOpened("demo.anquan"))
    services.events.publish(Filled("demo.anquan", "safety_check",
                                   ("person.name", "person.phone", "place.name")))
    parts = window._parts
    assert parts is not None
    assert parts.ledger_action in window.window_actions.work_menu.actions()
    parts.ledger_action.trigger()
    dialog = parts.ledger_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.summary is not None, timeout=LOAD_TIMEOUT)
    summary = dialog.summary
    assert summary is not None and summary.last == date.today()
    assert summary.totals["signed_in_for_you"] >= 1 and summary.totals["fields_filled"] >= 3
    assert "小时" in dialog.headline.text() and "6 秒" in dialog.assumptions.text()
    assert dialog.findChild(object, "ledgerChart") is not None
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "安全排查" in names

    for suffix in (".xlsx", ".csv", ".pdf"):
        with qtbot.waitSignal(dialog.exported, timeout=LOAD_TIMEOUT) as exported:
            dialog.export(tmp_path / f"账本{suffix}")  # written on a worker
        written = exported.args[0]
        assert written is not None and written.stat().st_size > 0
    text = (tmp_path / "账本.csv").read_text(encoding="utf-8-sig")
    assert "安全排查" in text and USER.name not in text and USER.username not in text
    assert (tmp_path / "账本.pdf").read_bytes().startswith(b"%PDF")
    dialog.close()
