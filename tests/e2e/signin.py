"""Opening a launcher window on a county, signing in and out as a user would, and a provider ending
the sign-in, for the GUI tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.ui.app import setup_application
from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from launcher_demo import DEMO_USERS, DemoUser, sign_in
from tests.e2e.webpage import run_js, wait_for_js, wait_for_text

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo

USER = DEMO_USERS[0]
LOAD_TIMEOUT = 30_000
# The login forms of the identity providers the tests run: the demo provider, the CAS server.
OIDC_FORM = "form#login-form"
CAS_FORM = "form#login_form"


@contextmanager
def launcher_window(
    qapp: QApplication,
    county_path: Path,
    home: Path,
    *,
    language: str = "zh_CN",
    keep_session: bool = False,
) -> Iterator[MainWindow]:
    """A shown MainWindow on ``county_path`` with LAUNCHER_HOME at ``home``; closed afterwards,
    leaving no session of the county in the keyring (``keep_session``: left there, for the next
    start of the launcher)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAUNCHER_HOME", str(home))
        setup_application(qapp, language)
        window = MainWindow(county_path, loopback_only=True)
        # Noted when the county opens: a test that quits the window itself leaves it no services.
        opened: list[str] = []
        window.services_ready.connect(lambda services: opened.append(services.county.id))
        window.show()
        try:
            yield window
        finally:
            county_id = opened[-1] if opened else None
            window.close_now()  # whatever a test left typed: no question
            window.deleteLater()
            if county_id is not None and not keep_session:
                SecretStore(f"county/{county_id}").delete_matching("")


def current_web_tab(window: MainWindow) -> WebTab:
    """The web page tab in front (a test failure when the front tab is not one)."""
    tab = window.current_web_tab()
    assert isinstance(tab, WebTab)
    return tab


def open_signed_in_platform(qtbot: QtBot, window: MainWindow, plugin_id: str) -> WebTab:
    """Click ``plugin_id``'s tile; its page, in front, shows the user signed in."""
    qtbot.mouseClick(window.tiles.tiles[plugin_id], Qt.MouseButton.LeftButton)
    # Clicked in the moment the window is still opening after its cached tasks, the page opens
    # once it has (MainWindow._when_ready).
    qtbot.waitUntil(lambda: isinstance(window.current_web_tab(), WebTab), timeout=LOAD_TIMEOUT)
    tab = current_web_tab(window)
    wait_for_text(qtbot, tab.page, f"已登录：{USER.name}")
    return tab


def sign_in_embedded(
    qtbot: QtBot, window: MainWindow, *, form: str = OIDC_FORM, login_page: str | None = None
) -> None:
    """What a user does: 登录, type name and password into the provider's page, submit.

    ``form`` selects the provider's login form; ``login_page``, when given, is what the login
    page's address must start with.
    """
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    assert window.login_action.isEnabled()
    with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT) as signed_in:
        window.login_action.trigger()
        qtbot.waitUntil(lambda: window.session.dialog is not None, timeout=LOAD_TIMEOUT)
        dialog = window.session.dialog
        assert isinstance(dialog, LoginDialog)
        fill_login_form(qtbot, dialog, form=form, login_page=login_page)
    assert signed_in.args[0].name == USER.name


def fill_login_form(
    qtbot: QtBot, dialog: LoginDialog, *, form: str = OIDC_FORM, login_page: str | None = None
) -> None:
    wait_for_js(qtbot, dialog.page, f"document.querySelector({json.dumps(form)})")
    if login_page is not None:
        assert dialog.page.url().toString().startswith(login_page)
    submit_login_form(qtbot, dialog.page, form=form)


def submit_login_form(
    qtbot: QtBot, page: QWebEnginePage, *, form: str = OIDC_FORM, user: DemoUser = USER
) -> None:
    """Type ``user``'s name and password into the provider's login form on ``page``, submit."""
    run_js(
        qtbot,
        page,
        f"""
        document.querySelector('input[name=username]').value = {json.dumps(user.username)};
        document.querySelector('input[name=password]').value = {json.dumps(user.password)};
        document.querySelector({json.dumps(form)}).submit();
        true;
        """,
    )


def scripted_login(services: Services) -> UserInfo:
    """The provider's login form filled over HTTP instead of in a page (for
    ``window.sign_in_with``): a signed-in window without Chromium."""
    return sign_in(services.auth, USER)


def log_out(qtbot: QtBot, window: MainWindow) -> None:
    """The window's logout action, and wait until the window has signed out."""
    with qtbot.waitSignal(window.signed_out, timeout=LOAD_TIMEOUT):
        window.logout_action.trigger()


def sign_out_if_needed(qtbot: QtBot, window: MainWindow) -> None:
    """The window loaded and signed out (an earlier test of the module may have signed in)."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    if window.user is not None:
        log_out(qtbot, window)


def revoke_session_and_drop_token(window: MainWindow, plugin_id: str) -> None:
    """The provider ends the session (its refresh token is revoked); ``plugin_id``'s cached access
    token is gone, so that platform needs a refresh, which now fails."""
    services = window.services
    assert services is not None
    auth = services.auth
    raw = auth.secrets.get("session")
    assert raw
    auth.client.revoke(json.loads(raw)["refresh_token"], "refresh_token")
    platform = services.registry.get(plugin_id)
    assert platform is not None
    auth.invalidate(platform)


def county_copy(source: Path, target_dir: Path, *, login: str) -> Path:
    """A copy of a county file whose [idp] login mode is ``login`` (same provider, platforms)."""
    text = source.read_text(encoding="utf-8")
    changed, count = re.subn(r'(?m)^login = "[a-z-]+"$', f"login = {json.dumps(login)}", text)
    assert count == 1, f"no [idp] login line in {source}"
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / "county.toml"
    path.write_text(changed, encoding="utf-8")
    return path
