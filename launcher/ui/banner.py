"""The sign-in-again bar: shown above the work area when platforms lost their sign-in.

Non-modal on purpose: the other platforms' tasks and open pages stay usable while it shows.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from launcher.ui.plain_text import PlainLabel, bounded


class SignInBanner(QFrame):
    """"The sign-in is no longer valid for 安全排查" with a 重新登录 button."""

    sign_in_requested = Signal()
    """The user pressed the sign-in-again button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInBanner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = PlainLabel(self)  # platform names come from manifests: plain text
        self.message.setObjectName("signInBannerText")
        self.message.setWordWrap(True)
        self.button = QPushButton(self.tr("Sign in again"), self)
        self.button.setObjectName("signInAgainButton")
        self.button.setAccessibleName(self.tr("Sign in again"))
        self.button.clicked.connect(lambda _=False: self.sign_in_requested.emit())
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.message, 1)
        row.addWidget(self.button)
        self.platform_ids: list[str] = []
        self.hide()

    def show_platforms(self, platform_ids: list[str], names: list[str]) -> None:
        """Show the bar for these platforms (hide it when there are none)."""
        self.platform_ids = list(platform_ids)
        if not platform_ids:
            self.message.clear()
            self.hide()
            return
        separator = self.tr(", ")
        self.message.setText(
            self.tr(
                "The sign-in is no longer valid for {platforms}. Their tasks may be out of date; "
                "the other platforms are not affected."
            ).format(platforms=separator.join(bounded(name) for name in names))
        )
        self.setAccessibleName(self.message.text())
        self.show()

    def text(self) -> str:
        return self.message.text()
