"""Platform tiles say their state in words, carry a badge and name themselves for screen readers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from launcher.ui.tiles import FAILED, SIGNED_IN, SIGNED_OUT, TileInfo, TilePanel


def test_tiles_show_state_badge_and_accessible_name(qtbot: QtBot) -> None:
    panel = TilePanel()
    qtbot.addWidget(panel)
    panel.set_platforms(
        [
            TileInfo("demo.anquan", "Safety", "http://127.0.0.1:1/"),
            TileInfo("demo.zhifa", "Enforcement", "http://127.0.0.1:2/"),
        ]
    )
    tile = panel.tile("demo.anquan")
    assert tile is not None
    assert tile.state_text() == "Not signed in" and tile.badge_text() == ""

    tile.set_state(SIGNED_IN, 3, "")
    assert tile.state_text() == "Signed in"
    assert tile.badge_text() == "3"
    assert tile.accessibleName() == "Safety, 3 pending, Signed in"

    tile.set_state(FAILED, 3, "The platform cannot be reached.")
    assert tile.state_text() == "Error"
    assert "The platform cannot be reached." in tile.toolTip()

    tile.set_state(SIGNED_OUT, 0, "")
    assert tile.accessibleName() == "Safety, Not signed in"


def test_activating_a_tile_asks_to_open_its_platform(qtbot: QtBot) -> None:
    panel = TilePanel()
    qtbot.addWidget(panel)
    panel.set_platforms([TileInfo("demo.anquan", "Safety", "http://127.0.0.1:1/")])
    panel.show()
    tile = panel.tile("demo.anquan")
    assert tile is not None
    with qtbot.waitSignal(panel.open_requested) as opened:
        qtbot.mouseClick(tile, Qt.MouseButton.LeftButton)
    assert opened.args == ["demo.anquan"]
    tile.setFocus()
    with qtbot.waitSignal(panel.open_requested):
        qtbot.keyClick(tile, Qt.Key.Key_Space)
