"""The launcher's window on a CAS county: the CAS login page in the embedded view, every
platform's tasks after that one login, platform pages signed in through the CAS session, and a
logout that signs every platform out (single logout).

Real servers (django-cas-server, the demo platforms in CAS mode), the real keyring and real
Chromium pages (QtWebEngine, offscreen).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.auth.cas_session import CasSession
from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.cas.conftest import CasServer
from tests.e2e.signin import (
    CAS_FORM,
    LOAD_TIMEOUT,
    current_web_tab,
    launcher_window,
    open_signed_in_platform,
    sign_in_embedded,
)
from tests.e2e.webpage import wait_for_js

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]


@pytest.fixture
def home(tmp_path_factory: pytest.TempPathFactory, cas_demo: DemoCounty) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("cas-gui-home")
    from launcher.core.county import load_county
    from launcher.core.secrets import SecretStore

    # Never leave a session in the keyring, whatever happened.
    SecretStore(f"county/{load_county(cas_demo.county_path).id}").delete_matching("")


def open_platform_signed_in(qtbot: QtBot, window: MainWindow, cas_demo: DemoCounty) -> None:
    """A platform page opens signed in: its web login passes through the CAS session cookie."""
    tab = open_signed_in_platform(qtbot, window, "demo.anquan")
    assert tab.url().startswith(cas_demo.base_urls["demo.anquan"])
    assert window.session.dialog is None


def test_one_cas_login_in_the_window_signs_in_everywhere_and_logout_ends_it(
    qtbot: QtBot, qapp: QApplication, home: Path, cas_demo: DemoCounty, cas_server: CasServer
) -> None:
    # The session stays in the keyring when this first window closes: the next start finds it.
    with launcher_window(qapp, cas_demo.county_path, home, keep_session=True) as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        services = window.services
        assert services is not None and isinstance(services.auth, CasSession)
        # 登录: the CAS server's own page in the embedded view, name and password, submit.
        sign_in_embedded(
            qtbot, window, form=CAS_FORM, login_page=cas_server.url + "/login?service="
        )
        assert services.auth.secrets.get("session")  # the CAS session (its cookies), in the keyring

        # Every platform's API took a ticket from that one login: the inbox has all their tasks.
        sso = {p.id for p in services.registry.platforms if p.manifest.auth.sso}
        qtbot.waitUntil(
            lambda: {t.platform for t in services.inbox.cached().tasks} >= sso,
            timeout=LOAD_TIMEOUT,
        )
        # The cache is written on the worker before the window shows the result: wait for both.
        qtbot.waitUntil(lambda: window.inbox_model.rowCount() > 0, timeout=LOAD_TIMEOUT)
        open_platform_signed_in(qtbot, window, cas_demo)

    # The next start: still signed in (the keyring), and platform pages too, although the new web
    # profile started empty.
    with launcher_window(qapp, cas_demo.county_path, home) as window:
        qtbot.waitUntil(lambda: window.user is not None, timeout=LOAD_TIMEOUT)
        services = window.services
        assert services is not None
        open_platform_signed_in(qtbot, window, cas_demo)

        with qtbot.waitSignal(window.signed_out, timeout=LOAD_TIMEOUT):
            window.logout_action.trigger()
        assert services.auth.restore() is None
        assert services.auth.secrets.names() == []

        # Signed out everywhere: the platform sends the user to the CAS login page again.
        qtbot.mouseClick(window.tiles.tiles["demo.anquan"], Qt.MouseButton.LeftButton)
        tab = current_web_tab(window)
        wait_for_js(qtbot, tab.page, f"document.querySelector('{CAS_FORM}')")
        assert tab.url().startswith(cas_server.url + "/login")
        window.close_current_tab()
