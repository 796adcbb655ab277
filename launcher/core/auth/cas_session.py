"""The signed-in session of a CAS county: one login at the CAS server, then a token per platform.

The user signs in at the CAS login page in the launcher's embedded web view; the CAS server sends
the view back to the launcher's own service URL (``[idp] service``, caught there, never loaded)
with a service ticket, which the launcher validates. The CAS server's cookies from the web profile
(the ticket-granting cookie, TGC) are kept in the OS keyring: with them the launcher asks the CAS
server for a fresh service ticket for each platform's ``auth.service`` and exchanges it there
(``GET <service>?ticket=ST`` → ``{"access_token", "expires_in"}``) for that platform's API token.
Logout ends the CAS session, whose server then sends a single-logout request to every service
that got a ticket, and wipes the keyring even when the server cannot be reached.

Same surface as the OpenID Connect ``AuthSession`` where it makes sense, and like it the session
is read from the keyring once and kept in memory (``StoredSession``: a change made by another
process is noticed by its stamp file).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from launcher.core.auth.cas import CasClient, same_service, ticket_from
from launcher.core.auth.device import DeviceFlow
from launcher.core.auth.failures import unreachable
from launcher.core.auth.identity import Capability, SessionLock, modes_of
from launcher.core.auth.oidc import LoginFlow
from launcher.core.auth.session import UserInfo
from launcher.core.auth.status import SessionStatus, platform_states
from launcher.core.auth.stored_session import Session, StoredSession
from launcher.core.auth.tokens import PlatformTokens
from launcher.core.county import County
from launcher.core.errors import AuthError
from launcher.core.http import new_session
from launcher.core.logmask import remember_secret
from launcher.core.registry import Platform, Registry
from launcher.core.secrets import SecretStore
from launcher.core.states import AuthReason

log = logging.getLogger(__name__)

DEFAULT_EXPIRES_IN = 300
_SESSION = "session"


class CasSession(SessionLock):
    """The CAS identity session (an ``identity.IdentitySession``): embedded sign-in only."""

    # Embedded only: the CAS session is the TGC cookie of the browser that signed in (see
    # _embedded_only). The logout URL, loaded in the web view, ends the CAS session there too.
    provider_name = "CAS"
    capabilities = (
        Capability.EMBEDDED_LOGIN
        | Capability.WEB_SESSION_SIGN_IN
        | Capability.WEB_COOKIES
        | Capability.TOKEN_REFRESH
        | Capability.END_SESSION_PAGE
        | Capability.SINGLE_LOGOUT
        | Capability.LOCK
    )
    login_modes = modes_of(capabilities)

    def __init__(
        self, county: County, registry: Registry, secrets: SecretStore, *, timeout: float = 15.0
    ) -> None:
        self.county = county
        self.registry = registry
        self.secrets = secrets
        self.timeout = timeout
        self.client = CasClient(county.idp.server, county.idp.cas_version, timeout=timeout)
        self.user: UserInfo | None = None
        self._lock = threading.Lock()
        self._stored = StoredSession(secrets, self._parse, _SESSION, self._changed_elsewhere,
                                     owner=lambda session: str(session["user"]["sub"]))
        self.tokens = PlatformTokens(secrets, keep=lambda: self._stored.get() is not None)
        self._cookies: dict[str, str] = {}

    # -- signing in ----------------------------------------------------------------------------

    def scopes(self) -> tuple[str, ...]:
        """CAS has no scopes: every platform gets its own service ticket instead."""
        return ()

    def begin_login(self, *, silent: bool = False, reauthenticate: bool = False) -> LoginFlow:
        """A sign-in at the CAS login page: ``auth_uri`` is the page, ``redirect_uri`` the
        launcher's service URL the answer comes back to (caught in the view, never loaded).

        CAS has no state, nonce or PKCE (the service ticket itself is one-time): those stay empty.
        ``silent`` asks with ``gateway=true``: the CAS server never shows its form, and sends the
        view back to the service URL at once, with a ticket only when its session is signed in.
        """
        idp = self.county.idp
        if idp.kind != "cas":
            raise AuthError(
                f"{self.county.path}: idp.kind is {idp.kind!r}, not 'cas'", AuthReason.CONFIG
            )
        return LoginFlow(
            state="",
            nonce="",
            code_verifier="",
            redirect_uri=idp.service,
            auth_uri=self.client.login_url(idp.service, gateway=silent, renew=reauthenticate),
            issuer=self.client.server,
        )

    def complete_login(
        self,
        flow: LoginFlow,
        callback_url: str,
        cookies: Mapping[str, str] | None = None,
    ) -> UserInfo:
        """Validate the ticket the CAS server sent back and keep the CAS session's cookies.

        ``cookies``: the CAS server's cookies in the web profile (name → value), the TGC among
        them; without them no platform could get a ticket later, so the login is refused.
        """
        service = flow.redirect_uri
        if flow.issuer != self.client.server:
            raise AuthError("the sign-in was begun at another identity service", AuthReason.FORGED)
        if not same_service(callback_url, service):
            raise AuthError(
                "the sign-in answer came back to an unexpected address", AuthReason.FORGED
            )
        if flow.used:
            raise AuthError("this sign-in answer was already used", AuthReason.FORGED)
        flow.used = True
        ticket = ticket_from(callback_url)
        if not ticket:
            raise AuthError("the CAS server's answer carries no service ticket", AuthReason.REFUSED)
        remember_secret(ticket)
        jar = {str(k): str(v) for k, v in (cookies or {}).items() if v}
        for value in jar.values():
            remember_secret(value)
        if not jar:
            raise AuthError(
                "the CAS server set no session cookie (TGC) in the sign-in page, so the "
                "platforms cannot be signed in",
                AuthReason.REFUSED,
            )
        cas_user = self.client.validate(service, ticket)
        user = UserInfo(
            sub=cas_user.user,
            name=cas_user.attribute("name") or cas_user.user,
            username=cas_user.attribute("username") or cas_user.user,
        )
        session = {
            "server": self.client.server,
            "service": service,
            "cookies": jar,
            "user": asdict(user),
        }
        with self._lock:
            self.wipe_local()
            self._stored.save(session, json.dumps(session))
            self.user = user
            self._cookies = dict(jar)
        log.info("signed in as %s at CAS server %s", user.username, self.client.server)
        return user

    def no_sign_in_reason(self, callback_url: str) -> str:
        """A gateway answer (silent sign-in) without a ticket: the web pages have no CAS session."""
        error = (parse_qs(urlsplit(callback_url).query).get("error") or [""])[0]
        if error:
            return error
        return "" if ticket_from(callback_url) else "no CAS session in the web pages"

    def login_system_browser(
        self,
        open_url: Callable[[str], None],
        *,
        timeout: float = 300,
        cancel: threading.Event | None = None,
        reauthenticate: bool = False,
    ) -> UserInfo:
        raise self._embedded_only("system-browser")

    def begin_device(self) -> DeviceFlow:
        raise self._embedded_only("device")

    def poll_device(self, flow: DeviceFlow, cancel: threading.Event | None = None) -> UserInfo:
        raise self._embedded_only("device")

    def _embedded_only(self, mode: str) -> AuthError:
        # The CAS session is the TGC cookie of the browser that signed in: a system browser's or
        # a phone's cookie never reaches the launcher, so its platforms could not get tickets.
        return AuthError(
            f"{self.county.path}: idp.kind is 'cas': {mode} sign-in needs an OpenID Connect "
            "provider; CAS counties sign in in the launcher's window",
            AuthReason.CONFIG,
        )

    def restore(self) -> UserInfo | None:
        """The user of the session kept in the keyring, if any (no network)."""
        session = self._stored.get()
        if session is None:
            self.user = None
            self._cookies = {}
            return None
        try:
            self.user = UserInfo(**session["user"])
        except (KeyError, TypeError):
            log.warning("stored CAS session is unreadable; signing out")
            self.wipe_local()
            return None
        self._cookies = {str(k): str(v) for k, v in session["cookies"].items()}
        return self.user

    def web_cookies(self) -> dict[str, str]:
        """The CAS server's cookies of the signed-in session, from memory (no keyring access):
        put into a new web profile, they sign its platform pages in through the CAS session."""
        return dict(self._cookies)

    def _parse(self, raw: str) -> Session | None:
        try:
            session = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(session, dict) or session.get("server") != self.client.server:
            return None
        cookies = session.get("cookies")
        if not isinstance(cookies, dict) or not cookies:
            return None
        for value in cookies.values():
            remember_secret(str(value))
        return session

    def _changed_elsewhere(self, old: Session | None, new: Session | None) -> None:
        """Another process signed out, or in again (maybe as someone else): the platform tokens
        of the old CAS session end here too."""
        log.info("the CAS session was changed by another launcher process")
        self.tokens.forget()
        try:
            self.user = UserInfo(**new["user"]) if new is not None else None
            self._cookies = {str(k): str(v) for k, v in new["cookies"].items()} if new else {}
        except (KeyError, TypeError):
            self.user, self._cookies = None, {}

    # -- per-platform tokens -------------------------------------------------------------------

    def token_for(self, platform: Platform) -> str | None:
        """A valid API token for ``platform`` (None if it needs none); replaced ahead of expiry.

        Concurrent calls for one platform wait for a single ticket exchange.
        """
        if not platform.manifest.auth.sso:
            return None
        service = platform.service
        if not service:
            raise AuthError(
                f"{platform.manifest.path}: auth.service is missing, so the platform's API "
                "cannot be signed in through the county's CAS server",
                AuthReason.CONFIG,
            )

        def obtain() -> dict[str, Any]:
            session = self._stored.get()
            if session is None:
                raise AuthError("not signed in", AuthReason.SIGNED_OUT)
            try:
                ticket = self.client.service_ticket(service, session["cookies"])
            except AuthError as exc:
                # The CAS session ended: maybe another process signed in again unnoticed (its
                # stamp not written). Try the keyring's session once.
                if exc.reason is not AuthReason.SIGNED_OUT:
                    raise
                stored = self._stored.reload()
                if stored is None or stored["cookies"] == session["cookies"]:
                    raise
                ticket = self.client.service_ticket(service, stored["cookies"])
            return self._exchange(platform, service, ticket)

        if self._stored.get() is None:  # memory, unless another process changed the session
            raise AuthError("not signed in", AuthReason.SIGNED_OUT)
        return self.tokens.get(platform.id, obtain)

    def _exchange(self, platform: Platform, service: str, ticket: str) -> dict[str, Any]:
        """``GET <service>?ticket=ST`` at the platform → its API token."""
        with new_session() as http:
            try:
                answer = http.get(
                    service,
                    params={"ticket": ticket},
                    headers={"Accept": "application/json"},
                    allow_redirects=False,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                what = f"{platform.name}'s CAS ticket exchange at {service}"
                raise unreachable(exc, what) from None
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code != 200 or not isinstance(body, dict):
            detail = ""
            if isinstance(body, dict):
                detail = str(body.get("error_description") or body.get("error") or "")
            raise AuthError(
                f"{platform.name} refused the CAS ticket at {service} "
                f"({answer.status_code}{': ' + detail if detail else ''})",
                AuthReason.REFUSED,
            )
        token = body.get("access_token")
        if not isinstance(token, str) or not token:
            raise AuthError(
                f"{platform.name} gave no access_token for the CAS ticket", AuthReason.REFUSED
            )
        remember_secret(token)
        expires_in = body.get("expires_in", DEFAULT_EXPIRES_IN)
        if not isinstance(expires_in, int | float) or expires_in <= 0:
            expires_in = DEFAULT_EXPIRES_IN
        return {"access_token": token, "expires_at": time.time() + float(expires_in)}

    def invalidate(self, platform: Platform) -> None:
        """Forget the platform's API token (it was refused), so the next token_for gets a new one."""
        self.tokens.invalidate(platform.id)

    # -- what is known without the network -----------------------------------------------------

    def status(self, has_password: Callable[[str], bool] | None = None) -> SessionStatus:
        """Who is signed in and each platform's state, from the keyring alone (no network)."""
        user = self.restore()

        platforms = platform_states(
            self.registry,
            signed_in=user is not None,
            expiry=self.tokens.expiry,
            has_password=has_password,
        )
        return SessionStatus(user, self.county.idp.url, "cas", platforms)

    # -- signing out ---------------------------------------------------------------------------

    def logout(self) -> str | None:
        """End the CAS session (single logout of every platform), wipe the keyring, and return
        the CAS logout URL for the web view (which ends the session there too).

        The local wipe happens even when the CAS server cannot be reached.
        """
        session = self._stored.reload()
        if session is not None:
            try:
                self.client.logout(session["cookies"])
            except AuthError as exc:
                log.warning("CAS server not told of the logout: %s", exc)
        with self._lock:
            self.wipe_local()
        return self.client.logout_url() if session is not None else None

    def wipe_local(self) -> None:
        # The session first: another process then stops (its stamp changes) before the tokens go.
        self._stored.delete()
        self._cookies = {}
        self.user = None
        self.tokens.clear()
