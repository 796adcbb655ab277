"""The window is painted before the county opens and before what its first frame does not show
(sign-in, vault, Fill, mark-done, the profile form, the tray) is imported or built; all of it comes
right after, and a window that is never shown still opens its county.

The first check runs in a fresh process (the suite's own process has imported everything long
before), started the way `launcher --county FILE` starts the window (launcher.ui.app.open_window).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("real_keyring")

LATER = (
    "launcher.ui.session",
    "launcher.ui.vault",
    "launcher.ui.fill",
    "launcher.ui.mark_done",
    "launcher.ui.profile_form",
    "launcher.ui.tray",
    "launcher.core.services",  # imported by the worker that opens the county
)

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from launcher.ui.app import open_window
    from PySide6.QtCore import QEvent, QObject, QTimer

    LATER = sys.argv[2].split(",")
    app, window = open_window(Path(sys.argv[1]), lang="zh_CN", prompt_login=False)
    seen = {}

    def report(**values):
        print("RESULT " + json.dumps(values), flush=True)
        os._exit(0)

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if watched is window and event.type() == QEvent.Type.Paint and not seen:
                seen["painted"] = {"loaded": [m for m in LATER if m in sys.modules],
                                   "services": window.services is not None}
            return False

    def ready(services):
        profile = window.profile_view
        report(painted=seen.get("painted"), loaded=[m for m in LATER if m in sys.modules],
               profile_in_tab=window.tabs.widget(1).isAncestorOf(profile),
               tray_count_title=window.tray.count)

    probe = FirstPaint()
    window.installEventFilter(probe)
    window.services_ready.connect(ready)
    window.load_failed.connect(lambda text: report(error=text))
    QTimer.singleShot(60_000, lambda: report(error="timed out"))
    window.show()
    app.exec()
    """
)


def county_file(directory: Path) -> Path:
    county = directory / "county.toml"
    county.write_text(
        '[county]\nid = "lean-start"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
        '[[platforms]]\nplugin = "demo.anquan"\nbase_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    return county


def test_the_first_frame_comes_before_the_county_and_the_rest(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(county_file(tmp_path)), ",".join(LATER)],
        env={**os.environ, "LAUNCHER_HOME": str(tmp_path / "home")},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    result: dict[str, Any] | None = None
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
    assert result is not None, f"no result (exit {done.returncode}): {done.stderr[-3000:]}"
    assert "error" not in result, (result, done.stderr[-3000:])

    assert result["painted"] == {"loaded": [], "services": False}, (
        "imported or opened before the first paint"
    )
    assert result["loaded"] == list(LATER)
    assert result["profile_in_tab"] is True
    assert result["tray_count_title"] is None  # nobody signed in: no count


def test_a_window_never_shown_still_opens_its_county(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    window = MainWindow(county_file(tmp_path))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.services_ready, timeout=20_000):
        pass
    assert not window.isVisible()
    assert window.services is not None
    page = window.tabs.widget(1)
    assert page is not None and page.isAncestorOf(window.profile_view)
    assert window.login_action.isEnabled()  # nobody signed in: 登录 is offered
