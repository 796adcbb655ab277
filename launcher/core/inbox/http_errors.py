"""What requests raises, turned into SourceError: one mapping for every HTTP task source."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests

from launcher.core.errors import SourceError
from launcher.core.http import CERTIFICATE, TIMEOUT, describe, failure_kind
from launcher.core.states import FailureReason


@contextmanager
def http_errors(where: str, *, timeout: float | None = None) -> Iterator[None]:
    """Raise what requests raises in the block as SourceError, its message led by ``where``.

    A certificate the operating system (and the county's CA file) does not trust is
    ``certificate``; a timeout ``timeout`` (the message gives ``timeout`` seconds when known); a
    refused, broken or unresolvable connection ``network``; any other requests error
    ``unreadable``. Everything else, SourceError included, passes through unchanged.
    """
    try:
        yield
    except requests.RequestException as exc:
        kind = failure_kind(exc)
        if kind == CERTIFICATE:
            raise SourceError(
                f"{where}: the server's certificate is not trusted ({describe(exc)})",
                FailureReason.CERTIFICATE,
            ) from None
        if kind == TIMEOUT:
            waited = f"within {timeout:.1f} s" if timeout is not None else "in time"
            raise SourceError(f"{where}: no answer {waited}", FailureReason.TIMEOUT) from None
        if kind is not None:
            raise SourceError(f"{where}: {describe(exc)}", FailureReason.NETWORK) from None
        raise SourceError(f"{where}: {describe(exc)}", FailureReason.UNREADABLE) from None

