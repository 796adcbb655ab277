"""A demo platform trusts whichever issuer it is configured with: its web sign-in at oidc-provider
(registered there by RFC 7591), its API's audience check (RFC 9068 / RFC 8707), and the built-in
demo provider's own resource indicators."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from launcher.core.auth.session import AuthSession
from launcher.core.county import load_county
from launcher.core.registry import build_registry
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty, sign_in, sign_in_scripted
from launcher_demo.bearer import api_resource
from launcher_demo.platforms import PLATFORMS
from tests.oidc.conftest import OidcProvider
from tests.oidc.provider_login import ProviderBrowser

TIMEOUT = 10


def test_a_platform_page_signs_in_at_the_providers_login(
    provider_county: DemoCounty, oidc_provider: OidcProvider
) -> None:
    spec = PLATFORMS[0]
    base = provider_county.base_urls[spec.plugin_id]
    browser = ProviderBrowser()
    try:
        page = browser.http.get(f"{base}/", timeout=TIMEOUT)  # -> /auth/login -> the provider
        assert urlsplit(page.url).netloc == urlsplit(oidc_provider.issuer).netloc, page.url
        assert page.history and page.history[-1].is_redirect
        callback = browser.sign_in(page.url, "lina")
        assert callback.startswith(f"{base}/auth/callback?") and "code=" in callback
        home = browser.http.get(callback, timeout=TIMEOUT)
        assert home.status_code == 200 and urlsplit(home.url).path == "/"
        assert "已登录：李娜" in home.text
        # The provider's session signs the same browser in to a second platform: no login form.
        other = provider_county.base_urls[PLATFORMS[1].plugin_id]
        second = browser.http.get(f"{other}/auth/login", timeout=TIMEOUT)
        assert urlsplit(second.url).netloc == urlsplit(other).netloc, second.url
        assert "已登录：李娜" in second.text
    finally:
        browser.close()


# --- the built-in demo provider understands resource indicators too ----------------------------


REDIRECT = "http://127.0.0.1:53682/callback"


def _demo_refresh_token(county: DemoCounty) -> str:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    scopes = ["openid", "profile", "offline_access", *(s.scope for s in county.specs)]
    params = {
        "response_type": "code", "client_id": "launcher", "redirect_uri": REDIRECT,
        "scope": " ".join(scopes), "state": "s", "nonce": secrets.token_urlsafe(8),
        "code_challenge": challenge.rstrip(b"=").decode(), "code_challenge_method": "S256",
    }
    user = DEMO_USERS[0]
    callback = sign_in_scripted(f"{county.issuer}/authorize?{urlencode(params)}",
                                user.username, user.password)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    answer = requests.post(f"{county.issuer}/token", timeout=TIMEOUT, data={
        "grant_type": "authorization_code", "code": code, "client_id": "launcher",
        "redirect_uri": REDIRECT, "code_verifier": verifier})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["refresh_token"])


def _refresh(county: DemoCounty, token: str, scope: str,
             *resources: str) -> requests.Response:
    data: list[tuple[str, str]] = [("grant_type", "refresh_token"), ("refresh_token", token),
                                   ("client_id", "launcher"), ("scope", scope)]
    data += [("resource", r) for r in resources]
    return requests.post(f"{county.issuer}/token", data=data, timeout=TIMEOUT)


def test_the_demo_provider_issues_a_token_for_the_named_resource(demo_county: DemoCounty) -> None:
    first, second = demo_county.specs[0], demo_county.specs[1]
    resource = api_resource(demo_county.base_urls[first.plugin_id])
    token = _demo_refresh_token(demo_county)
    answer = _refresh(demo_county, token, first.scope, resource)
    assert answer.status_code == 200, answer.text
    keys = KeySet.import_key_set(requests.get(f"{demo_county.issuer}/jwks", timeout=10).json())
    claims = jwt.decode(answer.json()["access_token"], keys).claims
    assert claims["aud"] == resource and claims["scope"] == first.scope

    other = api_resource(demo_county.base_urls[second.plugin_id])
    for refused in (
        _refresh(demo_county, token, first.scope, other),  # not covered by the scope asked
        _refresh(demo_county, token, first.scope, "http://127.0.0.1:1/api"),  # unknown
        _refresh(demo_county, token, f"{first.scope} {second.scope}", resource, other),  # two
    ):
        assert refused.status_code == 400, refused.text
        assert refused.json()["error"] == "invalid_target"


@pytest.mark.usefixtures("real_keyring")
def test_the_launcher_gets_audience_bound_tokens_at_the_demo_provider(
    demo_county: DemoCounty,
) -> None:
    county = load_county(demo_county.county_path)
    auth = AuthSession(county, build_registry(county), SecretStore(f"{county.id}-resource-test"))
    try:
        sign_in(auth)
        keys = KeySet.import_key_set(requests.get(f"{demo_county.issuer}/jwks", timeout=10).json())
        platforms = [p for p in auth.registry.platforms if p.manifest.auth.sso]
        assert platforms
        for platform in platforms:
            token = auth.token_for(platform)
            assert token
            assert jwt.decode(token, keys).claims["aud"] == platform.resource
    finally:
        auth.wipe_local()
