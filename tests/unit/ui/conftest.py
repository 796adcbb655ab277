"""UI unit tests read the English source strings: no translator may linger from other tests."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from launcher.ui import i18n
from launcher.ui.app import setup_application


@pytest.fixture(autouse=True)
def english_ui(qapp: QApplication) -> None:
    setup_application(qapp, i18n.ENGLISH)
