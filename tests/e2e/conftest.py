"""Fixtures the GUI tests of this folder share: a demo county of a module's own, the module's
window, and that window put into the state a test starts from (signed in or out, the inbox tab in
front, no web tabs), whatever the tests before it left: each test runs alone and in any order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    launcher_window,
    scripted_login,
    sign_in_embedded,
    sign_out_if_needed,
)


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoCounty]:
    """A demo county for the module alone (the session's ``demo_county`` is shared by all), for
    tests that change the platforms' data (forms submitted, tasks marked done)."""
    with DemoCounty(directory=tmp_path_factory.mktemp(f"{request.path.stem}-county")) as county:
        yield county


@pytest.fixture(scope="module")
def window_county(demo_county: DemoCounty) -> Path:
    """The county file the module's ``window`` opens; a module overrides it (its own ``demo``,
    a copy with another login mode)."""
    return demo_county.county_path


@pytest.fixture(scope="module")
def window_language() -> str:
    """The module's ``window`` language; English where assertions read the source texts."""
    return "zh_CN"


@pytest.fixture(scope="module")
def window(
    request: pytest.FixtureRequest,
    qapp: QApplication,
    window_county: Path,
    window_language: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[MainWindow]:
    """One shown window for the module's tests (a window costs seconds), on ``window_county``,
    with a LAUNCHER_HOME of its own."""
    home = tmp_path_factory.mktemp(f"{request.path.stem}-home")
    with launcher_window(qapp, window_county, home, language=window_language) as main:
        yield main


@pytest.fixture(scope="module")
def scripted_sign_in() -> bool:
    """How ``signed_in`` signs in: False, on the provider's page (Chromium); a module that does not
    test the sign-in overrides it with True (the provider's form filled over HTTP, quicker)."""
    return False


@pytest.fixture
def signed_in(qtbot: QtBot, window: MainWindow, scripted_sign_in: bool) -> MainWindow:
    """The module's ``window`` signed in (once for the module while a test leaves it signed in),
    the inbox filled and refreshed, no web tabs open, the inbox tab in front."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    if window.user is None:
        if scripted_sign_in:
            with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
                window.sign_in_with(scripted_login)
        else:
            sign_in_embedded(qtbot, window)
    qtbot.waitUntil(
        lambda: window.inbox_model.rowCount() > 0 and not window.refreshing(),
        timeout=LOAD_TIMEOUT,
    )
    window.close_web_tabs()
    window.tabs.setCurrentWidget(window.inbox)
    return window


@pytest.fixture
def signed_out(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The module's ``window`` loaded and signed out, no web tabs open, the inbox tab in front."""
    sign_out_if_needed(qtbot, window)
    window.close_web_tabs()
    window.tabs.setCurrentWidget(window.inbox)
    return window
