"""One login at the demo county's provider, then a token for every platform (real servers, keyring)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import keyring
import pytest
import requests

from launcher.core.auth.session import AuthSession
from launcher.core.county import load_county
from launcher.core.errors import AuthError
from launcher.core.registry import build_registry
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, sign_in_scripted
from launcher_demo import sign_in as demo_sign_in

pytestmark = pytest.mark.usefixtures("real_keyring")


@pytest.fixture
def session(demo_county: Any) -> Iterator[AuthSession]:
    county = load_county(demo_county.county_path)
    auth = AuthSession(county, build_registry(county), SecretStore(f"{county.id}-login-test"))
    yield auth
    auth.wipe_local()


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def sign_in(auth: AuthSession) -> tuple[Any, str]:
    flow = auth.begin_login()
    user = DEMO_USERS[0]
    return flow, sign_in_scripted(flow.auth_uri, user.username, user.password)


def test_one_login_gives_every_platform_its_own_token(
    session: AuthSession, demo_county: Any
) -> None:
    flow, callback = sign_in(session)
    assert "code_challenge_method=S256" in flow.auth_uri
    user = session.complete_login(flow, callback)
    assert user.name == DEMO_USERS[0].name
    tokens = {}
    for platform in session.registry.platforms:
        if platform.auth_kind == "password":  # the legacy platform: its own login, no token
            assert session.token_for(platform) is None
            continue
        token = session.token_for(platform)
        assert token
        tokens[platform.id] = token
        spec = platform.manifest.tasks
        assert spec is not None and spec.kind == "rest-json"
        answer = requests.get(
            platform.expand(spec.url), timeout=10, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 200, (platform.id, answer.text)
    assert len(set(tokens.values())) == len(tokens)
    # A token narrowed to one platform is refused by another.
    anquan, zhifa = session.registry.get("demo.anquan"), session.registry.get("demo.zhifa")
    assert anquan is not None and zhifa is not None and zhifa.manifest.tasks is not None
    refused = requests.get(
        zhifa.expand(zhifa.manifest.tasks.url),
        timeout=10,
        headers={"Authorization": f"Bearer {tokens['demo.anquan']}"},
    )
    assert refused.status_code == 401
    # Cached: asking again gives the same token without a new grant.
    assert session.token_for(anquan) == tokens["demo.anquan"]


def test_session_survives_a_restart_through_the_keyring(session: AuthSession) -> None:
    demo_sign_in(session)
    again = AuthSession(session.county, session.registry, session.secrets)
    assert again.restore() == session.user
    platform = session.registry.platforms[0]
    assert again.token_for(platform)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"state": "forged-state"}, "state mismatch"),
        ({"iss": "http://127.0.0.1:1"}, "names another provider"),
        ({"iss": None}, "iss missing"),
    ],
)
def test_forged_answers_are_refused(
    session: AuthSession, change: dict[str, str | None], message: str
) -> None:
    flow, callback = sign_in(session)
    with pytest.raises(AuthError, match=message) as info:
        session.complete_login(flow, with_query(callback, **change))
    assert info.value.reason == "forged"
    assert session.user is None and session.secrets.get("session") is None


def test_an_answer_is_good_once(session: AuthSession) -> None:
    flow, callback = sign_in(session)
    session.complete_login(flow, callback)
    with pytest.raises(AuthError, match="already used"):
        session.complete_login(flow, callback)


def test_code_from_another_flow_fails_pkce(session: AuthSession) -> None:
    flow_a, callback_a = sign_in(session)
    flow_b, _ = sign_in(session)
    # Graft A's code onto B's state: B's verifier does not match A's challenge.
    forged = with_query(callback_a, state=flow_b.state)
    with pytest.raises(AuthError, match="refused"):
        session.complete_login(flow_b, forged)
    assert flow_a is not flow_b


def test_logout_revokes_and_leaves_nothing_in_the_keyring(session: AuthSession) -> None:
    demo_sign_in(session)
    platform = session.registry.platforms[0]
    assert session.token_for(platform)
    stored = session.secrets.get("session")
    assert stored
    end_url = session.logout()
    assert end_url and "id_token_hint=" in end_url
    assert session.secrets.names() == []
    assert keyring.get_password(session.secrets.service, "session") is None
    # The provider revoked the refresh token: it cannot mint tokens any more.
    old_refresh = json.loads(stored)["refresh_token"]
    with pytest.raises(AuthError) as revoked:
        session.client.refresh(old_refresh, platform.scopes)
    assert revoked.value.reason == "signed-out"
    with pytest.raises(AuthError) as info:
        session.token_for(platform)
    assert info.value.reason == "signed-out"


def test_no_token_reaches_launcher_home(session: AuthSession, launcher_home: Path) -> None:
    demo_sign_in(session)
    values = [session.token_for(p) for p in session.registry.platforms if p.manifest.auth.sso]
    for path in launcher_home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for value in values:
                assert value and value.encode() not in data, path


def test_a_cas_county_is_refused_with_a_clear_message(session: AuthSession) -> None:
    from dataclasses import replace

    cas = replace(session.county, idp=replace(session.county.idp, kind="cas"))
    auth = AuthSession(cas, session.registry, session.secrets)
    with pytest.raises(AuthError, match=r"idp\.kind: 'cas' sign-in is not supported") as info:
        auth.begin_login()
    assert info.value.reason == "config"
