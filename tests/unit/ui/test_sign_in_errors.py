"""Each way signing in fails has its own words and next step; the technical detail is shown apart,
bounded and as plain text, in every sign-in dialog."""

from __future__ import annotations

import socket

import pytest
import requests
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from launcher.core.auth.failures import unreachable
from launcher.core.errors import AuthError
from launcher.core.secrets import KeyringUnavailable
from launcher.ui.login_modes import BrowserLoginDialog, DeviceLoginDialog
from launcher.ui.sign_in_errors import MAX_DETAIL_CHARS, reason_text, sign_in_error


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


REASONS = ("network", "dns", "timeout", "certificate", "server", "unreadable", "config",
           "refused", "forged", "signed-out", "expired", "interaction-required", "keyring")


def test_every_reason_has_its_own_sentence_with_a_next_step() -> None:
    texts = {reason: reason_text(reason) for reason in REASONS}
    assert len(set(texts.values())) == len(REASONS)
    generic = reason_text("something-new")
    assert generic not in texts.values()
    for reason, text in [*texts.items(), ("other", generic)]:
        assert any(step in text for step in ("Try again", "try again", "Contact", "contact",
                                             "sign in again")), reason


def test_a_refused_connection_is_a_network_failure_with_a_short_detail() -> None:
    try:
        requests.get(closed_port_url(), timeout=5)
    except requests.RequestException as exc:
        error = sign_in_error(unreachable(exc, "the provider's discovery document"))
    assert error.reason == "network"
    assert error.text == reason_text("network")
    assert "Connection refused" in error.detail
    for raw in ("ConnectionError", "MaxRetryError", "NewConnectionError", "HTTPConnectionPool"):
        assert raw not in error.detail


def test_the_detail_is_bounded_and_other_errors_get_the_general_words() -> None:
    long = sign_in_error(AuthError("x" * 10_000 + "\n" * 50, "refused"))
    assert len(long.detail) <= MAX_DETAIL_CHARS + 1 and long.detail.endswith("…")
    keyring = sign_in_error(KeyringUnavailable("no Secret Service"))
    assert keyring.reason == "keyring" and "keyring" in keyring.text
    bug = sign_in_error(KeyError("user"))
    assert (bug.reason, bug.text) == ("other", reason_text("other"))
    assert bug.detail == "KeyError: 'user'"
    cancelled = sign_in_error(AuthError("the sign-in was cancelled", "cancelled"))
    assert cancelled.reason == "cancelled"


@pytest.mark.parametrize("make", [BrowserLoginDialog, DeviceLoginDialog])
def test_dialogs_show_the_detail_apart_and_as_plain_text(qtbot: QtBot, make: type) -> None:
    dialog = make()
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.detail.isVisible()
    hostile = '<img src="/dev/zero"><b>refused</b>'
    dialog.show_error(reason_text("refused"), hostile)
    assert dialog.message.text() == reason_text("refused")
    assert dialog.detail.isVisible()
    assert dialog.detail.text() == f"Details: {hostile}"
    assert dialog.detail.textFormat() == Qt.TextFormat.PlainText
    dialog.show_error(reason_text("network"))
    assert not dialog.detail.isVisible()
