"""The launcher's window against the real demo county: one embedded sign-in, the merged inbox,
signed-in platform pages, Fill on a platform form (through its preview), refused on a page of no
platform, and logout.

Real servers (the demo provider and seven Flask platforms), the real keyring and real Chromium
pages (QtWebEngine, offscreen). The tests of this module share one window, on a county of the
module's own (``demo``); each puts it into the state it starts from (``signed_in``,
``signed_out``: tests/e2e/conftest.py), so that each runs alone and in any order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.e2e.filling import fill_with_preview
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    OIDC_FORM,
    USER,
    current_web_tab,
    log_out,
    open_signed_in_platform,
    sign_in_embedded,
)
from tests.e2e.webpage import read_json, run_js, wait_for_js, wait_for_text

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

PROFILE = {
    "person.name": "张伟",
    "person.id_number": "11010519491231002X",
    "person.phone": "13800138000",
    "org.village": "李家村",
}


@pytest.fixture(scope="module")
def window_county(demo: DemoCounty) -> Path:
    return demo.county_path


@pytest.mark.usefixtures("signed_out")
def test_one_sign_in_fills_the_merged_inbox(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    assert window.user_label.text() == "未登录"
    assert all(t.state_text() == "未登录" for t in window.tiles.tiles.values())
    assert not window.web_started()  # Chromium starts with the first page, not with the window

    sign_in_embedded(qtbot, window)

    qtbot.waitUntil(
        lambda: window.inbox_model.rowCount() >= 20 and not window.refreshing(),
        timeout=LOAD_TIMEOUT,
    )
    assert window.user_label.text() == f"已登录：{USER.name}"
    assert window.session.dialog is None
    model = window.inbox_model
    rows = [
        (model.index(r, model.PLATFORMS).data(), model.group(r).title)
        for r in range(model.rowCount())
    ]
    # A fire-safety inspection that both 安全排查 and 执法检查 ask for is one row naming both.
    shared = [title for platforms, title in rows if platforms == "安全排查、执法检查"]
    assert shared
    titles = [title for _platforms, title in rows]
    for title in shared:
        assert titles.count(title) == 1


def test_tiles_show_signed_in_with_pending_counts(qtbot: QtBot, signed_in: MainWindow) -> None:
    # The legacy platform (its own login form) is the eighth tile; tests/e2e/test_vault.py has it.
    tiles = {k: t for k, t in signed_in.tiles.tiles.items() if k != "demo.sanzi"}
    assert len(tiles) == 7 and len(signed_in.tiles.tiles) == 8
    qtbot.waitUntil(lambda: all(t.state_text() == "已登录" for t in tiles.values()))
    for tile in tiles.values():
        assert tile.badge_text().isdigit() and int(tile.badge_text()) > 0
        assert "已登录" in tile.accessibleName()
        assert tile.badge_text() in tile.accessibleName()


def test_platform_tiles_open_signed_in_pages_without_a_second_login(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    for plugin_id in ("demo.anquan", "demo.zhifa"):
        # The platform's own web login passes through the provider, whose session cookie the
        # embedded sign-in left in the shared profile: no login page, straight to the platform.
        tab = open_signed_in_platform(qtbot, signed_in, plugin_id)
        assert tab.url().startswith(demo.base_urls[plugin_id])
        assert signed_in.session.dialog is None
    titles = [signed_in.tabs.tabText(i) for i in range(signed_in.tabs.count())]
    assert any("安全排查" in t for t in titles) and any("执法检查" in t for t in titles)


def test_fill_puts_profile_values_into_the_platform_form(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    services = signed_in.services
    assert services is not None
    for key, value in PROFILE.items():  # the one table's 我的信息 (its own tests edit it)
        services.profile.set(key, value)

    # The form page as the demo serves it (安全排查's, on Element UI): 填表, the preview, the
    # sensitive values confirmed, 填入.
    tab = signed_in.open_web(demo.base_urls["demo.anquan"] + "/inspections/new", "安全排查")
    wait_for_js(qtbot, tab.page, "document.querySelector('#inspector')")
    result = fill_with_preview(qtbot, signed_in, sensitive=True)
    assert "error" not in result, result
    assert {"person.name", "person.id_number", "person.phone", "org.village"} <= set(
        result["filled"]
    )
    assert "已填写" in signed_in.statusBar().currentMessage()

    on_page = read_json(
        qtbot,
        tab.page,
        """{inspector: document.querySelector('#inspector').value,
            idno: document.querySelector('input[name=idno]').value,
            phone: document.querySelector('#phone').value,
            village: document.querySelector('.app-container').__vue__.form.village}""",
    )
    expected = {
        "inspector": "张伟",
        "idno": "11010519491231002X",
        "phone": "13800138000",
        "village": "李家村",
    }
    assert on_page == expected

    before = len(demo.submissions("demo.anquan"))
    # The fields no profile value covers, typed as the person would (the form's own model),
    # then 提交: the framework's validation passes with the values 填表 put in.
    run_js(
        qtbot,
        tab.page,
        """(function () {
             var form = document.querySelector('.app-container').__vue__.form;
             form.place_name = '李家村3组王建国户'; form.address = '李家村3组12号';
             form.check_date = '2026-11-20'; form.result = '合格'; form.rectified = '是';
             return true; })()""",
    )
    run_js(qtbot, tab.page, "document.querySelector('#submit').click(); true")
    qtbot.waitUntil(
        lambda: len(demo.submissions("demo.anquan")) == before + 1, timeout=LOAD_TIMEOUT
    )
    stored = demo.submissions("demo.anquan")[-1]
    assert {k: stored[k] for k in expected} == expected
    wait_for_text(qtbot, tab.page, "提交成功")


def test_fill_is_refused_on_pages_of_no_platform(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    # The identity provider's own pages belong to no platform at all: 填表 is off there, and
    # asked anyway, it refuses without planning or touching the page.
    tab = signed_in.open_web(demo.issuer + "/", "统一身份认证")
    qtbot.waitUntil(lambda: tab.url().startswith(demo.issuer))
    wait_for_js(qtbot, tab.page, "document.readyState === 'complete'")
    assert not signed_in.fill_action.isEnabled()
    with qtbot.waitSignal(signed_in.fill_finished, timeout=LOAD_TIMEOUT) as refused:
        signed_in.fill()
    assert "不属于本县任何平台" in refused.args[0]["error"]
    assert "未填写任何内容" in signed_in.statusBar().currentMessage()
    assert not signed_in.filler.preview.isVisible()

    # Another platform's page (执法检查's), at the very path where 安全排查 has its form: 填表
    # plans it as 执法检查's own page, never as 安全排查's form.
    tab = signed_in.open_web(demo.base_urls["demo.zhifa"] + "/inspections/new", "执法检查")
    wait_for_js(qtbot, tab.page, "document.readyState === 'complete' && location.port")
    assert tab.url().startswith(demo.base_urls["demo.zhifa"])
    qtbot.waitUntil(signed_in.fill_action.isEnabled)
    with qtbot.waitSignal(signed_in.fill_finished, timeout=LOAD_TIMEOUT) as done:
        signed_in.fill()
        qtbot.waitUntil(
            lambda: signed_in.filler.preview.waiting() or signed_in.filler._run is None,
            timeout=LOAD_TIMEOUT,
        )
        if signed_in.filler.preview.waiting():
            plan = signed_in.filler._run.planned.plan  # type: ignore[union-attr]
            assert plan.platform_id == "demo.zhifa"
            assert all(f.ref for f in plan.fields)
            signed_in.filler.preview.cancel()
    assert done.args[0].get("why") in ("cancelled", "no-fields")


def test_logout_clears_cookies_tiles_and_inbox(
    qtbot: QtBot, signed_in: MainWindow, demo: DemoCounty
) -> None:
    if not signed_in.web_tabs():  # make sure the web profile holds sessions to clear
        open_signed_in_platform(qtbot, signed_in, "demo.anquan")

    log_out(qtbot, signed_in)

    assert signed_in.user_label.text() == "未登录"
    assert signed_in.inbox_model.rowCount() == 0
    assert signed_in.web_tabs() == []
    for tile in signed_in.tiles.tiles.values():
        assert tile.state_text() == "未登录"
        assert tile.badge_text() == ""
    assert signed_in.services is not None
    assert signed_in.services.auth.restore() is None  # nothing left in the keyring

    # Without cookies, a platform sends the user to the provider's login form again.
    qtbot.mouseClick(signed_in.tiles.tiles["demo.anquan"], Qt.MouseButton.LeftButton)
    tab = current_web_tab(signed_in)
    wait_for_js(qtbot, tab.page, f"document.querySelector('{OIDC_FORM}')")
    assert tab.url().startswith(demo.issuer)
    signed_in.close_current_tab()
    assert signed_in.web_tabs() == []


def test_screenshot_run_writes_a_picture_of_the_signed_in_window(
    tmp_path: Path, real_keyring: None
) -> None:
    """`launcher --demo --screenshot FILE` (run_gui with screenshot=...), in its own process: its
    QApplication quits at the end, which would shut QtWebEngine down for the tests after it."""
    from PySide6.QtGui import QImage

    from launcher.core.secrets import SecretStore

    picture = tmp_path / "window.png"
    env = {**os.environ, "LAUNCHER_HOME": str(tmp_path / "home")}
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "launcher",
                "--demo",
                "--lang",
                "zh_CN",
                "--screenshot",
                str(picture),
            ],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        SecretStore("demo").delete_matching("")  # the run signed in; leave no session behind
    assert done.returncode == 0, done.stderr
    image = QImage(str(picture))
    assert not image.isNull()
    assert image.width() >= 800 and image.height() >= 500
    # Not a blank grab: the picture has many colours (text, tiles, overdue rows).
    step = 7
    colours = {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }
    assert len(colours) > 20
