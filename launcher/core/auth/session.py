"""The signed-in session: one login at the county provider, then a token for every platform.

The launcher signs in once, asking for every platform's scopes and RFC 8707 resource indicators, and
keeps the refresh token in the OS keyring. How each platform then gets its access token is the
county's choice (``[idp] tokens``): ``narrowed`` (the default), a refresh-token grant narrowed to that
platform's scopes and ``resource`` (the token's audience), so a token leaked by one platform's API is
useless at the others; ``shared``, one token of the whole grant for every platform, for providers
that tie a refresh token to the scope of its last use (django-oauth-toolkit: after one narrowed
refresh its only live refresh token covers that one platform). A narrowing the provider refuses
(``invalid_scope``, ``invalid_target``) falls back to the shared token when the county allows it
(``narrowing_fallback``), else it is the platform's own state (``narrowing-refused``), never "signed
out"; ``web``, a silent authorization request per platform (``prompt=none``, the platform's scopes
and resource) in the window's web profile, where the provider's own session cookie completes it
(``web_authorize``, the window's hidden page). A provider that rotates refresh tokens gets one
refresh at a time, and the newest refresh token is kept.

A silent sign-in (the person signed in on a web page, ``prompt=none``) brings no refresh token from
a standard provider (it keeps ``offline_access`` only with ``prompt=consent``). Its session is a
*web-renewed* one: it lasts as long as its access token, and is renewed by another silent request in
the web profile when that expires; its platforms' tokens come from silent requests too. It never
pretends to refresh itself; the command line, which has no web profile, uses it while it lasts.

The session is read from the keyring once and kept in memory (``StoredSession``); a change made by
another process (a second window, the command line) is noticed by a stamp file, and a refresh
token the provider refuses is checked against the keyring once more before giving up.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from launcher.core.auth.device import DeviceFlow
from launcher.core.auth.identity import Capability, LogoutReport, SessionLock, modes_of
from launcher.core.auth.oidc import LoginFlow, OidcClient, Revocation, new_state
from launcher.core.auth.status import SessionStatus, platform_states
from launcher.core.auth.stored_session import Session, StoredSession
from launcher.core.auth.tokens import EXPIRY_MARGIN, PlatformTokens
from launcher.core.county import County
from launcher.core.errors import AuthError
from launcher.core.logmask import remember_secret
from launcher.core.registry import Platform, Registry
from launcher.core.secrets import SecretStore
from launcher.core.states import AuthReason

log = logging.getLogger(__name__)

REDIRECT_URI = "http://127.0.0.1/callback"
_SESSION = "session"
SHARED = ":shared"
"""The token store's entry of the shared token (one for every platform): no platform id has ':'."""
WebAuthorize = Callable[[LoginFlow], str]
"""The window's hidden page (launcher/ui/web_tokens.py): loads a silent flow's ``auth_uri`` in the
shared web profile and returns the address the provider redirected to (with ``code`` or
``error``); blocks its caller, a worker thread. Raises AuthError when no answer came."""
IN_THE_WINDOW = (
    "this county's platforms get their tokens in the 一端通 window's web profile (在一端通窗口中登录"
    "后由窗口获取): open the window and sign in there"
)
"""What the command line says of a token only the window can get (``[idp] tokens = "web"``, or a
sign-in made on a web page that has expired)."""


class _NoWebProfile(AuthError):
    """A silent request in the web profile is needed and there is none (the command line)."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what}: {IN_THE_WINDOW}", AuthReason.SIGNED_OUT)


@dataclass(frozen=True)
class UserInfo:
    sub: str
    name: str
    username: str
    claims: dict[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)
    """The person's other plain claims (a department, an employee number…), for the manifests'
    ``{claim.X}`` and the plugins' context: bounded, text only (``person_claims``). Not part of
    who the person is: two UserInfo of one ``sub`` are equal whatever these say."""


MAX_CLAIMS = 40
MAX_CLAIM_CHARS = 200
_CLAIM_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,63}")
_PROTOCOL_CLAIMS = frozenset({
    "iss", "sub", "aud", "exp", "iat", "nbf", "auth_time", "nonce", "acr", "amr", "azp", "at_hash",
    "c_hash", "s_hash", "sid", "jti", "name", "preferred_username", "scope", "client_id",
})


def person_claims(claims: Mapping[str, Any]) -> dict[str, str]:
    """The claims a county may name in a manifest (``{claim.department}``): text and numbers
    only, bounded in count and size, never the token's own bookkeeping (iss, nonce, at_hash…)."""
    kept: dict[str, str] = {}
    for key, value in claims.items():
        if len(kept) >= MAX_CLAIMS:
            break
        if key in _PROTOCOL_CLAIMS or not isinstance(key, str) or not _CLAIM_NAME.fullmatch(key):
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        text = str(value)
        if len(text) <= MAX_CLAIM_CHARS and text.isprintable():
            kept[key] = text
    return kept


class AuthSession(SessionLock):
    """The OpenID Connect identity session (an ``identity.IdentitySession``)."""

    provider_name = "OpenID Connect"
    capabilities = (
        Capability.EMBEDDED_LOGIN
        | Capability.BROWSER_LOGIN
        | Capability.DEVICE_LOGIN
        | Capability.WEB_SESSION_SIGN_IN
        | Capability.TOKEN_REFRESH
        | Capability.REVOCATION
        | Capability.END_SESSION_PAGE
        | Capability.LOCK
    )
    login_modes = modes_of(capabilities)

    def __init__(self, county: County, registry: Registry, secrets: SecretStore) -> None:
        self.county = county
        self.registry = registry
        self.secrets = secrets
        self.client = OidcClient(
            county.idp.issuer,
            county.idp.client_id,
            revocation_endpoint=county.idp.revocation_endpoint,
            consent_prompt=county.idp.consent_prompt,
        )
        self.user: UserInfo | None = None
        self.last_logout: LogoutReport | None = None
        """What the last ``logout`` revoked at the provider and what it could not."""
        self._fallen_back = False
        """A narrowing was refused in this process and the shared token was renewed for it."""
        self.web_authorize: WebAuthorize | None = None
        """The window's hidden-page runner; None on the command line (no web profile)."""
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._stored = StoredSession(secrets, self._parse, _SESSION, self._changed_elsewhere,
                                     owner=lambda session: str(session["user"]["sub"]))
        self.tokens = PlatformTokens(secrets, keep=lambda: self._stored.get() is not None)

    # -- signing in ----------------------------------------------------------------------------

    def scopes(self) -> tuple[str, ...]:
        """The county's scopes plus every platform's: the one login covers them all."""
        wanted = dict.fromkeys(self.county.idp.scopes)
        for platform in self.registry.platforms:
            if platform.manifest.auth.sso:
                wanted.update(dict.fromkeys(platform.scopes))
        return tuple(wanted)

    def resources(self) -> tuple[str, ...]:
        """Every platform API's RFC 8707 resource indicator, for the one login to cover them all."""
        wanted = dict.fromkeys(
            p.resource for p in self.registry.platforms if p.manifest.auth.sso and p.resource
        )
        return tuple(wanted)

    def begin_login(
        self, redirect_uri: str = REDIRECT_URI, *, state: str | None = None, silent: bool = False,
        reauthenticate: bool = False,
    ) -> LoginFlow:
        """A login flow for every platform's scopes and resources; ``state`` made beforehand
        (``oidc.new_state``) or a new one; ``silent``: with ``prompt=none``; ``reauthenticate``:
        with ``prompt=login`` and ``max_age=0`` (see OidcClient)."""
        if self.county.idp.kind != "oidc":
            raise AuthError(
                f"{self.county.path}: idp.kind: {self.county.idp.kind!r} sign-in is not supported "
                "by this version of the launcher (only oidc)",
                AuthReason.CONFIG,
            )
        return self.client.begin(
            redirect_uri, self.scopes(), self.resources(), state=state, silent=silent,
            reauthenticate=reauthenticate,
        )

    def complete_login(
        self, flow: LoginFlow, callback_url: str, cookies: Mapping[str, str] | None = None
    ) -> UserInfo:
        """Check the provider's answer and keep the session. ``cookies`` are not needed: the
        session is the tokens, never the web view's cookies."""
        token = self.client.complete(flow, callback_url)
        return self._signed_in(token, silent=flow.silent)

    def no_sign_in_reason(self, callback_url: str) -> str:
        """The provider's ``error`` code of a (silent) sign-in answer, '' without one."""
        return (parse_qs(urlsplit(callback_url).query).get("error") or [""])[0]

    def web_cookies(self) -> dict[str, str]:
        """Nothing: the OpenID Connect session lives in the keyring, not in web cookies."""
        return {}

    def _signed_in(self, token: dict[str, Any], *, silent: bool = False) -> UserInfo:
        """Keep the session of a checked token answer (any login mode) in the keyring; a silent
        sign-in's without a refresh token is a web-renewed session (module docstring)."""
        if not token.get("refresh_token") and not silent:
            self._no_refresh_token(token)
        user = self._user_of(token)
        session = self._session_of(token, user)
        with self._lock:
            previous = self._stored.get()
            self.wipe_local()
            self._stored.save(session, json.dumps(session))
            self.user = user
            self._fallen_back = False
        # The sign-in's own access token covers the whole grant: the shared token, until it
        # expires. Written now, not behind: no write of this sign-in may land after a sign-out.
        self.tokens.get(SHARED, lambda: token)
        self.tokens.flush()
        log.info("signed in as %s at %s", user.username, self.client.issuer)
        self._revoke_replaced(previous, user)
        return user

    def _revoke_replaced(self, previous: Session | None, user: UserInfo) -> None:
        """Another person signed in over a session that was still kept (at a shared PC's lock):
        that person's refresh token, gone from this PC now, is revoked at the provider too, so
        it cannot outlive their use of the PC. Best effort: never raised (``revoke``)."""
        if previous is None or not previous.get("refresh_token"):
            return
        before = previous.get("user")
        if isinstance(before, dict) and before.get("sub") == user.sub:
            return  # the same person signing in again: their new grant replaces their own
        self.client.revoke(str(previous["refresh_token"]), "refresh_token")

    def _session_of(self, token: dict[str, Any], user: UserInfo) -> Session:
        """The keyring's session of a token answer: its refresh token, or (a silent sign-in without
        one) ``web`` and the time its access token, and so the session, expires."""
        session: Session = {
            "issuer": self.client.issuer,
            "refresh_token": str(token.get("refresh_token") or ""),
            "id_token": token["id_token"],
            "user": asdict(user),
        }
        if not session["refresh_token"]:
            session["web"] = True
            session["expires_at"] = float(token.get("expires_at") or time.time() + 300)
        return session

    def _no_refresh_token(self, token: dict[str, Any]) -> None:
        """A sign-in without a refresh token cannot last: its access token is revoked at once and
        the county is told what to change (CONFIG)."""
        self.client.revoke(str(token["access_token"]), "access_token")
        granted = str(token.get("scope") or "(not said)")
        raise AuthError(
            f"the identity provider granted no refresh token (scopes granted: {granted}); the "
            f"access token received was revoked. The county must change its set-up: "
            f"{self.county.path}: [idp] scopes must include offline_access, the provider must let "
            f"client {self.client.client_id!r} use the refresh_token grant, and [idp] "
            "consent_prompt must stay true unless the provider grants refresh tokens by its own "
            "policy",
            AuthReason.CONFIG,
        )

    def _user_of(self, token: dict[str, Any]) -> UserInfo:
        """Who signed in: the id_token's claims, else (no name in it) the userinfo endpoint's,
        which must be about the same ``sub``."""
        claims = token["id_claims"]
        sub = str(claims["sub"])
        if not (claims.get("name") and claims.get("preferred_username")):
            try:
                extra = self.client.userinfo(str(token["access_token"]), sub)
            except AuthError as exc:
                if exc.reason is AuthReason.FORGED:
                    raise
                log.warning("the user's name could not be read from userinfo: %s", exc)
                extra = {}
            claims = {**extra, **{k: v for k, v in claims.items() if v}}
        return UserInfo(
            sub=sub,
            name=str(claims.get("name") or claims.get("preferred_username") or sub),
            username=str(claims.get("preferred_username") or sub),
            claims=person_claims(claims),
        )

    def login_system_browser(
        self,
        open_url: Callable[[str], None],
        *,
        timeout: float = 300,
        cancel: threading.Event | None = None,
        reauthenticate: bool = False,
    ) -> UserInfo:
        """RFC 8252 sign-in in the system browser, answered on a loopback redirect (blocks).

        ``open_url`` gets the authorization URL (it opens a browser, or prints the URL). Raises
        AuthError ``expired`` after ``timeout`` seconds without an answer, ``cancelled`` when
        ``cancel`` is set. ``reauthenticate`` (a shared PC's lock): ``prompt=login`` and
        ``max_age=0``, as ``begin_login``'s: the browser's session with the provider, which
        outlives the launcher's, does not answer for the person.
        """
        # Imported here: http.server is needed by this login mode only, never at start-up.
        from launcher.core.auth.loopback import LoopbackListener

        # The state is known before the listener accepts a connection: no answer with another
        # state can end the wait, even while the provider's discovery document is fetched.
        state = new_state()
        with LoopbackListener(state) as listener:
            flow = self.begin_login(
                listener.redirect_uri, state=state, reauthenticate=reauthenticate
            )
            open_url(flow.auth_uri)
            callback = listener.wait(timeout, cancel)
        return self.complete_login(flow, callback)

    def begin_device(self) -> DeviceFlow:
        """Start an RFC 8628 device sign-in: the user code and URI to show the user."""
        if self.county.idp.kind != "oidc":
            raise AuthError(
                f"{self.county.path}: idp.kind: device sign-in needs an OpenID Connect provider, "
                f"not {self.county.idp.kind!r}",
                AuthReason.CONFIG,
            )
        answer = self.client.device_authorization(self.scopes(), self.resources())
        return DeviceFlow.from_answer(answer)

    def poll_device(self, flow: DeviceFlow, cancel: threading.Event | None = None) -> UserInfo:
        """Wait (blocking: never on the GUI thread) until the user approves ``flow``'s code."""
        token = self.client.poll_device_token(
            flow.device_code, interval=flow.interval, expires_at=flow.expires_at, cancel=cancel
        )
        return self._signed_in(token)

    def restore(self) -> UserInfo | None:
        """The user of the session kept in the keyring, if any (no network)."""
        session = self._stored.get()
        if session is None:
            self.user = None
            return None
        try:
            self.user = UserInfo(**session["user"])
        except (KeyError, TypeError):
            log.warning("stored session is unreadable; signing out")
            self.wipe_local()
            return None
        return self.user

    def _parse(self, raw: str) -> Session | None:
        try:
            session = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(session, dict) or session.get("issuer") != self.client.issuer:
            return None
        if not session.get("refresh_token") and not _web_renewed(session):
            return None
        for key in ("refresh_token", "id_token"):
            if session.get(key):
                remember_secret(str(session[key]))
        return session

    def _changed_elsewhere(self, old: Session | None, new: Session | None) -> None:
        """Another process changed the session. A rotated refresh token changes nothing else; a
        sign-out, or a sign-in (maybe as someone else), ends the platform tokens of the old one."""
        if old is not None and new is not None and old.get("id_token") == new.get("id_token"):
            return
        log.info("the session was changed by another launcher process")
        self.tokens.forget()
        try:
            self.user = UserInfo(**new["user"]) if new is not None else None
        except (KeyError, TypeError):
            self.user = None

    # -- per-platform tokens -------------------------------------------------------------------

    def token_for(self, platform: Platform) -> str | None:
        """A valid access token for ``platform`` (None if it needs none); refreshed ahead of expiry.

        Concurrent calls for one platform wait for a single refresh instead of each making one.
        """
        if not platform.manifest.auth.sso:
            return None
        session = self._stored.get()  # memory, unless another process changed the session
        if session is None:
            raise AuthError("not signed in", AuthReason.SIGNED_OUT)
        if _web_renewed(session) and _due(session):
            self._renew_web_session()
        if self.county.idp.tokens == "web":
            return self._web_token(platform)
        if self.county.idp.tokens == "shared":
            return self._shared_token()
        try:
            return self.tokens.get(
                platform.id, lambda: self._refresh(platform.scopes, platform.resource or None)
            )
        except AuthError as exc:
            if exc.reason is not AuthReason.NARROWING_REFUSED or not self.county.idp.narrowing_fallback:
                raise
            log.warning("%s: %s; it gets the shared token", platform.id, exc)
            if not self._fallen_back:
                # The sign-in's token may be gone with the refresh token it came with (a rotating
                # provider revokes both): the first fallback gets a new one, checked for scopes.
                self._fallen_back = True
                self.tokens.invalidate(SHARED)
            return self._shared_token(platform.scopes)

    def _web_token(self, platform: Platform) -> str:
        """``[idp] tokens = "web"``: the platform's own token from a silent authorization request
        in the web profile. The command line has none: it uses a token the window obtained while
        it lasts, then the shared token where ``narrowing_fallback`` allows, else says to sign in
        in the window (SIGNED_OUT)."""
        try:
            return self.tokens.get(
                platform.id, lambda: self._silent_platform_token(platform), own_refresh=True
            )
        except _NoWebProfile:
            if not self.county.idp.narrowing_fallback:
                raise
            log.info("%s: no web profile here; it gets the shared token", platform.id)
            return self._shared_token(platform.scopes)

    def _silent_platform_token(self, platform: Platform) -> dict[str, Any]:
        """A new token of ``platform`` alone: by its own refresh token when the provider gave one,
        else by a silent authorization request for its scopes and resource."""
        resource = platform.resource or None
        entry = self.tokens.entry(platform.id)
        own_refresh = str(entry.get("refresh_token") or "") if entry else ""
        if own_refresh:
            try:
                token = self.client.refresh(own_refresh, platform.scopes, resource)
            except AuthError as exc:
                if exc.reason not in (AuthReason.SIGNED_OUT, AuthReason.REFUSED,
                                      AuthReason.NARROWING_REFUSED):
                    raise
                log.info("%s: its own refresh token was refused (%s); asking silently",
                         platform.id, exc)
            else:
                token.setdefault("refresh_token", own_refresh)
                return token
        return self._silent_token(
            platform.id, ("openid", *platform.scopes), (resource,) if resource else (), resource
        )

    def _silent_token(
        self, what: str, scopes: tuple[str, ...], resources: tuple[str, ...],
        resource: str | None = None,
    ) -> dict[str, Any]:
        """A token by a silent authorization request (``prompt=none``) in the window's web
        profile, checked as a sign-in is (state, iss, id_token, nonce) and about the person
        signed in. The provider wanting the person (``login_required``...) is
        INTERACTION_REQUIRED: the platform needs a sign-in, nothing is shown."""
        runner = self.web_authorize
        if runner is None:
            raise _NoWebProfile(what)
        flow = self.client.begin(REDIRECT_URI, scopes, resources, silent=True)
        token = self.client.complete(flow, runner(flow), resource)
        session = self._stored.get()
        sub = str(session["user"].get("sub")) if session is not None else None
        if str(token["id_claims"].get("sub")) != sub:
            self.client.revoke(str(token["access_token"]), "access_token")
            raise AuthError(
                "the identity service's session in the web profile is another person's; sign in "
                "again", AuthReason.SIGNED_OUT,
            )
        return token

    def _renew_web_session(self) -> None:
        """Renew an expired web-renewed session (token_for found it due), unless another thread
        did meanwhile; its new access token is the shared token."""
        with self._refresh_lock:
            session = self._stored.get()
            if session is None:
                raise AuthError("not signed in", AuthReason.SIGNED_OUT)
            if not (_web_renewed(session) and _due(session)):
                return
            token = self._silent_sign_in()
        self.tokens.invalidate(SHARED)
        self.tokens.get(SHARED, lambda: token)

    def _silent_sign_in(self) -> dict[str, Any]:
        """A silent sign-in for the whole grant (the login's scopes and resources) in the web
        profile, kept as the session: a new id_token and expiry, and a refreshable session if the
        provider gives a refresh token now. Returns its token answer."""
        session = self._stored.get()
        if session is None:
            raise AuthError("not signed in", AuthReason.SIGNED_OUT)
        token = self._silent_token("the sign-in", self.scopes(), self.resources())
        renewed = self._session_of(token, UserInfo(**session["user"]))
        self._stored.save(renewed, json.dumps(renewed))
        log.info("the sign-in made on a web page was renewed in the web profile")
        return token

    def _shared_token(self, needed: tuple[str, ...] = ()) -> str:
        """The token of the whole grant (no scope or resource asked), one for every platform.

        ``needed``: scopes a new token must carry (a fallback); a provider that narrowed the
        refresh token itself answers with fewer, which is NARROWING_REFUSED, not a useless token.
        """
        def obtain() -> dict[str, Any]:
            token = self._refresh(())
            granted = set(str(token.get("scope") or "").split())
            missing = [s for s in needed if granted and s not in granted]
            if missing:
                raise AuthError(
                    f"the provider's shared token lacks {' '.join(missing)} (it narrowed the "
                    "refresh token to an earlier platform's scopes): set [idp] tokens = "
                    '"shared" in the county file and sign in again',
                    AuthReason.NARROWING_REFUSED,
                )
            return token

        return self.tokens.get(SHARED, obtain)

    def invalidate(self, platform: Platform) -> None:
        """Forget ``platform``'s access token (its API refused it): the next token_for gets a new
        one. The other platforms' tokens and the session stay (in ``shared`` mode the shared
        token goes: it is every platform's)."""
        self.tokens.invalidate(platform.id)
        if self.county.idp.tokens == "shared":
            self.tokens.invalidate(SHARED)

    def _expiry(self, platform_id: str) -> float | None:
        """When ``platform_id``'s token expires: its own, or the shared one it uses."""
        if self.county.idp.tokens == "shared":
            return self.tokens.expiry(SHARED)
        return self.tokens.expiry(platform_id)

    def _refresh(self, scopes: tuple[str, ...], resource: str | None = None) -> dict[str, Any]:
        # One refresh at a time: a provider that rotates refresh tokens invalidates the old one on
        # use, so two overlapping refreshes with the same token would sign the user out.
        session = self._stored.get()
        if session is not None and _web_renewed(session):
            return self._web_grant(scopes, resource)
        with self._refresh_lock:
            session = self._stored.get()
            if session is None:
                raise AuthError("not signed in", AuthReason.SIGNED_OUT)
            if _web_renewed(session):
                return self._web_grant(scopes, resource)
            try:
                token = self.client.refresh(str(session["refresh_token"]), scopes, resource)
            except AuthError as exc:
                # Refused: maybe another process rotated the refresh token or signed in again
                # without this one noticing (its stamp not written). Try the keyring's once.
                if exc.reason is not AuthReason.SIGNED_OUT:
                    raise
                stored = self._stored.reload()
                if (stored is None or _web_renewed(stored)
                        or stored["refresh_token"] == session["refresh_token"]):
                    raise
                session = stored
                token = self.client.refresh(str(session["refresh_token"]), scopes, resource)
            new_refresh = token.get("refresh_token")
            if new_refresh and new_refresh != session["refresh_token"]:
                # Written at once, never behind: the old one is dead, and a crash or another
                # process must not use it again (the provider would revoke the whole grant).
                remember_secret(str(new_refresh))
                rotated = {**session, "refresh_token": new_refresh}
                self._stored.save(rotated, json.dumps(rotated))
            return token

    def _web_grant(self, scopes: tuple[str, ...], resource: str | None) -> dict[str, Any]:
        """What a refresh gives, for a web-renewed session (no refresh token): the whole grant's
        token by a silent sign-in, a narrowed one by a silent request for those scopes."""
        if not scopes and resource is None:
            return self._silent_sign_in()
        return self._silent_token(
            "a platform", ("openid", *scopes), (resource,) if resource else (), resource
        )

    # -- status --------------------------------------------------------------------------------

    def status(self, has_password: Callable[[str], bool] | None = None) -> SessionStatus:
        """Who is signed in and each platform's state, from the keyring alone (no network).

        ``has_password`` (the password vault's ``has``) tells the password platforms' state.
        """
        user = self.restore()

        platforms = platform_states(
            self.registry,
            signed_in=user is not None,
            expiry=self._expiry,
            has_password=has_password,
        )
        return SessionStatus(user, self.county.idp.url, self.county.idp.kind, platforms)

    # -- signing out ---------------------------------------------------------------------------

    def logout(self) -> str | None:
        """Revoke what the provider lets us revoke, wipe the keyring, return the end-session URL.

        What was revoked and what was not is kept in ``last_logout``. The local wipe happens even
        when the provider cannot be reached.
        """
        session = self._stored.reload()
        end_url: str | None = None
        report = LogoutReport()
        if session is not None:
            outcomes: list[tuple[str, str]] = []
            try:
                seen: set[str] = set()
                for entry in self.tokens.all():
                    for hint in ("access_token", "refresh_token"):
                        value = str(entry.get(hint) or "")
                        if value and value not in seen:
                            seen.add(value)
                            outcomes.append((hint, self.client.revoke(value, hint)))
                if session.get("refresh_token"):  # none in a web-renewed session
                    refresh = self.client.revoke(str(session["refresh_token"]), "refresh_token")
                    outcomes.append(("refresh_token", refresh))
                end_url = self.client.end_session_url(str(session.get("id_token") or ""))
            except AuthError as exc:
                log.warning("provider not told of the logout: %s", exc)
                outcomes.append(("refresh_token", Revocation.FAILED))
            report = LogoutReport(
                revoked=tuple(h for h, o in outcomes if o == Revocation.REVOKED),
                not_revoked=tuple((h, str(o)) for h, o in outcomes if o != Revocation.REVOKED),
            )
        with self._lock:
            self.wipe_local()
        self.last_logout = report
        return end_url

    def wipe_local(self) -> None:
        # The session first: another process then stops (its stamp changes) before the tokens go.
        self._stored.delete()
        self.user = None
        self.tokens.clear()


def _web_renewed(session: Session) -> bool:
    """A silent sign-in's session without a refresh token, renewed in the web profile."""
    return (
        session.get("web") is True
        and isinstance(session.get("expires_at"), int | float)
        and not isinstance(session.get("expires_at"), bool)
    )


def _due(session: Session) -> bool:
    """A web-renewed session whose access token expires within the renewal margin."""
    return float(session["expires_at"]) - EXPIRY_MARGIN <= time.time()
