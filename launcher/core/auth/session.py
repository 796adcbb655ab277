"""The signed-in session: one login at the county provider, then a token for every platform.

The launcher signs in once, asking for every platform's scopes, and keeps the refresh token in the OS
keyring. Each platform then gets its own access token, narrowed to that platform's scopes by a
refresh-token grant, so a token leaked by one platform's API is useless at the others.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import asdict, dataclass
from typing import Any

from launcher.core.auth.oidc import LoginFlow, OidcClient
from launcher.core.county import County
from launcher.core.errors import AuthError
from launcher.core.logmask import remember_secret
from launcher.core.registry import Platform, Registry
from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

REDIRECT_URI = "http://127.0.0.1/callback"
EXPIRY_MARGIN = 60
"""Seconds before expiry at which a token is refreshed ahead of time."""
_SESSION = "session"
_ACCESS = "access:"


@dataclass(frozen=True)
class UserInfo:
    sub: str
    name: str
    username: str


class AuthSession:
    def __init__(self, county: County, registry: Registry, secrets: SecretStore) -> None:
        self.county = county
        self.registry = registry
        self.secrets = secrets
        self.client = OidcClient(county.idp.issuer, county.idp.client_id)
        self.user: UserInfo | None = None
        self._lock = threading.Lock()
        self._refresh_lock = threading.Lock()
        self._platform_locks: dict[str, threading.Lock] = {}
        self._access: dict[str, dict[str, Any]] = {}

    # -- signing in ----------------------------------------------------------------------------

    def scopes(self) -> tuple[str, ...]:
        """The county's scopes plus every platform's: the one login covers them all."""
        wanted = dict.fromkeys(self.county.idp.scopes)
        for platform in self.registry.platforms:
            if platform.manifest.auth.sso:
                wanted.update(dict.fromkeys(platform.scopes))
        return tuple(wanted)

    def begin_login(self, redirect_uri: str = REDIRECT_URI) -> LoginFlow:
        if self.county.idp.kind != "oidc":
            raise AuthError(
                f"{self.county.path}: idp.kind: {self.county.idp.kind!r} sign-in is not supported "
                "by this version of the launcher (only oidc)",
                "config",
            )
        return self.client.begin(redirect_uri, self.scopes())

    def complete_login(self, flow: LoginFlow, callback_url: str) -> UserInfo:
        token = self.client.complete(flow, callback_url)
        claims = token["id_claims"]
        user = UserInfo(
            sub=str(claims["sub"]),
            name=str(claims.get("name") or claims.get("preferred_username") or claims["sub"]),
            username=str(claims.get("preferred_username") or claims["sub"]),
        )
        if not token.get("refresh_token"):
            raise AuthError(
                "the provider granted no refresh token (offline_access missing?)", "refused"
            )
        session = {
            "issuer": self.client.issuer,
            "refresh_token": token["refresh_token"],
            "id_token": token["id_token"],
            "user": asdict(user),
        }
        with self._lock:
            self.wipe_local()
            self.secrets.set(_SESSION, json.dumps(session))
            self.user = user
        log.info("signed in as %s at %s", user.username, self.client.issuer)
        return user

    def restore(self) -> UserInfo | None:
        """The user of the session kept in the keyring, if any (no network)."""
        session = self._session()
        if session is None:
            return None
        try:
            self.user = UserInfo(**session["user"])
        except (KeyError, TypeError):
            log.warning("stored session is unreadable; signing out")
            self.wipe_local()
            return None
        return self.user

    def _session(self) -> dict[str, Any] | None:
        raw = self.secrets.get(_SESSION)
        if not raw:
            return None
        try:
            session = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(session, dict) or session.get("issuer") != self.client.issuer:
            return None
        for key in ("refresh_token", "id_token"):
            if session.get(key):
                remember_secret(str(session[key]))
        return session

    # -- per-platform tokens -------------------------------------------------------------------

    def token_for(self, platform: Platform) -> str | None:
        """A valid access token for ``platform`` (None if it needs none); refreshed ahead of expiry.

        Concurrent calls for one platform wait for a single refresh instead of each making one.
        """
        if not platform.manifest.auth.sso:
            return None
        with self._lock:
            lock = self._platform_locks.setdefault(platform.id, threading.Lock())
        with lock:
            cached = self._access.get(platform.id) or self._stored_access(platform.id)
            if cached and cached.get("expires_at", 0) - EXPIRY_MARGIN > time.time():
                return str(cached["access_token"])
            token = self._refresh(platform.scopes)
            entry = {
                "access_token": token["access_token"],
                "expires_at": token.get("expires_at", time.time() + 300),
            }
            self._access[platform.id] = entry
            self.secrets.set(_ACCESS + platform.id, json.dumps(entry))
            return str(entry["access_token"])

    def _stored_access(self, platform_id: str) -> dict[str, Any] | None:
        raw = self.secrets.get(_ACCESS + platform_id)
        if not raw:
            return None
        try:
            entry = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(entry, dict) or not entry.get("access_token"):
            return None
        remember_secret(str(entry["access_token"]))
        self._access[platform_id] = entry
        return entry

    def _refresh(self, scopes: tuple[str, ...]) -> dict[str, Any]:
        # One refresh at a time: a provider that rotates refresh tokens invalidates the old one on
        # use, so two overlapping refreshes with the same token would sign the user out.
        with self._refresh_lock:
            session = self._session()
            if session is None:
                raise AuthError("not signed in", "signed-out")
            token = self.client.refresh(str(session["refresh_token"]), scopes)
            new_refresh = token.get("refresh_token")
            if new_refresh and new_refresh != session["refresh_token"]:
                session["refresh_token"] = new_refresh
                self.secrets.set(_SESSION, json.dumps(session))
            return token

    # -- signing out ---------------------------------------------------------------------------

    def logout(self) -> str | None:
        """Revoke what the provider lets us revoke, wipe the keyring, return the end-session URL.

        The local wipe happens even when the provider cannot be reached.
        """
        session = self._session()
        end_url: str | None = None
        if session is not None:
            try:
                for entry in self._all_access():
                    self.client.revoke(str(entry["access_token"]), "access_token")
                self.client.revoke(str(session["refresh_token"]), "refresh_token")
                end_url = self.client.end_session_url(str(session.get("id_token") or ""))
            except AuthError as exc:
                log.warning("provider not told of the logout: %s", exc)
        with self._lock:
            self.wipe_local()
        return end_url

    def _all_access(self) -> list[dict[str, Any]]:
        entries = []
        for name in self.secrets.names():
            if name.startswith(_ACCESS):
                entry = self._stored_access(name[len(_ACCESS) :])
                if entry and entry.get("access_token"):
                    entries.append(entry)
        return entries

    def wipe_local(self) -> None:
        self._access.clear()
        self.user = None
        self.secrets.delete(_SESSION)
        self.secrets.delete_matching(_ACCESS)
