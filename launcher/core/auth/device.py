"""The device authorization grant's state (RFC 8628): what the user is shown, what the launcher polls.

For shared PCs and counties whose provider pages cannot run in the launcher: the launcher shows a
short user code and a QR code of the verification URI; the user approves it on their phone or any
browser while the launcher polls the token endpoint.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DeviceFlow:
    device_code: str = field(repr=False)
    user_code: str
    verification_uri: str
    verification_uri_complete: str | None
    interval: float
    """Seconds between polls, as the provider asked (the poll adds 5 for each ``slow_down``)."""
    expires_at: float
    """When the codes expire, as ``time.time()``."""

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> DeviceFlow:
        """From the provider's device authorization answer, as ``OidcClient`` checked it."""
        complete = answer.get("verification_uri_complete")
        return cls(
            device_code=str(answer["device_code"]),
            user_code=str(answer["user_code"]),
            verification_uri=str(answer["verification_uri"]),
            verification_uri_complete=str(complete) if complete else None,
            interval=float(answer["interval"]),
            expires_at=time.time() + float(answer["expires_in"]),
        )

    @property
    def qr_uri(self) -> str:
        """What a QR code should hold: the complete URI (user code filled in) when there is one."""
        return self.verification_uri_complete or self.verification_uri
