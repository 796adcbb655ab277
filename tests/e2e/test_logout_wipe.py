"""Logout in the window ends everything the web pages kept, and a whole GUI session leaves no token
on disk.

Real demo county (provider and platforms), real keyring, real Chromium pages. The tests share one
window and sign in by themselves (``signed_in``, tests/e2e/conftest.py).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.ui.main_window import MainWindow
from launcher_demo import DemoCounty
from tests.e2e.signin import (
    LOAD_TIMEOUT,
    OIDC_FORM,
    current_web_tab,
    launcher_window,
    log_out,
    open_signed_in_platform,
    sign_in_embedded,
    sign_out_if_needed,
)
from tests.e2e.webpage import read_json, run_js, wait_for_js
from tests.masked_log import masked_debug_log
from tests.oidc.launcher_cli import tokens_in_keyring

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ANQUAN, ZHIFA = "demo.anquan", "demo.zhifa"

# Writes one value into every kind of storage a page has; window.__stored is set when all is done.
STORE_EVERYTHING = """
(() => {
  const value = %(value)s;
  document.cookie = 'probe=' + value + '; max-age=86400; path=/';
  localStorage.setItem('probe', value);
  sessionStorage.setItem('probe', value);
  const idb = new Promise((resolve, reject) => {
    const open = indexedDB.open('probe', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('things');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('things', 'readwrite');
      tx.objectStore('things').put(value, 'probe');
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  });
  const cache = caches.open('probe').then(c => c.put('/probe', new Response(value)));
  Promise.all([idb, cache]).then(() => { window.__stored = 'yes'; },
                                 e => { window.__stored = 'failed: ' + e; });
  return true;
})()
"""

# What a page sees of that storage; window.__seen holds the JSON answer.
READ_EVERYTHING = """
(() => {
  Promise.all([indexedDB.databases(), caches.keys()]).then(([dbs, keys]) => {
    window.__seen = JSON.stringify({
      cookie: document.cookie,
      local: localStorage.getItem('probe'),
      session: sessionStorage.getItem('probe'),
      indexeddb: dbs.map(d => d.name),
      caches: keys,
    });
  });
  return true;
})()
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("wipe-home")


@pytest.fixture(scope="module")
def window(
    demo_county: DemoCounty, qapp: QApplication, home: Path
) -> Iterator[MainWindow]:
    with launcher_window(qapp, demo_county.county_path, home) as main:
        yield main


def seen_storage(qtbot: QtBot, window: MainWindow, origin: str) -> dict[str, object]:
    """What a new tab on ``origin`` sees (a page of the origin that needs no sign-in: a 404)."""
    tab = window.open_web(origin + "/no-such-page", "probe")
    wait_for_js(qtbot, tab.page, "document.readyState === 'complete' && location.port")
    assert tab.url().startswith(origin)
    run_js(qtbot, tab.page, READ_EVERYTHING)
    wait_for_js(qtbot, tab.page, "window.__seen")
    seen: dict[str, object] = read_json(qtbot, tab.page, "JSON.parse(window.__seen)")
    window.close_tab(window.tabs.indexOf(tab))
    return seen


def test_logout_leaves_no_cookie_cache_or_web_storage(
    qtbot: QtBot, signed_in: MainWindow, demo_county: DemoCounty, home: Path, qtlog: Any
) -> None:
    origin = demo_county.base_urls[ANQUAN]
    value = "probe-" + secrets.token_hex(8)
    tab = open_signed_in_platform(qtbot, signed_in, ANQUAN)
    run_js(qtbot, tab.page, STORE_EVERYTHING % {"value": json.dumps(value)})
    wait_for_js(qtbot, tab.page, "window.__stored")
    assert run_js(qtbot, tab.page, "window.__stored") == "yes"

    # While signed in, another page of the origin shares it all (sessionStorage is per tab).
    before = seen_storage(qtbot, signed_in, origin)
    assert f"probe={value}" in str(before["cookie"])
    assert before["local"] == value
    assert "probe" in before["indexeddb"]  # type: ignore[operator]
    assert "probe" in before["caches"]  # type: ignore[operator]

    log_out(qtbot, signed_in)
    assert signed_in.web_tabs() == []
    assert not signed_in.web_started()  # the profile is gone, not just emptied

    after = seen_storage(qtbot, signed_in, origin)
    assert after == {"cookie": "", "local": None, "session": None, "indexeddb": [], "caches": []}
    # The platform's own session cookie went too: its home page asks for the provider login.
    qtbot.mouseClick(signed_in.tiles.tiles[ANQUAN], Qt.MouseButton.LeftButton)
    page = current_web_tab(signed_in).page
    wait_for_js(qtbot, page, f"document.querySelector('{OIDC_FORM}')")
    assert current_web_tab(signed_in).url().startswith(demo_county.issuer)
    signed_in.close_web_tabs()

    # Nothing a page stored was ever written to disk.
    for path in home.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert value.encode() not in data, path
            assert value.encode("utf-16-le") not in data, path
    # The profile was deleted after its pages, never under them.
    warnings = [r.message for r in qtlog.records]
    assert not [m for m in warnings if "Release of profile requested" in m]


def keyring_tokens(window: MainWindow) -> set[str]:
    """Every token value the county's keyring entries hold now (the platform tokens written behind
    are written first)."""
    assert window.services is not None
    window.services.auth.tokens.flush()
    return tokens_in_keyring(window.services.county.id)


@pytest.fixture
def debug_log(home: Path) -> Iterator[Path]:
    """The launcher's log file under LAUNCHER_HOME, at DEBUG, masked as the real one is."""
    with masked_debug_log(home / "logs" / "launcher.log") as path:
        yield path


def test_a_whole_gui_session_leaves_no_token_under_launcher_home(
    qtbot: QtBot, window: MainWindow, home: Path, debug_log: Path
) -> None:
    sign_out_if_needed(qtbot, window)
    sign_in_embedded(qtbot, window)
    qtbot.waitUntil(lambda: window.inbox_model.rowCount() > 0, timeout=LOAD_TIMEOUT)
    for plugin_id in (ANQUAN, ZHIFA):
        open_signed_in_platform(qtbot, window, plugin_id)
    with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT) as refreshed:
        window.refresh_action.trigger()
    assert refreshed.args == [True]

    tokens = keyring_tokens(window)
    # The refresh token, the id_token and an access token for each platform with a task API.
    assert len(tokens) >= 4
    log_out(qtbot, window)
    assert keyring_tokens(window) == set()

    files = [p for p in home.rglob("*") if p.is_file()]
    assert debug_log in files and debug_log.stat().st_size > 0
    leaks = [
        (str(path), token[:12] + "…")
        for path in files
        for token in tokens
        if token.encode() in (data := path.read_bytes()) or token.encode("utf-16-le") in data
    ]
    assert leaks == []
