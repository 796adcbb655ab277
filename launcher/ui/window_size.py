"""Window sizes that fit the screen: a 1366×768 screen at 150 % scaling leaves 911×512 logical
pixels (less the task bar), at 200 % 683×384; a window or dialog asked to be larger would put its
bottom (the status bar, a dialog's buttons) off the screen, where nobody can reach it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = 40
"""Room left on the screen for a window's title bar and borders (unknown before it is shown)."""


def fit_to_screen(window: QWidget, width: int, height: int, *, limit: bool = False) -> None:
    """Resize the top-level ``window`` to ``width``×``height``, or less where its screen's free
    area is smaller; ``limit`` also keeps it from being made larger than that (dialogs: a main
    window with a maximum size loses its maximise button on some desktops)."""
    area = window.screen().availableGeometry()
    room_w, room_h = area.width(), max(1, area.height() - FRAME_ALLOWANCE)
    if limit:
        window.setMaximumSize(room_w, room_h)
    window.resize(min(width, room_w), min(height, room_h))
