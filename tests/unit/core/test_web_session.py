"""Session-bound platforms (``[auth.session]``): the manifest's keys, which cookies of the web
profile are the platform's, what is kept in the keyring and for whom, and how the inbox reads such
a platform (launcher/core/auth/web_session.py, launcher/core/inbox/service.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from launcher.core.auth.web_session import (
    SeenCookie,
    SessionRefused,
    WebSession,
    WebSessions,
    header_origins,
    header_token,
    platform_cookies,
    session_from,
    start_url,
)
from launcher.core.errors import ConfigError, SourceError
from launcher.core.manifest import SessionSpec, SessionToken, load_manifest
from launcher.core.registry import Platform
from launcher.core.secrets import SecretStore
from launcher.core.states import FailureReason

MANIFEST = """
schema = 1
id = "acme.ruoyi"
name = "若依平台"
version = "1.0.0"
home = "{base_url}/index"
origins = ["{base_url}/app"]

[auth]
kind = "sso"
%s
"""
SESSION = """
[auth.session]
start = "{base_url}/app/index"
cookies = ["JSESSIONID"]
token = { local_storage = "Admin-Token" }
"""


def write(tmp_path: Path, auth: str) -> Path:
    folder = tmp_path / "acme"
    folder.mkdir(exist_ok=True)
    path = folder / "manifest.toml"
    path.write_text(MANIFEST % auth, encoding="utf-8")
    return path


def platform(tmp_path: Path, auth: str = SESSION, base_url: str = "https://gov.example") -> Platform:
    return Platform(load_manifest(write(tmp_path, auth)), base_url)


# -- the manifest -------------------------------------------------------------------------------


def test_session_keys_are_read(tmp_path: Path) -> None:
    spec = load_manifest(write(tmp_path, SESSION)).auth.session
    assert spec == SessionSpec("{base_url}/app/index", ("JSESSIONID",),
                               SessionToken("local_storage", "Admin-Token"))
    assert load_manifest(write(tmp_path, "")).auth.session is None


@pytest.mark.parametrize("token", ['{ cookie = "Admin-Token" }', '{ session_storage = "tk" }',
                                   '{ header = "X-Token" }'])
def test_each_token_place(tmp_path: Path, token: str) -> None:
    spec = load_manifest(write(tmp_path, f"[auth.session]\ntoken = {token}\n")).auth.session
    assert spec is not None and spec.token is not None and spec.cookies == ()


def test_a_header_token_and_the_api_carrying_it(tmp_path: Path) -> None:
    auth = '[auth.session]\ntoken = { header = "X-Token", url = "{base_url}/app/api/getInfo" }'
    spec = load_manifest(write(tmp_path, auth)).auth.session
    assert spec is not None
    assert spec.token == SessionToken("header", "X-Token", "{base_url}/app/api/getInfo")


@pytest.mark.parametrize(
    ("auth", "key", "words"),
    [
        ('[auth.session]\ncookies = ["a"]\nlifetime = 3', "auth.session.lifetime", "known key"),
        ("[auth.session]\n", "auth.session", "cookies, a token, or both"),
        ('[auth.session]\ncookies = ["a b"]', "auth.session.cookies[0]", "not a cookie name"),
        ('[auth.session]\ntoken = "Admin-Token"', "auth.session.token", "one place"),
        ('[auth.session]\ntoken = { cookie = "a", local_storage = "b" }', "auth.session.token",
         "one place"),
        ('[auth.session]\ntoken = { header = "X Token" }', "auth.session.token.header",
         "not a header name"),
        ('[auth.session]\ntoken = { cookie = "a", url = "{base_url}/x" }',
         "auth.session.token.url", "only to a token in a response header"),
        ('[auth.session]\ntoken = { header = "a", url = "javascript:alert(1)" }',
         "auth.session.token.url", "http(s)"),
        ('[auth.session]\ntoken = { header = "a", cookie = "b" }', "auth.session.token",
         "one place"),
        ('[auth.session]\ntoken = { header = "a", path = "/x" }', "auth.session.token.path",
         "known key"),
        ('[auth.session]\ntoken = { memory = "x" }', "auth.session.token.memory", "known key"),
        ('[auth.session]\ntoken = { cookie = "a;b" }', "auth.session.token.cookie", "cookie name"),
        ('[auth.session]\ncookies = ["a"]\nstart = "javascript:alert(1)"', "auth.session.start",
         "http(s)"),
    ],
)
def test_bad_session_keys_name_file_and_key(tmp_path: Path, auth: str, key: str,
                                             words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_manifest(write(tmp_path, auth))
    assert caught.value.key == key
    assert words in str(caught.value)
    assert "manifest.toml" in str(caught.value)


def test_session_needs_the_county_sign_in(tmp_path: Path) -> None:
    text = MANIFEST.replace('kind = "sso"', 'kind = "none"') % '[auth.session]\ncookies = ["a"]'
    folder = tmp_path / "acme"
    folder.mkdir()
    (folder / "manifest.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="applies only to sso/oidc/cas"):
        load_manifest(folder / "manifest.toml")


# -- which cookies are the platform's -----------------------------------------------------------


def test_only_the_named_cookies_of_the_platforms_origins(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path, '[auth.session]\ncookies = ["JSESSIONID"]\n'
                               'token = { cookie = "Admin-Token" }')
    seen = [
        SeenCookie("gov.example", "/app", "JSESSIONID", "mine"),
        SeenCookie("gov.example", "/", "Admin-Token", "token-value"),
        # Another site's cookie of the same name, the identity service's, a path outside the
        # platform, an https-only cookie on an http origin: never taken.
        SeenCookie("idp.example", "/", "JSESSIONID", "idp-session"),
        SeenCookie("gov.example", "/", "CASTGC", "county-session"),
        SeenCookie("gov.example", "/other", "JSESSIONID", "other-app"),
        SeenCookie("evil.example", "/", "Admin-Token", "forged"),
    ]
    assert platform_cookies(ruoyi, seen) == {"JSESSIONID": "mine", "Admin-Token": "token-value"}


def test_domain_cookies_and_secure_ones(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path, '[auth.session]\ncookies = ["S"]', "http://a.gov.example")
    assert platform_cookies(ruoyi, [SeenCookie(".gov.example", "/", "S", "v")]) == {"S": "v"}
    assert platform_cookies(ruoyi, [SeenCookie(".gov.example", "/", "S", "v", secure=True)]) == {}
    assert platform_cookies(ruoyi, [SeenCookie(".ov.example", "/", "S", "v")]) == {}
    assert platform_cookies(ruoyi, [SeenCookie("b.gov.example", "/", "S", "v")]) == {}


def test_the_longer_path_wins(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path, '[auth.session]\ncookies = ["S"]')
    seen = [SeenCookie("gov.example", "/", "S", "short"),
            SeenCookie("gov.example", "/app/api", "S", "long")]
    assert platform_cookies(ruoyi, seen) == {"S": "long"}


def test_session_from_what_the_web_app_holds(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path)
    session = session_from(ruoyi, {"JSESSIONID": "cookie-value"}, " token-value ", now=5.0)
    assert session == WebSession({"JSESSIONID": "cookie-value"}, "token-value", 5.0)
    assert "value" not in repr(session)
    with pytest.raises(SessionRefused, match="local_storage 'Admin-Token'"):
        session_from(ruoyi, {"JSESSIONID": "j"}, None)
    with pytest.raises(SessionRefused, match="no cookie JSESSIONID"):
        session_from(ruoyi, {}, "tok")
    with pytest.raises(SessionRefused, match="not plain text"):
        session_from(ruoyi, {"JSESSIONID": "j"}, "a\nb")
    assert start_url(ruoyi) == "https://gov.example/app/index"


# -- which answers' header is the platform's token --------------------------------------------


HEADER = '[auth.session]\ntoken = { header = "X-Token" }'


def test_header_origins_for_the_page_filter(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path, HEADER, "https://gov.example:8443")
    assert header_origins(ruoyi) == ("https://gov.example:8443",)
    assert header_origins(platform(tmp_path, HEADER)) == ("https://gov.example:443",)
    assert header_origins(platform(tmp_path, HEADER, "http://[::1]:5000")) == ("http://[::1]:5000",)


def test_only_answers_of_the_platforms_origins_count(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path, HEADER)
    noted = [
        ("https://gov.example/app/api/getInfo", "first"),
        ("https://gov.example/app/api/refresh?x=1", "latest"),
        # The identity service, another path of the host, another site: never the token.
        ("https://idp.example/token", "idp"),
        ("https://gov.example/other/api", "other-app"),
        ("https://gov.example.evil.example/app/api", "forged"),
        ("not a url", "nonsense"),
    ]
    assert header_token(ruoyi, noted) == "latest"
    assert header_token(ruoyi, noted[2:]) is None
    assert header_token(ruoyi, []) is None
    # Not a header platform: nothing is taken from answers.
    assert header_token(platform(tmp_path), noted) is None


def test_the_declared_api_only(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path, '[auth.session]\ntoken = { header = "X-Token", url = '
                               '"{base_url}/app/api/getInfo" }')
    noted = [("https://gov.example/app/api/getInfo?t=1", "from-info"),
             ("https://gov.example/app/api/other", "other")]
    assert header_token(ruoyi, noted) == "from-info"
    # A declared API outside the platform's origins is never read.
    outside = platform(tmp_path, '[auth.session]\ntoken = { header = "X-Token", url = '
                                 '"{base_url}/elsewhere/getInfo" }')
    assert header_token(outside, [("https://gov.example/elsewhere/getInfo", "t")]) is None
    with pytest.raises(SessionRefused, match=re.escape("answers of https://gov.example/elsewhere/getInfo")):
        session_from(outside, {}, None)


def test_a_header_token_is_bounded_plain_text(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path, HEADER)
    assert session_from(ruoyi, {}, "abc", now=1.0) == WebSession({}, "abc", 1.0)
    with pytest.raises(SessionRefused, match=r"header 'X-Token'.*platform's origins"):
        session_from(ruoyi, {}, None)
    with pytest.raises(SessionRefused, match="not plain text"):
        session_from(ruoyi, {}, "a\x00b")
    with pytest.raises(SessionRefused, match="too long"):
        session_from(ruoyi, {}, "a" * 10_000)


# -- the keyring, per account -------------------------------------------------------------------


class Owner:
    sub = "alice"

    def __call__(self) -> str:
        return self.sub


def test_kept_per_account_in_the_keyring_only(tmp_path: Path) -> None:
    ruoyi = platform(tmp_path)
    owner = Owner()
    store = SecretStore("web-session/test")
    sessions = WebSessions(store, owner)
    renewals: list[str] = []

    def renew(p: Platform) -> WebSession:
        renewals.append(owner.sub)
        return WebSession({"JSESSIONID": f"j-{owner.sub}"}, f"token-of-{owner.sub}", 1.0)

    sessions.renew = renew
    assert sessions.session_for(ruoyi).token == "token-of-alice"
    assert sessions.session_for(ruoyi).token == "token-of-alice"  # kept: no second renewal
    assert renewals == ["alice"]
    assert json.loads(store.get("acme.ruoyi/alice") or "")["token"] == "token-of-alice"
    assert not list(tmp_path.rglob("*token-of*"))

    owner.sub = "bob"  # another person: never alice's session
    assert sessions.session_for(ruoyi).token == "token-of-bob"
    sessions.forget_account("alice")
    assert store.get("acme.ruoyi/alice") is None and store.get("acme.ruoyi/bob") is not None
    sessions.drop("acme.ruoyi")
    assert sessions.get("acme.ruoyi") is None
    sessions.session_for(ruoyi)
    sessions.forget_platform("acme.ruoyi")
    assert store.names() == []
    sessions.session_for(ruoyi)
    sessions.clear()
    assert store.names() == []


def test_without_the_window_it_says_sign_in_there(tmp_path: Path) -> None:
    sessions = WebSessions(SecretStore("web-session/test"), Owner())
    with pytest.raises(SourceError) as caught:
        sessions.session_for(platform(tmp_path))
    assert caught.value.reason == FailureReason.SIGNED_OUT
    assert "sign in once in the 一端通 window" in str(caught.value)


def test_a_refused_renewal_is_signed_out(tmp_path: Path) -> None:
    sessions = WebSessions(SecretStore("web-session/test"), Owner())

    def refuse(p: Platform) -> WebSession:
        raise SessionRefused("no token")

    sessions.renew = refuse
    with pytest.raises(SourceError) as caught:
        sessions.session_for(platform(tmp_path))
    assert caught.value.reason == FailureReason.SIGNED_OUT


def test_a_damaged_entry_is_harvested_again(tmp_path: Path) -> None:
    store = SecretStore("web-session/test")
    sessions = WebSessions(store, Owner())
    for raw in ("{", "[]", '{"cookies": {"a": 1}, "token": "", "obtained_at": 0}'):
        store.set("acme.ruoyi/alice", raw)
        assert sessions.get("acme.ruoyi") is None
