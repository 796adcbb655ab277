"""Signing in at the CAS server's login page with requests, the way a browser would (tests only)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

TIMEOUT = 10


class _LoginForm(HTMLParser):
    """The CAS login page's <form id="login_form">: its action and the inputs it would send."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False
        self.action = ""
        self.fields: dict[str, str] = {}
        self._inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "login_form":
            self.found, self._inside, self.action = True, True, a.get("action", "")
        elif tag == "input" and self._inside and a.get("name"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields[a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False


@dataclass
class CasSignIn:
    callback: str
    """Where the CAS server sent the browser back: the service URL with ?ticket=ST-..."""
    http: requests.Session
    """The 'browser': its cookie jar holds the CAS server's cookies (the TGC)."""

    def cookies(self, server: str) -> dict[str, str]:
        """The CAS server's cookies, as the launcher collects them from its web profile."""
        host = urlsplit(server).hostname or ""
        return {c.name: c.value or "" for c in self.http.cookies if c.domain.lstrip(".") == host}


def sign_in(login_url: str, username: str, password: str) -> CasSignIn:
    """Open ``login_url`` (``<cas>/login?service=...``), submit the form, return the redirect to
    the service without following it. Fails the test if the CAS server shows no ticket."""
    http = requests.Session()
    http.trust_env = False
    page = http.get(login_url, timeout=TIMEOUT, allow_redirects=False)
    if not page.is_redirect:
        form = _LoginForm()
        form.feed(page.text)
        assert form.found, f"no login form at {login_url}: {page.status_code}"
        data = {**form.fields, "username": username, "password": password}
        page = http.post(
            urljoin(login_url, form.action or login_url),
            data=data,
            timeout=TIMEOUT,
            allow_redirects=False,
            headers={"Referer": login_url},
        )
    assert page.is_redirect, f"CAS login answered {page.status_code} without a redirect"
    return CasSignIn(urljoin(login_url, page.headers["Location"]), http)
