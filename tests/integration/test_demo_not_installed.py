"""The launcher without its demo county (the optional extra ``demo`` not installed): every other
county works, on the command line and in the window, and ``--demo`` says what to install instead of
failing with a traceback.

"Not installed" is made two ways, each in a new process whose imports go through a blocker: Flask
missing (the package is there, its extra's dependencies are not: a plain ``pip install`` of the
launcher) and launcher_demo itself missing. The window's message is checked in this process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from launcher.core.demo import INSTALL_COMMAND
from launcher.main import main
from launcher_demo import DemoCounty, sign_in
from tests.fresh_process import run_fresh
from tests.oidc.launcher_cli import county_copy

pytestmark = pytest.mark.usefixtures("real_keyring")

COUNTY = "demo-absent"  # its own keyring entries and data folder, apart from other tests'
MESSAGE = f"the demo county is not installed: {INSTALL_COMMAND}"
BOTH = "flask,launcher_demo"

BLOCKER = textwrap.dedent(
    """
    import atexit, importlib.abc, sys

    BLOCKED = tuple(sys.argv.pop(1).split(","))
    ATTEMPTS = []

    class Blocker(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                ATTEMPTS.append(name)
                raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
            return None

    sys.meta_path.insert(0, Blocker())
    """
)
CLI = BLOCKER + textwrap.dedent(
    """
    atexit.register(lambda: print("BLOCKED-IMPORTS " + ",".join(ATTEMPTS), file=sys.stderr))
    from launcher.main import main
    sys.exit(main(sys.argv[1:]))
    """
)
WINDOW = BLOCKER + textwrap.dedent(
    """
    import json, os
    from pathlib import Path
    from PySide6.QtCore import QTimer
    from launcher.ui.app import open_window

    app, window = open_window(Path(sys.argv[1]), lang="zh_CN", prompt_login=False)
    seen = {"rows": 0}

    def report(**values):
        print("RESULT " + json.dumps(values), flush=True)
        os._exit(0)

    def refreshed(ok):
        report(ok=ok, rows=seen["rows"], user=window.user.name if window.user else None,
               tiles=sorted(window.tiles.tiles), blocked=ATTEMPTS)

    window.inbox_updated.connect(lambda rows: seen.__setitem__("rows", max(seen["rows"], rows)))
    window.refresh_finished.connect(refreshed)
    window.load_failed.connect(lambda text: report(error=text))
    QTimer.singleShot(90_000, lambda: report(error="timed out"))
    window.show()
    app.exec()
    """
)


def without_demo(blocked: str, args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """``launcher ARGS`` in a new process in which the ``blocked`` packages cannot be imported."""
    return subprocess.run(
        [sys.executable, "-c", CLI, blocked, *args],
        env={**os.environ, "LAUNCHER_HOME": str(home)},
        text=True,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("blocked", ["flask", "launcher_demo"])
def test_demo_says_it_is_not_installed(blocked: str, tmp_path: Path) -> None:
    picture = tmp_path / "demo.png"
    for args in (["inbox", "--demo", "--json"], ["--demo", "--screenshot", str(picture)]):
        result = without_demo(blocked, args, tmp_path / "home")
        assert result.returncode == 1, result.stderr
        assert f"launcher: {MESSAGE}\n" in result.stderr
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
    assert not picture.exists()
    # An option of the demo county says so too (argparse's usage error).
    result = without_demo(blocked, ["inbox", "--demo", "--demo-platforms", "30"], tmp_path)
    assert result.returncode == 2
    assert MESSAGE in result.stderr and "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """A county (the demo county's servers under a county file of its own) signed in, in this
    process, for the launcher without the demo to use: (county file, LAUNCHER_HOME)."""
    from launcher.app.services import Services

    base = tmp_path_factory.mktemp("absent")
    home = base / "home"
    with DemoCounty(directory=base / "county") as demo, pytest.MonkeyPatch.context() as patch:
        county = county_copy(demo, COUNTY, base)
        patch.setenv("LAUNCHER_HOME", str(home))
        services = Services.open(county)
        try:
            sign_in(services.auth)
            yield county, home
        finally:
            services.auth.wipe_local()  # no session left in the keyring for other tests
            services.close()


def test_the_command_line_runs_a_county_without_the_demo(signed_in: tuple[Path, Path]) -> None:
    county, home = signed_in
    result = without_demo(BOTH, ["inbox", "--county", str(county), "--json"], home)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {p for row in rows for p in row["platforms"]} >= {"demo.anquan", "demo.laji"}
    assert "launcher: demo." not in result.stderr  # every platform answered
    assert "BLOCKED-IMPORTS \n" in result.stderr  # nothing even tried to import the demo


def test_the_window_runs_a_county_without_the_demo(signed_in: tuple[Path, Path]) -> None:
    county, home = signed_in
    result = run_fresh(WINDOW, BOTH, str(county), env={"LAUNCHER_HOME": str(home)})
    assert result["ok"] is True
    assert result["user"] == "张伟"
    assert result["rows"] > 0
    assert "demo.anquan" in result["tiles"]
    assert result["blocked"] == []


def answer_message_box(seen: list[dict[str, object]]) -> None:
    """Note what the next message box says, then close it (from inside its event loop)."""

    def close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, close)
            return
        seen.append({
            "title": box.windowTitle(),
            "text": box.text(),
            "more": box.informativeText(),
            "buttons": box.standardButtons(),
        })
        box.done(0)

    QTimer.singleShot(0, close)


def unimportable_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    """launcher_demo cannot be imported in this process until the test ends."""
    for name in [m for m in sys.modules if m.split(".")[0] == "launcher_demo"]:
        monkeypatch.setitem(sys.modules, name, None)  # type: ignore[arg-type]
    monkeypatch.setitem(sys.modules, "launcher_demo", None)  # type: ignore[arg-type]


def test_the_window_says_the_demo_is_not_installed(
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path))
    unimportable_demo(monkeypatch)
    seen: list[dict[str, object]] = []
    answer_message_box(seen)
    assert main(["--demo", "--lang", "zh_CN"]) == 1
    assert len(seen) == 1
    # In the person's language (Chinese here, once the translations have the strings).
    assert seen[0]["title"] == QCoreApplication.translate("FirstRun", "Demo county not installed")
    assert seen[0]["text"] == QCoreApplication.translate(
        "FirstRun", "The demo county is not installed on this computer."
    )
    assert INSTALL_COMMAND in str(seen[0]["more"])
    assert f"launcher: {MESSAGE}" in capsys.readouterr().err


def test_the_first_start_offers_no_demo_that_is_not_installed(
    qtbot: QtBot,
    qapp: QApplication,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path))  # no county.toml there
    unimportable_demo(monkeypatch)
    seen: list[dict[str, object]] = []
    answer_message_box(seen)
    assert main(["--lang", "zh_CN"]) == 0
    assert len(seen) == 1
    assert str(tmp_path / "county.toml") in str(seen[0]["more"])
    assert seen[0]["buttons"] == QMessageBox.StandardButton.Ok  # no "open the demo county"
