"""How a demo platform checks the bearer token on its task API: an RFC 9068 JWT from its issuer.

The platform trusts whichever issuer it is configured with and finds the keys the way any resource
server would: discovery document -> jwks_uri. Checked (RFC 9068 §4): signature, ``iss``, ``exp``,
that ``aud`` names the platform's own API (its RFC 8707 resource indicator, ``{base_url}/api``)
and that ``scope`` holds the platform's own scope.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2.rfc6750 import InsufficientScopeError, InvalidTokenError
from authlib.oauth2.rfc9068 import JWTBearerTokenValidator
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
RESOURCE_PATH = "/api"
"""A demo platform's API is named ``{base_url}/api`` as a resource (its manifest's ``resource``)."""
MAX_LOOKED_UP_KIDS = 256
"""Unknown key ids remembered: each triggers one JWKS download at most (key rotation)."""


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
    def __init__(self, issuer: str, realm: str, resource: str, timeout: float = 5.0) -> None:
        super().__init__(issuer=issuer.rstrip("/"), resource_server=resource, realm=realm)
        self.timeout = timeout
        self._lock = threading.Lock()
        self._keys: KeySet | None = None
        self._looked_up: set[str] = set()

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
            return self._keys

    def _refresh_keys(self, kid: str | None) -> bool:
        """Download the key set again for a token signed with a key we do not know (the issuer
        rotated its keys): once per unknown kid, so forged kids cannot make us download forever
        and a token whose known key does not verify it is simply refused."""
        with self._lock:
            known = {k.kid for k in self._keys.keys} if self._keys is not None else set()
            if kid is None or kid in known or kid in self._looked_up:
                return False
            if len(self._looked_up) >= MAX_LOOKED_UP_KIDS:
                self._looked_up.clear()
            self._looked_up.add(kid)
            self._keys = self._download()
            return True

    def authenticate_token(self, token_string: str) -> Any:
        try:
            return super().authenticate_token(token_string)
        except (InvalidTokenError, ValueError):
            if not self._refresh_keys(_kid(token_string)):
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


def _kid(token: str) -> str | None:
    try:
        kid = extract_compact(token.encode()).headers().get("kid")
    except (JoseError, ValueError):
        return None
    return kid if isinstance(kid, str) else None


def api_resource(base_url: str) -> str:
    """The RFC 8707 resource indicator of the demo platform API at ``base_url``."""
    return base_url.rstrip("/") + RESOURCE_PATH


def make_protector(issuer: str, realm: str, resource: str) -> ResourceProtector:
    """Guards a platform API: JWT access tokens of ``issuer`` for the audience ``resource``."""
    protector = ResourceProtector()
    protector.register_token_validator(IssuerJWTValidator(issuer, realm, resource))
    return protector
