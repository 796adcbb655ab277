"""填表 in the real window on the demo county's real form page (whatever framework the demo builds
it on): a task's tab fills the person's own details, the task's place and its inspection
record; the preview comes first (nothing filled before 填入), sensitive values masked and unticked
until the person confirms them, 取消 fills nothing, the keyboard alone drives it; afterwards the
outcome lists what was not filled and the page's fields nothing matched, and the fill history
knows which platform received a value.

Real servers (the demo provider and platforms), the real keyring and real Chromium pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.api import TaskGroup
from launcher.app.fill import FillContext
from launcher.ui.fill_preview import MASK
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from tests.e2e.filling import fill_with_preview, open_preview
from tests.e2e.signin import LOAD_TIMEOUT
from tests.e2e.webpage import read_json, wait_for_js

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
SUBJECT_TEXT = "李家村3组王建国户"
PLACE = {"place.name": "王建国出租房", "place.address": "李家村3组12号"}
"""The task's subject: the rented farm house the inspection is about (安全排查 asks for a 场所)."""
INSPECTION = {"inspection.date": "2026-11-20", "inspection.notes": "灭火器已过期，已当场更换"}
SENSITIVE = ("person.id_number", "person.phone")


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


def shared_row(window: MainWindow) -> TaskGroup:
    """The inbox row of the inspection 安全排查 and 执法检查 both ask about 王建国's house."""
    model = window.inbox_model
    for row in range(model.rowCount()):
        group = model.group(row)
        if group.subject == SUBJECT_TEXT and {"demo.anquan", "demo.zhifa"} <= set(
            group.platforms
        ):
            return group
    raise AssertionError("the demo's shared inspection row is missing")


@pytest.fixture
def person(signed_in: MainWindow) -> Iterator[MainWindow]:
    """The signed-in person's profile, the place and the shared row's inspection record
    (linked to both platforms' tasks), as the one table would hold them."""
    services = signed_in.services
    assert services is not None
    for key, value in PROFILE.items():
        services.profile.set(key, value)
    records = services.records
    subject = records.save_subject("place", dict(PLACE))
    group = shared_row(signed_in)
    record = records.save_record(
        "inspection",
        dict(INSPECTION),
        subject_id=subject.id,
        tasks=[item.key for item in group.items],
    )
    yield signed_in
    records.delete_record(record.id)
    records.delete_subject(subject.id)


def open_form_for_task(qtbot: QtBot, window: MainWindow, platform_id: str) -> WebTab:
    """Open the shared row's task of ``platform_id`` as the inbox does, then its form by the task
    page's own link, in the same tab."""
    group = shared_row(window)
    item = next(i for i in group.items if i.platform == platform_id)
    before = len(window.web_tabs())
    window.open_task(TaskGroup(group.key, (item,)))
    assert len(window.web_tabs()) == before + 1
    tab = window.current_web_tab()
    assert isinstance(tab, WebTab)
    assert tab.fill_context is not None and tab.fill_context.task_key == item.key
    assert tab.fill_context.subject_text == SUBJECT_TEXT
    wait_for_js(qtbot, tab.page, "document.querySelector('#task-form')", LOAD_TIMEOUT)
    tab.page.runJavaScript("document.querySelector('#task-form').click()")
    wait_for_js(
        qtbot, tab.page, "document.querySelector('#inspector') && location.search", LOAD_TIMEOUT
    )
    return tab


def on_page(qtbot: QtBot, tab: WebTab) -> dict[str, str]:
    """The values the page's inputs hold, by element id (what the person sees on the page)."""
    return dict(
        read_json(
            qtbot,
            tab.page,
            """Object.fromEntries(Array.from(document.querySelectorAll(
                 'input[id], textarea[id]')).map(e => [e.id, e.value]))""",
        )
    )


def test_opening_a_task_row_gives_the_tab_its_task(
    qtbot: QtBot, person: MainWindow
) -> None:
    group = shared_row(person)
    person.open_task(group)
    tab = person.current_web_tab()
    assert tab is not None and tab.fill_context is not None
    assert tab.fill_context.task_key == group.first.key
    assert tab.platform_id == group.first.platform
    # A tile's tab is for no task: 填表 there fills the person's own details only.
    tile_tab = person.open_web(person.services.registry.get("demo.anquan").home, "安全排查",
                               platform_id="demo.anquan")  # type: ignore[union-attr]
    assert tile_tab.fill_context is None


def test_the_preview_comes_first_and_cancel_fills_nothing(
    qtbot: QtBot, person: MainWindow
) -> None:
    tab = open_form_for_task(qtbot, person, "demo.anquan")
    empty = on_page(qtbot, tab)
    assert empty["inspector"] == ""

    open_preview(qtbot, person)
    preview = person.filler.preview
    boxes = preview.boxes
    assert boxes, "nothing planned"
    rows = {r.ref: r for r in preview._rows}
    by_key = {f.key: f for f in person.filler._run.planned.plan.fields}  # type: ignore[union-attr]
    # Nothing is on the page before 填入.
    assert on_page(qtbot, tab) == empty

    for key in SENSITIVE:
        ref = by_key[key].ref
        assert not boxes[ref].isChecked(), key
        assert MASK in preview.details[ref].text()
        assert PROFILE[key] not in preview.details[ref].text()
        assert PROFILE[key] not in boxes[ref].accessibleName()
    assert boxes[by_key["person.name"].ref].isChecked()
    assert "张伟" in preview.details[by_key["person.name"].ref].text()
    # Where each value comes from, and how sure: in the person's words.
    assert rows[by_key["person.name"].ref].source == "我的信息"
    assert rows[by_key["inspection.date"].ref].source == "检查记录"
    assert rows[by_key["person.name"].ref].sure in ("已配置", "高", "中")
    subject_keys = [k for k, f in by_key.items() if f.source == "subject"]
    assert subject_keys, by_key
    assert rows[by_key[subject_keys[0]].ref].source == "户·场所"
    for box in boxes.values():
        assert box.accessibleName() and box.accessibleDescription()

    # 显示敏感信息 shows them; the panel sits beside the page, inside a 1366×768 screen.
    preview.show_sensitive.setChecked(True)
    assert PROFILE["person.id_number"] in preview.details[by_key["person.id_number"].ref].text()
    assert preview.width() <= 420

    with qtbot.waitSignal(person.fill_finished, timeout=LOAD_TIMEOUT) as cancelled:
        QTest.keyClick(preview.focusWidget() or preview, Qt.Key.Key_Escape)
    assert cancelled.args[0]["why"] == "cancelled"
    assert not preview.isVisible()
    assert on_page(qtbot, tab) == empty


def test_fill_puts_the_profile_the_place_and_the_record_into_the_form(
    qtbot: QtBot, person: MainWindow, demo: DemoCounty
) -> None:
    tab = open_form_for_task(qtbot, person, "demo.anquan")
    result = fill_with_preview(qtbot, person, sensitive=True)
    assert "error" not in result, result
    filled = set(result["filled"])
    assert {"person.name", "person.id_number", "person.phone", "inspection.date"} <= filled
    assert filled & set(PLACE), result
    assert "inspection.notes" in filled, result

    values = on_page(qtbot, tab)
    assert values["inspector"] == "张伟"
    assert "11010519491231002X" in values.values()
    assert values["phone"] == "13800138000"
    assert values["check_date"] == "2026-11-20"
    assert values["notes"] == INSPECTION["inspection.notes"]
    for key in filled & set(PLACE):
        assert PLACE[key] in values.values(), key

    # The outcome stays in the panel: what was not filled (with why), the fields nothing matched.
    preview = person.filler.preview
    assert preview.isVisible() and not preview.fill_button.isVisible()
    lines = preview.outcome_lines()
    assert lines
    for label in result["unknown"]:
        assert any(label[:20] in line for line in lines), (label, lines)
    assert "已填写" in person.statusBar().currentMessage()

    # The fill history knows 安全排查's form received the phone number (never the value itself).
    services = person.services
    assert services is not None
    qtbot.waitUntil(
        lambda: any(
            f.platform_id == "demo.anquan"
            for f in services.records.filled_with("person.phone", "13800138000")
        ),
        timeout=LOAD_TIMEOUT,
    )
    QTest.keyClick(preview.cancel_button, Qt.Key.Key_Return)  # 关闭
    assert not preview.isVisible()


def test_sensitive_values_stay_off_the_page_unless_ticked(
    qtbot: QtBot, person: MainWindow
) -> None:
    tab = open_form_for_task(qtbot, person, "demo.anquan")
    result = fill_with_preview(qtbot, person, sensitive=False)
    assert "person.name" in result["filled"]
    assert set(SENSITIVE) <= set(result["skipped"])
    values = on_page(qtbot, tab)
    assert values["inspector"] == "张伟"
    assert values["phone"] == ""
    assert "11010519491231002X" not in values.values()


def test_the_keyboard_alone_drives_the_preview(qtbot: QtBot, person: MainWindow) -> None:
    person.activateWindow()  # keys go to the focused widget of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is person, timeout=5000)
    tab = open_form_for_task(qtbot, person, "demo.anquan")
    tab.view.setFocus()
    open_preview(qtbot, person)
    preview = person.filler.preview
    # The panel takes the focus: its first field's check box.
    first = next(iter(preview.boxes.values()))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
    was = first.isChecked()
    QTest.keyClick(first, Qt.Key.Key_Space)
    assert first.isChecked() is not was
    QTest.keyClick(first, Qt.Key.Key_Tab)
    second = QApplication.focusWidget()
    assert second is not first and preview.isAncestorOf(second)
    with qtbot.waitSignal(person.fill_finished, timeout=LOAD_TIMEOUT) as cancelled:
        QTest.keyClick(second, Qt.Key.Key_Escape)
    assert cancelled.args[0]["why"] == "cancelled"
    assert on_page(qtbot, tab)["inspector"] == ""
    # The focus is back on the page it came from.
    qtbot.waitUntil(lambda: tab.isAncestorOf(QApplication.focusWidget()))


def test_a_new_fill_ends_the_one_waiting_and_sign_out_drops_the_preview(
    qtbot: QtBot, person: MainWindow
) -> None:
    open_form_for_task(qtbot, person, "demo.anquan")
    open_preview(qtbot, person)
    seen: list[dict[str, Any]] = []
    person.fill_finished.connect(seen.append)
    try:
        open_preview(qtbot, person)  # again: one preview, the first fill gone
        assert person.filler.preview.waiting()
        person.filler.clear()  # what sign-out does
        assert not person.filler.preview.isVisible()
        assert person.filler.preview.boxes == {}
        assert not person.filler.preview.waiting()

        # Another tab brought forward: the preview waiting for the page fills nothing.
        tab = person.current_web_tab()
        open_preview(qtbot, person)
        person.tabs.setCurrentWidget(person.inbox)
        assert seen[-1]["why"] == "changed"
        assert not person.filler.preview.isVisible()
        assert tab is not None and on_page(qtbot, tab)["inspector"] == ""
    finally:
        person.fill_finished.disconnect(seen.append)


def test_prefill_a_tasks_form_on_layui_then_submit_on_the_page(
    qtbot: QtBot, person: MainWindow, demo: DemoCounty
) -> None:
    """一次填报's way for a platform without an API (执法检查, a layui page): the task's form opened
    in a tab for its record, ``prefill``: the preview by itself once the page has loaded, every
    field ticked but the sensitive ones; the person confirms, then submits on the page."""
    services = person.services
    assert services is not None
    services.profile.set("org.township", "城关镇")
    group = shared_row(person)
    item = next(i for i in group.items if i.platform == "demo.zhifa")
    context = FillContext(task_key=item.key, subject_text=item.subject or "")
    task_page = person.open_web(item.url, "执法检查", platform_id="demo.zhifa")
    wait_for_js(qtbot, task_page.page, "document.querySelector('#task-form')", LOAD_TIMEOUT)
    form_url = read_json(qtbot, task_page.page, "document.querySelector('#task-form').href")
    # As 一次填报 does: the form in a new tab for the task's record, prefill asked at once.
    tab = person.open_web(form_url, "执法检查", platform_id="demo.zhifa", fill_context=context)
    outcomes: list[dict[str, Any]] = []
    with qtbot.waitSignal(person.filler.previewed, timeout=LOAD_TIMEOUT):
        person.filler.prefill(tab, context, outcomes.append)
    preview = person.filler.preview
    plan = person.filler._run.planned.plan  # type: ignore[union-attr]
    assert plan.platform_id == "demo.zhifa"
    for planned in plan.fields:
        assert preview.boxes[planned.ref].isChecked() is not planned.sensitive, planned.key
    assert outcomes == []  # nothing filled before the person's 填入

    preview.tick_sensitive()
    with qtbot.waitSignal(person.fill_finished, timeout=LOAD_TIMEOUT):
        QTest.keyClick(preview.fill_button, Qt.Key.Key_Return)
    [result] = outcomes
    assert "error" not in result, result
    assert {"person.name", "person.id_number", "person.phone", "inspection.date"} <= set(
        result["filled"]
    ), result
    values = read_json(
        qtbot,
        tab.page,
        """{xm: document.querySelector('#zfry_xm').value,
            sfz: document.querySelector('#sfz').value,
            lxdh: document.querySelector('#lxdh').value,
            jcrq: document.querySelector('#jcrq').value,
            bz: document.querySelector('#bz').value,
            ssxz: document.querySelector('#ssxz').value,
            cun: document.querySelector('#sscun').value}""",
    )
    assert values["xm"] == "张伟"
    assert values["sfz"] == PROFILE["person.id_number"]
    assert values["lxdh"] == PROFILE["person.phone"]
    assert values["jcrq"] == INSPECTION["inspection.date"]
    if "inspection.notes" in result["filled"]:
        assert values["bz"] == INSPECTION["inspection.notes"]
    if "org.village" in result["filled"]:
        assert values["cun"] == "李家村"

    # The person completes the rest on the page (layui's own API, as its widgets do) and submits:
    # layui's validation passes with what 填表 put in.
    before = len(demo.submissions("demo.zhifa"))
    wait_for_js(qtbot, tab.page, "window.layui && layui.form")
    tab.page.runJavaScript(
        """layui.form.val('jcjl', Object.assign({jcjg: '未发现问题', jcdx: '王建国出租房'},
             document.querySelector('#ssxz').value ? {} : {ssxz: '城关镇'},
             document.querySelector('#sscun').value ? {} : {cun: '李家村'}));
           document.querySelector('#submit').click();"""
    )
    qtbot.waitUntil(
        lambda: len(demo.submissions("demo.zhifa")) == before + 1, timeout=LOAD_TIMEOUT
    )
    stored = demo.submissions("demo.zhifa")[-1]
    assert stored["zfry_xm"] == "张伟"
    assert stored["jcrq"] == INSPECTION["inspection.date"]
    assert stored["zfry_sfz"] == PROFILE["person.id_number"]
