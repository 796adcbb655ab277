"""Opening a launcher window on a county and signing in as a user would, for the GUI tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.secrets import SecretStore
from launcher.demo import DEMO_USERS
from launcher.ui.app import setup_application
from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from launcher.ui.web import WebTab
from tests.e2e.webpage import run_js, wait_for_js

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
        window.show()
        try:
            yield window
        finally:
            services = window.services
            county_id = services.county.id if services is not None else None
            window.close()
            window.deleteLater()
            if county_id is not None and not keep_session:
                SecretStore(f"county/{county_id}").delete_matching("")


def current_web_tab(window: MainWindow) -> WebTab:
    """The web page tab in front (a test failure when the front tab is not one)."""
    tab = window.current_web_tab()
    assert isinstance(tab, WebTab)
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
    run_js(
        qtbot,
        dialog.page,
        f"""
        document.querySelector('input[name=username]').value = {json.dumps(USER.username)};
        document.querySelector('input[name=password]').value = {json.dumps(USER.password)};
        document.querySelector({json.dumps(form)}).submit();
        true;
        """,
    )


def county_copy(source: Path, target_dir: Path, *, login: str) -> Path:
    """A copy of a county file whose [idp] login mode is ``login`` (same provider, platforms)."""
    text = source.read_text(encoding="utf-8")
    changed, count = re.subn(r'(?m)^login = "[a-z-]+"$', f"login = {json.dumps(login)}", text)
    assert count == 1, f"no [idp] login line in {source}"
    target_dir.mkdir(parents=True, exist_ok=True)
    path = target_dir / "county.toml"
    path.write_text(changed, encoding="utf-8")
    return path
