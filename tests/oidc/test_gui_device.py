"""The window's device sign-in (RFC 8628) against the real provider (oidc-provider): the dialog
shows the user code, the verification address and its QR code with a countdown; the code approved
at the provider's own device pages signs the window in, and the inbox fills through that one login.
Cancel ends the polling without an error.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.ui.login_modes import DeviceLoginDialog
from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT, launcher_window, sign_out_if_needed
from tests.oidc.conftest import OidcProvider
from tests.oidc.launcher_cli import county_copy
from tests.oidc.provider_login import approve_device
from tests.oidc.test_device import configure

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

COUNTY = "demo-op-gui-device"


@pytest.fixture(scope="module")
def county(
    provider_county: DemoCounty,
    oidc_provider: OidcProvider,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Path]:
    # 1 s between polls instead of RFC 8628's default 5 s, to keep the suite quick.
    configure(oidc_provider, interval=1, slowDown=False)
    try:
        yield county_copy(
            provider_county, COUNTY, tmp_path_factory.mktemp("gui-device"), login="device"
        )
    finally:
        configure(oidc_provider, interval=0, slowDown=False)


@pytest.fixture(scope="module")
def window(
    county: Path, qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MainWindow]:
    with launcher_window(qapp, county, tmp_path_factory.mktemp("gui-device-home")) as main:
        yield main


def device_dialog(qtbot: QtBot, window: MainWindow) -> DeviceLoginDialog:
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    window.login_action.trigger()
    qtbot.waitUntil(lambda: isinstance(window.session.dialog, DeviceLoginDialog))
    dialog = window.session.dialog
    assert isinstance(dialog, DeviceLoginDialog)
    qtbot.waitUntil(lambda: bool(dialog.code.text()), timeout=LOAD_TIMEOUT)
    return dialog


def test_device_dialog_shows_code_and_qr_and_the_approval_signs_in(
    qtbot: QtBot, window: MainWindow, oidc_provider: OidcProvider
) -> None:
    dialog = device_dialog(qtbot, window)
    code = dialog.code.text()
    assert re.fullmatch(r"[A-Z0-9-]{6,}", code)
    assert dialog.uri.text() == f"{oidc_provider.issuer}/device"
    assert not dialog.qr.pixmap().isNull()
    assert re.fullmatch(r"登录码将在 \d+:\d\d 后过期。", dialog.countdown.text())
    assert dialog.windowTitle() == "用其他设备登录"

    # The user types the shown code at the shown address on their phone.
    approver = threading.Thread(
        target=approve_device, args=(dialog.uri.text(), code, "lina"), daemon=True
    )
    refreshed: list[bool] = []
    window.refresh_finished.connect(refreshed.append)
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT) as signed_in:
        approver.start()
    approver.join(timeout=30)
    assert (signed_in.args[0].username, signed_in.args[0].name) == ("lina", "李娜")
    assert window.session.dialog is None
    # One device sign-in covers every platform's API.
    qtbot.waitUntil(lambda: bool(refreshed), timeout=LOAD_TIMEOUT)
    window.refresh_finished.disconnect(refreshed.append)
    assert refreshed == [True] and window.last_result is not None
    states = {pid: s.state for pid, s in window.last_result.states.items()}
    assert states and set(states.values()) == {"current"}, states


def test_cancelling_the_device_dialog_stops_polling_quietly(
    qtbot: QtBot, window: MainWindow
) -> None:
    sign_out_if_needed(qtbot, window)
    failures: list[str] = []
    window.login_failed.connect(failures.append)
    dialog = device_dialog(qtbot, window)
    dialog.reject()
    qtbot.waitUntil(lambda: not window.workers.busy(), timeout=LOAD_TIMEOUT)
    window.login_failed.disconnect(failures.append)
    assert failures == []
    assert window.session.dialog is None and window.user is None
