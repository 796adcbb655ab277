"""A person at oidc-provider's own pages, scripted with requests: the devInteractions login form
(any user name signs in), the consent page, and the device flow's code and confirmation pages.

Nothing is mocked: these are the provider's real pages, driven the way a browser would (cookies,
redirects, hidden form fields).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

MAX_STEPS = 30


@dataclass
class Form:
    id: str
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.text: list[str] = []
        self._current: Form | None = None
        self._hidden = 0  # inside <style> or <script>: not text a person reads

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("style", "script"):
            self._hidden += 1
        elif tag == "form":
            self._current = Form(a.get("id", ""), a.get("action", ""), a.get("method", "get"))
            self.forms.append(self._current)
        elif tag == "input" and a.get("name"):
            # Inputs may sit outside their form and name it with form="id" (device pages do).
            owner = next((f for f in self.forms if a.get("form") and f.id == a["form"]), None)
            target = owner or self._current
            if target is not None:
                target.fields[a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden = max(self._hidden - 1, 0)
        elif tag == "form":
            self._current = None

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden:
            self.text.append(data.strip())


class SignInError(AssertionError):
    """The provider's pages did not lead where the script expected (shows the page's text)."""


def _page(response: requests.Response) -> _Forms:
    parser = _Forms()
    parser.feed(response.text)
    return parser


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme, parts.hostname, parts.port


class ProviderBrowser:
    """One browser (one cookie jar) at one provider: a second sign_in reuses its session."""

    def __init__(self) -> None:
        self.http = requests.Session()
        self.http.trust_env = False  # the provider is on loopback: no proxy from the environment

    def close(self) -> None:
        self.http.close()

    def sign_in(self, auth_uri: str, username: str = "zhangwei", *, consent: bool = True) -> str:
        """Follow ``auth_uri`` through login and consent; return the redirect that leaves the
        provider (the client's redirect URI with code/state/iss, or error) WITHOUT requesting it.

        ``consent=False`` presses the consent page's cancel link (access_denied).
        """
        provider = _origin(auth_uri)
        url = auth_uri
        response = self.http.get(url, allow_redirects=False, timeout=10)
        for _ in range(MAX_STEPS):
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if _origin(url) != provider:
                    return url
                response = self.http.get(url, allow_redirects=False, timeout=10)
                continue
            page = _page(response)
            form = next((f for f in page.forms if "prompt" in f.fields), None)
            if form is None and "document.forms[0].submit()" in response.text and page.forms:
                # A page that submits its form by itself, as a browser runs its script: the
                # provider ending its session before a sign-in asked with prompt=login.
                auto = page.forms[0]
                url = urljoin(url, auto.action)
                response = self.http.post(url, data=auto.fields, allow_redirects=False,
                                          timeout=10)
                continue
            if form is None:
                raise SignInError(f"no login or consent form at {url} "
                                  f"(HTTP {response.status_code}): {' '.join(page.text)[-600:]}")
            action = urljoin(url, form.action)
            if form.fields["prompt"] == "login":
                data = {**form.fields, "login": username, "password": "any"}
            elif not consent:
                abort = re.search(r'href="([^"]*/abort)"', response.text)
                if abort is None:
                    raise SignInError(f"no cancel link on the consent page at {url}")
                url = urljoin(url, abort.group(1))
                response = self.http.get(url, allow_redirects=False, timeout=10)
                continue
            else:
                data = dict(form.fields)
            url = action
            response = self.http.post(url, data=data, allow_redirects=False, timeout=10)
        raise SignInError(f"more than {MAX_STEPS} steps at the provider, last at {url}")

    def approve_device(self, verification_uri: str, user_code: str | None = None,
                       username: str = "zhangwei", *, approve: bool = True) -> str:
        """Enter the user code at the verification URI (or open verification_uri_complete when
        ``user_code`` is None), sign in, consent and confirm. Returns the final page's text."""
        provider = _origin(verification_uri)
        url = verification_uri
        entered = aborted = False
        response = self.http.get(url, allow_redirects=False, timeout=10)
        for _ in range(MAX_STEPS):
            if response.is_redirect:
                url = urljoin(url, response.headers["Location"])
                if _origin(url) != provider:
                    raise SignInError(f"the device flow left the provider for {url}")
                response = self.http.get(url, allow_redirects=False, timeout=10)
                continue
            page = _page(response)
            forms = {f.id: f for f in page.forms}
            text = " ".join(page.text)
            code_form = next((f for f in page.forms if "user_code" in f.fields), None)
            if "op.deviceConfirmForm" in forms:
                form = forms["op.deviceConfirmForm"]
                data = dict(form.fields)
                if not approve:
                    data["abort"] = "yes"
                    aborted = True
            elif code_form is not None:
                form = code_form
                if aborted:  # back at the code page, "The Sign-in request was interrupted"
                    return text
                if entered:
                    raise SignInError(f"the provider asks for the user code again: {text[-300:]}")
                entered = True
                if form.fields["user_code"]:
                    # verification_uri_complete: a page that submits the code by script.
                    data = dict(form.fields)
                elif user_code is None:
                    raise SignInError(f"the provider asks for a user code: {text[-300:]}")
                else:
                    data = {**form.fields, "user_code": user_code}
            elif (form := next((f for f in page.forms if "prompt" in f.fields), None)) is not None:
                data = dict(form.fields)
                if form.fields["prompt"] == "login":
                    data.update(login=username, password="any")
            else:
                return text
            url = urljoin(url, form.action)
            response = self.http.post(url, data=data, allow_redirects=False, timeout=10)
        raise SignInError(f"more than {MAX_STEPS} steps at the provider, last at {url}")


def sign_in(auth_uri: str, username: str = "zhangwei", *, consent: bool = True) -> str:
    """Sign in at the provider in a fresh browser; returns the loopback callback URL unrequested."""
    browser = ProviderBrowser()
    try:
        return browser.sign_in(auth_uri, username, consent=consent)
    finally:
        browser.close()


def approve_device(verification_uri: str, user_code: str | None = None,
                   username: str = "zhangwei", *, approve: bool = True) -> str:
    """Approve (or deny) a device authorization in a fresh browser; returns the final page text."""
    browser = ProviderBrowser()
    try:
        return browser.approve_device(verification_uri, user_code, username, approve=approve)
    finally:
        browser.close()
