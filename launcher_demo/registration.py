"""A demo platform registering its web sign-in at an outside OpenID provider (RFC 7591).

With the built-in demo provider the platforms are pre-registered clients; pointed at another
provider (``DemoCounty(issuer=...)``) each platform registers itself at start, as a confidential
web client with its own callback, and gets its client id and secret back.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from launcher_demo.bearer import LOOPBACK_HOSTS

TIMEOUT = 10.0


class RegistrationError(RuntimeError):
    """The provider offers no dynamic registration, or refused this platform's."""


def register_web_client(issuer: str, name: str, base_url: str) -> tuple[str, str]:
    """Register the platform at ``base_url`` at ``issuer``; returns (client_id, client_secret)."""
    with requests.Session() as http:
        http.trust_env = urlsplit(issuer).hostname not in LOOPBACK_HOSTS
        try:
            metadata = http.get(
                f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=TIMEOUT
            ).json()
        except (requests.RequestException, ValueError) as exc:
            raise RegistrationError(f"cannot read the discovery document of {issuer}: {exc}") from exc
        endpoint = metadata.get("registration_endpoint") if isinstance(metadata, dict) else None
        if not endpoint:
            raise RegistrationError(
                f"{issuer} offers no dynamic client registration (registration_endpoint), so the "
                f"demo platform {name} cannot register its web sign-in there"
            )
        answer = http.post(
            str(endpoint),
            json={
                "client_name": name,
                "application_type": "web",
                "redirect_uris": [f"{base_url}/auth/callback"],
                "post_logout_redirect_uris": [f"{base_url}/"],
                "grant_types": ["authorization_code"],
                "response_types": ["code"],
                "token_endpoint_auth_method": "client_secret_basic",
            },
            timeout=TIMEOUT,
        )
        try:
            body = answer.json()
        except ValueError:
            body = {}
        if answer.status_code not in (200, 201) or not body.get("client_id"):
            raise RegistrationError(
                f"{issuer} refused to register the demo platform {name}: HTTP "
                f"{answer.status_code} {body.get('error_description') or body.get('error') or ''}"
            )
        return str(body["client_id"]), str(body.get("client_secret", ""))
