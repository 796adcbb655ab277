"""The password vault: saved passwords of legacy platforms that have only their own login form.

A platform whose manifest says ``auth.kind = "password"`` is not part of the county's single sign-on.
The vault keeps the user's account for it in the OS keyring and plans filling the platform's login
page: only that page (``[auth.login] url``), only on the platform's own origins, only in the top
frame. The page script (resources/vault_login.js) checks origin and frame again inside the page.

Entries belong to the county account that saved them: on a shared office PC, the next person who
signs in to the county does not get signed in to a legacy platform as the previous one. They are
the user's saved passwords, so the county logout leaves them; ``forget`` removes a retired
platform's entries for everyone.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from launcher.core.logmask import remember_secret
from launcher.core.profile.autofill import web_origin

if TYPE_CHECKING:  # types only: the window imports this module before the keyring is needed
    from launcher.core.registry import Platform
    from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

SCRIPT_NAME = "vault_login.js"
PASSWORD_KIND = "password"


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def __repr__(self) -> str:  # never show the password in a traceback or a debug print
        return f"Credentials(username={self.username!r}, password='***')"


class PasswordVault:
    """Saved accounts of password platforms, in the OS keyring, per county account.

    ``owner`` returns the signed-in county account (its ``sub``; '' when nobody is signed in):
    every call reads and writes that account's entries. Keyring calls block: call them off the
    GUI thread.
    """

    def __init__(self, store: SecretStore, owner: Callable[[], str] = lambda: "") -> None:
        self.store = store
        self._owner = owner

    def get(self, platform_id: str) -> Credentials | None:
        raw = self.store.get(self._name(platform_id))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            credentials = Credentials(str(data["username"]), str(data["password"]))
        except (ValueError, KeyError, TypeError):
            log.warning("saved password of %s is unreadable; it is ignored", platform_id)
            return None
        remember_secret(credentials.password)
        return credentials

    def set(self, platform_id: str, username: str, password: str) -> None:
        if not username.strip() or not password:
            raise ValueError("a saved account needs a user name and a password")
        remember_secret(password)
        value = json.dumps({"username": username.strip(), "password": password})
        self.store.set(self._name(platform_id), value)

    def delete(self, platform_id: str) -> None:
        self.store.delete(self._name(platform_id))

    def has(self, platform_id: str) -> bool:
        return self.store.get(self._name(platform_id)) is not None

    def saved(self) -> list[str]:
        """The platform ids with a saved account of the signed-in county account."""
        owner = self._owner()
        entries = (n.split("/", 1) for n in self.store.names() if "/" in n)
        return sorted(pid for pid, who in entries if who == owner)

    def forget(self, platform_id: str) -> None:
        """Delete every county account's saved password of a platform (the platform is retired)."""
        self.store.delete_matching(platform_id + "/")

    def _name(self, platform_id: str) -> str:
        if not platform_id or "/" in platform_id:
            raise ValueError(f"not a platform id: {platform_id!r}")
        return f"{platform_id}/{self._owner()}"


# --- planning the fill of a login page ------------------------------------------------------


@dataclass(frozen=True)
class LoginPlan:
    """Where to put an account on a platform's login page; made only for that very page."""

    platform_id: str
    origin: str
    """The page's origin as ``location.origin`` writes it; the page script compares it."""
    username: str
    """CSS selectors from the manifest's ``[auth.login]``."""
    password: str
    submit: str
    failure: str


def is_login_page(platform: Platform, page_url: str) -> bool:
    """True when ``page_url`` is the platform's login page on one of its own origins.

    The query and fragment are ignored (login pages carry ``?next=...``); scheme, host, port and
    path must match the manifest's ``[auth.login] url``.
    """
    login_url = platform.login_url
    if platform.auth_kind != PASSWORD_KIND or not login_url:
        return False
    page_origin = web_origin(page_url)
    if page_origin is None or not platform.owns(page_url):
        return False
    return (page_origin, _path(page_url)) == (web_origin(login_url), _path(login_url))


def plan_login(platform: Platform, page_url: str) -> LoginPlan | None:
    """The login plan for the page at ``page_url``, or None when the vault must not fill it."""
    login = platform.manifest.auth.login
    origin = web_origin(page_url)
    if login is None or origin is None or not is_login_page(platform, page_url):
        return None
    return LoginPlan(
        platform.id, origin, login.username, login.password, login.submit, login.failure
    )


def login_script(plan: LoginPlan, credentials: Credentials, *, submit: bool = True) -> str:
    """JavaScript for ``runJavaScript`` in the page's main frame, in an isolated world.

    It does nothing unless it runs in the top frame of a page of the plan's origin; it does not
    fill a page that already shows the failure element (someone's refused attempt); otherwise it
    fills both fields and, with ``submit``, submits. It evaluates to ``JSON.stringify({refused,
    failure, missing, filled, submitted})``.
    """
    payload = {
        "origin": plan.origin,
        "autosubmit": submit,
        "username": {"selector": plan.username, "value": credentials.username},
        "password": {"selector": plan.password, "value": credentials.password},
        "submit": plan.submit,
        "failure": plan.failure,
    }
    # json.dumps with ensure_ascii escapes quotes, backslashes, "</script>" stays inert inside a
    # string literal, and U+2028/U+2029 become escapes: every value is one JavaScript literal.
    return f"{_script_source()}({json.dumps(payload, ensure_ascii=True)});"


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/") or "/"


@functools.cache
def _script_source() -> str:
    from launcher.core.paths import resources_dir

    return (resources_dir() / SCRIPT_NAME).read_text(encoding="utf-8").strip().rstrip(";")
