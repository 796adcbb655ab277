"""The one-folder bundle (packaging/build.py): built, or reused while nothing it is made of changed,
then run as a person's PC would run it: from another folder, without PYTHONPATH or the virtual
environment, with a data folder of its own and the real keyring.

The Windows build itself (its programs, the installer) cannot run here: docs/windows.md says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.usefixtures("real_keyring"), pytest.mark.webengine, pytest.mark.keyring]


@pytest.fixture(scope="module")
def bundle() -> Path:
    built = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--reuse"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200, stdin=subprocess.DEVNULL,
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    folder = ROOT / "dist" / "yiduantong"
    assert (folder / "_internal").is_dir()
    return folder


def run(bundle: Path, name: str, args: list[str], where: Path) -> subprocess.CompletedProcess[str]:
    """One of the bundle's programs, started in ``where`` (its data folder too), in an
    environment that leads to no Python of the checkout: no PYTHONPATH, no virtual environment."""
    home = where / "home"
    env = {
        key: value for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")
    }
    env["PATH"] = os.pathsep.join(
        part for part in env.get("PATH", "").split(os.pathsep)
        if not Path(part).resolve().is_relative_to(ROOT)
    )
    env["LAUNCHER_HOME"] = str(home)
    env["LAUNCHER_MACHINE_DIR"] = str(where / "machine-wide")
    program = bundle / (f"{name}.exe" if os.name == "nt" else name)
    return subprocess.run(
        [str(program), *args], cwd=where, env=env, capture_output=True, text=True, timeout=240,
        stdin=subprocess.DEVNULL,
    )


def window_picture(path: Path) -> QImage:
    """The PNG of a window, checked to be one: large, and not blank."""
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert image.width() >= 800 and image.height() >= 500
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20
    return image


def test_the_bundle_checks_itself(bundle: Path, tmp_path: Path) -> None:
    """yiduantong-check: frozen, every launcher module and file from the bundle, the Chinese
    translations, Chromium's locales, the demo's entry point, the keyring and a rendered page."""
    shot = tmp_path / "web.png"
    result = run(bundle, "yiduantong-check", ["--screenshot", str(shot)], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line[:5] in ("ok   ", "FAIL ")]
    checked = {line[6:].split(":")[0] for line in lines}
    assert {"bundle", "modules", "resources", "demo county", "keyring", "translations",
            "web engine files", "web engine"} <= checked
    assert all(line.startswith("ok") for line in lines), result.stdout
    assert "keyring.backends.SecretService" in result.stdout
    page = QImage(str(shot))
    assert page.width() >= 600
    # The page's blue background, drawn by QtWebEngine's own process.
    assert page.pixelColor(page.width() - 5, 5).name() == "#1f5fbf"


def test_the_bundle_opens_the_demo_window_in_chinese_and_in_english(
    bundle: Path, tmp_path: Path
) -> None:
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    chinese = run(bundle, "yiduantong", ["--demo", "--screenshot", "zh.png"], tmp_path / "zh")
    assert chinese.returncode == 0, chinese.stderr
    english = run(bundle, "yiduantong", ["--demo", "--screenshot", "en.png", "--lang", "en"],
                  tmp_path / "en")
    assert english.returncode == 0, english.stderr
    zh = window_picture(tmp_path / "zh" / "zh.png")
    en = window_picture(tmp_path / "en" / "en.png")
    # The menu bar (账号 工作 … against Account Work …): a Chinese window that did not load its
    # translation would draw the English words there.
    width = min(zh.width(), en.width())
    differ = sum(zh.pixel(x, y) != en.pixel(x, y) for x in range(width) for y in range(24))
    assert differ > width * 24 // 50


def test_the_bundle_runs_a_command_on_the_demo_county(bundle: Path, tmp_path: Path) -> None:
    result = run(bundle, "yiduantong-cli", ["inbox", "--demo", "--json", "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 20
    assert {"demo.anquan", "demo.zhifa"} <= {p for row in rows for p in row["platforms"]}
    # Its log is in the data folder the environment named, not in the checkout.
    assert (tmp_path / "home" / "logs" / "launcher.log").is_file()
