"""The demo county's legacy platform (农村“三资”监管: its own accounts and login form) over real
HTTP, and the password vault of the launcher's Services with the real keyring and demo provider."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import keyring
import pytest
import requests

from launcher.core.auth.vault import Credentials, is_login_page, plan_login
from launcher.core.services import Services
from launcher.demo import DEMO_USERS, DemoCounty, sign_in_scripted
from launcher.demo.legacy_app import LEGACY_ACCOUNTS, LEGACY_COOKIE, LEGACY_ID, LoginAttempt

TIMEOUT = 10
ACCOUNT = LEGACY_ACCOUNTS[0]


class _Form(HTMLParser):
    """Every element with an id, and the hidden inputs."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, tuple[str, dict[str, str]]] = {}
        self.hidden: dict[str, str] = {}
        self.action = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if a.get("id"):
            self.by_id[a["id"]] = (tag, a)
        if tag == "input" and a.get("type") == "hidden":
            self.hidden[a["name"]] = a.get("value", "")
        if tag == "form":
            self.action = a.get("action", "")


def base(county: DemoCounty) -> str:
    return county.base_urls[LEGACY_ID]


def post_login(
    browser: requests.Session, county: DemoCounty, page: requests.Response, password: str
) -> requests.Response:
    form = _Form(page.text)
    return browser.post(
        base(county) + form.action,
        data={"username": ACCOUNT.username, "password": password, **form.hidden},
        timeout=TIMEOUT,
    )


def test_pages_need_the_platforms_own_login(demo_county: DemoCounty) -> None:
    browser = requests.Session()
    page = browser.get(base(demo_county) + "/ledger/SZ-0102", timeout=TIMEOUT)
    assert page.status_code == 200
    assert urlsplit(page.url).path == "/login" and "next=/ledger/SZ-0102" in page.url
    form = _Form(page.text)
    # What the manifest's [auth.login] selectors point at.
    assert form.by_id["login-form"][0] == "form"
    assert form.by_id["username"][0] == "input" and form.by_id["username"][1]["type"] == "text"
    assert form.by_id["password"][1]["type"] == "password"
    assert form.by_id["login-submit"][1]["type"] == "submit"
    assert "login-error" not in form.by_id and set(form.hidden) == {"csrf"}
    # The demo account is shown, as the demo provider shows its own; the password differs.
    hint = re.sub(r"<[^>]+>", "", page.text)
    assert f"用户名 {ACCOUNT.username}" in hint and f"密码 {ACCOUNT.password}" in hint
    assert ACCOUNT.password != DEMO_USERS[0].password

    signed_in = post_login(browser, demo_county, page, ACCOUNT.password)
    assert signed_in.url == base(demo_county) + "/ledger/SZ-0102"
    assert "已登录：张伟" in signed_in.text and "集体资产台账年度清查" in signed_in.text
    assert LEGACY_COOKIE in {c.name for c in browser.cookies}
    assert "已登录：张伟" in browser.get(base(demo_county) + "/", timeout=TIMEOUT).text

    out = browser.get(base(demo_county) + "/logout", timeout=TIMEOUT)
    assert urlsplit(out.url).path == "/login"
    again = browser.get(base(demo_county) + "/", timeout=TIMEOUT)
    assert urlsplit(again.url).path == "/login"


def test_a_wrong_password_shows_the_error_on_the_same_page(demo_county: DemoCounty) -> None:
    browser = requests.Session()
    before = len(demo_county.login_attempts())
    page = browser.get(base(demo_county) + "/", timeout=TIMEOUT)
    refused = post_login(browser, demo_county, page, DEMO_USERS[0].password)  # the IdP's one
    assert refused.status_code == 200 and urlsplit(refused.url).path == "/login"
    form = _Form(refused.text)
    assert form.by_id["login-error"][1]["role"] == "alert"
    assert "用户名或密码错误" in refused.text
    assert demo_county.login_attempts()[before:] == [LoginAttempt(ACCOUNT.username, False)]
    home = browser.get(base(demo_county) + "/", timeout=TIMEOUT)
    assert urlsplit(home.url).path == "/login", "a refused password signs nobody in"
    # A form without its page's token is refused before any password check.
    stale = browser.post(
        base(demo_county) + "/login",
        data={"username": ACCOUNT.username, "password": ACCOUNT.password},
        timeout=TIMEOUT,
    )
    assert "页面已过期" in stale.text and len(demo_county.login_attempts()) == before + 1
    # After the login, only the platform's own pages: never another site.
    page = browser.get(base(demo_county) + "/login?next=//evil.example/", timeout=TIMEOUT)
    done = post_login(browser, demo_county, page, ACCOUNT.password)
    assert done.url == base(demo_county) + "/"


def test_the_county_login_does_not_sign_in_to_the_legacy_platform(
    demo_county: DemoCounty,
) -> None:
    from launcher.core.county import load_county
    from launcher.core.registry import build_registry

    registry = build_registry(load_county(demo_county.county_path))
    platform = registry.get(LEGACY_ID)
    assert platform is not None and platform.auth_kind == "password"
    assert platform.manifest.tasks is None  # no task API: nothing in the inbox from it
    login_page = base(demo_county) + "/login?next=/"
    assert is_login_page(platform, login_page) and plan_login(platform, login_page) is not None
    # The county provider's login page has the same field ids: it is not the platform's page.
    idp_login = demo_county.issuer + "/login"
    assert registry.platform_for_url(idp_login) is None
    assert plan_login(platform, idp_login) is None
    for other in registry.platforms:
        if other.id != LEGACY_ID:
            assert plan_login(other, login_page) is None
            assert plan_login(platform, other.base_url + "/login") is None


@pytest.fixture
def services(demo_county: DemoCounty, real_keyring: None) -> Iterator[Services]:
    opened = Services.open(demo_county.county_path)
    yield opened
    opened.vault.forget(LEGACY_ID)
    opened.auth.wipe_local()
    opened.close()


def sign_in(services: Services, user: Any = DEMO_USERS[0]) -> None:
    flow = services.auth.begin_login()
    callback = sign_in_scripted(flow.auth_uri, user.username, user.password)
    services.auth.complete_login(flow, callback)


def test_saved_passwords_outlive_the_county_logout_and_stay_with_their_account(
    services: Services,
) -> None:
    vault = services.vault
    assert vault.store.service == "yiduantong/vault/demo"
    sign_in(services)
    assert not vault.has(LEGACY_ID)
    vault.set(LEGACY_ID, ACCOUNT.username, ACCOUNT.password)
    assert vault.get(LEGACY_ID) == Credentials(ACCOUNT.username, ACCOUNT.password)

    services.logout()
    # The county session is gone from the keyring; the saved password is the user's and stays.
    assert services.auth.restore() is None
    assert keyring.get_password(vault.store.service, f"{LEGACY_ID}/{DEMO_USERS[0].username}")
    assert vault.get(LEGACY_ID) is None, "nobody is signed in: no saved password is handed out"

    sign_in(services, DEMO_USERS[1])  # someone else on the same PC
    assert vault.get(LEGACY_ID) is None and vault.saved() == []
    services.logout()

    sign_in(services)
    assert vault.get(LEGACY_ID) == Credentials(ACCOUNT.username, ACCOUNT.password)
    assert vault.saved() == [LEGACY_ID]
    services.logout()

    # Retiring the platform removes its saved passwords for every account.
    vault.forget(LEGACY_ID)
    assert [n for n in vault.store.names() if n.startswith(LEGACY_ID + "/")] == []


def test_the_plugin_has_its_own_titled_icon() -> None:
    from launcher.core.manifest import load_manifest
    from launcher.core.paths import builtin_plugins_dir

    manifests = [load_manifest(p) for p in builtin_plugins_dir().glob("*/manifest.toml")]
    legacy = next(m for m in manifests if m.id == LEGACY_ID)
    assert legacy.auth.kind == "password" and legacy.auth.login is not None
    assert legacy.icon is not None
    svg = legacy.icon.read_text(encoding="utf-8")
    assert f'<title id="t">{legacy.name}</title>' in svg

    def colour(path: Any) -> str:
        found = re.search(r'fill="(#\w+)"', path.read_text(encoding="utf-8"))
        assert found is not None
        return found.group(1)

    others = {colour(m.icon) for m in manifests if m.icon is not None and m.id != LEGACY_ID}
    assert colour(legacy.icon) not in others
