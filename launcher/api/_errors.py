"""The errors a plugin raises for what its platform said, so the launcher shows it as such."""

from __future__ import annotations

__all__ = ["Refused", "SignedOut"]


class SignedOut(Exception):
    """The platform did not accept the credentials (an HTTP 401, ``{"code": 401}`` in a body, a
    redirect to its login page). The launcher renews them and asks once more; a second
    ``SignedOut`` shows the platform as "signed out" (未登录) with this text."""


class Refused(PermissionError):
    """The platform refused a request it understood (marking a task done that is not the person's
    to close): the text is the platform's own reason, shown to the person as it is.

    A ``PermissionError`` too, so plugins written for the launcher before API 1 keep working."""
