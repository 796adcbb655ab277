"""The command-line contracts against the real provider: `launcher login --no-browser` completed by a
script, then `inbox --json`, `status --json` and `logout`, each a new process; afterwards no token
value is anywhere under LAUNCHER_HOME (logs, SQLite, everything)."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest
import requests

from launcher.app.vocabulary import ENGLISH, sign_in_text
from launcher.core.auth.session import SHARED
from launcher.core.auth.vault import PasswordVault
from launcher.core.secrets import SecretStore
from launcher.core.states import AuthReason
from launcher_demo import DemoCounty
from tests.oidc.conftest import OidcProvider, start_provider
from tests.oidc.launcher_cli import (
    county_copy,
    files_containing,
    keyring_entries,
    keyring_service,
    launcher,
    start,
    tokens_in_keyring,
)
from tests.oidc.provider_login import sign_in

pytestmark = pytest.mark.usefixtures("real_keyring")

COUNTY = "demo-op-cli"


def deliver(callback: str) -> requests.Response:
    """The browser following the provider's redirect to the launcher's loopback listener."""
    with requests.Session() as http:
        http.trust_env = False
        return http.get(callback, timeout=30)


def login_no_browser(county: Path, home: Path, username: str) -> tuple[str, str, str]:
    """`launcher login --no-browser`, completed by a script as a person with a browser would.

    Returns (authorization URL, callback URL, the command's stdout after the URL, in English)."""
    args = ["login", "--county", str(county), "--no-browser", "--timeout", "120", "--lang", "en"]
    process = start(args, home)
    try:
        assert process.stdout is not None
        auth_uri = process.stdout.readline().strip()
        callback = sign_in(auth_uri, username)
        page = deliver(callback)
        assert page.status_code == 200
        assert "登录完成" in page.text and "Signed in, you can close this page" in page.text
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    return auth_uri, callback, out


def test_a_whole_cli_session_leaves_no_token_behind(
    provider_county: DemoCounty, oidc_provider: OidcProvider, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    county = county_copy(provider_county, COUNTY, tmp_path)
    outputs: list[str] = []
    secrets: set[str] = set()

    auth_uri, callback, out = login_no_browser(county, home, "zhangwei")
    outputs += [auth_uri, out]
    # The URL was the first line: an authorization request at the provider, PKCE, a loopback
    # redirect with a port, every platform API named as a resource.
    assert auth_uri.startswith(f"{oidc_provider.issuer}/auth?")
    query = parse_qs(urlsplit(auth_uri).query)
    assert query["code_challenge_method"] == ["S256"]
    redirect = urlsplit(query["redirect_uri"][0])
    assert (redirect.hostname, redirect.path) == ("127.0.0.1", "/callback") and redirect.port
    assert len(query["resource"]) == len(provider_county.specs)
    assert callback.startswith(query["redirect_uri"][0] + "?")
    secrets.add(parse_qs(urlsplit(callback).query)["code"][0])
    assert out.strip() == f"signed in as 张伟 (zhangwei) at {oidc_provider.issuer}"
    secrets |= tokens_in_keyring(COUNTY)
    assert len(secrets) >= 3, "the code, the refresh token and the id_token"

    try:
        # The inbox of every platform, without another login.
        inbox = launcher(["inbox", "--county", str(county), "--json"], home)
        outputs += [inbox.stdout, inbox.stderr]
        assert inbox.returncode == 0, inbox.stderr
        rows = json.loads(inbox.stdout)
        items = [item for row in rows for item in row["items"]]
        assert {i["platform"] for i in items} == {s.plugin_id for s in provider_county.specs}
        for item in items:  # each one a task the platform really holds
            held = provider_county.tasks(item["platform"])
            assert str(item["id"]) in {str(value) for task in held for value in task.values()}
        assert "launcher: demo." not in inbox.stderr  # no platform failed
        secrets |= tokens_in_keyring(COUNTY)

        # Status: who, each platform's state and token expiry; no token value.
        status = launcher(["status", "--county", str(county), "--json"], home)
        outputs += [status.stdout, status.stderr]
        assert status.returncode == 0, status.stderr
        data = json.loads(status.stdout)
        assert data["signed_in"] is True and data["kind"] == "oidc"
        assert data["user"] == {"sub": "zhangwei", "name": "张伟", "username": "zhangwei"}
        assert data["idp"] == oidc_provider.issuer
        by_id = {p["id"]: p for p in data["platforms"]}
        for spec in provider_county.specs:
            platform = by_id[spec.plugin_id]
            assert platform["state"] == "signed-in" and platform["auth_kind"] == "sso"
            expires = datetime.fromisoformat(platform["expires_at"])
            assert expires.timestamp() > time.time()
        assert by_id["demo.sanzi"]["state"] == "password-missing"
        # A saved password of this user for the legacy platform: status says so, never shows it.
        vault = PasswordVault(SecretStore(f"vault/{COUNTY}"), owner=lambda: "zhangwei")
        vault.set("demo.sanzi", "zw-sanzi", "Sanzi-Pa55word")
        secrets.add("Sanzi-Pa55word")
        try:
            status = launcher(["status", "--county", str(county), "--json"], home)
        finally:
            vault.delete("demo.sanzi")
        outputs += [status.stdout, status.stderr]
        saved = {p["id"]: p["state"] for p in json.loads(status.stdout)["platforms"]}
        assert saved["demo.sanzi"] == "password-saved"
        table = launcher(["status", "--county", str(county), "--lang", "en"], home)
        outputs += [table.stdout, table.stderr]
        assert "signed in as 张伟 (zhangwei)" in table.stdout

        # Every platform's token in the one ``access`` entry (the inbox process flushed it at
        # close), none in the old per-platform layout.
        entries = keyring_entries(COUNTY)
        assert not [name for name in entries if name.startswith("access:")]
        # Besides, the sign-in's own token of the whole grant (the shared one), revoked at logout.
        access = json.loads(entries["access"])
        assert set(access) == {s.plugin_id for s in provider_county.specs} | {SHARED}
        assert len({e["access_token"] for e in access.values()}) == len(provider_county.specs) + 1
        secrets |= tokens_in_keyring(COUNTY)
        assert len(secrets) >= 3 + len(provider_county.specs)
    finally:
        logout = launcher(["logout", "--county", str(county), "--lang", "en"], home)
    outputs += [logout.stdout, logout.stderr]
    assert logout.returncode == 0, logout.stderr
    assert logout.stdout.startswith("signed out")
    # Truthfully: the refresh token and the sign-in's opaque token were revoked; the platforms' JWT
    # access tokens cannot be (RFC 7009 §2.2.1) and lapse.
    assert "2 tokens were revoked" in logout.stdout and "cannot revoke" in logout.stdout

    # Nothing of the county is left in the keyring, and status says so.
    assert keyring_entries(COUNTY) == {}
    assert keyring.get_password(keyring_service(COUNTY), "__index__") is None
    assert keyring.get_password(keyring_service(COUNTY), "session") is None
    status = launcher(["status", "--county", str(county), "--json"], home)
    outputs += [status.stdout, status.stderr]
    after = json.loads(status.stdout)
    assert after["signed_in"] is False and after["user"] is None
    assert {p["state"] for p in after["platforms"] if p["auth_kind"] == "sso"} == {"signed-out"}
    assert all(p["expires_at"] is None for p in after["platforms"])
    # The inbox now says how to sign in.
    inbox = launcher(["inbox", "--county", str(county), "--json", "--lang", "en"], home)
    assert inbox.returncode == 1 and "not signed in: run `launcher login`" in inbox.stderr

    # No token value in any output, nor in any file under LAUNCHER_HOME (logs and SQLite too).
    for text in outputs:
        for secret in secrets:
            assert secret not in text
    assert (home / "logs" / "launcher.log").is_file()
    assert list(home.rglob("*.sqlite3")), "the task cache was written"
    assert files_containing(home, secrets) == []
    # The search itself finds a token where there is one.
    (tmp_path / "probe").mkdir()
    (tmp_path / "probe" / "x.log").write_text(f"leak {sorted(secrets)[0]}", encoding="utf-8")
    assert files_containing(tmp_path / "probe", secrets)


def test_the_revoked_session_is_refused_by_the_provider_after_logout(
    provider_county: DemoCounty, oidc_provider: OidcProvider, tmp_path: Path
) -> None:
    """Logout revoked the refresh token at the provider (RFC 7009), not only deleted it."""
    home = tmp_path / "home"
    county_id = f"{COUNTY}-revoke"
    county = county_copy(provider_county, county_id, tmp_path)
    login_no_browser(county, home, "lina")
    session = json.loads(keyring_entries(county_id)["session"])
    refresh_token = session["refresh_token"]
    logout = launcher(["logout", "--county", str(county)], home)
    assert logout.returncode == 0, logout.stderr
    answer = requests.post(
        f"{oidc_provider.issuer}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": "launcher",
        },
        timeout=10,
    )
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_logout_while_the_provider_is_down_still_wipes_locally(tmp_path: Path) -> None:
    provider = start_provider(tmp_path / "provider")
    county = tmp_path / "county.toml"
    county.write_text(
        f'[county]\nid = "{COUNTY}-offline"\nname = "离线县"\n'
        f'[idp]\nissuer = "{provider.issuer}"\nlogin = "system-browser"\n',
        encoding="utf-8",
    )
    home = tmp_path / "home"
    try:
        login_no_browser(county, home, "wangfang")
        assert "session" in keyring_entries(f"{COUNTY}-offline")
    finally:
        provider.stop()
    logout = launcher(["logout", "--county", str(county), "--lang", "en"], home)
    assert logout.returncode == 0, logout.stderr
    assert "WARNING" in logout.stderr and "provider not told of the logout" in logout.stderr
    assert logout.stdout.startswith("signed out")
    assert keyring_entries(f"{COUNTY}-offline") == {}


def test_a_refused_sign_in_fails_with_the_providers_reason(
    provider_county: DemoCounty, oidc_provider: OidcProvider, tmp_path: Path
) -> None:
    """The user cancels at the provider's consent page: the listener shows the failure page, the
    command exits 1 with the provider's words."""
    provider = start_provider(tmp_path / "provider", autoConsent=False)
    county = tmp_path / "county.toml"
    county.write_text(
        f'[county]\nid = "{COUNTY}-refused"\nname = "县"\n[idp]\nissuer = "{provider.issuer}"\n',
        encoding="utf-8",
    )
    home = tmp_path / "home"
    process = start(["login", "--county", str(county), "--no-browser", "--lang", "en"], home)
    try:
        assert process.stdout is not None
        callback = sign_in(process.stdout.readline().strip(), "zhangwei", consent=False)
        assert "error=access_denied" in callback
        page = deliver(callback)
        assert page.status_code == 200 and "登录未完成" in page.text
        out, err = process.communicate(timeout=60)
    finally:
        provider.stop()
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 1
    assert "launcher: the identity provider refused the sign-in" in err
    assert f"launcher: {sign_in_text(AuthReason.REFUSED, ENGLISH)}\n" in err  # what to do next
    assert "signed in as" not in out
    assert "Traceback" not in err
    assert keyring_entries(f"{COUNTY}-refused") == {}
