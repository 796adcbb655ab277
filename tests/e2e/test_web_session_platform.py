"""A session-bound platform in the real window (docs/manifest.md, "Session-bound platforms"):
the demo county's RuoYi-style 网格化服务管理 (launcher_demo/ruoyi_app.py), whose API trusts only
the token its own web app keeps.

After the county sign-in on the identity provider's page, a hidden page signs the platform's web
app in (the county sign-in completes by itself) and the launcher reads the token from the web
app's localStorage: the platform's tasks reach the inbox, the session is in the keyring and
nowhere on disk, an expired one is renewed without a word, and a platform that refuses the
renewal shows "sign in again" on its tile.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.core.states import FailureReason, PlatformStatus, TileState
from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from launcher_demo.ruoyi_app import RUOYI_ID, TODOS
from tests.e2e.signin import LOAD_TIMEOUT, USER, log_out

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

OPEN_TITLES = {t.title for t in TODOS if t.owner == USER.username and t.status == "0"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCounty]:
    """A small county of its own: one single sign-on platform and the session-bound one."""
    with DemoCounty(directory=tmp_path_factory.mktemp("web-session-county"), platform_count=1,
                    legacy=False, session_platform=True) as county:
        yield county


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


def kept(window: MainWindow) -> dict[str, object] | None:
    """The platform's session as the keyring holds it for the signed-in person."""
    services = window.services
    assert services is not None
    raw = SecretStore(f"web-session/{services.county.id}").get(f"{RUOYI_ID}/{USER.username}")
    return json.loads(raw) if raw else None


def state(window: MainWindow) -> tuple[PlatformStatus, FailureReason | None]:
    found = window.inbox_presenter.platform_states()[RUOYI_ID]
    return found.state, found.reason


def refreshed(qtbot: QtBot, window: MainWindow) -> None:
    window.refresh([RUOYI_ID])
    qtbot.waitUntil(lambda: not window.refreshing(), timeout=LOAD_TIMEOUT)


def test_the_hidden_page_signs_the_platform_in(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    window = signed_in
    qtbot.waitUntil(lambda: state(window)[0] == PlatformStatus.CURRENT, timeout=LOAD_TIMEOUT)
    titles = {t.title for t in window.inbox_presenter.last_result.tasks
              if t.platform == RUOYI_ID}
    assert titles == OPEN_TITLES  # the done one ("1" in RuoYi's dictionary) left out
    # Signed in by a page nobody saw: no tab, no dialog.
    assert window.parts.platform_sessions.harvests == 1
    assert window.session.dialog is None
    # The token the web app keeps went to its API, and is kept in the keyring only.
    session = kept(window)
    assert session is not None
    token = session["token"]
    assert isinstance(token, str) and token in demo.ruoyi.issued()
    assert demo.ruoyi.api_tokens[-1] == token
    home = Path(os.environ["LAUNCHER_HOME"])
    on_disk = [p for p in home.rglob("*") if p.is_file() and token.encode() in p.read_bytes()]
    assert on_disk == []


def test_an_expired_session_is_renewed_silently(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    window = signed_in
    qtbot.waitUntil(lambda: kept(window) is not None, timeout=LOAD_TIMEOUT)
    old = kept(window)
    assert old is not None
    harvests = window.parts.platform_sessions.harvests
    demo.ruoyi.expire_tokens()  # its 30 minutes are over: {"code":401} in HTTP 200
    refreshed(qtbot, window)
    assert state(window) == (PlatformStatus.CURRENT, None)
    assert window.parts.platform_sessions.harvests == harvests + 1
    new = kept(window)
    assert new is not None and new["token"] != old["token"]
    assert demo.ruoyi.api_tokens[-2:] == [old["token"], new["token"]]
    assert window.session.dialog is None


def test_a_platform_refusing_the_renewal_shows_signed_out(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    window = signed_in
    qtbot.waitUntil(lambda: kept(window) is not None, timeout=LOAD_TIMEOUT)
    demo.ruoyi.refuse_sign_in = True
    try:
        demo.ruoyi.expire_tokens()
        refreshed(qtbot, window)
        assert state(window) == (PlatformStatus.FAILED, FailureReason.SIGNED_OUT)
        tile = window.tiles.tiles[RUOYI_ID]
        assert tile.state == TileState.NEEDS_SIGN_IN
        assert kept(window) is None  # the refused session is not kept
        assert window.session.dialog is None  # nothing was shown or asked
    finally:
        demo.ruoyi.refuse_sign_in = False
    refreshed(qtbot, window)  # the platform takes sign-ins again: signed in without a word
    assert state(window) == (PlatformStatus.CURRENT, None)


def test_sign_out_leaves_no_session_in_the_keyring(
    qtbot: QtBot, signed_in: MainWindow
) -> None:
    window = signed_in
    qtbot.waitUntil(lambda: kept(window) is not None, timeout=LOAD_TIMEOUT)
    services = window.services
    assert services is not None
    log_out(qtbot, window)
    assert SecretStore(f"web-session/{services.county.id}").names() == []
