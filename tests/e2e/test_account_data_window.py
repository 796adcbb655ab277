"""Two people on one operating-system account in the window: 张伟, then 李娜 after his sign-out or
over his session (a sign-in while he is signed in, as at the sign-in-again bar). Neither sees the
other's data of any kind the account's data owner lists (launcher/app/account.py): the window
calls the same sign-in and sign-out use cases as the command line (launcher/app/session.py).
Parametrised over the owner's list through tests/account_probes.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from launcher.app.events import Event, SignedIn, SignedOut, UserSwitched
from launcher.core.profile import shared
from launcher.core.secrets import SecretStore
from launcher.ui.main_window import MainWindow
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from launcher_demo import sign_in as demo_sign_in
from tests.account_probes import KINDS, probe
from tests.e2e.signin import LOAD_TIMEOUT, launcher_window, log_out

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]


@pytest.fixture(scope="module")
def window(
    demo_county: DemoCounty, qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MainWindow]:
    home = tmp_path_factory.mktemp("account-data-home")
    try:
        with launcher_window(qapp, demo_county.county_path, home) as main:
            yield main
    finally:
        for namespace in ("profile/demo", "vault/demo", shared.SERVICE):
            SecretStore(namespace).delete_matching("")


def sign_in(qtbot: QtBot, window: MainWindow, user: DemoUser) -> None:
    """``user`` signs in (the provider's form over HTTP, without the dialog); returns once the
    refresh after the sign-in has ended."""
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    with qtbot.waitSignal(window.refresh_finished, timeout=LOAD_TIMEOUT):
        window.sign_in_with(lambda services: demo_sign_in(services.auth, user))
    assert window.user is not None and window.user.name == user.name


@pytest.mark.parametrize("how", ["sign-out", "switch"])
def test_li_na_sees_nothing_of_zhang_weis_in_the_window(
    qtbot: QtBot, window: MainWindow, how: str
) -> None:
    qtbot.waitUntil(lambda: window.services is not None, timeout=LOAD_TIMEOUT)
    services = window.services
    assert services is not None
    if window.user is not None:
        log_out(qtbot, window)
    sign_in(qtbot, window, ZHANG)
    his = {kind: probe(kind).put(services) for kind in KINDS}
    assert [k for k in KINDS if not probe(k).sees(services, his[k])] == []
    seen: list[Event] = []
    services.events.subscribe(Event, seen.append)

    if how == "sign-out":
        log_out(qtbot, window)
        assert [k for k in KINDS if probe(k).sees(services, his[k])] == []
        assert SignedOut(ZHANG.username) in seen  # the demo provider's sub is the user name
    sign_in(qtbot, window, LI)

    shown = [kind for kind in KINDS if probe(kind).sees(services, his[kind])]
    assert shown == [], f"李娜 sees 张伟's {shown}"
    switched = [e for e in seen if isinstance(e, UserSwitched)]
    assert switched == ([UserSwitched(ZHANG.username, window.user)] if how == "switch" else [])
    assert any(isinstance(e, SignedIn) and e.user.name == LI.name for e in seen)
