"""Whom a person calls for help: the county IT team of ``[support]`` in county.toml.

The window shows it under 帮助 → 联系县信息化团队 and names it under the messages that tell the
person to call the team. It is the county's text, so it is outside text: checked here for its
form and its length, shown by the window as plain text, never as a link (a phone number is a
number to dial, an e-mail address text to copy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from launcher.core.schema import Reader, shown

MAX_NAME_CHARS = 60
MAX_PHONE_CHARS = 40
MAX_EMAIL_CHARS = 100
MAX_HOURS_CHARS = 80
MAX_NOTE_CHARS = 300

PHONE = re.compile(r"^[0-9+()\- ]+(?:(?:转|ext\.?|x) ?[0-9]{1,6})?$")
"""Digits, spaces, ``+ ( ) -``, and an extension (``转 123``, ``ext 123``)."""
MIN_PHONE_DIGITS = 3
"""12345 (the government hotline) and 110 are phone numbers too."""
EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+$")
"""An address people can type: ASCII, one ``@``, a domain with a dot."""


@dataclass(frozen=True)
class SupportContact:
    """``[support]``: the team's name, and at least one of phone and e-mail."""

    name: str
    phone: str = ""
    email: str = ""
    hours: str = ""
    """When the team answers, in the county's words (工作日 8:30–17:30)."""
    note: str = ""
    """Anything else the county wants said (what to have ready when calling)."""


def read_support(root: Reader) -> SupportContact | None:
    """The ``[support]`` table of a county file, None when there is none; ConfigError naming the
    key for a value of the wrong form or length."""
    support = root.sub("support", required=False)
    if support is None:
        return None
    support.unknown({"name", "phone", "email", "hours", "note"})
    name = _text(support, "name", MAX_NAME_CHARS, required=True)
    phone = _text(support, "phone", MAX_PHONE_CHARS)
    if phone and (
        not PHONE.match(phone) or sum(c.isdigit() for c in phone) < MIN_PHONE_DIGITS
    ):
        raise support.error(
            "phone", "must be a phone number (digits, spaces, + ( ) -, and maybe 转 or ext "
            f"with an extension), not {shown(phone)}"
        )
    email = _text(support, "email", MAX_EMAIL_CHARS)
    if email and not EMAIL.match(email):
        raise support.error("email", f"must be an e-mail address, not {shown(email)}")
    if not phone and not email:
        raise support.error("phone", "is required when there is no email (how to reach the team)")
    return SupportContact(
        name=name,
        phone=phone,
        email=email,
        hours=_text(support, "hours", MAX_HOURS_CHARS),
        note=_text(support, "note", MAX_NOTE_CHARS),
    )


def _text(table: Reader, key: str, limit: int, *, required: bool = False) -> str:
    if not required and not table.has(key):
        return ""
    value = table.text(key).strip()  # "is required" when missing
    if len(value) > limit:
        raise table.error(key, f"is longer than {limit} characters")
    return value
