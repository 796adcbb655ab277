"""Serving WSGI apps on 127.0.0.1 with werkzeug in daemon threads.

The socket is bound (port 0: the OS picks a free port) before the app exists, because the apps need
each other's URLs: the IdP must know every platform's callback, every platform the issuer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

HOST = "127.0.0.1"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _QuietHandler(WSGIRequestHandler):
    """No access log: request lines carry authorization codes and states."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


class _Holder:
    """A WSGI app that forwards to the real one once it is set."""

    def __init__(self) -> None:
        self.app: WSGIApp | None = None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.app is None:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"starting"]
        return self.app(environ, start_response)


class LocalServer:
    """One threaded werkzeug server on 127.0.0.1; bind first, set the app, then start."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._holder = _Holder()
        self._server: BaseWSGIServer = make_server(
            HOST, 0, self._holder, threaded=True, request_handler=_QuietHandler
        )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def set_app(self, app: WSGIApp) -> None:
        self._holder.app = app

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            name=f"demo-{self.name}",
            kwargs={"poll_interval": 0.1},
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()
