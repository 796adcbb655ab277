"""Silent authorization requests in the window's web profile, against the real oidc-provider on its
defaults and real Chromium pages (launcher/ui/web_tokens.py).

- ``[idp] tokens = "web"``: after the embedded sign-in, each platform's token comes from a hidden
  page's ``prompt=none`` request for that platform alone (the provider's session cookie in the
  profile completes it); the inbox lists every platform's tasks; once the provider's session has
  ended, the platform needs a sign-in, and nothing is shown or asked.
- A sign-in made on a platform's web page signs the launcher in silently, with no refresh token
  (oidc-provider keeps ``offline_access`` only with ``prompt=consent``): the session works, and is
  renewed by another silent request once its access token has expired.

The provider of this module issues access tokens for 65 s: with the launcher's 60 s margin, a token
is due for renewal 5 s after it was issued (a provider of its own: the others keep the defaults).
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from launcher.core.states import FailureReason, PlatformStatus, TileState
from launcher.ui.login import LoginDialog
from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.e2e.signin import LOAD_TIMEOUT, USER, current_web_tab, launcher_window
from tests.e2e.webpage import run_js, wait_for_js, wait_for_text
from tests.oidc.conftest import OidcProvider, start_provider, trust_provider

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

TOKEN_TTL = 65
"""Seconds an access token of this module's provider lives."""
PROVIDER_FORM = "input[name=prompt]"
"""oidc-provider's devInteractions pages: the login form and the consent form both carry it."""
STEP_SCRIPT = (
    "(function () { var p = document.querySelector('input[name=prompt]');"
    " return p ? p.value + ' ' + location.pathname : ''; })()"
)
"""Which of the provider's pages is shown (and where): '' for none."""


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    started = start_provider(tmp_path_factory.mktemp("web-tokens-provider"),
                             ttl={"AccessToken": TOKEN_TTL})
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def county(provider: OidcProvider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoCounty]:
    """Two single sign-on platforms trusting the provider's tokens (audience: their API)."""
    with DemoCounty(directory=tmp_path_factory.mktemp("web-tokens-county"), platform_count=2,
                    legacy=False, issuer=provider.issuer) as demo:
        trust_provider(demo, provider)
        yield demo


def county_file(county: DemoCounty, directory: Path, county_id: str, tokens: str) -> Path:
    text = county.county_path.read_text(encoding="utf-8")
    assert 'id = "demo"' in text and 'login = "embedded"' in text
    text = text.replace('id = "demo"', f'id = "{county_id}"', 1).replace(
        'login = "embedded"', f'login = "embedded"\ntokens = "{tokens}"', 1)
    path = directory / f"{county_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def sso_ids(window: MainWindow) -> list[str]:
    services = window.services
    assert services is not None
    return [p.id for p in services.registry.platforms if p.manifest.auth.sso]


def states(window: MainWindow) -> dict[str, tuple[PlatformStatus, FailureReason | None]]:
    found = window.inbox_presenter.platform_states()
    return {i: (found[i].state, found[i].reason) for i in sso_ids(window) if i in found}


def stored_session(window: MainWindow) -> dict[str, object]:
    services = window.services
    assert services is not None
    raw = services.auth.secrets.get("session")
    assert raw
    return json.loads(raw)  # type: ignore[no-any-return]


def through_provider_pages(qtbot: QtBot, page: QWebEnginePage, done: object) -> None:
    """The person at oidc-provider's pages in ``page``: signs in as USER, presses Continue on
    the consent page, until ``done()`` holds."""
    seen: set[str] = set()

    def step() -> bool:
        if done():  # type: ignore[operator]
            return True
        prompt = run_js(qtbot, page, STEP_SCRIPT)
        if prompt and prompt not in seen:
            seen.add(prompt)
            run_js(qtbot, page, f"""
                (function () {{
                  var form = document.querySelector('{PROVIDER_FORM}').form;
                  var login = form.querySelector('input[name=login]');
                  if (login) {{
                    login.value = {json.dumps(USER.username)};
                    form.querySelector('input[name=password]').value = 'any';
                  }}
                  form.submit();
                  return true;
                }})()""")
        return False

    qtbot.waitUntil(step, timeout=LOAD_TIMEOUT)


def refreshed(qtbot: QtBot, window: MainWindow) -> None:
    window.refresh()
    qtbot.waitUntil(lambda: not window.refreshing(), timeout=LOAD_TIMEOUT)


@pytest.fixture
def web_window(
    qapp: QApplication, county: DemoCounty, tmp_path: Path
) -> Iterator[MainWindow]:
    path = county_file(county, tmp_path, "demo-op-webtokens", "web")
    with launcher_window(qapp, path, tmp_path / "home") as window:
        yield window


def test_each_platform_gets_its_token_in_a_hidden_page_and_an_ended_session_needs_sign_in(
    qtbot: QtBot, web_window: MainWindow, county: DemoCounty, provider: OidcProvider
) -> None:
    window = web_window
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    refreshes = provider.grants("refresh_token")
    window.login_action.trigger()
    qtbot.waitUntil(lambda: isinstance(window.session.dialog, LoginDialog), timeout=LOAD_TIMEOUT)
    dialog = window.session.dialog
    assert isinstance(dialog, LoginDialog)
    through_provider_pages(qtbot, dialog.page, lambda: window.user is not None)
    ids = sso_ids(window)
    assert len(ids) == 2
    qtbot.waitUntil(lambda: states(window) == {i: (PlatformStatus.CURRENT, None) for i in ids}
                    and not window.refreshing(), timeout=LOAD_TIMEOUT)

    # Each platform's tasks are in the inbox, read with a token of its own from a hidden page.
    listed = {t.platform for t in window.inbox_presenter.last_result.tasks}
    assert set(ids) <= listed
    web_tokens = window.parts.web_tokens
    assert web_tokens.requests >= len(ids)
    assert provider.grants("refresh_token") == refreshes  # none: the web profile gave them
    services = window.services
    assert services is not None
    for platform in (services.registry.get(i) for i in ids):
        assert platform is not None
        entry = services.auth.tokens.entry(platform.id)
        assert entry is not None
        claims = json.loads(_payload(str(entry["access_token"])))
        assert claims["aud"] == platform.resource and claims["sub"] == USER.username

    # The provider's session ends (its cookie is gone from the profile): each platform needs a
    # new sign-in, and nothing is shown or asked.
    with qtbot.waitSignal(window.context.web().profile().cookieStore().cookieRemoved,
                          timeout=LOAD_TIMEOUT):
        window.context.web().profile().cookieStore().deleteAllCookies()
    for platform_id in ids:
        platform = services.registry.get(platform_id)
        assert platform is not None
        services.auth.invalidate(platform)
    asked = web_tokens.requests
    refreshed(qtbot, window)
    assert states(window) == {i: (PlatformStatus.FAILED, FailureReason.SIGNED_OUT) for i in ids}
    assert web_tokens.requests == asked + len(ids)
    assert all(window.tiles.tiles[i].state == TileState.NEEDS_SIGN_IN for i in ids)
    assert window.session.dialog is None and window.findChild(QMessageBox) is None
    assert window.user is not None  # the launcher's own sign-in stands


def _payload(jwt: str) -> str:
    """A JWT's claims, undecoded JSON (the platform's API checked the signature already)."""
    part = jwt.split(".")[1]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode()


def test_a_sign_in_on_a_web_page_lasts_without_a_refresh_token_and_is_renewed_silently(
    qtbot: QtBot, qapp: QApplication, county: DemoCounty, provider: OidcProvider, tmp_path: Path
) -> None:
    path = county_file(county, tmp_path, "demo-op-websignin", "narrowed")
    with launcher_window(qapp, path, tmp_path / "home") as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        first = sso_ids(window)[0]
        # The person, signed out, opens a tile and signs in on the provider's page in the tab.
        qtbot.mouseClick(window.tiles.tiles[first], Qt.MouseButton.LeftButton)
        tab = current_web_tab(window)
        wait_for_js(qtbot, tab.page, f"document.querySelector('{PROVIDER_FORM}')")
        with qtbot.waitSignal(window.signed_in, timeout=LOAD_TIMEOUT):
            through_provider_pages(qtbot, tab.page, lambda: window.user is not None)
        wait_for_text(qtbot, tab.page, USER.name)  # the platform's page, signed in
        assert window.session.dialog is None

        session = stored_session(window)
        assert session["refresh_token"] == "" and session["web"] is True
        ids = sso_ids(window)
        qtbot.waitUntil(lambda: states(window) == {i: (PlatformStatus.CURRENT, None) for i in ids}
                        and not window.refreshing(), timeout=LOAD_TIMEOUT)
        listed = {t.platform for t in window.inbox_presenter.last_result.tasks}
        assert set(ids) <= listed

        # Its access token expires (65 s, renewed 60 s ahead): the next refresh renews the
        # session by a silent sign-in in a hidden page, and every platform stays current.
        expires = float(session["expires_at"])  # type: ignore[arg-type]
        qtbot.waitUntil(lambda: time.time() > expires - 60, timeout=int(TOKEN_TTL * 1000))
        asked = window.parts.web_tokens.requests
        refreshed(qtbot, window)
        assert states(window) == {i: (PlatformStatus.CURRENT, None) for i in ids}
        renewed = stored_session(window)
        assert renewed["web"] is True and renewed["refresh_token"] == ""
        assert renewed["id_token"] != session["id_token"]
        assert float(renewed["expires_at"]) > expires  # type: ignore[arg-type]
        assert window.parts.web_tokens.requests > asked
        assert window.session.dialog is None and window.findChild(QMessageBox) is None
        assert window.user is not None and window.user.username == USER.username
