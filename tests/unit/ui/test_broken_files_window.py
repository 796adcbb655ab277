"""The window with broken or hostile county files and manifests: a message naming the file, shown as
plain text, never a crash; and the background refresh as the county file says."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from launcher.core.auth.session import UserInfo
from launcher.ui.main_window import MainWindow
from tests.demo_plugins import PLUGIN_DIRS

COUNTY = (
    '[county]\nid = "broken-files"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
    '[[platforms]]\nplugin = "demo.anquan"\nbase_url = "http://127.0.0.1:9101"\n'
)
HOSTILE = '<img src="/dev/zero">'


def open_window(qtbot: QtBot, county: Path) -> MainWindow:
    window = MainWindow(county, prompt_login=False)
    qtbot.addWidget(window)
    return window


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))


@pytest.mark.parametrize(
    "text",
    [
        "x = " + "[" * 3000 + "]" * 3000 + "\n" + COUNTY,  # RecursionError before
        COUNTY.replace('"broken-files"', f"'{HOSTILE}'"),
        COUNTY.replace('issuer = "http://127.0.0.1:9"', f"issuer = '{HOSTILE}'"),
    ],
)
def test_a_broken_county_file_is_named_in_plain_text(
    qtbot: QtBot, tmp_path: Path, text: str, caplog: pytest.LogCaptureFixture
) -> None:
    county = tmp_path / "county.toml"
    county.write_text(text, encoding="utf-8")
    window = open_window(qtbot, county)
    with qtbot.waitSignal(window.load_failed, timeout=20_000) as failed:
        pass
    message = str(failed.args[0])
    assert str(county) in message and "Traceback" not in message
    assert "RecursionError" not in message
    label = window.inbox.empty
    assert isinstance(label, QLabel)
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert str(county) in label.text()
    # The log (and the terminal) get the message too, without a traceback.
    logged = [r for r in caplog.records if str(county) in r.getMessage()]
    assert logged and not any(r.exc_info for r in logged)


def test_the_problem_list_shows_a_hostile_manifest_as_plain_text(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = tmp_path / "plugins" / "hostile"
    plugin.mkdir(parents=True)
    (plugin / "manifest.toml").write_text(
        'schema = 1\nid = "county.hostile"\nname = "x"\nversion = "1"\n'
        f"home = '{HOSTILE}'\norigins = [\"{{base_url}}\"]\n",
        encoding="utf-8",
    )
    county = tmp_path / "county.toml"
    county.write_text(PLUGIN_DIRS + COUNTY + '[[platforms]]\nplugin = "county.hostile"\n'
                      'base_url = "http://127.0.0.1:9102"\n', encoding="utf-8")
    window = open_window(qtbot, county)
    with qtbot.waitSignal(window.services_ready, timeout=20_000):
        pass
    assert window.services is not None
    assert [p.id for p in window.services.registry.platforms] == ["demo.anquan"]
    shown: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:  # instead of waiting for a click
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    window.show_problems()
    (box,) = shown
    assert box.textFormat() == Qt.TextFormat.PlainText
    informative = box.findChild(QLabel, "qt_msgbox_informativelabel")
    assert informative is not None and HOSTILE in informative.text()
    assert informative.textFormat() == Qt.TextFormat.PlainText
    assert str(plugin / "manifest.toml") in informative.text()


@pytest.mark.parametrize(
    ("inbox", "interval"),
    [("", 10 * 60_000), ("[inbox]\nrefresh_minutes = 1440\n", 1440 * 60_000),
     ("[inbox]\nbackground_refresh = false\n", None)],
)
def test_the_background_refresh_follows_the_county_file(
    qtbot: QtBot, tmp_path: Path, inbox: str, interval: int | None
) -> None:
    county = tmp_path / "county.toml"
    county.write_text(PLUGIN_DIRS + COUNTY + inbox, encoding="utf-8")
    window = open_window(qtbot, county)
    with qtbot.waitSignal(window.services_ready, timeout=20_000):
        pass
    # What a sign-in does once the user is known (the refresh itself fails: nothing listens).
    window.sign_in_presenter.set_user(UserInfo(sub="u1", name="张伟", username="zhangwei"))
    timer = window.inbox_presenter.timer
    if interval is None:
        assert not timer.isActive()  # before: 0 * 60_000 ms, a refresh loop
    else:
        assert timer.isActive() and timer.interval() == interval
