"""The inbox tab of the window against the real demo county: the views (逾期 shows exactly the
overdue tasks), each platform's state in words, and 标记完成 on a row that two platforms ask for:
one platform closes its task, the other refuses until its record is filed, and the window says so.

Real demo provider and platforms, real keyring; the sign-in is the scripted one (HTTP against the
provider's login form), so no Chromium page is needed here. The county (``demo``,
tests/e2e/conftest.py) is the module's own: marking tasks done changes the platforms' data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.api import TaskGroup
from launcher.core.inbox.timestamps import CHINA
from launcher.ui import i18n
from launcher.ui.inbox_index import ALL, OVERDUE, TODAY, WEEK
from launcher.ui.inbox_model import OVERDUE_ROLE, InboxModel
from launcher.ui.main_window import MainWindow
from launcher.ui.mark_done import MarkDoneOutcome
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ANQUAN, ZHIFA = "demo.anquan", "demo.zhifa"


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


@pytest.fixture(scope="module")
def window_language() -> str:
    return i18n.ENGLISH  # the assertions read the source texts, whatever the translation says


@pytest.fixture(scope="module")
def scripted_sign_in() -> bool:
    return True


@pytest.fixture
def signed_in(qtbot: QtBot, signed_in: MainWindow) -> MainWindow:
    """tests/e2e/conftest.py's, once the platforms that can mark tasks done are known."""
    qtbot.waitUntil(lambda: bool(signed_in.completable), timeout=LOAD_TIMEOUT)
    return signed_in


def overdue(group: TaskGroup, now: datetime) -> bool:
    return (
        group.due is not None
        and group.due < now
        and group.status.lower() not in ("done", "closed", "completed")
    )


def test_the_overdue_view_shows_only_overdue_tasks(qtbot: QtBot, signed_in: MainWindow) -> None:
    inbox, model = signed_in.inbox, signed_in.inbox_model
    now = datetime.now(UTC)
    every = model.groups()
    expected = {g.key for g in every if overdue(g, now)}
    assert expected, "the demo seeds overdue tasks on every platform"
    counts = model.counts()
    assert counts[ALL] == len(every) == model.rowCount()
    assert inbox.view_text(OVERDUE) == f"Overdue ({len(expected)})"

    inbox.view_buttons[OVERDUE].click()
    assert {g.key for g in inbox.visible_groups()} == expected
    assert all(
        model.index(r, InboxModel.STATUS).data() == "Overdue" for r in range(model.rowCount())
    )
    assert all(model.index(r, 0).data(OVERDUE_ROLE) for r in range(model.rowCount()))

    inbox.view_buttons[TODAY].click()
    today = now.astimezone(CHINA).date()
    shown_today = inbox.visible_groups()
    assert len(shown_today) == counts[TODAY] > 0  # the demo seeds tasks due tonight
    assert all(
        g.due is not None and g.due.astimezone(CHINA).date() == today and g.due >= now
        for g in shown_today
    )

    inbox.view_buttons[WEEK].click()
    monday = today - timedelta(days=today.weekday())
    for group in inbox.visible_groups():
        assert group.due is not None
        assert monday <= group.due.astimezone(CHINA).date() <= monday + timedelta(days=6)
        assert not overdue(group, now)

    # Combined with a platform: only that platform's overdue tasks.
    inbox.view_buttons[OVERDUE].click()
    combo = inbox.platform_combo
    combo.setCurrentIndex(combo.findData(ANQUAN))
    assert {g.key for g in inbox.visible_groups()} == {
        k for k in expected if any(g.key == k and ANQUAN in g.platforms for g in every)
    }
    combo.setCurrentIndex(0)
    inbox.view_buttons[ALL].click()
    assert model.rowCount() == len(every)


def test_each_platform_says_its_state_in_words(signed_in: MainWindow) -> None:
    states = signed_in.last_result.states if signed_in.last_result else {}
    assert states and all(s.state == "current" for s in states.values())
    panel = signed_in.inbox.states
    assert panel.summary_text() == f"{len(states)} platform(s) up to date"
    assert panel.summary.property("level") == "ok"
    tile = signed_in.tiles.tiles[ANQUAN]
    assert tile.detail_text().startswith("Updated ")
    assert tile.detail_text() in tile.accessibleName()
    panel.toggle.click()
    assert {row[1] for row in panel.rows()} == {"Up to date"}


def test_split_shows_a_wrong_group_as_separate_rows_and_merge_brings_it_back(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    inbox = signed_in.inbox
    inbox.view_buttons[ALL].click()
    shared = [g for g in inbox.visible_groups() if set(g.platforms) == {ANQUAN, ZHIFA}]
    group = shared[-1]
    rows = signed_in.inbox_model.rowCount()
    assert inbox.select_group(group.key)
    # The 类型 column names the form as the manifests' [[forms]] do, not by its key.
    row = signed_in.inbox_model.row_of(group.key)
    assert row is not None
    kind = signed_in.inbox_model.index(row, InboxModel.KIND).data()
    assert kind in {"消防安全检查记录", "检查记录登记"}
    assert [a.text() for a in inbox.row_menu().actions() if a.text()][-1] == (
        "Split (not the same work)"
    )
    with qtbot.waitSignal(signed_in.inbox_updated, timeout=LOAD_TIMEOUT):
        inbox.split_action.trigger()
    assert signed_in.inbox_model.rowCount() == rows + 1
    alone = [g for g in inbox.visible_groups() if any(i in group.items for i in g.items)]
    assert sorted(g.platforms for g in alone) == [(ANQUAN,), (ZHIFA,)]
    # The row split off is current, and offers to merge again.
    current = inbox.current_group()
    assert current is not None and current.items[0] == group.items[0]
    assert inbox.merge_action.isEnabled()
    assert "Merge again" in [a.text() for a in inbox.row_menu().actions()]
    assert signed_in.services is not None
    assert (signed_in.services.data_dir / "splits.json").exists()

    with qtbot.waitSignal(signed_in.inbox_updated, timeout=LOAD_TIMEOUT):
        inbox.merge_action.trigger()
    assert signed_in.inbox_model.rowCount() == rows
    assert group.key in {g.key for g in inbox.visible_groups()}


def test_mark_done_closes_one_platforms_task_and_shows_the_others_refusal(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    inbox = signed_in.inbox
    inbox.view_buttons[ALL].click()
    shared = next(g for g in inbox.visible_groups() if set(g.platforms) == {ANQUAN, ZHIFA})
    assert signed_in.completable >= {ANQUAN, ZHIFA}
    assert inbox.select_group(shared.key)
    assert inbox.mark_done_action.isEnabled()

    with qtbot.waitSignal(signed_in.marker.finished, timeout=LOAD_TIMEOUT) as finished:
        inbox.mark_done_action.trigger()
        assert not inbox.mark_done_action.isEnabled()  # one at a time, progress shown
        assert inbox.progress.text().startswith("Marking done")
    outcome = finished.args[0]
    assert isinstance(outcome, MarkDoneOutcome)

    # 安全排查 closed its task: re-read, and gone from the inbox.
    assert [i.platform for i in outcome.done] == [ANQUAN]
    anquan_id = next(i.id for i in shared.items if i.platform == ANQUAN)
    assert next(t for t in demo.tasks(ANQUAN) if t["id"] == anquan_id)["state"] == "done"
    # 执法检查 wants its inspection record first: refused, said so, and its task stays.
    [(item, error)] = outcome.failed
    assert item.platform == ZHIFA and error.reason == "refused"
    box = signed_in.marker.message_box
    assert box is not None and box.isVisible()
    assert "执法检查: The platform refused the change." in box.informativeText()
    assert "须在平台上填写检查记录后方可办结" in box.informativeText()  # the platform's words
    box.close()
    rows = [g for g in inbox.visible_groups() if any(i.id == item.id for i in g.items)]
    assert [g.platforms for g in rows] == [(ZHIFA,)]
    assert all(anquan_id != i.id for g in inbox.visible_groups() for i in g.items)
    assert "Marked done on 安全排查" in signed_in.statusBar().currentMessage()
    assert not inbox.progress.isVisible()
