"""What the person is told when signing in (or out) fails: what happened and what to do next, in
their language, with the technical detail apart.

The core says why in an ``AuthReason`` (``AuthError.reason``, launcher/core/states.py), whose
words are in launcher/app/vocabulary.py; the exception's message is the technical detail
(English, for the county's IT team), shown on a line of its own, bounded and as plain text: it
may quote what the identity service answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from launcher.app.vocabulary import sign_in_says_call_it_team, sign_in_text
from launcher.core.errors import AuthError, LauncherError
from launcher.core.secrets import KeyringUnavailable
from launcher.core.states import AuthReason
from launcher.ui import language
from launcher.ui.plain_text import bounded, plain_label

translate = QCoreApplication.translate

MAX_DETAIL_CHARS = 300
"""The detail line is cut after this many characters (and three lines)."""


@dataclass(frozen=True)
class SignInError:
    reason: AuthReason
    """``AuthError.reason``; ``keyring`` or ``other`` for other errors."""
    text: str
    """What happened and what to do next, translated."""
    detail: str
    """The technical detail, bounded plain text ('' when there is none)."""


def sign_in_error(exc: BaseException, contact: str = "") -> SignInError:
    """The person's words for a failed sign-in, sign-out or session restore; ``contact`` (the
    county IT team, launcher/ui/contact.py ``contact_line``) on a line of its own after words
    that say to call them."""
    reason: AuthReason
    if isinstance(exc, AuthError):
        reason = exc.reason
    elif isinstance(exc, KeyringUnavailable):
        reason = AuthReason.KEYRING
    else:
        reason = AuthReason.OTHER
    # An error not foreseen (not the launcher's own): its class name helps whoever reads it.
    detail = str(exc) if isinstance(exc, LauncherError) else f"{type(exc).__name__}: {exc}"
    text = reason_text(reason)
    if contact and sign_in_says_call_it_team(reason):
        text = f"{text}\n{contact}"
    return SignInError(reason, text, bounded(detail, MAX_DETAIL_CHARS, lines=3))


def reason_text(reason: str) -> str:
    """The person's words for a reason code: what happened, and what to do next (one mapping
    with the command line's, launcher/app/vocabulary.py)."""
    return sign_in_text(reason, language.current())


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
