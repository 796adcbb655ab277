"""CasClient against the real CAS server (django-cas-server): validation in CAS 3 and CAS 2,
tickets for other services from the CAS session, refusals with the CAS server's own reasons."""

from __future__ import annotations

import pytest

from launcher.core.auth.cas import CasClient, ticket_from
from launcher.core.errors import AuthError
from launcher_demo.users import DEMO_USERS
from tests.cas.conftest import CasServer
from tests.cas.scripted import CasSignIn, sign_in

LAUNCHER_SERVICE = "http://127.0.0.1/cas-callback"
PLATFORM_SERVICE = "http://127.0.0.1:9/api/cas/session"
"""A platform service URL: nothing listens there, the CAS server only needs to allow it."""
USER = DEMO_USERS[0]


@pytest.fixture
def client(cas_server: CasServer) -> CasClient:
    return CasClient(cas_server.url, 3)


@pytest.fixture
def signed_in(client: CasClient, cas_server: CasServer) -> CasSignIn:
    return sign_in(client.login_url(LAUNCHER_SERVICE), USER.username, USER.password)


def test_login_url_names_the_service(client: CasClient, cas_server: CasServer) -> None:
    assert client.login_url(LAUNCHER_SERVICE) == (
        f"{cas_server.url}/login?service=http%3A%2F%2F127.0.0.1%2Fcas-callback"
    )


def test_cas3_validation_gives_the_user_and_the_released_attributes(
    client: CasClient, signed_in: CasSignIn
) -> None:
    assert signed_in.callback.startswith(LAUNCHER_SERVICE + "?ticket=ST-")
    user = client.validate(LAUNCHER_SERVICE, ticket_from(signed_in.callback))
    assert user.user == USER.username
    assert user.attribute("name") == USER.name
    assert user.attribute("username") == USER.username
    # Only what the service pattern releases: never the password hash or other user fields.
    assert "password" not in user.attributes and "email" not in user.attributes


def test_cas2_validates_at_service_validate(cas_server: CasServer, signed_in: CasSignIn) -> None:
    v2 = CasClient(cas_server.url, 2)
    assert v2.validate_url() == f"{cas_server.url}/serviceValidate"
    user = v2.validate(LAUNCHER_SERVICE, ticket_from(signed_in.callback))
    assert user.user == USER.username


def test_a_ticket_is_good_once(client: CasClient, signed_in: CasSignIn) -> None:
    ticket = ticket_from(signed_in.callback)
    client.validate(LAUNCHER_SERVICE, ticket)
    with pytest.raises(AuthError, match="INVALID_TICKET") as refused:
        client.validate(LAUNCHER_SERVICE, ticket)
    assert refused.value.reason == "refused"


def test_a_forged_ticket_is_refused(client: CasClient) -> None:
    with pytest.raises(AuthError, match="INVALID_TICKET") as refused:
        client.validate(LAUNCHER_SERVICE, "ST-forged0000000000000000000000000000000000000000000")
    assert "the CAS server refused the ticket" in str(refused.value)


def test_a_ticket_for_another_service_is_refused(
    client: CasClient, signed_in: CasSignIn
) -> None:
    with pytest.raises(AuthError, match="INVALID_SERVICE") as refused:
        client.validate(PLATFORM_SERVICE, ticket_from(signed_in.callback))
    assert refused.value.reason == "forged"


def test_the_cas_session_gets_tickets_for_other_services_until_logout(
    client: CasClient, signed_in: CasSignIn, cas_server: CasServer
) -> None:
    cookies = signed_in.cookies(cas_server.url)
    ticket = client.service_ticket(PLATFORM_SERVICE, cookies)
    assert ticket.startswith("ST-")
    assert client.validate(PLATFORM_SERVICE, ticket).user == USER.username
    # Without the session's cookies, the CAS server asks for a login instead of giving a ticket.
    with pytest.raises(AuthError) as anonymous:
        client.service_ticket(PLATFORM_SERVICE, {})
    assert anonymous.value.reason == "signed-out"

    client.logout(cookies)
    with pytest.raises(AuthError, match="session has ended") as ended:
        client.service_ticket(PLATFORM_SERVICE, cookies)
    assert ended.value.reason == "signed-out"


def test_a_service_the_cas_server_does_not_allow_gets_no_ticket(
    client: CasClient, signed_in: CasSignIn, cas_server: CasServer
) -> None:
    with pytest.raises(AuthError):
        client.service_ticket("http://evil.example/steal", signed_in.cookies(cas_server.url))


def test_an_unreachable_cas_server_is_a_network_error() -> None:
    client = CasClient("http://127.0.0.1:9/cas", 3, timeout=5)
    with pytest.raises(AuthError) as down:
        client.validate(LAUNCHER_SERVICE, "ST-1")
    assert down.value.reason == "network"


def test_a_cas_server_of_another_protocol_version_is_a_config_error() -> None:
    with pytest.raises(AuthError) as wrong:
        CasClient("http://127.0.0.1:9/cas", 1)
    assert wrong.value.reason == "config"
