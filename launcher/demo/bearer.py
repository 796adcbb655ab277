"""How a demo platform checks the bearer token on its task API: an RFC 9068 JWT from its issuer.

The platform trusts whichever issuer it is configured with and finds the keys the way any resource
server would: discovery document -> jwks_uri. Checked: signature, ``iss``, ``exp`` and that
``scope`` holds the platform's own scope. ``aud`` is not pinned, so the platforms also accept
tokens of another OpenID provider that names its resources differently.
"""

from __future__ import annotations

import threading
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2.rfc6750 import InsufficientScopeError, InvalidTokenError
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator
from joserfc.jwk import KeySet

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
JWKS_REFRESH_AFTER = 30.0
"""Seconds before an unknown signing key may trigger another JWKS download (key rotation)."""


class ScopeError(InvalidTokenError):  # type: ignore[misc]
    """401 for a token that does not carry this platform's scope.

    A token scoped to another platform was issued for another resource, so it is answered like a
    token with the wrong audience (RFC 9068 §4: invalid_token, 401) rather than 403: the client's
    remedy is a new token, not more rights. The header names the scope needed (RFC 6750 §3).
    """

    def __init__(self, realm: str, scope: str) -> None:
        super().__init__(
            description="The access token was not issued for this platform.",
            realm=realm,
            extra_attributes={"scope": scope},
        )


class IssuerJWTValidator(JWTBearerTokenValidator):  # type: ignore[misc]
    def __init__(self, issuer: str, realm: str, timeout: float = 5.0) -> None:
        super().__init__(issuer=issuer.rstrip("/"), resource_server=None, realm=realm)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._keys: KeySet | None = None
        self._fetched = 0.0

    def _download(self) -> KeySet:
        metadata_url = f"{self.issuer}/.well-known/openid-configuration"
        with requests.Session() as http:
            # A proxy from the environment must not swallow calls to our own loopback issuer.
            http.trust_env = urlsplit(self.issuer).hostname not in LOOPBACK_HOSTS
            metadata = http.get(metadata_url, timeout=self.timeout).json()
            jwks = http.get(metadata["jwks_uri"], timeout=self.timeout).json()
        return KeySet.import_key_set(jwks)

    def get_jwks(self) -> KeySet:
        with self._lock:
            if self._keys is None:
                self._keys = self._download()
                self._fetched = time.monotonic()
            return self._keys

    def _refresh_keys(self) -> bool:
        with self._lock:
            if time.monotonic() - self._fetched < JWKS_REFRESH_AFTER:
                return False
            self._keys = self._download()
            self._fetched = time.monotonic()
            return True

    def authenticate_token(self, token_string: str) -> Any:
        try:
            return super().authenticate_token(token_string)
        except (InvalidTokenError, ValueError):
            # Maybe the issuer rotated its key since we cached the JWKS: look once more.
            if not self._refresh_keys():
                raise InvalidTokenError(realm=self.realm) from None
            try:
                return super().authenticate_token(token_string)
            except ValueError:
                raise InvalidTokenError(realm=self.realm) from None

    def validate_token(self, token: Any, scopes: list[str] | None, request: Any, **kw: Any) -> None:
        try:
            super().validate_token(token, scopes, request, **kw)
        except InsufficientScopeError:
            raise ScopeError(self.realm, " ".join(scopes or [])) from None


def make_protector(issuer: str, realm: str) -> ResourceProtector:
    protector = ResourceProtector()
    protector.register_token_validator(IssuerJWTValidator(issuer, realm))
    return protector
