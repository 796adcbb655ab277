"""账号 → 操作记录 in the real window, signed in to the demo county: a platform opened from its tile
is in the person's log, newest first, with the log said to be complete; 导出 writes a spreadsheet
for the county without any value; the dialog goes when the person signs out.

Real provider and platforms, real keyring (the log's key), real Chromium pages."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.ui.audit_view import AuditDialog
from launcher.ui.main_window import MainWindow
from tests.e2e.signin import LOAD_TIMEOUT, log_out

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

PLATFORM = "demo.anquan"


@pytest.fixture(scope="module")
def scripted_sign_in() -> bool:
    return True


@pytest.fixture(scope="module", autouse=True)
def forget_keys() -> Iterator[None]:
    yield
    SecretStore("profile/demo").delete_matching("")


def _open_log(qtbot: QtBot, window: MainWindow) -> AuditDialog:
    view = window.parts.audit_view
    menus = [m for m in view.action.associatedObjects() if isinstance(m, QMenu)]
    assert menus and window.vault_action in menus[0].actions()  # in the Account menu
    view.action.trigger()
    dialog = view.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=LOAD_TIMEOUT)
    return dialog


def _rows(dialog: AuditDialog) -> list[list[str]]:
    table = dialog.table
    return [[(item.text() if (item := table.item(r, c)) is not None else "")
             for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_dialog_shows_the_platform_opened_newest_first(
    qtbot: QtBot, signed_in: MainWindow, tmp_path: Path
) -> None:
    window = signed_in
    window.open_platform(PLATFORM)
    qtbot.waitUntil(lambda: any(t.platform_id == PLATFORM for t in window.web_tabs()),
                    timeout=LOAD_TIMEOUT)
    name = window.context.platform_name(PLATFORM)
    dialog = _open_log(qtbot, window)
    qtbot.waitUntil(lambda: "打开平台" in {row[1] for row in _rows(dialog)}, timeout=LOAD_TIMEOUT)
    rows = _rows(dialog)
    assert rows[0][1:3] == ["打开平台", name]  # newest first
    assert "登录" in {row[1] for row in rows}
    assert rows[0][0] >= rows[-1][0]
    assert dialog.reading.intact
    assert "完整" in dialog.state.text() or "complete" in dialog.state.text()

    out = tmp_path / "audit.csv"
    with qtbot.waitSignal(dialog.exported, timeout=LOAD_TIMEOUT) as blocker:
        dialog.export_to(out)
    assert blocker.args == [str(out)]
    with out.open(encoding="utf-8-sig") as file:
        exported = list(csv.reader(file))
    assert any(PLATFORM in row for row in exported)
    user = window.user
    assert user is not None
    text = out.read_text(encoding="utf-8-sig")
    assert user.username not in text and user.sub not in text

    window.close_web_tabs()
    log_out(qtbot, window)
    qtbot.waitUntil(lambda: window.parts.audit_view.dialog is None, timeout=LOAD_TIMEOUT)
