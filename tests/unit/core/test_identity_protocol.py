"""One identity lifecycle: both county identity sessions keep the IdentitySession contract, offer
what their kind of provider allows, and nothing above core asks which kind a county uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from launcher.core.auth.cas_session import CasSession
from launcher.core.auth.identity import (
    Capability,
    IdentitySession,
    LoginMode,
    NoLock,
    checked,
    chosen_mode,
    identity_for,
    missing_members,
)
from launcher.core.auth.session import AuthSession
from launcher.core.county import County, load_county
from launcher.core.registry import build_registry
from launcher.core.secrets import SecretStore

ROOT = Path(__file__).resolve().parents[3]

OIDC = """
[county]
id = "identity-oidc"
name = "测试县"

[idp]
issuer = "http://127.0.0.1:9"
login = "{login}"
"""

CAS = """
[county]
id = "identity-cas"
name = "测试县"

[idp]
kind = "cas"
server = "http://127.0.0.1:9/cas"
"""


def county(tmp_path: Path, text: str) -> County:
    path = tmp_path / "county.toml"
    path.write_text(text, encoding="utf-8")
    return load_county(path)


def session_of(tmp_path: Path, text: str) -> IdentitySession:
    opened = county(tmp_path, text)
    return identity_for(opened, build_registry(opened), SecretStore(f"county/{opened.id}"))


def test_the_provider_is_chosen_once_by_the_county(tmp_path: Path) -> None:
    oidc = session_of(tmp_path, OIDC.format(login="embedded"))
    cas = session_of(tmp_path, CAS)
    assert type(oidc) is AuthSession and type(cas) is CasSession
    for session in (oidc, cas):
        assert isinstance(session, IdentitySession)
        assert missing_members(session) == []
    assert oidc.provider_name == "OpenID Connect" and cas.provider_name == "CAS"


def test_both_session_classes_keep_the_contract_without_an_instance() -> None:
    # Attributes set in __init__ are not on the class: only the methods and class attributes.
    for cls in (AuthSession, CasSession):
        lacking = set(missing_members(cls))
        assert lacking <= {"county", "registry", "secrets", "user", "tokens"}, cls


def test_openid_connect_offers_the_three_modes(tmp_path: Path) -> None:
    session = session_of(tmp_path, OIDC.format(login="embedded"))
    assert session.login_modes == (
        LoginMode.EMBEDDED, LoginMode.SYSTEM_BROWSER, LoginMode.DEVICE
    )
    for wanted in (
        Capability.EMBEDDED_LOGIN, Capability.BROWSER_LOGIN, Capability.DEVICE_LOGIN,
        Capability.WEB_SESSION_SIGN_IN, Capability.TOKEN_REFRESH, Capability.REVOCATION,
        Capability.END_SESSION_PAGE, Capability.LOCK,
    ):
        assert wanted in session.capabilities, wanted
    # Its session is the tokens: no cookies to carry into web profiles; no single logout.
    for absent in (Capability.WEB_COOKIES, Capability.SINGLE_LOGOUT):
        assert absent not in session.capabilities, absent
    assert session.web_cookies() == {}


@pytest.mark.parametrize("login", ["embedded", "system-browser", "device"])
def test_the_county_picks_the_openid_connect_mode(tmp_path: Path, login: str) -> None:
    assert chosen_mode(session_of(tmp_path, OIDC.format(login=login))) == LoginMode(login)


def test_cas_signs_in_embedded_only(tmp_path: Path) -> None:
    session = session_of(tmp_path, CAS)
    assert session.login_modes == (LoginMode.EMBEDDED,)
    assert chosen_mode(session) == LoginMode.EMBEDDED
    assert Capability.WEB_COOKIES in session.capabilities  # the TGC is the session
    assert Capability.SINGLE_LOGOUT in session.capabilities
    assert Capability.LOCK in session.capabilities
    for absent in (Capability.BROWSER_LOGIN, Capability.DEVICE_LOGIN, Capability.REVOCATION):
        assert absent not in session.capabilities, absent


def test_a_silent_answer_without_a_sign_in_says_why(tmp_path: Path) -> None:
    oidc = session_of(tmp_path, OIDC.format(login="embedded"))
    assert oidc.no_sign_in_reason("http://127.0.0.1/callback?error=login_required") == (
        "login_required"
    )
    assert oidc.no_sign_in_reason("http://127.0.0.1/callback?code=abc&state=s") == ""
    cas = session_of(tmp_path, CAS)
    assert cas.no_sign_in_reason("http://127.0.0.1/cas-callback") == (
        "no CAS session in the web pages"
    )
    assert cas.no_sign_in_reason("http://127.0.0.1/cas-callback?ticket=ST-1") == ""


def test_a_locked_session_opens_only_for_the_same_person(tmp_path: Path) -> None:
    """Shared PCs (issue 16): both providers lock; unlocking takes the user of a sign-in that
    made the provider ask again, and refuses another person."""
    from types import SimpleNamespace

    from launcher.core.errors import AuthError

    for session in (session_of(tmp_path, OIDC.format(login="embedded")), session_of(tmp_path, CAS)):
        with pytest.raises(RuntimeError):
            session.lock()  # nobody signed in: nothing to lock
        person = SimpleNamespace(sub="zhang-wei")
        session.user = person  # type: ignore[misc]
        session.lock()
        assert session.locked
        with pytest.raises(AuthError):
            session.unlock()
        with pytest.raises(AuthError):
            session.unlock(user=SimpleNamespace(sub="li-na"))
        assert session.locked
        assert session.unlock(user=SimpleNamespace(sub="zhang-wei")).sub == "zhang-wei"
        assert not session.locked


class HalfProvider(NoLock):
    """A third provider that forgot parts of the contract."""

    provider_name = "Half"
    capabilities = Capability.EMBEDDED_LOGIN
    login_modes = (LoginMode.EMBEDDED,)
    logout = "not a method"

    def __init__(self, county: County) -> None:
        self.county = county
        self.registry: Any = None
        self.secrets: Any = None
        self.user = None
        self.tokens: Any = None

    def begin_login(self, *, silent: bool = False) -> Any:
        return None

    def complete_login(self, flow: Any, callback_url: str, cookies: Any = None) -> Any:
        return None


def test_a_provider_missing_members_is_refused_with_their_names(tmp_path: Path) -> None:
    half = HalfProvider(county(tmp_path, CAS))
    lacking = missing_members(half)
    assert "restore" in lacking and "token_for" in lacking and "poll_device" in lacking
    assert "logout" in lacking  # there, but not callable
    assert "begin_login" not in lacking and "lock" not in lacking
    with pytest.raises(TypeError) as info:
        checked(half)
    message = str(info.value)
    assert message.startswith("HalfProvider is not an identity session: it lacks ")
    for name in lacking:
        assert name in message


# Only core/auth's factory (identity_for) looks at the provider kind; everything above asks the
# session what it can do.
_KIND = re.compile(r"idp\.kind|CasSession|kind\s*[!=]=\s*[\"'](cas|oidc)[\"']")


def test_nothing_above_core_asks_which_kind_of_provider_a_county_uses() -> None:
    files = [
        *sorted((ROOT / "launcher" / "ui").rglob("*.py")),
        *sorted((ROOT / "launcher" / "app").rglob("*.py")),
        ROOT / "launcher" / "cli.py",
    ]
    assert len(files) > 10
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _KIND.search(line)
    ]
    assert offenders == [], "ask the identity session's capabilities instead:\n" + "\n".join(
        offenders
    )
