"""Fixtures the GUI tests of this folder share: a demo county of a module's own, and the module's
window signed in through the provider's page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT, sign_in_embedded


@pytest.fixture(scope="module")
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoCounty]:
    """A demo county for the module alone (the session's ``demo_county`` is shared by all), for
    tests that change the platforms' data (forms submitted, tasks marked done)."""
    with DemoCounty(directory=tmp_path_factory.mktemp(f"{request.path.stem}-county")) as county:
        yield county


@pytest.fixture
def signed_in(qtbot: QtBot, window: MainWindow) -> MainWindow:
    """The module's ``window``, signed in on the provider's page once for the module (its tests
    share the window, in file order; each signs in by itself when run alone), inbox filled.

    Modules that sign in otherwise (scripted, without a page) define their own ``signed_in``.
    """
    if window.user is None:
        sign_in_embedded(qtbot, window)
    qtbot.waitUntil(lambda: window.inbox_model.rowCount() > 0, timeout=LOAD_TIMEOUT)
    return window
