"""Notifications in the window against the real demo county: the first refresh after sign-in tells
what is overdue or due (and nothing "new"), the tray shows the pending count, a click on the
notification opens that task's signed-in page, and the next refresh repeats nothing.

Real demo servers, keyring and Chromium. Headless there is no system tray and no notification
daemon: ``tray_available`` is made to say yes, so the window takes the tray path, and the click on
the shown notification is emitted by the test (as Qt does when the user clicks it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.inbox.notify import NEW, OVERDUE, Notice, pending_count
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT, launcher_window, sign_in_embedded
from tests.e2e.webpage import wait_for_text

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]


@pytest.fixture(scope="module")
def window(
    demo_county: DemoCounty, qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MainWindow]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("launcher.ui.tray.tray_available", lambda: True)
        with launcher_window(
            qapp, demo_county.county_path, tmp_path_factory.mktemp("notify-home"), language="en"
        ) as main:
            yield main


def announced(window: MainWindow) -> list[Notice]:
    tray = window.tray
    return ([tray.shown] if tray.shown is not None else []) + tray.pending_notices()


def refresh_and_settle(qtbot: QtBot, window: MainWindow) -> None:
    """Refresh, and wait until the notices worked out afterwards have reached the tray."""
    with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT) as finished:
        window.refresh()
    assert finished.args == [True]
    qtbot.waitUntil(lambda: not window.workers.busy(), timeout=LOAD_TIMEOUT)


@pytest.mark.usefixtures("signed_out")
def test_the_first_refresh_tells_what_is_due_and_a_click_opens_the_task(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.tray.notice_shown, timeout=LOAD_TIMEOUT):
        sign_in_embedded(qtbot, window)
    notices = announced(window)
    # The demo user has overdue work on every platform; nothing is "new" at the first sign-in.
    assert notices and notices[0].kind == OVERDUE and notices[0].group is not None
    assert all(n.kind != NEW for n in notices)
    assert len(notices) <= 4 and all(not n.summary for n in notices[:3])

    groups = window.inbox_model.groups()
    count = pending_count(groups)
    assert count >= 20
    assert window.tray.icon.toolTip() == f"Yiduantong — {count} pending"

    first = notices[0]
    with qtbot.waitSignal(window.web_tab_opened, timeout=LOAD_TIMEOUT) as opened:
        window.tray.icon.messageClicked.emit()  # headless: no daemon to click it on
    tab = opened.args[0]
    assert isinstance(tab, WebTab)
    # The task's own page, signed in through the county login (no second sign-in).
    wait_for_text(qtbot, tab.page, first.title)
    assert window.tabs.currentWidget() is tab


def test_the_next_refresh_repeats_nothing_but_tells_new_work(
    qtbot: QtBot, window: MainWindow
) -> None:
    if window.user is None:
        sign_in_embedded(qtbot, window)
        qtbot.waitUntil(lambda: not window.workers.busy(), timeout=LOAD_TIMEOUT)
    window.tray.clear()
    refresh_and_settle(qtbot, window)
    assert announced(window) == []

    # A task the memory never heard of, as if its platform had just assigned it: the memory of
    # one not-yet-due task is dropped, and the next refresh announces it as new, once.
    services = window.services
    assert services is not None
    now = datetime.now(UTC)
    later = next(g for g in window.inbox_model.groups()
                 if len(g.items) == 1 and g.due is not None and g.due > now + timedelta(days=2))
    item = later.items[0]
    entries = [e for e in services.cache.notified() if e[:2] == (item.platform, item.id)]
    assert entries
    services.cache.remember_notified([], now, drop=entries)
    refresh_and_settle(qtbot, window)
    assert [(n.kind, n.keys) for n in announced(window)] == [(NEW, (item.key,))]
    window.tray.clear()
    refresh_and_settle(qtbot, window)
    assert announced(window) == []
