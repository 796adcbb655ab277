"""The window says truthfully what signing out did at the identity service (launcher/ui/session.py):
nothing more to say when every token was revoked; a warning when some stay valid there."""

from __future__ import annotations

from launcher.core.auth.identity import LogoutReport
from launcher.ui.session import _unrevoked_warning


def test_tokens_the_provider_did_not_revoke_are_named(qapp: object) -> None:
    assert _unrevoked_warning(None) == ""  # e.g. CAS: its logout ends the session at the server
    assert _unrevoked_warning(LogoutReport(revoked=("refresh_token", "access_token"))) == ""
    partly = LogoutReport(revoked=("refresh_token",),
                          not_revoked=(("access_token", "no-endpoint"), ("access_token", "failed")))
    assert "2 token(s)" in _unrevoked_warning(partly)
