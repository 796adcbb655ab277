"""An OpenID Connect relying party for a native app: discovery, PKCE login, id_token checks, refresh.

The login is two steps with no UI inside (as in MSAL's oauth2cli): ``begin()`` returns a LoginFlow
holding the one-time ``state``, ``nonce`` and PKCE verifier; ``complete(flow, callback_url)`` checks
the answer (state, RFC 9207 ``iss``, error) before it redeems the code, then checks the id_token.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from launcher.core.errors import AuthError
from launcher.core.logmask import remember_secret
from launcher.core.states import AuthReason

if TYPE_CHECKING:
    from collections.abc import Mapping

    from joserfc import jwt
    from joserfc.jwk import KeySet
    from joserfc.jwt import ClaimsOption

# requests, authlib and joserfc are imported where they are used: the window's start-up (which
# restores the session from the keyring and shows the cached tasks) needs none of them, and they
# take longer to import than the rest of opening the county.

log = logging.getLogger(__name__)

DISCOVERY_TTL = 3600.0
CLOCK_SKEW = 120
INTERACTION_ERRORS = frozenset(
    {"login_required", "consent_required", "interaction_required", "account_selection_required"}
)
"""OpenID Connect errors of a ``prompt=none`` request that mean "the person must act here"."""
NARROWING_ERRORS = frozenset({"invalid_scope", "invalid_target"})
"""Token errors of a narrowed refresh that mean "not this scope or resource", not "signed out"."""
MAX_USERINFO = 64 * 1024
"""Bytes of a userinfo answer read at most."""


class Revocation(StrEnum):
    """What became of one token at logout (``OidcClient.revoke``)."""

    REVOKED = "revoked"
    """The provider's revocation endpoint accepted it (RFC 7009 §2.2)."""
    NO_ENDPOINT = "no-endpoint"
    """The provider names no revocation endpoint (discovery, RFC 8414, county file): it lapses."""
    UNSUPPORTED = "unsupported"
    """The provider cannot revoke this kind of token (e.g. a JWT): it lapses when it expires."""
    FAILED = "failed"
    """The provider could not be asked or refused: the token lives until it expires."""


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None = None
    revocation_endpoint: str | None = None
    end_session_endpoint: str | None = None
    iss_parameter_supported: bool = False


@dataclass
class LoginFlow:
    state: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    auth_uri: str
    issuer: str
    scopes: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    """The RFC 8707 resource indicators the login asked for: every platform API's."""
    silent: bool = False
    """Asked with ``prompt=none``: the provider answered from its session in the web profile."""
    reauthenticate_since: float | None = None
    """Asked with ``prompt=login`` and ``max_age=0`` at this time (``time.time()``): the answer's
    ID token must say the person authenticated since (``auth_time``)."""
    used: bool = field(default=False, compare=False, repr=False)
    """Set once the flow has been completed: a flow (and its state) is good for one answer only."""


def _secret() -> str:
    return secrets.token_urlsafe(32)


def require_authenticated_since(claims: Mapping[str, Any], since: float) -> None:
    """AuthError unless the ID token's ``auth_time`` is ``since`` or later (within the clock
    skew allowed). Asked with ``max_age``, a provider must send it (OpenID Connect Core
    §3.1.2.1); one that ignores ``prompt=login`` answers from the session it keeps, and its
    ``auth_time`` is older: then the person did not type their credentials again, and a lock
    must not open on it (§3.1.3.7: the client checks ``auth_time``)."""
    auth_time = claims.get("auth_time")
    if not isinstance(auth_time, int | float) or isinstance(auth_time, bool):
        raise AuthError(
            "the identity provider did not say when the person signed in (no auth_time), "
            "so it cannot be told that they typed their credentials again",
            AuthReason.REFUSED,
        )
    if auth_time < since - CLOCK_SKEW:
        raise AuthError(
            "the identity provider answered from an earlier sign-in without asking for the "
            "credentials again (its auth_time is older than this sign-in)",
            AuthReason.REFUSED,
        )


def new_state() -> str:
    """A one-time ``state`` for a login flow (``OidcClient.begin(state=...)``)."""
    return _secret()


class OidcClient:
    """One county provider, for one public client (``token_endpoint_auth_method`` none)."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        *,
        timeout: float = 15.0,
        revocation_endpoint: str = "",
        consent_prompt: bool = True,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.timeout = timeout
        self.county_revocation_endpoint = revocation_endpoint
        """The county file's revocation endpoint: used when the provider publishes none."""
        self.consent_prompt = consent_prompt
        """``prompt=consent`` on a browser sign-in that asks for ``offline_access``."""
        self._revocation: str | None = None
        self._lock = threading.Lock()
        self._metadata: ProviderMetadata | None = None
        self._metadata_expires = 0.0
        self._jwks: KeySet | None = None

    # -- discovery -----------------------------------------------------------------------------

    def metadata(self) -> ProviderMetadata:
        with self._lock:
            if self._metadata is not None and time.monotonic() < self._metadata_expires:
                return self._metadata
        url = f"{self.issuer}/.well-known/openid-configuration"
        raw = self._get_json(url, "the provider's discovery document")
        issuer = str(raw.get("issuer", "")).rstrip("/")
        if issuer != self.issuer:
            raise AuthError(
                f"the identity provider at {self.issuer} calls itself {issuer or '(nothing)'}; "
                "refusing it (a provider must name the issuer it is configured as)",
                AuthReason.FORGED,
            )
        try:
            meta = ProviderMetadata(
                issuer=issuer,
                authorization_endpoint=str(raw["authorization_endpoint"]),
                token_endpoint=str(raw["token_endpoint"]),
                jwks_uri=str(raw["jwks_uri"]),
                userinfo_endpoint=raw.get("userinfo_endpoint"),
                revocation_endpoint=raw.get("revocation_endpoint"),
                end_session_endpoint=raw.get("end_session_endpoint"),
                iss_parameter_supported=bool(
                    raw.get("authorization_response_iss_parameter_supported")
                ),
            )
        except KeyError as exc:
            raise AuthError(
                f"the provider's discovery document lacks {exc.args[0]}", AuthReason.CONFIG
            ) from None
        with self._lock:
            self._metadata = meta
            self._metadata_expires = time.monotonic() + DISCOVERY_TTL
        return meta

    def keys(self, *, refetch: bool = False) -> KeySet:
        from joserfc import errors as jose_errors
        from joserfc.jwk import KeySet

        with self._lock:
            if self._jwks is not None and not refetch:
                return self._jwks
        raw = self._get_json(self.metadata().jwks_uri, "the provider's signing keys (JWKS)")
        try:
            keyset = KeySet.import_key_set(raw)  # type: ignore[arg-type]
        except (jose_errors.JoseError, ValueError, TypeError) as exc:
            raise AuthError(
                f"the provider's signing keys are unreadable: {exc}", AuthReason.CONFIG
            ) from None
        with self._lock:
            self._jwks = keyset
        return keyset

    def revocation_endpoint(self) -> str | None:
        """The RFC 7009 endpoint: from discovery, else from the RFC 8414 authorization-server
        metadata (django-oauth-toolkit publishes it only there), else the county file's."""
        meta = self.metadata()
        if meta.revocation_endpoint:
            return meta.revocation_endpoint
        if self._revocation is None:
            self._revocation = self._server_metadata_revocation() or ""
        return self._revocation or self.county_revocation_endpoint or None

    def _server_metadata_revocation(self) -> str | None:
        """``revocation_endpoint`` of RFC 8414 metadata whose issuer is ours, if any: at the
        well-known path inserted before the issuer's path (§3.1), then appended to it."""
        parts = urlsplit(self.issuer)
        origin = f"{parts.scheme}://{parts.netloc}"
        suffix = "/.well-known/oauth-authorization-server"
        for url in dict.fromkeys((f"{origin}{suffix}{parts.path}", f"{self.issuer}{suffix}")):
            try:
                raw = self._get_json(url, "the provider's authorization-server metadata")
            except AuthError as exc:
                log.info("no RFC 8414 metadata at %s: %s", url, exc)
                continue
            if str(raw.get("issuer", "")).rstrip("/") != self.issuer:
                log.warning("RFC 8414 metadata at %s names another issuer; ignored", url)
                continue
            endpoint = raw.get("revocation_endpoint")
            if isinstance(endpoint, str) and endpoint.startswith(("https://", "http://")):
                return endpoint
        return None

    def _get_json(self, url: str, what: str) -> dict[str, Any]:
        import requests

        from launcher.core.auth.failures import unreachable
        from launcher.core.http import new_session

        try:
            with new_session() as http:
                response = http.get(url, timeout=self.timeout)
                response.raise_for_status()
                body = response.content
        except requests.RequestException as exc:
            raise unreachable(exc, f"{what} at {url}") from None
        try:
            data = json.loads(body)
        except ValueError:
            raise AuthError(f"{what} at {url} is not JSON", AuthReason.CONFIG) from None
        if not isinstance(data, dict):
            raise AuthError(f"{what} at {url} is not a JSON object", AuthReason.CONFIG)
        return data

    # -- login ---------------------------------------------------------------------------------

    def begin(
        self,
        redirect_uri: str,
        scopes: tuple[str, ...],
        resources: tuple[str, ...] = (),
        *,
        state: str | None = None,
        silent: bool = False,
        reauthenticate: bool = False,
    ) -> LoginFlow:
        """A one-time login flow; ``resources`` go into the request as RFC 8707 ``resource``
        parameters (one each), so the grant covers every platform API named.

        ``state``: one made beforehand with ``new_state()`` (the loopback listener must know it
        before it accepts a connection); a new one otherwise. ``silent`` asks with
        ``prompt=none``: the provider answers at once, with a code when its session in the
        browser is signed in, else with ``login_required`` (or another interaction error).
        """
        from authlib.integrations.requests_client import OAuth2Session

        meta = self.metadata()
        state = state or new_state()
        nonce, verifier = _secret(), secrets.token_urlsafe(64)
        session = OAuth2Session(
            self.client_id,
            scope=" ".join(scopes),
            redirect_uri=redirect_uri,
            code_challenge_method="S256",
        )
        auth_uri, _ = session.create_authorization_url(
            meta.authorization_endpoint, state=state, nonce=nonce, code_verifier=verifier
        )
        if resources:
            auth_uri += "&" + urlencode([("resource", r) for r in resources])
        consent = self.consent_prompt and "offline_access" in scopes
        if silent:
            auth_uri += "&" + urlencode({"prompt": "none"})
        elif reauthenticate:
            # Unlocking a shared PC: the person must type their credentials again, whatever
            # session the provider keeps (OpenID Connect Core §3.1.2.1: prompt=login, max_age=0).
            prompt = "login consent" if consent else "login"
            auth_uri += "&" + urlencode({"prompt": prompt, "max_age": "0"})
        elif consent:
            # OpenID Connect Core §11: without prompt=consent a provider ignores offline_access
            # (the stock oidc-provider does), and grants no refresh token.
            auth_uri += "&" + urlencode({"prompt": "consent"})
        return LoginFlow(
            state, nonce, verifier, redirect_uri, auth_uri, self.issuer, scopes, resources, silent,
            time.time() if reauthenticate and not silent else None,
        )

    def complete(
        self, flow: LoginFlow, callback_url: str, resource: str | None = None
    ) -> dict[str, Any]:
        """Check the authorization response and redeem its code; returns the token response.

        ``resource``: the one API (RFC 8707 §2.2) the access token is asked for, among those the
        request named (a platform's own token); none asks for the grant's default token."""
        if not callback_url.startswith(flow.redirect_uri.split("?")[0]):
            raise AuthError(
                "the sign-in answer came back to an unexpected address", AuthReason.FORGED
            )
        params = {k: v[0] for k, v in parse_qs(urlsplit(callback_url).query).items()}
        if params.get("state") != flow.state:
            raise AuthError(
                "the sign-in answer does not belong to this sign-in (state mismatch)",
                AuthReason.FORGED,
            )
        if flow.used:
            raise AuthError("this sign-in answer was already used", AuthReason.FORGED)
        flow.used = True
        meta = self.metadata()
        iss = params.get("iss")
        if iss is not None and iss.rstrip("/") != self.issuer:
            raise AuthError(f"the sign-in answer names another provider ({iss})", AuthReason.FORGED)
        if iss is None and meta.iss_parameter_supported:
            raise AuthError(
                "the sign-in answer does not name its provider (iss missing)", AuthReason.FORGED
            )
        if "error" in params:
            described = params.get("error_description")
            detail = params["error"] + (f" ({described})" if described else "")
            # Only a silent flow (prompt=none) gets these: the provider needs the person.
            reason = (
                AuthReason.INTERACTION_REQUIRED
                if params["error"] in INTERACTION_ERRORS
                else AuthReason.REFUSED
            )
            raise AuthError(f"the identity provider refused the sign-in: {detail}", reason)
        code = params.get("code")
        if not code:
            raise AuthError("the sign-in answer carries no authorization code", AuthReason.FORGED)
        extra = {"resource": resource} if resource else {}
        token = self._token_request(
            grant_type="authorization_code",
            code=code,
            redirect_uri=flow.redirect_uri,
            code_verifier=flow.code_verifier,
            **extra,
        )
        if "id_token" not in token:
            raise AuthError("the provider returned no id_token", AuthReason.REFUSED)
        token["id_claims"] = self.validate_id_token(str(token["id_token"]), flow.nonce)
        if flow.reauthenticate_since is not None:
            require_authenticated_since(token["id_claims"], flow.reauthenticate_since)
        return token

    def validate_id_token(self, id_token: str, nonce: str | None) -> dict[str, Any]:
        """Check signature (refetching the key set once for an unknown key), iss, aud, exp, iat, nonce."""
        from joserfc import errors as jose_errors
        from joserfc import jwt

        try:
            decoded = self._decode(id_token)
        except jose_errors.JoseError as exc:
            raise AuthError(
                f"the id_token is not validly signed by the provider ({exc.error})",
                AuthReason.FORGED,
            ) from None
        claims = decoded.claims
        options: dict[str, ClaimsOption] = {
            "iss": {"essential": True, "value": self.issuer},
            "aud": {"essential": True, "value": self.client_id},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "sub": {"essential": True},
        }
        if nonce is not None:
            options["nonce"] = {"essential": True, "value": nonce}
        registry = jwt.JWTClaimsRegistry(now=int(time.time()), leeway=CLOCK_SKEW, **options)
        try:
            registry.validate(claims)
        except jose_errors.ExpiredTokenError:
            raise AuthError("the id_token has expired", AuthReason.FORGED) from None
        except jose_errors.ClaimError as exc:
            raise AuthError(
                f"the id_token is not for this sign-in: {exc.description}", AuthReason.FORGED
            ) from None
        iat = claims.get("iat")
        if isinstance(iat, int | float) and iat > time.time() + CLOCK_SKEW:
            raise AuthError("the id_token was issued in the future", AuthReason.FORGED)
        return dict(claims)

    def _decode(self, token: str) -> jwt.Token:
        from joserfc import errors as jose_errors
        from joserfc import jwt

        algorithms = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
        try:
            return jwt.decode(token, self.keys(), algorithms=algorithms)
        except (jose_errors.MissingKeyError, jose_errors.InvalidKeyIdError):
            # The provider may have rotated its keys since we fetched them: refetch once.
            return jwt.decode(token, self.keys(refetch=True), algorithms=algorithms)

    # -- tokens --------------------------------------------------------------------------------

    def refresh(
        self, refresh_token: str, scopes: tuple[str, ...] = (), resource: str | None = None
    ) -> dict[str, Any]:
        """A refresh-token grant, narrowed to ``scopes`` and, with ``resource``, to one API
        (RFC 8707 §2.2: the access token's audience is that resource)."""
        extra = {"scope": " ".join(scopes)} if scopes else {}
        if resource:
            extra["resource"] = resource
        try:
            return self._token_request(
                grant_type="refresh_token", refresh_token=refresh_token, **extra
            )
        except AuthError as exc:
            error = getattr(exc.__context__, "error", None)
            if extra and error in NARROWING_ERRORS:
                raise AuthError(
                    f"the provider refuses a token narrowed to {' '.join(scopes) or '-'}"
                    f"{f' for {resource}' if resource else ''}: {exc}",
                    AuthReason.NARROWING_REFUSED,
                ) from exc
            raise

    def userinfo(self, access_token: str, sub: str) -> dict[str, Any]:
        """The userinfo endpoint's claims for ``access_token``; refused (FORGED) when they are
        about another ``sub`` than the id_token's (OpenID Connect Core §5.3.2)."""
        import requests

        from launcher.core.auth.failures import unreachable
        from launcher.core.http import new_session

        endpoint = self.metadata().userinfo_endpoint
        if not endpoint:
            return {}
        try:
            with new_session() as http:
                response = http.get(
                    endpoint,
                    headers={"Authorization": f"Bearer {access_token}",
                             "Accept": "application/json"},
                    timeout=self.timeout,
                    stream=True,
                )
                response.raise_for_status()
                body = response.raw.read(MAX_USERINFO + 1, decode_content=True)
        except requests.RequestException as exc:
            raise unreachable(exc, f"the provider's userinfo endpoint at {endpoint}") from None
        if len(body) > MAX_USERINFO:
            raise AuthError(f"the userinfo answer at {endpoint} is too large", AuthReason.UNREADABLE)
        try:
            claims = json.loads(body)
        except ValueError:
            raise AuthError(
                f"the userinfo answer at {endpoint} is not JSON (a signed one is not read)",
                AuthReason.UNREADABLE,
            ) from None
        if not isinstance(claims, dict):
            raise AuthError(f"the userinfo answer at {endpoint} is not an object", AuthReason.UNREADABLE)
        if str(claims.get("sub", "")) != sub:
            raise AuthError(
                "the userinfo answer is about another person than the id_token (sub differs)",
                AuthReason.FORGED,
            )
        return claims

    def _token_request(self, **params: str) -> dict[str, Any]:
        import requests
        from authlib.integrations.base_client.errors import OAuthError
        from authlib.integrations.requests_client import OAuth2Session
        from authlib.oauth2.rfc6749.errors import OAuth2Error

        from launcher.core.auth.failures import unreachable
        from launcher.core.http import equip

        meta = self.metadata()
        session = equip(OAuth2Session(self.client_id, token_endpoint_auth_method="none"))
        try:
            token = session.fetch_token(meta.token_endpoint, timeout=self.timeout, **params)
        except (OAuth2Error, OAuthError) as exc:
            detail = exc.error + (f" ({exc.description})" if exc.description else "")
            if params.get("grant_type") == "authorization_code":
                # A code already redeemed, expired, or issued to another flow (PKCE mismatch).
                raise AuthError(
                    f"the provider refused the sign-in answer's code: {detail}; "
                    "please sign in again",
                    AuthReason.REFUSED,
                ) from None
            reason = AuthReason.SIGNED_OUT if exc.error == "invalid_grant" else AuthReason.REFUSED
            raise AuthError(f"the provider refused the token request: {detail}", reason) from None
        except requests.RequestException as exc:
            raise unreachable(
                exc, f"the provider's token endpoint at {meta.token_endpoint}"
            ) from None
        except ValueError as exc:
            raise AuthError(
                f"the provider's token answer is unreadable: {exc}", AuthReason.UNREADABLE
            ) from None
        finally:
            session.close()
        token = dict(token)
        for key in ("access_token", "refresh_token", "id_token"):
            if token.get(key):
                remember_secret(str(token[key]))
        if not token.get("access_token"):
            raise AuthError("the provider's token answer has no access_token", AuthReason.REFUSED)
        if "expires_in" in token and "expires_at" not in token:
            token["expires_at"] = int(time.time()) + int(token["expires_in"])
        return token

    def revoke(self, token: str, hint: str) -> Revocation:
        """RFC 7009 revocation at the endpoint ``revocation_endpoint`` finds; what became of the
        token is returned and logged, never raised (the local wipe happens regardless)."""
        import requests
        from authlib.integrations.base_client.errors import OAuthError
        from authlib.integrations.requests_client import OAuth2Session
        from authlib.oauth2.rfc6749.errors import OAuth2Error

        from launcher.core.http import describe, equip

        endpoint = self.revocation_endpoint()
        if not endpoint:
            log.info("the provider names no revocation endpoint; the %s lapses", hint)
            return Revocation.NO_ENDPOINT
        session = equip(OAuth2Session(self.client_id, token_endpoint_auth_method="none"))
        try:
            answer = session.revoke_token(
                endpoint, token=token, token_type_hint=hint, timeout=self.timeout
            )
        except (requests.RequestException, OAuth2Error, OAuthError) as exc:
            log.warning("revoking a %s failed: %s", hint, describe(exc))
            return Revocation.FAILED
        finally:
            session.close()
        if answer.status_code == 200:
            return Revocation.REVOKED
        try:
            error = str(answer.json().get("error", ""))
        except (ValueError, AttributeError):
            error = ""
        if error == "unsupported_token_type":
            # RFC 7009 §2.2.1: e.g. a self-contained JWT access token, which lapses when it expires.
            log.info("the provider cannot revoke this %s; it lapses when it expires", hint)
            return Revocation.UNSUPPORTED
        log.warning("revoking a %s failed: HTTP %s %s", hint, answer.status_code, error)
        return Revocation.FAILED

    def end_session_url(self, id_token_hint: str | None) -> str | None:
        import requests

        meta = self.metadata()
        if not meta.end_session_endpoint:
            return None
        req = requests.Request(
            "GET",
            meta.end_session_endpoint,
            params={"id_token_hint": id_token_hint, "client_id": self.client_id},
        )
        return str(req.prepare().url)

    # -- device authorization grant (RFC 8628) -------------------------------------------------

    DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"

    def device_authorization(
        self, scopes: tuple[str, ...], resources: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """Ask the provider for a device code and user code (RFC 8628 §3.1-3.2).

        Returns the provider's answer, checked: ``device_code``, ``user_code``,
        ``verification_uri``, ``expires_in``, ``interval`` (5 s when the provider names none) and
        maybe ``verification_uri_complete``.
        """
        self.metadata()  # the issuer check comes first
        url = f"{self.issuer}/.well-known/openid-configuration"
        endpoint = self._get_json(url, "the provider's discovery document").get(
            "device_authorization_endpoint"
        )
        if not endpoint:
            raise AuthError(
                f"the identity provider at {self.issuer} offers no device sign-in "
                "(no device_authorization_endpoint); use another login mode in county.toml",
                AuthReason.CONFIG,
            )
        import requests

        from launcher.core.auth.failures import unreachable
        from launcher.core.http import new_session

        data: dict[str, Any] = {"client_id": self.client_id, "scope": " ".join(scopes)}
        if resources:
            data["resource"] = list(resources)
        try:
            with new_session() as http:
                response = http.post(str(endpoint), data=data, timeout=self.timeout)
        except requests.RequestException as exc:
            raise unreachable(exc, f"the provider's device endpoint at {endpoint}") from None
        try:
            answer = json.loads(response.content)
        except ValueError:
            raise AuthError(
                f"the provider's device endpoint answered {response.status_code}, not JSON",
                AuthReason.SERVER if response.status_code >= 500 else AuthReason.UNREADABLE,
            ) from None
        if not isinstance(answer, dict):
            raise AuthError("the provider's device answer is not a JSON object", AuthReason.REFUSED)
        if "error" in answer or response.status_code != 200:
            detail = answer.get("error_description") or answer.get("error") or response.status_code
            raise AuthError(
                f"the provider refused the device sign-in: {detail}", AuthReason.REFUSED
            )
        if answer.get("device_code"):
            remember_secret(str(answer["device_code"]))
        for key in ("device_code", "user_code", "verification_uri", "expires_in"):
            if not answer.get(key):
                raise AuthError(f"the provider's device answer lacks {key}", AuthReason.REFUSED)
        try:
            answer["expires_in"] = float(answer["expires_in"])
            answer["interval"] = float(answer.get("interval") or 5)
        except (TypeError, ValueError):
            raise AuthError(
                "the provider's device answer has a malformed expires_in or interval",
                AuthReason.REFUSED,
            ) from None
        return answer

    def poll_device_token(
        self,
        device_code: str,
        *,
        interval: float,
        expires_at: float,
        cancel: threading.Event | None = None,
    ) -> dict[str, Any]:
        """Poll the token endpoint until the user approves the device code (RFC 8628 §3.4-3.5).

        Waits ``interval`` seconds between polls (5 more after each ``slow_down``), gives up at
        ``expires_at`` (``time.time()``) with AuthError ``expired``; ``access_denied`` is
        ``refused`` and a set ``cancel`` ends it with ``cancelled``. The id_token is checked (no
        nonce: the device flow has none).
        """
        interval = max(float(interval), 1.0)
        while True:
            left = expires_at - time.time()
            if left <= 0:
                raise AuthError(
                    "the sign-in code expired before it was approved", AuthReason.EXPIRED
                )
            if cancel is not None:
                if cancel.wait(min(interval, left)):
                    raise AuthError("the sign-in was cancelled", AuthReason.CANCELLED)
            else:
                time.sleep(min(interval, left))
            if time.time() >= expires_at:
                raise AuthError(
                    "the sign-in code expired before it was approved", AuthReason.EXPIRED
                )
            try:
                token = self._token_request(grant_type=self.DEVICE_GRANT, device_code=device_code)
            except AuthError as exc:
                # _token_request keeps the provider's OAuth error as the exception's context.
                error = getattr(exc.__context__, "error", None)
                if error == "authorization_pending":
                    continue
                if error == "slow_down":
                    interval += 5
                    continue
                if error == "expired_token":
                    raise AuthError(
                        "the sign-in code expired before it was approved", AuthReason.EXPIRED
                    ) from None
                if error == "invalid_grant":
                    # A provider that forgets expired codes answers this instead of expired_token.
                    raise AuthError(
                        "the sign-in code is no longer valid (expired or already used)",
                        AuthReason.EXPIRED,
                    ) from None
                if error == "access_denied":
                    raise AuthError(
                        "the sign-in was declined on the other device", AuthReason.REFUSED
                    ) from None
                raise
            if "id_token" not in token:
                raise AuthError("the provider returned no id_token", AuthReason.REFUSED)
            token["id_claims"] = self.validate_id_token(str(token["id_token"]), None)
            return token
