"""The one table in the real window, signed in to the demo county: Work → 一张表 brings the tab
forward; a household added is listed (its sensitive values masked), a wrong value is said under
its field and nothing is saved; a spreadsheet with one bad row imports nothing and names the row,
column and problem, a good one lists its rows; and after 填表 put the person's phone into two
platforms' forms, changing the phone lists those two platforms, whose page 打开 opens in a tab.

Real provider and platforms, real keyring (the records' key), real Chromium pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.ui.changed_values import ChangedValuesDialog
from launcher.ui.main_window import MainWindow
from launcher.ui.table_window import ImportResultDialog, KindPanel
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

OLD_PHONE = "13800138000"
NEW_PHONE = "13900139000"
HEADERS = "户主姓名,户号,家庭住址,家庭人口数\n"
translate = QCoreApplication.translate


@pytest.fixture(scope="module", autouse=True)
def forget_keys() -> Iterator[None]:
    yield
    SecretStore("profile/demo").delete_matching("")


@pytest.fixture
def table(qtbot: QtBot, signed_in: MainWindow) -> Iterator[MainWindow]:
    """The window signed in, its 一张表 tab in front (through the Work menu's action), every
    kind's list read for the person."""
    window = signed_in
    window.window_actions.table.trigger()
    assert window.tabs.currentWidget() is window.profile_page
    view = window.profile_view
    sub = window.user.sub if window.user is not None else ""
    qtbot.waitUntil(
        lambda: (
            view.owner == sub
            and bool(view.panels)
            and all(p.owner == sub for p in view.panels.values())
        ),
        timeout=LOAD_TIMEOUT,
    )
    yield window
    window.tabs.setCurrentWidget(window.inbox)


def households(window: MainWindow) -> KindPanel:
    view = window.profile_view
    panel = view.panels["household"]
    view.show_kind("household")
    assert panel.isVisible()
    return panel


def listed(panel: KindPanel) -> list[list[str]]:
    rows = []
    for row in range(panel.table.rowCount()):
        cells = [panel.table.item(row, c) for c in range(panel.table.columnCount())]
        rows.append([c.text() if c is not None else "" for c in cells])
    return rows


def save(qtbot: QtBot, panel: KindPanel) -> None:
    with qtbot.waitSignal(panel.saved, timeout=LOAD_TIMEOUT):
        qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)


def test_the_tabs_are_the_kinds_of_the_table(table: MainWindow) -> None:
    view = table.profile_view
    titles = [view.kind_bar.tabText(i) for i in range(view.kind_bar.count())]
    words = ("My details", "Households", "Residents", "Places", "Organisations", "Inspections")
    # In the window's language (我的信息, 户, 人, 场所, 单位, 检查记录 in Chinese).
    assert titles == [translate("TableWindow", w) for w in words]
    # 我的信息 holds the person's own details only: no household's or inspection's field.
    assert view.editors and all(k.split(".")[0] in ("person", "org") for k in view.editors)


def test_a_household_added_is_listed_with_sensitive_values_masked(
    qtbot: QtBot, table: MainWindow
) -> None:
    panel = households(table)
    before = len(panel.items)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    panel.set_values(
        {
            "household.head_name": "李建国",
            "household.head_id_number": "110105194912310021",  # a wrong check digit
            "household.size": "4",
        }
    )
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    error = panel.inputs["household.head_id_number"].error
    assert error.isVisibleTo(panel) and "校验位" in error.text()
    assert len(panel.items) == before  # nothing saved

    panel.set_values({"household.head_id_number": "11010519491231002X"})
    dibao = panel.inputs["household.dibao"].edit
    assert isinstance(dibao, QComboBox)
    dibao.setCurrentIndex(1)  # the first choice, as a person picks it
    chosen = dibao.currentText()
    save(qtbot, panel)
    qtbot.waitUntil(lambda: any(r[0] == "李建国" for r in listed(panel)), timeout=LOAD_TIMEOUT)
    row = next(r for r in listed(panel) if r[0] == "李建国")
    assert "11010519491231002X" not in " ".join(row)
    assert "002X" in row[1] and row[1].startswith("••••")
    assert not error.isVisibleTo(panel)
    # Stored as typed, shown back in the editor (the choice by its text).
    assert panel.current_id is not None
    assert panel.editor_values()["household.size"] == "4"
    assert panel.inputs["household.dibao"].edit.currentText() == chosen

    panel.search.setText("不存在的户主")
    assert listed(panel) == []
    panel.search.setText("李建")
    assert [r[0] for r in listed(panel)] == ["李建国"]
    panel.search.clear()

    # The household's history: its first version, then the new size as a second one.
    history = panel.history
    assert history is not None
    qtbot.waitUntil(lambda: history.rowCount() == 1, timeout=LOAD_TIMEOUT)
    panel.set_values({"household.size": "5"})
    save(qtbot, panel)
    qtbot.waitUntil(lambda: history.rowCount() == 2, timeout=LOAD_TIMEOUT)
    newest = history.item(0, 2)
    assert newest is not None and "人口" in newest.text(), newest.text()


def test_a_spreadsheet_with_a_bad_row_imports_nothing_and_names_the_row(
    qtbot: QtBot, table: MainWindow, tmp_path: Path
) -> None:
    panel = households(table)
    names_before = sorted(r[0] for r in listed(panel))
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADERS + "赵一,H001,幸福村1组,3\n钱二,H002,幸福村2组,三口人\n", encoding="utf-8-sig"
    )
    with qtbot.waitSignal(panel.import_finished, timeout=LOAD_TIMEOUT):
        panel.import_file(str(bad))
    dialog = panel.result_dialog
    assert isinstance(dialog, ImportResultDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.table is not None and dialog.table.rowCount() == 1
    row, column, problem = (dialog.table.item(0, c).text() for c in range(3))
    assert row == "3"  # the spreadsheet's own row number (its header is row 1)
    assert column == "家庭人口数" and "整数" in problem
    dialog.close()
    qtbot.waitUntil(
        lambda: sorted(r[0] for r in listed(panel)) == names_before, timeout=LOAD_TIMEOUT
    )
    assert "赵一" not in [r[0] for r in listed(panel)]

    good = tmp_path / "good.csv"
    good.write_text(
        HEADERS + "赵一,H001,幸福村1组,3\n钱二,H002,幸福村2组,2\n", encoding="utf-8-sig"
    )
    with qtbot.waitSignal(panel.import_finished, timeout=LOAD_TIMEOUT):
        panel.import_file(str(good))
    dialog = panel.result_dialog
    assert dialog is not None and dialog.table is None
    assert "2" in dialog.summary.text()
    dialog.close()
    qtbot.waitUntil(lambda: {"赵一", "钱二"} <= {r[0] for r in listed(panel)}, timeout=LOAD_TIMEOUT)


def test_an_export_says_the_file_holds_sensitive_values_in_clear(
    qtbot: QtBot, table: MainWindow, tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    panel = households(table)
    source = tmp_path / "in.csv"
    source.write_text("户主姓名,户号,户主身份证号\n孙三,H009,11010519491231002X\n",
                      encoding="utf-8-sig")
    with qtbot.waitSignal(panel.import_finished, timeout=LOAD_TIMEOUT):
        panel.import_file(str(source))
    assert panel.result_dialog is not None
    panel.result_dialog.close()
    target = tmp_path / "户.xlsx"
    with qtbot.waitSignal(panel.export_finished, timeout=LOAD_TIMEOUT) as said:
        panel.export_file(str(target))
    text = said.args[0]
    assert str(target) in text and "明文" in text and "身份证号" in text, text
    assert panel.status.text() == text
    rows = [[c for c in row if c] for row in load_workbook(target).active.iter_rows(
        values_only=True)]
    assert any("11010519491231002X" in row for row in rows)


def form_url(window: MainWindow, plugin_id: str) -> str:
    """A form of the platform's that asks for the person's phone (a record's form)."""
    services = window.services
    assert services is not None
    platform = services.registry.get(plugin_id)
    assert platform is not None
    form = next(f for f in platform.manifest.forms if getattr(f, "purpose", "record") == "record")
    return platform.expand(form.url)


def test_a_changed_phone_lists_the_platforms_that_received_the_old_one(
    qtbot: QtBot, table: MainWindow, demo_county: DemoCounty
) -> None:
    from tests.e2e.filling import fill_with_preview

    window = table
    view = window.profile_view
    view.show_kind("")
    view.set_values({"person.name": "张伟", "person.phone": OLD_PHONE})
    with qtbot.waitSignal(view.saved, timeout=LOAD_TIMEOUT):
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)

    # 填表 on two platforms' forms puts the phone there (the fill history notes it).
    for plugin_id in ("demo.anquan", "demo.zhifa"):
        window.open_web(form_url(window, plugin_id), plugin_id, platform_id=plugin_id)
        result = fill_with_preview(qtbot, window)
        assert "error" not in result
    window.close_web_tabs()
    window.window_actions.table.trigger()

    view.show_kind("")
    view.set_values({"person.phone": NEW_PHONE})
    with qtbot.waitSignal(view.changed_pages, timeout=LOAD_TIMEOUT) as found:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    pages = found.args[0]
    assert {p.platform_id for p in pages} == {"demo.anquan", "demo.zhifa"}
    dialog = view.changed_values.dialog
    assert isinstance(dialog, ChangedValuesDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert sorted(dialog.platform_ids()) == ["demo.anquan", "demo.zhifa"]
    assert len(dialog.open_buttons) == 2
    names = [
        translate("ChangedValues", "Open {platform}").format(
            platform=window.context.platform_name(p)
        )
        for p in dialog.platform_ids()
    ]
    assert [b.accessibleName() for b in dialog.open_buttons] == names

    # 打开 opens the platform's page in a tab of that platform.
    index = dialog.platform_ids().index("demo.zhifa")
    page = dialog.pages[index]
    # Ready to fill: once loaded, the page is read and the fill's preview shows (the person
    # confirms there, then saves on the page).
    with (
        qtbot.waitSignal(window.filler.previewed, timeout=LOAD_TIMEOUT),
        qtbot.waitSignal(window.web_tab_opened, timeout=LOAD_TIMEOUT) as opened,
    ):
        qtbot.mouseClick(dialog.open_buttons[index], Qt.MouseButton.LeftButton)
    tab = opened.args[0]
    assert tab.platform_id == "demo.zhifa"
    assert tab.url().startswith(page.url.split("?")[0])
    preview = window.filler.preview
    qtbot.waitUntil(preview.isVisible)
    QTest.keyClick(preview.focusWidget() or preview, Qt.Key.Key_Escape)  # 取消
    qtbot.waitUntil(lambda: not preview.isVisible())
    dialog.close()
    window.close_web_tabs()

    # Saved once more with the same new phone: it went nowhere yet, nothing is listed.
    view.set_values({"person.phone": "13700137000"})
    with qtbot.waitSignal(view.changed_pages, timeout=LOAD_TIMEOUT) as again:
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert again.args[0] == []
    QApplication.processEvents()


def test_an_inspection_keeps_its_versions_and_its_outcome_on_each_platform(
    qtbot: QtBot, table: MainWindow
) -> None:
    from launcher.core.profile.records import Outcome, OutcomeState

    window = table
    view = window.profile_view
    places = view.panels["place"]
    view.show_kind("place")
    qtbot.mouseClick(places.new_button, Qt.MouseButton.LeftButton)
    places.set_values({"place.name": "幸福超市", "place.address": "幸福村5组"})
    save(qtbot, places)

    panel = view.panels["inspection"]
    view.show_kind("inspection")
    panel.reload()  # the place just added is one a record may be about
    qtbot.waitUntil(lambda: any(s.name == "幸福超市" for s in panel.subjects), timeout=LOAD_TIMEOUT)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    about = panel.subject_combo
    assert about is not None
    about.setCurrentIndex(next(i for i in range(about.count()) if "幸福超市" in about.itemText(i)))
    panel.set_values({"inspection.date": "2026-12-01", "inspection.notes": "灭火器过期"})
    result = panel.inputs["inspection.result"].edit
    assert isinstance(result, QComboBox)
    result.setCurrentIndex(1)
    save(qtbot, panel)
    qtbot.waitUntil(
        lambda: panel.current_id is not None and len(listed(panel)) >= 1, timeout=LOAD_TIMEOUT
    )
    row = next(r for r in listed(panel) if r[0] == "幸福超市")
    assert "2026-12-01" in row
    record_id = panel.current_id

    result.setCurrentIndex(2)  # another conclusion: a second version
    save(qtbot, panel)
    history = panel.history
    assert history is not None
    qtbot.waitUntil(lambda: history.rowCount() == 2, timeout=LOAD_TIMEOUT)
    changed = history.item(0, 2).text()
    assert history.item(0, 0).text() == "2"
    assert "检查结论" in changed and "备注" not in changed
    assert history.item(1, 2).text() == translate("TableWindow", "Created")

    # A platform's outcome (as submitting sets it) shows with the platform's name.
    services = window.services
    assert services is not None and record_id is not None
    services.records.set_outcome(
        record_id,
        Outcome("demo.anquan", OutcomeState.SUBMITTED, "受理编号 A-1", "2026-12-01T08:00:00+00:00"),
        owner=window.user.sub if window.user else None,
    )
    panel.reload(select=record_id)
    outcomes = panel.outcomes
    assert outcomes is not None
    qtbot.waitUntil(lambda: outcomes.rowCount() == 1, timeout=LOAD_TIMEOUT)
    assert outcomes.item(0, 0).text() == window.context.platform_name("demo.anquan")
    assert outcomes.item(0, 1).text() == translate("TableWindow", "Submitted")
    assert outcomes.item(0, 3).text() == "受理编号 A-1"


def test_a_households_changed_phone_lists_the_platform_that_received_it(
    qtbot: QtBot, table: MainWindow
) -> None:
    window = table
    view = window.profile_view
    panel = households(window)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    panel.set_values({"household.head_name": "孙六", "household.phone": "13600136000"})
    save(qtbot, panel)
    qtbot.waitUntil(lambda: panel.current_id is not None, timeout=LOAD_TIMEOUT)
    # A fill of 执法检查's form put this household's phone there (as 填表 notes it).
    services, sub = window.services, window.user.sub if window.user else ""
    assert services is not None
    services.records.note_filled(
        "demo.zhifa", "inspection", {"household.phone": "13600136000"}, owner=sub
    )

    panel.set_values({"household.phone": "13500135000"})
    with qtbot.waitSignal(view.changed_pages, timeout=LOAD_TIMEOUT) as found:
        save(qtbot, panel)
    assert [p.platform_id for p in found.args[0]] == ["demo.zhifa"]
    dialog = view.changed_values.dialog
    assert isinstance(dialog, ChangedValuesDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert "户主联系电话" in dialog.intro.text()
    dialog.close()


def test_signing_out_leaves_nothing_of_the_person_in_the_table(
    qtbot: QtBot, table: MainWindow
) -> None:
    from tests.e2e.signin import log_out

    window = table
    view = window.profile_view
    panel = households(window)
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0, timeout=LOAD_TIMEOUT)
    panel.table.selectRow(0)
    assert any(v for v in panel.editor_values().values())
    log_out(qtbot, window)
    for kind, each in view.panels.items():
        assert each.table.rowCount() == 0 and each.items == [], kind
        assert not any(each.editor_values().values()), kind
        assert not each.save_button.isEnabled() and not each.import_button.isEnabled(), kind
    assert view.changed_values.dialog is None or not view.changed_values.dialog.isVisible()


def test_tab_goes_through_a_kinds_tab_in_reading_order(qtbot: QtBot, table: MainWindow) -> None:
    window = table
    panel = households(window)
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    stops = [w for w in window.tab_order() if window.profile_page.isAncestorOf(w)]
    assert stops[0] is window.profile_view.kind_bar
    inputs = [w for i in panel.inputs.values() for w in i.stops()]
    expected = [
        panel.search,
        panel.new_button,
        panel.import_button,
        panel.export_button,
        panel.table,
        *inputs,
        panel.history,  # a household keeps its versions too
        panel.revert_button,
        panel.save_button,  # 删除: nothing to delete yet
    ]
    assert stops[1:] == expected
    # Controls without a text of their own are named for screen readers (buttons say theirs).
    unnamed = [panel.search, panel.table, *(i.edit for i in panel.inputs.values())]
    assert all(w.accessibleName() for w in unnamed)
