"""Shared office PCs (the county file's ``[office]``): locking the signed-in person's session
and opening it again for the same person only (no Qt; the window's idle lock and 换人 are
launcher/ui/office_lock.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from launcher.app.events import Locked, Unlocked
from launcher.core.errors import AuthError

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo

log = logging.getLogger(__name__)


def lock(services: Services) -> str | None:
    """Lock the session of the person signed in (``Locked`` announced); their ``sub``, or None
    when nobody is signed in (nothing to lock)."""
    user = services.auth.user
    if user is None:
        return None
    services.auth.lock()
    services.events.publish(Locked(user.sub))
    return user.sub


def unlock(services: Services, user: UserInfo) -> bool:
    """``user`` signed in again at the lock (the identity service asked for the credentials):
    True when it is the locked person (``Unlocked`` announced), False for anyone else."""
    try:
        services.auth.unlock(user=user)
    except AuthError as exc:
        log.info("the lock stays: %s", exc)
        return False
    services.events.publish(Unlocked(user.sub))
    return True


def switched(services: Services) -> None:
    """The locked person's session ended (换人, or another person signed in at the lock): the
    lock goes with it."""
    services.auth.end_lock()
