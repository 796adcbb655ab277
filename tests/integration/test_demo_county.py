"""The built-in demo county over real HTTP: its identity provider, platforms and county file.

The servers are the real ones `launcher --demo` starts; requests is the client, as a browser or the
launcher would be.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from launcher.core.county import load_county
from launcher.core.errors import AuthError
from launcher.core.manifest import Manifest, load_manifest
from launcher.core.registry import build_registry
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser, sign_in_scripted
from launcher_demo.platforms import spec_for
from launcher_demo.plugin_dir import plugins_dir

REDIRECT = "http://127.0.0.1:53682/callback"
TIMEOUT = 10
CST_OFFSET = timedelta(hours=8)


# --- helpers: what the launcher does, done by hand --------------------------------------------


def discovery(county: DemoCounty) -> dict[str, Any]:
    answer = requests.get(f"{county.issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
    answer.raise_for_status()
    return answer.json()  # type: ignore[no-any-return]


def all_scopes(county: DemoCounty) -> str:
    platform_scopes = [m.auth.scopes[0] for m in manifests().values()]
    return " ".join(["openid", "profile", "offline_access", *platform_scopes])


def authorize_url(county: DemoCounty, scope: str, **extra: str) -> tuple[str, dict[str, str]]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    flow = {
        "state": secrets.token_urlsafe(12),
        "nonce": secrets.token_urlsafe(12),
        "verifier": verifier,
    }
    params = {
        "response_type": "code",
        "client_id": "launcher",
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": flow["state"],
        "nonce": flow["nonce"],
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
        **extra,
    }
    return f"{county.issuer}/authorize?{urlencode(params)}", flow


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def log_in(
    county: DemoCounty, user: DemoUser = DEMO_USERS[0], scope: str | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """One launcher login (code + PKCE); returns the token answer and the flow."""
    url, flow = authorize_url(county, scope or all_scopes(county))
    callback = query(sign_in_scripted(url, user.username, user.password))
    answer = requests.post(
        f"{county.issuer}/token",
        timeout=TIMEOUT,
        data={
            "grant_type": "authorization_code",
            "code": callback["code"],
            "redirect_uri": REDIRECT,
            "client_id": "launcher",
            "code_verifier": flow["verifier"],
        },
    )
    assert answer.status_code == 200, answer.text
    return answer.json(), flow


def refresh(county: DemoCounty, refresh_token: str, scope: str | None) -> requests.Response:
    data = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": "launcher"}
    if scope:
        data["scope"] = scope
    return requests.post(f"{county.issuer}/token", data=data, timeout=TIMEOUT)


def jwks(county: DemoCounty) -> KeySet:
    return KeySet.import_key_set(
        requests.get(discovery(county)["jwks_uri"], timeout=TIMEOUT).json()
    )


def manifests() -> dict[str, Manifest]:
    """The demo platforms signed in through the county IdP (not the legacy password one)."""
    found = [load_manifest(p) for p in sorted(plugins_dir().glob("*/manifest.toml"))]
    return {m.id: m for m in found if m.id.startswith("demo.") and m.auth.sso}


def expand(template: str, base_url: str) -> str:
    return template.replace("{base_url}", base_url)


def dig(value: Any, path: str) -> Any:
    for part in path.split(".") if path else []:
        value = value[part]
    return value


def fetch_tasks(
    county: DemoCounty, plugin_id: str, token: str | None, status: str = "open"
) -> requests.Response:
    spec = manifests()[plugin_id].tasks
    assert spec is not None
    url = expand(spec.url, county.base_urls[plugin_id])
    if status != "open":
        url = url.replace("status=open", f"status={status}")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(url, headers=headers, timeout=TIMEOUT)


def mapped_items(
    county: DemoCounty, plugin_id: str, token: str, status: str = "open"
) -> list[dict[str, Any]]:
    """The platform's answer read through its manifest's field mapping, as the inbox reads it."""
    spec = manifests()[plugin_id].tasks
    assert spec is not None
    answer = fetch_tasks(county, plugin_id, token, status)
    items: list[Any] = []
    while True:
        assert answer.status_code == 200, answer.text
        items.extend(dig(answer.json(), spec.items))
        following = answer.links.get("next")  # 民政救助 pages (its manifest's [tasks.paging])
        if following is None:
            break
        answer = requests.get(urljoin(answer.url, following["url"]),
                              headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
    return [{field: dig(item, path) for field, path in spec.fields.items()} for item in items]


def platform_tokens(county: DemoCounty, user: DemoUser = DEMO_USERS[0]) -> dict[str, str]:
    login, _ = log_in(county, user)
    tokens = {}
    for plugin_id, manifest in manifests().items():
        answer = refresh(county, login["refresh_token"], " ".join(manifest.auth.scopes))
        assert answer.status_code == 200, answer.text
        tokens[plugin_id] = answer.json()["access_token"]
    return tokens


class _Page(HTMLParser):
    """Elements with their attributes and which ids have a <label for=...>."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.labelled: set[str] = set()
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag == "label" and a.get("for"):
            self.labelled.add(a["for"])

    def select(self, selector: str) -> list[tuple[str, dict[str, str]]]:
        """The few selector forms manifests use: #id, tag[name=x], [name=x]."""
        if selector.startswith("#"):
            return [e for e in self.elements if e[1].get("id") == selector[1:]]
        match = re.fullmatch(r"(\w*)\[name=['\"]?([\w-]+)['\"]?\]", selector)
        assert match, f"selector {selector!r} not understood by this test"
        tag, name = match.groups()
        return [e for e in self.elements if e[1].get("name") == name and (not tag or e[0] == tag)]


def browser_login(county: DemoCounty, user: DemoUser = DEMO_USERS[0]) -> requests.Session:
    """A browser that signed in at the IdP's own login page (and nowhere else)."""
    browser = requests.Session()
    page = browser.get(f"{county.issuer}/login", timeout=TIMEOUT)
    csrf = next(a["value"] for t, a in _Page(page.text).elements if a.get("name") == "csrf")
    answer = browser.post(
        f"{county.issuer}/login",
        timeout=TIMEOUT,
        data={"username": user.username, "password": user.password, "csrf": csrf, "next": "/"},
    )
    assert f"已登录：{user.name}" in answer.text
    return browser


# --- the county file ---------------------------------------------------------------------------


def test_county_file_loads_and_binds_every_platform(demo_county: DemoCounty) -> None:
    county = load_county(demo_county.county_path)
    assert (county.id, county.name, county.name_en) == ("demo", "示范县", "Demo County")
    assert county.idp.issuer == demo_county.issuer
    assert county.idp.client_id == "launcher" and county.idp.login == "embedded"
    assert set(county.idp.scopes) == {"openid", "profile", "offline_access"}
    registry = build_registry(county)
    assert registry.errors == []
    assert len(registry.platforms) == 8  # seven on the county login, one legacy password platform
    assert [p.id for p in registry.platforms if p.auth_kind == "password"] == ["demo.sanzi"]
    assert {p.id: p.base_url for p in registry.platforms} == demo_county.base_urls
    names = {p.name for p in registry.platforms}
    assert {"党员管理", "社区云", "垃圾分类", "安全排查", "执法检查", "基层智治综合应用"} <= names


def test_every_plugin_manifest_loads_with_a_titled_icon() -> None:
    found = manifests()
    assert len(found) >= 7
    for manifest in found.values():
        assert manifest.icon is not None and manifest.icon.suffix == ".svg"
        svg = manifest.icon.read_text(encoding="utf-8")
        assert f'<title id="t">{manifest.name}</title>' in svg
        assert manifest.auth.kind == "sso" and len(manifest.auth.scopes) == 1
        assert manifest.forms, f"{manifest.id} declares no form"
    colours = {
        re.search(r'fill="(#\w+)"', m.icon.read_text()).group(1)  # type: ignore[union-attr]
        for m in found.values()
        if m.icon
    }
    assert len(colours) == len(found), "every platform icon has its own colour"


# --- the identity provider ---------------------------------------------------------------------


def test_discovery_and_jwks(demo_county: DemoCounty) -> None:
    meta = discovery(demo_county)
    issuer = demo_county.issuer
    assert meta["issuer"] == issuer
    for key, path in [
        ("authorization_endpoint", "/authorize"),
        ("token_endpoint", "/token"),
        ("userinfo_endpoint", "/userinfo"),
        ("jwks_uri", "/jwks"),
        ("revocation_endpoint", "/revoke"),
        ("end_session_endpoint", "/logout"),
    ]:
        assert meta[key] == issuer + path
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["authorization_response_iss_parameter_supported"] is True
    assert meta["response_types_supported"] == ["code"]
    assert meta["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"authorization_code", "refresh_token"} <= set(meta["grant_types_supported"])
    assert set(all_scopes(demo_county).split()) <= set(meta["scopes_supported"])
    keys = requests.get(meta["jwks_uri"], timeout=TIMEOUT).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["kid"]
    assert "d" not in keys[0], "the JWKS must not publish the private key"


def test_code_flow_with_pkce_gives_signed_tokens(demo_county: DemoCounty) -> None:
    url, flow = authorize_url(demo_county, all_scopes(demo_county))
    callback = sign_in_scripted(url, DEMO_USERS[0].username, DEMO_USERS[0].password)
    assert callback.startswith(REDIRECT + "?")
    params = query(callback)
    assert params["state"] == flow["state"]
    assert params["iss"] == demo_county.issuer  # RFC 9207
    token_url = f"{demo_county.issuer}/token"
    form = {
        "grant_type": "authorization_code",
        "code": params["code"],
        "redirect_uri": REDIRECT,
        "client_id": "launcher",
    }
    wrong = requests.post(
        token_url, data={**form, "code_verifier": secrets.token_urlsafe(48)}, timeout=TIMEOUT
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"

    url, flow = authorize_url(demo_county, all_scopes(demo_county))
    params = query(sign_in_scripted(url, DEMO_USERS[0].username, DEMO_USERS[0].password))
    answer = requests.post(
        token_url,
        timeout=TIMEOUT,
        data={**form, "code": params["code"], "code_verifier": flow["verifier"]},
    )
    assert answer.status_code == 200, answer.text
    tokens = answer.json()
    assert tokens["token_type"].lower() == "bearer" and tokens["refresh_token"]
    keys = jwks(demo_county)

    id_token = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    claims = id_token.claims
    assert claims["iss"] == demo_county.issuer and claims["aud"] == "launcher"
    assert claims["nonce"] == flow["nonce"]
    assert claims["sub"] == DEMO_USERS[0].username
    assert claims["name"] == DEMO_USERS[0].name
    assert claims["preferred_username"] == DEMO_USERS[0].username
    jwt.JWTClaimsRegistry(exp={"essential": True}).validate(claims)

    access = jwt.decode(tokens["access_token"], keys, algorithms=["RS256"])
    assert access.header["typ"] == "at+jwt" and access.header["kid"]
    a = access.claims
    assert a["iss"] == demo_county.issuer and a["sub"] == DEMO_USERS[0].username
    assert a["client_id"] == "launcher" and a["aud"] and a["jti"]
    assert a["exp"] - a["iat"] == 3600
    assert set(a["scope"].split()) == set(all_scopes(demo_county).split())

    # The code is single use.
    again = requests.post(
        token_url,
        timeout=TIMEOUT,
        data={**form, "code": params["code"], "code_verifier": flow["verifier"]},
    )
    assert again.status_code == 400

    info = requests.get(
        f"{demo_county.issuer}/userinfo",
        timeout=TIMEOUT,
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    assert info.status_code == 200 and info.json()["name"] == DEMO_USERS[0].name


def test_launcher_must_use_pkce_and_a_loopback_redirect(demo_county: DemoCounty) -> None:
    url, _ = authorize_url(demo_county, "openid profile")
    no_pkce = re.sub(r"&code_challenge[^&]*&code_challenge_method=S256", "", url)
    assert "code_challenge" not in no_pkce
    refused = query(sign_in_scripted(no_pkce, DEMO_USERS[0].username, DEMO_USERS[0].password))
    assert refused["error"] == "invalid_request" and "code" not in refused
    assert refused["iss"] == demo_county.issuer

    silent, _ = authorize_url(demo_county, "openid profile", prompt="none")
    answer = requests.get(silent, timeout=TIMEOUT, allow_redirects=False)
    assert answer.status_code == 302
    assert query(answer.headers["Location"])["error"] == "login_required"

    foreign = url.replace("127.0.0.1%3A53682", "evil.example%3A53682")
    page = requests.get(foreign, timeout=TIMEOUT, allow_redirects=False)
    assert page.status_code == 400 and "evil.example" not in page.headers.get("Location", "")

    any_port = url.replace("53682", "40001")
    ok = sign_in_scripted(any_port, DEMO_USERS[0].username, DEMO_USERS[0].password)
    assert ok.startswith("http://127.0.0.1:40001/callback?") and "code" in query(ok)


def test_wrong_password_stays_on_the_login_page(demo_county: DemoCounty) -> None:
    url, _ = authorize_url(demo_county, "openid profile")
    with pytest.raises(AuthError, match="用户名或密码错误"):
        sign_in_scripted(url, DEMO_USERS[0].username, "wrong-password")
    browser = requests.Session()
    login_page = browser.get(url, timeout=TIMEOUT)
    assert urlsplit(login_page.url).path == "/login"
    page = _Page(login_page.text)
    assert page.select("#login-form") and page.select("input[name=username]")
    assert page.select("input[name=password]")
    for user in DEMO_USERS:  # a newcomer can see whom to sign in as
        assert user.name in login_page.text and user.password in login_page.text
    csrf = next(a["value"] for t, a in page.elements if a.get("name") == "csrf")
    answer = browser.post(
        f"{demo_county.issuer}/login",
        timeout=TIMEOUT,
        data={"username": DEMO_USERS[0].username, "password": "nope", "csrf": csrf, "next": "/"},
    )
    assert "用户名或密码错误" in answer.text and 'id="login-form"' in answer.text


def test_refresh_narrows_the_scope_without_rotating(demo_county: DemoCounty) -> None:
    login, _ = log_in(demo_county)
    answer = refresh(demo_county, login["refresh_token"], "anquan.tasks")
    assert answer.status_code == 200, answer.text
    narrowed = answer.json()
    assert narrowed["scope"] == "anquan.tasks"
    assert "refresh_token" not in narrowed  # not rotated: the old one stays valid
    claims = jwt.decode(narrowed["access_token"], jwks(demo_county)).claims
    assert claims["scope"] == "anquan.tasks"
    assert refresh(demo_county, login["refresh_token"], "zhifa.tasks").status_code == 200
    # A scope never granted cannot be had by refreshing.
    small, _ = log_in(demo_county, scope="openid profile offline_access anquan.tasks")
    wider = refresh(demo_county, small["refresh_token"], "anquan.tasks zhifa.tasks")
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"


def test_no_refresh_token_without_offline_access(demo_county: DemoCounty) -> None:
    tokens, _ = log_in(demo_county, scope="openid profile anquan.tasks")
    assert "refresh_token" not in tokens and tokens["access_token"]


def test_revocation_makes_the_refresh_token_unusable(demo_county: DemoCounty) -> None:
    login, _ = log_in(demo_county)
    revoke = requests.post(
        f"{demo_county.issuer}/revoke",
        timeout=TIMEOUT,
        data={
            "token": login["refresh_token"],
            "token_type_hint": "refresh_token",
            "client_id": "launcher",
        },
    )
    assert revoke.status_code == 200
    again = refresh(demo_county, login["refresh_token"], "anquan.tasks")
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    info = requests.get(
        f"{demo_county.issuer}/userinfo",
        timeout=TIMEOUT,
        headers={"Authorization": f"Bearer {login['access_token']}"},
    )
    assert info.status_code == 401, "access tokens of a revoked grant are revoked too"

    other, _ = log_in(demo_county)
    revoke = requests.post(
        f"{demo_county.issuer}/revoke",
        timeout=TIMEOUT,
        data={"token": other["access_token"], "client_id": "launcher"},
    )
    assert revoke.status_code == 200
    info = requests.get(
        f"{demo_county.issuer}/userinfo",
        timeout=TIMEOUT,
        headers={"Authorization": f"Bearer {other['access_token']}"},
    )
    assert info.status_code == 401
    assert refresh(demo_county, other["refresh_token"], None).status_code == 200


def test_logout_ends_the_idp_session(demo_county: DemoCounty) -> None:
    browser = browser_login(demo_county)
    url, _ = authorize_url(demo_county, "openid profile")
    quick = browser.get(url, timeout=TIMEOUT, allow_redirects=False)
    assert quick.status_code == 302 and quick.headers["Location"].startswith(REDIRECT)

    tokens, _ = log_in(demo_county)
    back = "http://127.0.0.1:53682/logged-out"
    bye = browser.get(
        f"{demo_county.issuer}/logout",
        timeout=TIMEOUT,
        allow_redirects=False,
        params={
            "id_token_hint": tokens["id_token"],
            "client_id": "launcher",
            "post_logout_redirect_uri": back,
            "state": "s1",
        },
    )
    assert bye.status_code == 302 and bye.headers["Location"] == back + "?state=s1"
    url, _ = authorize_url(demo_county, "openid profile")  # a nonce is good for one login only
    after = browser.get(url, timeout=TIMEOUT)
    assert urlsplit(after.url).path == "/login" and 'id="login-form"' in after.text

    plain = browser_login(demo_county)
    page = plain.get(f"{demo_county.issuer}/logout", timeout=TIMEOUT)
    assert "已退出" in page.text
    assert urlsplit(plain.get(url, timeout=TIMEOUT).url).path == "/login"


# --- the platforms -----------------------------------------------------------------------------


def test_every_task_api_accepts_its_own_token_only(demo_county: DemoCounty) -> None:
    tokens = platform_tokens(demo_county)
    ids = list(tokens)
    stranger = RSAKey.generate_key(
        2048, private=True, parameters={"kid": jwks(demo_county).keys[0].kid}
    )
    for index, plugin_id in enumerate(ids):
        items = mapped_items(demo_county, plugin_id, tokens[plugin_id])
        assert 4 <= len(items) <= 12, plugin_id
        for item in items:
            assert item["id"] is not None and item["title"]
            due = datetime.fromisoformat(item["due"])
            assert due.utcoffset() == CST_OFFSET, (plugin_id, item["due"])
            assert item["url"]
        missing = fetch_tasks(demo_county, plugin_id, None)
        assert missing.status_code == 401 and "WWW-Authenticate" in missing.headers
        other = tokens[ids[(index + 1) % len(ids)]]
        wrong_scope = fetch_tasks(demo_county, plugin_id, other)
        assert wrong_scope.status_code == 401, plugin_id
        assert "Bearer" in wrong_scope.headers["WWW-Authenticate"]
        claims = jwt.decode(tokens[plugin_id], jwks(demo_county)).claims
        forged = jwt.encode(
            {"alg": "RS256", "typ": "at+jwt", "kid": stranger.kid}, claims, stranger
        )
        refused = fetch_tasks(demo_county, plugin_id, forged)
        assert refused.status_code == 401 and "invalid_token" in refused.headers["WWW-Authenticate"]


def test_task_shapes_and_field_names_differ(demo_county: DemoCounty) -> None:
    tokens = platform_tokens(demo_county)
    shapes = set()
    due_fields = set()
    for plugin_id, manifest in manifests().items():
        body = fetch_tasks(demo_county, plugin_id, tokens[plugin_id]).json()
        shapes.add(type(body).__name__ + ":" + (manifest.tasks.items if manifest.tasks else ""))
        due_fields.add(manifest.tasks.fields["due"] if manifest.tasks else "")
    assert len(shapes) >= 3 and "list:" in shapes
    assert {"deadline", "due_date", "endTime"} <= due_fields


def test_api_gives_the_open_tasks_of_the_tokens_user(demo_county: DemoCounty) -> None:
    mine, hers = platform_tokens(demo_county), platform_tokens(demo_county, DEMO_USERS[1])
    total_open = total_all = 0
    buckets: set[str] = set()
    for plugin_id in manifests():
        spec = manifests()[plugin_id].tasks
        assert spec is not None
        raw_ids = {str(dig(t, spec.fields["id"])) for t in demo_county.tasks(plugin_id)}
        open_items = mapped_items(demo_county, plugin_id, mine[plugin_id])
        every = mapped_items(demo_county, plugin_id, mine[plugin_id], status="all")
        her_items = mapped_items(demo_county, plugin_id, hers[plugin_id], status="all")
        open_ids = {str(i["id"]) for i in open_items}
        assert open_ids <= {str(i["id"]) for i in every} <= raw_ids
        assert not open_ids & {str(i["id"]) for i in her_items}, "her tasks are not mine"
        total_open, total_all = total_open + len(open_items), total_all + len(every)
        for item in open_items:
            due = datetime.fromisoformat(item["due"])
            days = (due.date() - datetime.now(due.tzinfo).date()).days
            buckets.add(_bucket(days))
    assert total_open < total_all, "finished tasks are left out of ?status=open"
    assert 30 <= sum(len(demo_county.tasks(p)) for p in manifests()) <= 84
    assert buckets == {"overdue", "today", "week", "later"}


def _bucket(days: int) -> str:
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    return "week" if days <= 6 else "later"


def test_the_same_inspection_is_asked_on_two_platforms(demo_county: DemoCounty) -> None:
    tokens = platform_tokens(demo_county)

    def records(plugin_id: str) -> dict[tuple[str, str, str], dict[str, Any]]:
        items = mapped_items(demo_county, plugin_id, tokens[plugin_id])
        return {(i["form"], i["subject"], i["period"]): i for i in items if i.get("form")}

    anquan, zhifa = records("demo.anquan"), records("demo.zhifa")
    shared = set(anquan) & set(zhifa)
    assert len(shared) >= 3
    subjects = {key[1] for key in shared}
    assert {"张记小吃店", "李家村3组王建国户"} <= subjects
    for key in shared:
        assert key[0] == "safety_check"
        a, z = anquan[key], zhifa[key]
        assert a["title"] != z["title"] and a["due"] != z["due"]
        assert a["due"][:7] == z["due"][:7] == key[2], "the same month"


def test_web_login_is_single_sign_on(demo_county: DemoCounty) -> None:
    stranger = requests.Session()
    first = stranger.get(demo_county.base_urls["demo.zhizhi"] + "/", timeout=TIMEOUT)
    assert urlsplit(first.url).path == "/login" and first.url.startswith(demo_county.issuer)

    browser = browser_login(demo_county)
    posts: list[str] = []
    browser.hooks["response"].append(
        lambda r, *a, **k: posts.append(r.url) if r.request.method == "POST" else None
    )
    user = DEMO_USERS[0]
    tokens = platform_tokens(demo_county)
    for plugin_id in ("demo.anquan", "demo.zhifa"):
        home = browser.get(demo_county.base_urls[plugin_id] + "/", timeout=TIMEOUT)
        assert home.status_code == 200 and home.url == demo_county.base_urls[plugin_id] + "/"
        assert f"已登录：{user.name}" in home.text
        task = mapped_items(demo_county, plugin_id, tokens[plugin_id])[0]
        assert task["title"] in home.text
        page = browser.get(str(task["url"]), timeout=TIMEOUT)
        assert page.status_code == 200 and task["title"] in page.text
    assert posts == [], "no credentials were posted again"
    names = {c.name for c in browser.cookies}
    assert {"demo_idp_session", "demo_anquan_session", "demo_zhifa_session"} <= names

    out = browser.get(demo_county.base_urls["demo.anquan"] + "/auth/logout", timeout=TIMEOUT)
    assert "已退出" in out.text
    assert "demo_anquan_session" not in {c.name for c in browser.cookies}


def test_every_form_has_labels_and_the_manifest_selectors(demo_county: DemoCounty) -> None:
    """Plain HTML forms, in their HTML; the forms built on UI frameworks render in the browser
    and are checked there (test_demo_forms.py)."""
    browser = browser_login(demo_county)
    checked = 0
    for plugin_id, manifest in manifests().items():
        framework_pages = {f.path for f in spec_for(plugin_id).forms
                           if f.template != "platform_form.html"}
        for form in manifest.forms:
            page = browser.get(expand(form.url, demo_county.base_urls[plugin_id]), timeout=TIMEOUT)
            assert page.status_code == 200, plugin_id
            if urlsplit(page.url).path in framework_pages:
                assert "/vendor/" in page.text
                continue
            parsed = _Page(page.text)
            for selector, profile_key in form.fields.items():
                found = parsed.select(selector)
                assert len(found) == 1, (plugin_id, selector)
                tag, attrs = found[0]
                assert tag in ("input", "select", "textarea")
                assert attrs["id"] in parsed.labelled, (plugin_id, selector)
                if profile_key == "org.village":
                    assert tag == "select"
                if profile_key == "inspection.date":
                    assert attrs.get("type") == "date"
                checked += 1
    assert checked >= 30


def test_a_form_post_is_validated_and_stored(demo_county: DemoCounty) -> None:
    """The form's own address takes its fields posted as a form (what layui's page sends, and a
    plain form): the platform checks them itself and stores what passes."""
    browser = browser_login(demo_county)
    url = demo_county.base_urls["demo.zhifa"] + "/jcjl/add?task=ZF-0001"
    form = browser.get(url, timeout=TIMEOUT)  # signs in to 执法检查 through the IdP session
    assert form.status_code == 200 and "检查记录登记" in form.text
    before = len(demo_county.submissions("demo.zhifa"))
    incomplete = browser.post(url, timeout=TIMEOUT, data={"zfry_xm": "张伟"})
    assert incomplete.status_code == 400 and "请填写：身份证号码" in incomplete.text
    wrong = browser.post(url, timeout=TIMEOUT, headers={"X-Requested-With": "XMLHttpRequest"},
                         data={"zfry_xm": "张伟", "zfry_sfz": "3301"})
    assert wrong.json() == {"code": 500, "msg": "请输入正确的身份证号：身份证号码"}
    assert len(demo_county.submissions("demo.zhifa")) == before
    record = {
        "zfry_xm": "张伟",
        "zfry_sfz": "330102198001011234",
        "lxdh": "13800000000",
        "ssxz": "城关镇",
        "cun": "李家村",
        "jcrq": "2026-11-20",
        "jcdx": "张记小吃店",
        "jcjg": "责令整改",
        "zgqx": "2026-12-01",
        "yhlx": ["消防安全", "用电安全"],
        "fc": "on",
    }
    done = browser.post(url, data=record, timeout=TIMEOUT)
    assert done.status_code == 200 and "提交成功" in done.text
    stored = demo_county.submissions("demo.zhifa")[-1]
    assert stored["yhlx"] == "消防安全,用电安全" and stored["fc"] == "true"
    assert stored["sfzg"] == "" and stored["bz"] == ""
    assert {k: stored[k] for k in record if k not in ("yhlx", "fc")} == {
        k: v for k, v in record.items() if k not in ("yhlx", "fc")}
    assert stored["submitted_by"] == DEMO_USERS[0].username and stored["task"] == "ZF-0001"

    # 整改期限 is required once the result is 责令整改; a record names a task of the person's that
    # asks for this form.
    refused = browser.post(url, data={**record, "zgqx": ""}, timeout=TIMEOUT)
    assert refused.status_code == 400 and "请填写：整改期限" in refused.text
    plain = next(t["caseId"] for t in demo_county.tasks("demo.zhifa") if not t["formCode"])
    base = demo_county.base_urls["demo.zhifa"] + "/jcjl/add?task="
    for task, reason in (("ZF-9999", "任务不存在或不属于当前用户"),
                         (plain, "该任务不需要填写此表单")):
        answer = browser.post(base + task, data=record, timeout=TIMEOUT)
        assert answer.status_code == 400 and reason in answer.text
    assert len(demo_county.submissions("demo.zhifa")) == before + 1


def test_the_account_page_keeps_the_persons_details(demo_county: DemoCounty) -> None:
    browser = browser_login(demo_county)
    url = demo_county.base_urls["demo.laji"] + "/user/profile"
    page = browser.get(url, timeout=TIMEOUT)
    parsed = _Page(page.text)
    assert page.status_code == 200 and "个人中心" in page.text
    assert {"nickName", "phonenumber"} <= parsed.labelled
    name = next(a for t, a in parsed.elements if a.get("id") == "nickName")
    assert name["value"] == DEMO_USERS[0].name
    bad = browser.post(url, data={"nickName": "张伟", "phonenumber": "12345"}, timeout=TIMEOUT)
    assert bad.status_code == 400 and "请填写正确的手机号码：手机号码" in bad.text
    saved = browser.post(url, data={"nickName": "张伟", "phonenumber": "13912345678",
                                    "sex": "男"}, timeout=TIMEOUT)
    assert saved.status_code == 200 and "修改成功" in saved.text
    assert demo_county.account("demo.laji", DEMO_USERS[0].username) == {
        "nickName": "张伟", "phonenumber": "13912345678", "email": "", "sex": "男"}
    assert 'value="13912345678"' in browser.get(url, timeout=TIMEOUT).text


def test_platform_count_and_restart(tmp_path: Path) -> None:
    county = DemoCounty(directory=tmp_path / "small", platform_count=2, legacy=False)
    with county:
        assert len(county.base_urls) == 2
        first = county.issuer
        assert county.start() is county and county.issuer == first  # idempotent
        registry = build_registry(load_county(county.county_path))
        assert registry.errors == [] and len(registry.platforms) == 2
    with pytest.raises(requests.ConnectionError):
        requests.get(first + "/jwks", timeout=TIMEOUT)
