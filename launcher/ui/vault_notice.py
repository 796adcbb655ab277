"""The bar a web tab shows above a legacy platform's page when the password vault stopped signing
in by itself (a refused or unclear attempt): what happened, and the person's three choices.

Non-modal on purpose: the page stays usable (the person may sign in on it by hand), and nothing
else waits for an answer. The vault submits again only after one of these choices.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from launcher.ui.plain_text import bounded, plain_label


class NoticeChoice(StrEnum):
    """What the person chose in the bar (``VaultNotice.chosen``)."""

    FILL_ONLY = "fill-only"
    """Fill the saved account in from now on, never submit it."""
    UPDATE = "update"
    """Type the platform's current password."""
    TRY_AGAIN = "try-again"
    """Submit the saved password once more, now."""


class VaultNotice(QFrame):
    """"<platform> refused the saved password …" with 只填入账号, 更新密码…, 再试一次 and a close."""

    chosen = Signal(str)
    """The person's choice, a ``NoticeChoice`` (its value: the signal carries a ``str``); the bar
    hides itself."""

    def __init__(self, platform_id: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.platform_id = platform_id
        self.setObjectName("vaultNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # The text names the platform (a manifest's name: outside text).
        self.message = plain_label(QLabel(bounded(text), self))
        self.message.setObjectName("vaultNoticeText")
        self.message.setWordWrap(True)
        self.fill_button = QPushButton(self.tr("Fill in only"), self)
        self.fill_button.setObjectName("vaultFillOnly")
        self.fill_button.setToolTip(
            self.tr(
                "Fill in the saved user name and password; you press the platform's login button "
                "(and type its captcha). The launcher then only fills in, until you update the "
                "password."
            )
        )
        self.update_button = QPushButton(self.tr("Update password…"), self)
        self.update_button.setObjectName("vaultUpdate")
        self.try_button = QPushButton(self.tr("Try once more"), self)
        self.try_button.setObjectName("vaultTryAgain")
        self.try_button.setToolTip(
            self.tr(
                "Submit the saved password once, now. If that is not a clear success either, "
                "the launcher stops again."
            )
        )
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAccessibleName(self.tr("Close"))
        self.close_button.setToolTip(self.tr("Close"))
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 6)
        row.addWidget(self.message, 1)
        for button in (self.fill_button, self.update_button, self.try_button, self.close_button):
            row.addWidget(button)
        self.fill_button.clicked.connect(lambda _=False: self._choose(NoticeChoice.FILL_ONLY))
        self.update_button.clicked.connect(lambda _=False: self._choose(NoticeChoice.UPDATE))
        self.try_button.clicked.connect(lambda _=False: self._choose(NoticeChoice.TRY_AGAIN))
        self.close_button.clicked.connect(lambda _=False: self.hide())
        self.setAccessibleName(self.message.text())

    def text(self) -> str:
        return self.message.text()

    def _choose(self, choice: NoticeChoice) -> None:
        self.hide()
        self.chosen.emit(choice)
