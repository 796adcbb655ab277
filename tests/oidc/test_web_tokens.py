"""Silent authorization requests in the web profile, the core's side, at the real provider
(oidc-provider on its defaults) without Qt: a scripted browser (tests/oidc/provider_login.py, one
cookie jar) stands for the window's web profile and its hidden page (``AuthSession.web_authorize``).

- ``[idp] tokens = "web"``: each platform's token comes from a ``prompt=none`` authorization request
  of its own (its scopes, its resource, PKCE), whose code is exchanged for a token of that API
  alone; the provider's session ending makes the platform need a sign-in, never a prompt; the
  command line (no web profile) falls back to the shared token, or says to sign in in the window.
- A silent sign-in (the person signed in on a web page) brings no refresh token: its session is a
  web-renewed one, lasting as long as its access token and renewed by another silent request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from launcher.app.services import Services
from launcher.core.auth.oidc import LoginFlow
from launcher.core.auth.session import IN_THE_WINDOW, SHARED
from launcher.core.errors import AuthError
from launcher.core.registry import Platform
from launcher.core.states import AuthReason, FailureReason
from launcher_demo import DemoCounty
from tests.oidc.conftest import OidcProvider
from tests.oidc.launcher_cli import county_copy, launcher
from tests.oidc.provider_login import ProviderBrowser
from tests.oidc.test_tokens import api_status, provider_claims, sso_platforms, stored_session

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]


def county_with(provider_county: DemoCounty, county_id: str, directory: Path,
                **idp: Any) -> Path:
    """A copy of the provider county with more ``[idp]`` keys (e.g. tokens = "web")."""
    path = county_copy(provider_county, county_id, directory)
    lines = "".join(f"\n{k} = {json.dumps(v)}" for k, v in idp.items())
    text = path.read_text(encoding="utf-8").replace('login = "embedded"',
                                                    f'login = "embedded"{lines}', 1)
    path.write_text(text, encoding="utf-8")
    return path


class WebProfile:
    """The window's web profile and hidden page, scripted: one browser at the provider; each
    silent request is followed to the provider's redirect back to the launcher."""

    def __init__(self) -> None:
        self.browser = ProviderBrowser()
        self.flows: list[LoginFlow] = []

    def authorize(self, flow: LoginFlow) -> str:
        self.flows.append(flow)
        # A prompt=none request never shows a form: the browser fails the test if one comes.
        return self.browser.sign_in(flow.auth_uri)

    def sign_in_on_a_platform_page(self, platform: Platform, username: str = "zhangwei") -> None:
        """The person signs in on the platform's own web login (its client, no offline_access)."""
        http = self.browser.http
        start = http.get(f"{platform.base_url}/auth/login", allow_redirects=False, timeout=10)
        assert start.is_redirect
        back = self.browser.sign_in(urljoin(start.url, start.headers["Location"]), username)
        landed = http.get(back, timeout=10)
        assert landed.status_code == 200, landed.text[-300:]

    def session_ends(self) -> None:
        """The provider's session is gone from the profile (it ended, the cookie expired)."""
        self.browser.http.cookies.clear()

    def close(self) -> None:
        self.browser.close()


@pytest.fixture
def profile() -> Iterator[WebProfile]:
    web = WebProfile()
    try:
        yield web
    finally:
        web.close()


def opened(path: Path) -> Services:
    services = Services.open(path)
    services.auth.wipe_local()
    return services


def sign_in_embedded(services: Services, profile: WebProfile) -> None:
    """The launcher's interactive sign-in in the web profile (the embedded page)."""
    flow = services.auth.begin_login()
    services.auth.complete_login(flow, profile.browser.sign_in(flow.auth_uri))


def query(flow: LoginFlow) -> dict[str, list[str]]:
    return parse_qs(urlsplit(flow.auth_uri).query)


@pytest.fixture
def web_county(provider_county: DemoCounty, tmp_path: Path) -> Path:
    return county_with(provider_county, "demo-op-web", tmp_path, tokens="web")


def test_web_mode_gives_each_platform_its_own_token_by_a_silent_request(
    web_county: Path, oidc_provider: OidcProvider, profile: WebProfile
) -> None:
    services = opened(web_county)
    try:
        sign_in_embedded(services, profile)
        auth = services.auth
        auth.web_authorize = profile.authorize
        platforms = sso_platforms(services)
        refreshes = oidc_provider.grants("refresh_token")
        codes = oidc_provider.grants("authorization_code")
        for platform in platforms:
            token = auth.token_for(platform)
            assert token is not None
            assert provider_claims(oidc_provider, token)["aud"] == platform.resource
            assert api_status(platform, token) == 200
        # One silent request per platform, each for its own scopes and API, with PKCE.
        assert len(profile.flows) == len(platforms)
        for platform, flow in zip(platforms, profile.flows, strict=True):
            asked = query(flow)
            assert flow.silent and asked["prompt"] == ["none"]
            assert asked["scope"][0].split() == ["openid", *platform.scopes]
            assert asked["resource"] == [platform.resource]
            assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"]
            assert asked["response_type"] == ["code"]
        assert oidc_provider.grants("authorization_code") - codes == len(platforms)
        assert oidc_provider.grants("refresh_token") == refreshes  # no refresh: the web profile
        # Kept like the others: a second call asks nobody.
        assert auth.token_for(platforms[0]) is not None
        assert len(profile.flows) == len(platforms)
        auth.tokens.flush()
        assert platforms[0].id in json.loads(auth.secrets.get("access") or "{}")
    finally:
        services.auth.wipe_local()
        services.close()


def test_an_ended_provider_session_makes_the_platform_need_a_sign_in_without_a_prompt(
    web_county: Path, profile: WebProfile
) -> None:
    services = opened(web_county)
    try:
        sign_in_embedded(services, profile)
        auth = services.auth
        auth.web_authorize = profile.authorize
        platform = sso_platforms(services)[0]
        profile.session_ends()
        with pytest.raises(AuthError) as failed:
            auth.token_for(platform)
        # login_required from the provider: the tile's "needs sign-in", nothing shown.
        assert failed.value.reason is AuthReason.INTERACTION_REQUIRED
        assert "login_required" in str(failed.value)
        assert failed.value.source_reason() is FailureReason.SIGNED_OUT
        assert query(profile.flows[-1])["prompt"] == ["none"]
        assert auth.restore() is not None  # the launcher's sign-in stands
    finally:
        services.auth.wipe_local()
        services.close()


def test_another_persons_provider_session_gives_no_token(
    web_county: Path, profile: WebProfile, oidc_provider: OidcProvider
) -> None:
    services = opened(web_county)
    try:
        sign_in_embedded(services, profile)
        auth = services.auth
        platform = sso_platforms(services)[0]
        other = WebProfile()
        try:
            other.sign_in_on_a_platform_page(platform, "lina")
            auth.web_authorize = other.authorize
            with pytest.raises(AuthError) as failed:
                auth.token_for(platform)
        finally:
            other.close()
        assert failed.value.reason is AuthReason.SIGNED_OUT
        assert "another person" in str(failed.value)
        assert auth.tokens.entry(platform.id) is None  # lina's token is not kept for zhangwei
    finally:
        services.auth.wipe_local()
        services.close()


def test_the_command_line_uses_the_windows_tokens_then_the_shared_one(
    web_county: Path, provider_county: DemoCounty, tmp_path: Path, profile: WebProfile,
    oidc_provider: OidcProvider,
) -> None:
    window = opened(web_county)
    try:
        sign_in_embedded(window, profile)
        window.auth.web_authorize = profile.authorize
        first, second = sso_platforms(window)[:2]
        from_window = window.auth.token_for(first)
        window.auth.tokens.flush()
        command_line = Services.open(web_county)  # another process: no web profile
        try:
            assert command_line.auth.web_authorize is None
            assert command_line.auth.token_for(first) == from_window  # the window's, while valid
            # None for the second: the shared token instead (narrowing_fallback, the default).
            shared = command_line.auth.token_for(second)
            command_line.auth.tokens.flush()
            assert shared == command_line.auth.tokens.entry(SHARED)["access_token"]  # type: ignore[index]
        finally:
            command_line.close()
    finally:
        window.auth.wipe_local()
        window.close()

    strict = county_with(provider_county, "demo-op-web-strict", tmp_path, tokens="web",
                         narrowing_fallback=False)
    services = opened(strict)
    try:
        sign_in_embedded(services, profile)
        with pytest.raises(AuthError) as failed:
            services.auth.token_for(sso_platforms(services)[0])
        assert failed.value.reason is AuthReason.SIGNED_OUT
        assert IN_THE_WINDOW in str(failed.value)
    finally:
        services.auth.wipe_local()
        services.close()


def test_a_silent_sign_in_without_a_refresh_token_is_a_web_renewed_session(
    provider_county: DemoCounty, tmp_path: Path, profile: WebProfile,
    oidc_provider: OidcProvider,
) -> None:
    path = county_copy(provider_county, "demo-op-websignin", tmp_path)  # tokens: narrowed
    services = opened(path)
    try:
        auth = services.auth
        platform = sso_platforms(services)[0]
        profile.sign_in_on_a_platform_page(platform)  # the person, on a web page
        flow = auth.begin_login(silent=True)
        user = auth.complete_login(flow, profile.authorize(flow))
        assert user.username == "zhangwei"
        session = stored_session(services)
        assert session["refresh_token"] == "" and session["web"] is True
        assert session["expires_at"] > time.time() + 600  # its access token's lifetime
        assert auth.restore() == user

        # Its platforms' tokens: silent requests, never a refresh (there is no refresh token).
        auth.web_authorize = profile.authorize
        refreshes = oidc_provider.grants("refresh_token")
        token = auth.token_for(platform)
        assert token is not None and api_status(platform, token) == 200
        assert query(profile.flows[-1])["resource"] == [platform.resource]
        assert oidc_provider.grants("refresh_token") == refreshes

        # Its access token expired: the next use renews the session by a silent sign-in.
        expired = {**session, "expires_at": time.time() - 1}
        auth._stored.save(expired, json.dumps(expired))
        asked = len(profile.flows)
        auth.invalidate(platform)
        assert auth.token_for(platform) is not None
        renewal = profile.flows[asked]
        assert set(query(renewal)["scope"][0].split()) == set(auth.scopes())
        renewed = stored_session(services)
        assert renewed["web"] is True and renewed["expires_at"] > time.time() + 600
        assert renewed["id_token"] != session["id_token"]
        assert auth.tokens.entry(SHARED) is not None

        # The command line (no web profile) cannot renew it once it has expired.
        auth._stored.save(expired, json.dumps(expired))
        auth.web_authorize = None
        auth.invalidate(platform)
        with pytest.raises(AuthError) as failed:
            auth.token_for(platform)
        assert failed.value.reason is AuthReason.SIGNED_OUT
        assert IN_THE_WINDOW in str(failed.value)

        # Logout: nothing claims a refresh token was revoked.
        auth.logout()
        report = auth.last_logout
        assert report is not None
        assert "refresh_token" not in report.revoked
        assert all(hint != "refresh_token" for hint, _why in report.not_revoked)
    finally:
        services.auth.wipe_local()
        services.close()


def test_a_silent_sign_in_ending_at_the_provider_leaves_the_session_signed_out(
    provider_county: DemoCounty, tmp_path: Path, profile: WebProfile
) -> None:
    path = county_copy(provider_county, "demo-op-websignin-end", tmp_path)
    services = opened(path)
    try:
        auth = services.auth
        platform = sso_platforms(services)[0]
        profile.sign_in_on_a_platform_page(platform)
        flow = auth.begin_login(silent=True)
        auth.complete_login(flow, profile.authorize(flow))
        auth.web_authorize = profile.authorize
        session = stored_session(services)
        expired = {**session, "expires_at": time.time() - 1}
        auth._stored.save(expired, json.dumps(expired))
        profile.session_ends()
        with pytest.raises(AuthError) as failed:
            auth.token_for(platform)
        assert failed.value.source_reason() is FailureReason.SIGNED_OUT
    finally:
        services.auth.wipe_local()
        services.close()


def test_a_platform_whose_answer_is_not_the_providers_is_refused(
    web_county: Path, profile: WebProfile
) -> None:
    """The hidden page's answer is checked as a sign-in's: another state is forged."""
    services = opened(web_county)
    try:
        sign_in_embedded(services, profile)
        auth = services.auth

        def forged(flow: LoginFlow) -> str:
            return f"{flow.redirect_uri}?code=x&state=not-{flow.state}"

        auth.web_authorize = forged
        with pytest.raises(AuthError) as failed:
            auth.token_for(sso_platforms(services)[0])
        assert failed.value.reason is AuthReason.FORGED
    finally:
        services.auth.wipe_local()
        services.close()


def test_token_requests_never_send_a_resource_the_code_was_not_asked_for(
    web_county: Path, profile: WebProfile, oidc_provider: OidcProvider
) -> None:
    """The exchange names the one resource of the request: its token is for that API only."""
    services = opened(web_county)
    try:
        sign_in_embedded(services, profile)
        services.auth.web_authorize = profile.authorize
        first, second = sso_platforms(services)[:2]
        token = services.auth.token_for(first)
        assert token is not None
        assert api_status(second, token) == 401
        answer = requests.get(f"{oidc_provider.issuer}/me", timeout=10,
                              headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code != 200  # not a userinfo token either
    finally:
        services.auth.wipe_local()
        services.close()


def test_launcher_inbox_says_to_sign_in_in_the_window_for_web_tokens(
    provider_county: DemoCounty, tmp_path: Path, profile: WebProfile
) -> None:
    """The command line in a county of ``tokens = "web"`` without the fallback: each platform it
    cannot get a token for is named, with what to do, in the chosen language."""
    path = county_with(provider_county, "demo-op-web-cli", tmp_path, tokens="web",
                       narrowing_fallback=False)
    services = opened(path)
    try:
        sign_in_embedded(services, profile)
        services.auth.tokens.flush()
        ids = [p.id for p in sso_platforms(services)]
        home = tmp_path / "home"
        english = launcher(["inbox", "--county", str(path), "--json", "--lang", "en"], home)
        assert english.returncode == 0, english.stderr
        note = next(line for line in english.stderr.splitlines()
                    if line.startswith("launcher: ") and "tokens can only be had" in line)
        named, _, words = note.removeprefix("launcher: ").partition(": ")
        assert sorted(named.split(", ")) == sorted(ids)
        assert words.startswith("these platforms' tokens can only be had in the 一端通 window's")
        assert "open the window and sign in there" in words
        chinese = launcher(["inbox", "--county", str(path), "--json", "--lang", "zh_CN"], home)
        assert "请打开窗口并在其中登录" in chinese.stderr
    finally:
        services.auth.wipe_local()
        services.close()
