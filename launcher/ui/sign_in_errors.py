"""What the person is told when signing in (or out) fails: what happened and what to do next, in
their language, with the technical detail apart.

The core says why in a stable reason code (``AuthError.reason``, see launcher/core/errors.py); the
exception's message is the technical detail (English, for the county's IT team), shown on a line
of its own, bounded and as plain text: it may quote what the identity service answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from launcher.core.errors import AuthError, LauncherError
from launcher.core.secrets import KeyringUnavailable
from launcher.ui.plain_text import bounded, plain_label

translate = QCoreApplication.translate

MAX_DETAIL_CHARS = 300
"""The detail line is cut after this many characters (and three lines)."""


@dataclass(frozen=True)
class SignInError:
    reason: str
    """The reason code (``AuthError.reason``; ``keyring`` or ``other`` for other errors)."""
    text: str
    """What happened and what to do next, translated."""
    detail: str
    """The technical detail, bounded plain text ('' when there is none)."""


def sign_in_error(exc: BaseException) -> SignInError:
    """The person's words for a failed sign-in, sign-out or session restore."""
    if isinstance(exc, AuthError):
        reason = exc.reason
    elif isinstance(exc, KeyringUnavailable):
        reason = "keyring"
    else:
        reason = "other"
    # An error not foreseen (not the launcher's own): its class name helps whoever reads it.
    detail = str(exc) if isinstance(exc, LauncherError) else f"{type(exc).__name__}: {exc}"
    return SignInError(reason, reason_text(reason), bounded(detail, MAX_DETAIL_CHARS, lines=3))


def reason_text(reason: str) -> str:
    """The translated words for a reason code: what happened, and what to do next."""
    try_later = translate(
        "Login", "Try again later; if it keeps happening, contact the county IT team."
    )
    try_again = translate("Login", "Try again; if it keeps happening, contact the county IT team.")
    contact = translate("Login", "Contact the county IT team.")
    texts = {
        "network": (
            translate("Login", "The identity service cannot be reached. Check the network."),
            try_later,
        ),
        "dns": (
            translate(
                "Login",
                "The address of the county identity service cannot be found. Check that this "
                "computer is connected to the network.",
            ),
            try_later,
        ),
        "timeout": (
            translate("Login", "The county identity service did not answer in time."),
            try_later,
        ),
        "certificate": (
            translate(
                "Login",
                "This computer does not trust the security certificate of the county identity "
                "service, so the launcher did not connect. Contact the county IT team: the "
                "county's CA certificate may need to be installed.",
            ),
        ),
        "server": (
            translate("Login", "The county identity service has a fault right now."),
            try_later,
        ),
        "unreadable": (
            translate(
                "Login", "The county identity service gave an answer the launcher cannot read."
            ),
            try_later,
        ),
        "config": (translate("Login", "The county's identity service is set up wrongly."), contact),
        "refused": (translate("Login", "The identity service refused the sign-in."), try_again),
        "forged": (
            translate("Login", "The sign-in answer failed a security check and was rejected."),
            try_again,
        ),
        "signed-out": (translate("Login", "You are signed out. Please sign in again."),),
        "expired": (translate("Login", "The sign-in has expired. Please sign in again."),),
        "interaction-required": (
            translate(
                "Login",
                "The identity service needs you on its sign-in page. Please sign in again.",
            ),
        ),
        "keyring": (
            translate(
                "Login",
                "The launcher cannot keep your sign-in safely on this computer: the system "
                "keyring is not available.",
            ),
            contact,
        ),
    }
    return _sentences(texts.get(reason, (translate("Login", "Signing in failed."), try_again)))


def _sentences(parts: tuple[str, ...]) -> str:
    """Sentences one after the other: with a space in English, none after a Chinese 。."""
    text = ""
    for part in parts:
        gap = "" if not text or text.endswith(("。", "！", "？", "；")) else " "
        text += gap + part
    return text


def detail_line(detail: str) -> str:
    """The detail as shown under the sentence ('' for none)."""
    if not detail:
        return ""
    return translate("Login", "Details: {detail}").format(detail=detail)


def detail_label(parent: QWidget) -> QLabel:
    """The line under a sign-in dialog's message that shows an error's technical detail: plain
    text (it may quote the identity service), selectable, hidden until there is one."""
    label = plain_label(QLabel(parent))
    label.setObjectName("loginDetail")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(translate("Login", "Technical details"))
    label.hide()
    return label


def show_detail(label: QLabel, detail: str) -> None:
    """Show ``detail`` (already bounded) on ``label``, or hide it when there is none."""
    label.setText(detail_line(detail))
    label.setVisible(bool(detail))
