"""Per-platform tokens from one login at the real provider (oidc-provider): RFC 8707 resource
indicators, refresh-token rotation, collapsed refreshes, key rotation, revocation and logout."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from launcher.app.services import Services
from launcher.core.auth.oidc import OidcClient
from launcher.core.auth.tokens import ENTRY
from launcher.core.errors import AuthError
from launcher.core.inbox.sources import RestJsonSource
from launcher.core.registry import Platform
from launcher_demo import DemoCounty
from tests.masked_log import masked_debug_log
from tests.oidc.conftest import OidcProvider, log_in


def provider_claims(provider: OidcProvider, token: str) -> dict[str, Any]:
    """The claims of a token, after checking its signature with the provider's published keys."""
    keys = KeySet.import_key_set(requests.get(f"{provider.issuer}/jwks", timeout=10).json())
    return dict(jwt.decode(token, keys, algorithms=["RS256"]).claims)


def sso_platforms(services: Services) -> list[Platform]:
    return [p for p in services.registry.platforms if p.manifest.auth.sso]


def stored_session(services: Services) -> dict[str, Any]:
    raw = services.auth.secrets.get("session")
    assert raw, "no session in the keyring"
    return json.loads(raw)  # type: ignore[no-any-return]


def api_status(platform: Platform, token: str) -> int:
    answer = requests.get(RestJsonSource(platform).url, timeout=10,
                          headers={"Authorization": f"Bearer {token}"})
    return answer.status_code


def test_one_login_gives_each_platform_a_token_for_its_own_api(
    provider_services: Services, oidc_provider: OidcProvider
) -> None:
    auth = provider_services.auth
    platforms = sso_platforms(provider_services)
    assert len(platforms) >= 7
    flow = auth.begin_login()
    for platform in platforms:  # the one login asks for every platform's API
        assert platform.resource == platform.base_url + "/api"
        assert platform.resource in flow.resources
    user = log_in(auth)
    assert (user.username, user.name) == ("zhangwei", "张伟")

    before = oidc_provider.grants("refresh_token")
    tokens = {p.id: auth.token_for(p) for p in platforms}
    assert oidc_provider.grants("refresh_token") - before == len(platforms)
    assert len(set(tokens.values())) == len(platforms)
    for platform in platforms:
        token = tokens[platform.id]
        assert token
        claims = provider_claims(oidc_provider, token)
        assert claims["aud"] == platform.resource, platform.id
        assert claims["scope"].split() == list(platform.scopes)
        assert claims["iss"] == oidc_provider.issuer and claims["sub"] == "zhangwei"
        assert claims["client_id"] == "launcher"
        assert api_status(platform, token) == 200
    # A token for one platform's API is refused by another's (its audience is wrong).
    first, second = platforms[0], platforms[1]
    assert api_status(second, str(tokens[first.id])) == 401
    # Cached: no new grant for a token that is still fresh.
    assert auth.token_for(first) == tokens[first.id]
    assert oidc_provider.grants("refresh_token") - before == len(platforms)

    result = provider_services.inbox.refresh()
    assert {s.state for s in result.states.values()} == {"current"}, result.states
    for platform in platforms:
        assert result.states[platform.id].count > 0, platform.id
        assert any(t.platform == platform.id for t in result.tasks)


def test_refresh_rotation_keeps_the_newest_refresh_token(
    provider_services: Services, oidc_provider: OidcProvider
) -> None:
    auth = provider_services.auth
    first, second, third, fourth = sso_platforms(provider_services)[:4]
    log_in(auth)
    original = stored_session(provider_services)["refresh_token"]
    assert auth.token_for(first)
    rotated = stored_session(provider_services)["refresh_token"]
    assert rotated != original, "the provider rotates refresh tokens; the new one is kept"
    assert auth.token_for(second)
    newest = stored_session(provider_services)["refresh_token"]
    assert newest not in (original, rotated)

    # A restarted launcher finds the newest refresh token in the keyring and goes on with it.
    again = Services.open(provider_services.county.path)
    try:
        assert again.auth.restore() is not None
        assert again.auth.token_for(third)
    finally:
        again.close()

    # The old refresh token is refused. oidc-provider takes the replay for theft and revokes the
    # whole grant, so the session is then over too (asks for a new sign-in).
    client = OidcClient(oidc_provider.issuer, "launcher")
    with pytest.raises(AuthError, match="invalid_grant") as refused:
        client.refresh(original, first.scopes, first.resource)
    assert refused.value.reason == "signed-out"
    with pytest.raises(AuthError) as ended:
        auth.token_for(fourth)
    assert ended.value.reason == "signed-out"


def test_concurrent_token_requests_make_one_refresh_per_platform(
    provider_services: Services, oidc_provider: OidcProvider
) -> None:
    auth = provider_services.auth
    platforms = sso_platforms(provider_services)
    log_in(auth)
    before = oidc_provider.grants("refresh_token")
    start = threading.Barrier(8)
    results: list[str | None] = []
    errors: list[BaseException] = []

    def ask(platform: Platform) -> None:
        start.wait()
        try:
            results.append(auth.token_for(platform))
        except BaseException as exc:  # reported by the assertions below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(platforms[0],)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(results) == 8
    assert len(set(results)) == 1
    assert oidc_provider.grants("refresh_token") - before == 1

    # Every platform at once: refreshes with a rotating refresh token must not race each other
    # (a reused refresh token would make the provider revoke the whole grant).
    start = threading.Barrier(len(platforms) - 1)
    results.clear()
    threads = [threading.Thread(target=ask, args=(p,)) for p in platforms[1:]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert len(set(results)) == len(platforms) - 1
    assert oidc_provider.grants("refresh_token") - before == len(platforms)


def _kid(token: str) -> str:
    return str(extract_compact(token.encode()).headers()["kid"])


def test_after_key_rotation_the_new_key_is_fetched_once(
    provider_services: Services, oidc_provider: OidcProvider
) -> None:
    auth = provider_services.auth
    log_in(auth)
    old_kid = _kid(stored_session(provider_services)["id_token"])
    assert provider_services.inbox.refresh().states  # the platforms cache the key set too

    new_kid = oidc_provider.rotate_keys()
    assert new_kid != old_kid
    # The session outlives the rotation: its refresh token still gets tokens, now with the new key.
    first = sso_platforms(provider_services)[0]
    auth.invalidate(first)
    token = auth.token_for(first)
    assert token and _kid(token) == new_kid
    fetches = oidc_provider.requests_to("/jwks")
    log_in(auth)  # the same client, with the old key set cached
    assert _kid(stored_session(provider_services)["id_token"]) == new_kid
    assert oidc_provider.requests_to("/jwks") - fetches == 1, "one refetch for the unknown kid"
    log_in(auth)
    assert oidc_provider.requests_to("/jwks") - fetches == 1, "and none once it is known"

    # The platforms meet the new kid in the access tokens and refetch their key sets as well.
    result = provider_services.inbox.refresh()
    assert {s.state for s in result.states.values()} == {"current"}, result.states


def _plant_token(services: Services, platform: Platform, token: str) -> None:
    """Put ``token`` in the keyring as ``platform``'s access token, as if it were still valid.

    The platform's API then really refuses it (it was issued for another API): the launcher meets
    exactly what it meets when a platform stops accepting a token it holds. The launcher reads it
    back from the keyring, as a restarted one would.
    """
    tokens = services.auth.tokens
    tokens.flush()
    held = json.loads(services.auth.secrets.get(ENTRY) or "{}")
    held[platform.id] = {"access_token": token, "expires_at": 4_000_000_000}
    services.auth.secrets.set(ENTRY, json.dumps(held))
    tokens.forget()


def test_a_refused_token_is_replaced_and_a_revoked_session_affects_that_platform_only(
    provider_services: Services, oidc_provider: OidcProvider, provider_county: DemoCounty
) -> None:
    auth, inbox = provider_services.auth, provider_services.inbox
    platforms = sso_platforms(provider_services)
    victim, other = platforms[0], platforms[1]
    log_in(auth)
    assert {s.state for s in inbox.refresh().states.values()} == {"current"}
    other_token = auth.token_for(other)
    assert other_token

    # The platform refuses the token the launcher holds: one fresh token, one retry, success.
    _plant_token(provider_services, victim, other_token)
    before = oidc_provider.grants("refresh_token")
    result = inbox.refresh([victim.id])
    assert result.states[victim.id].state == "current", result.states[victim.id]
    assert oidc_provider.grants("refresh_token") - before == 1
    fresh = auth.token_for(victim)
    assert fresh and provider_claims(oidc_provider, fresh)["aud"] == victim.resource

    # The refresh token is revoked at the provider (an administrator, another device...). The
    # platform refuses its token again; the fresh one cannot be had: that platform asks for a new
    # sign-in, keeps its cached tasks, and every other platform goes on with its own token.
    oidc_provider.revoke(stored_session(provider_services)["refresh_token"])
    _plant_token(provider_services, victim, other_token)
    result = inbox.refresh()
    state = result.states[victim.id]
    assert (state.state, state.reason) == ("failed", "signed-out"), state
    assert "no token" in state.message and "invalid_grant" in state.message
    assert state.count > 0 and any(t.platform == victim.id for t in result.tasks)
    for platform in platforms[1:]:
        assert result.states[platform.id].state == "current", result.states[platform.id]

    # Signing in again brings that platform back; the others never noticed.
    log_in(auth)
    result = inbox.refresh()
    assert {s.state for s in result.states.values()} == {"current"}, result.states


def test_logout_revokes_and_leaves_no_secret_behind(
    provider_services: Services, oidc_provider: OidcProvider, launcher_home: Path
) -> None:
    log_file = launcher_home / "logs" / "oidc-session-test.log"
    with masked_debug_log(log_file):
        auth = provider_services.auth
        log_in(auth)
        assert {s.state for s in provider_services.inbox.refresh().states.values()} == {"current"}
        stored = stored_session(provider_services)
        secrets = [stored["refresh_token"], stored["id_token"]]
        auth.tokens.flush()
        for entry in json.loads(auth.secrets.get(ENTRY) or "{}").values():
            secrets.append(entry["access_token"])
        # Each platform's token and the sign-in's own (the shared token, for /userinfo only).
        assert len(secrets) == 2 + len(sso_platforms(provider_services)) + 1

        end_url = provider_services.logout()

    assert end_url and end_url.startswith(f"{oidc_provider.issuer}/session/end?")
    assert "id_token_hint=" in end_url
    assert auth.secrets.names() == [] and auth.user is None
    with pytest.raises(AuthError) as revoked:
        OidcClient(oidc_provider.issuer, "launcher").refresh(stored["refresh_token"])
    assert revoked.value.reason == "signed-out"
    assert provider_services.cache.load() == [], "the user's task list is forgotten"
    logged = log_file.read_text(encoding="utf-8")
    assert "signed in as zhangwei" in logged
    # The refresh token was revoked; the JWT access tokens cannot be (RFC 7009 §2.2.1) and lapse.
    assert "revoking a refresh_token failed" not in logged
    assert "the provider cannot revoke this access_token" in logged
    # And the logout says so: the refresh token and the opaque sign-in token revoked, the JWTs not.
    report = auth.last_logout
    assert report is not None and sorted(report.revoked) == ["access_token", "refresh_token"]
    assert report.not_revoked == tuple(
        ("access_token", "unsupported") for _ in sso_platforms(provider_services)
    )
    for path in launcher_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode() not in data, f"a token in {path}"


def test_a_token_is_renewed_ahead_of_its_expiry(
    provider_services: Services, oidc_provider: OidcProvider
) -> None:
    auth = provider_services.auth
    short, normal = sso_platforms(provider_services)[-2:]
    # This platform's tokens now live 30 s: less than the launcher's 60 s renewal margin.
    oidc_provider.register_resources({short.resource: {"scope": " ".join(short.scopes),
                                                       "accessTokenTTL": 30}})
    try:
        log_in(auth)
        before = oidc_provider.grants("refresh_token")
        first = auth.token_for(short)
        assert first and 0 < provider_claims(oidc_provider, first)["exp"] - time.time() <= 30
        second = auth.token_for(short)
        assert second and second != first, "a token about to expire is not handed out"
        assert auth.token_for(normal) == auth.token_for(normal)
        assert oidc_provider.grants("refresh_token") - before == 3
    finally:
        oidc_provider.register_resources({short.resource: " ".join(short.scopes)})
