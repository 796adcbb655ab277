"""A platform on 127.0.0.1 for testing a plugin: answers what the test tells it to, and faults a real
county back-end shows on demand (a slow answer, an error status, a garbage body, a dropped
connection). A real HTTP server (the standard library's), so the plugin's own ``requests`` calls,
time-outs and error handling are what is tested."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["FAULTS", "Answer", "PlatformServer", "Request", "platform_server"]

FAULTS = ("slow", "status", "garbage", "drop")
"""What ``PlatformServer.fault`` can do to every answer."""
GARBAGE = b"\x89PNG\r\n\x1a\n<html>\x00\xff not what was asked for"


@dataclass
class Answer:
    """How one route answers."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    dynamic: Callable[[Request], tuple[int, Any]] | None = None
    """Made for each request instead (``PlatformServer.answer``)."""


@dataclass(frozen=True)
class Request:
    """A request the server got, for a test to look at."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class PlatformServer:
    """``server.json("/api/tasks", {...})``, then point the plugin at ``server.url``.

    A route is a path (``/api/tasks``) or a path and query (``/api/tasks?page=2``); any method.
    ``bearer``: when set, a request without ``Authorization: Bearer <bearer>`` gets 401.
    ``fault(kind, …)`` turns every answer into a fault until ``fault(None)``:

    - ``"slow"``: the answer comes after ``seconds`` (a platform that keeps a plugin waiting);
    - ``"status"``: every answer is ``status`` with the platform's error page;
    - ``"garbage"``: HTTP 200 with bytes that are neither JSON nor text;
    - ``"drop"``: the connection is closed without an answer.
    """

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[Request] = []
        self.bearer: str | None = None
        self._fault: tuple[str, float, int] | None = None
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        name="platform-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def json(self, route: str, data: Any, status: int = 200) -> None:
        self.routes[route] = Answer(status, json.dumps(data, ensure_ascii=False).encode())

    def raw(self, route: str, body: bytes, status: int = 200,
            content_type: str = "text/plain; charset=utf-8") -> None:
        self.routes[route] = Answer(status, body, content_type)

    def answer(self, route: str, make: Callable[[Request], tuple[int, Any]]) -> None:
        """``route`` answers ``make(request)``: (status, data sent as JSON). For platforms whose
        answer depends on the request's body (a cursor in a POSTed query)."""
        self.routes[route] = Answer(dynamic=make)

    def fault(self, kind: str | None, *, seconds: float = 5.0, status: int = 500) -> None:
        """Every answer from now on is the fault ``kind`` (one of ``FAULTS``); None: none."""
        if kind is not None and kind not in FAULTS:
            raise ValueError(f"not a fault: {kind!r} (known: {', '.join(FAULTS)})")
        self._fault = None if kind is None else (kind, seconds, status)

    def start(self) -> PlatformServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # a slow answer still waiting ends now
        self._httpd.shutdown()
        self._httpd.server_close()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(min(length, 10_000_000)) if length else b""
        request = Request(handler.command, parts.path, parse_qs(parts.query),
                          dict(handler.headers.items()), body)
        self.requests.append(request)
        answer = (self.routes.get(f"{parts.path}?{parts.query}") or self.routes.get(parts.path)
                  or Answer(404, b'{"msg": "not found"}'))
        if answer.dynamic is not None:
            status, data = answer.dynamic(request)
            answer = Answer(status, json.dumps(data, ensure_ascii=False).encode())
        if self.bearer is not None and (
                handler.headers.get("Authorization") != f"Bearer {self.bearer}"):
            answer = Answer(401, b'{"code": 401, "msg": "invalid token"}')
        fault = self._fault
        if fault is not None:
            kind, seconds, status = fault
            if kind == "drop":
                handler.close_connection = True
                handler.connection.shutdown(socket.SHUT_RDWR)
                return
            if kind == "slow":
                self._stop.wait(seconds)
            elif kind == "status":
                answer = Answer(status, b"<html><body>Internal Server Error</body></html>",
                                "text/html; charset=utf-8")
            elif kind == "garbage":
                answer = Answer(200, GARBAGE, "application/json; charset=utf-8")
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(answer.body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._answer(self)

            do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

            def handle(self) -> None:
                # The plugin may have given up waiting, as a time-out test wants it to.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
                    super().handle()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


@contextlib.contextmanager
def platform_server() -> Iterator[PlatformServer]:
    """A started PlatformServer, stopped at the end."""
    server = PlatformServer().start()
    try:
        yield server
    finally:
        server.stop()
