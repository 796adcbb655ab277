"""The Qt binding itself: a PySide6 release that corrupts reference counts must not be installed."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_calling_qt_methods_leaves_none_alone(qtbot) -> None:
    # PySide6 6.12.0 decremented None's reference count on each call of a method returning void,
    # and Python 3.11 aborts once it reaches zero; pyproject.toml excludes that release.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(1000):
        label.setText("x")
    assert sys.getrefcount(None) - before > -500
