"""The window's start snapshot (launcher/ui/start_snapshot.py), in the real window on the demo
county with its real provider, platforms and keyring: the inbox a person last saw is on screen at
the next start before the county is open (its services not made yet), is then replaced by the
county's own cached tasks, and is never shown to anyone else: another person who signed in since,
nobody after a sign-out, nor a session that is gone from the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.inbox.cache_file import TASKS_FILE, read_snapshot
from launcher.core.secrets import SecretStore
from launcher.ui.main_window import MainWindow
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser, sign_in
from tests.e2e.signin import LOAD_TIMEOUT, launcher_window, log_out

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]


class FirstRows:
    """The rows of the window's first inbox update, and whether the county was open then."""

    def __init__(self, window: MainWindow) -> None:
        self.titles: set[str] | None = None
        self.county_open: bool | None = None
        self.person = ""
        self.waited: bool | None = None
        """Whether a task opened while only the snapshot is on screen waits for the county."""
        self.done_later: list[str] = []
        self._window = window
        window.inbox_updated.connect(self._seen)

    def _seen(self, _rows: int) -> None:
        if self.titles is None:
            window = self._window
            self.titles = titles(window)
            self.county_open = window.services is not None
            self.person = window.sign_in_presenter.status_bar.user_label.text()
            # What a click on a row does meanwhile (open, mark done, split) waits for the county.
            self.waited = window._when_ready(lambda: self.done_later.append("ran"))


def titles(window: MainWindow) -> set[str]:
    return {group.title for group in window.inbox_model.groups()}


def cache_path(window: MainWindow) -> Path:
    services = window.services
    assert services is not None
    return services.data_dir / TASKS_FILE


def sign_in_as(qtbot: QtBot, window: MainWindow, user: DemoUser) -> set[str]:
    """``user`` signs in (their provider's form, filled over HTTP); their refreshed tasks."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
        window.sign_in_with(lambda services: sign_in(services.auth, user))
    qtbot.waitUntil(lambda: window.inbox_model.rowCount() > 0 and not window.refreshing(),
                    timeout=LOAD_TIMEOUT)
    return titles(window)


def wait_for_snapshot(qtbot: QtBot, window: MainWindow) -> None:
    """The window keeps the snapshot a moment after the inbox shows new tasks."""
    path = cache_path(window)
    qtbot.waitUntil(lambda: read_snapshot(path) is not None, timeout=LOAD_TIMEOUT)


def test_the_last_inbox_shows_first_and_only_to_its_person(
    qtbot: QtBot, qapp: QApplication, demo: DemoCounty, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    county = demo.county_path
    try:
        with launcher_window(qapp, county, home, keep_session=True) as window:
            his = sign_in_as(qtbot, window, ZHANG)
            wait_for_snapshot(qtbot, window)

        # The next start: his inbox is on screen before the county is open, then the county's.
        with launcher_window(qapp, county, home, keep_session=True) as window:
            first = FirstRows(window)
            qtbot.waitUntil(lambda: first.titles is not None, timeout=LOAD_TIMEOUT)
            assert first.county_open is False and first.titles == his
            assert ZHANG.name in first.person
            assert first.waited is True and first.done_later == []
            qtbot.waitUntil(lambda: window.user is not None, timeout=LOAD_TIMEOUT)
            assert window.user.name == ZHANG.name and titles(window) == his
            qtbot.waitUntil(lambda: first.done_later == ["ran"], timeout=LOAD_TIMEOUT)

            # 换人: he signs out, she signs in; his snapshot goes with his tasks.
            log_out(qtbot, window)
            assert read_snapshot(cache_path(window)) is None
            hers = sign_in_as(qtbot, window, LI)
            assert his - hers, "the demo users' lists differ"
            wait_for_snapshot(qtbot, window)

        # Her start shows hers, nothing of his.
        with launcher_window(qapp, county, home, keep_session=True) as window:
            first = FirstRows(window)
            qtbot.waitUntil(lambda: first.titles is not None, timeout=LOAD_TIMEOUT)
            assert first.county_open is False and first.titles == hers
            assert not (first.titles & (his - hers))
            qtbot.waitUntil(lambda: window.user is not None, timeout=LOAD_TIMEOUT)
            county_id = window.services.county.id if window.services else ""

        # Her session is taken out of the keyring by hand (no launcher told): the stamp still
        # names her, so her snapshot shows for the moment the county takes to open; then it
        # goes from the screen and from the disk.
        SecretStore(f"county/{county_id}").delete_matching("")
        with launcher_window(qapp, county, home) as window:
            first = FirstRows(window)
            qtbot.waitUntil(lambda: window.services is not None and first.titles is not None,
                            timeout=LOAD_TIMEOUT)
            qtbot.waitUntil(lambda: window.inbox_model.rowCount() == 0, timeout=LOAD_TIMEOUT)
            assert window.user is None
            qtbot.waitUntil(lambda: read_snapshot(cache_path(window)) is None,
                            timeout=LOAD_TIMEOUT)

        # A sign-out leaves nothing to show at the next start.
        with launcher_window(qapp, county, home, keep_session=True) as window:
            sign_in_as(qtbot, window, ZHANG)
            wait_for_snapshot(qtbot, window)
            log_out(qtbot, window)
        with launcher_window(qapp, county, home) as window:
            first = FirstRows(window)
            qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
            qtbot.wait(200)
            assert window.inbox_model.rowCount() == 0 and first.titles in (None, set())
    finally:
        SecretStore("county/demo").delete_matching("")


def test_a_window_closed_while_it_opens_shows_and_keeps_nothing(
    qtbot: QtBot, qapp: QApplication, demo: DemoCounty, tmp_path: Path
) -> None:
    """Closed in the moment after its first frame: what the workers bring back afterwards (the
    snapshot, the opened county) is not shown, and the county's services are closed again."""
    home = tmp_path / "home"
    try:
        with launcher_window(qapp, demo.county_path, home, keep_session=True) as window:
            sign_in_as(qtbot, window, ZHANG)
            wait_for_snapshot(qtbot, window)
        with launcher_window(qapp, demo.county_path, home, keep_session=True) as window:
            opened: list[object] = []
            window.services_ready.connect(opened.append)
            qtbot.waitUntil(lambda: window._started, timeout=LOAD_TIMEOUT)
            window.close_now()
            qtbot.wait(1500)
            assert window.context.services is None and opened == []
    finally:
        SecretStore("county/demo").delete_matching("")
