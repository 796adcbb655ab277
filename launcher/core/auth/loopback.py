"""The loopback redirect listener of a native app's system-browser sign-in (RFC 8252 §7.3).

A one-shot HTTP server on ``127.0.0.1`` with a port the OS picks, waiting for the provider's
redirect to ``http://127.0.0.1:<port>/callback``. Only a GET to the callback path carrying the
sign-in's own ``state`` (known before the listener accepts its first connection) and ``code`` (or
``error``) is taken; anything else (a favicon, another path, a POST, another state, a request with
parameters missing or malformed, a second answer) gets an error page and the wait goes on, so no
other program on the machine can end the sign-in. A request that cannot even be read is answered
400 and noted in one debug line (no traceback). Whatever the page shows of the request is
HTML-escaped, the request line never reaches a log, and the server is shut down and its socket
closed when the listener closes, on every path out.
"""

from __future__ import annotations

import hmac
import html
import logging
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from launcher.core.errors import AuthError
from launcher.core.logmask import remember_secret
from launcher.core.states import AuthReason

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
_POLL = 0.1
"""Seconds between looks at the cancel event while waiting."""
_CONNECTION_TIMEOUT = 10.0
"""A browser connection that sends nothing (a speculative preconnect) is dropped after this."""
MAX_DETAIL_CHARS = 300
"""The provider's error description is echoed on the page up to this many characters."""

_DONE = (
    "登录完成，可以关闭此页并回到一端通。",
    "Signed in, you can close this page and return to 一端通.",
)
_FAILED = ("登录未完成。", "The sign-in did not complete.")
_NOT_HERE = ("这里没有页面。", "There is no page here.")


def _page(title: tuple[str, str], detail: str = "") -> bytes:
    """A small bilingual page; ``detail`` is untrusted text and is escaped here."""
    extra = f"<p><code>{html.escape(detail)}</code></p>" if detail else ""
    return (
        "<!doctype html><html lang=zh-CN><head><meta charset=utf-8>"
        f"<title>一端通 · {html.escape(title[1])}</title>"
        "<style>body{font-family:sans-serif;margin:3em auto;max-width:36em;line-height:1.6}"
        "</style></head><body>"
        f"<h1>{html.escape(title[0])}</h1><p lang=en>{html.escape(title[1])}</p>{extra}"
        "</body></html>"
    ).encode()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Closing must not wait for a connection a browser holds open without sending anything.
    block_on_close = False

    def __init__(self, listener: LoopbackListener) -> None:
        self.listener = listener
        super().__init__((HOST, 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback to stderr; a connection another program broke (or a
        # browser closed early) is worth one line, and never stops the sign-in.
        log.debug("loopback listener: a connection failed: %s", sys.exc_info()[0])


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = _CONNECTION_TIMEOUT
    server_version = "launcher"
    sys_version = ""

    def do_GET(self) -> None:
        try:
            status, body = self.server.listener._answer(self.path)
        except Exception as exc:  # a request line no parser expects: not the provider's answer
            log.debug("loopback listener: unreadable request (%s)", type(exc).__name__)
            status, body = HTTPStatus.BAD_REQUEST, _page(_FAILED, "not a sign-in answer")
        try:
            self._send(status, body)
        finally:
            if status is HTTPStatus.OK:
                # Only once the browser has its page: the caller may shut the server down then.
                self.server.listener._arrived.set()

    def do_POST(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, _page(_NOT_HERE))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_POST

    def do_HEAD(self) -> None:
        self._send(HTTPStatus.NOT_FOUND, b"")

    def _send(self, status: HTTPStatus, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        # The address bar holds the authorization code: no page this one links to may see it.
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.send_header("Connection", "close")
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        # http.server would print the request line, authorization code included, to stderr.
        log.debug("loopback listener: %s request answered", self.command)


class LoopbackListener:
    """``with LoopbackListener(state) as listener:`` then ``listener.redirect_uri`` and
    ``wait()``; only an answer carrying ``state`` (the sign-in's own) ends the wait."""

    def __init__(self, state: str, path: str = "/callback") -> None:
        if not path.startswith("/"):
            raise ValueError(f"the callback path must start with '/': {path!r}")
        if not state:
            raise ValueError("the listener needs the sign-in's state before it listens")
        self.path = path
        self._lock = threading.Lock()
        self._arrived = threading.Event()
        self._result: str | None = None
        self._state = state
        remember_secret(state)
        self._server: _Server | None = _Server(self)
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": _POLL},
            name="loopback-listener",
            daemon=True,
        )
        self._thread.start()

    @property
    def redirect_uri(self) -> str:
        return f"http://{HOST}:{self.port}{self.path}"

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def wait(self, timeout: float, cancel: threading.Event | None = None) -> str:
        """The full callback URL of the first valid answer; closes the listener in every case.

        Raises AuthError with reason ``expired`` when nothing arrives within ``timeout`` seconds and
        ``cancelled`` when ``cancel`` is set.
        """
        deadline = time.monotonic() + timeout
        try:
            while not self._arrived.is_set():
                if cancel is not None and cancel.is_set():
                    raise AuthError("the sign-in was cancelled", AuthReason.CANCELLED)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AuthError(
                        f"no sign-in answer reached the launcher within {timeout:g} s",
                        AuthReason.EXPIRED,
                    )
                self._arrived.wait(min(_POLL, left))
            assert self._result is not None
            return self._result
        finally:
            self.close()

    def close(self) -> None:
        """Stop serving and close the listening socket (idempotent)."""
        with self._lock:
            server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        self._thread.join()

    # -- called on the server's threads ---------------------------------------------------------

    def _answer(self, raw_path: str) -> tuple[HTTPStatus, bytes]:
        """The status and page for one GET; OK only for the answer the wait is for."""
        if not raw_path.startswith("/"):  # a browser asks for a path, only a proxy for a URL
            return HTTPStatus.BAD_REQUEST, _page(_FAILED, "not a sign-in answer")
        parts = urlsplit(raw_path)
        if parts.path != self.path:
            return HTTPStatus.NOT_FOUND, _page(_NOT_HERE)
        values = parse_qs(parts.query)
        if any(len(values.get(key, ())) > 1 for key in ("code", "state", "error", "iss")):
            return HTTPStatus.BAD_REQUEST, _page(_FAILED, "a parameter is given twice")
        params = {k: v[0] for k, v in values.items()}
        state = params.get("state")
        if not state or not (params.get("code") or params.get("error")):
            return HTTPStatus.BAD_REQUEST, _page(_FAILED, "missing state, code or error")
        with self._lock:
            if self._result is not None:
                return HTTPStatus.CONFLICT, _page(_FAILED, "this sign-in was already answered")
            if not hmac.compare_digest(state.encode(), self._state.encode()):
                return HTTPStatus.BAD_REQUEST, _page(_FAILED, "not the answer to this sign-in")
            self._result = f"{self.redirect_uri}?{parts.query}"
        if params.get("code"):
            remember_secret(params["code"])  # the answer's code: masked in every log line
        if params.get("error"):
            detail = params.get("error_description") or params["error"]
            return HTTPStatus.OK, _page(_FAILED, detail[:MAX_DETAIL_CHARS])
        return HTTPStatus.OK, _page(_DONE)
