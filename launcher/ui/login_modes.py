"""The sign-in dialogs of the login modes without an embedded page: the system browser (RFC 8252)
and the device code (RFC 8628).

Both only show and relay: the blocking core call (``login_system_browser`` / ``poll_device``) runs
on a worker, which SessionController starts and cancels when the dialog is closed.
"""

from __future__ import annotations

import io
import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QGuiApplication, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.plain_text import bounded, plain_label
from launcher.ui.sign_in_errors import detail_label, show_detail
from launcher.ui.window_size import fit_to_screen

if TYPE_CHECKING:
    from launcher.core.auth.device import DeviceFlow

CODE_POINT_SIZE = 28
QR_SCALE = 6
"""Pixels per QR module: about 200 px for a typical verification URI, easy for a phone camera."""


def open_in_browser(url: str) -> bool:
    """Open ``url`` in the user's default browser (False when the desktop could not)."""
    return QDesktopServices.openUrl(QUrl(url))


def qr_pixmap(text: str, scale: int = QR_SCALE) -> QPixmap:
    """A QR code of ``text`` (error correction M, the standard quiet zone) as a pixmap."""
    import segno  # only for the device sign-in, not at every start

    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=scale, border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(out.getvalue(), "PNG")
    return pixmap


class Relay(QObject):
    """Carries what a sign-in worker learns to the GUI thread (queued signals)."""

    url_ready = Signal(str)
    """The authorization URL the system browser must open."""
    device_ready = Signal(object)
    """The DeviceFlow whose code and QR code the dialog must show."""


def _scrolling(dialog: QDialog, content: QVBoxLayout, buttons: QWidget) -> None:
    """Lay ``dialog`` out as ``content`` in a scroll area above ``buttons``: on a small screen
    (1366×768 at 200 % leaves 384 px) the content scrolls and the buttons stay in reach."""
    body = QWidget()
    body.setObjectName("loginBody")
    body.setLayout(content)
    scroll = QScrollArea(dialog)
    scroll.setObjectName("loginScroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(body)
    layout = QVBoxLayout(dialog)
    layout.addWidget(scroll, 1)
    layout.addWidget(buttons)


def _fit(dialog: QDialog, width: int, height: int) -> None:
    """At least ``width``×``height``, and room for all of the content (the scroll area guesses
    less), within the screen's free area."""
    body = dialog.findChild(QWidget, "loginBody")
    layout = dialog.layout()
    if body is None or layout is None:
        return
    margins = layout.contentsMargins()
    buttons = layout.itemAt(1)
    below = buttons.sizeHint().height() + layout.spacing() if buttons is not None else 0
    content = body.sizeHint()
    wanted_w = content.width() + margins.left() + margins.right()
    wanted_h = content.height() + below + margins.top() + margins.bottom()
    fit_to_screen(dialog, max(width, wanted_w), max(height, wanted_h), limit=True)


def _set_error_style(label: QLabel, error: bool) -> None:
    label.setProperty("error", error)
    label.style().unpolish(label)
    label.style().polish(label)


class BrowserLoginDialog(QDialog):
    """请在浏览器中完成登录: the county sign-in page opened in the system browser; this waits."""

    open_requested = Signal(str)
    """Open this URL in the browser (again)."""
    retry_requested = Signal()
    """The user wants a new attempt after an error."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in"))
        self.setObjectName("browserLoginDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.url = ""

        self.heading = QLabel(self.tr("Continue in your browser"), self)
        self.heading.setObjectName("loginHeading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.message = plain_label(QLabel(self))
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setText(self.tr("Opening the county sign-in page in your browser…"))
        self.message.setAccessibleName(self.tr("Sign-in status"))
        self.detail = detail_label(self)
        # A read-only line: the URL is long (PKCE challenge, state, nonce) and must not widen the
        # dialog, yet stays selectable.
        self.link = QLineEdit(self)
        self.link.setObjectName("loginLink")
        self.link.setReadOnly(True)
        self.link.setAccessibleName(self.tr("Sign-in link"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.rejected.connect(self.reject)
        self.open_button = buttons.addButton(
            self.tr("Open again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button = buttons.addButton(
            self.tr("Copy link"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.retry_button = buttons.addButton(
            self.tr("Try again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.retry_button.setAccessibleName(self.tr("Try signing in again"))
        for button in (self.open_button, self.copy_button):
            button.setEnabled(False)
        self.retry_button.hide()
        self.open_button.clicked.connect(lambda _=False: self.open_requested.emit(self.url))
        self.copy_button.clicked.connect(lambda _=False: self.copy_link())
        self.retry_button.clicked.connect(lambda _=False: self.retry_requested.emit())

        layout = QVBoxLayout()
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(self.detail)
        layout.addWidget(self.link)
        layout.addStretch(1)
        _scrolling(self, layout, buttons)
        _fit(self, 520, 260)

    def set_url(self, url: str) -> None:
        """The worker has the authorization URL: show it and let the user open or copy it."""
        self.url = url
        self.link.setText(url)
        self.link.setCursorPosition(0)
        self.message.setText(
            self.tr(
                "The county sign-in page is open in your browser. Sign in there; this window "
                "closes by itself when you are done. No browser page? Open it again, or copy "
                "the link into a browser on this computer."
            )
        )
        for button in (self.open_button, self.copy_button):
            button.setEnabled(True)

    def browser_failed(self) -> None:
        """The desktop could not open a browser: the link must be copied by hand."""
        self.message.setText(
            self.tr(
                "No browser could be opened. Copy the link into a browser on this computer and "
                "sign in there."
            )
        )
        self.copy_button.setFocus()

    def copy_link(self) -> None:
        if self.url:
            QGuiApplication.clipboard().setText(self.url)
            self.message.setText(self.tr("The link is copied. Paste it into your browser."))

    def show_error(self, text: str, detail: str = "") -> None:
        """``text``: what happened and what to do next; ``detail``: the technical detail."""
        self.message.setText(text)
        show_detail(self.detail, detail)
        _set_error_style(self.message, True)
        for button in (self.open_button, self.copy_button):
            button.setEnabled(False)
        self.retry_button.show()
        self.retry_button.setFocus()


class DeviceLoginDialog(QDialog):
    """A short code and a QR code: the user signs in on a phone or another device."""

    retry_requested = Signal()
    """The user wants a new code after an error or expiry."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in with another device"))
        self.setObjectName("deviceLoginDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.flow: DeviceFlow | None = None

        self.message = plain_label(QLabel(self))
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setText(self.tr("Getting a sign-in code…"))
        self.message.setAccessibleName(self.tr("Sign-in status"))
        self.detail = detail_label(self)

        self.qr = QLabel(self)
        self.qr.setObjectName("deviceQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setAccessibleName(self.tr("QR code of the sign-in address"))

        self.uri = plain_label(QLabel(self))
        self.uri.setObjectName("deviceUri")
        self.uri.setWordWrap(True)
        self.uri.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.uri.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.uri.setAccessibleName(self.tr("Sign-in address"))

        self.code = plain_label(QLabel(self))
        self.code.setObjectName("deviceCode")
        self.code.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        # Large enough to read across a desk; on the widget, so the app's 12 pt rule yields.
        self.code.setStyleSheet(f"font-size: {CODE_POINT_SIZE}pt; font-weight: bold;")
        font = QFont(self.code.font())
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 4)
        self.code.setFont(font)
        self.code.setAccessibleName(self.tr("Sign-in code"))
        self.copy_button = QPushButton(self.tr("Copy code"), self)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(lambda _=False: self.copy_code())

        self.countdown = QLabel(self)
        self.countdown.setObjectName("deviceCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.rejected.connect(self.reject)
        self.retry_button = buttons.addButton(
            self.tr("New code"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.retry_button.setAccessibleName(self.tr("Get a new sign-in code"))
        self.retry_button.hide()
        self.retry_button.clicked.connect(lambda _=False: self.retry_requested.emit())

        code_row = QHBoxLayout()
        code_row.addStretch(1)
        code_row.addWidget(self.code)
        code_row.addWidget(self.copy_button)
        code_row.addStretch(1)
        layout = QVBoxLayout()
        layout.addWidget(self.message)
        layout.addWidget(self.detail)
        layout.addWidget(self.qr)
        layout.addWidget(self.uri)
        layout.addLayout(code_row)
        layout.addWidget(self.countdown)
        _scrolling(self, layout, buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)

    def set_flow(self, flow: DeviceFlow) -> None:
        """Show the code, the address and its QR code, and count down to the code's expiry."""
        self.flow = flow
        self.message.setText(
            self.tr(
                "Scan the QR code with your phone, or open the address below in any browser and "
                "enter the code. Then sign in with your county account."
            )
        )
        self.code.setText(bounded(flow.user_code, 40))
        self.uri.setText(bounded(flow.verification_uri, 300))
        self.qr.setPixmap(qr_pixmap(flow.verification_uri_complete or flow.verification_uri))
        self.copy_button.setEnabled(True)
        self._tick()
        self._timer.start()
        _fit(self, self.width(), self.height())  # room for the QR code, if the screen has it

    def seconds_left(self) -> int:
        if self.flow is None:
            return 0
        return max(0, math.ceil(self.flow.expires_at - time.time()))

    def _tick(self) -> None:
        left = self.seconds_left()
        if left <= 0:
            self._timer.stop()
            self.countdown.setText(self.tr("The code has expired."))
            return
        self.countdown.setText(
            self.tr("The code expires in {minutes}:{seconds:02d}.").format(
                minutes=left // 60, seconds=left % 60
            )
        )

    def copy_code(self) -> None:
        if self.flow is not None:
            QGuiApplication.clipboard().setText(self.flow.user_code)

    def show_error(self, text: str, detail: str = "") -> None:
        """``text``: what happened and what to do next; ``detail``: the technical detail."""
        self._timer.stop()
        self.message.setText(text)
        show_detail(self.detail, detail)
        _set_error_style(self.message, True)
        self.qr.clear()
        self.code.clear()
        self.countdown.clear()
        self.copy_button.setEnabled(False)
        self.retry_button.show()
        self.retry_button.setFocus()

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)
