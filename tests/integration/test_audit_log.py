"""The audit log as the launcher keeps it (launcher/app/audit.py over launcher/core/audit.py): the
use cases' events become the signed-in person's entries; two people on one OS account never see
each other's log; the county's export (the command line's too) holds no value."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.app.events import (
    Filled,
    Locked,
    PlatformOpened,
    RecordSubmitted,
    TableExported,
    Unlocked,
)
from launcher.app.services import Services
from launcher.app.session import forget_person, retire_platform, sign_out, signed_in
from launcher.core.profile import shared
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from launcher_demo import sign_in as demo_sign_in

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]
PLATFORM = "demo.anquan"
PHONE, ID_NUMBER = "13800138000", "11010519491231002X"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("LAUNCHER_HOME", str(folder))
    return folder


@pytest.fixture
def services(demo_county: DemoCounty, home: Path) -> Iterator[Services]:
    opened = Services.open(demo_county.county_path)
    opened.auth.wipe_local()
    try:
        yield opened
    finally:
        opened.auth.wipe_local()
        opened.close()
        for namespace in ("county/demo", "profile/demo", "vault/demo", "web-session/demo",
                          shared.SERVICE):
            SecretStore(namespace).delete_matching("")


def _sign_in(services: Services, user: DemoUser) -> None:
    signed_in(services, demo_sign_in(services.auth, user))


def _kinds(services: Services) -> list[tuple[str, str]]:
    return [(e.kind, e.platform) for e in services.audit.read().entries]


def _a_day(services: Services) -> None:
    """What the window announces through a working morning (values never in the events)."""
    publish = services.events.publish
    publish(PlatformOpened(PLATFORM))
    publish(Filled(PLATFORM, "safety_check", ("person.phone", "person.id_number")))
    publish(RecordSubmitted("rec-1", ((PLATFORM, "submitted"), ("demo.zhifa", "review"))))
    user = services.auth.user
    assert user is not None
    publish(Locked(user.sub))
    publish(Unlocked(user.sub))
    publish(TableExported("household", 12, "xlsx"))


def test_the_events_become_the_signed_in_persons_entries(services: Services) -> None:
    _sign_in(services, ZHANG)
    _a_day(services)
    reading = services.audit.read()
    assert reading.intact
    assert _kinds(services) == [
        ("log_started", ""), ("signed_in", ""), ("opened", PLATFORM), ("filled", PLATFORM),
        ("submitted", PLATFORM), ("submitted", "demo.zhifa"), ("locked", ""), ("unlocked", ""),
        ("table_exported", ""),
    ]
    filled = reading.entries[3]
    assert filled.details == {"fields": ("person.phone", "person.id_number"), "count": 2,
                              "form": "safety_check"}
    assert reading.entries[5].details == {"outcome": "review"}
    user = services.auth.user
    assert user is not None
    sign_out(services)
    _sign_in(services, ZHANG)
    kinds = [k for k, _ in _kinds(services)]
    assert kinds[-3:] == ["table_exported", "signed_out", "signed_in"]


def test_two_people_on_one_pc_never_see_each_others_log(services: Services) -> None:
    _sign_in(services, ZHANG)
    services.events.publish(PlatformOpened(PLATFORM))
    _sign_in(services, LI)  # over his session
    assert (PLATFORM not in {p for _, p in _kinds(services)})
    services.events.publish(PlatformOpened("demo.minzheng"))
    hers = _kinds(services)
    sign_out(services)
    assert services.audit.read().entries == ()  # nobody signed in: nobody's log
    _sign_in(services, ZHANG)
    his = _kinds(services)
    assert ("opened", PLATFORM) in his and ("switched_away", "") in his
    assert ("opened", "demo.minzheng") not in his
    assert ("opened", PLATFORM) not in hers


def test_a_retired_platform_stays_in_the_log_and_the_retirement_is_added(
    services: Services,
) -> None:
    _sign_in(services, ZHANG)
    services.events.publish(PlatformOpened(PLATFORM))
    retire_platform(services, PLATFORM)
    kinds = _kinds(services)
    assert ("opened", PLATFORM) in kinds and kinds[-1] == ("retired", PLATFORM)
    files = b"".join(p.read_bytes() for p in (services.data_dir / "audit").iterdir())
    assert PLATFORM.encode() not in files and b"anquan" not in files


def test_a_person_forgotten_leaves_no_log(services: Services) -> None:
    _sign_in(services, ZHANG)
    services.events.publish(PlatformOpened(PLATFORM))
    folder = services.data_dir / "audit"
    services.audit.flush()
    assert any(folder.iterdir())
    forget_person(services)
    assert not any(folder.iterdir())  # not even his sign-out, announced meanwhile
    _sign_in(services, ZHANG)
    assert _kinds(services) == [("log_started", ""), ("signed_in", "")]
    assert services.audit.read().intact


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_county_export_holds_no_value(
    services: Services, demo_county: DemoCounty, home: Path, tmp_path: Path, suffix: str
) -> None:
    _sign_in(services, ZHANG)
    services.profile.set("person.phone", PHONE)
    _a_day(services)
    services.audit.flush()
    out = tmp_path / f"audit{suffix}"
    result = subprocess.run(
        [sys.executable, "-m", "launcher", "--lang", "en", "audit", "export", "--out", str(out),
         "--county", str(demo_county.county_path)],
        env={**os.environ, "LAUNCHER_HOME": str(home)}, text=True, capture_output=True,
        timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert "entries exported (no values)" in result.stdout
    if suffix == ".csv":
        with out.open(encoding="utf-8-sig") as file:
            table = list(csv.reader(file))
    else:
        from openpyxl import load_workbook

        book = load_workbook(out, read_only=True)
        table = [[str(c) if c is not None else "" for c in row]
                 for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    text = "\n".join(",".join(row) for row in table)
    assert "form filled" in text and PLATFORM in text and "person.phone" in text
    assert "the log is complete" in text
    for value in (PHONE, ID_NUMBER, ZHANG.username, ZHANG.name, ZHANG.password):
        assert value not in text


def test_export_needs_someone_signed_in(demo_county: DemoCounty, home: Path,
                                       tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "launcher", "--lang", "en", "audit", "export", "--out",
         str(tmp_path / "a.csv"), "--county", str(demo_county.county_path)],
        env={**os.environ, "LAUNCHER_HOME": str(home)}, text=True, capture_output=True,
        timeout=120, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1 and "not signed in" in result.stderr
    assert not (tmp_path / "a.csv").exists()
