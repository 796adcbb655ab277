"""oidc-provider on its defaults, as a county deploys it: refresh tokens only with
``prompt=consent`` (OpenID Connect Core §11), which the launcher sends with ``offline_access``; a
county that turns the prompt off gets no refresh token, a clear ``config`` error, and the access
token it received revoked at the provider (RFC 7662 introspection says so)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from launcher.app.services import Services
from launcher.core.auth.oidc import CLOCK_SKEW
from launcher.core.errors import AuthError
from launcher.core.states import AuthReason
from launcher_demo import DemoCounty
from tests.oidc.conftest import OidcProvider
from tests.oidc.launcher_cli import county_copy
from tests.oidc.provider_login import sign_in


def introspected(provider: OidcProvider, token: str) -> bool:
    answer = requests.post(f"{provider.issuer}/token/introspection",
                           data={"token": token, "client_id": "launcher"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return bool(answer.json().get("active"))


def test_prompt_consent_is_asked_with_offline_access_only_in_a_browser(
    provider_services: Services,
) -> None:
    auth = provider_services.auth
    query = parse_qs(urlsplit(auth.begin_login().auth_uri).query)
    assert query["prompt"] == ["consent"] and "offline_access" in query["scope"][0].split()
    silent = parse_qs(urlsplit(auth.begin_login(silent=True).auth_uri).query)
    assert silent["prompt"] == ["none"]


def test_without_consent_prompt_no_refresh_token_is_a_config_error_and_the_token_is_revoked(
    provider_county: DemoCounty, oidc_provider: OidcProvider, tmp_path: Path, real_keyring: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = county_copy(provider_county, "demo-op-noconsent", tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        'login = "embedded"', 'login = "embedded"\nconsent_prompt = false', 1)
    path.write_text(text, encoding="utf-8")
    services = Services.open(path)
    received: list[str] = []
    complete = services.auth.client.complete

    def keep_token(flow, callback):  # type: ignore[no-untyped-def]
        token = complete(flow, callback)
        received.append(str(token["access_token"]))
        return token

    monkeypatch.setattr(services.auth.client, "complete", keep_token)
    try:
        flow = services.auth.begin_login()
        assert "prompt=" not in flow.auth_uri
        with pytest.raises(AuthError) as failed:
            services.auth.complete_login(flow, sign_in(flow.auth_uri))
        assert failed.value.reason is AuthReason.CONFIG
        assert "scopes granted: openid profile" in str(failed.value)
        assert "offline_access" in str(failed.value) and "consent_prompt" in str(failed.value)
        assert services.auth.restore() is None
        assert received and not introspected(oidc_provider, received[0]), "revoked"
    finally:
        services.auth.wipe_local()
        services.close()


def test_unlocking_makes_the_provider_ask_again_and_only_the_same_person_opens_it(
    provider_services: Services, real_keyring: None
) -> None:
    """Shared PCs (issue 16): the provider keeps a session in the browser, so an ordinary
    sign-in would pass without a password; unlocking asks with prompt=login and max_age=0, the
    real oidc-provider shows its login form again, and only the locked person opens the lock."""
    from tests.oidc.provider_login import ProviderBrowser

    auth = provider_services.auth
    browser = ProviderBrowser()
    try:
        user = auth.complete_login(flow := auth.begin_login(), browser.sign_in(flow.auth_uri))
        his_refresh = json.loads(auth.secrets.get("session") or "{}")["refresh_token"]
        auth.lock()
        assert auth.locked
        again = auth.begin_login(reauthenticate=True)
        query = parse_qs(urlsplit(again.auth_uri).query)
        assert query["prompt"] == ["login consent"] and query["max_age"] == ["0"]
        # The provider's session (张伟's) does not answer it: its login form comes again, and
        # whoever types there is who signs in.
        other = auth.complete_login(again, browser.sign_in(again.auth_uri, username="lina"))
        assert other.sub != user.sub
        # His refresh token, gone from the PC, was revoked at the provider too.
        answer = requests.post(
            auth.client.metadata().token_endpoint,
            data={"grant_type": "refresh_token", "refresh_token": his_refresh,
                  "client_id": auth.client.client_id},
            timeout=10,
        )
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
        with pytest.raises(AuthError):
            auth.unlock(user=other)
        assert auth.locked
        third = auth.begin_login(reauthenticate=True)
        same = auth.complete_login(third, browser.sign_in(third.auth_uri, username=user.username))
        assert auth.unlock(user=same).sub == user.sub and not auth.locked
    finally:
        browser.close()
        auth.wipe_local()


def test_a_provider_answering_from_its_old_session_does_not_open_the_lock(
    provider_services: Services, real_keyring: None
) -> None:
    """A provider that ignores prompt=login and max_age answers an unlock from the session it
    keeps: its ID token's auth_time is that of the earlier sign-in, and the lock stays shut."""
    from tests.oidc.provider_login import ProviderBrowser

    auth = provider_services.auth
    browser = ProviderBrowser()
    try:
        first = auth.begin_login()
        auth.complete_login(first, browser.sign_in(first.auth_uri))
        auth.lock()
        time.sleep(2.1 + CLOCK_SKEW)  # auth_time counts whole seconds
        again = auth.begin_login(reauthenticate=True)
        # What such a provider does: as if neither parameter had been sent.
        parts = urlsplit(again.auth_uri)
        kept = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("prompt", "max_age")]
        ignored = urlunsplit(parts._replace(query=urlencode([*kept, ("prompt", "consent")])))
        with pytest.raises(AuthError, match="credentials again"):
            auth.complete_login(again, browser.sign_in(ignored))
        assert auth.locked
    finally:
        browser.close()
        auth.wipe_local()
