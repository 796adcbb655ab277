"""The demo county's identity provider (统一身份认证): OpenID Connect on authlib's server side.

Authorization code flow with PKCE (S256, required for the public launcher client), RFC 9207 ``iss``
in the authorization response, RFC 9068 JWT access tokens whose audience is the platform API's
RFC 8707 ``resource`` (named in the token request, or inferred from the platform scopes the token
carries), refresh tokens when ``offline_access`` is granted (not rotated on refresh: a refresh with
a narrower ``scope`` and one ``resource`` gives a per-platform access token from the one login),
RFC 7009 revocation, /userinfo and RP-initiated logout.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.integrations.flask_oauth2 import AuthorizationServer, ResourceProtector
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import InvalidRequestError, grants, scope_to_list
from authlib.oauth2.rfc6750 import BearerTokenValidator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from authlib.oauth2.rfc9207 import IssuerParameter
from authlib.oidc.core import OpenIDCode, UserInfo, UserInfoEndpoint
from authlib.oidc.rpinitiated import EndSessionEndpoint
from flask import Flask, Response, jsonify, redirect, render_template, request, session, url_for
from joserfc.jwk import KeySet, RSAKey

from launcher_demo.idp_store import AccessToken, AuthorizationCode, Client, IdpStore, RefreshToken
from launcher_demo.users import DEMO_USERS, DemoUser, find_user

TEMPLATES = Path(__file__).with_name("templates")
ACCESS_TOKEN_LIFETIME = 3600
BASE_SCOPES = ("openid", "profile", "offline_access")
SESSION_COOKIE = "demo_idp_session"
"""Unique to the IdP: every demo server shares host 127.0.0.1 and cookies ignore ports."""
TOKEN_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
LAUNCHER_CLIENT_ID = "launcher"


def generate_signing_keys() -> KeySet:
    key = RSAKey.generate_key(
        2048,
        parameters={"kid": f"demo-{secrets.token_hex(4)}", "use": "sig", "alg": "RS256"},
        private=True,
    )
    return KeySet([key])


@dataclass
class IdpContext:
    """What the IdP's endpoints share: its URL, keys, storage and the scopes platforms use."""

    issuer: str
    store: IdpStore
    keys: KeySet
    platform_scopes: dict[str, str] = field(default_factory=dict)
    """Plugin id -> the scope of its task API (e.g. ``demo.anquan`` -> ``anquan.tasks``)."""
    platform_resources: dict[str, str] = field(default_factory=dict)
    """Plugin id -> the RFC 8707 resource indicator of its API (``{base_url}/api``)."""

    @property
    def public_jwks(self) -> dict[str, Any]:
        return dict(self.keys.as_dict(private=False))

    @property
    def scopes(self) -> list[str]:
        return [*BASE_SCOPES, *self.platform_scopes.values()]


def _user_info(user: DemoUser, scope: str) -> UserInfo:
    info = UserInfo(sub=user.username)
    if "profile" in scope_to_list(scope):
        info.update(name=user.name, preferred_username=user.username, title=user.title)
    return info


# --- authlib grants and extensions -----------------------------------------------------------


class _AccessTokenGenerator(JWTBearerTokenGenerator):  # type: ignore[misc]
    """RFC 9068 access tokens; a refresh token only when the user granted offline_access."""

    def __init__(self, ctx: IdpContext) -> None:
        super().__init__(
            ctx.issuer,
            refresh_token_generator=lambda **_: generate_token(48),
            expires_generator=ACCESS_TOKEN_LIFETIME,
        )
        self.ctx = ctx

    def get_jwks(self) -> KeySet:
        return self.ctx.keys

    def get_audiences(self, client: Client, user: DemoUser, scope: str) -> str | list[str]:
        # RFC 8707 §2.2: the token is for the one resource the token request names, which the
        # granted scope must cover. RFC 9068 §3: without one, the audience is inferred from the
        # scope (the platforms whose task scope the token carries; the client when none).
        granted = set(scope_to_list(scope))
        covered = {
            resource: pid
            for pid, resource in self.ctx.platform_resources.items()
            if self.ctx.platform_scopes.get(pid) in granted
        }
        named = request.form.getlist("resource") if request.method == "POST" else []
        if len(named) > 1:
            raise InvalidTargetError("Name one resource per token request.")
        if named:
            if named[0] not in covered:
                raise InvalidTargetError(f"The grant does not cover the resource {named[0]}.")
            return named[0]
        audiences = sorted(covered)
        if not audiences:
            return client.get_client_id()
        return audiences[0] if len(audiences) == 1 else audiences

    def generate(
        self,
        grant_type: str,
        client: Client,
        user: DemoUser | None = None,
        scope: str | None = None,
        expires_in: int | None = None,
        include_refresh_token: bool = True,
    ) -> dict[str, Any]:
        scope = self.get_allowed_scope(client, scope)
        offline = "offline_access" in scope_to_list(scope)
        token: dict[str, Any] = super().generate(
            grant_type, client, user, scope, expires_in, include_refresh_token and offline
        )
        return token


class InvalidTargetError(OAuth2Error):  # type: ignore[misc]
    """RFC 8707 §2: the requested resource is unknown or not covered by the grant."""

    error = "invalid_target"
    status_code = 400


class _S256Required(CodeChallenge):  # type: ignore[misc]
    """PKCE with S256 only; required for public clients (the launcher), optional for the rest."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD: ClassVar[list[str]] = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        public = grant.request.client.token_endpoint_auth_method == "none"
        if public and not data.get("code_challenge"):
            raise InvalidRequestError("PKCE is required: send code_challenge (S256).")
        if data.get("code_challenge") and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256.")
        super().validate_code_challenge(grant, redirect_uri)


class _OpenIDCode(OpenIDCode):  # type: ignore[misc]
    def __init__(self, ctx: IdpContext) -> None:
        super().__init__(require_nonce=True)
        self.ctx = ctx

    def exists_nonce(self, nonce: str, request: Any) -> bool:
        return self.ctx.store.nonce_used(request.payload.client_id, nonce)

    def resolve_client_private_key(self, client: Client) -> KeySet:
        return self.ctx.keys

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        return {"iss": self.ctx.issuer, "aud": client.client_id}

    def generate_user_info(self, user: DemoUser, scope: str) -> UserInfo:
        return _user_info(user, scope)


def _make_code_grant(ctx: IdpContext) -> type:
    class CodeGrant(grants.AuthorizationCodeGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            ctx.store.save_code(
                AuthorizationCode(
                    code=code,
                    client_id=request.client.client_id,
                    username=request.user.username,
                    redirect_uri=request.payload.redirect_uri or "",
                    scope=request.scope,
                    nonce=data.get("nonce"),
                    auth_time=int(session.get("auth_time", time.time())),
                    code_challenge=data.get("code_challenge"),
                    code_challenge_method=data.get("code_challenge_method"),
                )
            )

        def query_authorization_code(self, code: str, client: Client) -> AuthorizationCode | None:
            return ctx.store.code(code, client.client_id)

        def delete_authorization_code(self, authorization_code: AuthorizationCode) -> None:
            ctx.store.delete_code(authorization_code.code)

        def authenticate_user(self, authorization_code: AuthorizationCode) -> DemoUser | None:
            return find_user(authorization_code.username)

    return CodeGrant


def _make_refresh_grant(ctx: IdpContext) -> type:
    class RefreshGrant(grants.RefreshTokenGrant):  # type: ignore[misc]
        TOKEN_ENDPOINT_AUTH_METHODS = TOKEN_AUTH_METHODS
        # No rotation: the launcher refreshes once per platform with a narrower scope, in
        # parallel; rotating would make those refreshes race each other for one valid token.
        INCLUDE_NEW_REFRESH_TOKEN = False

        def authenticate_refresh_token(self, refresh_token: str) -> RefreshToken | None:
            found = ctx.store.refresh(refresh_token)
            return found if found is not None and not found.is_revoked() else None

        def authenticate_user(self, refresh_token: RefreshToken) -> DemoUser | None:
            return refresh_token.get_user()

        def revoke_old_credential(self, refresh_token: RefreshToken) -> None:
            pass  # refresh tokens are not rotated (see INCLUDE_NEW_REFRESH_TOKEN)

    return RefreshGrant


def _make_revocation(ctx: IdpContext) -> type:
    class Revocation(RevocationEndpoint):  # type: ignore[misc]
        CLIENT_AUTH_METHODS = TOKEN_AUTH_METHODS

        def query_token(self, token_string: str, token_type_hint: str | None) -> Any:
            if token_type_hint == "refresh_token":
                return ctx.store.refresh(token_string) or ctx.store.access(token_string)
            return ctx.store.access(token_string) or ctx.store.refresh(token_string)

        def revoke_token(self, token: RefreshToken | AccessToken, request: Any) -> None:
            ctx.store.revoke(token)

    return Revocation


def _make_end_session(ctx: IdpContext) -> type:
    class EndSession(EndSessionEndpoint):  # type: ignore[misc]
        def get_server_jwks(self) -> dict[str, Any]:
            return ctx.public_jwks

        def _is_valid_post_logout_redirect_uri(self, client: Client, uri: str) -> bool:
            # The launcher's loopback port changes every run (RFC 8252), so an exact-match list
            # cannot describe it; the client decides.
            return client.check_post_logout_redirect_uri(uri)

        def end_session(self, end_session_request: Any) -> None:
            session.clear()

    return EndSession


class _StoredTokenValidator(BearerTokenValidator):  # type: ignore[misc]
    """For the IdP's own /userinfo: the token must be one we issued and have not revoked."""

    def __init__(self, ctx: IdpContext) -> None:
        super().__init__()
        self.ctx = ctx

    def authenticate_token(self, token_string: str) -> AccessToken | None:
        return self.ctx.store.access(token_string)


class _UserInfo(UserInfoEndpoint):  # type: ignore[misc]
    def __init__(self, ctx: IdpContext, protector: ResourceProtector) -> None:
        super().__init__(resource_protector=protector)
        self.ctx = ctx

    def get_issuer(self) -> str:
        return self.ctx.issuer

    def generate_user_info(self, user: DemoUser, scope: str) -> UserInfo:
        return _user_info(user, scope)


class _Issuer(IssuerParameter):  # type: ignore[misc]
    def __init__(self, issuer: str) -> None:
        self.issuer = issuer

    def get_issuer(self) -> str:
        return self.issuer


# --- the Flask application ---------------------------------------------------------------------


def discovery_document(ctx: IdpContext) -> dict[str, Any]:
    i = ctx.issuer
    return {
        "issuer": i,
        "authorization_endpoint": f"{i}/authorize",
        "token_endpoint": f"{i}/token",
        "userinfo_endpoint": f"{i}/userinfo",
        "jwks_uri": f"{i}/jwks",
        "revocation_endpoint": f"{i}/revoke",
        "end_session_endpoint": f"{i}/logout",
        "scopes_supported": ctx.scopes,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": TOKEN_AUTH_METHODS,
        "revocation_endpoint_auth_methods_supported": TOKEN_AUTH_METHODS,
        "code_challenge_methods_supported": ["S256"],
        "authorization_response_iss_parameter_supported": True,
        "claims_supported": [
            "sub",
            "iss",
            "aud",
            "exp",
            "iat",
            "auth_time",
            "nonce",
            "name",
            "preferred_username",
        ],
        "ui_locales_supported": ["zh-CN", "en"],
    }


def create_idp_app(ctx: IdpContext) -> Flask:
    app = Flask("launcher_demo.idp", template_folder=str(TEMPLATES))
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    server = AuthorizationServer(
        app,
        query_client=ctx.store.client,
        save_token=lambda token, req: _save_token(ctx, token, req),
    )
    server.scopes_supported = ctx.scopes
    server.register_token_generator("default", _AccessTokenGenerator(ctx))
    server.register_grant(_make_code_grant(ctx), [_S256Required(required=True), _OpenIDCode(ctx)])
    server.register_grant(_make_refresh_grant(ctx))
    server.register_endpoint(_make_revocation(ctx))
    server.register_endpoint(_make_end_session(ctx))
    protector = ResourceProtector()
    protector.register_token_validator(_StoredTokenValidator(ctx))
    server.register_endpoint(_UserInfo(ctx, protector))
    server.register_extension(_Issuer(ctx.issuer))

    def current_user() -> DemoUser | None:
        username = session.get("user")
        return find_user(username) if isinstance(username, str) else None

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Response:
        return jsonify(discovery_document(ctx))

    @app.get("/jwks")
    def jwks() -> Response:
        return jsonify(ctx.public_jwks)

    @app.get("/authorize")
    def authorize() -> Any:
        user = current_user()
        try:
            grant = server.get_consent_grant(end_user=user)
        except OAuth2Error as error:
            if error.redirect_uri:
                # RFC 9207 §2: error responses carry iss as well.
                response = server.handle_error_response(None, error)
                response.location = add_params_to_uri(response.location, {"iss": ctx.issuer})
                return response
            # No trustworthy redirect URI: tell the person, never redirect to an unknown place.
            return render_template(
                "idp_error.html", error=error.error, description=error.get_error_description()
            ), 400
        prompts = request.args.get("prompt", "").split()
        fresh = session.pop("fresh", False)
        if user is None or ("login" in prompts and not fresh):
            return redirect(url_for("login", next=request.full_path))
        # First-party clients of the county: no consent screen.
        return server.create_authorization_response(grant=grant, grant_user=user)

    @app.route("/login", methods=["GET", "POST"])
    def login() -> Any:
        target = _safe_next(request.values.get("next", ""))
        error = ""
        username = ""
        if request.method == "POST":
            username = request.form.get("username", "").strip()
            password = request.form.get("password", "")
            sent_csrf = request.form.get("csrf", "")
            if not hmac.compare_digest(sent_csrf, session.get("csrf", "")):
                error = "页面已过期，请重新输入用户名和密码。"
            else:
                user = find_user(username)
                if user is not None and hmac.compare_digest(
                    user.password.encode(), password.encode()
                ):
                    session.clear()
                    session.update(user=user.username, auth_time=int(time.time()), fresh=True)
                    return redirect(target)
                error = "用户名或密码错误"
        session["csrf"] = secrets.token_urlsafe(16)
        return render_template(
            "idp_login.html",
            users=DEMO_USERS,
            error=error,
            next=target,
            csrf=session["csrf"],
            username=username,
        )

    @app.post("/token")
    def token() -> Response:
        return server.create_token_response()  # type: ignore[no-any-return]

    @app.post("/revoke")
    def revoke() -> Response:
        return server.create_endpoint_response("revocation")  # type: ignore[no-any-return]

    @app.route("/userinfo", methods=["GET", "POST"])
    def userinfo() -> Response:
        return server.create_endpoint_response("userinfo")  # type: ignore[no-any-return]

    @app.route("/logout", methods=["GET", "POST"])
    def logout() -> Any:
        # authlib validates id_token_hint and post_logout_redirect_uri; a bad hint only loses the
        # redirect: signing out itself is never refused.
        response = server.create_endpoint_response("end_session")
        session.clear()
        if response is not None and response.status_code == 302:
            return response
        return render_template("idp_logged_out.html")

    @app.get("/")
    def home() -> str:
        return render_template("idp_home.html", user=current_user())

    return app


def _safe_next(value: str) -> str:
    # Only ever continue to our own authorization endpoint: no open redirect.
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/authorize"):
        return "/"
    return value


def _save_token(ctx: IdpContext, token: dict[str, Any], req: Any) -> None:
    client: Client = req.client
    username = req.user.username
    grant = None
    if token.get("refresh_token"):
        grant = token["refresh_token"]
        ctx.store.save_refresh(RefreshToken(grant, client.client_id, username, token["scope"]))
    elif getattr(req, "refresh_token", None) is not None:
        grant = req.refresh_token.token
    ctx.store.save_access(
        AccessToken(
            token=token["access_token"],
            client=client,
            username=username,
            scope=token["scope"],
            issued_at=int(time.time()),
            expires_in=int(token.get("expires_in", 0)),
            grant=grant,
        )
    )
