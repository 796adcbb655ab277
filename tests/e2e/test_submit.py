"""一次填报 in the real window, signed in to a demo county of this module's own: the shared
fire-safety inspection row (安全排查 and 执法检查) opens each platform's page from its menu; its
one form shows the union of the fields, says a wrong value under its field and sends nothing;
completed, it reaches 安全排查 through its API and opens 执法检查's form in a tab for its record,
and the row then says both outcomes.

Real provider and platforms, real keyring (the records' key), real Chromium pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from launcher.api import TaskGroup
from launcher.core.secrets import SecretStore
from launcher.ui.inbox_model import InboxModel
from launcher.ui.main_window import MainWindow
from launcher.ui.submit_dialog import SubmitController, SubmitDialog
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ANQUAN, ZHIFA = "demo.anquan", "demo.zhifa"
translate = QCoreApplication.translate


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path  # submissions change the platforms' data: a county of our own


@pytest.fixture(scope="module", autouse=True)
def forget_keys() -> Iterator[None]:
    yield
    SecretStore("profile/demo").delete_matching("")


@pytest.fixture
def submitter(signed_in: MainWindow) -> SubmitController:
    """The window's 一次填报, as its parts wire it (install_submit)."""
    found = signed_in.parts.submitter
    assert isinstance(found, SubmitController)
    return found


def shared_row(window: MainWindow) -> TaskGroup:
    rows = [g for g in window.inbox_model.groups() if {ANQUAN, ZHIFA} <= set(g.platforms)]
    assert rows, "the demo county's fire-safety inspection is asked by both platforms"
    assert window.inbox.select_group(rows[0].key)
    return rows[0]


def menu_actions(window: MainWindow) -> dict[str, str]:
    menu = window.inbox.row_menu()
    assert isinstance(menu, QMenu)
    return {a.objectName(): a.text() for a in menu.actions() if not a.isSeparator()}


def test_the_row_opens_each_platforms_page(qtbot: QtBot, signed_in: MainWindow) -> None:
    window = signed_in
    shared_row(window)
    actions = menu_actions(window)
    names = window.context.platform_name
    for platform in (ANQUAN, ZHIFA):
        wanted = translate("InboxView", "Open {platform}").format(platform=names(platform))
        assert actions[f"open:{platform}"] == wanted
    assert actions["submitToMany"].startswith(
        translate("InboxView", "Fill once (submit to {count} platforms)…").format(count=2))
    menu = window.inbox.row_menu()
    zhifa = next(a for a in menu.actions() if a.objectName() == f"open:{ZHIFA}")
    zhifa.trigger()
    tab = window.current_web_tab()
    assert isinstance(tab, WebTab) and tab.platform_id == ZHIFA
    window.close_web_tabs()


def test_fill_once_reaches_both_platforms(qtbot: QtBot, signed_in: MainWindow,
                                          submitter: SubmitController,
                                          demo: DemoCounty) -> None:
    window = signed_in
    row = shared_row(window)
    assert window.inbox.submit_action.isEnabled()
    with qtbot.waitActive(window):  # shortcuts reach the active window only
        window.activateWindow()
    window.inbox.table.setFocus()
    qtbot.keyClick(window.inbox.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: submitter.dialog is not None and submitter.dialog.isVisible(),
                    timeout=LOAD_TIMEOUT)
    dialog = submitter.dialog
    assert isinstance(dialog, SubmitDialog)

    # The union of the platforms' fields, each named for screen readers; it fits a small screen.
    for key in ("place.name", "place.address", "inspection.date", "inspection.result",
                "inspection.rectification", "person.name", "person.phone", "org.village"):
        assert key in dialog.inputs
        assert dialog.inputs[key].edit.accessibleName()
    screen = QApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    # 1366×768 at 150 %: 911×464 above the task bar; the fields scroll, 提交 stays in sight.
    dialog.fit_to(911, 464)
    qtbot.waitUntil(lambda: dialog.height() <= 464 - 31 and dialog.width() <= 911)
    bottom = dialog.submit_button.mapTo(dialog, dialog.submit_button.rect().bottomRight())
    assert dialog.rect().contains(bottom)
    assert dialog.fields_area.verticalScrollBar().maximum() > 0  # more fields than room: scroll

    values = {
        "place.name": "平安超市",
        "place.address": "李家村3组12号",
        "org.village": "李家村",
        "inspection.date": "2026-13-40",  # no such day: said under the field, nothing sent
        "inspection.result": "1",
        "inspection.rectified": "true",
        "inspection.notes": "灭火器过期，已当场更换",
        "person.name": "张伟",
        "person.id_number": "11010519491231002X",
        "person.phone": "13800138000",
    }
    for key, value in values.items():
        dialog.set_value(key, value)
    before = len(demo.submissions(ANQUAN))
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    error = dialog.inputs["inspection.date"].error
    qtbot.waitUntil(error.isVisible, timeout=LOAD_TIMEOUT)
    assert "日期" in error.text()
    assert len(demo.submissions(ANQUAN)) == before

    dialog.set_value("inspection.date", "2026-11-20")
    with qtbot.waitSignal(submitter.finished, timeout=LOAD_TIMEOUT) as finished:
        qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    result = finished.args[0]
    assert not error.isVisible()

    names = window.context.platform_name
    submitted = translate("SubmitDialog", "Submitted")
    assert dialog.outcome_text(ANQUAN) == f"{names(ANQUAN)}：{submitted}（提交成功）"
    assert dialog.outcome_text(ZHIFA).startswith(
        f"{names(ZHIFA)}：{translate('SubmitDialog', 'Awaiting review')}")
    stored = demo.submissions(ANQUAN)[before:]
    assert [s["place_name"] for s in stored] == ["平安超市"] and stored[0]["via"] == "api"

    # 执法检查's form opens in a tab, for this record and the row's task there.
    zhifa_tabs = [t for t in window.web_tabs() if t.platform_id == ZHIFA]
    assert len(zhifa_tabs) == 1
    context = zhifa_tabs[0].fill_context
    assert context is not None and context.record_id == result.record_id
    assert context.task_key in {i.key for i in row.items if i.platform == ZHIFA}
    # ... pre-filled: the preview shows the record's values for that page, for the person to
    # check (nothing is filled before they confirm, nothing is submitted for them).
    preview = window.filler.preview
    qtbot.waitUntil(preview.waiting, timeout=LOAD_TIMEOUT)
    planned = {r.value for r in preview._rows}
    assert "平安超市" in planned and "2026-11-20" in planned
    preview.cancel()

    # The row says both outcomes (read on a worker after the submission).
    window.tabs.setCurrentWidget(window.inbox)
    outcome = translate("InboxModel", "Submitted")
    review = translate("InboxModel", "Awaiting review")
    wanted = f"{names(ANQUAN)} {outcome} · {names(ZHIFA)} {review}"

    def status_text() -> str:
        model = window.inbox_model
        number = model.row_of(row.key)
        if number is None:
            return ""
        return str(model.data(model.index(number, InboxModel.STATUS)))

    qtbot.waitUntil(lambda: status_text() == wanted, timeout=LOAD_TIMEOUT)
    dialog.close()
    window.close_web_tabs()


def test_the_dialog_is_worked_with_the_keyboard(qtbot: QtBot, signed_in: MainWindow,
                                                submitter: SubmitController) -> None:
    window = signed_in
    shared_row(window)
    window.inbox.submit_action.trigger()
    qtbot.waitUntil(lambda: submitter.dialog is not None and submitter.dialog.isVisible(),
                    timeout=LOAD_TIMEOUT)
    dialog = submitter.dialog
    assert isinstance(dialog, SubmitDialog)
    first = next(iter(dialog.inputs.values())).edit
    qtbot.waitUntil(first.hasFocus, timeout=LOAD_TIMEOUT)
    # A wrong ID number is said under its field as soon as the person leaves it.
    id_number = dialog.inputs["person.id_number"]
    assert id_number.line is not None
    id_number.line.setFocus()
    id_number.line.setText("110101199003074515")  # the check character is wrong
    qtbot.keyClick(id_number.line, Qt.Key.Key_Tab)
    qtbot.waitUntil(id_number.error.isVisible, timeout=LOAD_TIMEOUT)
    assert id_number.error.text()
    first.setFocus()
    # Tab walks the fields in order, never leaving the dialog.
    seen = []
    for _ in range(len(dialog.inputs) * 4):
        widget = QApplication.focusWidget()
        assert widget is not None and (widget is dialog or dialog.isAncestorOf(widget))
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
    edits = {v.edit for v in dialog.inputs.values()}
    assert edits <= set(seen)
    assert dialog.submit_button in seen
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: submitter.dialog is None or not submitter.dialog.isVisible(),
                    timeout=LOAD_TIMEOUT)
