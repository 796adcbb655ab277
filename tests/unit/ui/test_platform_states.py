"""Each platform's state in words: the tile's line, the inbox's summary line and its details list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QTreeWidget
from pytestqt.qtbot import QtBot

from launcher.core.inbox.service import REFRESHING, PlatformState
from launcher.ui.platform_states import (
    PlatformStatePanel,
    reason_words,
    source_reason_text,
    summary_text,
    tile_detail,
)
from launcher.ui.tiles import FAILED, NEEDS_SIGN_IN, SIGNED_IN, TileInfo, TilePanel

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
EARLIER = NOW - timedelta(minutes=30)
YESTERDAY = NOW - timedelta(days=1, hours=2)
NAMES = {"a": "Safety", "b": "Enforcement", "c": "Waste", "d": "Civil affairs", "e": "Health"}


def hhmm(moment: datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def state(
    pid: str,
    kind: str,
    reason: str | None = None,
    updated: datetime | None = EARLIER,
    count: int = 3,
    message: str = "",
) -> PlatformState:
    return PlatformState(pid, kind, reason, message or f"{kind} detail", updated, count)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (state("a", "current"), f"Updated {hhmm(EARLIER)}"),
        (state("a", "stale"), f"Offline data, as of {hhmm(EARLIER)}"),
        (
            state("a", "stale", updated=YESTERDAY),
            f"Offline data, as of {YESTERDAY.astimezone().strftime('%m-%d %H:%M')}",
        ),
        (state("a", "failed", "network"), "Failed: cannot connect"),
        (state("a", "failed", "timeout"), "Failed: no answer in time"),
        (state("a", "failed", "platform"), "Failed: platform error"),
        (state("a", "failed", "unreadable"), "Failed: unreadable answer"),
        (state("a", "failed", "plugin"), "Failed: plugin error"),
        (state("a", "failed", "refused"), "Failed: refused"),
        (state("a", "failed", "unsupported"), "Failed: not supported"),
        (state("a", "failed", "signed-out"), f"Offline data, as of {hhmm(EARLIER)}"),
        (state("a", "failed", "signed-out", updated=None), "No saved data"),
        (state("a", "unknown", updated=None), "Not loaded yet"),
        (state("a", REFRESHING), "Refreshing…"),
    ],
)
def test_the_tile_line_says_how_current_the_tasks_are(given: PlatformState, expected: str) -> None:
    assert tile_detail(given, NOW) == expected


def test_every_failure_reason_has_words_a_user_understands() -> None:
    reasons = ["network", "timeout", "signed-out", "platform", "unreadable", "plugin"]
    reasons += ["refused", "unsupported", "disabled"]
    sentences = {source_reason_text(r) for r in reasons}
    assert len(sentences) == len(reasons)  # each its own sentence, none the fallback
    assert source_reason_text("refused") == "The platform refused the change."
    assert "could not be loaded" in source_reason_text("something new")
    assert reason_words("refused") == "refused"
    assert reason_words("unsupported") == "not supported"
    assert reason_words("disabled") == "plugin turned off"
    assert reason_words(None) == "unknown error"


STATES = {
    "a": state("a", "current", updated=NOW),
    "b": state("b", "current", updated=NOW),
    "c": state("c", "stale", updated=EARLIER),
    "d": state("d", "failed", "network", updated=YESTERDAY, message="GET /api: refused"),
    "e": state("e", "failed", "signed-out"),
}


def test_the_summary_line_counts_each_state() -> None:
    assert summary_text(STATES, NOW) == (
        f"2 platform(s) up to date · 1 with offline data (as of {hhmm(EARLIER)}) · 1 failed"
        " · 1 need(s) sign-in"
    )
    assert summary_text({"a": STATES["a"]}, NOW) == "1 platform(s) up to date"
    assert summary_text({"x": state("x", "unknown", updated=None)}, NOW) == "1 not loaded yet"
    assert summary_text({"x": state("x", REFRESHING)}, NOW) == "1 still refreshing"


def test_the_panel_lists_every_platform_with_state_reason_and_time(qtbot: QtBot) -> None:
    panel = PlatformStatePanel()
    qtbot.addWidget(panel)
    panel.set_states(STATES, lambda pid: NAMES[pid], NOW)
    assert not panel.isHidden()
    assert panel.summary_text().startswith("2 platform(s) up to date")
    assert panel.summary.property("level") == "error"
    assert panel.summary.accessibleName().startswith("Platform states: ")
    assert panel.details.isHidden()
    panel.toggle.click()
    assert not panel.details.isHidden()
    assert panel.toggle.accessibleName() == "Hide each platform's state"
    rows = panel.rows()
    # Problems first, the platforms that are fine last.
    assert [r[0] for r in rows] == ["Civil affairs", "Health", "Waste", "Enforcement", "Safety"]
    failed = rows[0]
    assert failed[1] == "Failed"
    assert failed[2] == (
        "The platform cannot be reached. Showing the tasks saved at "
        f"{YESTERDAY.astimezone().strftime('%m-%d %H:%M')}."
    )
    assert failed[4] == "3"
    assert rows[1][1:3] == (
        "Sign in again",
        f"The sign-in is no longer valid for this platform. Showing the tasks saved at "
        f"{hhmm(EARLIER)}.",
    )
    assert rows[2][1:4] == (
        "Offline data",
        f"Showing the tasks saved at {hhmm(EARLIER)}.",
        hhmm(EARLIER),
    )
    assert rows[4][1:4] == ("Up to date", "", hhmm(NOW))

    panel.set_states({"a": STATES["a"]}, lambda pid: NAMES[pid], NOW)
    assert panel.summary.property("level") == "ok"
    panel.set_states({}, lambda pid: NAMES[pid], NOW)
    assert panel.isHidden()


def test_the_details_list_is_made_when_first_shown_and_follows_later_states(
    qtbot: QtBot,
) -> None:
    panel = PlatformStatePanel()
    qtbot.addWidget(panel)
    panel.set_states(STATES, lambda pid: NAMES[pid], NOW)
    assert panel.findChild(QTreeWidget) is None  # hidden until 详情: not made yet
    panel.toggle.click()
    details = panel.findChild(QTreeWidget)
    assert details is panel.details and not details.isHidden()
    assert [r[0] for r in panel.rows()] == [
        "Civil affairs",
        "Health",
        "Waste",
        "Enforcement",
        "Safety",
    ]
    panel.set_states({"a": STATES["a"]}, lambda pid: NAMES[pid], NOW)  # the made list follows
    assert panel.details is details and [r[0] for r in panel.rows()] == ["Safety"]
    panel.toggle.click()
    assert details.isHidden() and panel.toggle.accessibleName() == "Show each platform's state"


def test_tiles_write_the_state_out_and_say_it_to_screen_readers(qtbot: QtBot) -> None:
    panel = TilePanel()
    qtbot.addWidget(panel)
    panel.set_platforms([TileInfo("a", "Safety", "http://127.0.0.1:1/")])
    tile = panel.tile("a")
    assert tile is not None
    assert tile.detail_text() == ""
    tile.set_state(SIGNED_IN, 4, "", tile_detail(STATES["a"], NOW))
    assert tile.state_text() == "Signed in"
    assert tile.detail_text() == f"Updated {hhmm(NOW)}"
    assert tile.accessibleName() == f"Safety, 4 pending, Signed in, Updated {hhmm(NOW)}"

    tile.set_state(FAILED, 3, "The platform cannot be reached.", "Failed: cannot connect")
    assert tile.detail_text() == "Failed: cannot connect"
    assert "Failed: cannot connect" in tile.toolTip()
    assert "The platform cannot be reached." in tile.toolTip()

    tile.set_state(NEEDS_SIGN_IN, 0, "", tile_detail(STATES["e"], NOW))
    assert tile.accessibleName() == (f"Safety, Sign in again, Offline data, as of {hhmm(EARLIER)}")
    tile.set_state(SIGNED_IN, 0, "")
    assert tile.detail_text() == "" and tile.accessibleName() == "Safety, Signed in"
