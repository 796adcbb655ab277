"""Where the platform tokens and the session live between grants, against the real provider
(oidc-provider, which rotates refresh tokens) and the real keyring: every platform's token in one
keyring entry written behind, the session kept in memory and read again when another launcher
process (the real `launcher` command, or a second Services) changed it."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import keyring
import pytest

from launcher.app.services import Services
from launcher.core.auth.session import SHARED
from launcher.core.auth.tokens import ENTRY, KEY_PREFIX
from launcher.core.secrets import SecretStore
from tests.oidc.conftest import OidcProvider, log_in
from tests.oidc.launcher_cli import launcher
from tests.oidc.test_tokens import provider_claims, sso_platforms, stored_session

pytestmark = pytest.mark.usefixtures("real_keyring")


def count_writes(monkeypatch: pytest.MonkeyPatch, secrets: SecretStore) -> list[str]:
    """The names ``secrets`` writes from now on. Observation only: the real keyring write runs."""
    written: list[str] = []
    real_set = secrets.set

    def observed_set(name: str, value: str) -> None:
        written.append(name)
        real_set(name, value)

    monkeypatch.setattr(secrets, "set", observed_set)
    return written


def count_reads(monkeypatch: pytest.MonkeyPatch, secrets: SecretStore) -> list[str]:
    """The names ``secrets`` reads from now on (observation: the real keyring read runs)."""
    read: list[str] = []
    real_get = secrets.get

    def observed_get(name: str) -> str | None:
        read.append(name)
        return real_get(name)

    monkeypatch.setattr(secrets, "get", observed_get)
    return read


def held_tokens(secrets: SecretStore) -> dict[str, Any]:
    """The platforms' own tokens in the keyring entry (the sign-in's shared token left out)."""
    raw = secrets.get(ENTRY)
    held = json.loads(raw) if raw else {}
    held.pop(SHARED, None)
    return held  # type: ignore[no-any-return]


def all_current(services: Services) -> None:
    result = services.inbox.refresh()
    assert {s.state for s in result.states.values()} == {"current"}, result.states


def test_the_tokens_of_a_refresh_cost_one_keyring_write(
    provider_services: Services, oidc_provider: OidcProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = provider_services.auth
    platforms = sso_platforms(provider_services)
    log_in(auth)
    auth.tokens.write_delay = 3600  # only the flush below writes during this test
    writes = count_writes(monkeypatch, auth.secrets)
    reads = count_reads(monkeypatch, auth.secrets)
    before = oidc_provider.grants("refresh_token")

    all_current(provider_services)  # every platform at once, each obtaining its token
    assert oidc_provider.grants("refresh_token") - before == len(platforms)
    assert reads == [], "the session and the tokens are in memory since the sign-in"
    assert writes.count(ENTRY) == 0
    # The provider rotates the refresh token at every grant: that one is written at once.
    assert writes.count("session") == len(platforms)
    auth.tokens.flush()
    assert writes.count(ENTRY) == 1
    auth.tokens.flush()
    assert writes.count(ENTRY) == 1, "nothing left to write"
    held = held_tokens(auth.secrets)
    assert set(held) == {p.id for p in platforms}
    for platform in platforms:
        assert held[platform.id]["access_token"] == auth.token_for(platform)
    assert not [n for n in auth.secrets.names() if n.startswith(KEY_PREFIX)]


def test_close_writes_the_pending_tokens_for_the_next_process(
    provider_services: Services, oidc_provider: OidcProvider, launcher_home: Path
) -> None:
    log_in(provider_services.auth)
    window = Services.open(provider_services.county.path)  # the window, signed in
    try:
        assert window.auth.restore() is not None
        window.auth.tokens.write_delay = 3600
        all_current(window)
        # Only the sign-in's shared token is there: the platforms' are still waiting.
        assert held_tokens(window.auth.secrets) == {}, "still waiting to be written"
    finally:
        window.close()
    assert set(held_tokens(window.auth.secrets)) == {p.id for p in sso_platforms(window)}

    # A new process finds every token and needs no grant for them.
    before = oidc_provider.grants("refresh_token")
    cli = launcher(["inbox", "--county", str(provider_services.county.path), "--json"],
                   launcher_home)
    assert cli.returncode == 0, cli.stderr
    assert "launcher: demo." not in cli.stderr, cli.stderr
    assert oidc_provider.grants("refresh_token") == before


@pytest.mark.parametrize(
    "damage",
    ["{garbage", "[1, 2, 3]", "null", "shapes"],
)
def test_a_damaged_token_entry_is_logged_and_the_tokens_obtained_again(
    provider_services: Services,
    oidc_provider: OidcProvider,
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    auth = provider_services.auth
    platforms = sso_platforms(provider_services)
    log_in(auth)
    kept = platforms[0]
    kept_token = auth.token_for(kept)
    if damage == "shapes":  # one sound token among entries of every wrong shape
        raw = json.dumps({
            kept.id: {"access_token": kept_token, "expires_at": 4_000_000_000},
            platforms[1].id: "a token",
            platforms[2].id: {"access_token": "", "expires_at": 4_000_000_000},
            platforms[3].id: {"access_token": ["x"], "expires_at": 4_000_000_000},
            platforms[4].id: {"access_token": "no-expiry-1234"},
            platforms[5].id: {"access_token": "expiry-in-text", "expires_at": "tomorrow"},
        })
    else:
        raw = damage
    auth.secrets.set(ENTRY, raw)

    again = Services.open(provider_services.county.path)  # a restarted launcher
    try:
        assert again.auth.restore() is not None
        before = oidc_provider.grants("refresh_token")
        with caplog.at_level(logging.WARNING, logger="launcher.core.auth.tokens"):
            all_current(again)
        assert f"keyring entry {ENTRY!r}" in caplog.text
        obtained = oidc_provider.grants("refresh_token") - before
        if damage == "shapes":
            assert obtained == len(platforms) - 1
            assert again.auth.token_for(kept) == kept_token
        else:
            assert obtained == len(platforms)
    finally:
        again.close()
    assert set(held_tokens(auth.secrets)) == {p.id for p in platforms}, "repaired at close"


def test_entries_of_the_old_layout_are_ignored_and_removed_at_logout(
    provider_services: Services, oidc_provider: OidcProvider
) -> None:
    auth = provider_services.auth
    platforms = sso_platforms(provider_services)
    log_in(auth)
    # What a launcher of the previous version left: one entry per platform.
    for platform in platforms:
        old = {"access_token": f"old-layout-{platform.id}", "expires_at": 4_000_000_000}
        auth.secrets.set(KEY_PREFIX + platform.id, json.dumps(old))
    restarted = Services.open(provider_services.county.path)
    try:
        assert restarted.auth.restore() is not None
        token = restarted.auth.token_for(platforms[0])
        assert token and not token.startswith("old-layout-")
        assert provider_claims(oidc_provider, token)["aud"] == platforms[0].resource
        all_current(restarted)
        assert restarted.logout()
    finally:
        restarted.close()
    assert auth.secrets.names() == []
    for platform in platforms:
        assert keyring.get_password(auth.secrets.service, KEY_PREFIX + platform.id) is None
    assert keyring.get_password(auth.secrets.service, ENTRY) is None


def test_a_refresh_token_rotated_by_another_process_is_the_one_used_next(
    provider_services: Services, launcher_home: Path
) -> None:
    auth = provider_services.auth
    first = sso_platforms(provider_services)[0]
    log_in(auth)
    assert auth.token_for(first)
    mine = stored_session(provider_services)["refresh_token"]

    # `launcher inbox` in another process: it obtains every platform's token, rotating the refresh
    # token at each grant.
    cli = launcher(["inbox", "--county", str(provider_services.county.path), "--json"],
                   launcher_home)
    assert cli.returncode == 0, cli.stderr
    assert "launcher: demo." not in cli.stderr, cli.stderr
    assert stored_session(provider_services)["refresh_token"] != mine

    # This process goes on with the newest refresh token. With the one it held, the provider
    # would take the reuse for theft and revoke the whole grant (every process signed out).
    auth.invalidate(first)
    assert auth.token_for(first)
    all_current(provider_services)
    cli = launcher(["status", "--county", str(provider_services.county.path), "--json"],
                   launcher_home)
    assert json.loads(cli.stdout)["signed_in"] is True


def test_signed_out_by_another_process_asks_for_sign_in_here(
    provider_services: Services, launcher_home: Path
) -> None:
    log_in(provider_services.auth)
    window = Services.open(provider_services.county.path)
    try:
        auth = window.auth
        assert auth.restore() is not None
        all_current(window)  # every platform holds a token still valid for minutes
        auth.tokens.write_delay = 3600

        out = launcher(["logout", "--county", str(window.county.path)], launcher_home)
        assert out.returncode == 0, out.stderr

        result = window.inbox.refresh()
        for platform in sso_platforms(window):
            state = result.states[platform.id]
            assert (state.state, state.reason) == ("failed", "signed-out"), state
        status = auth.status()
        assert status.user is None and auth.user is None
        assert {p.state for p in status.platforms if p.auth_kind == "sso"} == {"signed-out"}
    finally:
        window.close()  # what the window does at exit: nothing is written back
    assert auth.secrets.names() == []


def test_signed_in_again_by_another_process_here_too(
    provider_services: Services, oidc_provider: OidcProvider
) -> None:
    auth = provider_services.auth
    platforms = sso_platforms(provider_services)
    log_in(auth, "zhangwei")
    all_current(provider_services)
    other = Services.open(provider_services.county.path)  # a second window
    try:
        log_in(other.auth, "lina")
    finally:
        other.close()

    all_current(provider_services)
    assert auth.user is not None and auth.user.username == "lina"
    for platform in platforms:  # zhangwei's tokens were dropped, not used for lina's session
        token = auth.token_for(platform)
        assert token and provider_claims(oidc_provider, token)["sub"] == "lina"


def test_a_refused_refresh_token_is_checked_against_the_keyring_once_more(
    provider_services: Services, oidc_provider: OidcProvider, tmp_path: Path
) -> None:
    """Another process whose change this one cannot see by the stamp (a launcher with another
    LAUNCHER_HOME, or one that could not write it) signed out and in again as someone else."""
    auth = provider_services.auth
    first = sso_platforms(provider_services)[0]
    log_in(auth, "zhangwei")
    assert auth.token_for(first)
    other = Services.open(provider_services.county.path)
    other.auth._stored.stamp_path = tmp_path / "another-home-stamp"  # white box: see docstring
    try:
        assert other.auth.restore() is not None
        other.auth.logout()  # revokes the refresh token this process holds
        log_in(other.auth, "lina")
    finally:
        other.close()

    auth.invalidate(first)
    token = auth.token_for(first)  # refused, read again from the keyring, granted
    assert token and provider_claims(oidc_provider, token)["sub"] == "lina"
    assert auth.user is not None and auth.user.username == "lina"
