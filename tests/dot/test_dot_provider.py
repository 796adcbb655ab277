"""Sign-in, per-platform tokens, the inbox and logout against django-oauth-toolkit on its defaults.

DOT publishes its revocation endpoint only in RFC 8414 metadata, puts no name in its id_token (the
launcher reads userinfo), and ties a refresh token to the scope of its last use: a county using it
picks ``[idp] tokens = "shared"``, and with ``narrowed`` a refused narrowing is its own state.
"""

from __future__ import annotations

import json

import pytest

from launcher.app.services import Services
from launcher.app.session import logout_report
from launcher.core.auth.session import SHARED
from launcher.core.errors import AuthError
from launcher.core.states import AuthReason
from tests.dot.conftest import DotProvider, browser

SHARED_COUNTY = 'tokens = "shared"'


def sign_in(services: Services) -> None:
    user = services.auth.login_system_browser(browser("zhangwei"), timeout=30)
    assert (user.name, user.username) == ("张伟", "zhangwei"), "the name is read from userinfo"


def tasks(services: Services) -> dict[str, list[str]]:
    result = services.inbox.refresh()
    states = {pid: (s.state, s.reason) for pid, s in result.states.items()}
    assert all(state == "current" for state, _ in states.values()), states
    by_platform: dict[str, list[str]] = {}
    for task in services.cache.load():
        by_platform.setdefault(task.platform, []).append(task.title)
    return by_platform


@pytest.mark.parametrize("dot_services", [SHARED_COUNTY], indirect=True)
def test_shared_tokens_sign_in_inbox_refresh_and_logout(
    dot_services: Services, dot_provider: DotProvider
) -> None:
    auth = dot_services.auth
    sign_in(dot_services)
    flow_prompt = auth.client.begin("http://127.0.0.1/callback", auth.scopes()).auth_uri
    assert "prompt=consent" in flow_prompt

    listed = tasks(dot_services)
    assert sorted(listed) == ["dot.a", "dot.b"]
    assert listed["dot.a"][0] == "A task 1 of zhangwei"

    # A refresh for each platform keeps the whole grant: both platforms still get tasks.
    for platform in dot_services.registry.platforms:
        auth.invalidate(platform)
        token = auth.token_for(platform)
        assert token and dot_provider.tasks(platform.base_url.rsplit("/", 1)[1], token).ok
    assert sorted(tasks(dot_services)) == ["dot.a", "dot.b"]

    auth.tokens.flush()
    held = json.loads(auth.secrets.get("access") or "{}")
    shared = held[SHARED]["access_token"]
    refresh = json.loads(auth.secrets.get("session") or "{}")["refresh_token"]

    dot_services.logout()
    report = logout_report(dot_services)
    assert report is not None and report.complete, report
    assert sorted(report.revoked) == ["access_token", "refresh_token"]
    # Revoked at the provider: found through RFC 8414 metadata, and verified there.
    assert dot_provider.tasks("a", shared).status_code in (401, 403)
    with pytest.raises(AuthError) as refused:
        auth.client.refresh(refresh)
    assert refused.value.reason is AuthReason.SIGNED_OUT


def test_narrowed_tokens_refused_by_dot_are_their_own_state(
    dot_services: Services, dot_provider: DotProvider
) -> None:
    """``narrowed`` (the default) against DOT: platform A's narrowed refresh works, and DOT ties
    the rotated refresh token to A's scope (revoking the sign-in's token with the old one). B's
    narrowing is refused with invalid_scope; the fallback's shared token lacks B's scope, so B's
    state is ``narrowing-refused`` (the county must choose "shared"), never "signed out"."""
    auth = dot_services.auth
    sign_in(dot_services)
    a, b = dot_services.registry.platforms
    assert dot_provider.tasks("a", auth.token_for(a) or "").ok
    with pytest.raises(AuthError) as refused:
        auth.token_for(b)
    assert refused.value.reason is AuthReason.NARROWING_REFUSED
    assert 'tokens = "shared"' in str(refused.value)
    states = dot_services.inbox.refresh().states
    assert (states["dot.b"].state, states["dot.b"].reason) == ("failed", "narrowing-refused")
    assert states["dot.a"].state == "current"
    assert auth.status().signed_in, "the session stands"
