"""Two people on one operating-system account, through the launcher's Services (issue 11, item 9):
the demo county's provider signs in 张伟 and 李娜 in turn, the real keyring holds the keys.

李娜 never gets 张伟's values (shown or filled), his come back when he signs in again, the one
profile older versions shared goes to the first person who signs in, and logout leaves no cached
task of any platform, configured or not.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from launcher.api import TaskItem
from launcher.app.fill import Fill
from launcher.app.refresh import Inline
from launcher.app.services import Services
from launcher.core.auth.session import UserInfo
from launcher.core.profile import shared
from launcher.core.profile.fields import load_fields
from launcher.core.profile.store import ProfileStore
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from launcher_demo import sign_in as demo_sign_in

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]
HIS = {"person.name": "张伟", "person.id_number": "11010519491231002X",
       "person.phone": "13800138000", "org.village": "李家村"}
FORM_PLATFORM = "demo.anquan"


@pytest.fixture
def services(
    demo_county: DemoCounty, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Services]:
    """The launcher's services on the demo county, in a data folder of the test's own."""
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    opened = Services.open(demo_county.county_path)
    opened.auth.wipe_local()
    try:
        yield opened
    finally:
        opened.auth.wipe_local()
        opened.close()
        county = opened.county.id
        for namespace in (f"county/{county}", f"profile/{county}", shared.SERVICE):
            SecretStore(namespace).delete_matching("")


def sign_in(services: Services, user: DemoUser) -> UserInfo:
    """The provider's login form, filled as ``user`` would (over HTTP)."""
    return demo_sign_in(services.auth, user)


def form_url(services: Services) -> str:
    platform = services.registry.get(FORM_PLATFORM)
    assert platform is not None
    return platform.expand("{base_url}/inspections/new")


def fill_plan(services: Services) -> dict[str, str]:
    """What 填表 may put into 安全排查's form now: key -> value (the person's own details)."""
    platform = services.registry.get(FORM_PLATFORM)
    assert platform is not None
    return Fill(services, Inline()).values(platform, form_url(services), None).values


def test_li_na_never_gets_zhang_weis_profile_and_his_comes_back(services: Services) -> None:
    sign_in(services, ZHANG)
    for key, value in HIS.items():
        services.profile.set(key, value)
    assert services.profile.values() == HIS
    assert "张伟" in fill_plan(services).values()

    services.logout()
    assert services.profile.values() == {}  # nobody signed in: nothing shown ...
    assert fill_plan(services) == {}  # ... nor filled

    sign_in(services, LI)  # 李娜, on the same OS account
    assert services.profile.values() == {}
    assert services.profile.get("person.id_number") is None
    assert services.profile.snapshot().values == {}
    assert fill_plan(services) == {}
    services.profile.set("person.name", "李娜")
    plan = fill_plan(services)
    assert set(plan.values()) == {"李娜"}
    assert not set(HIS.values()) & set(plan.values())

    sign_in(services, ZHANG)  # he signs in over her session, without a logout between
    assert services.profile.values() == HIS
    assert set(fill_plan(services).values()) == set(HIS.values())

    sign_in(services, LI)
    assert services.profile.values() == {"person.name": "李娜"}


def test_the_shared_profile_of_an_older_version_goes_to_the_first_to_sign_in(
    services: Services,
) -> None:
    old = {"person.name": "王芳", "person.id_number": "110105198001011238"}
    path = Path(services.data_dir).parents[1] / shared.FILE_NAME  # LAUNCHER_HOME/profile.sqlite3
    store = ProfileStore(path, SecretStore(shared.SERVICE), load_fields())
    for key, value in old.items():
        store.set(key, value)
    store.close()

    sign_in(services, LI)
    snapshot = services.profile.snapshot()
    assert snapshot.values == old and snapshot.moved_in
    assert not path.exists() and SecretStore(shared.SERVICE).names() == []
    assert not services.profile.snapshot().moved_in  # told once

    sign_in(services, ZHANG)
    assert services.profile.values() == {}


def test_logout_forgets_cached_tasks_of_every_platform_configured_or_not(
    services: Services,
) -> None:
    sign_in(services, ZHANG)
    now = datetime.now(UTC)
    for platform in (FORM_PLATFORM, "retired.minzheng"):  # the second is in no county file now
        task = TaskItem(platform=platform, id="1", title="王建国户低保复核",
                        url="http://127.0.0.1:9/t/1")
        services.cache.replace(platform, [task], now)
    assert {t.platform for t in services.cache.load()} == {FORM_PLATFORM, "retired.minzheng"}

    services.logout()

    assert services.cache.load() == []
    assert services.cache.fetched_at() == {}
