"""County packs in the real window: what a new pack changed is said in Chinese in a bar; a pack
published while no page is open is applied by opening the window again on it (the person sees
the new platform's tile); with a page open it waits for the next start; a hard block takes the
platform's tile and closes its page at once, a lifted one gives it back.

Real parts: packs built by archive.build_pack, a TUF repository made by repo.py served by a real
static web server (tests/integration/pack_repo_server.py), the launcher's window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.app import packs
from launcher.core.packs import repo as packrepo
from launcher.core.states import TileState
from launcher.ui.app import RESTART_EXIT_CODE
from launcher.ui.main_window import MainWindow
from tests.e2e.signin import launcher_window
from tests.integration.pack_repo_server import CountyRepo, install_settings, serve

V1 = {"anji.tasks": "1.0.0", "anji.old": "1.0.0"}
V2 = {"anji.tasks": "1.0.0", "anji.new": "1.0.0"}
TIMEOUT = 30_000


@pytest.fixture
def county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CountyRepo]:
    monkeypatch.setenv("LAUNCHER_MACHINE_DIR", str(tmp_path / "machine"))
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    packs.take_notices()
    repo = CountyRepo(tmp_path / "county").init(root_keys=1, threshold=1)
    repo.sign("1", V1, note="首个县平台包")
    with serve(repo.published) as server:
        install_settings(tmp_path / "machine", server.url,
                         repo.published / "bootstrap" / "root.json", machine=True)
        assert packs.check(stage=False).result.ok  # type: ignore[union-attr]
        yield repo
    packs.take_notices()


def opened(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.services is not None and window._parts is not None,
                    timeout=TIMEOUT)


def check(qtbot: QtBot, window: MainWindow) -> None:
    parts = window._parts
    assert parts is not None
    with qtbot.waitSignal(parts.pack_updates.checked, timeout=TIMEOUT):
        parts.pack_updates.check_now()


def test_a_new_pack_is_said_and_applied_when_no_page_is_open(
    qtbot: QtBot, qapp: QApplication, county: CountyRepo, tmp_path: Path
) -> None:
    county_file = packs.configured_county()
    assert county_file is not None
    with launcher_window(qapp, county_file, tmp_path / "home") as window:
        opened(qtbot, window)
        qtbot.waitUntil(lambda: window._pack_bar is not None and window.pack_bar.isVisible(),
                        timeout=TIMEOUT)
        assert "县平台包已更新到 1" in window.pack_bar.text()
        assert "首个县平台包" in window.pack_bar.text()
        assert sorted(window.tiles.tiles) == ["anji.old", "anji.tasks"]

        county.sign("2", V2, note="新增一个平台")
        parts = window._parts
        assert parts is not None
        # The window's own answer ends the application's event loop for run_gui to open the
        # next window: here the test's event loop goes on, and the exit code is noted instead.
        parts.pack_updates.restart.disconnect(window.restart_with)
        with qtbot.waitSignal(parts.pack_updates.restart, timeout=TIMEOUT) as restart:
            parts.pack_updates.check_now()
        [path] = restart.args
        assert Path(path).parent.name == "2"
        codes: list[int] = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(QApplication, "exit", staticmethod(codes.append))
            window.restart_with(Path(path))
        assert codes == [RESTART_EXIT_CODE] and window.next_county == Path(path)
        assert not window.isVisible()
        qapp.setQuitOnLastWindowClosed(True)

    with launcher_window(qapp, Path(path), tmp_path / "home") as again:
        opened(qtbot, again)
        qtbot.waitUntil(lambda: again._pack_bar is not None and again.pack_bar.isVisible(),
                        timeout=TIMEOUT)
        said = again.pack_bar.text()
        assert "县平台包已更新到 2" in said and "新增：平台 anji.new" in said
        assert "停用：平台 anji.old" in said and "新增一个平台" in said  # named from the old pack
        assert "已停用并从本机清除（三清）：平台 anji.old" in said  # its data cleared, a report
        assert sorted(again.tiles.tiles) == ["anji.new", "anji.tasks"]


def test_a_block_acts_at_once_and_with_a_page_open_a_new_pack_waits(
    qtbot: QtBot, qapp: QApplication, county: CountyRepo, tmp_path: Path
) -> None:
    county_file = packs.configured_county()
    assert county_file is not None
    with launcher_window(qapp, county_file, tmp_path / "home") as window:
        opened(qtbot, window)
        tab = window.open_web("http://127.0.0.1:9001/", "任务", platform_id="anji.tasks")

        # The kill switch: no new pack, and at once.
        packrepo.block(county.repo, county.keys, "anji.tasks", "1.0.0", "hard", "会重复提交",
                       contact="县大数据中心 0572-1234567")
        county.publish()
        check(qtbot, window)
        qtbot.waitUntil(lambda: tab not in window.web_tabs(), timeout=TIMEOUT)
        services = window.services
        assert services is not None and services.registry.get("anji.tasks") is None
        tile = window.tiles.tiles["anji.tasks"]
        assert tile.state == TileState.BLOCKED
        assert "会重复提交" in tile.toolTip() and "0572-1234567" in tile.toolTip()
        assert "会重复提交" in window.pack_bar.text()

        packrepo.unblock(county.repo, county.keys, "anji.tasks", "1.0.0")
        county.publish()
        check(qtbot, window)
        assert services.registry.get("anji.tasks") is not None
        assert window.tiles.tiles["anji.tasks"].state != TileState.BLOCKED

        # A new pack while a page is open waits for the next start.
        tab = window.open_web("http://127.0.0.1:9001/", "任务", platform_id="anji.tasks")
        county.sign("2", V2)
        check(qtbot, window)
        assert window.next_county is None and tab in window.web_tabs()
        assert "县平台包 2 已下载，下次启动时生效" in window.pack_bar.text()
        assert packs.staged() is not None
