"""A CAS 2.0/3.0 client: the login URL, service ticket validation, tickets for other services.

CAS signs a user in at its login page and sends the browser back to the *service* URL with a
one-time service ticket (``?ticket=ST-...``); the service validates the ticket at the CAS server
(``p3/serviceValidate`` in CAS 3, ``serviceValidate`` in CAS 2), which answers in XML with the user
and, in CAS 3, the released attributes. The CAS session itself is the ticket-granting cookie (TGC)
the CAS server set in the browser: shown again at ``login?service=...``, it gets a ticket for
another service without asking the user again, and ``logout`` ends it (the server then sends
single-logout requests to every service that got a ticket).

Validation answers are parsed with defusedxml (no entity expansion, no external entities).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit
from xml.etree.ElementTree import Element

import requests
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from launcher.core.auth.failures import unreachable
from launcher.core.errors import AuthError
from launcher.core.http import new_session
from launcher.core.logmask import remember_secret
from launcher.core.states import AuthReason

log = logging.getLogger(__name__)

CAS_NS = "http://www.yale.edu/tp/cas"
_FORGED_CODES = frozenset({"INVALID_SERVICE", "INVALID_TICKET_SPEC"})
"""Failure codes meaning the ticket was not issued for this service (or is not a service ticket)."""


@dataclass(frozen=True)
class CasUser:
    """Who a validated ticket names, with the attributes the CAS server released to the service."""

    user: str
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def attribute(self, name: str) -> str:
        """The first value of attribute ``name`` ('' when not released)."""
        values = self.attributes.get(name) or [""]
        return values[0]


def ticket_from(url: str) -> str:
    """The ``ticket`` query parameter of the URL the CAS server redirected to ('' if none)."""
    values = parse_qs(urlsplit(url).query).get("ticket") or [""]
    return values[0]


def same_service(url: str, service: str) -> bool:
    """True when ``url`` is ``service`` with a ticket added (scheme, host, port and path equal)."""
    a, b = urlsplit(url), urlsplit(service)
    return (a.scheme, (a.hostname or "").lower(), a.port, a.path or "/") == (
        b.scheme,
        (b.hostname or "").lower(),
        b.port,
        b.path or "/",
    )


class CasClient:
    """One CAS server (``server`` is its base URL, e.g. ``https://sso.example.gov.cn/cas``)."""

    def __init__(self, server: str, version: int = 3, *, timeout: float = 15.0) -> None:
        if version not in (2, 3):
            raise AuthError(
                f"CAS protocol version must be 2 or 3, not {version}", AuthReason.CONFIG
            )
        self.server = server.rstrip("/")
        self.version = version
        self.timeout = timeout

    # -- URLs ----------------------------------------------------------------------------------

    def login_url(self, service: str, *, renew: bool = False, gateway: bool = False) -> str:
        params = {"service": service}
        if renew:
            params["renew"] = "true"
        if gateway:  # never ask the person: back to the service at once, with or without ticket
            params["gateway"] = "true"
        return f"{self.server}/login?{urlencode(params)}"

    def logout_url(self) -> str:
        return f"{self.server}/logout"

    def validate_url(self) -> str:
        return f"{self.server}/{'p3/serviceValidate' if self.version == 3 else 'serviceValidate'}"

    # -- HTTP ----------------------------------------------------------------------------------

    def _http(self) -> requests.Session:
        # The system's trust store and the county's CA; never a proxy for a server on this
        # machine (launcher/core/http.py).
        return new_session()

    def _get(
        self,
        url: str,
        what: str,
        *,
        params: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        with self._http() as http:
            try:
                return http.get(
                    url,
                    params=params,
                    cookies=dict(cookies or {}),
                    allow_redirects=False,
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                raise unreachable(exc, f"CAS server {self.server} ({what})") from None

    # -- validating a service ticket -----------------------------------------------------------

    def validate(self, service: str, ticket: str) -> CasUser:
        """Validate ``ticket`` for ``service`` at the CAS server; the ticket is good only once.

        Raises AuthError naming the CAS failure code and message when the server refuses it
        (reason ``forged`` for a ticket of another service, ``refused`` otherwise).
        """
        if not ticket:
            raise AuthError("the CAS server sent no service ticket", AuthReason.REFUSED)
        remember_secret(ticket)
        answer = self._get(
            self.validate_url(), "ticket validation", params={"service": service, "ticket": ticket}
        )
        if answer.status_code != 200:
            raise AuthError(
                f"CAS server answered {answer.status_code} at {self.validate_url()}",
                AuthReason.REFUSED,
            )
        return self.parse_validation(answer.content)

    def parse_validation(self, body: bytes | str) -> CasUser:
        """Read a ``cas:serviceResponse`` document (CAS 2 or 3)."""
        try:
            root = ElementTree.fromstring(body)
        except (ElementTree.ParseError, DefusedXmlException) as exc:
            raise AuthError(
                f"the CAS server's validation answer is not valid CAS XML: {exc}",
                AuthReason.REFUSED,
            ) from None
        if root.tag != _q("serviceResponse"):
            raise AuthError(
                f"the CAS server's validation answer is not a cas:serviceResponse ({root.tag})",
                AuthReason.REFUSED,
            )
        failure = root.find(_q("authenticationFailure"))
        if failure is not None:
            code = failure.get("code", "UNKNOWN")
            message = " ".join((failure.text or "").split())
            reason = AuthReason.FORGED if code in _FORGED_CODES else AuthReason.REFUSED
            raise AuthError(f"the CAS server refused the ticket: {code}: {message}", reason)
        success = root.find(_q("authenticationSuccess"))
        user = success.findtext(_q("user"), "").strip() if success is not None else ""
        if success is None or not user:
            raise AuthError("the CAS server's validation answer names no user", AuthReason.REFUSED)
        return CasUser(user, _attributes(success))

    # -- the CAS session (ticket-granting cookie) ----------------------------------------------

    def service_ticket(self, service: str, cookies: Mapping[str, str]) -> str:
        """A new service ticket for ``service``, asked for with the CAS session's cookies.

        Asked with ``gateway=true`` (CAS protocol: never ask the user anything), and the redirect
        the CAS server answers with is read, never followed. Raises AuthError (reason
        ``signed-out``) when the CAS session has ended.
        """
        answer = self._get(
            f"{self.server}/login",
            "service ticket",
            params={"service": service, "gateway": "true"},
            cookies=cookies,
        )
        if not answer.is_redirect:
            if answer.status_code == 200:
                raise AuthError(
                    "the CAS single sign-on session has ended: the CAS server showed a page "
                    "instead of a ticket (its login form, or a confirmation if the user asked "
                    "to be warned before each service)",
                    AuthReason.SIGNED_OUT,
                )
            raise AuthError(
                f"CAS server answered {answer.status_code} when asked for a ticket for {service}",
                AuthReason.REFUSED,
            )
        location = urljoin(answer.url, answer.headers.get("Location", ""))
        ticket = ticket_from(location)
        if not ticket:
            raise AuthError(
                f"the CAS server gave no ticket for {service}: the single sign-on session has "
                "ended (or the CAS server does not allow this service)",
                AuthReason.SIGNED_OUT,
            )
        remember_secret(ticket)
        if not same_service(location, service):
            raise AuthError(
                f"the CAS server sent a ticket for {service} to another address", AuthReason.FORGED
            )
        return ticket

    def logout(self, cookies: Mapping[str, str]) -> None:
        """End the CAS session (the server then sends single-logout requests to the services)."""
        answer = self._get(self.logout_url(), "logout", cookies=cookies)
        if answer.status_code >= 400:
            raise AuthError(
                f"CAS server answered {answer.status_code} at logout", AuthReason.REFUSED
            )


def _q(name: str) -> str:
    return f"{{{CAS_NS}}}{name}"


def _local(tag: Any) -> str:
    text = str(tag)
    return text.rsplit("}", 1)[-1]


def _attributes(success: Element) -> dict[str, list[str]]:
    """``cas:attributes`` of a CAS 3 answer (also the ``<cas:attribute name= value=>`` variant)."""
    found: dict[str, list[str]] = {}
    block = success.find(_q("attributes"))
    if block is None:
        return found
    for child in block:
        name, value = _local(child.tag), (child.text or "").strip()
        if name == "attribute" and child.get("name"):
            name, value = str(child.get("name")), str(child.get("value", ""))
        found.setdefault(name, []).append(value)
    return found
