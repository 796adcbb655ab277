"""What requests raises, turned into SourceError: one mapping for every HTTP task source."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests

from launcher.core.errors import SourceError


@contextmanager
def http_errors(where: str, *, timeout: float | None = None) -> Iterator[None]:
    """Raise what requests raises in the block as SourceError, its message led by ``where``.

    Timeout is ``timeout`` (the message gives ``timeout`` seconds when known); a refused or broken
    connection ``network``; any other requests error ``unreadable``. Everything else, SourceError
    included, passes through unchanged.
    """
    try:
        yield
    except requests.Timeout:
        waited = f"within {timeout:.1f} s" if timeout is not None else "in time"
        raise SourceError(f"{where}: no answer {waited}", "timeout") from None
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
        raise SourceError(f"{where}: {reason_of(exc)}", "network") from None
    except requests.RequestException as exc:
        raise SourceError(f"{where}: {reason_of(exc)}", "unreadable") from None


def reason_of(exc: BaseException) -> str:
    """The message of the innermost cause of a requests error."""
    # requests nests the cause (urllib3 MaxRetryError -> NewConnectionError -> OSError); the
    # innermost message says what a person can act on ("Connection refused", "Name or service…").
    inner: BaseException = exc
    for _ in range(8):
        first = inner.args[0] if inner.args else None
        nested = first if isinstance(first, BaseException) else getattr(inner, "reason", None)
        if not isinstance(nested, BaseException):
            nested = inner.__cause__ or inner.__context__
        if nested is None or nested is inner:
            break
        inner = nested
    text = str(inner) or type(inner).__name__
    # urllib3 prefixes its messages with the repr of the connection object.
    return text.split(">: ", 1)[-1] if text.startswith("<") else text
