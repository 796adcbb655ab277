"""What ``launcher status`` and the window show of a session: who, and each platform's state.

Built from the keyring alone (no network) and never holding a token value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from launcher.core.registry import Registry
from launcher.core.states import SignInState


class User(Protocol):
    """Who is signed in (``session.UserInfo`` and its CAS counterpart)."""

    @property
    def sub(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def username(self) -> str: ...


@dataclass(frozen=True)
class PlatformAuthStatus:
    id: str
    name: str
    auth_kind: str
    state: SignInState
    expires_at: float | None = None
    """When the platform's current access token expires (``time.time()``), if one is held."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "auth_kind": self.auth_kind,
            "state": str(self.state),
            "expires_at": _iso(self.expires_at),
        }


@dataclass(frozen=True)
class SessionStatus:
    user: User | None
    idp: str
    kind: str
    """``oidc`` or ``cas``."""
    platforms: list[PlatformAuthStatus]

    @property
    def signed_in(self) -> bool:
        return self.user is not None

    def to_json(self) -> dict[str, Any]:
        user = None
        if self.user is not None:
            user = {"sub": self.user.sub, "name": self.user.name, "username": self.user.username}
        return {
            "signed_in": self.signed_in,
            "user": user,
            "idp": self.idp,
            "kind": self.kind,
            "platforms": [p.to_json() for p in self.platforms],
        }


def platform_states(
    registry: Registry,
    *,
    signed_in: bool,
    expiry: Callable[[str], float | None],
    has_password: Callable[[str], bool] | None = None,
) -> list[PlatformAuthStatus]:
    """Each platform's state: the identity service's platforms follow the session, password
    platforms the vault (``has_password``; unknown counts as missing), the rest need no login."""
    states: list[PlatformAuthStatus] = []
    for platform in registry.platforms:
        auth = platform.manifest.auth
        state: SignInState
        expires_at = None
        if auth.sso:
            state = SignInState.SIGNED_IN if signed_in else SignInState.SIGNED_OUT
            expires_at = expiry(platform.id) if signed_in else None
        elif auth.kind == "password":
            saved = has_password is not None and has_password(platform.id)
            state = SignInState.PASSWORD_SAVED if saved else SignInState.PASSWORD_MISSING
        else:
            state = SignInState.NO_LOGIN
        states.append(PlatformAuthStatus(platform.id, platform.name, auth.kind, state, expires_at))
    return states


def _iso(moment: float | None) -> str | None:
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="seconds")
