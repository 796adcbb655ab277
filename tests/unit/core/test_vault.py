"""The password vault against the real keyring, and where it may fill a login page.

The keyring is the real Secret Service (gnome-keyring, started by scripts/test.sh).
"""

from __future__ import annotations

import json
import logging
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from launcher.core.auth.vault import (
    AutoSubmit,
    Credentials,
    PasswordVault,
    SavedAccount,
    auto_submit,
    is_login_page,
    login_script,
    plan_login,
)
from launcher.core.logmask import MaskingFormatter
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform
from launcher.core.secrets import SecretStore

BASE = "http://127.0.0.1:8421"


@pytest.fixture
def store() -> Iterator[SecretStore]:
    secrets = SecretStore(f"test-vault-{uuid.uuid4().hex[:8]}")
    yield secrets
    secrets.delete_matching("")


def legacy_platform(
    folder: Path,
    *,
    kind: str = "password",
    login_url: str = "{base_url}/login",
    origins: str = '["{base_url}"]',
    base_url: str = BASE,
) -> Platform:
    plugin = folder / "legacy"
    plugin.mkdir(parents=True, exist_ok=True)
    login = textwrap.dedent(f"""
        [auth.login]
        url = "{login_url}"
        username = "#username"
        password = "input[name='pw']"
        submit = "#go"
        failure = ".error"
        """)
    (plugin / "manifest.toml").write_text(
        textwrap.dedent(f"""
            schema = 1
            id = "county.legacy"
            name = "旧平台"
            version = "1.0.0"
            home = "{{base_url}}/"
            origins = {origins}

            [auth]
            kind = "{kind}"
            """)
        + (login if kind == "password" else ""),
        encoding="utf-8",
    )
    return Platform(load_manifest(plugin / "manifest.toml"), base_url)


# --- the vault ---------------------------------------------------------------------------------


def test_an_account_is_saved_read_and_deleted(store: SecretStore) -> None:
    vault = PasswordVault(store, owner=lambda: "zhangwei")
    assert vault.get("demo.sanzi") is None and not vault.has("demo.sanzi")

    vault.set("demo.sanzi", " zhangwei ", "Sz@zw2024")
    assert vault.get("demo.sanzi") == Credentials("zhangwei", "Sz@zw2024")
    assert vault.has("demo.sanzi") and vault.saved() == ["demo.sanzi"]
    # Stored as JSON in the OS keyring, nowhere else.
    raw = keyring.get_password(store.service, "demo.sanzi/zhangwei")
    assert raw is not None and json.loads(raw) == {"username": "zhangwei", "password": "Sz@zw2024"}

    vault.set("demo.sanzi", "zhangwei", "new-password")
    assert vault.get("demo.sanzi") == Credentials("zhangwei", "new-password")
    vault.delete("demo.sanzi")
    assert vault.get("demo.sanzi") is None and vault.saved() == []
    assert keyring.get_password(store.service, "demo.sanzi/zhangwei") is None


def test_each_county_account_has_its_own_saved_passwords(store: SecretStore) -> None:
    """A shared PC: the next person signed in to the county does not get the previous one's."""
    who = {"sub": "zhangwei"}
    vault = PasswordVault(store, owner=lambda: who["sub"])
    vault.set("demo.sanzi", "zhangwei", "Sz@zw2024")
    vault.set("demo.other", "zw", "other-pass")

    who["sub"] = "lina"
    assert vault.get("demo.sanzi") is None and vault.saved() == []
    vault.set("demo.sanzi", "lina", "Sz@ln2024")
    who["sub"] = ""  # nobody signed in
    assert vault.get("demo.sanzi") is None and not vault.has("demo.sanzi")

    who["sub"] = "zhangwei"
    assert vault.get("demo.sanzi") == Credentials("zhangwei", "Sz@zw2024")
    assert vault.saved() == ["demo.other", "demo.sanzi"]

    # A retired platform: every account's saved password of it goes, the others stay.
    vault.forget("demo.sanzi")
    assert vault.saved() == ["demo.other"]
    who["sub"] = "lina"
    assert vault.get("demo.sanzi") is None
    assert sorted(store.names()) == ["demo.other/zhangwei"]


def test_the_saved_account_says_whether_it_may_be_submitted_by_itself(
    store: SecretStore,
) -> None:
    """Kept with the password in its keyring entry: it survives a restart, and a new password
    (or another county account) starts afresh. Nothing else is written anywhere."""
    vault = PasswordVault(store, owner=lambda: "zhangwei")
    account = Credentials("zhangwei", "Da@zw2024")
    # Nothing saved: nothing kept.
    assert not vault.set_auto("demo.dangan", account, AutoSubmit.TRYING)
    vault.set("demo.dangan", "zhangwei", "Da@zw2024")
    saved = vault.account("demo.dangan")
    assert saved == SavedAccount(account, AutoSubmit.READY)
    assert saved.may_submit and not saved.stopped

    assert vault.set_auto("demo.dangan", account, AutoSubmit.TRYING)
    raw = keyring.get_password(store.service, "demo.dangan/zhangwei")
    assert raw is not None and json.loads(raw)["auto"] == "trying"
    again = PasswordVault(store, owner=lambda: "zhangwei").account("demo.dangan")  # a restart
    assert again is not None and again.auto == AutoSubmit.TRYING and again.stopped
    assert vault.get("demo.dangan") == account  # the password is untouched

    for auto in (AutoSubmit.REFUSED, AutoSubmit.UNKNOWN, AutoSubmit.FILL_ONLY):
        assert vault.set_auto("demo.dangan", account, auto)
        now = vault.account("demo.dangan")
        assert now is not None and now.auto == auto and not now.may_submit
    # The state of an attempt with an older password never lands on the new one.
    vault.set("demo.dangan", "zhangwei", "New@2025")
    assert not vault.set_auto("demo.dangan", account, AutoSubmit.REFUSED)
    renewed = vault.account("demo.dangan")
    assert renewed is not None and renewed.auto == AutoSubmit.READY
    raw = keyring.get_password(store.service, "demo.dangan/zhangwei")
    assert raw is not None and "auto" not in json.loads(raw)
    with pytest.raises(ValueError, match="state"):
        vault.set_auto("demo.dangan", account, "maybe")
    # A state this launcher does not know (a newer one wrote it, or damage) never submits.
    store.set("demo.dangan/zhangwei", json.dumps({"username": "z", "password": "p", "auto": 7}))
    odd = vault.account("demo.dangan")
    assert odd is not None and odd.auto == AutoSubmit.UNKNOWN and not odd.may_submit
    store.set("demo.dangan/zhangwei", json.dumps({"username": "z", "password": "p", "auto": "x"}))
    newer = vault.account("demo.dangan")
    assert newer is not None and newer.auto is AutoSubmit.UNKNOWN and newer.stopped
    assert auto_submit("fill-only") is AutoSubmit.FILL_ONLY and auto_submit(None) is AutoSubmit.UNKNOWN


def test_bad_input_is_refused_with_a_clear_message(store: SecretStore) -> None:
    vault = PasswordVault(store, owner=lambda: "zhangwei")
    with pytest.raises(ValueError, match="user name and a password"):
        vault.set("demo.sanzi", "  ", "secret-1")
    with pytest.raises(ValueError, match="user name and a password"):
        vault.set("demo.sanzi", "zhangwei", "")
    with pytest.raises(ValueError, match="not a platform id"):
        vault.get("demo/sanzi")
    # An entry someone else wrote in another shape is ignored, not a crash.
    store.set("demo.sanzi/zhangwei", "not json")
    assert vault.get("demo.sanzi") is None


def test_saved_passwords_never_reach_a_log_line(
    store: SecretStore,
) -> None:
    PasswordVault(store, owner=lambda: "u1").set("demo.sanzi", "zhangwei", "Vault-Secret-7")
    credentials = PasswordVault(store, owner=lambda: "u1").get("demo.sanzi")
    assert credentials is not None
    assert "Vault-Secret-7" not in repr(credentials)
    record = logging.LogRecord(
        "t", logging.INFO, __file__, 1, "typed %s", ("Vault-Secret-7",), None
    )
    assert "Vault-Secret-7" not in MaskingFormatter().format(record)


# --- where the vault may fill ------------------------------------------------------------------


def test_only_the_login_page_on_the_platforms_own_origin_is_planned(tmp_path: Path) -> None:
    platform = legacy_platform(tmp_path)
    for url in (
        f"{BASE}/login",
        f"{BASE}/login/",
        f"{BASE}/login?next=/ledger/1",
        f"{BASE}/login#top",
        "HTTP://127.0.0.1:8421/login",
    ):
        assert is_login_page(platform, url), url
        plan = plan_login(platform, url)
        assert plan is not None and plan.origin == BASE
        assert (plan.username, plan.password, plan.submit, plan.failure) == (
            "#username",
            "input[name='pw']",
            "#go",
            ".error",
        )
    for url in (
        f"{BASE}/",  # another page of the platform
        f"{BASE}/login.html",
        f"{BASE}/other/login",
        "http://127.0.0.1:8422/login",  # another origin: another port
        "https://127.0.0.1:8421/login",  # another scheme
        "http://localhost:8421/login",  # another host name for the same server
        "http://127.0.0.1:8421@evil.example/login",
        "file:///login",
        "javascript:alert(1)//127.0.0.1:8421/login",
        "not a url",
        "",
    ):
        assert not is_login_page(platform, url), url
        assert plan_login(platform, url) is None, url


def test_a_login_frame_is_planned_only_inside_the_platforms_own_pages(tmp_path: Path) -> None:
    platform = legacy_platform(tmp_path)
    login = f"{BASE}/login"
    # A frameset of the platform: the login page in one of its frames, nested or not.
    plan = plan_login(platform, login, ancestors=[f"{BASE}/"])
    assert plan is not None and plan.path == "/login"
    assert plan_login(platform, login, ancestors=[f"{BASE}/", f"{BASE}/inner"]) is not None
    for ancestors in (
        ["http://127.0.0.1:8422/framed"],  # another site frames the login page
        [f"{BASE}/", "http://127.0.0.1:8422/"],  # a frame of another site in between
        ["https://127.0.0.1:8421/"],  # another scheme
        [f"{BASE}/"] * 5,  # deeper than any frameset
    ):
        assert plan_login(platform, login, ancestors=ancestors) is None, ancestors
    # Another application behind the same gateway (same origin, outside the platform's path).
    gated = legacy_platform(
        tmp_path / "gated", login_url="{base_url}/login", base_url=f"{BASE}/dangan"
    )
    assert plan_login(gated, f"{BASE}/dangan/login", ancestors=[f"{BASE}/dangan/"]) is not None
    assert plan_login(gated, f"{BASE}/dangan/login", ancestors=[f"{BASE}/portal/"]) is None


def test_a_login_page_outside_the_declared_origins_is_never_filled(tmp_path: Path) -> None:
    # The manifest points its login page at a host it does not list among its origins.
    platform = legacy_platform(tmp_path, login_url="http://127.0.0.1:9999/login")
    assert plan_login(platform, "http://127.0.0.1:9999/login") is None
    assert plan_login(platform, f"{BASE}/login") is None
    # Listed, it is filled there (a platform whose login lives on a second origin of its own).
    listed = legacy_platform(
        tmp_path / "two",
        login_url="http://127.0.0.1:9999/login",
        origins='["{base_url}", "http://127.0.0.1:9999"]',
    )
    plan = plan_login(listed, "http://127.0.0.1:9999/login?x=1")
    assert plan is not None and plan.origin == "http://127.0.0.1:9999"


def test_only_password_platforms_are_planned(tmp_path: Path) -> None:
    sso = legacy_platform(tmp_path, kind="sso")
    assert sso.login_url == ""
    assert not is_login_page(sso, f"{BASE}/login") and plan_login(sso, f"{BASE}/login") is None
    default_port = legacy_platform(tmp_path / "p", base_url="https://legacy.example")
    plan = plan_login(default_port, "https://legacy.example:443/login")
    assert plan is not None and plan.origin == "https://legacy.example"


def test_the_script_carries_every_value_as_one_literal(tmp_path: Path) -> None:
    plan = plan_login(legacy_platform(tmp_path), f"{BASE}/login")
    assert plan is not None
    tricky = "p\"w'</script>\u2028\\n"
    script = login_script(plan, Credentials("张伟", tricky))
    assert "\n(function (plan) {" in script and script.endswith(");")
    payload = json.loads(script[script.rindex("})(") + 3 : -2])
    assert payload == {
        "origin": BASE,
        "path": "/login",
        "mode": "submit",
        "mark": "",
        "overFailure": False,
        "username": {"selector": "#username", "value": "张伟"},
        "password": {"selector": "input[name='pw']", "value": tricky},
        "submit": "#go",
        "failure": ".error",
        "captcha": "",
    }
    assert "\u2028" not in script  # a raw line separator would end the literal in old engines
    fill_only = login_script(plan, Credentials("张伟", tricky), submit=False)
    assert json.loads(fill_only[fill_only.rindex("})(") + 3 : -2])["mode"] == "fill"
    look = login_script(plan, None)  # looking at the form carries no account at all
    assert json.loads(look[look.rindex("})(") + 3 : -2])["password"] == {
        "selector": "input[name='pw']",
        "value": "",
    }
    assert tricky not in look
