"""Types that core's feature packages (auth, inbox, profile) share, so that none of them imports
another (an import-linter contract keeps them independent)."""

from __future__ import annotations

from collections.abc import Callable
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


@dataclass(frozen=True, repr=False, eq=False)
class SourceAccount(Credentials):
    """A saved account a task source may use for a platform with its own login (HTTP basic to
    CalDAV, an .ics or feed subscription, a legacy API; a plugin's credentials), and how to report
    that the platform refused it. The password vault hands these out (``PasswordVault.get``); the
    inbox never imports the vault.

    ``stopped``: the vault says not to send it by itself (refused before, or an outcome never
    seen): the source sends nothing and says signed out. ``refused()``: the platform refused it
    (HTTP 401); the vault marks it so, and neither the window nor any source sends it again until
    the person acts. An account can never be locked by the launcher this way: one refusal, then
    nothing until the person saves a password or signs in themselves.

    Equal to the plain ``Credentials`` of the same name and password.
    """

    stopped: bool = False
    report_refusal: Callable[[], bool] | None = None
    """Records the platform's refusal where the account is kept; True when it did (False: another
    account is saved now). None: kept nowhere (plain credentials, ``source_account``)."""

    def refused(self) -> bool:
        """Report the platform's refusal of this account; False when nothing was recorded."""
        return self.report_refusal() if self.report_refusal is not None else False

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Credentials):
            return (self.username, self.password) == (other.username, other.password)
        return NotImplemented

    __hash__ = Credentials.__hash__


SavedAccounts = Callable[[str], Credentials | None]
"""The saved account of a platform, by its id: the password vault's ``get`` (``SourceAccount``s),
or, in tests and tools, plain ``Credentials`` (``source_account`` makes them one)."""


def source_account(saved: Credentials) -> SourceAccount:
    """``saved`` as a task source uses it: the vault's own ``SourceAccount``, or plain credentials
    that may be sent and whose refusal is recorded nowhere."""
    if isinstance(saved, SourceAccount):
        return saved
    return SourceAccount(saved.username, saved.password)


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
