"""The platform's timeout as a deadline for a whole answer, whatever the server does.

requests' ``timeout`` bounds each wait on the socket, not the exchange: a server that sends its
body a byte at a time behind a Content-Length kept a 5 s refresh reading for 11 s, and its thread
went on after the refresh had given up. So every connection a source opens (or takes again from
its pool) while a ``Deadline`` is running on its thread is watched, and at the deadline a timer
shuts them all down: whatever the read, handshake or header it was waiting in returns at once,
and the ``Deadline`` turns what that raises into ``SourceError(reason=FailureReason.TIMEOUT)``.

The watching is done by ``DeadlineAdapter``, mounted on a source's ``requests.Session``
(``watched``); its connections are urllib3's own with one hook each, so TLS, proxies (HTTP
CONNECT) and keep-alive work as before. Name resolution is the operating system's and cannot be
cut short; the connect itself is bounded by requests' timeout, which is never more than what is
left of the deadline.

``capped_body`` is the other bound: a response hook that reads a body up to
``limits.MAX_ANSWER_BYTES`` and ``limits.MAX_ANSWER_VALUES`` before anything parses it, for
clients (caldav) that read the whole body themselves.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from launcher.core.errors import SourceError
from launcher.core.inbox.limits import MAX_ANSWER_BYTES, MAX_ANSWER_VALUES
from launcher.core.states import FailureReason

_CHUNK = 64 * 1024
_current = threading.local()


class Deadline:
    """``with Deadline(seconds, where):`` every connection opened or used again on this thread
    inside the block is shut down when ``seconds`` have passed; an exception the block raises
    after that is ``SourceError("<where>: the answer did not finish within <seconds> s",
    FailureReason.TIMEOUT)``."""

    def __init__(self, seconds: float, where: str) -> None:
        self.seconds = seconds
        self.where = where
        self.at = time.monotonic() + seconds
        self.expired = False
        self._ended = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._outer: Deadline | None = None

    def left(self) -> float:
        """Seconds until the deadline (0 or less once it passed)."""
        return self.at - time.monotonic()

    def check(self) -> None:
        """Raise the deadline's SourceError when it has passed."""
        if self.expired or self.left() <= 0:
            self.expired = True
            raise self.error()

    def error(self) -> SourceError:
        return SourceError(f"{self.where}: the answer did not finish within {self.seconds:.1f} s",
                           FailureReason.TIMEOUT)

    def __enter__(self) -> Deadline:
        self._outer = getattr(_current, "deadline", None)
        _current.deadline = self
        self._timer = threading.Timer(max(self.left(), 0.0), self._expire)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        with self._lock:
            self._ended = True
            self._sockets.clear()  # kept-alive connections go back to the pool, not closed
        if self._timer is not None:
            self._timer.cancel()
        _current.deadline = self._outer
        if (isinstance(exc, Exception) and self.expired
                and not (isinstance(exc, SourceError) and exc.reason is FailureReason.TIMEOUT)):
            # The connection was cut at the deadline: whatever broke is the deadline's doing.
            raise self.error() from None

    def watch(self, sock: socket.socket | None) -> None:
        """Shut ``sock`` down at the deadline (at once when it has passed)."""
        if sock is None:
            return
        with self._lock:
            if self._ended:
                return
            if not self.expired:
                if not any(s is sock for s in self._sockets):
                    self._sockets.append(sock)
                return
        _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._ended:
                return
            self.expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # shutdown, not close: it wakes a read blocked in another thread at once (close may not), and
    # the file descriptor stays that thread's to close, so it can never be reused under it.
    with contextlib.suppress(OSError):  # already closed, or never connected
        sock.shutdown(socket.SHUT_RDWR)


def _watch(sock: socket.socket | None) -> None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


class _Watched(HTTPConnection):
    """urllib3's connection, its socket watched by the running Deadline of its thread."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _watch(sock)  # before a TLS handshake or a proxy CONNECT can drip
        return sock

    def connect(self) -> None:
        super().connect()
        _watch(self.sock)  # the TLS socket, when the plain one was wrapped

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)  # a kept-alive connection used again (None: connects in request)
        super().request(*args, **kwargs)


class _WatchedTLS(_Watched, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Watched


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedTLS


_POOLS = {"http": _Pool, "https": _TLSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose connections a running ``Deadline`` watches."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools are their own classes
            manager.pool_classes_by_scheme = _POOLS
        return manager


def watched(session: requests.Session) -> requests.Session:
    """``session`` with ``DeadlineAdapter`` mounted for http and https; returns it."""
    for prefix in ("http://", "https://"):
        session.mount(prefix, DeadlineAdapter())
    return session


def read_capped(answer: requests.Response, where: str,
                deadline: Deadline | None = None) -> bytes:
    """The body of a streamed ``answer``, refused as ``unreadable`` beyond MAX_ANSWER_BYTES."""
    length = answer.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > MAX_ANSWER_BYTES:
        raise _too_large(where)  # said before a byte of it is read
    chunks: list[bytes] = []
    size = 0
    for chunk in answer.iter_content(_CHUNK):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise _too_large(where)
        if deadline is not None:
            deadline.check()
        chunks.append(chunk)
    return b"".join(chunks)


def check_values(body: bytes, where: str, markers: tuple[bytes, ...]) -> None:
    """Refuse as ``unreadable`` a body with more than MAX_ANSWER_VALUES ``markers`` (counted
    in C, before anything parses it)."""
    count = 0
    for marker in markers:
        count += body.count(marker)
        if count > MAX_ANSWER_VALUES:
            raise SourceError(f"{where}: the answer holds more than {MAX_ANSWER_VALUES:,} values; "
                              "a task list is far smaller (is the address right?)",
                              FailureReason.UNREADABLE)


JSON_VALUES = (b"{", b"[", b",")
"""Every JSON container, list item and object member but the first of each follows one."""
XML_AND_ICALENDAR_VALUES = (b"<", b"\n")
"""Every XML element starts with one; every iCalendar property is a line."""


def capped_body(where: str) -> Callable[..., requests.Response]:
    """A ``requests`` response hook that reads a non-streamed body within MAX_ANSWER_BYTES and
    MAX_ANSWER_VALUES XML elements and iCalendar lines, before the client parses it."""

    def hook(answer: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        if kwargs.get("stream"):
            return answer
        deadline: Deadline | None = getattr(_current, "deadline", None)
        body = read_capped(answer, where, deadline)
        check_values(body, where, XML_AND_ICALENDAR_VALUES)
        # What Response.content would have read, so the client reads no more from the socket.
        answer._content = body
        answer._content_consumed = True  # type: ignore[attr-defined]
        return answer

    return hook


def _too_large(where: str) -> SourceError:
    return SourceError(f"{where}: the answer is larger than "
                       f"{MAX_ANSWER_BYTES // (1024 * 1024)} MB", FailureReason.UNREADABLE)
