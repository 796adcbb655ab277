"""The window opens with the person's last tabs where the county allows it (``[office]
reopen_tabs``; launcher/ui/last_tabs.py), in the real window on the demo county with the real
keyring:

- 张伟's tabs, kept at his sign-out, come back at his next sign-in (their platforms, the address
  on the platform itself, the tile's tab as the tile's, the one in front in front), and a tab of
  his platform showing a page from elsewhere comes back as the platform's home;
- 李娜, signing in after him, gets none of them, and he gets none of hers;
- quitting keeps them, and the next start (the session restored) opens them;
- where the county does not allow it, nothing is kept and nothing opens.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.core.last_tabs import SavedTab, SavedTabs
from launcher.core.secrets import SecretStore
from launcher.ui.last_tabs import LastTabsKeeper
from launcher.ui.main_window import MainWindow
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from launcher_demo import sign_in as demo_sign_in
from tests.e2e.signin import LOAD_TIMEOUT, launcher_window, log_out
from tests.unit.core._local_http import LocalServer, local_server

pytestmark = [
    pytest.mark.webengine,
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]
ANQUAN, ZHIFA, MINZHENG = "demo.anquan", "demo.zhifa", "demo.minzheng"


@pytest.fixture(scope="module")
def reopening_county(demo_county: DemoCounty, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo county, allowing its PCs to reopen the last tabs."""
    path = tmp_path_factory.mktemp("reopen-county") / "county.toml"
    text = demo_county.county_path.read_text(encoding="utf-8")
    path.write_text(text + "\n[office]\nreopen_tabs = true\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def elsewhere() -> Iterator[LocalServer]:
    """A site that is none of the county's."""
    with local_server() as site:
        site.html("/news", "<!doctype html><title>新闻</title><p>不是本县的平台</p>")
        yield site


@pytest.fixture(autouse=True)
def no_kept_tabs() -> Iterator[None]:
    yield
    SecretStore("profile/demo").delete_matching("tabs/")


def keeper(window: MainWindow) -> LastTabsKeeper:
    return window.parts.last_tabs


def sign_in(qtbot: QtBot, window: MainWindow, user: DemoUser) -> list[object]:
    """``user`` signs in (the provider's form over HTTP); returns the tabs opened again."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    with qtbot.waitSignal(keeper(window).reopened, timeout=LOAD_TIMEOUT) as reopened:
        window.sign_in_with(lambda services: demo_sign_in(services.auth, user))
    assert window.user is not None and window.user.name == user.name
    return list(reopened.args[0])


def saved(qtbot: QtBot, window: MainWindow, user: DemoUser) -> SavedTabs:
    """What the keyring holds for ``user`` once the sign-out's write is done."""
    services = window.services
    assert services is not None and services.last_tabs is not None
    store = services.last_tabs
    qtbot.waitUntil(lambda: not window.workers.busy(), timeout=LOAD_TIMEOUT)
    return store.load(user.username)  # the demo provider's sub is the user name


def test_each_person_gets_their_own_last_tabs_back_and_never_another_s(
    qtbot: QtBot, qapp: QApplication, reopening_county: Path, demo_county: DemoCounty,
    elsewhere: LocalServer, tmp_path: Path,
) -> None:
    with launcher_window(qapp, reopening_county, tmp_path / "home") as window:
        assert sign_in(qtbot, window, ZHANG) == []  # nothing kept for him yet
        window.open_platform(ANQUAN)  # its tile's tab
        record = f"{demo_county.base_urls[ZHIFA]}/records?id=7"
        front = window.open_web(record, "执法记录", platform_id=ZHIFA)
        window.open_web(f"{elsewhere.url}/news", "新闻", platform_id=ANQUAN)  # another site
        window.tabs.setCurrentWidget(front)
        log_out(qtbot, window)
        assert window.web_tabs() == []
        assert saved(qtbot, window, ZHANG) == SavedTabs(
            (SavedTab(ANQUAN, "", tile=True), SavedTab(ZHIFA, record),
             SavedTab(ANQUAN, "")), current=1)

        assert sign_in(qtbot, window, LI) == []  # none of his
        assert window.web_tabs() == []
        window.open_platform(MINZHENG)
        log_out(qtbot, window)

        reopened = sign_in(qtbot, window, ZHANG)
        tabs = window.web_tabs()
        assert reopened == tabs
        assert [t.platform_id for t in tabs] == [ANQUAN, ZHIFA, ANQUAN]  # none of hers
        home = window.services.registry.get(ANQUAN).home  # type: ignore[union-attr]
        assert [t.opened_url for t in tabs] == [home, record, home]
        assert tabs[0].key == ANQUAN and tabs[2].key == ""
        assert window.current_web_tab() is tabs[1]
        window.tiles.open_requested.emit(ANQUAN)  # the tile brings its tab forward, no other
        assert window.current_web_tab() is tabs[0] and len(window.web_tabs()) == 3

        log_out(qtbot, window)
        assert [t.platform_id for t in saved(qtbot, window, LI).tabs] == [MINZHENG]


def test_quitting_keeps_the_tabs_and_the_next_start_opens_them(
    qtbot: QtBot, qapp: QApplication, reopening_county: Path, demo_county: DemoCounty,
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    record = f"{demo_county.base_urls[ZHIFA]}/records?id=8"
    with launcher_window(qapp, reopening_county, home, keep_session=True) as window:
        sign_in(qtbot, window, ZHANG)
        window.open_web(record, "执法记录", platform_id=ZHIFA)
        window.tabs.setCurrentWidget(window.inbox)
    # The launcher starts again: the session is restored from the keyring, the tabs open.
    with launcher_window(qapp, reopening_county, home) as window:
        reopened: list[list[object]] = []
        keeper(window).reopened.connect(reopened.append)  # before the county opens
        qtbot.waitUntil(lambda: bool(reopened), timeout=LOAD_TIMEOUT)
        [[tab]] = reopened
        assert (tab.platform_id, tab.opened_url) == (ZHIFA, record)
        assert window.tabs.currentWidget() is window.inbox  # the inbox was in front
        log_out(qtbot, window)


def test_nothing_is_kept_where_the_county_does_not_allow_it(
    qtbot: QtBot, qapp: QApplication, demo_county: DemoCounty, tmp_path: Path,
) -> None:
    with launcher_window(qapp, demo_county.county_path, tmp_path / "home") as window:
        qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
        with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT):
            window.sign_in_with(lambda services: demo_sign_in(services.auth, ZHANG))
        window.open_platform(ANQUAN)
        log_out(qtbot, window)
        assert saved(qtbot, window, ZHANG) == SavedTabs()
        with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT):
            window.sign_in_with(lambda services: demo_sign_in(services.auth, ZHANG))
        assert window.web_tabs() == []
        log_out(qtbot, window)
