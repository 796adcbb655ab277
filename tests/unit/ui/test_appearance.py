"""Larger text and high contrast (launcher/ui/appearance.py): saved in settings.ini, applied at
start by setup_application, and live from the View menu (fonts, style-sheet sizes, colours, the
fixed rows of a table)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
)
from pytestqt.qtbot import QtBot

from launcher.ui import appearance, i18n
from launcher.ui.app import BODY_POINT_SIZE, TEXT_COLOUR, setup_application
from launcher.ui.appearance import Appearance
from launcher.ui.window_actions import WindowActions


@pytest.fixture(autouse=True)
def default_afterwards(qapp: QApplication) -> Iterator[None]:
    yield
    appearance.save(Appearance())
    setup_application(qapp, i18n.ENGLISH)


def test_the_choice_is_saved_and_read_back() -> None:
    assert appearance.saved() == Appearance()
    appearance.save(Appearance(1.5, True))
    assert appearance.saved() == Appearance(1.5, True)
    store = i18n.settings()
    store.setValue("ui/text_size", "7")  # a hand-edited file: the default, no error
    store.sync()
    assert appearance.saved() == Appearance(1.0, True)
    with pytest.raises(ValueError):
        appearance.save(Appearance(2.0, False))


def test_style_sheet_sizes_scale_with_the_text() -> None:
    sheet = "QLabel#a { font-size: 13pt; }\nQLabel#b { font-size: 11pt; padding: 4px; }"
    assert appearance.scale_font_sizes(sheet, 1.0) is sheet
    assert appearance.scale_font_sizes(sheet, 1.5) == (
        "QLabel#a { font-size: 20pt; }\nQLabel#b { font-size: 16pt; padding: 4px; }"
    )
    contrast = appearance.style_sheet("QLabel { font-size: 10pt; }", Appearance(1.25, True))
    assert contrast.startswith("QLabel { font-size: 12pt; }")
    assert "#0b3d91" in contrast  # style-contrast.qss on top


def test_the_saved_choice_applies_at_start(qapp: QApplication, qtbot: QtBot) -> None:
    appearance.save(Appearance(1.5, True))
    setup_application(qapp, i18n.ENGLISH)
    assert QApplication.font().pointSize() == 18
    empty = QLabel("Loading…")
    empty.setObjectName("emptyState")
    field = QLineEdit()
    for widget in (empty, field):
        qtbot.addWidget(widget)
        widget.ensurePolished()
    assert empty.font().pointSize() == 20  # 13 pt in style.qss
    assert empty.palette().color(QPalette.ColorRole.WindowText).name() == "#000000"
    assert field.palette().color(QPalette.ColorRole.Text).name() == "#000000"
    assert appearance.current(qapp) == Appearance(1.5, True)


def test_the_view_menu_applies_at_once_and_saves(qapp: QApplication, qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    actions = WindowActions(window, i18n.ENGLISH)
    view = actions.view
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&View") == titles.index("&Language") + 1
    assert view.sizes[1.0].isChecked() and not view.contrast.isChecked()
    table = QTableView(window)
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(30)
    label = QLabel("已更新", window)
    label.setObjectName("tileState")
    window.show()
    qtbot.waitExposed(window)

    view.sizes[1.5].trigger()
    assert QApplication.font().pointSize() == round(BODY_POINT_SIZE * 1.5)
    assert label.font().pointSize() == round(11 * 1.5)
    assert rows.defaultSectionSize() == 45
    assert appearance.saved() == Appearance(1.5, False)  # no workers here: saved at once
    assert "next time" in window.statusBar().currentMessage()

    view.contrast.trigger()
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == "#000000"
    assert appearance.saved() == Appearance(1.5, True)
    assert window.statusBar().currentMessage() == "High contrast is on."

    view.sizes[1.0].trigger()
    view.contrast.trigger()
    assert QApplication.font().pointSize() == BODY_POINT_SIZE
    assert rows.defaultSectionSize() == 30
    assert label.palette().color(QPalette.ColorRole.WindowText).name() == "#5b6470"
    assert QApplication.palette().color(QPalette.ColorRole.Text).name() == TEXT_COLOUR
    assert appearance.saved() == Appearance()


def test_a_window_with_workers_saves_on_them(qtbot: QtBot) -> None:
    """The settings file is written on the window's workers, not on the GUI thread."""
    ran: list[str] = []

    class Workers:
        def submit(self, name: str, fn: Callable[[], object]) -> None:
            ran.append(name)
            fn()

    class Window(QMainWindow):
        workers = Workers()

    window = Window()
    qtbot.addWidget(window)
    WindowActions(window, i18n.ENGLISH).view.contrast.trigger()
    assert ran == ["save appearance"]
    assert appearance.saved() == Appearance(1.0, True)
