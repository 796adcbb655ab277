"""A demo platform's CAS side, when the demo county signs in through a CAS server.

- Web login: ``/auth/login`` sends the browser to ``<cas>/login?service=<base_url>/auth/cas``; the
  CAS server sends it back to ``/auth/cas?ticket=ST``, which validates the ticket and signs the user
  in to the platform's web pages.
- API: ``GET /api/cas/session?ticket=ST`` (the ticket issued for that very URL) answers
  ``{"access_token", "token_type", "expires_in"}``; the task API accepts that bearer token.
- Single logout: the CAS server POSTs ``logoutRequest`` (its ``SessionIndex`` is the service ticket)
  to the service URL the ticket was issued for; the web session or the API tokens that ticket
  opened end there and then.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.flask_oauth2 import ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenValidator
from defusedxml import ElementTree
from flask import Flask, Response, jsonify, redirect, render_template, request, session

from launcher.core.auth.cas import CasClient
from launcher.core.errors import AuthError

log = logging.getLogger(__name__)

WEB_SERVICE_PATH = "/auth/cas"
API_SERVICE_PATH = "/api/cas/session"
API_TOKEN_LIFETIME = 600
SAML_NS = "urn:oasis:names:tc:SAML:2.0:protocol"


class ApiToken(dict[str, Any]):
    """An opaque API token of the platform, as authlib's ResourceProtector wants a token to be."""

    def is_expired(self) -> bool:
        return bool(self["expires_at"] <= time.time())

    def is_revoked(self) -> bool:
        return bool(self.get("revoked"))

    def get_scope(self) -> str:
        return str(self["scope"])


@dataclass
class CasPlatform:
    """The platform's CAS sessions: web sessions and API tokens, each tied to its service ticket."""

    server: str
    base_url: str
    scope: str
    realm: str
    client: CasClient = field(init=False)
    tokens: dict[str, ApiToken] = field(default_factory=dict)
    web_sessions: dict[str, str] = field(default_factory=dict)
    """Service ticket → the id of the web session it opened (live ones only)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.client = CasClient(self.server, 3)

    @property
    def web_service(self) -> str:
        return self.base_url + WEB_SERVICE_PATH

    @property
    def api_service(self) -> str:
        return self.base_url + API_SERVICE_PATH

    def protector(self) -> ResourceProtector:
        protector = ResourceProtector()
        protector.register_token_validator(_Validator(self))
        return protector

    def login_redirect(self) -> Response:
        return Response(status=302, headers={"Location": self.client.login_url(self.web_service)})

    # -- single logout -------------------------------------------------------------------------

    def single_logout(self) -> Response:
        ticket = _session_index(request.form.get("logoutRequest", ""))
        if not ticket:
            return Response("not a CAS logoutRequest", status=400, mimetype="text/plain")
        with self.lock:
            self.web_sessions.pop(ticket, None)
            for token in self.tokens.values():
                if token["ticket"] == ticket:
                    token["revoked"] = True
        return Response("", status=200)

    def web_session_live(self, sid: str) -> bool:
        with self.lock:
            return sid in self.web_sessions.values()


class _Validator(BearerTokenValidator):  # type: ignore[misc]
    def __init__(self, platform: CasPlatform) -> None:
        super().__init__(realm=platform.realm)
        self.platform = platform

    def authenticate_token(self, token_string: str) -> ApiToken | None:
        with self.platform.lock:
            return self.platform.tokens.get(token_string)


def _session_index(xml: str) -> str:
    """The SessionIndex (the service ticket) of a CAS single-logout request ('' if unreadable)."""
    if not xml:
        return ""
    try:
        root = ElementTree.fromstring(xml)
    except Exception:  # ParseError or a defusedxml refusal: not a logout request we act on
        return ""
    return (root.findtext(f"{{{SAML_NS}}}SessionIndex") or "").strip()


def install_cas(app: Flask, platform: CasPlatform) -> None:
    """Add the CAS routes to a demo platform's Flask app (see the module docstring)."""

    @app.before_request
    def _end_logged_out_session() -> None:
        sid = session.get("cas_sid")
        if sid and not platform.web_session_live(sid):
            session.clear()

    @app.get(WEB_SERVICE_PATH)
    def cas_web_login() -> Any:
        try:
            user = platform.client.validate(platform.web_service, request.args.get("ticket", ""))
        except AuthError as exc:
            return render_template(
                "platform_message.html", title="登录失败", message=f"统一身份认证未能完成登录（{exc}）。"
            ), 400
        sid = secrets.token_urlsafe(16)
        with platform.lock:
            platform.web_sessions[request.args["ticket"]] = sid
        next_url = session.pop("next", "/")
        session["user"] = {"sub": user.user, "name": user.attribute("name") or user.user}
        session["cas_sid"] = sid
        return redirect(next_url)

    @app.post(WEB_SERVICE_PATH)
    def cas_web_logout() -> Response:
        return platform.single_logout()

    @app.get(API_SERVICE_PATH)
    def cas_api_session() -> Any:
        ticket = request.args.get("ticket", "")
        try:
            user = platform.client.validate(platform.api_service, ticket)
        except AuthError as exc:
            return jsonify(error="invalid_ticket", error_description=str(exc)), 401
        token = secrets.token_urlsafe(32)
        with platform.lock:
            platform.tokens[token] = ApiToken(
                sub=user.user,
                scope=platform.scope,
                ticket=ticket,
                expires_at=time.time() + API_TOKEN_LIFETIME,
            )
        return jsonify(access_token=token, token_type="Bearer", expires_in=API_TOKEN_LIFETIME)

    @app.post(API_SERVICE_PATH)
    def cas_api_logout() -> Response:
        return platform.single_logout()
