"""三清 (issue 15): a retired platform leaves nothing on this computer.

Two people (county accounts) use one Windows account: each has, for 安全排查 (``demo.anquan``)
and for 综合执法 (``demo.zhifa``), a saved password, a platform token, a kept web session, cached
tasks, a notice, a split, a record with the platform's outcome and fill history. After the
retirement a search of the keyring (every item of the Secret Service collection), of every file
of the data folder (bytes: SQLite free pages and write-ahead logs too; the records files are
partly encrypted, so their contents are also asked through the API) finds nothing of the
platform: its id (but in the report and the retirement record, which name it on purpose), its
origin, its tasks' titles, its outcome's message, its secrets. 综合执法's data is untouched.
Also: the report, sign-out forgetting platforms no longer configured, a pack's retirements
applied once per data folder, and ``launcher retire`` in its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest

from launcher.api import TaskItem
from launcher.app import sanqing
from launcher.app.events import PlatformRetired
from launcher.app.services import Services
from launcher.app.session import restore, sign_out, signed_in
from launcher.core.auth.web_session import WebSession
from launcher.core.inbox.grouping import match_key
from launcher.core.profile import shared
from launcher.core.profile.records import Outcome, OutcomeState
from launcher.core.secrets import SecretStore
from launcher_demo import DEMO_USERS, DemoCounty, DemoUser
from launcher_demo import sign_in as demo_sign_in

pytestmark = [pytest.mark.keyring, pytest.mark.usefixtures("real_keyring")]

ZHANG, LI = DEMO_USERS[0], DEMO_USERS[1]
RETIRED, KEPT = "demo.anquan", "demo.zhifa"
PHONE = "13800138000"


@dataclass
class Put:
    """What one person's data of one platform is made of (to look for it afterwards)."""

    platform: str
    title: str
    receipt: str
    password: str
    token: str = ""
    web: str = ""
    split: str = ""
    record: str = ""
    secrets: list[str] = field(default_factory=list)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("LAUNCHER_HOME", str(folder))
    return folder


def _clean_keyring(county: str = "demo") -> None:
    for namespace in (f"county/{county}", f"profile/{county}", f"vault/{county}",
                      f"web-session/{county}", shared.SERVICE):
        SecretStore(namespace).delete_matching("")


@pytest.fixture
def services(demo_county: DemoCounty, home: Path) -> Iterator[Services]:
    _clean_keyring()
    opened = Services.open(demo_county.county_path)
    opened.auth.wipe_local()
    try:
        yield opened
    finally:
        opened.auth.wipe_local()
        opened.close()
        _clean_keyring()


def _sign_in(services: Services, user: DemoUser) -> None:
    signed_in(services, demo_sign_in(services.auth, user))


def _origin(services: Services, platform_id: str) -> str:
    platform = services.registry.get(platform_id)
    assert platform is not None
    return platform.base_url


def _put(services: Services, platform_id: str, who: str) -> Put:
    """A person's data of every kind for the platform, as the window and refreshes keep it."""
    origin = _origin(services, platform_id)
    put = Put(platform_id, f"三清{who}{platform_id[-5:]}户安全检查任务",
              f"RECEIPT-{who}-{platform_id}-7731", f"pw-{who}-{platform_id}-secret")
    task = TaskItem(platform=platform_id, id=f"{who}-1", title=put.title, url=f"{origin}/t/1",
                    form="safety_check", subject=f"{who}村{platform_id[-5:]}户", period="2026-12")
    services.cache.replace(platform_id, [task], datetime.now(UTC))
    services.cache.remember_notified([(platform_id, task.id, "new", None)], datetime.now(UTC))
    key = match_key(task)
    assert key is not None
    services.splits.split(key)
    put.split = key
    services.vault.set(platform_id, f"{who}-legacy", put.password)
    platform = services.registry.get(platform_id)
    assert platform is not None
    put.token = services.auth.token_for(platform) or ""
    assert put.token
    put.web = f"web-{who}-{platform_id}-cookie"
    services.web_sessions.keep(platform_id, WebSession({"JSESSIONID": put.web}, "", 1.0))
    records = services.records
    household = records.save_subject("household", {"household.head_name": f"{who}户主"})
    record = records.save_record("inspection", {"inspection.date": "2026-12-01"},
                                 subject_id=household.id, tasks=[task.key])
    records.set_outcome(record.id, Outcome(platform_id, OutcomeState.SUBMITTED, put.receipt, "",
                                           task.key))
    records.note_filled(platform_id, "safety_check", {"person.phone": PHONE})
    put.record = record.id
    put.secrets = [put.token, put.password, put.web]
    services.auth.tokens.flush()
    return put


def _two_people(services: Services) -> dict[tuple[str, str], Put]:
    """张伟 puts his data and signs out; 李娜 signs in and puts hers (she stays signed in)."""
    puts = {}
    _sign_in(services, ZHANG)
    for platform_id in (RETIRED, KEPT):
        puts[("zhang", platform_id)] = _put(services, platform_id, "zhang")
    sign_out(services)
    _sign_in(services, LI)
    for platform_id in (RETIRED, KEPT):
        puts[("li", platform_id)] = _put(services, platform_id, "li")
    return puts


# -- searching ---------------------------------------------------------------------------------


def keyring_items() -> list[tuple[dict[str, str], str]]:
    """Every item of the Secret Service collection the launcher writes to: attributes, secret."""
    collection = keyring.get_keyring().get_preferred_collection()  # type: ignore[attr-defined]
    found = []
    for item in collection.get_all_items():
        secret = item.get_secret()
        text = secret.decode("utf-8", "replace") if isinstance(secret, bytes) else str(secret)
        found.append((dict(item.get_attributes()), text))
    return found


def keyring_finds(words: list[str]) -> list[str]:
    return [f"{attrs.get('service')}/{attrs.get('username')}: {word}"
            for attrs, secret in keyring_items()
            for word in words if word in secret or any(word in v for v in attrs.values())]


def folder_finds(home: Path, words: list[str], *, except_: tuple[str, ...] = ()) -> list[str]:
    """Files under ``home`` whose bytes hold one of ``words`` (UTF-8), but ``except_`` (paths
    relative to home, a folder ending in /)."""
    found = []
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        relative = path.relative_to(home).as_posix()
        if any(relative == e or (e.endswith("/") and relative.startswith(e)) for e in except_):
            continue
        data = path.read_bytes()
        found += [f"{relative}: {w}" for w in words if w.encode("utf-8") in data]
    return found


RECORDS_OF_RETIREMENT = ("reports/", "counties/demo/retired.json")
"""The files that name the retired platform on purpose: the report, and the retirement record."""


def _of_the_platform(services: Services, puts: dict[tuple[str, str], Put],
                     platform_id: str, origin: str) -> list[str]:
    words = [origin.split("://", 1)[1]]
    for (_who, pid), put in puts.items():
        if pid == platform_id:
            words += [put.title, put.receipt, put.split, *put.secrets]
    return words


# -- the tests ---------------------------------------------------------------------------------


def test_after_retirement_the_keyring_and_data_folder_hold_nothing_of_the_platform(
    services: Services, home: Path
) -> None:
    puts = _two_people(services)
    origin, kept_origin = _origin(services, RETIRED), _origin(services, KEPT)
    retired_words = _of_the_platform(services, puts, RETIRED, origin)
    kept_words = _of_the_platform(services, puts, KEPT, kept_origin)
    # The log of the launcher, as the window writes it: lines naming it go, the others stay.
    log = home / "logs" / "launcher.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(
        f"INFO refresh of {RETIRED} took 0.2 s\n"
        f"INFO GET {origin}/api/tasks answered 200\n"
        f"INFO notice about 「{puts[('li', RETIRED)].title}」\n"
        f"INFO refresh of {KEPT} took 0.3 s\n", encoding="utf-8")
    announced: list[PlatformRetired] = []
    services.events.subscribe(PlatformRetired, announced.append)

    # Before: it is all there (so the searches below are searching the right places).
    assert keyring_finds([RETIRED]) and folder_finds(home, [RETIRED, origin.split("//")[1]])

    report = sanqing.retire(services, [RETIRED], why=sanqing.BY_PERSON, web=None)

    assert announced == [PlatformRetired(RETIRED)]
    assert report.complete, report.failed
    # The keyring: no entry names it, no secret holds it, none of its secrets is left.
    assert keyring_finds([RETIRED, *retired_words]) == []
    # Every file of the data folder, byte for byte (the report and the record of the
    # retirement name its id, and nothing else of it).
    assert folder_finds(home, retired_words) == []
    assert folder_finds(home, [RETIRED], except_=RECORDS_OF_RETIREMENT) == []
    assert log.read_text(encoding="utf-8").splitlines() == [f"INFO refresh of {KEPT} took 0.3 s"]
    # Through the API too (the records files seal sensitive values).
    assert {t.platform for t in services.cache.load()} == {KEPT}
    assert {key[0] for key in services.cache.notified()} == {KEPT}
    assert puts[("li", RETIRED)].split not in services.splits
    assert puts[("li", KEPT)].split in services.splits
    assert services.vault.saved() == [KEPT]
    assert services.web_sessions.get(RETIRED) is None
    assert services.web_sessions.get(KEPT) is not None
    assert services.auth.tokens.entry(RETIRED) is None
    assert services.auth.tokens.entry(KEPT) is not None
    # The other platform's data is all there (李娜's token, password and web session of it).
    assert len(keyring_finds(kept_words[-3:])) == 3
    for who, user in (("li", LI), ("zhang", ZHANG)):
        if who == "zhang":
            sign_out(services)
            _sign_in(services, user)
        record = services.records.record(puts[(who, KEPT)].record)
        gone = services.records.record(puts[(who, RETIRED)].record)
        assert record is not None and set(record.outcomes) == {KEPT}
        assert gone is not None and gone.outcomes == {} and gone.tasks == ()  # the work stays
        assert [f.platform_id for f in services.records.filled_with("person.phone", PHONE)] == [
            KEPT]
        assert services.vault.saved() == [KEPT]
    # The other platform's token still comes from the session.
    kept = services.registry.get(KEPT)
    assert kept is not None and services.auth.token_for(kept)
    # No longer shown: not in this registry, nor in the next one.
    assert services.registry.get(RETIRED) is None
    again = Services.open(services.county.path)
    try:
        assert again.registry.get(RETIRED) is None and again.registry.get(KEPT) is not None
        assert RETIRED not in sanqing.known_platforms(again)
    finally:
        again.close()


def test_the_report_says_what_was_cleared_and_names_no_secret(
    services: Services, home: Path
) -> None:
    puts = _two_people(services)
    origin = _origin(services, RETIRED)
    report = sanqing.retire(services, [RETIRED], why=sanqing.by_pack("2026.12.2"), web=None)
    assert report.path is not None and report.path.parent == home / "reports"
    assert report.path.name.startswith("sanqing-") and report.path.suffix == ".json"
    if os.name == "posix":
        assert report.path.stat().st_mode & 0o777 == 0o600
    document = json.loads(report.path.read_text(encoding="utf-8"))
    assert document["format"] == 1 and document["report"] == "sanqing"
    assert document["county"] == "demo" and document["platforms"] == [RETIRED]
    assert document["why"] == "pack 2026.12.2" and document["complete"] is True
    when = datetime.fromisoformat(document["at"].replace("Z", "+00:00"))
    assert abs((datetime.now(UTC) - when).total_seconds()) < 120
    items = {item["kind"]: item for item in document["items"]}
    assert set(items) == {"web data", "splits", "tasks", "notices", "profile", "passwords",
                          "session", "platform sessions", "records", "log", "audit",
                          "ledger", "last tabs"}
    assert all(item["platform"] == RETIRED for item in document["items"])
    held = {kind: item["held"] for kind, item in items.items()}
    # 张伟's tasks, notices, splits and web session went at his sign-out; both passwords stay
    # until now.
    assert held["tasks"] == 1 and held["notices"] == 1 and held["splits"] == 1
    assert held["passwords"] == 2 and held["platform sessions"] == 1 and held["session"] == 1
    for kind in ("splits", "tasks", "notices", "passwords", "platform sessions", "records"):
        assert items[kind]["state"] == "cleared", items[kind]
        assert items[kind]["not_cleared"] == []
    assert items["profile"]["state"] == "kept"
    assert items["audit"]["state"] == "kept"  # the person's append-only log, sealed on disk
    # Its access token was revoked at the identity service; 李娜's county sign-in, kept here,
    # still holds its scopes until she signs in again.
    session = items["session"]
    assert [n["code"] for n in session["cleared"]] == ["deleted", "revoked"]
    assert [n["code"] for n in session["not_cleared"]] == ["grant"]
    assert session["state"] == "partly"
    # This process has no web profile: a window open now would keep the pages' data in memory.
    assert items["web data"]["state"] == "partly"
    assert [n["code"] for n in items["web data"]["not_cleared"]] == ["no-web-profile-here"]
    text = report.path.read_text(encoding="utf-8")
    for put in puts.values():
        for word in (*put.secrets, put.title, put.receipt, put.split):
            assert word not in text
    for word in (origin.split("//")[1], "zhangwei", "lina", "张伟", "李娜", str(home)):
        assert word not in text


def test_the_web_profile_is_cleared_through_the_windows_clearer(
    services: Services, home: Path
) -> None:
    asked: list[tuple[tuple[str, ...], tuple[str, ...]]] = []

    class Window:
        def clear_web(self, platform_ids: tuple[str, ...],
                      origins: tuple[str, ...]) -> sanqing.WebCleared:
            asked.append((platform_ids, origins))
            return sanqing.WebCleared(True, tabs=2, cookies=3,
                                      cleared=("cookies", "local storage", "HTTP cache"),
                                      failed=(("IndexedDB", "blocked by an open page"),))

    platform = services.registry.get(RETIRED)
    assert platform is not None
    assert isinstance(Window(), sanqing.WebClearer)
    report = sanqing.retire(services, [RETIRED], why=sanqing.BY_PERSON, web=Window())
    assert asked == [((RETIRED,), platform.origins)]
    (web,) = [item for item in report.items if item.kind == "web data"]
    assert web.state is sanqing.State.FAILED and web.held == 3
    assert not report.complete
    # A retirement not cleared completely is tried again at the next sign-out.
    ledger = json.loads((home / "counties" / "demo" / "platforms.json").read_text("utf-8"))
    assert RETIRED in ledger["platforms"]
    assert sanqing.unconfigured(services) == [RETIRED]


def _county_without(county_path: Path, platform_id: str, where: Path) -> Path:
    """A copy of the demo county file without ``platform_id`` (the same county id)."""
    blocks = county_path.read_text(encoding="utf-8").split("\n\n")
    kept = [b for b in blocks if f'plugin = "{platform_id}"' not in b]
    assert len(kept) == len(blocks) - 1
    path = where / "county-without.toml"
    path.write_text("\n\n".join(kept), encoding="utf-8")
    return path


def test_sign_out_forgets_the_platforms_no_longer_configured(
    services: Services, home: Path, tmp_path: Path
) -> None:
    puts = _two_people(services)
    sign_out(services)
    assert not list((home / "reports").glob("*.json"))  # nothing unconfigured yet
    services.close()
    # The county's next file no longer lists 安全排查.
    without = Services.open(_county_without(services.county.path, RETIRED, tmp_path))
    try:
        assert sanqing.unconfigured(without) == [RETIRED]
        _sign_in(without, LI)
        sign_out(without)
        (path,) = (home / "reports").glob("sanqing-*.json")
        document = json.loads(path.read_text(encoding="utf-8"))
        assert document["platforms"] == [RETIRED]
        assert document["why"] == "no longer configured" and document["complete"]
        assert sanqing.unconfigured(without) == []
        assert not [n for n in without.vault.store.names() if n.startswith(RETIRED + "/")]
        _sign_in(without, ZHANG)
        record = without.records.record(puts[("zhang", RETIRED)].record)
        assert record is not None and record.outcomes == {}
        assert [f.platform_id for f in without.records.filled_with("person.phone", PHONE)] == [
            KEPT]
        origin = puts[("zhang", RETIRED)]
        assert folder_finds(home, [origin.title, origin.receipt, origin.password]) == []
        sign_out(without)
        assert len(list((home / "reports").glob("*.json"))) == 1  # forgotten once
    finally:
        without.auth.wipe_local()
        without.close()


def test_a_packs_retirements_are_applied_once_per_data_folder(
    services: Services, home: Path, tmp_path: Path
) -> None:
    _sign_in(services, LI)
    _put(services, RETIRED, "li")
    services.close()
    without = Services.open(_county_without(services.county.path, RETIRED, tmp_path))
    try:
        # Configured still: a pack that both configures and retires it is not followed.
        assert sanqing.pending_retirements(services, [RETIRED]) == []
        assert sanqing.pending_retirements(without, [RETIRED, ""]) == [RETIRED]
        report = sanqing.retire_for_pack(without, [RETIRED], "2026.12.2")
        assert report is not None and report.why == "pack 2026.12.2" and report.complete
        assert sanqing.pending_retirements(without, [RETIRED]) == []
        assert sanqing.retire_for_pack(without, [RETIRED], "2026.12.2") is None
        assert sanqing.unconfigured(without) == []  # nothing left for sign-out
    finally:
        without.close()
    # A later pack configures it again: it may be retired again after that.
    back = Services.open(services.county.path)
    try:
        assert back.registry.get(RETIRED) is not None
    finally:
        back.close()
    without = Services.open(_county_without(services.county.path, RETIRED, tmp_path))
    try:
        assert sanqing.pending_retirements(without, [RETIRED]) == [RETIRED]
    finally:
        without.close()


# -- the command line --------------------------------------------------------------------------


def _launcher(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launcher", "--lang", "en", *args],
        env={**os.environ, "LAUNCHER_HOME": str(home)}, text=True, capture_output=True,
        timeout=120, stdin=subprocess.DEVNULL,
    )


def test_launcher_retire_on_the_command_line(services: Services, home: Path) -> None:
    county = str(services.county.path)
    puts = _two_people(services)
    origin = _origin(services, RETIRED)
    retired_words = _of_the_platform(services, puts, RETIRED, origin)
    services.close()

    unconfirmed = _launcher(home, "retire", RETIRED, "--county", county)
    assert unconfirmed.returncode == 1 and "add --yes to confirm" in unconfirmed.stderr
    unknown = _launcher(home, "retire", "demo.nothing", "--yes", "--county", county)
    assert unknown.returncode == 1
    assert "demo.nothing is not a platform of this county" in unknown.stderr
    assert keyring_finds([RETIRED])  # nothing was deleted

    done = _launcher(home, "retire", RETIRED, "--yes", "--county", county)
    assert done.returncode == 0, done.stderr
    assert f"platform {RETIRED} removed" in done.stdout
    assert "saved passwords: cleared (2)" in done.stdout
    (report,) = (home / "reports").glob("sanqing-*.json")
    assert f"三清 report: {report}" in done.stdout
    assert json.loads(report.read_text(encoding="utf-8"))["why"] == "person"

    assert keyring_finds([RETIRED, *retired_words]) == []
    # Its log included: the commands above wrote to it.
    assert (home / "logs" / "launcher.log").is_file()
    assert folder_finds(home, retired_words) == []
    assert folder_finds(home, [RETIRED], except_=RECORDS_OF_RETIREMENT) == []
    status = _launcher(home, "status", "--county", county, "--json")
    assert status.returncode == 0, status.stderr
    assert RETIRED not in status.stdout and KEPT in status.stdout
    chinese = subprocess.run(
        [sys.executable, "-m", "launcher", "retire", RETIRED, "--yes", "--county", county],
        env={**os.environ, "LAUNCHER_HOME": str(home)}, text=True, capture_output=True,
        timeout=120, stdin=subprocess.DEVNULL)
    assert chinese.returncode == 0, chinese.stderr  # again: nothing held, said in Chinese
    assert f"已移除平台 {RETIRED}" in chinese.stdout
    reopened = Services.open(services.county.path)
    try:
        assert restore(reopened) is not None  # 李娜 is still signed in
        assert reopened.vault.saved() == [KEPT]
    finally:
        reopened.close()
