"""A request to the identity service that failed on the way, as an AuthError with its reason.

The reason says what the person (and the county's IT team) can do about it, so each kind of
failure has its own: ``certificate`` (this computer does not trust the service's certificate: the
county's CA is missing), ``dns`` (the service's name does not resolve), ``timeout``, ``network``
(refused, reset, unreachable), ``server`` (HTTP 5xx: a fault at the service), ``config`` (another
HTTP error status: most often the county file names the wrong address). The message, in English,
is the technical detail shown apart from the translated sentence.
"""

from __future__ import annotations

import requests

from launcher.core.errors import AuthError
from launcher.core.http import CERTIFICATE, DNS, TIMEOUT, describe, failure_kind
from launcher.core.states import AuthReason


def unreachable(exc: requests.RequestException, what: str) -> AuthError:
    """The AuthError for ``exc``, raised by a request for ``what`` (e.g. "the provider's token
    endpoint at https://…")."""
    kind = failure_kind(exc)
    if kind == CERTIFICATE:
        return AuthError(
            f"{what}: the server's certificate is not trusted by this computer ({describe(exc)})",
            CERTIFICATE,
        )
    if kind == DNS:
        return AuthError(f"{what}: the server's name cannot be resolved ({describe(exc)})", DNS)
    if kind == TIMEOUT:
        return AuthError(f"{what}: no answer in time", TIMEOUT)
    response = exc.response if isinstance(exc, requests.HTTPError) else None
    if response is not None:
        status = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
        if response.status_code >= 500:
            return AuthError(f"{what}: the server answered {status}", AuthReason.SERVER)
        return AuthError(f"{what}: the server answered {status}", AuthReason.CONFIG)
    if kind is None:
        return AuthError(f"{what}: {describe(exc)}", AuthReason.UNREADABLE)
    return AuthError(f"{what}: cannot connect ({describe(exc)})", AuthReason.NETWORK)
