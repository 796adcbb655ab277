"""Signing in at the demo IdP without a browser, the way a browser would: for headless commands
(`launcher inbox --demo --json`, `--screenshot`), the benchmarks and tests.

``sign_in`` is the one scripted demo sign-in of a launcher session (the launcher reaches it through
``launcher.core.demo.Demo.sign_in``); ``sign_in_scripted`` is the HTTP part alone, for tests that
look at the provider's answers themselves."""

from __future__ import annotations

from collections.abc import Iterable
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import requests

from launcher.core.errors import AuthError
from launcher.core.states import AuthReason
from launcher_demo.users import DEMO_USERS

if TYPE_CHECKING:
    from launcher.core.auth.session import UserInfo
    from launcher.core.auth.web_session import WebSessions
    from launcher.core.demo import DemoAccount, PageSignIn
    from launcher.core.registry import Platform

_MAX_HOPS = 20


class _LoginForm(HTMLParser):
    """Finds <form id="login-form">: its action and the inputs it would send."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False
        self.action = ""
        self.fields: dict[str, str] = {}
        self.error = ""
        self._inside = False
        self._in_error = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "login-form":
            self.found, self._inside, self.action = True, True, a.get("action", "")
        elif tag == "input" and self._inside and a.get("name"):
            self.fields[a["name"]] = a.get("value", "")
        elif a.get("role") == "alert":
            self._in_error = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        self._in_error = False

    def handle_data(self, data: str) -> None:
        if self._in_error:
            self.error += data.strip()


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname or "", parts.port


def sign_in_scripted(
    authorize_url: str, username: str, password: str, *, timeout: float = 10
) -> str:
    """Drive the IdP login form over HTTP and return the final redirect URL (the client's
    redirect_uri with code/state/iss, or with an error) without requesting it.

    Raises AuthError (reason ``refused``) when the IdP turns the credentials down and
    (reason ``network``) when it cannot be reached.
    """
    idp = _origin(authorize_url)
    url = authorize_url
    posted = False
    with requests.Session() as http:
        # A proxy from the environment must not swallow calls to a loopback provider.
        http.trust_env = idp[1] not in ("127.0.0.1", "localhost", "::1")
        try:
            response = http.get(url, allow_redirects=False, timeout=timeout)
            for _ in range(_MAX_HOPS):
                if response.is_redirect:
                    url = urljoin(url, response.headers["Location"])
                    if _origin(url) != idp:
                        return url
                    response = http.get(url, allow_redirects=False, timeout=timeout)
                    continue
                form = _LoginForm()
                form.feed(response.text)
                if not form.found:
                    raise AuthError(
                        f"identity provider answered {response.status_code} "
                        f"without a login form at {url}",
                        reason=AuthReason.REFUSED,
                    )
                if posted:
                    raise AuthError(form.error or "用户名或密码错误", reason=AuthReason.REFUSED)
                data = {**form.fields, "username": username, "password": password}
                url = urljoin(url, form.action or url)
                response = http.post(url, data=data, allow_redirects=False, timeout=timeout)
                posted = True
        except requests.RequestException as exc:
            raise AuthError(
                f"identity provider unreachable: {exc}", reason=AuthReason.NETWORK
            ) from exc
    raise AuthError("too many redirects at the identity provider", reason=AuthReason.REFUSED)


def sign_in(auth: PageSignIn, user: DemoAccount | None = None) -> UserInfo:
    """Sign the launcher's session ``auth`` in as ``user`` (DEMO_USERS[0] when None): a login flow
    for every platform's scopes, the provider's login form filled over HTTP, the answer completed
    and the session kept, as the window's login dialog would. Blocking (a worker thread)."""
    user = user or DEMO_USERS[0]
    flow = auth.begin_login()
    callback = sign_in_scripted(flow.auth_uri, user.username, user.password)
    return auth.complete_login(flow, callback)


def sign_in_web_apps(platforms: Iterable[Platform], sessions: WebSessions,
                     user: DemoAccount | None = None) -> list[str]:
    """The headless demo's counterpart of the window's hidden pages: each session-bound platform
    of the demo county (its RuoYi-style 网格化服务管理) is signed in over HTTP as a browser would,
    at the county login's form, and what its web app then holds (the ``Admin-Token`` cookie,
    which its page copies into localStorage) is kept in the keyring as the window keeps it, so
    ``launcher inbox --demo`` and ``--screenshot`` read that platform too. Returns the platforms
    signed in."""
    from launcher.core.auth.web_session import (
        SeenCookie,
        platform_cookies,
        session_from,
        session_spec,
        start_url,
    )

    user = user or DEMO_USERS[0]
    done = []
    for platform in platforms:
        if session_spec(platform) is None:
            continue
        with requests.Session() as http:
            http.trust_env = False
            # The web app sends the browser to the county login; the form is filled there.
            url = start_url(platform)
            for _ in range(_MAX_HOPS):
                if not url.startswith(platform.base_url):
                    break
                answer = http.get(url, allow_redirects=False, timeout=30)
                if not answer.is_redirect:
                    break
                url = urljoin(url, answer.headers["Location"])
            if url.startswith(platform.base_url):
                continue  # signed in already, or not a web app this demo knows: left alone
            page = http.get(sign_in_scripted(url, user.username, user.password), timeout=30)
            page.raise_for_status()
            seen = [SeenCookie(c.domain or "", c.path or "/", c.name, c.value or "", c.secure)
                    for c in http.cookies]
            # What this demo's web app copies into localStorage: its Admin-Token cookie.
            stored = http.cookies.get("Admin-Token", domain=urlsplit(platform.base_url).hostname)
        sessions.keep(platform.id, session_from(platform, platform_cookies(platform, seen), stored))
        done.append(platform.id)
    return done
