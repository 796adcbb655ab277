"""The command line against a county whose platforms are shaped like real county back-ends, each
described by its manifest alone (no Python), every server real and local (issue 13, "Done when").

One county file, the demo identity provider as its IdP, and one platform of each kind:

- 网格化服务管理 (``demo.wanggefuwu``, launcher_demo/ruoyi_app.py): RuoYi-style and session-bound; its
  API accepts only the platform's own token, which its web app keeps after the county login.
- a vendor API (``test.vendor``): POST with a JSON body naming the person, cursor paging, epoch-ms
  due dates, the county's access token in a ``token`` header, checked at the provider as a
  resource server checks it (RFC 9068: signature, audience, scope; tests/servers/platforms).
- a legacy API answering GBK (``test.gbk``), an .ics subscription (``test.ics``), an RSS feed
  (``test.rss``), read without a sign-in, as such subscriptions are published.
- Radicale (``test.caldav``): a ``password`` platform without a login page, its calendars found
  from the server root (``discover = true``), HTTP basic with the account saved in the vault.
- 村级档案管理（旧版） (``demo.dangan``, launcher_demo/lockout_app.py): a frameset login with a
  captcha that locks an account after three refused logins, and a to-do feed behind HTTP basic
  that counts refusals towards the same lock. The launcher must never lock it.

``launcher login`` (a scripted $BROWSER at the provider's login form) and ``launcher inbox
--json`` run as subprocesses, as a person would run them.

How the session-bound platform's session gets to the command line: the window harvests it with a
hidden page and keeps it in the keyring (launcher/ui/platform_sessions.py; the real harvest is
tested in tests/e2e/test_web_session_platform.py). Here the platform's web app is signed in over
HTTP as a browser would (its county login at the provider's form, the callback setting its
``Admin-Token``, the page handing the token to localStorage), and what it holds is kept in the
keyring through launcher.core.auth.web_session's own functions (``session_from``,
``WebSessions.keep``), as the window keeps it: a Chromium page in an integration test would cost
seconds of two shared cores and prove nothing about the command line that the e2e test does not.
The saved accounts go into the vault through its API (``PasswordVault.set``), as the window's
dialog saves them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "servers" / "platforms"), str(HERE.parent / "caldav")]

from _caldav_server import USERS as DAV_USERS  # noqa: E402
from _caldav_server import running_radicale, vtodo  # noqa: E402
from apps import calendar_feeds, county_token_person, legacy_gbk, vendor  # noqa: E402

from launcher.core.auth.vault import AutoSubmit, PasswordVault  # noqa: E402
from launcher.core.auth.web_session import (  # noqa: E402
    SeenCookie,
    WebSessions,
    platform_cookies,
    session_from,
)
from launcher.core.manifest import load_manifest  # noqa: E402
from launcher.core.registry import Platform  # noqa: E402
from launcher.core.secrets import SecretStore  # noqa: E402
from launcher_demo import sign_in_scripted  # noqa: E402
from launcher_demo.idp import (  # noqa: E402
    BASE_SCOPES,
    LAUNCHER_CLIENT_ID,
    IdpContext,
    create_idp_app,
    generate_signing_keys,
)
from launcher_demo.idp_store import Client, IdpStore  # noqa: E402
from launcher_demo.lockout_app import (  # noqa: E402
    FEED_PATH,
    LOCKOUT_ACCOUNTS,
    LOCKOUT_ID,
    LockoutData,
    lockout_manifest,
    serve_lockout,
)
from launcher_demo.ruoyi_app import (  # noqa: E402
    RUOYI_ID,
    RUOYI_NAME,
    RUOYI_SHORT,
    TOKEN_NAME,
    RuoyiData,
    create_ruoyi_app,
)
from launcher_demo.ruoyi_app import icon_svg as ruoyi_icon  # noqa: E402
from launcher_demo.ruoyi_app import manifest_toml as ruoyi_manifest  # noqa: E402
from launcher_demo.serving import LocalServer  # noqa: E402

pytestmark = pytest.mark.usefixtures("real_keyring")

COUNTY_ID = "shice"
PERSON, PERSON_PASSWORD = "zhangwei", "zw123456"
"""The county account signed in (the demo provider's user, the owner of every platform's tasks)."""
VENDOR_ID, VENDOR_SCOPE = "test.vendor", "vendor.tasks"
DANGAN = next(a for a in LOCKOUT_ACCOUNTS if a.username == PERSON)

MANIFESTS = {
    "vendor": """
        [auth]
        kind = "sso"
        scopes = ["vendor.tasks"]
        resource = "{base_url}/api"

        [tasks]
        kind = "rest-json"
        method = "POST"
        url = "{base_url}/openapi/todo/query"
        body = { userAccount = "{username}", state = "todo", limit = 2 }
        headers = { token = "{token}" }
        items = "data.list"
        date_format = "epoch-ms"
        fields = { id = "bizId", title = "subject", due = "deadline" }
        answer = { code = "errcode", ok = 0, signed_out = [40001], message = "errmsg" }
        paging = { kind = "cursor", next = "data.nextCursor", param = "cursor", send = "body" }
        """,
    "gbk": """
        [tasks]
        kind = "rest-json"
        url = "{base_url}/api/daiban.do"
        items = "records"
        charset = "GBK"
        date_format = "yyyy年MM月dd日"
        fields = { id = "id", title = "bt", due = "jzsj" }
        answer = { code = "result", ok = "0" }
        """,
    "ics": """
        [tasks]
        kind = "ics"
        url = "{base_url}/calendar.ics"
        """,
    "rss": """
        [tasks]
        kind = "feed"
        url = "{base_url}/notices.rss"
        """,
    "caldav": """
        [auth]
        kind = "password"

        [tasks]
        kind = "caldav"
        url = "{base_url}/"
        discover = true
        """,
}
"""Plugin short name -> its manifest's [auth] and [tasks] (``test.<name>``)."""

DANGAN_TASKS = f"""
[tasks]
kind = "feed"
url = "{{base_url}}{FEED_PATH}"
"""
"""The lockout platform's to-do feed, after its [auth] with the frameset login and the captcha."""

EXPECTED = {
    RUOYI_ID: {"3101", "3102", "3103", "3104"},  # 3105 is done ("1" in RuoYi's dictionary)
    VENDOR_ID: {"V0", "V1", "V2", "V3", "V4"},  # three pages by cursor
    "test.gbk": {"g1", "g2"},
    "test.ics": {"meeting-1@county", "todo-1@county"},  # the cancelled meeting left out
    "test.rss": {"notice-1", "notice-2"},
    "test.caldav": {"dav-1"},  # only the calendar of VTODOs, found from the server root
    LOCKOUT_ID: {"dangan-201", "dangan-202"},
}
"""Every platform's tasks for the signed-in person, by platform id."""

BROWSER_SCRIPT = f'''\
"""A stand-in for the system browser: signs in at the demo provider's form, then follows the
loopback redirect to the launcher, as a browser would."""
import sys

import requests

from launcher_demo import sign_in_scripted

callback = sign_in_scripted(sys.argv[1], {PERSON!r}, {PERSON_PASSWORD!r})
with requests.Session() as http:
    http.trust_env = False
    page = http.get(callback, timeout=30)
page.raise_for_status()
'''


@dataclass
class RealCounty:
    """The running county: its file, home folder, servers' URLs and the platforms' own state."""

    path: Path
    home: Path
    urls: dict[str, str]
    issuer: str
    ruoyi: RuoyiData
    dangan: LockoutData
    plugins: Path


def run(args: list[str], home: Path, *, env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launcher", *args],
        env={**os.environ, "LAUNCHER_HOME": str(home), **(env or {})},
        text=True, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
    )


def write_plugin(folder: Path, name: str, text: str, *, icon: str | None = None) -> None:
    plugin = folder / name
    plugin.mkdir(parents=True, exist_ok=True)
    (plugin / "manifest.toml").write_text(text, encoding="utf-8")
    if icon is not None:
        (plugin / "icon.svg").write_text(icon, encoding="utf-8")


def write_manifests(folder: Path) -> None:
    """Every platform's manifest.toml: the tests' own kinds, the demo's RuoYi-style platform as
    the demo county writes it, the lockout platform with its declared checks and its feed."""
    for name, tasks in MANIFESTS.items():
        head = textwrap.dedent(f"""\
            schema = 1
            id = "test.{name}"
            name = "平台 {name}"
            version = "1.0.0"
            home = "{{base_url}}/"
            origins = ["{{base_url}}"]
            """)
        write_plugin(folder, name, head + textwrap.dedent(tasks))
    write_plugin(folder, RUOYI_SHORT, ruoyi_manifest(), icon=ruoyi_icon())
    write_plugin(folder, "dangan", lockout_manifest(declared=True) + DANGAN_TASKS)


def county_toml(issuer: str, urls: dict[str, str], plugins: Path) -> str:
    def s(value: str) -> str:  # TOML basic strings accept JSON string escapes
        return json.dumps(value, ensure_ascii=False)

    lines = [
        f"plugin_dirs = [{s(plugins.as_posix())}]",
        "",
        "[county]",
        f"id = {s(COUNTY_ID)}",
        'name = "实测县"',
        'name_en = "Real back-ends county"',
        "",
        "[idp]",
        'kind = "oidc"',
        f"issuer = {s(issuer)}",
        f"client_id = {s(LAUNCHER_CLIENT_ID)}",
        f"scopes = [{', '.join(s(x) for x in BASE_SCOPES)}]",
    ]
    for plugin_id, url in urls.items():
        lines += ["", "[[platforms]]", f"plugin = {s(plugin_id)}", f"base_url = {s(url)}"]
    return "\n".join(lines) + "\n"


def identity_provider(store: IdpStore, server: LocalServer, vendor_url: str) -> Any:
    """The demo provider, knowing the vendor API as a resource with its scope (RFC 8707)."""
    ctx = IdpContext(server.url, store, generate_signing_keys(),
                     {VENDOR_ID: VENDOR_SCOPE}, {VENDOR_ID: f"{vendor_url}/api"})
    store.add_client(Client(client_id=LAUNCHER_CLIENT_ID, name="一端通",
                            allowed_scopes=tuple(ctx.scopes), loopback=True))
    return create_idp_app(ctx)


def ruoyi_platform(store: IdpStore, issuer: str, base_url: str, data: RuoyiData) -> Any:
    """The RuoYi-style platform, a web client of the provider (as the demo county registers it)."""
    secret = secrets.token_urlsafe(24)
    store.add_client(Client(client_id=RUOYI_ID, name=RUOYI_NAME, client_secret=secret,
                            allowed_scopes=("openid", "profile"),
                            redirect_uris=(f"{base_url}/auth/callback",),
                            post_logout_redirect_uris=(f"{base_url}/",),
                            grant_types=("authorization_code",)))
    return create_ruoyi_app(data, base_url=base_url, issuer=issuer, client_id=RUOYI_ID,
                            client_secret=secret)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealCounty]:
    """Every server started on 127.0.0.1, the manifests and county file written, the person
    signed in with ``launcher login``; signed out and every server stopped afterwards."""
    root = tmp_path_factory.mktemp("real-backends")
    names = ("idp", "wangge", "vendor", "gbk", "feeds")
    servers = {name: LocalServer(name) for name in names}
    store = IdpStore()
    issuer = servers["idp"].url
    ruoyi = RuoyiData()
    servers["idp"].set_app(identity_provider(store, servers["idp"], servers["vendor"].url))
    servers["wangge"].set_app(ruoyi_platform(store, issuer, servers["wangge"].url, ruoyi))
    vendor_resource = f"{servers['vendor'].url}/api"
    servers["vendor"].set_app(vendor(county_token_person(issuer, vendor_resource, VENDOR_SCOPE)))
    servers["gbk"].set_app(legacy_gbk())
    servers["feeds"].set_app(calendar_feeds())
    for server in servers.values():
        server.start()
    try:
        (root / "radicale").mkdir()
        with running_radicale(root / "radicale") as radicale, serve_lockout() as (dangan, url):
            radicale.new_calendar(PERSON, vtodo("dav-1", "SUMMARY:CalDAV 任务",
                                                "DUE:20261220T170000Z"))
            radicale.client(PERSON).principal().make_calendar(
                name="events", cal_id="events", supported_calendar_component_set=["VEVENT"])
            urls = {
                RUOYI_ID: servers["wangge"].url,
                VENDOR_ID: servers["vendor"].url,
                "test.gbk": servers["gbk"].url,
                "test.ics": servers["feeds"].url,
                "test.rss": servers["feeds"].url,
                "test.caldav": radicale.url,
                LOCKOUT_ID: url + "/dangan",
            }
            plugins = root / "plugins"
            write_manifests(plugins)
            path = root / "county.toml"
            path.write_text(county_toml(issuer, urls, plugins), encoding="utf-8")
            real = RealCounty(path, root / "home", urls, issuer, ruoyi, dangan, plugins)
            sign_in(real)
            try:
                yield real
            finally:
                run(["logout", "--county", str(path)], real.home)
                vault().delete("test.caldav")
                vault().delete(LOCKOUT_ID)
    finally:
        for server in servers.values():
            server.stop()


def sign_in(county: RealCounty) -> None:
    """``launcher login`` in the system browser ($BROWSER: the scripted stand-in)."""
    script = county.home.parent / "browser.py"
    script.write_text(BROWSER_SCRIPT, encoding="utf-8")
    login = run(["login", "--county", str(county.path), "--timeout", "60", "--lang", "en"],
                county.home, env={"BROWSER": f"{sys.executable} {script} %s"})
    assert login.returncode == 0, login.stderr
    assert login.stdout.splitlines()[-1].startswith(f"signed in as 张伟 ({PERSON})")


def vault() -> PasswordVault:
    """The county account's saved passwords, as the window's dialog saves them."""
    return PasswordVault(SecretStore(f"vault/{COUNTY_ID}"), owner=lambda: PERSON)


def keep_ruoyi_session(county: RealCounty) -> None:
    """Sign the RuoYi-style platform's web app in as a browser would, and keep what it holds in
    the keyring as the window keeps it."""
    base_url = county.urls[RUOYI_ID]
    platform = Platform(load_manifest(county.plugins / RUOYI_SHORT / "manifest.toml"), base_url)
    with requests.Session() as http:
        http.trust_env = False
        # The web app sends the browser to the county login, whose form the person fills in.
        url = f"{base_url}/index"
        while url.startswith(base_url):
            answer = http.get(url, allow_redirects=False, timeout=30)
            assert answer.is_redirect, answer.text
            url = requests.compat.urljoin(url, answer.headers["Location"])
        callback = sign_in_scripted(url, PERSON, PERSON_PASSWORD)
        page = http.get(callback, timeout=30)
        page.raise_for_status()
        seen = [SeenCookie(c.domain or "", c.path or "/", c.name, c.value or "", c.secure)
                for c in http.cookies]
    # The token the page's script puts into localStorage (what the hidden page reads there).
    stored = re.search(rf"localStorage\.setItem\({json.dumps(TOKEN_NAME)}, \"([^\"]+)\"\)",
                       page.text)
    assert stored, page.text
    session = session_from(platform, platform_cookies(platform, seen), stored.group(1))
    WebSessions(SecretStore(f"web-session/{COUNTY_ID}"), lambda: PERSON).keep(RUOYI_ID, session)


def inbox(county: RealCounty) -> tuple[dict[str, set[str]], str]:
    """``launcher inbox --json``: each platform's task ids, and what it said on standard error."""
    result = run(["inbox", "--county", str(county.path), "--json", "--lang", "en"], county.home)
    assert result.returncode == 0, result.stderr
    listed: dict[str, set[str]] = {}
    for row in json.loads(result.stdout):
        for item in row["items"]:
            listed.setdefault(item["platform"], set()).add(item["id"])
    return listed, result.stderr


def failed_platforms(stderr: str) -> list[str]:
    """The platforms the command line reported as failed or not fresh (``launcher: <id>: …``)."""
    return [line for line in stderr.splitlines()
            if re.match(r"launcher: [a-z0-9_.-]+\.[a-z0-9_.-]+: ", line)]


def test_inbox_lists_every_kind_of_back_end_from_manifests_alone(county: RealCounty) -> None:
    keep_ruoyi_session(county)
    vault().set("test.caldav", PERSON, DAV_USERS[PERSON])
    vault().set(LOCKOUT_ID, DANGAN.username, DANGAN.password)
    county.dangan.reset()

    listed, stderr = inbox(county)

    assert not failed_platforms(stderr), stderr
    assert listed == EXPECTED, stderr
    # The RuoYi-style API was read with the platform's own token, never the county's.
    assert county.ruoyi.api_tokens and set(county.ruoyi.api_tokens) <= set(county.ruoyi.issued())
    # The lockout platform: one good sign-in on its feed, nothing refused, nothing locked.
    assert [a.result for a in county.dangan.all_attempts()] == ["ok"]
    assert not county.dangan.locked(PERSON)


def test_a_refused_saved_password_is_not_sent_again_and_the_account_never_locks(
        county: RealCounty) -> None:
    keep_ruoyi_session(county)
    vault().set("test.caldav", PERSON, DAV_USERS[PERSON])
    vault().set(LOCKOUT_ID, DANGAN.username, "wrong-password")
    county.dangan.reset()

    for run_number in range(6):
        listed, stderr = inbox(county)
        # Signed out, saying what to do (the tasks of the earlier test are kept, as offline data).
        assert failed_platforms(stderr) == [line for line in stderr.splitlines()
                                            if line.startswith(f"launcher: {LOCKOUT_ID}: ")]
        assert len(failed_platforms(stderr)) == 1, stderr
        assert "update the saved password" in stderr, stderr
        assert county.dangan.failures_of(PERSON) == 1, f"run {run_number + 1}: {stderr}"
        # Every other platform is still read.
        assert {p: listed[p] for p in EXPECTED if p != LOCKOUT_ID} == {
            p: ids for p, ids in EXPECTED.items() if p != LOCKOUT_ID}
    account = vault().account(LOCKOUT_ID)
    assert account is not None and account.auto is AutoSubmit.REFUSED
    assert not county.dangan.locked(PERSON)
    assert [a.result for a in county.dangan.all_attempts()] == ["password"]

    # The person saves the right password: it is sent, once, and the tasks are listed.
    vault().set(LOCKOUT_ID, DANGAN.username, DANGAN.password)
    listed, stderr = inbox(county)
    assert not failed_platforms(stderr), stderr
    assert listed[LOCKOUT_ID] == EXPECTED[LOCKOUT_ID]
    assert county.dangan.failures_of(PERSON) == 0 and not county.dangan.locked(PERSON)
    assert [a.result for a in county.dangan.all_attempts()] == ["password", "ok"]


def test_a_refused_caldav_account_is_marked_and_not_sent_again(county: RealCounty) -> None:
    """Radicale refuses a wrong saved password (HTTP 401): the vault marks it refused, and the
    next refresh sends nothing and says what to do."""
    keep_ruoyi_session(county)
    vault().set(LOCKOUT_ID, DANGAN.username, DANGAN.password)
    vault().set("test.caldav", PERSON, "wrong-password")

    _, first = inbox(county)
    assert failed_platforms(first) == [
        line for line in first.splitlines() if line.startswith("launcher: test.caldav: ")], first
    assert "refused the saved password" in first, first
    account = vault().account("test.caldav")
    assert account is not None and account.auto is AutoSubmit.REFUSED
    _, second = inbox(county)
    assert "update the saved password" in second and "HTTP 401" not in second, second
    vault().set("test.caldav", PERSON, DAV_USERS[PERSON])
    listed, third = inbox(county)
    assert not failed_platforms(third), third
    assert listed["test.caldav"] == EXPECTED["test.caldav"]
