"""Screenshots of the main window on the screens township offices have, for docs/screens/.

    bash scripts/with-keyring.sh .venv/bin/python tools/screens.py [OUT_DIR]

Starts the demo county, then for each screen (1366×768 at 100 %, 125 % and 150 % scaling, and
1280×720) runs the window in a fresh process on a simulated screen of that size (Qt's offscreen
platform, QT_SCALE_FACTOR; the task bar taken off: tests/e2e/screen_fit.py), signed in as the
demo user, fitted to the screen as a maximised window, and saves what it shows in physical pixels
(a 150 % picture is 1366 pixels wide). The profile tab is saved too at 150 %, the smallest room.
1366×768 at 100 % is also taken with the largest text (1.5×: ``-text-150``) and with high
contrast (``-contrast``), each with its profile tab (the View menu's choices, saved before the
start). The same child process is what tests/e2e/test_small_screens.py checks.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from launcher_demo import DemoCounty  # noqa: E402 - after the path is set
from tests.e2e.screen_fit import screen_env  # noqa: E402

SCREENS = [
    (1366, 768, 1.0, ""),
    (1366, 768, 1.25, ""),
    (1366, 768, 1.5, ""),
    (1280, 720, 1.0, ""),
    (1366, 768, 1.0, "text-150"),
    (1366, 768, 1.0, "contrast"),
]
"""Width, height, scaling and look (tests/e2e/screen_fit.py's LOOKS: larger text, high contrast)."""
PROFILE_TOO = {(1366, 768, 1.5, ""), (1366, 768, 1.0, "text-150"), (1366, 768, 1.0, "contrast")}
CHILD = "import sys\nfrom tests.e2e.screen_fit import main_window_child\nmain_window_child(*sys.argv[1:])\n"


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screens-") as temp:
        work = Path(temp)
        with DemoCounty(directory=work / "county") as demo:
            for width, height, scale, look in SCREENS:
                name = f"{width}x{height}-{round(scale * 100)}" + (f"-{look}" if look else "")
                shot = work / f"{name}.png"
                env = {
                    **os.environ,
                    **screen_env(work, width, height, scale),
                    "LAUNCHER_HOME": str(work / f"home-{name}"),
                    "QTWEBENGINE_DISABLE_SANDBOX": "1",
                }
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, str(demo.county_path), str(shot), "zh_CN", look],
                    env=env,
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=300,
                )
                if not shot.exists() or '"error"' in done.stdout:
                    print(f"{name}: failed\n{done.stdout}\n{done.stderr[-2000:]}", file=sys.stderr)
                    return 1
                shutil.copyfile(shot, out / shot.name)
                print(out / shot.name)
                if (width, height, scale, look) in PROFILE_TOO:
                    profile = work / f"{name}-profile.png"
                    shutil.copyfile(profile, out / profile.name)
                    print(out / profile.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
