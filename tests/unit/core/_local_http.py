"""A real HTTP server on 127.0.0.1 for the inbox and autofill tests, with misbehaviours on demand.

Each route answers one way: JSON, raw bytes, HTML, or a fault a real platform shows (holding the
answer back, closing the connection without a word, cutting the body short).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    """None, "hold" (answer only when released), "drop" (close, no answer), "cut" (half a body),
    "trickle" (the body a byte every 50 ms until released: each wait short, the whole endless)."""
    bearer: str | None = None
    """When set, any other Authorization than ``Bearer <bearer>`` gets 401 (a token check)."""


@dataclass
class Seen:
    path: str
    query: str
    headers: dict[str, str]
    method: str = "GET"
    body: bytes = b""


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                server.seen.append(Seen(parts.path, parts.query, dict(self.headers.items()),
                                        self.command, body))
                # A route may be for one query ("/api/tasks?page=2"), else for the path.
                route = server.routes.get(f"{parts.path}?{parts.query}") or server.routes.get(
                    parts.path)
                if route is None:
                    route = Route(404, b'{"error": "not found"}')
                if route.bearer is not None and (
                        self.headers.get("Authorization") != f"Bearer {route.bearer}"):
                    route = Route(401, b'{"error": "invalid_token"}')
                if route.fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if route.fault == "hold":
                    # Bounded, so a test that forgets to release still ends.
                    server.release.wait(30)
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if route.fault == "cut":
                    self.wfile.write(route.body[: len(route.body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if route.fault == "trickle":
                    for byte in route.body:
                        if server.release.wait(0.05):
                            break
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(route.body)

            # Every method is answered from the same routes (a mark-done POST, PATCH ...).
            do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

            def handle(self) -> None:
                # The client may have given up waiting, as the timeout tests want it to.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    super().handle()

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output quiet

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # A short poll interval only makes shutdown() quick; requests are served as they come.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def json(self, path: str, data: Any, status: int = 200, fault: str | None = None) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.routes[path] = Route(status, body, fault=fault)

    def raw(self, path: str, body: bytes, status: int = 200,
            content_type: str = "application/json; charset=utf-8", fault: str | None = None,
            headers: dict[str, str] | None = None) -> None:
        self.routes[path] = Route(status, body, content_type, headers or {}, fault)

    def html(self, path: str, text: str) -> None:
        self.raw(path, text.encode("utf-8"), content_type="text/html; charset=utf-8")

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def closed_port_url() -> str:
    """The URL of a loopback port nobody listens on: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
