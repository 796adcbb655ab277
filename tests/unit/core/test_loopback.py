"""The RFC 8252 loopback listener, driven with real HTTP requests on 127.0.0.1."""

from __future__ import annotations

import http.client
import logging
import socket
import threading
from urllib.parse import quote, urlsplit

import pytest

from launcher.core.auth.loopback import LoopbackListener
from launcher.core.errors import AuthError

STATE = "s1"
"""The sign-in's own state: the listener knows it before it accepts a connection."""


def request(port: int, target: str, method: str = "GET") -> tuple[int, str, dict[str, str]]:
    """One request straight to the listener (no proxy from the environment can get in between)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, target)
        response = conn.getresponse()
        body = response.read().decode("utf-8")
        return response.status, body, {k.lower(): v for k, v in response.getheaders()}
    finally:
        conn.close()


def assert_closed(port: int) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    # The port can be listened on again: the listening socket is closed, not merely idle.
    # (SO_REUSEADDR as any server sets it: the answered connections linger in TIME_WAIT.)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen()


def test_redirect_uri_is_loopback_with_a_free_port() -> None:
    with LoopbackListener(STATE) as listener:
        parts = urlsplit(listener.redirect_uri)
        assert parts.scheme == "http" and parts.hostname == "127.0.0.1"
        assert parts.port == listener.port and parts.port not in (None, 0, 80)
        assert parts.path == "/callback"
    assert_closed(listener.port)


def test_the_first_valid_answer_wins_and_the_page_says_signed_in() -> None:
    with LoopbackListener(STATE) as listener:
        status, body, headers = request(listener.port, "/callback?code=abc&state=s1&iss=x")
        assert status == 200
        assert "登录完成" in body and "Signed in, you can close this page" in body
        assert headers["content-type"] == "text/html; charset=utf-8"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
        # A second answer (a replay, a double click) does not replace the first.
        status, _, _ = request(listener.port, "/callback?code=other&state=s2")
        assert status == 409
        url = listener.wait(timeout=30)
    assert url == f"{listener.redirect_uri}?code=abc&state=s1&iss=x"
    assert_closed(listener.port)


def test_stray_requests_are_refused_and_the_wait_goes_on() -> None:
    listener = LoopbackListener(STATE)
    port = listener.port
    strays = [
        ("GET", "/favicon.ico", 404),
        ("GET", "/", 404),
        ("GET", "/callback/extra?code=a&state=b", 404),
        ("GET", "/other?code=a&state=b", 404),
        ("POST", "/callback?code=a&state=b", 405),
        ("GET", "/callback", 400),
        ("GET", "/callback?code=a", 400),
        ("GET", "/callback?state=b", 400),
        ("GET", "/callback?code=&state=b", 400),
        ("HEAD", "/callback?code=a&state=b", 404),
    ]
    for method, target, expected in strays:
        status, _, _ = request(port, target, method)
        assert status == expected, (method, target)
    # None of them ended the wait: it runs until its timeout.
    with pytest.raises(AuthError) as caught:
        listener.wait(timeout=0.5)
    assert caught.value.reason == "expired"
    assert_closed(port)


def test_a_valid_answer_after_strays_is_taken() -> None:
    with LoopbackListener(STATE) as listener:
        request(listener.port, "/favicon.ico")
        request(listener.port, "/callback?state=only")
        waiter: list[str] = []
        thread = threading.Thread(target=lambda: waiter.append(listener.wait(timeout=30)))
        thread.start()
        request(listener.port, "/callback?state=s1&code=c0de")
        thread.join()
    assert waiter == [f"{listener.redirect_uri}?state=s1&code=c0de"]


def test_an_answer_with_another_state_is_refused_from_the_first_connection() -> None:
    # Another program on the machine answers first, before the provider's discovery document is
    # even fetched: the listener knows the sign-in's state from the start, so it is refused.
    with LoopbackListener("mine") as listener:
        status, body, _ = request(listener.port, "/callback?code=x&state=forged")
        assert status == 400 and "登录未完成" in body
        status, _, _ = request(listener.port, "/callback?error=access_denied&state=forged")
        assert status == 400
        status, _, _ = request(listener.port, "/callback?code=y&state=mine")
        assert status == 200
        assert listener.wait(timeout=30).endswith("?code=y&state=mine")


def test_a_listener_without_the_state_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        LoopbackListener("")


def raw_exchange(port: int, data: bytes) -> bytes:
    """Send ``data`` as it is, then read what comes back until the listener closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
        return answer


MALFORMED = [
    b"GET http://[::1/callback?code=a&state=s1 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET http://a:b:c/callback?code=a&state=s1 HTTP/1.1\r\n\r\n",  # not a path
    b"GET /callback?code=a&state=%ff%fe%00 HTTP/1.1\r\n\r\n",
    b"GET /callback?code=a&state=s1&state=s2 HTTP/1.1\r\n\r\n",
    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 40,  # a TLS hello
    b"GARBAGE\r\n\r\n",
    b"G\xffT /callback HTTP/1.1\r\n\r\n",
    b"",  # connected and closed at once
]


def test_malformed_requests_get_a_plain_400_and_no_traceback(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with LoopbackListener(STATE) as listener:
        answers = [raw_exchange(listener.port, data) for data in MALFORMED]
        # A client that sends half a request and resets the connection.
        with socket.create_connection(("127.0.0.1", listener.port), timeout=10) as rude:
            rude.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            rude.sendall(b"GET /callback?code=a&st")
        # None of them ended the sign-in: the provider's answer still does.
        status, body, _ = request(listener.port, "/callback?code=good&state=s1")
        assert status == 200 and "登录完成" in body
        url = listener.wait(timeout=30)
    assert url.endswith("?code=good&state=s1")
    # Whatever was answered is an error status with the plain bilingual page, never a 200.
    for data, answer in zip(MALFORMED, answers, strict=True):
        assert not answer.startswith(b"HTTP/1.0 200"), data
    assert answers[0].startswith(b"HTTP/1.0 400") and "登录未完成".encode() in answers[0]
    assert answers[1].startswith(b"HTTP/1.0 400")
    assert answers[2].startswith(b"HTTP/1.0 400")
    assert answers[3].startswith(b"HTTP/1.0 400")  # two states: which one is meant?
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "Error" not in err
    assert "Traceback" not in caplog.text
    assert all(record.levelno <= logging.DEBUG for record in caplog.records)


def test_a_hostile_error_description_is_escaped() -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    with LoopbackListener(STATE) as listener:
        target = f"/callback?error=access_denied&state=s1&error_description={quote(hostile)}"
        status, body, headers = request(listener.port, target)
        assert status == 200
        assert "登录未完成" in body and "did not complete" in body
        assert "<script>" not in body and "<img" not in body
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img" in body
        assert "default-src 'none'" in headers["content-security-policy"]
        # The error answer ends the wait too: the caller reports the provider's refusal.
        url = listener.wait(timeout=30)
    assert "error=access_denied" in url


def test_a_hostile_path_is_not_echoed() -> None:
    with LoopbackListener(STATE) as listener:
        status, body, _ = request(listener.port, "/<script>alert(1)</script>")
        assert status == 404 and "<script>" not in body


def test_timeout_is_expired_and_closes() -> None:
    listener = LoopbackListener(STATE)
    with pytest.raises(AuthError) as caught:
        listener.wait(timeout=0.2)
    assert caught.value.reason == "expired"
    assert "0.2" in str(caught.value)
    assert_closed(listener.port)


def test_cancel_ends_the_wait_and_closes() -> None:
    listener = LoopbackListener(STATE)
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    with pytest.raises(AuthError) as caught:
        listener.wait(timeout=600, cancel=cancel)
    assert caught.value.reason == "cancelled"
    assert_closed(listener.port)


def test_an_exception_inside_the_block_closes_the_listener() -> None:
    with pytest.raises(RuntimeError), LoopbackListener(STATE) as listener:
        port = listener.port
        raise RuntimeError("the browser could not be started")
    assert_closed(port)


def test_close_is_idempotent_and_a_silent_connection_does_not_hold_it_open() -> None:
    listener = LoopbackListener(STATE)
    # A browser's speculative preconnect: a connection that never sends a request.
    idle = socket.create_connection(("127.0.0.1", listener.port), timeout=5)
    try:
        listener.close()
        listener.close()
        assert_closed(listener.port)
    finally:
        idle.close()


def test_the_code_never_reaches_the_log(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with LoopbackListener(STATE) as listener:
        request(listener.port, "/callback?code=SECRET-CODE-123&state=s1")
        listener.wait(timeout=30)
    assert "SECRET-CODE-123" not in caplog.text


def test_bad_path_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        LoopbackListener(STATE, path="callback")
