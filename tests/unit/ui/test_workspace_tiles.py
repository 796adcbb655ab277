"""The tiles render the workspace (launcher/app/workspace.py): a change made anywhere, on any
thread, shows on the tiles; another person's platform states never do."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.core.auth.session import UserInfo
from launcher.core.inbox.service import PlatformState
from launcher.core.states import FailureReason, PlatformStatus, TileState
from launcher.ui.main_window import MainWindow

COUNTY = (
    '[county]\nid = "workspace-tiles"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
    '[[platforms]]\nplugin = "county.quiet"\nbase_url = "http://127.0.0.1:9"\n'
)
MANIFEST = (
    'schema = 1\nid = "county.quiet"\nname = "安静的平台"\nversion = "1"\n'
    'home = "{base_url}/"\norigins = ["{base_url}"]\n[auth]\nkind = "none"\n'
)
ZHANG = UserInfo(sub="zhang-sub", name="张伟", username="zhangwei")
LI = UserInfo(sub="li-sub", name="李娜", username="lina")
DOWN = PlatformState("county.quiet", PlatformStatus.FAILED, FailureReason.NETWORK,
                     "connection refused", None, 0)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    folder = tmp_path / "plugins" / "quiet"
    folder.mkdir(parents=True)
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    county = tmp_path / "county.toml"
    county.write_text(COUNTY, encoding="utf-8")
    window = MainWindow(county, prompt_login=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.services_ready, timeout=20_000):
        pass
    return window


def on_a_worker(work: object) -> None:
    thread = threading.Thread(target=work)  # type: ignore[arg-type]
    thread.start()
    thread.join()


def test_a_platform_state_set_on_a_worker_shows_on_its_tile(qtbot: QtBot, window: MainWindow):
    services = window.services
    assert services is not None
    tile = window.tiles.tiles["county.quiet"]
    window.sign_in_presenter.set_user(ZHANG)
    on_a_worker(lambda: services.workspace.signed_in(ZHANG))
    qtbot.waitUntil(lambda: tile.state == TileState.SIGNED_IN)

    on_a_worker(lambda: services.workspace.set_platforms({"county.quiet": DOWN}))
    qtbot.waitUntil(lambda: tile.state == TileState.FAILED)
    assert "connection refused" in tile.reason
    assert window.inbox_presenter.platform_states() == {"county.quiet": DOWN}


def test_another_persons_platform_states_never_show(qtbot: QtBot, window: MainWindow) -> None:
    services = window.services
    assert services is not None
    tile = window.tiles.tiles["county.quiet"]
    services.workspace.signed_in(ZHANG)
    services.workspace.set_platforms({"county.quiet": DOWN})
    window.sign_in_presenter.set_user(LI)  # on screen before the workspace knows of 李娜
    qtbot.wait(50)
    assert tile.state == TileState.SIGNED_IN and "connection refused" not in tile.reason
    assert window.inbox_presenter.platform_states() == {}
