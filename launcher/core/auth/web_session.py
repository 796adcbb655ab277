"""Session-bound platforms: an API that trusts only the platform's own web session.

Many county systems (RuoYi-Vue and its kind) accept the county login on their web pages only and
then keep a session of their own: cookies, or a token the web app holds (an ``Admin-Token``
cookie, a localStorage value, a response header its scripts read). Their API never accepts the
county's access token. For such a
platform (``[auth.session]`` in its manifest, docs/manifest.md) the window signs the web app in
with a hidden page in the shared web profile, where the county sign-in completes by itself, and
harvests what the manifest names (launcher/ui/platform_sessions.py). What it harvested is a
``WebSession``: kept only in the OS keyring, per county account, and sent with the platform's API
requests by the inbox (launcher/core/inbox/service.py).

The command line has no web engine: it reads these platforms with a session the window
harvested, and says "sign in once in the window" when there is none or it expired.

No Qt here: the harvest itself is the window's; the scoping rules (which cookies, which answers'
headers belong to the platform) and the keeping are here, where they can be tested without a
browser.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from launcher.core.errors import LauncherError, SourceError
from launcher.core.logmask import remember_secret
from launcher.core.manifest import SessionSpec
from launcher.core.registry import Platform
from launcher.core.secrets import SecretStore
from launcher.core.states import FailureReason
from launcher.core.url_scope import same_page

log = logging.getLogger(__name__)

MAX_COOKIES = 32
"""Cookies kept of one platform at most (a platform setting more is not read past this)."""
MAX_VALUE_CHARS = 8192
"""The longest cookie value or token kept (a JWT with many claims stays well below)."""
MAX_NOTED = 16
"""Answers carrying a header token that the hidden page remembers (the latest ones)."""
SIGN_IN_IN_WINDOW = ("sign in once in the 一端通 window (在一端通窗口中登录一次): the command line "
                     "cannot sign in to this platform's web pages")


class SessionRefused(LauncherError):
    """The platform's web app did not give the session its manifest names (its county sign-in did
    not complete, the token never appeared): the platform is signed out."""


@dataclass(frozen=True)
class SeenCookie:
    """One cookie of the web profile, as its cookie store reports it."""

    domain: str
    """The cookie's domain: a host (host-only) or ``.example.org`` (that host and below)."""
    path: str
    name: str
    value: str
    secure: bool = False


@dataclass(frozen=True)
class WebSession:
    """What a platform's web app holds after its sign-in: the cookies and the token its API wants."""

    cookies: dict[str, str] = field(default_factory=dict)
    token: str = ""
    obtained_at: float = 0.0

    def __repr__(self) -> str:  # never show a session in a traceback or a debug print
        return f"WebSession(cookies={sorted(self.cookies)}, token={'***' if self.token else ''})"

    def to_json(self) -> str:
        return json.dumps({"cookies": self.cookies, "token": self.token,
                           "obtained_at": self.obtained_at})

    @classmethod
    def from_json(cls, raw: str) -> WebSession | None:
        """The session kept in ``raw``, or None when it is damaged (it is harvested again)."""
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        cookies, token, when = data.get("cookies"), data.get("token"), data.get("obtained_at")
        if (not isinstance(cookies, dict) or not isinstance(token, str)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in cookies.items())
                or not isinstance(when, int | float) or isinstance(when, bool)):
            return None
        return cls(dict(cookies), token, float(when))


def session_spec(platform: Platform) -> SessionSpec | None:
    """The platform's ``[auth.session]``: None for a platform whose API takes the county token."""
    return platform.manifest.auth.session


def start_url(platform: Platform) -> str:
    """The page the hidden page loads to sign the platform's web app in."""
    spec = session_spec(platform)
    return platform.expand(spec.start) if spec is not None and spec.start else platform.home


def platform_cookies(platform: Platform, seen: Iterable[SeenCookie]) -> dict[str, str]:
    """The cookies the platform's manifest names, among those a browser would send to one of its
    origins (host, path, https for secure ones); cookies of any other site are never taken.

    Cookies ignore ports: on one host (every demo server is on 127.0.0.1) other servers' cookies
    share the host, which is why only the cookies the manifest names are taken.
    """
    spec = session_spec(platform)
    if spec is None:
        return {}
    wanted = set(spec.cookies)
    if spec.token is not None and spec.token.kind == "cookie":
        wanted.add(spec.token.name)
    found: dict[str, tuple[int, str]] = {}
    for cookie in seen:
        if cookie.name not in wanted or len(cookie.value) > MAX_VALUE_CHARS:
            continue
        if not any(_sent_to(cookie, origin) for origin in platform.origins):
            continue
        # Two cookies of one name: the one with the longer path wins, as a browser sends first.
        if cookie.name not in found or len(cookie.path) > found[cookie.name][0]:
            found[cookie.name] = (len(cookie.path), cookie.value)
    return {name: value for name, (_, value) in list(found.items())[:MAX_COOKIES]}


def header_origins(platform: Platform) -> tuple[str, ...]:
    """The origins (``scheme://host:port``) whose answers the hidden page notes a header token of:
    the platform's own, as a first filter in the page (``header_token`` decides)."""
    found: list[str] = []
    for origin in platform.origins:
        parts = urlsplit(origin)
        if parts.scheme in ("http", "https") and parts.hostname:
            port = parts.port or (443 if parts.scheme == "https" else 80)
            text = f"{parts.scheme}://{_host(parts.hostname)}:{port}"
            if text not in found:
                found.append(text)
    return tuple(found)


def header_token(platform: Platform, noted: Iterable[tuple[str, str]]) -> str | None:
    """The header token among ``noted`` answers (``(answer URL, header value)``, oldest first, as
    the hidden page noted them): the latest answer on the platform's own origins and, when the
    manifest names the API that carries it, of that API (query ignored). None when there is none.

    The page's scripts could fetch anything, another site included: only answers of the platform
    count, so a header of the identity service or a third party is never taken for its token.
    """
    spec = session_spec(platform)
    token = spec.token if spec is not None else None
    if token is None or token.kind != "header":
        return None
    api = platform.expand(token.url) if token.url else ""
    found = None
    for url, value in list(noted)[-MAX_NOTED:]:
        if platform.owns(url) and (not api or same_page(api, url)):
            found = value
    return found


def session_from(platform: Platform, cookies: dict[str, str], held_token: str | None,
                 now: float | None = None) -> WebSession:
    """The platform's session from its cookies (``platform_cookies``) and, for a token the web app
    keeps in its storage or received in a header, the value read there (``header_token``).
    Raises SessionRefused when what the manifest names is missing."""
    spec = session_spec(platform)
    if spec is None:
        raise ValueError(f"{platform.id} is not a session-bound platform")
    token = ""
    if spec.token is not None:
        token = (cookies.get(spec.token.name, "") if spec.token.kind == "cookie"
                 else (held_token or "")).strip()
        if not token:
            raise SessionRefused(f"{platform.id}: the web app holds no {spec.token.kind} "
                                 f"{spec.token.name!r} after signing in{_from_api(platform)}")
        if len(token) > MAX_VALUE_CHARS or not token.isprintable():
            raise SessionRefused(f"{platform.id}: the {spec.token.kind} {spec.token.name!r} is not "
                                 "a usable token (too long, or not plain text)")
    missing = [name for name in spec.cookies if name not in cookies]
    if missing:
        raise SessionRefused(f"{platform.id}: the web app set no cookie {', '.join(missing)} after "
                             "signing in")
    return WebSession({k: v for k, v in cookies.items() if k in spec.cookies}, token,
                      time.time() if now is None else now)


def _from_api(platform: Platform) -> str:
    """Where a header token was looked for, for the words of a refusal."""
    spec = session_spec(platform)
    if spec is None or spec.token is None or spec.token.kind != "header":
        return ""
    where = platform.expand(spec.token.url) if spec.token.url else "the platform's origins"
    return f" (answers of {where} fetched by its scripts)"


def _host(hostname: str) -> str:
    """A host as a browser's ``URL.origin`` writes it (an IPv6 address in brackets)."""
    return f"[{hostname}]" if ":" in hostname else hostname


def _sent_to(cookie: SeenCookie, origin: str) -> bool:
    """True when a browser would send ``cookie`` to pages under ``origin`` (host and path)."""
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    domain = cookie.domain.lower()
    if not host or not domain or (cookie.secure and parts.scheme != "https"):
        return False
    if domain.startswith("."):
        if not (host == domain[1:] or host.endswith(domain)):
            return False
    elif host != domain:
        return False
    cookie_path = (cookie.path or "/").rstrip("/") + "/"
    origin_path = parts.path.rstrip("/") + "/"
    # The cookie covers the platform's pages, or a part of them (a cookie of /app1/api).
    return origin_path.startswith(cookie_path) or cookie_path.startswith(origin_path)


class WebSessions:
    """The harvested sessions of the session-bound platforms, in the keyring, per county account.

    Entries are named ``<platform id>/<account sub>``; only the signed-in account's are read.
    ``renew`` is the window's hidden page (launcher/ui/platform_sessions.py): given a platform,
    it signs the web app in again and returns the new session, blocking its caller (a worker
    thread). Without it (the command line) a missing or expired session is "signed out", with
    the words that say to sign in once in the window.
    """

    def __init__(self, store: SecretStore, owner: Callable[[], str]) -> None:
        self.store = store
        self._owner = owner
        self.renew: Callable[[Platform], WebSession] | None = None
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    @staticmethod
    def applies(platform: Platform) -> bool:
        """True for a platform whose API trusts only its web session (``[auth.session]``)."""
        return session_spec(platform) is not None

    def session_for(self, platform: Platform) -> WebSession:
        """The platform's kept session, else a new one from ``renew``. Raises SourceError
        ``signed-out`` when there is none to be had. Concurrent calls for one platform wait for a
        single renewal."""
        with self._lock:
            lock = self._locks.setdefault(platform.id, threading.Lock())
        with lock:
            kept = self.get(platform.id)
            if kept is not None:
                return kept
            renew = self.renew
            if renew is None:
                raise SourceError(f"{platform.id}: no web session of the platform is kept; "
                                  f"{SIGN_IN_IN_WINDOW}", FailureReason.SIGNED_OUT)
            try:
                session = renew(platform)
            except SessionRefused as exc:
                raise SourceError(f"the platform's web app did not sign in: {exc}",
                                  FailureReason.SIGNED_OUT) from None
            self.keep(platform.id, session)
            return session

    def get(self, platform_id: str) -> WebSession | None:
        owner = self._owner()
        if not owner:
            return None
        raw = self.store.get(_entry(platform_id, owner))
        session = WebSession.from_json(raw) if raw else None
        if session is not None:
            _mask(session)
        return session

    def keep(self, platform_id: str, session: WebSession) -> None:
        owner = self._owner()
        if not owner:
            raise SourceError(f"{platform_id}: nobody is signed in; the platform's session is "
                              "not kept", FailureReason.SIGNED_OUT)
        _mask(session)
        self.store.set(_entry(platform_id, owner), session.to_json())
        log.info("web session of %s kept in the keyring", platform_id)

    def drop(self, platform_id: str) -> None:
        """Forget the signed-in account's session of the platform (its API refused it)."""
        owner = self._owner()
        if owner:
            self.store.delete(_entry(platform_id, owner))

    def clear(self) -> None:
        """Forget every kept session, of every account (sign-out, another person signed in: the
        web profile they came from is wiped too)."""
        self.store.delete_matching("")

    def forget_account(self, sub: str) -> None:
        for name in self.store.names():
            if name.partition("/")[2] == sub:
                self.store.delete(name)

    def forget_platform(self, platform_id: str) -> None:
        self.store.delete_matching(f"{platform_id}/")


def _entry(platform_id: str, sub: str) -> str:
    return f"{platform_id}/{sub}"


def _mask(session: WebSession) -> None:
    """Keep the session's secrets out of every log line (launcher/core/logmask.py)."""
    for value in (*session.cookies.values(), session.token):
        if value:
            remember_secret(value)

