"""The password vault: saved passwords of legacy platforms that have only their own login form.

A platform whose manifest says ``auth.kind = "password"`` is not part of the county's single sign-on.
The vault keeps the user's account for it in the OS keyring and plans filling the platform's login
page: only that page (``[auth.login] url``), only on the platform's own origins, in the top frame or
in a frame whose every ancestor is a page of the platform on the same origin (a login form in a
frameset). The page script (resources/vault_login.js) checks origin, path and frames again inside
the page.

An account is never locked by the launcher: each saved account carries whether the vault may
submit it by itself (``SavedAccount.auto``, an ``AutoSubmit``). The vault submits by itself only
while it is ``ready`` (new, or its last automatic sign-in was seen to succeed), writes ``trying``
before it submits, and anything but a clear success leaves it ``refused`` or ``unknown``: no
automatic submission again until the person acts (see vault_outcome.py and
docs/login.md#password-vault). A task source that sends the saved account over HTTP basic (a
legacy feed, CalDAV) gets it from ``get`` as a ``SourceAccount`` (launcher/core/model.py): it
sends nothing while the account is stopped and marks it refused when the server answers HTTP
401. The state lives in the same keyring entry as the password, so a
new password starts ``ready`` and a deleted one takes its state along; there is no secret anywhere
else.

Entries belong to the county account that saved them: on a shared office PC, the next person who
signs in to the county does not get signed in to a legacy platform as the previous one. They are
the user's saved passwords, so the county logout leaves them; ``forget`` removes a retired
platform's entries for everyone.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from launcher.core.logmask import remember_secret

# Credentials and PASSWORD_KIND live in the shared model (the inbox uses them too); kept here too.
from launcher.core.model import PASSWORD_KIND as PASSWORD_KIND
from launcher.core.model import Credentials as Credentials
from launcher.core.model import SourceAccount, web_origin

if TYPE_CHECKING:  # types only: the window imports this module before the keyring is needed
    from launcher.core.registry import Platform
    from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

SCRIPT_NAME = "vault_login.js"
MAX_FRAME_DEPTH = 4
"""A login form deeper in nested frames than this is not looked for (framesets nest one or two)."""

class AutoSubmit(StrEnum):
    """Whether the vault may submit a saved account by itself (``SavedAccount.auto``); its value
    is what the account's keyring entry keeps.

    The vault's own vocabulary, kept beside it rather than in launcher/core/states.py: nothing
    but the vault (this module and launcher/ui/vault.py) decides with it, and the person reads it
    only in the window's own translated sentences (the saved-passwords list, the bar above a
    page), so it has no words in launcher/app/vocabulary.py.
    """

    READY = "ready"
    """A new saved account, or one whose last automatic sign-in was seen to succeed: one
    automatic submission is allowed."""
    TRYING = "trying"
    """Written before an automatic submission; found again later (a closed tab, a restart, a
    crash before the answer was seen) it counts as UNKNOWN."""
    REFUSED = "refused"
    """The platform refused the last submission: none by itself until the person acts."""
    UNKNOWN = "unknown"
    """The last submission's outcome was not a clear success (another page, an error, no answer
    in time): none by itself until the person acts."""
    FILL_ONLY = "fill-only"
    """The person chose to press the platform's login button themselves: filled, never
    submitted."""

    @property
    def stopped(self) -> bool:
        """The vault neither fills nor submits by itself: it asks the person (after a refused or
        unknown outcome, or one never seen)."""
        return self in (AutoSubmit.TRYING, AutoSubmit.REFUSED, AutoSubmit.UNKNOWN)


def auto_submit(stored: object) -> AutoSubmit:
    """The state a keyring entry keeps, as a member; UNKNOWN for anything else (written by a
    newer launcher, or damaged): never a reason to submit by itself."""
    try:
        return AutoSubmit(stored) if isinstance(stored, str) else AutoSubmit.UNKNOWN
    except ValueError:
        return AutoSubmit.UNKNOWN


@dataclass(frozen=True)
class SavedAccount:
    """A saved account and whether the vault may submit it by itself."""

    credentials: Credentials
    auto: AutoSubmit = AutoSubmit.READY

    @property
    def may_submit(self) -> bool:
        return self.auto is AutoSubmit.READY

    @property
    def stopped(self) -> bool:
        """True after a refused or unknown outcome (or one never seen): ask the person first."""
        return self.auto.stopped


class PasswordVault:
    """Saved accounts of password platforms, in the OS keyring, per county account.

    ``owner`` returns the signed-in county account (its ``sub``; '' when nobody is signed in):
    every call reads and writes that account's entries. Keyring calls block: call them off the
    GUI thread.
    """

    def __init__(self, store: SecretStore, owner: Callable[[], str] = lambda: "") -> None:
        self.store = store
        self._owner = owner

    def get(self, platform_id: str) -> SourceAccount | None:
        """The saved account for a task source that signs in with it: whether it is stopped, and
        its ``refused()`` marks it ``REFUSED`` here (launcher/core/model.py)."""
        account = self.account(platform_id)
        if account is None:
            return None
        plain = account.credentials
        return SourceAccount(plain.username, plain.password, stopped=account.stopped,
                             report_refusal=functools.partial(self._refused, platform_id, plain))

    def _refused(self, platform_id: str, credentials: Credentials) -> bool:
        """A task source's platform refused ``credentials``: not sent again, by the window or any
        source, until the person acts. False when another account is saved now."""
        marked = self.set_auto(platform_id, credentials, AutoSubmit.REFUSED)
        if marked:
            log.warning("the saved account of %s was refused: not sent again until the person "
                        "updates it", platform_id)
        return marked

    def account(self, platform_id: str) -> SavedAccount | None:
        """The saved account with its automatic-submission state, or None."""
        raw = self.store.get(self._name(platform_id))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
            credentials = Credentials(str(data["username"]), str(data["password"]))
            auto = auto_submit(data.get("auto", AutoSubmit.READY))
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("saved password of %s is unreadable; it is ignored", platform_id)
            return None
        remember_secret(credentials.password)
        return SavedAccount(credentials, auto)

    def set(self, platform_id: str, username: str, password: str) -> None:
        """Save an account; a new (or changed) password may be submitted by itself once."""
        if not username.strip() or not password:
            raise ValueError("a saved account needs a user name and a password")
        remember_secret(password)
        self._write(platform_id, Credentials(username.strip(), password), AutoSubmit.READY)

    def set_auto(self, platform_id: str, credentials: Credentials, auto: AutoSubmit) -> bool:
        """Record ``auto`` for the saved account, only while it is still ``credentials``.

        False (nothing written) when no account or another one is saved now: the state of an
        attempt with an old password never lands on the new one.
        """
        if not isinstance(auto, AutoSubmit):
            raise ValueError(f"not an automatic-submission state: {auto!r}")
        current = self.account(platform_id)
        if current is None or current.credentials != credentials:
            return False
        if current.auto != auto:
            self._write(platform_id, credentials, auto)
        return True

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

    def _write(self, platform_id: str, credentials: Credentials, auto: AutoSubmit) -> None:
        entry: dict[str, str] = {
            "username": credentials.username,
            "password": credentials.password,
        }
        if auto is not AutoSubmit.READY:
            entry["auto"] = auto.value
        self.store.set(self._name(platform_id), json.dumps(entry))

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
    """The page's origin as ``location.origin`` writes it; the page script compares it, and the
    origin of every frame above the page."""
    path: str
    """The login page's path (no trailing slash); the page script compares it too."""
    username: str
    """CSS selectors from the manifest's ``[auth.login]``."""
    password: str
    submit: str
    failure: str
    captcha: str = ""
    """The manifest's captcha input (a form with a captcha is filled, never submitted); the
    script also recognises common captcha fields by itself."""


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


def plan_login(
    platform: Platform, page_url: str, *, ancestors: Sequence[str] = ()
) -> LoginPlan | None:
    """The login plan for the page at ``page_url``, or None when the vault must not fill it.

    ``ancestors`` are the URLs of the frames above the page, top first (none: the page is the
    top frame). A login form in a frame is filled only when every one of them is a page of the
    platform on the login page's own origin: a frameset of the platform, never a frame of another
    site or another application behind the same gateway.
    """
    login = platform.manifest.auth.login
    origin = web_origin(page_url)
    if login is None or origin is None or not is_login_page(platform, page_url):
        return None
    if len(ancestors) > MAX_FRAME_DEPTH:
        return None
    for above in ancestors:
        if web_origin(above) != origin or not platform.owns(above):
            return None
    return LoginPlan(
        platform.id,
        origin,
        _path(page_url),
        login.username,
        login.password,
        login.submit,
        login.failure,
        login.captcha,
    )


def login_script(
    plan: LoginPlan,
    credentials: Credentials | None,
    *,
    submit: bool = True,
    mark: str = "",
    over_failure: bool = False,
) -> str:
    """JavaScript for ``runJavaScript`` in the login page's frame, in an isolated world.

    It does nothing unless it runs on a page of the plan's origin and path whose every ancestor
    frame is of that origin too; it does not fill a page that already shows the failure element
    (someone's refused attempt) unless ``over_failure`` (the person asked for it); it never
    submits a form with a captcha (it fills user name and password and focuses the captcha).
    Without ``credentials`` it only looks (``inspect``). With ``submit`` it marks the page with
    ``mark`` (read back by the outcome probe: the same document still there means no answer yet)
    and submits. It evaluates to ``JSON.stringify({refused, failure, missing, captcha, filled,
    submitted, focused})``.
    """
    mode = "inspect" if credentials is None else "submit" if submit else "fill"
    payload = {
        "origin": plan.origin,
        "path": plan.path,
        "mode": mode,
        "mark": mark,
        "overFailure": over_failure,
        "username": {
            "selector": plan.username,
            "value": credentials.username if credentials else "",
        },
        "password": {
            "selector": plan.password,
            "value": credentials.password if credentials else "",
        },
        "submit": plan.submit,
        "failure": plan.failure,
        "captcha": plan.captcha,
    }
    # json.dumps with ensure_ascii escapes quotes, backslashes, "</script>" stays inert inside a
    # string literal, and U+2028/U+2029 become escapes: every value is one JavaScript literal.
    return f"{_script_source(SCRIPT_NAME)}({json.dumps(payload, ensure_ascii=True)});"


def _path(url: str) -> str:
    return urlsplit(url).path.rstrip("/") or "/"


@functools.cache
def _script_source(name: str) -> str:
    from launcher.core.paths import resources_dir

    return (resources_dir() / name).read_text(encoding="utf-8").strip().rstrip(";")
