"""``PageZoom``: the zoom of web pages, in steps as browsers have them, remembered per platform.

Each platform's level is kept in ``settings.ini`` (``zoom/<platform id>``, this OS account's;
no address is written), and applies to every tab of that platform, open or opened later. A tab
of no platform (a window a page opened) zooms on its own, remembered nowhere.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from launcher.ui.web import WebTab

STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0, 5.0)
"""Chromium's zoom steps: Ctrl+= goes one up, Ctrl+- one down, Ctrl+0 back to 1."""
_GROUP = "zoom"


def step(factor: float, up: bool) -> float:
    """The next zoom step above (``up``) or below ``factor``."""
    if up:
        return next((s for s in STEPS if s > factor + 1e-3), STEPS[-1])
    return next((s for s in reversed(STEPS) if s < factor - 1e-3), STEPS[0])


class PageZoom:
    """Zooms tabs and remembers each platform's level."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings
        self._levels: dict[str, float] | None = None

    def _key(self, platform_id: str) -> str:
        # A platform id is a plugin id ("demo.anquan"): QSettings keys may not hold "/" or "\\".
        return f"{_GROUP}/" + platform_id.replace("/", "_").replace("\\", "_")

    def level(self, platform_id: str) -> float:
        """The remembered level of ``platform_id`` (1.0 when none)."""
        if not platform_id:
            return 1.0
        if self._levels is None:
            self._levels = {}
        if platform_id not in self._levels:
            value = self._settings.value(self._key(platform_id), 1.0)
            try:
                factor = float(value)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                factor = 1.0
            if not math.isfinite(factor) or not STEPS[0] <= factor <= STEPS[-1]:
                factor = 1.0
            self._levels[platform_id] = factor
        return self._levels[platform_id]

    def apply(self, tab: WebTab) -> None:
        """Give ``tab`` its platform's level (a new tab, a page loaded)."""
        if tab.platform_id:
            factor = self.level(tab.platform_id)
            if abs(tab.view.zoomFactor() - factor) > 1e-3:
                tab.view.setZoomFactor(factor)

    def change(self, tab: WebTab, how: str, tabs: list[WebTab]) -> float:
        """Zoom ``tab`` ``in``, ``out`` or ``reset``; every open tab of its platform follows and
        the level is remembered. Returns the new factor."""
        current = tab.view.zoomFactor()
        factor = 1.0 if how == "reset" else step(current, how == "in")
        if not tab.platform_id:
            tab.view.setZoomFactor(factor)
            return factor
        if self._levels is None:
            self._levels = {}
        self._levels[tab.platform_id] = factor
        # QSettings writes the file later, from the event loop (as the inbox's columns).
        if factor == 1.0:
            self._settings.remove(self._key(tab.platform_id))
        else:
            self._settings.setValue(self._key(tab.platform_id), factor)
        for other in tabs:
            if other.platform_id == tab.platform_id:
                other.view.setZoomFactor(factor)
        return factor
