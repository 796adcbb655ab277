"""Every HTTP session the launcher's own code makes: the operating system's trust store, and what
went wrong in words a caller can map to a reason.

Web pages (QtWebEngine) trust what the operating system trusts, so a county whose services use
certificates of its own CA installs that CA in Windows (or macOS, or Linux) and every page works.
requests, left to itself, trusts only the certifi bundle it ships (and ``REQUESTS_CA_BUNDLE``
replaces that bundle entirely), so sign-in and the task APIs failed on the same services. Every
session made here verifies certificates with ``truststore``, which asks the operating system's own
verifier (CryptoAPI on Windows, Security.framework on macOS, OpenSSL with the system's CA files on
Linux), plus the county's ``[network] ca_file`` when there is one (added, never replacing).

The truststore context is mounted on the session's HTTPS adapter, not injected into ``ssl`` for
the whole process: only the launcher's sessions change, and QtWebEngine, plugins and libraries are
left as they are.

Proxies: requests follows ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` (and on Windows the system's
proxy settings), as the web pages follow the system's settings; addresses on this machine
(127.0.0.0/8, ::1, localhost) never go through a proxy, as in Chromium.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import truststore
from requests.adapters import HTTPAdapter

from launcher.core import network
from launcher.core.states import AuthReason

S = TypeVar("S", bound=requests.Session)


def trust_context(config: network.NetworkConfig | None = None) -> ssl.SSLContext:
    """An SSL context that verifies with the operating system's trust store, plus the county's
    CA file of ``config`` (the settings in force when None)."""
    config = network.current() if config is None else config
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if config.ca_file is not None:
        context.load_verify_locations(cafile=str(config.ca_file))
    return context


class SystemTrustAdapter(HTTPAdapter):
    """An HTTPAdapter whose HTTPS connections verify with a truststore context (the settings in
    force when none is given), and which never sends a request for this machine to a proxy.

    Another adapter class (the inbox's deadline adapter) gets the same by ``equip``, which mounts
    a class made of both."""

    def __init__(self, context: ssl.SSLContext | None = None, **kwargs: Any) -> None:
        self.context = context if context is not None else trust_context()
        super().__init__(**kwargs)

    def init_poolmanager(
        self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any
    ) -> None:
        pool_kwargs.setdefault("ssl_context", self.context)
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        # Through a proxy the TLS session with the server runs inside the tunnel: same context.
        proxy_kwargs.setdefault("ssl_context", self.context)
        if proxy.lower().startswith("https:"):
            proxy_kwargs.setdefault("proxy_ssl_context", self.context)
        return super().proxy_manager_for(proxy, **proxy_kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        if verify is True and url.lower().startswith("https"):
            # requests would load certifi's bundle into the context here: the system's store (in
            # the context already) is the one to trust. The client-certificate part stays.
            super().cert_verify(conn, url, False, cert)  # type: ignore[no-untyped-call]
            conn.cert_reqs = "CERT_REQUIRED"
            return
        # A bundle named by the caller or REQUESTS_CA_BUNDLE is loaded into the context: added.
        super().cert_verify(conn, url, verify, cert)  # type: ignore[no-untyped-call]

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        if on_this_machine(request.url or ""):
            kwargs["proxies"] = {}
        return super().send(request, *args, **kwargs)


_COMBINED: dict[type[HTTPAdapter], type[SystemTrustAdapter]] = {}
_COMBINED_LOCK = threading.Lock()


def _with_system_trust(cls: type[HTTPAdapter]) -> type[SystemTrustAdapter]:
    """``cls`` with the system trust added (SystemTrustAdapter first in its MRO)."""
    if issubclass(cls, SystemTrustAdapter):
        return cls
    if cls is HTTPAdapter:
        return SystemTrustAdapter
    with _COMBINED_LOCK:
        combined = _COMBINED.get(cls)
        if combined is None:
            combined = _COMBINED[cls] = type(
                f"SystemTrust{cls.__name__}", (SystemTrustAdapter, cls), {}
            )
        return combined


def equip(session: S, config: network.NetworkConfig | None = None) -> S:
    """Give ``session``'s http and https adapters the system trust; returns ``session``.

    For sessions made by another library (authlib's OAuth2Session, caldav's client) or given
    another adapter (the inbox's deadline adapter): the adapter mounted is replaced by one of a
    class made of both, so whatever it did it still does. Call it after mounting other adapters.
    """
    context = trust_context(config)
    for prefix in ("https://", "http://"):
        current = session.adapters.get(prefix)
        base = type(current) if isinstance(current, HTTPAdapter) else HTTPAdapter
        adapter = _with_system_trust(base)(context)
        if isinstance(current, HTTPAdapter):
            adapter.max_retries = current.max_retries
            current.close()
        session.mount(prefix, adapter)
    return session


def new_session() -> requests.Session:
    """A requests session for the launcher's own connections (see the module's docstring)."""
    return equip(requests.Session())


def on_this_machine(url: str) -> bool:
    """True for URLs of this machine (loopback addresses, localhost): never sent to a proxy."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# -- what went wrong -----------------------------------------------------------------------------

# The kinds are the sign-in vocabulary's members (launcher/core/states.py); a task source's
# vocabulary has the same codes for the ones it tells apart.
CERTIFICATE, TIMEOUT = AuthReason.CERTIFICATE, AuthReason.TIMEOUT
DNS, NETWORK = AuthReason.DNS, AuthReason.NETWORK


def failure_kind(exc: BaseException) -> AuthReason | None:
    """What a failed connection says about itself: ``certificate`` (the server's certificate is
    not trusted, or not for its name), ``timeout``, ``dns`` (the name does not resolve),
    ``network`` (refused, reset, unreachable, cut short); None for anything else (an HTTP status,
    a bad URL)."""
    chain = list(_chain(exc))
    if any(isinstance(e, ssl.SSLCertVerificationError) for e in chain) or any(
        "CERTIFICATE_VERIFY_FAILED" in str(e) for e in chain
    ):
        return CERTIFICATE
    if any(isinstance(e, socket.gaierror) for e in chain):
        return DNS
    if isinstance(exc, requests.Timeout) or any(
        isinstance(e, TimeoutError | socket.timeout) for e in chain
    ):
        return TIMEOUT
    if isinstance(exc, requests.ConnectionError | requests.exceptions.ChunkedEncodingError) or (
        any(isinstance(e, OSError) for e in chain)
    ):
        return NETWORK
    return None


def describe(exc: BaseException) -> str:
    """The message of the innermost cause of a requests error, without urllib3's object reprs.

    requests nests the cause (urllib3 MaxRetryError -> NewConnectionError -> OSError); the
    innermost message says what a person can act on ("Connection refused", "Name or service not
    known", "certificate verify failed: unable to get local issuer certificate")."""
    inner = list(_chain(exc))[-1]
    text = str(inner) or type(inner).__name__
    # urllib3 prefixes its messages with the repr of the connection object.
    return text.split(">: ", 1)[-1] if text.startswith("<") else text


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it wraps, outermost first (a bounded walk)."""
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen and len(seen) < 10:
        seen.add(id(current))
        yield current
        first = current.args[0] if current.args else None
        nested = first if isinstance(first, BaseException) else getattr(current, "reason", None)
        if not isinstance(nested, BaseException):
            nested = current.__cause__ or current.__context__
        current = nested
