"""A broken plugin manifest is named in the window; every other platform still loads."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow
from tests.demo_plugins import PLUGIN_DIRS


def test_broken_manifest_is_listed_and_the_rest_load(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    broken = tmp_path / "plugins" / "broken"
    broken.mkdir(parents=True)
    (broken / "manifest.toml").write_text(
        'schema = 1\nid = "county.broken"\nname = "坏平台"\nversion = "1"\nhome = "{base_url}/"\n'
        'origins = ["{base_url}"]\n[tasks]\nkind = "rest-json"\nurl = "{base_url}/t"\n'
        'fields = { deadline = "x" }\n',
        encoding="utf-8",
    )
    county = tmp_path / "county.toml"
    county.write_text(
        PLUGIN_DIRS + '[county]\nid = "problems"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
        '[[platforms]]\nplugin = "demo.anquan"\nbase_url = "http://127.0.0.1:9101"\n'
        '[[platforms]]\nplugin = "county.broken"\nbase_url = "http://127.0.0.1:9102"\n',
        encoding="utf-8",
    )
    window = MainWindow(county)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.services_ready, timeout=20_000):
        pass
    assert window.services is not None
    assert [p.id for p in window.services.registry.platforms] == ["demo.anquan"]
    errors = window.services.registry.errors
    assert any(
        str(broken / "manifest.toml") in e and "tasks.fields.deadline" in e for e in errors
    ), errors
    assert window.problems_action.isEnabled()
    assert "Loading problems" in window.statusBar().currentMessage()
