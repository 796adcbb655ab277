"""The launcher's state vocabularies: what a platform's tasks are, why something failed, what a
person's sign-in is.

One model module shared by core's packages (identity, inbox, plugins) so that none of them imports
another for a code; the words for each member, in Chinese and English, are in one place too
(launcher/app/vocabulary.py), used by the window and the command line alike.

Each is a ``StrEnum``: a member equals its code ("failed" == PlatformStatus.FAILED), so the task
cache, JSON output and code comparing with a plain string keep working. Decisions are made on
these members, never on an error's message text.
"""

from __future__ import annotations

from enum import StrEnum


class PlatformStatus(StrEnum):
    """How current a platform's tasks in the inbox are (``PlatformState.state``)."""

    CURRENT = "current"
    """Refreshed just now."""
    STALE = "stale"
    """Shown from the cache (not refreshed in this run)."""
    FAILED = "failed"
    """The last refresh failed; ``PlatformState.reason`` says why; cached tasks are kept."""
    UNKNOWN = "unknown"
    """Never refreshed, nothing cached."""
    REFRESHING = "refreshing"
    """Still being waited for in a running refresh (in its partial results only); its cached
    tasks are shown meanwhile."""


class FailureReason(StrEnum):
    """Why a task source could not do what it was asked (``SourceError.reason``)."""

    NETWORK = "network"
    """The platform cannot be reached (refused, reset, unreachable, its name does not resolve)."""
    TIMEOUT = "timeout"
    CERTIFICATE = "certificate"
    """This computer does not trust the platform's certificate."""
    SIGNED_OUT = "signed-out"
    """The sign-in is no longer valid for the platform: the person must sign in again."""
    PLATFORM = "platform"
    """The platform answered with an error."""
    UNREADABLE = "unreadable"
    PLUGIN = "plugin"
    """The platform's plugin failed."""
    DISABLED = "disabled"
    """The platform's plugin failed again and again and is turned off for now."""
    REFUSED = "refused"
    """The platform refused a change (marking a task done)."""
    UNSUPPORTED = "unsupported"
    """The platform does not offer this (marking done from the launcher)."""
    NARROWING_REFUSED = "narrowing-refused"
    """The identity service refuses a token for this platform alone (``invalid_scope``,
    ``invalid_target``) and no shared token serves it: the county's ``[idp] tokens`` must change."""


class AuthReason(StrEnum):
    """Why signing in, refreshing a token or signing out failed (``AuthError.reason``).

    The identity service could not be asked: NETWORK, DNS, TIMEOUT, CERTIFICATE, SERVER (HTTP
    5xx), UNREADABLE. It answered: REFUSED, FORGED, SIGNED_OUT, EXPIRED, INTERACTION_REQUIRED (a
    silent sign-in needs the person), CONFIG (the county's set-up is wrong), CANCELLED. KEYRING and
    OTHER are never an ``AuthError``'s: they name a sign-in that failed for the system keyring, or
    for an error nobody foresaw, in what the person is told."""

    NETWORK = "network"
    DNS = "dns"
    TIMEOUT = "timeout"
    CERTIFICATE = "certificate"
    SERVER = "server"
    UNREADABLE = "unreadable"
    REFUSED = "refused"
    FORGED = "forged"
    SIGNED_OUT = "signed-out"
    EXPIRED = "expired"
    INTERACTION_REQUIRED = "interaction-required"
    CONFIG = "config"
    CANCELLED = "cancelled"
    KEYRING = "keyring"
    OTHER = "other"
    NARROWING_REFUSED = "narrowing-refused"
    """A refresh narrowed to one platform's scopes or resource was refused (``invalid_scope``,
    ``invalid_target``): the session stands, that platform's token cannot be had this way."""

    def source_reason(self) -> FailureReason:
        """The task source's reason for a platform whose token this kept away: trouble reaching
        the identity service stays that (signing in again would not help); anything else means
        the person must sign in again."""
        return _SOURCE_REASONS.get(self, FailureReason.SIGNED_OUT)


_SOURCE_REASONS = {
    AuthReason.NETWORK: FailureReason.NETWORK,
    AuthReason.DNS: FailureReason.NETWORK,
    AuthReason.SERVER: FailureReason.NETWORK,
    AuthReason.UNREADABLE: FailureReason.NETWORK,
    AuthReason.TIMEOUT: FailureReason.TIMEOUT,
    AuthReason.CERTIFICATE: FailureReason.CERTIFICATE,
    AuthReason.NARROWING_REFUSED: FailureReason.NARROWING_REFUSED,
}


class SignInState(StrEnum):
    """A platform's sign-in as ``launcher status`` reports it (``PlatformAuthStatus.state``)."""

    SIGNED_IN = "signed-in"
    SIGNED_OUT = "signed-out"
    NO_LOGIN = "no-login"
    """The platform needs no sign-in."""
    PASSWORD_SAVED = "password-saved"
    """A platform with only its own login form, whose password the vault keeps."""
    PASSWORD_MISSING = "password-missing"


class TileState(StrEnum):
    """What a platform's tile in the window says it is: its sign-in and its last refresh."""

    SIGNED_OUT = "signed-out"
    SIGNED_IN = "signed-in"
    FAILED = "failed"
    STALE = "stale"
    PASSWORD_SAVED = "password-saved"
    PASSWORD_MISSING = "password-missing"
    NEEDS_SIGN_IN = "needs-sign-in"
    """Signed in, but this platform's token could not be renewed: the person must sign in
    again."""
    BLOCKED = "blocked"
    """The county blocked this plugin version (a hard block of its signed block list): not
    loaded; the tile says why and whom to call."""
    WARNED = "warned"
    """The county warns about this plugin version (a soft block): it works, with a warning."""


class PlatformKind(StrEnum):
    """The platform states a person tells apart in the inbox's state line and list: a failure
    whose fix is to sign in again is its own kind."""

    CURRENT = "current"
    STALE = "stale"
    FAILED = "failed"
    SIGN_IN = "sign-in"
    UNKNOWN = "unknown"
    REFRESHING = "refreshing"


def platform_kind(state: str, reason: str | None) -> PlatformKind:
    """The kind a person sees for a platform's ``PlatformState.state`` and ``reason``."""
    if state == SignInState.SIGNED_OUT or (
        state == PlatformStatus.FAILED and reason == FailureReason.SIGNED_OUT
    ):
        return PlatformKind.SIGN_IN
    if state in (
        PlatformStatus.CURRENT,
        PlatformStatus.STALE,
        PlatformStatus.FAILED,
        PlatformStatus.REFRESHING,
    ):
        return PlatformKind(state)
    return PlatformKind.UNKNOWN


def failure_reason(reason: str | None) -> FailureReason | None:
    """``reason`` as a member, or None when it is none of them: the parser for a code given as
    a plain ``str`` (the words of launcher/app/vocabulary.py take one and say "unknown" for
    None). The launcher's errors take members only (``SourceError``)."""
    try:
        return FailureReason(reason) if reason is not None else None
    except ValueError:
        return None


def auth_reason(reason: str) -> AuthReason:
    """``reason`` as a member; OTHER for a code nobody foresaw: the parser for a code given as
    a plain ``str`` (launcher/app/vocabulary.py). The launcher's errors take members only
    (``AuthError``)."""
    try:
        return AuthReason(reason)
    except ValueError:
        return AuthReason.OTHER
