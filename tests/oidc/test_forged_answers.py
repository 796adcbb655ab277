"""Every forged or broken sign-in answer is refused with a clear message, against the real provider.

Answers are the provider's own, changed the way an attacker or a broken network would change them;
id_tokens that the provider would never issue (expired, from the future) are signed with a key the
provider itself publishes (the tests hand it its keys), so only the claim under test is wrong.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from launcher.app.services import Services
from launcher.core.auth.oidc import OidcClient
from launcher.core.auth.session import REDIRECT_URI
from launcher.core.errors import AuthError
from launcher_demo import DEMO_USERS, DemoCounty, sign_in_scripted
from tests.oidc.conftest import OidcProvider
from tests.oidc.provider_login import sign_in


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def assert_signed_out(services: Services) -> None:
    assert services.auth.user is None and services.auth.secrets.get("session") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": "forged-state"}, r"does not belong to this sign-in \(state mismatch\)"),
        ({"iss": "http://127.0.0.1:1"}, r"names another provider \(http://127.0.0.1:1\)"),
        ({"iss": None}, r"does not name its provider \(iss missing\)"),
    ],
)
def test_a_tampered_answer_is_refused_before_its_code_is_redeemed(
    provider_services: Services, oidc_provider: OidcProvider,
    change: dict[str, str | None], message: str,
) -> None:
    auth = provider_services.auth
    assert auth.client.metadata().iss_parameter_supported  # so a missing iss is a forgery
    flow = auth.begin_login()
    callback = sign_in(flow.auth_uri)
    assert query(callback)["iss"] == oidc_provider.issuer
    redeemed = oidc_provider.grants("authorization_code")
    with pytest.raises(AuthError, match=message) as info:
        auth.complete_login(flow, with_query(callback, **change))
    assert info.value.reason == "forged"
    assert oidc_provider.grants("authorization_code") == redeemed
    assert_signed_out(provider_services)


def test_a_code_is_good_once(provider_services: Services) -> None:
    auth = provider_services.auth
    flow = auth.begin_login()
    callback = sign_in(flow.auth_uri)
    auth.complete_login(flow, callback)
    with pytest.raises(AuthError, match="already used") as again:
        auth.complete_login(flow, callback)
    assert again.value.reason == "forged"
    # Replayed into a new flow: the provider refuses the spent code (and PKCE would too).
    second = auth.begin_login()
    with pytest.raises(AuthError, match="refused the sign-in answer's code: invalid_grant") as info:
        auth.complete_login(second, with_query(callback, state=second.state))
    assert info.value.reason == "refused"


def test_an_answer_with_a_wrong_nonce_is_refused(provider_services: Services) -> None:
    auth = provider_services.auth
    flow = auth.begin_login()
    # The request reaching the provider carries another nonce (as a request an attacker injected
    # would): the id_token it answers with does not belong to this flow.
    callback = sign_in(with_query(flow.auth_uri, nonce="someone-elses-nonce"))
    with pytest.raises(AuthError, match="nonce") as info:
        auth.complete_login(flow, callback)
    assert info.value.reason == "forged"
    assert_signed_out(provider_services)


def test_an_id_token_for_another_client_is_refused(oidc_provider: OidcProvider) -> None:
    other = OidcClient(oidc_provider.issuer, "another-app")
    flow = other.begin(REDIRECT_URI, ("openid", "profile"))
    answer = other.complete(flow, sign_in(flow.auth_uri))
    assert answer["id_claims"]["aud"] == "another-app"
    launcher = OidcClient(oidc_provider.issuer, "launcher")
    with pytest.raises(AuthError, match="aud") as info:
        launcher.validate_id_token(str(answer["id_token"]), flow.nonce)
    assert info.value.reason == "forged"


def _id_token(provider: OidcProvider, key: RSAKey | None = None, **changes: Any) -> str:
    now = int(time.time())
    claims = {"iss": provider.issuer, "aud": "launcher", "sub": "zhangwei", "nonce": "n-1",
              "iat": now, "exp": now + 600, **changes}
    claims = {k: v for k, v in claims.items() if v is not None}
    signer = key or provider.signing_keys[-1]  # a key the provider publishes
    return jwt.encode({"alg": "RS256", "kid": signer.kid}, claims, signer)


def test_a_token_signed_with_the_providers_key_is_accepted(oidc_provider: OidcProvider) -> None:
    # The control for the cases below: only the claim under test makes them fail.
    claims = OidcClient(oidc_provider.issuer, "launcher").validate_id_token(
        _id_token(oidc_provider), "n-1")
    assert claims["sub"] == "zhangwei"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exp": int(time.time()) - 3600}, "the id_token has expired"),
        ({"iat": int(time.time()) + 3600}, "iat|future"),
        ({"iss": "http://127.0.0.1:1"}, "iss"),
        ({"aud": "another-app"}, "aud"),
        ({"nonce": "n-2"}, "nonce"),
        ({"nonce": None}, "nonce"),
        ({"sub": None}, "sub"),
    ],
)
def test_a_wrong_id_token_claim_is_refused(
    oidc_provider: OidcProvider, changes: dict[str, Any], message: str
) -> None:
    client = OidcClient(oidc_provider.issuer, "launcher")
    with pytest.raises(AuthError, match=message) as info:
        client.validate_id_token(_id_token(oidc_provider, **changes), "n-1")
    assert info.value.reason == "forged"


def test_an_id_token_with_a_bad_signature_is_refused(oidc_provider: OidcProvider) -> None:
    client = OidcClient(oidc_provider.issuer, "launcher")
    client.keys()
    published = oidc_provider.signing_keys[-1]
    impostor = RSAKey.generate_key(2048, private=True, parameters={"kid": published.kid})
    with pytest.raises(AuthError, match="not validly signed") as info:
        client.validate_id_token(_id_token(oidc_provider, impostor), "n-1")
    assert info.value.reason == "forged"

    # An unknown kid is looked up once (the provider may have rotated its keys), then refused.
    stranger = RSAKey.generate_key(2048, private=True, parameters={"kid": "never-published"})
    fetches = oidc_provider.requests_to("/jwks")
    with pytest.raises(AuthError, match="not validly signed"):
        client.validate_id_token(_id_token(oidc_provider, stranger), "n-1")
    assert oidc_provider.requests_to("/jwks") - fetches == 1

    # Unsigned ("alg": "none") and tampered tokens.
    def b64(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    good = _id_token(oidc_provider)
    header, payload, signature = good.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    unsigned = f"{b64({'alg': 'none'})}.{b64(claims)}."
    tampered = f"{header}.{b64({**claims, 'sub': 'lina'})}.{signature}"
    for forged in (unsigned, tampered):
        with pytest.raises(AuthError, match="not validly signed") as info:
            client.validate_id_token(forged, "n-1")
        assert info.value.reason == "forged"


def test_a_provider_calling_itself_by_another_name_is_refused(
    provider_county: DemoCounty, oidc_provider: OidcProvider, tmp_path: Path, real_keyring: None
) -> None:
    # The county names the provider http://localhost:PORT; its discovery says 127.0.0.1.
    alias = oidc_provider.issuer.replace("127.0.0.1", "localhost")
    text = provider_county.county_path.read_text(encoding="utf-8")
    county = tmp_path / "county.toml"
    county.write_text(text.replace(f'"{oidc_provider.issuer}"', f'"{alias}"')
                      .replace('id = "demo-op"', 'id = "demo-op-alias"'), encoding="utf-8")
    services = Services.open(county)
    try:
        with pytest.raises(AuthError) as info:
            services.auth.begin_login()
        assert info.value.reason == "forged"
        assert str(info.value) == (
            f"the identity provider at {alias} calls itself {oidc_provider.issuer}; refusing it "
            "(a provider must name the issuer it is configured as)"
        )
    finally:
        services.close()


def test_mix_up_an_answer_of_another_provider_is_refused(
    provider_services: Services, oidc_provider: OidcProvider, demo_county: DemoCounty
) -> None:
    """Two providers (oidc-provider and the demo county's own): an answer from one, carrying the
    state of a flow at the other, is refused by its ``iss`` before any code is redeemed."""
    user = DEMO_USERS[0]
    auth = provider_services.auth
    demo = OidcClient(demo_county.issuer, "launcher")

    # A flow at oidc-provider, answered by the demo provider.
    flow = auth.begin_login()
    elsewhere = demo.begin(REDIRECT_URI, ("openid", "profile", "offline_access"))
    answer = sign_in_scripted(with_query(elsewhere.auth_uri, state=flow.state), user.username,
                              user.password)
    assert query(answer)["state"] == flow.state
    redeemed = oidc_provider.grants("authorization_code")
    with pytest.raises(AuthError, match=f"names another provider \\({demo_county.issuer}\\)"):
        auth.complete_login(flow, answer)
    assert oidc_provider.grants("authorization_code") == redeemed
    assert_signed_out(provider_services)

    # A flow at the demo provider, answered by oidc-provider.
    flow = demo.begin(REDIRECT_URI, ("openid", "profile", "offline_access"))
    other = auth.begin_login()
    answer = sign_in(with_query(other.auth_uri, state=flow.state))
    with pytest.raises(AuthError, match=f"names another provider \\({oidc_provider.issuer}\\)"):
        demo.complete(flow, answer)
    assert oidc_provider.grants("authorization_code") == redeemed
