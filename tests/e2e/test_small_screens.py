"""The window on the screens township offices have: 1366×768 at 100 %, 125 % and 150 % scaling
(Windows' default on many laptops) and 1280×720; the sign-in dialogs at 200 %.

Each size runs in a fresh process (tests/e2e/screen_fit.py): the scaling is read once, when the
QApplication is made. The demo county (real provider and platforms, real keyring) signs in the
scripted way, the window fits the screen's free area as a maximised window does, and every control
a user needs must be shown whole inside it: the view buttons, the platform filter, the search box,
标记完成, 详情, the table with its 截止 and 状态 columns on screen (no horizontal scroll bar), the
tiles, the status bar and the profile's 保存. Before, the window could not be narrower than about
1,255 px: at 150 % the search box, 标记完成 and the last columns were cut off; its first height
(800 px) put the status bar and 保存 below a 768-pixel screen; and the sign-in dialog (720 px tall)
put its buttons off a 200 % screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from launcher_demo import DemoCounty
from tests.e2e.screen_fit import TITLE_BAR, screen_env
from tests.fresh_process import run_fresh

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

MAIN_WINDOW = (
    "import sys\n"
    "from tests.e2e.screen_fit import main_window_child\n"
    "main_window_child(sys.argv[1], sys.argv[2], 'zh_CN', sys.argv[3])\n"
)
LOGIN_DIALOGS = "from tests.e2e.screen_fit import login_dialogs_child\nlogin_dialogs_child()\n"

SCREENS = [
    pytest.param(1366, 768, 1.0, False, "", id="1366x768-100"),
    pytest.param(1366, 768, 1.25, False, "", id="1366x768-125"),
    pytest.param(1366, 768, 1.5, True, "", id="1366x768-150"),
    pytest.param(1280, 720, 1.0, False, "", id="1280x720-100"),
    pytest.param(1280, 720, 1.25, True, "", id="1280x720-125"),
    # 适老化 (视图 menu): the largest text, and high contrast, on the common laptop screen.
    pytest.param(1366, 768, 1.0, False, "text-150", id="1366x768-100-text-150"),
    pytest.param(1366, 768, 1.0, False, "contrast", id="1366x768-100-contrast"),
]
FONT_POINTS = {"": 12, "text-150": 18, "contrast": 12}


def whole(found: dict[str, Any]) -> bool:
    return bool(found["visible"] and found["inside"] and found["unclipped"])


@pytest.mark.parametrize(("width", "height", "scale", "compact", "look"), SCREENS)
def test_every_control_is_on_screen(
    demo_county: DemoCounty,
    tmp_path: Path,
    width: int,
    height: int,
    scale: float,
    compact: bool,
    look: str,
) -> None:
    shot = tmp_path / "window.png"
    result = run_fresh(
        MAIN_WINDOW,
        str(demo_county.county_path),
        str(shot),
        look,
        env={**screen_env(tmp_path, width, height, scale), "LAUNCHER_HOME": str(tmp_path / "home")},
        timeout=180,
    )
    assert result["font_points"] == FONT_POINTS[look]  # the saved appearance applied at start
    free_w, free_h = result["free_area"]
    assert free_w == round(width / scale)  # the simulated screen is what a user would have

    # As first shown, the window fits the screen; made as small as it can be, it fits a
    # maximised window's room.
    first_w, first_h = result["first_size"]
    assert first_w <= free_w and first_h + TITLE_BAR <= free_h, result["first_size"]
    min_w, min_h = result["minimum"]
    win_w, win_h = result["window"]
    assert (win_w, win_h) == (free_w, free_h - TITLE_BAR)
    assert min_w <= win_w and min_h <= win_h, result["minimum"]

    cut = {name: found for name, found in result["controls"].items() if not whole(found)}
    assert not cut, f"not shown whole: {cut}"

    columns = result["columns"]
    assert not columns["horizontal_scroll_bar"]
    for name in ("platforms", "title", "subject", "due", "status"):
        assert columns[name]["shown"] and columns[name]["inside"], (name, columns)
    assert columns["title"]["width"] >= 150  # the task itself stays readable

    # Narrow: icon-only tiles, each naming its platform in its tooltip and accessible name.
    assert result["tiles_compact"] is compact
    for tile in result["tiles"]:
        assert tile["compact"] is compact and tile["fits_across"], tile
        assert tile["name"] in tile["tooltip"] and tile["name"] in tile["accessible"]
        assert all(height >= em for height, em in tile["lines"]), tile["lines"]

    assert result["screenshot"] and shot.stat().st_size > 10_000


@pytest.mark.webengine
def test_the_sign_in_dialogs_fit_a_200_percent_screen(tmp_path: Path) -> None:
    """1366×768 at 200 % leaves 683×336 px; each dialog, its error shown, fits, buttons whole."""
    result = run_fresh(
        LOGIN_DIALOGS,
        env={**screen_env(tmp_path, 1366, 768, 2.0), "LAUNCHER_HOME": str(tmp_path / "home")},
        timeout=180,
    )
    assert result["free_area"] == [683, 336]
    for name in ("embedded", "browser", "device"):
        dialog = result[name]
        assert dialog["fits"], (name, dialog["size"])
        for button, found in dialog["buttons"].items():
            assert whole(found), (name, button, found)
