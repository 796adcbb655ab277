"""The window's status bar: passing messages on the left, the refresh line and the signed-in
user's name on the right (``StatusLabel``s, cut with "…" on a narrow window).

Its words keep the window's translation context (``MainWindow``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QStatusBar, QWidget

from launcher.core.states import PlatformStatus, SignInState
from launcher.ui.plain_text import tooltip
from launcher.ui.tiles import ElidedLabel

if TYPE_CHECKING:
    from launcher.core.inbox.service import RefreshResult

translate = QCoreApplication.translate

STATUS_LABEL_MIN_WIDTH = 90
"""The narrowest a status bar label becomes on a narrow window (its text then ends in "…")."""


class StatusLabel(ElidedLabel):
    """A status bar label: one line, ending in "…" when the window is narrow; the whole text in
    its tooltip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(STATUS_LABEL_MIN_WIDTH)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(tooltip(text))  # it may carry a platform's or the network's words

    def clear(self) -> None:
        super().clear()
        self.setToolTip("")


class StatusBar(QStatusBar):
    """``refresh_label`` (how current the inbox is) and ``user_label`` (who is signed in)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # On a narrow window the labels end in "…" (the whole text in their tooltips) rather
        # than pushing the user's name off the right edge.
        self.user_label = StatusLabel(self)
        self.user_label.setObjectName("userLabel")
        self.refresh_label = StatusLabel(self)
        self.refresh_label.setObjectName("refreshLabel")
        self.addPermanentWidget(self.refresh_label)
        self.addPermanentWidget(self.user_label)

    def show_status(self, text: str, msecs: int = 15000) -> None:
        """Show ``text`` for a while ('' clears the passing message)."""
        if text:
            self.showMessage(text, msecs)
        else:
            self.clearMessage()

    def show_refreshing(self, waiting: int | None = None) -> None:
        """A refresh runs (``waiting``: platforms still asked while the others are shown)."""
        if waiting is None:
            self.refresh_label.setText(translate("MainWindow", "Refreshing…"))
        else:
            self.refresh_label.setText(
                translate("MainWindow", "Refreshing… waiting for {count} platform(s)").format(
                    count=waiting
                )
            )

    def show_refreshed(self, result: RefreshResult, *, fresh: bool) -> None:
        """How current the inbox on screen is: saved tasks (``fresh`` False) or refreshed now,
        with how many platforms failed."""
        failed = [
            s
            for s in result.states.values()
            if s.state in (PlatformStatus.FAILED, SignInState.SIGNED_OUT)
        ]
        now = datetime.now().strftime("%H:%M")
        if not fresh:
            text = translate("MainWindow", "Showing saved tasks; refreshing…")
        elif failed:
            text = translate(
                "MainWindow", "Refreshed at {time}; {count} platform(s) failed"
            ).format(time=now, count=len(failed))
        else:
            text = translate("MainWindow", "Refreshed at {time}").format(time=now)
        self.refresh_label.setText(text)

    def show_refresh_failed(self, error: str) -> None:
        self.refresh_label.setText(
            translate("MainWindow", "Refresh failed: {error}").format(error=error)
        )
