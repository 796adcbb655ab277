"""One CAS login for the whole demo county, then every platform's API, then single logout.

Real servers: django-cas-server, the demo platforms speaking CAS, the real keyring.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from launcher.app.services import Services
from launcher.core.auth.cas import CasClient
from launcher.core.auth.cas_session import CasSession
from launcher.core.auth.oidc import LoginFlow
from launcher.core.county import load_county
from launcher.core.errors import AuthError
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.service import Inbox
from launcher.core.registry import Platform, build_registry
from launcher.core.secrets import SecretStore
from launcher_demo import DemoCounty
from launcher_demo.users import DEMO_USERS
from tests.cas.conftest import CasServer
from tests.cas.scripted import CasSignIn, sign_in

pytestmark = pytest.mark.usefixtures("real_keyring")
USER = DEMO_USERS[0]


@pytest.fixture
def session(cas_demo: DemoCounty) -> Iterator[CasSession]:
    county = load_county(cas_demo.county_path)
    auth = CasSession(county, build_registry(county), SecretStore(f"{county.id}-cas-test"))
    yield auth
    auth.wipe_local()


def log_in(session: CasSession) -> tuple[LoginFlow, CasSignIn]:
    flow = session.begin_login()
    return flow, sign_in(flow.auth_uri, USER.username, USER.password)


def signed_in(session: CasSession) -> CasSignIn:
    flow, browser = log_in(session)
    session.complete_login(flow, browser.callback, browser.cookies(session.client.server))
    return browser


def sso_platforms(session: CasSession) -> list[Platform]:
    return [p for p in session.registry.platforms if p.manifest.auth.sso]


def api_get(platform: Platform, token: str) -> requests.Response:
    assert platform.manifest.tasks is not None
    return requests.get(
        platform.expand(platform.manifest.tasks.url),
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_the_county_file_points_at_the_cas_server(
    cas_demo: DemoCounty, cas_server: CasServer
) -> None:
    idp = load_county(cas_demo.county_path).idp
    assert (idp.kind, idp.server, idp.cas_version) == ("cas", cas_server.url, 3)


def test_one_cas_login_gives_every_platform_its_token_and_fills_the_inbox(
    session: CasSession, cas_demo: DemoCounty, tmp_path: Path
) -> None:
    flow, browser = log_in(session)
    assert flow.redirect_uri == "http://127.0.0.1/cas-callback"
    user = session.complete_login(flow, browser.callback, browser.cookies(session.client.server))
    assert (user.name, user.username) == (USER.name, USER.username)
    assert session.secrets.names() == ["session"]

    tokens = {}
    for platform in sso_platforms(session):
        token = session.token_for(platform)
        assert token
        tokens[platform.id] = token
        assert api_get(platform, token).status_code == 200, platform.id
    assert len(tokens) == 7 and len(set(tokens.values())) == 7
    # Cached: asking again gives the same token without a new ticket.
    first = sso_platforms(session)[0]
    assert session.token_for(first) == tokens[first.id]
    # A platform's token is good at that platform only.
    other = sso_platforms(session)[1]
    assert api_get(other, tokens[first.id]).status_code == 401

    status = session.status()
    assert status.kind == "cas" and status.user == user
    assert {p.id: p.state for p in status.platforms if p.auth_kind == "sso"} == dict.fromkeys(
        tokens, "signed-in"
    )
    assert all(p.expires_at for p in status.platforms if p.auth_kind == "sso")

    cache = TaskCache(tmp_path / "tasks.sqlite3")
    try:
        result = Inbox(session.registry, cache, session.token_for).refresh()
    finally:
        cache.close()
    assert {s.state for s in result.states.values()} == {"current"}
    for platform in sso_platforms(session):
        expected = [t for t in cas_demo.tasks(platform.id) if t]  # the seeded tasks exist
        assert expected
        assert any(t.platform == platform.id for t in result.tasks), platform.id


def test_single_logout_ends_api_tokens_web_sessions_and_the_keyring(
    session: CasSession, cas_demo: DemoCounty
) -> None:
    browser = signed_in(session)
    platform = sso_platforms(session)[0]
    token = session.token_for(platform)
    assert token and api_get(platform, token).status_code == 200
    # The same browser opens the platform's web page: signed in through the CAS session.
    page = browser.http.get(platform.home, timeout=10)
    assert page.status_code == 200 and USER.name in page.text
    assert urlsplit(page.url).netloc == urlsplit(platform.base_url).netloc

    logout_url = session.logout()

    assert logout_url == f"{session.client.server}/logout"
    assert session.secrets.names() == []
    assert session.user is None and session.restore() is None
    # The CAS server told the platform: its API token and its web session are over.
    assert api_get(platform, token).status_code == 401
    page = browser.http.get(platform.home, timeout=10)
    assert urlsplit(page.url).path.endswith("/cas/login"), page.url
    assert 'id="login_form"' in page.text
    with pytest.raises(AuthError) as after:
        session.token_for(platform)
    assert after.value.reason == "signed-out"


def test_logout_wipes_the_keyring_even_when_the_cas_server_is_down(
    session: CasSession, caplog: pytest.LogCaptureFixture
) -> None:
    signed_in(session)
    session.token_for(sso_platforms(session)[0])
    # The county's CAS server moves to a port where nothing listens: the server is "down".
    down = "http://127.0.0.1:9/cas"
    stored = json.loads(session.secrets.get("session") or "{}")
    session.secrets.set("session", json.dumps({**stored, "server": down}))
    session.client = CasClient(down, 3, timeout=5)

    assert session.logout() == f"{down}/logout"

    assert session.secrets.names() == []
    assert "CAS server not told of the logout" in caplog.text


def test_a_cas_server_that_forgot_the_session_signs_the_platforms_out(
    session: CasSession,
) -> None:
    browser = signed_in(session)
    session.client.logout(browser.cookies(session.client.server))  # ended elsewhere
    with pytest.raises(AuthError, match="session has ended") as ended:
        session.token_for(sso_platforms(session)[0])
    assert ended.value.reason == "signed-out"


def test_a_sign_in_answer_is_good_once(session: CasSession) -> None:
    flow, browser = log_in(session)
    cookies = browser.cookies(session.client.server)
    session.complete_login(flow, browser.callback, cookies)
    with pytest.raises(AuthError, match="already used") as again:
        session.complete_login(flow, browser.callback, cookies)
    assert again.value.reason == "forged"


def test_a_replayed_ticket_is_refused_by_the_cas_server(session: CasSession) -> None:
    flow, browser = log_in(session)
    cookies = browser.cookies(session.client.server)
    session.complete_login(flow, browser.callback, cookies)
    with pytest.raises(AuthError, match="INVALID_TICKET"):
        session.complete_login(session.begin_login(), browser.callback, cookies)


def test_an_answer_to_another_address_is_refused(session: CasSession) -> None:
    flow, browser = log_in(session)
    elsewhere = browser.callback.replace("/cas-callback", "/other")
    with pytest.raises(AuthError, match="unexpected address") as refused:
        session.complete_login(flow, elsewhere, browser.cookies(session.client.server))
    assert refused.value.reason == "forged"
    assert session.user is None and session.secrets.names() == []


def test_a_ticket_issued_for_a_platform_does_not_sign_the_launcher_in(
    session: CasSession,
) -> None:
    browser = signed_in(session)
    session.wipe_local()
    cookies = browser.cookies(session.client.server)
    platform = sso_platforms(session)[0]
    stolen = session.client.service_ticket(platform.service, cookies)
    flow = session.begin_login()
    with pytest.raises(AuthError, match="INVALID_SERVICE") as refused:
        session.complete_login(flow, f"{flow.redirect_uri}?ticket={stolen}", cookies)
    assert refused.value.reason == "forged"
    assert session.secrets.names() == []


def test_a_login_without_the_cas_session_cookie_is_refused(session: CasSession) -> None:
    flow, browser = log_in(session)
    with pytest.raises(AuthError, match="no session cookie"):
        session.complete_login(flow, browser.callback, {})
    assert session.secrets.names() == []


def test_a_platform_without_a_cas_service_is_named(session: CasSession) -> None:
    import dataclasses

    signed_in(session)
    platform = sso_platforms(session)[0]
    bare = dataclasses.replace(
        platform,
        manifest=dataclasses.replace(
            platform.manifest, auth=dataclasses.replace(platform.manifest.auth, service="")
        ),
    )
    with pytest.raises(AuthError, match=r"auth\.service is missing") as missing:
        session.token_for(bare)
    assert missing.value.reason == "config"


def test_embedded_only(session: CasSession) -> None:
    with pytest.raises(AuthError, match="CAS counties sign in in the launcher's window"):
        session.begin_device()


def test_services_open_a_cas_session_for_a_cas_county(cas_demo: DemoCounty) -> None:
    services = Services.open(cas_demo.county_path)
    try:
        assert isinstance(services.auth, CasSession)
        assert services.auth.scopes() == ()
        assert services.auth.restore() is None
    finally:
        services.close()
