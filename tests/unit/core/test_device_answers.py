"""Broken device authorization answers (RFC 8628 §3.2) get a clear message naming what is wrong.

A real provider never sends these, so a small real HTTP server on 127.0.0.1 plays a broken one
(discovery by GET, the device endpoint by POST); the good path runs against oidc-provider in
tests/oidc/test_device.py.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from launcher.core.auth.device import DeviceFlow
from launcher.core.auth.oidc import OidcClient
from launcher.core.errors import AuthError


class BrokenProvider:
    def __init__(self) -> None:
        self.device_status = 200
        self.device_body = b"{}"
        self.posted: list[str] = []
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = json.dumps(
                    {
                        "issuer": provider.url,
                        "authorization_endpoint": f"{provider.url}/auth",
                        "token_endpoint": f"{provider.url}/token",
                        "jwks_uri": f"{provider.url}/jwks",
                        "device_authorization_endpoint": f"{provider.url}/device/auth",
                    }
                ).encode()
                self._send(200, body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                provider.posted.append(self.rfile.read(length).decode())
                self._send(provider.device_status, provider.device_body)

            def _send(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def answer(self, body: Any, status: int = 200) -> None:
        self.device_status = status
        self.device_body = body if isinstance(body, bytes) else json.dumps(body).encode()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def provider() -> Iterator[BrokenProvider]:
    server = BrokenProvider()
    try:
        yield server
    finally:
        server.close()


GOOD = {
    "device_code": "dc-secret-1",
    "user_code": "ABCD-EFGH",
    "verification_uri": "https://idp.example/device",
    "expires_in": 600,
}


def test_a_good_answer_becomes_a_flow(provider: BrokenProvider) -> None:
    provider.answer(GOOD)
    client = OidcClient(provider.url, "launcher")
    answer = client.device_authorization(("openid", "a.tasks"), ("https://a/api", "https://b/api"))
    flow = DeviceFlow.from_answer(answer)
    assert flow.interval == 5  # RFC 8628's default when the provider names none
    assert flow.verification_uri_complete is None
    assert flow.qr_uri == "https://idp.example/device"
    assert time.time() + 500 < flow.expires_at <= time.time() + 600
    assert "dc-secret-1" not in repr(flow)
    sent = provider.posted[-1]
    assert "client_id=launcher" in sent and "scope=openid+a.tasks" in sent
    assert "resource=https%3A%2F%2Fa%2Fapi&resource=https%3A%2F%2Fb%2Fapi" in sent


@pytest.mark.parametrize(
    ("body", "status", "words", "reason"),
    [
        ({"error": "invalid_scope", "error_description": "no such scope"}, 400, "no such scope",
         "refused"),
        ({"error": "unauthorized_client"}, 400, "unauthorized_client", "refused"),
        ({k: v for k, v in GOOD.items() if k != "user_code"}, 200, "lacks user_code", "refused"),
        ({k: v for k, v in GOOD.items() if k != "verification_uri"}, 200, "verification_uri",
         "refused"),
        ({**GOOD, "expires_in": "soon"}, 200, "malformed expires_in or interval", "refused"),
        ({**GOOD, "interval": [1]}, 200, "malformed expires_in or interval", "refused"),
        # A fault at the provider, not a refusal: the person is told to try again later.
        (b"<html>busy</html>", 503, "answered 503, not JSON", "server"),
        (b"<html>hello</html>", 200, "answered 200, not JSON", "unreadable"),
        ([GOOD], 200, "not a JSON object", "refused"),
    ],
)
def test_a_broken_answer_is_refused_clearly(
    provider: BrokenProvider, body: Any, status: int, words: str, reason: str
) -> None:
    provider.answer(body, status)
    with pytest.raises(AuthError) as caught:
        OidcClient(provider.url, "launcher").device_authorization(("openid",))
    assert caught.value.reason == reason
    assert words in str(caught.value)


def test_an_unreachable_device_endpoint_is_a_network_error(provider: BrokenProvider) -> None:
    client = OidcClient(provider.url, "launcher")
    client.metadata()
    provider.close()
    with pytest.raises(AuthError) as caught:
        client.device_authorization(("openid",))
    assert caught.value.reason == "network"
