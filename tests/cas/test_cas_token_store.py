"""The CAS session kept in memory between platform tokens, and read again when another launcher
process changed it. Real servers: django-cas-server, the demo platforms speaking CAS, the keyring."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from launcher.core.auth.cas_session import CasSession
from launcher.core.auth.tokens import ENTRY
from launcher.core.county import load_county
from launcher.core.errors import AuthError
from launcher.core.registry import build_registry
from launcher.core.secrets import SecretStore
from launcher_demo import DemoCounty
from tests.cas.test_cas_session import signed_in, sso_platforms

pytestmark = pytest.mark.usefixtures("real_keyring")


@pytest.fixture
def session(cas_demo: DemoCounty) -> Iterator[CasSession]:
    county = load_county(cas_demo.county_path)
    auth = CasSession(county, build_registry(county), SecretStore(f"{county.id}-cas-store-test"))
    yield auth
    auth.wipe_local()


def test_tokens_need_no_keyring_read_and_a_logout_elsewhere_ends_them_here(
    session: CasSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(session)
    reads: list[str] = []
    real_get = session.secrets.get

    def observed_get(name: str) -> str | None:  # observation only: the real keyring read runs
        reads.append(name)
        return real_get(name)

    monkeypatch.setattr(session.secrets, "get", observed_get)
    platforms = sso_platforms(session)
    for platform in platforms:
        assert session.token_for(platform)
    assert reads == [], "the session and the tokens are in memory since the sign-in"
    session.tokens.flush()
    assert set(session.tokens.all()[0]) == {"access_token", "expires_at"}
    assert ENTRY in session.secrets.names()

    # A second window of the same county signs out.
    other = CasSession(session.county, session.registry, session.secrets)
    assert other.restore() is not None
    other.logout()

    with pytest.raises(AuthError) as ended:
        session.token_for(platforms[0])
    assert ended.value.reason == "signed-out"
    assert session.user is None and session.web_cookies() == {}
    assert session.status().user is None
    session.tokens.flush()
    assert session.secrets.names() == []
