"""Two people on one operating-system account, one after the other: neither sees the other's data
of any kind the account's data owner lists (launcher/app/account.py), whether the first signs out
or the second signs in over the first's session, through the use cases the window drives
(Services) and on the command line (``launcher login/inbox/logout`` in their own processes).

Parametrised over the owner's list: a kind registered there without a probe in
tests/account_probes.py fails
``test_every_kind_the_owner_lists_has_a_probe``, and then runs in every test below.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.app.services import Services
from launcher.app.session import forget_person, restore, retire_platform, sign_out, signed_in
from launcher.core.profile import shared
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from launcher_demo import sign_in as demo_sign_in
from tests.account_probes import KINDS, PLATFORM, PROBES, probe

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]


def test_every_kind_the_owner_lists_has_a_probe() -> None:
    missing = sorted(set(KINDS) - set(PROBES))
    assert not missing, f"kinds with no two-people probe in tests/account_probes.py: {missing}"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("LAUNCHER_HOME", str(folder))
    return folder


@pytest.fixture
def services(demo_county: DemoCounty, home: Path) -> Iterator[Services]:
    """The launcher's services on the demo county, in a data folder of the test's own."""
    opened = Services.open(demo_county.county_path)
    opened.auth.wipe_local()
    try:
        yield opened
    finally:
        _clean(opened)


def _clean(services: Services) -> None:
    services.auth.wipe_local()
    services.close()
    county = services.county.id
    for namespace in (f"county/{county}", f"profile/{county}", f"vault/{county}",
                      f"web-session/{county}", shared.SERVICE):
        SecretStore(namespace).delete_matching("")


def _sign_in(services: Services, user: DemoUser) -> None:
    """As the window does: the provider's form (over HTTP), then the sign-in use case."""
    signed_in(services, demo_sign_in(services.auth, user))


@pytest.mark.parametrize("how", ["sign-out", "switch"])
@pytest.mark.parametrize("kind", KINDS)
def test_li_na_never_sees_zhang_weis_data(services: Services, kind: str, how: str) -> None:
    check = probe(kind)
    _sign_in(services, ZHANG)
    his = check.put(services)
    assert check.sees(services, his)
    if how == "sign-out":
        sign_out(services)
        assert not check.sees(services, his)  # nobody signed in: nothing of his shows
    _sign_in(services, LI)  # on the same OS account, after him or over his session
    assert not check.sees(services, his)
    hers = check.put(services)
    assert check.sees(services, hers)


@pytest.mark.parametrize("kind", KINDS)
def test_a_retired_platform_leaves_nothing_of_it(services: Services, kind: str) -> None:
    """Retiring a platform goes through the same list: what a kind keeps of the platform goes
    (kinds that keep nothing per platform say so, and keep their data)."""
    check = probe(kind)
    _sign_in(services, ZHANG)
    his = check.put(services)
    retire_platform(services, PLATFORM)
    per_platform = {"tasks", "notices", "passwords", "session", "platform sessions", "ledger",
                    "last tabs"}
    assert check.sees(services, his) is (kind not in per_platform)


@pytest.mark.parametrize("kind", KINDS)
def test_a_person_forgotten_leaves_nothing_of_theirs_and_the_others_keep_theirs(
    services: Services, kind: str
) -> None:
    """张伟 leaves the office: ``forget_person`` goes through the same list. Nothing of his
    stays for his next sign-in; 李娜's data kept per person (her profile, her passwords) stays."""
    check = probe(kind)
    _sign_in(services, LI)
    hers = check.put(services)
    sign_out(services)
    _sign_in(services, ZHANG)
    his = check.put(services)
    forgotten = forget_person(services)
    assert forgotten is not None and forgotten.username == ZHANG.username
    assert services.auth.user is None and restore(services) is None  # signed out too
    _sign_in(services, LI)
    kept_per_person = {"profile", "passwords", "records", "audit", "ledger", "last tabs"}
    assert check.sees(services, hers) is (kind in kept_per_person)
    sign_out(services)
    _sign_in(services, ZHANG)
    assert not check.sees(services, his)


def test_forgetting_needs_someone_signed_in(services: Services) -> None:
    assert forget_person(services) is None  # nobody's data is named: nothing is erased


# -- the command line ------------------------------------------------------------------------

BROWSER = '''
import sys

import requests

from launcher_demo import sign_in_scripted

callback = sign_in_scripted(sys.argv[1], sys.argv[2], sys.argv[3])
with requests.Session() as http:
    http.trust_env = False
    page = http.get(callback, timeout=30)
page.raise_for_status()
'''


def _launcher(home: Path, *args: str, user: DemoUser | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LAUNCHER_HOME": str(home)}
    if user is not None:  # `launcher login` opens "the browser": a script that signs in as user
        script = home.parent / "browser.py"
        script.write_text(BROWSER, encoding="utf-8")
        env["BROWSER"] = f"{sys.executable} {script} %s {user.username} {user.password}"
    result = subprocess.run(
        # In English: the assertions below read its sentences (Chinese is the default).
        [sys.executable, "-m", "launcher", "--lang", "en", *args], env=env, text=True,
        capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    return result


@pytest.mark.parametrize("how", ["logout", "switch"])
def test_on_the_command_line_neither_sees_the_others_data(
    demo_county: DemoCounty, home: Path, how: str
) -> None:
    county = str(demo_county.county_path)
    login = _launcher(home, "login", "--county", county, "--timeout", "60", user=ZHANG)
    assert login.returncode == 0, login.stderr
    assert "signed in as 张伟" in login.stdout
    services = Services.open(demo_county.county_path)
    try:
        inbox = _launcher(home, "inbox", "--county", county, "--json")
        assert inbox.returncode == 0, inbox.stderr
        assert _launcher(home, "inbox", "--county", county, "--cached").returncode == 0
        # His data of every kind, as the window would keep it (same home, same keyring).
        assert restore(services) is not None and services.auth.user is not None
        his = {kind: probe(kind).put(services) for kind in KINDS}
        assert all(probe(kind).sees(services, his[kind]) for kind in KINDS)
        services.close()

        if how == "logout":
            logout = _launcher(home, "logout", "--county", county)
            assert logout.returncode == 0, logout.stderr
            assert "signed out" in logout.stdout
        login = _launcher(home, "login", "--county", county, "--timeout", "60", user=LI)
        assert login.returncode == 0, login.stderr
        assert "signed in as 李娜" in login.stdout

        cached = _launcher(home, "inbox", "--county", county, "--cached")
        assert cached.returncode == 1 and "no cached tasks" in cached.stderr  # none of his
        status = _launcher(home, "status", "--county", county)
        assert "signed in as 李娜" in status.stdout
        services = Services.open(demo_county.county_path)
        assert restore(services) is not None
        assert services.auth.user is not None and services.auth.user.username == LI.username
        seen = [kind for kind in KINDS if probe(kind).sees(services, his[kind])]
        assert seen == [], f"李娜 sees 张伟's {seen}"
        inbox = _launcher(home, "inbox", "--county", county, "--json")
        assert inbox.returncode == 0, inbox.stderr
        assert "王建国户低保复核" not in inbox.stdout
    finally:
        _launcher(home, "logout", "--county", county)
        _clean(services)


def test_launcher_forget_on_the_command_line(demo_county: DemoCounty, home: Path) -> None:
    county = str(demo_county.county_path)
    unconfirmed = _launcher(home, "forget", "--county", county)
    assert unconfirmed.returncode == 1 and "add --yes to confirm" in unconfirmed.stderr
    nobody = _launcher(home, "forget", "--county", county, "--yes")
    assert nobody.returncode == 1 and "not signed in, nothing was deleted" in nobody.stderr
    login = _launcher(home, "login", "--county", county, "--timeout", "60", user=ZHANG)
    assert login.returncode == 0, login.stderr
    services = Services.open(demo_county.county_path)
    try:
        assert restore(services) is not None
        his = {kind: probe(kind).put(services) for kind in KINDS}
        services.close()
        forget = _launcher(home, "forget", "--county", county, "--yes")
        assert forget.returncode == 0, forget.stderr
        assert "everything this computer kept for 张伟 (zhangwei) is deleted" in forget.stdout
        services = Services.open(demo_county.county_path)
        assert restore(services) is None
        _sign_in(services, ZHANG)
        seen = [kind for kind in KINDS if probe(kind).sees(services, his[kind])]
        assert seen == [], f"forgotten, yet 张伟 still has his {seen}"
    finally:
        _clean(services)
