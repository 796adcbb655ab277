"""How TUF's updater reaches a county's repository: the launcher's HTTP session, or a folder.

Over http(s) every request goes through a session of ``launcher.core.http`` (the proxy settings,
the operating system's trust store and the county's CA), with a time-out on connecting and on
each read, streamed in bounded chunks. A ``file://`` URL (or a plain path) is read from disk: a
share on the county network, or a USB stick carried to a township without a connection.

Errors are TUF's download errors, so the updater behaves as the specification says: a missing
file is a 404 (which ends the search for newer root versions), a refused one a 403, everything
else a ``DownloadError`` (a ``SlowRetrievalError`` for a time-out).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

import requests
import urllib3
from tuf.api import exceptions
from tuf.ngclient.fetcher import FetcherInterface

from launcher.core.packs.settings import path_of_url

log = logging.getLogger(__name__)

__all__ = ["CHUNK_SIZE", "TIMEOUT", "PackFetcher", "SessionFactory"]

SessionFactory = Callable[[], requests.Session]
TIMEOUT = 30.0
"""Seconds to connect, and between two reads of an answer."""
CHUNK_SIZE = 64 * 1024
_CHUNK_BOUNDS = (4 * 1024, 1024 * 1024)
MIN_BYTES_PER_SECOND = 1024
"""An answer slower than this on average (after twice the time-out) is given up."""
MAX_KEPT_METADATA = 16
"""Metadata documents whose last download is kept (for messages: when an expired one expired)."""


class PackFetcher(FetcherInterface):
    """A TUF fetcher on the launcher's requests session and on local folders."""

    def __init__(
        self,
        session_factory: SessionFactory | None = None,
        *,
        timeout: float = TIMEOUT,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        self._session_factory = session_factory
        self._session: requests.Session | None = None
        self.timeout = max(1.0, min(float(timeout), 600.0))
        self.chunk_size = max(_CHUNK_BOUNDS[0], min(int(chunk_size), _CHUNK_BOUNDS[1]))
        self.metadata: dict[str, bytes] = {}
        """The last bytes downloaded of each metadata file, by its name without the version
        (``timestamp.json``, ``targets.json``); only what the updater asked for."""

    # -- FetcherInterface ------------------------------------------------------------------------

    def _fetch(self, url: str) -> Iterator[bytes]:
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError as exc:
            raise exceptions.DownloadError(f"not a URL: {url!r} ({exc})") from None
        if scheme in ("http", "https"):
            return self._fetch_http(url)
        if scheme == "file":
            try:
                path = path_of_url(url)
            except ValueError as exc:
                raise exceptions.DownloadError(f"{url}: {exc}") from None
            return self._fetch_file(path, url)
        if not scheme or (len(scheme) == 1 and scheme.isalpha()):  # a plain path (C:\…)
            return self._fetch_file(Path(unquote(url)), url)
        raise exceptions.DownloadError(f"{url}: cannot download by {scheme}:")

    def download_bytes(self, url: str, max_length: int) -> bytes:
        data = super().download_bytes(url, max_length)
        name = url.rsplit("/", 1)[-1]
        head, dot, rest = name.partition(".")
        if dot and head.isdigit():
            name = rest  # 3.snapshot.json → snapshot.json
        if name.endswith(".json") and (name in self.metadata
                                       or len(self.metadata) < MAX_KEPT_METADATA):
            self.metadata[name] = data
        return data

    # -- http(s) -----------------------------------------------------------------------------

    def session(self) -> requests.Session:
        if self._session is None:
            if self._session_factory is None:
                from launcher.core.http import new_session

                self._session = new_session()
            else:
                self._session = self._session_factory()
        return self._session

    def _fetch_http(self, url: str) -> Iterator[bytes]:
        try:
            response = self.session().get(url, stream=True, timeout=(self.timeout, self.timeout))
        except requests.Timeout as exc:
            raise exceptions.SlowRetrievalError(f"{url}: no answer in {self.timeout:g} s"
                                                ) from exc
        except requests.RequestException as exc:
            raise exceptions.DownloadError(f"{url}: cannot be reached ({_short(exc)})") from exc
        if response.status_code >= 400:
            status = response.status_code
            reason = response.reason or ""
            response.close()
            raise exceptions.DownloadHTTPError(f"{url}: HTTP {status} {reason}".rstrip(), status)
        return self._chunks(response, url)

    def _chunks(self, response: requests.Response, url: str) -> Iterator[bytes]:
        began = time.monotonic()
        received = 0
        raw = response.raw
        try:
            while True:
                # read1: what has arrived (up to a chunk), so the speed below is checked
                # between the bytes of a dripping server too, not only once a chunk filled.
                chunk = raw.read1(self.chunk_size, decode_content=True)
                if not chunk:
                    return
                received += len(chunk)
                elapsed = time.monotonic() - began
                # Each read has its time-out; a server dripping a byte now and then never hits
                # it, so the answer as a whole must come at a minimal speed too.
                if elapsed > 2 * self.timeout and received < MIN_BYTES_PER_SECOND * elapsed:
                    raise exceptions.SlowRetrievalError(
                        f"{url}: {received} bytes in {elapsed:.0f} s: too slow")
                yield chunk
        except (urllib3.exceptions.TimeoutError, TimeoutError) as exc:
            raise exceptions.SlowRetrievalError(f"{url}: the answer stalled") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise exceptions.DownloadError(f"{url}: the answer broke off ({_short(exc)})"
                                           ) from exc
        finally:
            response.close()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    # -- local folders -----------------------------------------------------------------------

    def _fetch_file(self, path: Path, url: str) -> Iterator[bytes]:
        try:
            file = path.open("rb")
        except (FileNotFoundError, NotADirectoryError):
            raise exceptions.DownloadHTTPError(f"{path}: not found", 404) from None
        except PermissionError:
            raise exceptions.DownloadHTTPError(f"{path}: not allowed to read it", 403) from None
        except IsADirectoryError:
            raise exceptions.DownloadHTTPError(f"{path}: is a folder, not a file", 404) from None
        except (OSError, ValueError) as exc:
            raise exceptions.DownloadError(f"{path}: cannot be read ({exc})") from None
        return self._file_chunks(file, path)

    def _file_chunks(self, file: BinaryIO, path: Path) -> Iterator[bytes]:
        with file:
            while True:
                try:
                    chunk = file.read(self.chunk_size)
                except OSError as exc:  # a USB stick pulled out while it was read
                    raise exceptions.DownloadError(f"{path}: reading broke off ({exc})") from None
                if not chunk:
                    return
                yield chunk


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:300] + "…"
