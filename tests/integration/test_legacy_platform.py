"""The demo county's legacy platform (农村“三资”监管: its own accounts and login form) over real
HTTP, and the password vault of the launcher's Services with the real keyring and demo provider."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import keyring
import pytest
import requests

from launcher.app.services import Services
from launcher.core.auth.vault import Credentials, is_login_page, plan_login
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform
from launcher_demo import DEMO_USERS, DemoCounty
from launcher_demo import sign_in as demo_sign_in
from launcher_demo.legacy_app import LEGACY_ACCOUNTS, LEGACY_COOKIE, LEGACY_ID, LoginAttempt
from launcher_demo.lockout_app import (
    LOCKOUT_ACCOUNTS,
    PREFIX,
    LockoutAttempt,
    LockoutData,
    lockout_manifest,
    serve_lockout,
)

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
    demo_sign_in(services.auth, user)


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
    from launcher_demo.plugin_dir import plugins_dir

    manifests = [load_manifest(p) for p in plugins_dir().glob("*/manifest.toml")]
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


# --- the lockout platform: a frameset login with a captcha, shaped like the one in issue 11 ------


@pytest.fixture
def lockout() -> Iterator[tuple[LockoutData, str]]:
    with serve_lockout() as served:
        yield served


def lockout_login(
    browser: requests.Session,
    data: LockoutData,
    base_url: str,
    password: str,
    *,
    code: str | None = None,
) -> requests.Response:
    """Log in as a person would: the form, its captcha picture, the code typed (``code``; "read":
    the code the picture showed)."""
    page = browser.get(base_url + "/login.jsp", timeout=TIMEOUT)
    form = _Form(page.text)
    picture = form.by_id.get("yzmImg")
    if picture is not None:  # the picture loads: the server issues its code
        browser.get(base_url + picture[1]["src"].removeprefix(PREFIX), timeout=TIMEOUT)
    fields = {"loginName": ACCOUNT.username, "loginPwd": password}
    if code is not None:
        fields["yzm"] = data.latest_captcha() if code == "read" else code
    return browser.post(base_url + form.action.removeprefix(PREFIX), data=fields, timeout=TIMEOUT)


def test_the_lockout_platform_is_a_frameset_with_a_captcha_that_locks_after_three(
    lockout: tuple[LockoutData, str], tmp_path: Path
) -> None:
    data, server = lockout
    base_url = server + PREFIX
    browser = requests.Session()
    top = browser.get(base_url + "/", timeout=TIMEOUT)
    frames = re.findall(r'<frame name="(\w+)" id="\w+" src="([^"]+)"', top.text)
    assert frames == [("topFrame", PREFIX + "/top.jsp"), ("mainFrame", PREFIX + "/login.jsp")]
    form = _Form(browser.get(base_url + "/login.jsp", timeout=TIMEOUT).text)
    for element in ("loginForm", "loginName", "loginPwd", "yzm", "yzmImg", "btnLogin"):
        assert element in form.by_id, element
    assert form.by_id["loginPwd"][1]["type"] == "password"

    # The incident: the right password, no captcha; the refusal is another page, status 200.
    refused = lockout_login(browser, data, base_url, LOCKOUT_ACCOUNTS[0].password)
    assert refused.status_code == 200 and urlsplit(refused.url).path == PREFIX + "/loginError.jsp"
    assert "验证码错误" in refused.text and "loginPwd" not in refused.text
    lockout_login(browser, data, base_url, "wrong", code="read")
    assert not data.locked(ACCOUNT.username)
    third = lockout_login(browser, data, base_url, LOCKOUT_ACCOUNTS[0].password, code="XXXX")
    assert "验证码错误" in third.text and data.locked(ACCOUNT.username)
    # Locked: even the right password and captcha are refused now.
    lockout_login(browser, data, base_url, LOCKOUT_ACCOUNTS[0].password, code="")
    locked = lockout_login(
        browser, data, base_url, LOCKOUT_ACCOUNTS[0].password, code="read"
    )
    assert "账号已锁定" in locked.text
    assert [a.result for a in data.all_attempts()] == [
        "captcha", "password", "captcha", "locked", "locked"
    ]

    data.reset()
    signed_in = lockout_login(
        browser, data, base_url, LOCKOUT_ACCOUNTS[0].password, code="read"
    )
    assert "登录成功" in signed_in.text and "top.location.href" in signed_in.text
    assert "已登录：张伟" in browser.get(base_url + "/main.jsp", timeout=TIMEOUT).text
    assert data.all_attempts() == [LockoutAttempt(ACCOUNT.username, "ok")]
    # The gateway's other application is on the same host and port, outside the platform.
    portal = browser.get(server + "/portal/", timeout=TIMEOUT)
    assert portal.status_code == 200 and "window.open" in portal.text

    # Its manifest: the login page is the frame's page, the frameset is the platform's own.
    plugin = tmp_path / "dangan"
    plugin.mkdir()
    (plugin / "manifest.toml").write_text(lockout_manifest(declared=True), encoding="utf-8")
    platform = Platform(load_manifest(plugin / "manifest.toml"), base_url)
    assert plan_login(platform, base_url + "/login.jsp", ancestors=[base_url + "/"]) is not None
    assert plan_login(platform, base_url + "/login.jsp", ancestors=[server + "/portal/"]) is None
    assert not platform.owns(server + "/portal/")
    login = platform.manifest.auth.login
    assert login is not None and login.captcha == "#yzm" and login.success == "#currentUser"
