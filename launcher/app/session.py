"""Sign-in, sign-out, forgetting a person and retiring a platform: the use cases the window and the command line both
call (no Qt).

The identity session (``services.auth``) does the signing in itself, in the window's dialogs or
the command line's prompts; these use cases do what follows, the same way for both: close the
previous person's data when another person signed in, mark the workspace, announce it
(``SignedIn``, ``UserSwitched``, ``SignedOut``, ``AccountForgotten``). The account's data is closed through its one
owner (``services.account``, launcher/app/account.py) only.

They touch the disk and the keyring: call them off the GUI thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from launcher.app import sanqing
from launcher.app.events import (
    AccountForgotten,
    PlatformRetired,
    SignedIn,
    SignedOut,
    UserSwitched,
)
from launcher.core.auth.identity import LogoutReport

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo
    from launcher.core.auth.status import User


def restore(services: Services) -> UserInfo | None:
    """The person of the session kept on this computer, signed in again without the network
    (the window's start, each command line command); None when nobody is."""
    user = services.auth.restore()
    if user is not None:
        signed_in(services, user, restored=True)
    return user


def signed_in(services: Services, user: User, *, restored: bool = False) -> bool:
    """A sign-in completed (or a session was restored): if another person's data is held here,
    it is closed first (a switch of user). Returns True on a switch."""
    previous = services.workspace.user
    switched = services.account.signing_in(user.sub)
    if not switched and previous is not None and previous.sub != user.sub:
        services.account.close()  # data kept before the owner was recorded (older versions)
        switched = True
    services.workspace.signed_in(user)
    if switched:
        services.events.publish(
            UserSwitched(previous.sub if previous is not None else "", user)
        )
    services.events.publish(SignedIn(user, restored=restored))
    return switched


def sign_out(services: Services) -> str | None:
    """Sign out of everything and close this person's data; returns the end-session URL.

    The local part happens even when the provider cannot be reached: the identity session wipes
    its keyring entries, and the account's data is closed even when one kind fails (that failure
    is raised afterwards). The data of platforms the county file no longer lists goes too, for
    every account (三清, with its report: launcher/app/sanqing.py)."""
    previous = services.workspace.user or services.auth.user
    try:
        end_url = services.auth.logout()
    finally:
        try:
            services.account.sign_out()
        finally:
            sanqing.forget_unconfigured(services)  # never raises
            services.workspace.signed_out()
            services.events.publish(SignedOut(previous.sub if previous is not None else ""))
    return end_url


def logout_report(services: Services) -> LogoutReport | None:
    """What the last sign-out revoked at the identity service and what it could not (None: this
    kind of identity session does not say, e.g. CAS, whose logout ends the session at the
    server)."""
    report = getattr(services.auth, "last_logout", None)
    return report if isinstance(report, LogoutReport) else None


def forget_person(services: Services) -> User | None:
    """A person leaves the office: the one signed in here is signed out (their tokens revoked)
    and everything this computer keeps for their account goes, through the account's one
    owner; other people's data stays. Returns who was forgotten (None: nobody is signed in,
    and nothing is forgotten: the data here is kept per account, never in clear, so only the
    person's own sign-in says whose it is)."""
    user = restore(services)
    if user is None:
        return None
    try:
        sign_out(services)
    finally:
        try:
            services.account.forget_account(user.sub)
        finally:
            services.events.publish(AccountForgotten(user.sub))
    return user


def retire_platform(services: Services, platform_id: str) -> None:
    """The county retired ``platform_id`` (a county pack that drops it): what every kind of
    account data keeps of it goes, for every account, through the account's one owner. The
    whole of 三清 (tokens revoked, web data, the report) is ``sanqing.retire``."""
    try:
        services.account.retire_platform(platform_id)
    finally:
        services.events.publish(PlatformRetired(platform_id))
