"""In-memory storage of the demo identity provider: clients, authorization codes and tokens.

The objects implement authlib's model mixins, so authlib's grants and endpoints drive them. One lock
guards every table: the servers are threaded.
"""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import (
    ClientMixin,
    TokenMixin,
    scope_to_list,
)
from authlib.oidc.core import AuthorizationCodeMixin as OIDCCodeMixin

from launcher_demo.users import DemoUser, find_user

CODE_LIFETIME = 600  # seconds; RFC 6749 recommends at most 10 minutes


def is_loopback_uri(uri: str, path: str | None) -> bool:
    """RFC 8252 §7.3: a native app's loopback redirect on 127.0.0.1 with any port."""
    try:
        parts = urlsplit(uri)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return False
    return (
        parts.scheme == "http"
        and parts.hostname == "127.0.0.1"
        and not parts.fragment
        and not parts.username
        and (path is None or parts.path == path)
    )


@dataclass
class Client(ClientMixin):  # type: ignore[misc]
    client_id: str
    name: str
    allowed_scopes: tuple[str, ...]
    client_secret: str | None = None
    """None for a public client (the launcher), which authenticates with PKCE instead."""
    redirect_uris: tuple[str, ...] = ()
    loopback: bool = False
    """Accept any loopback port for /callback (RFC 8252 native app)."""
    post_logout_redirect_uris: tuple[str, ...] = ()
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token")

    @property
    def token_endpoint_auth_method(self) -> str:
        return "none" if self.client_secret is None else "client_secret_basic"

    @property
    def client_metadata(self) -> dict[str, Any]:
        return {
            "client_name": self.name,
            "token_endpoint_auth_method": self.token_endpoint_auth_method,
            "post_logout_redirect_uris": list(self.post_logout_redirect_uris),
        }

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope: str | None) -> str:
        if not scope:
            return ""
        return " ".join(s for s in scope_to_list(scope) if s in self.allowed_scopes)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        if self.loopback and is_loopback_uri(redirect_uri, "/callback"):
            return True
        return redirect_uri in self.redirect_uris

    def check_post_logout_redirect_uri(self, uri: str) -> bool:
        if self.loopback and is_loopback_uri(uri, None):
            return True
        return uri in self.post_logout_redirect_uris

    def check_client_secret(self, client_secret: str) -> bool:
        if self.client_secret is None:
            return False
        return hmac.compare_digest(self.client_secret.encode(), client_secret.encode())

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == self.token_endpoint_auth_method

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass
class AuthorizationCode(OIDCCodeMixin):  # type: ignore[misc]
    code: str
    client_id: str
    username: str
    redirect_uri: str
    scope: str
    nonce: str | None
    auth_time: int
    code_challenge: str | None
    code_challenge_method: str | None
    created: float = field(default_factory=time.time)

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> None:
        return None

    def is_expired(self) -> bool:
        return time.time() > self.created + CODE_LIFETIME


@dataclass
class RefreshToken(TokenMixin):  # type: ignore[misc]
    """One grant: what the user allowed this client. Refreshing does not rotate it."""

    token: str
    client_id: str
    username: str
    scope: str
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return 0

    def is_expired(self) -> bool:
        return False

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> DemoUser | None:
        return find_user(self.username)

    def get_client(self) -> Client | None:
        return None  # not needed by the endpoints that see refresh tokens


@dataclass
class AccessToken(TokenMixin):  # type: ignore[misc]
    token: str
    client: Client
    username: str
    scope: str
    issued_at: int
    expires_in: int
    grant: str | None = None
    """The refresh token this access token came from: revoking the grant revokes it too."""
    revoked: bool = False

    def check_client(self, client: Client) -> bool:
        return client.client_id == self.client.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return time.time() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> DemoUser | None:
        return find_user(self.username)

    def get_client(self) -> Client:
        return self.client


class IdpStore:
    """Every table of the identity provider, behind one lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, Client] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        self._refresh: dict[str, RefreshToken] = {}
        self._access: dict[str, AccessToken] = {}
        self._nonces: set[tuple[str, str]] = set()

    def add_client(self, client: Client) -> None:
        with self._lock:
            self._clients[client.client_id] = client

    def client(self, client_id: str) -> Client | None:
        with self._lock:
            return self._clients.get(client_id)

    def clients(self) -> list[Client]:
        with self._lock:
            return list(self._clients.values())

    def save_code(self, code: AuthorizationCode) -> None:
        with self._lock:
            self._codes[code.code] = code
            if code.nonce:
                self._nonces.add((code.client_id, code.nonce))

    def code(self, code: str, client_id: str) -> AuthorizationCode | None:
        with self._lock:
            found = self._codes.get(code)
        if found is None or found.client_id != client_id or found.is_expired():
            return None
        return found

    def delete_code(self, code: str) -> None:
        with self._lock:
            self._codes.pop(code, None)

    def nonce_used(self, client_id: str, nonce: str) -> bool:
        with self._lock:
            return (client_id, nonce) in self._nonces

    def save_refresh(self, token: RefreshToken) -> None:
        with self._lock:
            self._refresh[token.token] = token

    def refresh(self, token: str) -> RefreshToken | None:
        with self._lock:
            return self._refresh.get(token)

    def save_access(self, token: AccessToken) -> None:
        with self._lock:
            self._access[token.token] = token

    def access(self, token: str) -> AccessToken | None:
        with self._lock:
            return self._access.get(token)

    def revoke(self, token: RefreshToken | AccessToken) -> None:
        """Revoke one token; revoking a refresh token also revokes the access tokens of its grant
        (RFC 7009 §2.1)."""
        with self._lock:
            token.revoked = True
            if isinstance(token, RefreshToken):
                for access in self._access.values():
                    if access.grant == token.token:
                        access.revoked = True
