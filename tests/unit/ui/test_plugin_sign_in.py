"""The window and the plugin host: a plugin turned off for failing again and again gets another
chance when someone signs in (launcher/core/plugins/host.py turns it off for the session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.core.auth.session import UserInfo
from launcher.core.plugins.host import MAX_FAILURES
from launcher.ui.main_window import MainWindow

COUNTY = (
    '[county]\nid = "plugin-sign-in"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
    '[[platforms]]\nplugin = "county.flaky"\nbase_url = "http://127.0.0.1:9"\n'
)
MANIFEST = (
    'schema = 1\nid = "county.flaky"\nname = "总出错的平台"\nversion = "1"\n'
    'home = "{base_url}/"\norigins = ["{base_url}"]\n[auth]\nkind = "none"\n'
    '[tasks]\nkind = "python"\nentry = "tasks:make"\ntimeout = 5\n'
)
PLUGIN = """
class Source:
    def fetch(self, *, base_url, token, timeout):
        raise RuntimeError("the platform's API changed")

def make(platform):
    return Source()
"""


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))


def test_a_sign_in_turns_plugins_on_again(qtbot: QtBot, tmp_path: Path) -> None:
    folder = tmp_path / "plugins" / "flaky"
    folder.mkdir(parents=True)
    (folder / "manifest.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "tasks.py").write_text(PLUGIN, encoding="utf-8")
    county = tmp_path / "county.toml"
    county.write_text(COUNTY, encoding="utf-8")
    window = MainWindow(county, prompt_login=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.services_ready, timeout=20_000):
        pass
    services = window.services
    assert services is not None
    for _ in range(MAX_FAILURES):
        state = services.inbox.refresh().states["county.flaky"]
    assert state.reason == "disabled"
    assert "county.flaky" in services.inbox.disabled_plugins()

    with qtbot.waitSignal(window.refresh_finished, timeout=20_000):
        window.sign_in_presenter.signed_in_as(UserInfo(sub="u1", name="张伟", username="zhangwei"))
        assert services.inbox.disabled_plugins() == {}  # before the sign-in's refresh ran
    # The sign-in's refresh asked the plugin again: failing once is not yet turned off.
    assert window.last_result is not None
    assert window.last_result.states["county.flaky"].reason == "plugin"
