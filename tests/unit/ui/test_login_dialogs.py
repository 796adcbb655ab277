"""The sign-in dialogs of the system-browser and device modes, the sign-in-again bar and the tile
that needs a new sign-in: what they show and the signals they give (no server needed here; the
end-to-end runs are in tests/e2e/test_login_modes.py and tests/oidc/test_gui_device.py)."""

from __future__ import annotations

import re
import time

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from launcher.core.auth.device import DeviceFlow
from launcher.ui.banner import SignInBanner
from launcher.ui.login_modes import BrowserLoginDialog, DeviceLoginDialog, qr_pixmap
from launcher.ui.tiles import NEEDS_SIGN_IN, TileInfo, TilePanel

AUTH_URL = "http://127.0.0.1:5000/authorize?client_id=yiduantong&state=abc"


def device_flow(expires_in: float = 300, complete: bool = True) -> DeviceFlow:
    return DeviceFlow(
        device_code="device-code-not-shown",
        user_code="WDJB-MJHT",
        verification_uri="http://127.0.0.1:3000/device",
        verification_uri_complete=(
            "http://127.0.0.1:3000/device?user_code=WDJB-MJHT" if complete else None
        ),
        interval=5.0,
        expires_at=time.time() + expires_in,
    )


def test_browser_dialog_offers_the_link_once_the_worker_has_it(qtbot: QtBot) -> None:
    dialog = BrowserLoginDialog()
    qtbot.addWidget(dialog)
    assert dialog.heading.text() == "Continue in your browser"
    assert not dialog.open_button.isEnabled() and not dialog.copy_button.isEnabled()

    dialog.set_url(AUTH_URL)
    assert dialog.link.text() == AUTH_URL
    with qtbot.waitSignal(dialog.open_requested) as opened:
        dialog.open_button.click()
    assert opened.args == [AUTH_URL]
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == AUTH_URL


def test_browser_dialog_shows_an_error_with_try_again(qtbot: QtBot) -> None:
    dialog = BrowserLoginDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_url(AUTH_URL)
    assert not dialog.retry_button.isVisible()
    dialog.show_error("The identity service refused the sign-in.")
    assert dialog.message.text() == "The identity service refused the sign-in."
    assert dialog.retry_button.isVisible()
    assert not dialog.open_button.isEnabled()  # that URL's flow is used up
    with qtbot.waitSignal(dialog.retry_requested):
        dialog.retry_button.click()


def test_browser_dialog_says_when_no_browser_opened(qtbot: QtBot) -> None:
    dialog = BrowserLoginDialog()
    qtbot.addWidget(dialog)
    dialog.set_url(AUTH_URL)
    dialog.browser_failed()
    assert "Copy the link" in dialog.message.text()


def test_device_dialog_shows_code_address_qr_and_countdown(qtbot: QtBot) -> None:
    dialog = DeviceLoginDialog()
    qtbot.addWidget(dialog)
    assert dialog.code.text() == "" and dialog.qr.pixmap().isNull()

    dialog.set_flow(device_flow())
    assert dialog.code.text() == "WDJB-MJHT"
    dialog.show()
    assert dialog.code.font().pointSize() >= 24  # big enough to read across a desk
    assert dialog.uri.text() == "http://127.0.0.1:3000/device"
    assert not dialog.qr.pixmap().isNull()
    assert re.fullmatch(r"The code expires in [45]:\d\d\.", dialog.countdown.text())
    assert "device-code-not-shown" not in dialog.message.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == "WDJB-MJHT"


def test_device_dialog_qr_holds_the_complete_uri_when_there_is_one(qtbot: QtBot) -> None:
    # More text makes a larger QR symbol: the complete URI (code filled in) is the longer one.
    with_code = DeviceLoginDialog()
    plain = DeviceLoginDialog()
    for dialog in (with_code, plain):
        qtbot.addWidget(dialog)
    with_code.set_flow(device_flow(complete=True))
    plain.set_flow(device_flow(complete=False))
    expected_complete = qr_pixmap("http://127.0.0.1:3000/device?user_code=WDJB-MJHT")
    expected_plain = qr_pixmap("http://127.0.0.1:3000/device")
    assert with_code.qr.pixmap().toImage() == expected_complete.toImage()
    assert plain.qr.pixmap().toImage() == expected_plain.toImage()
    assert expected_complete.toImage() != expected_plain.toImage()


def test_device_dialog_says_when_the_code_has_expired(qtbot: QtBot) -> None:
    dialog = DeviceLoginDialog()
    qtbot.addWidget(dialog)
    dialog.set_flow(device_flow(expires_in=-1))
    assert dialog.countdown.text() == "The code has expired."
    dialog.show()
    dialog.show_error("The sign-in has expired. Please sign in again.")
    assert dialog.code.text() == "" and dialog.qr.pixmap().isNull()
    assert dialog.retry_button.isVisible()


def test_qr_pixmap_is_square_with_a_quiet_zone() -> None:
    pixmap = qr_pixmap("http://127.0.0.1:3000/device?user_code=WDJB-MJHT")
    assert not pixmap.isNull() and pixmap.width() == pixmap.height()
    image = pixmap.toImage()
    corner = image.pixelColor(0, 0)
    assert corner.lightness() > 200  # the quiet zone is light; the finder pattern starts inside
    assert image.pixelColor(4 * 6, 4 * 6).lightness() < 50


def test_sign_in_banner_names_the_platforms_and_asks_to_sign_in(qtbot: QtBot) -> None:
    banner = SignInBanner()
    qtbot.addWidget(banner)
    banner.show_platforms(["demo.anquan", "demo.zhifa"], ["Safety", "Enforcement"])
    assert not banner.isHidden()
    assert "Safety, Enforcement" in banner.text()
    assert banner.platform_ids == ["demo.anquan", "demo.zhifa"]
    with qtbot.waitSignal(banner.sign_in_requested):
        banner.button.click()
    banner.show_platforms([], [])
    assert banner.isHidden() and banner.platform_ids == []


def test_a_tile_that_needs_a_new_sign_in_says_so(qtbot: QtBot) -> None:
    panel = TilePanel()
    qtbot.addWidget(panel)
    panel.set_platforms([TileInfo("demo.anquan", "Safety", "http://127.0.0.1:1/")])
    tile = panel.tile("demo.anquan")
    assert tile is not None
    tile.set_state(NEEDS_SIGN_IN, 4, "The sign-in is no longer valid for this platform.")
    assert tile.state_text() == "Sign in again"
    assert tile.badge_text() == "4"  # its saved tasks still count
    assert "no longer valid" in tile.toolTip()
    assert tile.accessibleName() == "Safety, 4 pending, Sign in again"
