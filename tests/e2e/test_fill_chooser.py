"""The fill preview's chooser (对象 / 记录) in the real window, on the demo county's real
inspection form (安全排查, a form about a place with an inspection record): it lists the person's
places with the task's own chosen first; choosing another plans the same scan again and the rows
show that place's and its record's values; （不填对象信息） leaves the place's rows out; the
keyboard reaches it first; filling or cancelling clears its lists.

Real servers (the demo provider and platforms), the real keyring and real Chromium pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.profile.records import Record, Subject
from launcher.ui.fill import FormFiller
from launcher.ui.fill_chooser import NONE, FillChooser
from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.e2e.filling import open_preview
from tests.e2e.signin import LOAD_TIMEOUT
from tests.e2e.test_fill_preview import on_page, open_form_for_task, shared_row

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

PROFILE = {
    "person.name": "张伟",
    "person.id_number": "11010519491231002X",
    "person.phone": "13800138000",
    "org.village": "李家村",
}
HOUSE = {"place.name": "王建国出租房", "place.address": "李家村3组12号"}
"""The task's place: the shared inspection row is about it."""
HOUSE_CHECK = {"inspection.date": "2026-11-20", "inspection.notes": "灭火器已过期，已当场更换"}
SHOP = {"place.name": "李四小卖部", "place.address": "李家村5组1号"}
"""Another place of the person's: the one they choose instead."""
SHOP_CHECK = {"inspection.date": "2026-10-01", "inspection.notes": "门口堆放杂物，已清理"}


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


@dataclass
class Table:
    """The person's one table as the tests set it up."""

    window: MainWindow
    house: Subject
    house_check: Record
    shop: Subject
    shop_check: Record


@pytest.fixture
def table(signed_in: MainWindow) -> Iterator[Table]:
    """The signed-in person's profile, two places with an inspection each; the house's is the
    record of the shared row's tasks."""
    services = signed_in.services
    assert services is not None
    for key, value in PROFILE.items():
        services.profile.set(key, value)
    records = services.records
    house = records.save_subject("place", dict(HOUSE))
    shop = records.save_subject("place", dict(SHOP))
    group = shared_row(signed_in)
    house_check = records.save_record("inspection", dict(HOUSE_CHECK), subject_id=house.id,
                                      tasks=[item.key for item in group.items])
    shop_check = records.save_record("inspection", dict(SHOP_CHECK), subject_id=shop.id)
    yield Table(signed_in, house, house_check, shop, shop_check)
    for record in (house_check, shop_check):
        records.delete_record(record.id)
    for subject in (house, shop):
        records.delete_subject(subject.id)


def open_chooser(qtbot: QtBot, window: MainWindow) -> FillChooser:
    """The shared row's 安全排查 form, 填表, and the chooser once its lists are read."""
    open_form_for_task(qtbot, window, "demo.anquan")
    open_preview(qtbot, window)
    chooser = window.filler.chooser
    qtbot.waitUntil(lambda: chooser.isVisible() and bool(chooser.options()[0]),
                    timeout=LOAD_TIMEOUT)
    return chooser


def planned(filler: FormFiller) -> dict[str, Any]:
    """The preview's rows now, by dictionary key: (value, source, what the panel says)."""
    run = filler._run
    assert run is not None and run.planned is not None
    preview = filler.preview
    return {
        f.key: (f.value, f.source, preview.details[f.ref].text())
        for f in run.planned.plan.fields
    }


def choose(qtbot: QtBot, window: MainWindow, *, subject_id: str | None = None,
           record_id: str | None = None) -> None:
    """Choose in the chooser and wait for the rows planned again."""
    with qtbot.waitSignal(window.filler.previewed, timeout=LOAD_TIMEOUT):
        window.filler.chooser.choose(subject_id, record_id)
    assert window.filler.preview.fill_button.isEnabled()


def test_the_chooser_lists_the_persons_places_the_tasks_first(
    qtbot: QtBot, table: Table
) -> None:
    window = table.window
    chooser = open_chooser(qtbot, window)
    subjects, records = chooser.options()
    # （不填对象信息）, then the places by name.
    assert subjects[0][0] == NONE and subjects[0][1]
    assert subjects[1:] == [
        (table.shop.id, "李四小卖部 · 李家村5组1号"),
        (table.house.id, "王建国出租房 · 李家村3组12号"),
    ]
    # The task's place and its record come chosen; the record list is that place's.
    assert chooser.current() == (table.house.id, table.house_check.id)
    assert [i for i, _text in records] == [NONE, table.house_check.id]
    assert records[1][1] == "2026-11-20"
    assert chooser.record_box.isVisible()
    assert chooser.subject_box.currentText() == "王建国出租房 · 李家村3组12号"
    rows = planned(window.filler)
    assert rows["place.name"][0] == "王建国出租房"
    assert rows["inspection.date"][0] == "2026-11-20"
    window.filler.preview.cancel()


def test_choosing_another_place_plans_the_same_scan_again(
    qtbot: QtBot, table: Table
) -> None:
    window = table.window
    filler = window.filler
    chooser = open_chooser(qtbot, window)
    tab = window.current_web_tab()
    assert tab is not None
    run = filler._run
    assert run is not None and run.scan is not None
    scan, engine = run.scan, run.engine
    scans: list[Any] = []
    scan_page = engine.scan
    engine.scan = lambda *args, **kwargs: (scans.append(args), scan_page(*args, **kwargs))
    preview = filler.preview
    before = planned(filler)
    assert before["place.name"][0] == "王建国出租房"
    assert before["inspection.notes"][0] == HOUSE_CHECK["inspection.notes"]
    # The person unticks their own name: a row whose value stays keeps that.
    name_ref = next(f.ref for f in run.planned.plan.fields  # type: ignore[union-attr]
                    if f.key == "person.name")
    preview.boxes[name_ref].setChecked(False)

    choose(qtbot, window, subject_id=table.shop.id)
    # The same run, the same scan: the page was not read again.
    assert filler._run is run and run.scan is scan and scans == []
    assert chooser.current() == (table.shop.id, table.shop_check.id)
    assert [i for i, _text in chooser.options()[1]] == [NONE, table.shop_check.id]
    rows = planned(filler)
    assert rows["place.name"][:2] == ("李四小卖部", "subject")
    assert "李四小卖部" in rows["place.name"][2]
    assert rows["place.address"][0] == "李家村5组1号"
    # The shop's record came with it.
    assert rows["inspection.date"][:2] == ("2026-10-01", "record")
    assert rows["inspection.notes"][0] == SHOP_CHECK["inspection.notes"]
    assert "王建国" not in "".join(v for v, _s, _t in rows.values())
    assert rows["person.name"][0] == "张伟"
    assert not preview.boxes[name_ref].isChecked()
    assert preview.boxes[next(f.ref for f in run.planned.plan.fields  # type: ignore[union-attr]
                              if f.key == "place.name")].isChecked()

    # （新的记录：不填）: the shop's values, none of a record.
    choose(qtbot, window, record_id=NONE)
    assert chooser.current() == (table.shop.id, NONE)
    rows = planned(filler)
    assert rows["place.name"][0] == "李四小卖部"
    assert not any(key.startswith("inspection.") for key in rows), rows
    assert on_page(qtbot, tab)["inspector"] == ""  # nothing on the page before 填入

    preview.boxes[name_ref].setChecked(True)
    with qtbot.waitSignal(window.fill_finished, timeout=LOAD_TIMEOUT) as finished:
        QTest.keyClick(preview.fill_button, Qt.Key.Key_Return)
    result = finished.args[0]
    assert "error" not in result, result
    assert "place.name" in result["filled"] and "inspection.date" not in result["filled"]
    values = on_page(qtbot, tab)
    assert "李四小卖部" in values.values()
    assert "王建国出租房" not in values.values()
    assert values["check_date"] == ""
    assert values["inspector"] == "张伟"
    assert scans == []
    # Filled: the chooser's lists are gone with the plan.
    assert chooser.options() == ([], [])
    assert not chooser.isVisible()
    QTest.keyClick(preview.cancel_button, Qt.Key.Key_Return)  # 关闭


def test_no_subject_leaves_the_places_rows_out_and_cancel_clears_the_lists(
    qtbot: QtBot, table: Table
) -> None:
    window = table.window
    filler = window.filler
    chooser = open_chooser(qtbot, window)
    tab = window.current_web_tab()
    assert tab is not None
    before = planned(filler)
    assert {"subject", "record"} <= {source for _v, source, _t in before.values()}

    choose(qtbot, window, subject_id=NONE)
    # No place, so no place's record either (the person has none about no place).
    assert chooser.current() == (NONE, NONE)
    assert [i for i, _text in chooser.options()[1]] == [NONE]
    rows = planned(filler)
    assert {source for _v, source, _t in rows.values()} == {"profile"}, rows
    assert not any(key.startswith(("place.", "inspection.")) for key in rows)
    assert rows["person.name"][0] == "张伟"
    shown = "".join(label.text() for label in filler.preview.details.values())
    assert "王建国出租房" not in shown and "2026-11-20" not in shown

    # Back to the house: its rows again.
    choose(qtbot, window, subject_id=table.house.id)
    assert planned(filler)["place.name"][0] == "王建国出租房"
    assert chooser.current() == (table.house.id, table.house_check.id)

    with qtbot.waitSignal(window.fill_finished, timeout=LOAD_TIMEOUT) as cancelled:
        QTest.keyClick(filler.preview.focusWidget() or filler.preview, Qt.Key.Key_Escape)
    assert cancelled.args[0]["why"] == "cancelled"
    assert chooser.options() == ([], [])
    assert chooser.current() == (NONE, NONE)
    assert not chooser.isVisible()
    assert on_page(qtbot, tab)["inspector"] == ""


def _in(widget: QWidget | None, target: QWidget) -> bool:
    return widget is not None and (widget is target or target.isAncestorOf(widget))


def test_the_keyboard_reaches_the_chooser_first(qtbot: QtBot, table: Table) -> None:
    window = table.window
    window.activateWindow()  # keys go to the focused widget of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    chooser = open_chooser(qtbot, window)
    preview = window.filler.preview
    boxes = list(preview.boxes.values())
    first = boxes[0]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)

    # Shift+Tab from the first field goes back through the panel's own controls to 记录, then 对象.
    seen: list[QWidget] = []
    for _step in range(6):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab,
                       Qt.KeyboardModifier.ShiftModifier)
        focused = QApplication.focusWidget()
        assert focused is not None and preview.isAncestorOf(focused), focused
        assert focused not in boxes, seen
        seen.append(focused)
        if _in(focused, chooser.subject_box):
            break
    assert _in(seen[-1], chooser.subject_box), seen
    assert _in(seen[-2], chooser.record_box), seen
    # ... and Tab from 对象 goes forward to 记录 and on to the fields.
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert _in(QApplication.focusWidget(), chooser.record_box)
    for _step in range(len(seen) - 1):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is first

    # The arrow keys on 对象 choose another place; the focus stays there for the next key.
    chooser.subject_box.setFocus()
    ids = [i for i, _text in chooser.options()[0]]
    assert ids.index(table.shop.id) == ids.index(table.house.id) - 1
    with qtbot.waitSignal(window.filler.previewed, timeout=LOAD_TIMEOUT):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert chooser.current() == (table.shop.id, table.shop_check.id)
    assert planned(window.filler)["place.name"][0] == "李四小卖部"
    # Once the new rows are shown (Qt shows them after the signal), the focus is still on 对象.
    qtbot.waitUntil(lambda: all(box.isVisible() for box in preview.boxes.values()))
    qtbot.waitUntil(lambda: _in(QApplication.focusWidget(), chooser.subject_box))
    with qtbot.waitSignal(window.filler.previewed, timeout=LOAD_TIMEOUT):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    assert chooser.current() == (table.house.id, table.house_check.id)
    assert planned(window.filler)["place.name"][0] == "王建国出租房"

    with qtbot.waitSignal(window.fill_finished, timeout=LOAD_TIMEOUT) as cancelled:
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert cancelled.args[0]["why"] == "cancelled"
    assert chooser.options() == ([], [])
