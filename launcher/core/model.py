"""Types that core's feature packages (auth, inbox, profile) share, so that none of them imports
another (an import-linter contract keeps them independent)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

PASSWORD_KIND = "password"
"""The manifest's ``auth.kind`` of a platform with only its own login form (the password vault)."""

_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Credentials:
    """A user name and password for a platform's own login (the vault's, or a CalDAV server's)."""

    username: str
    password: str

    def __repr__(self) -> str:  # never show the password in a traceback or a debug print
        return f"Credentials(username={self.username!r}, password='***')"


def web_origin(url: str) -> str | None:
    """``scheme://host[:port]`` with the default port left out, as ``location.origin`` shows it."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"
