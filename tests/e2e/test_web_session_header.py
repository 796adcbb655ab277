"""A session-bound platform whose web app receives its token in a response header
(``[auth.session] token = { header = "X-Token", url = … }``, docs/manifest.md), in the real window.

The demo county's RuoYi-style 网格化服务管理 (launcher_demo/ruoyi_app.py) set up so: its page's
script asks ``/prod-api/getInfo`` for the user and keeps the token of that answer's ``X-Token``
header in memory only (no token cookie, nothing in storage). The hidden page notes the header as
the web app's script fetches (launcher/ui/hidden_page.py): the platform's tasks reach the inbox
with that token, whether the web app asks by XMLHttpRequest or by ``fetch``, and an expired one
is renewed without a word. And the hidden page alone: of two origins answering with the header,
only the platform's is noted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.core.states import FailureReason, PlatformStatus
from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from launcher_demo.county import PLUGINS_DIR
from launcher_demo.ruoyi_app import RUOYI_ID, RUOYI_SHORT, TODOS, manifest_toml
from tests.e2e.signin import LOAD_TIMEOUT, USER

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

HEADER = "X-Token"
OPEN_TITLES = {t.title for t in TODOS if t.owner == USER.username and t.status == "0"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCounty]:
    """A county of one single sign-on platform and the session-bound one, its token in a header."""
    with DemoCounty(directory=tmp_path_factory.mktemp("header-token-county"), platform_count=1,
                    legacy=False, session_platform=True) as county:
        county.ruoyi.token_header = HEADER
        manifest = county.directory / PLUGINS_DIR / RUOYI_SHORT / "manifest.toml"
        manifest.write_text(manifest_toml(token_header=HEADER), encoding="utf-8")
        yield county


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


def kept_token(window: MainWindow) -> str | None:
    """The platform's token as the keyring holds it for the signed-in person."""
    services = window.services
    assert services is not None
    raw = SecretStore(f"web-session/{services.county.id}").get(f"{RUOYI_ID}/{USER.username}")
    return json.loads(raw)["token"] if raw else None


def state(window: MainWindow) -> tuple[PlatformStatus, FailureReason | None]:
    found = window.inbox_presenter.platform_states()[RUOYI_ID]
    return found.state, found.reason


def ruoyi_titles(window: MainWindow) -> set[str]:
    return {t.title for t in window.inbox_presenter.last_result.tasks if t.platform == RUOYI_ID}


def test_the_header_token_of_an_xhr_answer(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    window = signed_in
    qtbot.waitUntil(lambda: state(window)[0] == PlatformStatus.CURRENT, timeout=LOAD_TIMEOUT)
    assert ruoyi_titles(window) == OPEN_TITLES
    assert window.parts.platform_sessions.harvests == 1
    token = kept_token(window)
    assert token is not None and token in demo.ruoyi.issued()
    assert demo.ruoyi.api_tokens[-1] == token
    assert window.session.dialog is None


def test_the_header_token_of_a_fetch_answer(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    window = signed_in
    qtbot.waitUntil(lambda: kept_token(window) is not None, timeout=LOAD_TIMEOUT)
    old = kept_token(window)
    harvests = window.parts.platform_sessions.harvests
    demo.ruoyi.token_by_fetch = True
    try:
        demo.ruoyi.expire_tokens()  # the platform's session is over: signed in again, silently
        window.refresh([RUOYI_ID])
        qtbot.waitUntil(lambda: not window.refreshing(), timeout=LOAD_TIMEOUT)
        assert state(window) == (PlatformStatus.CURRENT, None)
    finally:
        demo.ruoyi.token_by_fetch = False
    assert window.parts.platform_sessions.harvests == harvests + 1
    new = kept_token(window)
    assert new is not None and new != old and demo.ruoyi.api_tokens[-1] == new
    assert ruoyi_titles(window) == OPEN_TITLES


# -- the hidden page alone, against two local origins -------------------------------------------


class _Answers(BaseHTTPRequestHandler):
    """A page whose script asks its own origin and another one (which lets it read the header)
    for ``/info``; both answers carry ``X-Token`` (the server's ``token``)."""

    def do_GET(self) -> None:
        if self.path.startswith("/info"):
            self.server.asked.set()  # type: ignore[attr-defined]
            body = b"{}"
            self.send_response(200)
            self.send_header(HEADER, self.server.token)  # type: ignore[attr-defined]
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Expose-Headers", HEADER)
        else:
            other = self.server.other  # type: ignore[attr-defined]
            body = (f"<!doctype html><script>fetch('{other}/info');"
                    "var r = new XMLHttpRequest(); r.open('GET', '/info?xhr=1'); r.send();"
                    "</script>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def two_origins() -> Iterator[tuple[str, str]]:
    servers = [ThreadingHTTPServer(("127.0.0.1", 0), _Answers) for _ in range(2)]
    urls = [f"http://127.0.0.1:{server.server_address[1]}" for server in servers]
    for server, token, other in zip(servers, ("own-token", "other-token"), reversed(urls),
                                    strict=True):
        server.token, server.other = token, other  # type: ignore[attr-defined]
        server.asked = threading.Event()  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield urls[0], urls[1]
    assert all(server.asked.is_set() for server in servers)  # type: ignore[attr-defined]
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_hidden_page_notes_its_platforms_origins_only(
    qtbot: QtBot, qapp: QApplication, two_origins: tuple[str, str]
) -> None:
    from PySide6.QtWebEngineCore import QWebEngineProfile

    from launcher.ui.hidden_page import HiddenPage

    own, _ = two_origins
    profile = QWebEngineProfile()
    page = HiddenPage(profile)
    try:
        page.note_header(HEADER, (f"{own}",))
        with qtbot.waitSignal(page.loadFinished, timeout=LOAD_TIMEOUT):
            page.load(QUrl(f"{own}/"))
        noted: list[list[tuple[str, str]]] = []

        def look() -> bool:
            page.read_noted(noted.append)
            return bool(noted and noted[-1])

        qtbot.waitUntil(look, timeout=LOAD_TIMEOUT)
        qtbot.wait(500)  # the other origin's answer has had its time to arrive
        noted.clear()
        qtbot.waitUntil(look, timeout=LOAD_TIMEOUT)
        # The other origin's answer carried the header too, readable by the page: not noted.
        assert noted[-1] == [(f"{own}/info?xhr=1", "own-token")]
    finally:
        with qtbot.waitSignal(page.destroyed, timeout=LOAD_TIMEOUT):
            page.deleteLater()
        profile.deleteLater()
