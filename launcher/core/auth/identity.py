"""One identity lifecycle: the contract every county identity provider's session fulfils.

A county signs in at one identity service: OpenID Connect (``session.AuthSession``) or CAS
(``cas_session.CasSession``). Both implement ``IdentitySession``; the provider is chosen once, by
``identity_for`` (the composition root calls it), and everything above it (the window, the command
line, the application layer) asks the session what it can do (``capabilities``, ``login_modes``)
instead of asking the county file which kind of provider it is. A new provider kind is one new
session class and one line in ``identity_for``.

The lifecycle: begin and complete a sign-in in one of the offered modes (embedded page, system
browser, device code; a silent sign-in reuses the web pages' session of the identity service),
restore a session kept in the keyring, get per-platform tokens, sign out. ``lock`` and ``unlock``
serve shared PCs (``[office] shared``): the idle lock keeps the session but hides it until the same
person proves who they are again, by a sign-in that makes the provider ask for their credentials
whatever session it has (``begin_login(reauthenticate=True)``: OpenID Connect ``prompt=login`` with
``max_age=0``, CAS ``renew=true``); ``unlock`` takes that sign-in's user.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from launcher.core.auth.device import DeviceFlow
    from launcher.core.auth.oidc import LoginFlow
    from launcher.core.auth.session import UserInfo
    from launcher.core.auth.status import SessionStatus
    from launcher.core.auth.tokens import PlatformTokens
    from launcher.core.county import County
    from launcher.core.registry import Platform, Registry
    from launcher.core.secrets import SecretStore


class Capability(enum.Flag):
    """What an identity session can do; the UI picks its dialogs and steps by these."""

    NONE = 0
    EMBEDDED_LOGIN = enum.auto()
    """Sign in on the provider's page in the launcher's own web view (begin/complete_login)."""
    BROWSER_LOGIN = enum.auto()
    """Sign in in the system browser, answered on a loopback port (login_system_browser)."""
    DEVICE_LOGIN = enum.auto()
    """Sign in by a code approved on another device (begin_device/poll_device)."""
    WEB_SESSION_SIGN_IN = enum.auto()
    """Sign in silently with the provider's session of the web pages (begin_login(silent=True))."""
    WEB_COOKIES = enum.auto()
    """The session is the provider's cookies of the web view: collected when an embedded sign-in
    completes (complete_login's ``cookies``) and put into every new web profile (web_cookies)."""
    TOKEN_REFRESH = enum.auto()
    """Platform tokens are renewed without the person (refresh token, or a new service ticket)."""
    REVOCATION = enum.auto()
    """Signing out revokes the tokens at the provider."""
    END_SESSION_PAGE = enum.auto()
    """Signing out returns a page of the provider that ends its web session (logout's URL)."""
    SINGLE_LOGOUT = enum.auto()
    """Signing out makes the provider sign every platform out too."""
    LOCK = enum.auto()
    """The session can be locked and unlocked (shared PCs; not offered by any provider yet)."""


@dataclass(frozen=True)
class LogoutReport:
    """What a sign-out did at the provider, for saying it truthfully (``last_logout``).

    ``revoked``: the token kinds (``refresh_token``, ``access_token``, one entry per token) the
    provider's revocation endpoint accepted; ``not_revoked``: (kind, why) of the others, ``why``
    an ``oidc.Revocation`` code (``no-endpoint``, ``unsupported``, ``failed``): they lapse when they
    expire. Both empty: there was no session to end.
    """

    revoked: tuple[str, ...] = ()
    not_revoked: tuple[tuple[str, str], ...] = ()

    @property
    def complete(self) -> bool:
        """Every token was revoked (and there was one)."""
        return bool(self.revoked) and not self.not_revoked


class LoginMode(enum.StrEnum):
    """How a person signs in; the values are the county file's ``[idp] login``."""

    EMBEDDED = "embedded"
    SYSTEM_BROWSER = "system-browser"
    DEVICE = "device"


MODE_CAPABILITY = {
    LoginMode.EMBEDDED: Capability.EMBEDDED_LOGIN,
    LoginMode.SYSTEM_BROWSER: Capability.BROWSER_LOGIN,
    LoginMode.DEVICE: Capability.DEVICE_LOGIN,
}


def modes_of(capabilities: Capability) -> tuple[LoginMode, ...]:
    """The login modes ``capabilities`` offer, in the order of ``LoginMode``."""
    return tuple(mode for mode, needs in MODE_CAPABILITY.items() if needs in capabilities)


def chosen_mode(session: IdentitySession) -> LoginMode:
    """The county's ``[idp] login`` mode when ``session`` offers it, else the embedded page."""
    try:
        wanted = LoginMode(session.county.idp.login)
    except ValueError:
        wanted = LoginMode.EMBEDDED
    return wanted if wanted in session.login_modes else LoginMode.EMBEDDED


@runtime_checkable
class IdentitySession(Protocol):
    """A signed-in (or not yet) session at the county's identity service.

    Blocking methods (all but ``web_cookies``, ``capabilities``, ``login_modes`` and
    ``no_sign_in_reason``) touch the network or the keyring: never call them on the GUI thread.
    Failures are ``AuthError`` with a ``reason`` (launcher/core/errors.py).
    """

    county: County
    registry: Registry
    secrets: SecretStore
    user: UserInfo | None
    """Who is signed in (from memory), or None."""
    tokens: PlatformTokens
    """The per-platform API tokens of the session."""
    provider_name: str
    """The kind of identity service, for messages ("OpenID Connect", "CAS")."""
    capabilities: Capability
    """What this session can do."""
    login_modes: tuple[LoginMode, ...]
    """The login modes it offers (those of ``capabilities``)."""

    # -- signing in ----------------------------------------------------------------------------

    def begin_login(self, *, silent: bool = False, reauthenticate: bool = False) -> LoginFlow:
        """A sign-in at the provider's page for the embedded web view (``auth_uri``, answered at
        ``redirect_uri``); ``silent``: without any form (WEB_SESSION_SIGN_IN);
        ``reauthenticate``: the provider asks for the credentials even when its session is
        signed in (LOCK: unlocking proves the person)."""
        ...

    def complete_login(
        self, flow: LoginFlow, callback_url: str, cookies: Mapping[str, str] | None = None
    ) -> UserInfo:
        """Check the provider's answer and keep the session; ``cookies``: the provider's cookies of
        the web view (needed with WEB_COOKIES, ignored otherwise)."""
        ...

    def no_sign_in_reason(self, callback_url: str) -> str:
        """Why a silent sign-in's answer carries no sign-in ('' when it does): the provider's error
        code, or a sentence for the log. No network."""
        ...

    def login_system_browser(
        self,
        open_url: Callable[[str], None],
        *,
        timeout: float = 300,
        cancel: threading.Event | None = None,
        reauthenticate: bool = False,
    ) -> UserInfo:
        """Sign in in the system browser (BROWSER_LOGIN); blocks until answered.
        ``reauthenticate``: as ``begin_login``'s (the browser keeps the provider's session)."""
        ...

    def begin_device(self) -> DeviceFlow:
        """Start a device sign-in (DEVICE_LOGIN): the code and address to show."""
        ...

    def poll_device(self, flow: DeviceFlow, cancel: threading.Event | None = None) -> UserInfo:
        """Wait until the person approves ``flow``'s code."""
        ...

    def restore(self) -> UserInfo | None:
        """The user of the session kept in the keyring, if any (no network)."""
        ...

    def web_cookies(self) -> dict[str, str]:
        """The provider's cookies to put into a new web profile (WEB_COOKIES; else empty)."""
        ...

    # -- while signed in -----------------------------------------------------------------------

    def token_for(self, platform: Platform) -> str | None:
        """A valid API token for ``platform`` (None if it needs none)."""
        ...

    def invalidate(self, platform: Platform) -> None:
        """Forget ``platform``'s token (its API refused it)."""
        ...

    def status(self, has_password: Callable[[str], bool] | None = None) -> SessionStatus:
        """Who is signed in and each platform's state (no network)."""
        ...

    def lock(self) -> None:
        """Keep the session but mark it locked until ``unlock`` (LOCK; shared PCs)."""
        ...

    def unlock(self, **proof: Any) -> UserInfo:
        """Open a locked session again: ``user=`` the user of a sign-in begun with
        ``reauthenticate``; AuthError (REFUSED) when it is another person (LOCK)."""
        ...

    def end_lock(self) -> None:
        """The locked person's session ended (换人): nothing is left to unlock."""
        ...

    # -- signing out ---------------------------------------------------------------------------

    def logout(self) -> str | None:
        """Tell the provider, wipe the keyring; the provider's end-session page, if any."""
        ...

    def wipe_local(self) -> None:
        """Forget the session on this computer only."""
        ...


class NoLock:
    """``lock``/``unlock`` of a provider without ``Capability.LOCK``."""

    def lock(self) -> None:
        raise NotImplementedError("this identity session cannot be locked")

    def unlock(self, **proof: Any) -> UserInfo:
        raise NotImplementedError("this identity session cannot be locked")

    def end_lock(self) -> None:
        """Nothing is ever locked here."""


class SessionLock:
    """``lock``/``unlock`` (Capability.LOCK) of a session whose provider can be made to ask the
    person again (``begin_login(reauthenticate=True)``). The session itself stays: the inbox
    may go on refreshing while the window hides it; only the same person opens it again."""

    user: UserInfo | None
    _locked_sub: str | None = None

    @property
    def locked(self) -> bool:
        return self._locked_sub is not None

    def lock(self) -> None:
        user = self.user
        if user is None:
            raise RuntimeError("nobody is signed in: there is nothing to lock")
        self._locked_sub = user.sub

    def unlock(self, **proof: Any) -> UserInfo:
        from launcher.core.errors import AuthError
        from launcher.core.states import AuthReason

        user = proof.get("user")
        locked = self._locked_sub
        if user is None or not getattr(user, "sub", None):
            raise AuthError("unlocking needs the person to sign in again", AuthReason.REFUSED)
        if locked is not None and user.sub != locked:
            raise AuthError("another person signed in: the locked session is not theirs",
                            AuthReason.REFUSED)
        self._locked_sub = None
        unlocked: UserInfo = user
        return unlocked

    def end_lock(self) -> None:
        """The locked person's session ended (换人, or another person signed in at the lock):
        there is nothing left to unlock."""
        self._locked_sub = None


def _members(protocol: type) -> tuple[str, ...]:
    names = getattr(protocol, "__protocol_attrs__", None)  # Python 3.12 keeps them
    if names is None:  # 3.11: its own namespace and annotations, as typing itself does
        names = {
            name
            for name in (*vars(protocol), *getattr(protocol, "__annotations__", {}))
            if not name.startswith("_")
        }
    return tuple(sorted(names))


def missing_members(session: object, protocol: type = IdentitySession) -> list[str]:
    """The members of ``protocol`` that ``session`` lacks (attributes, or methods not callable)."""
    def lacks(name: str) -> bool:
        if not hasattr(session, name):
            return True
        return callable(getattr(protocol, name, None)) and not callable(getattr(session, name))

    return [name for name in _members(protocol) if lacks(name)]


def checked(session: object) -> IdentitySession:
    """``session`` as an IdentitySession, or TypeError naming what it lacks."""
    missing = missing_members(session)
    if missing or not isinstance(session, IdentitySession):
        raise TypeError(
            f"{type(session).__name__} is not an identity session: it lacks "
            + ", ".join(missing or ["(unknown)"])
        )
    return session


def identity_for(county: County, registry: Registry, secrets: SecretStore) -> IdentitySession:
    """The county's identity session, chosen once by ``[idp] kind`` (the composition root calls
    this; nothing else looks at the kind)."""
    session: object
    if county.idp.kind == "cas":
        from launcher.core.auth.cas_session import CasSession  # only CAS counties need it

        session = CasSession(county, registry, secrets)
    else:
        from launcher.core.auth.session import AuthSession

        session = AuthSession(county, registry, secrets)
    return checked(session)
