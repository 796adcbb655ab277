"""Who may see a start snapshot (launcher/app/start_snapshot.py): it is shown only while the
session stamp names the person it was kept for, with the county file it was kept with, and only
while the task cache holds it: a sign-out, another person and a retired platform take it away.
The session stamp is written by the identity session itself (StoredSession), naming the person
by a digest of their ``sub`` while signed in and no one once signed out."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from launcher.api import TaskGroup, TaskItem
from launcher.app import start_snapshot
from launcher.core import paths
from launcher.core.auth import session_stamp
from launcher.core.auth.stored_session import StoredSession
from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.cache_file import TASKS_FILE, read_snapshot
from launcher.core.inbox.snapshot import encode
from launcher.core.secrets import SecretStore
from launcher.ui.inbox_index import prepare_groups

COUNTY = "snapcounty"
SECRET_TITLE = "城南社区王建国户低保复核"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    return paths.home()


@pytest.fixture
def county_path(tmp_path: Path) -> Path:
    path = tmp_path / "county.toml"
    path.write_text(f'[county]\nid = "{COUNTY}"\nname = "测试县"\n', encoding="utf-8")
    return path


@pytest.fixture
def cache(home: Path) -> TaskCache:
    found = TaskCache(paths.folder("counties", COUNTY) / TASKS_FILE)
    yield found
    found.close()


def body(county_path: Path, title: str = SECRET_TITLE) -> bytes:
    task = TaskItem("demo.anquan", "1", title, "http://127.0.0.1:9/t/1")
    groups = prepare_groups([TaskGroup(task.key, (task,))])
    return encode(groups, groups.order,
                  platforms=[("demo.anquan", "安全生产", "Safety")], forms={}, person="张伟",
                  county=start_snapshot.county_key(county_path))


def session_of(sub: str | None) -> None:
    """The county's session saved (for ``sub``) or deleted, as the identity session does."""
    stored = StoredSession(SecretStore(f"county/{COUNTY}"), lambda raw: {"raw": raw}, "session",
                           owner=lambda session: str(session["user"]["sub"]))
    if sub is None:
        stored.delete()
    else:
        stored.save({"user": {"sub": sub}}, "{}")


def keep(cache: TaskCache, county_path: Path, sub: str) -> None:
    assert cache.put_snapshot(session_stamp.owner_digest(sub), body(county_path),
                              cache.generation)


def test_the_persons_own_snapshot_is_shown_to_them(cache, county_path) -> None:
    session_of("zhang")
    keep(cache, county_path, "zhang")
    found = start_snapshot.load(county_path)
    assert found is not None
    assert [g.title for g in found.groups] == [SECRET_TITLE]
    assert found.owner == session_stamp.owner_digest("zhang") and found.person == "张伟"


def test_it_is_the_stamp_file_the_keyring_session_writes(cache, county_path) -> None:
    """load() finds the stamp where the county's identity session writes it."""
    stored = StoredSession(SecretStore(f"county/{COUNTY}"), lambda raw: None, "session")
    assert stored.stamp_path == session_stamp.stamp_path(
        start_snapshot.SESSION_SERVICE.format(county=COUNTY), start_snapshot.SESSION_ENTRY)


def test_a_stamp_of_an_older_launcher_is_completed_when_the_session_is_read(
    cache, county_path, home
) -> None:
    """An older launcher's stamp names nobody: the session read from the keyring (the window's
    start restores it) names its person, so the next start may show the snapshot."""
    session_of("zhang")
    keep(cache, county_path, "zhang")
    stamp = session_stamp.stamp_path(f"yiduantong/county/{COUNTY}", "session")
    stamp.write_text("0123456789abcdef", encoding="ascii")  # as an older launcher wrote it
    assert start_snapshot.load(county_path) is None
    reader = StoredSession(SecretStore(f"county/{COUNTY}"), lambda raw: {"user": {"sub": "zhang"}},
                           "session", owner=lambda session: str(session["user"]["sub"]))
    reads: list[str] = []
    keyring_get = reader.secrets.get
    reader.secrets.get = lambda name: reads.append(name) or keyring_get(name)  # type: ignore[method-assign]
    assert reader.get() == {"user": {"sub": "zhang"}}
    assert start_snapshot.load(county_path) is not None
    assert reader.get() == {"user": {"sub": "zhang"}} and reads == ["session"]  # its own stamp


def test_not_once_another_person_signed_in(cache, county_path) -> None:
    session_of("zhang")
    keep(cache, county_path, "zhang")
    session_of("li")  # 李娜 signed in (in this process or another): the stamp names her
    assert start_snapshot.load(county_path) is None


def test_not_after_a_sign_out(cache, county_path) -> None:
    session_of("zhang")
    keep(cache, county_path, "zhang")
    session_of(None)
    assert start_snapshot.load(county_path) is None


def test_not_when_the_stamp_names_nobody_or_is_garbage(cache, county_path, home) -> None:
    keep(cache, county_path, "zhang")
    assert start_snapshot.load(county_path) is None  # no stamp at all
    stamp = session_stamp.stamp_path(f"yiduantong/county/{COUNTY}", "session")
    for text in ("", "0123456789abcdef", "x " + "g" * 32, "x " + session_stamp.owner_digest(
            "zhang")[:31], "\x00" * 300):
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(text, encoding="latin-1")
        assert start_snapshot.load(county_path) is None, text


def test_not_with_another_county_file(cache, county_path) -> None:
    session_of("zhang")
    keep(cache, county_path, "zhang")
    stat = county_path.stat()
    os.utime(county_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert start_snapshot.load(county_path) is None  # a new county pack may list other platforms


def test_forgetting_tasks_takes_it_away(cache, county_path) -> None:
    session_of("zhang")
    keep(cache, county_path, "zhang")
    cache.forget("demo.retired")  # any platform: the snapshot shows every one
    assert start_snapshot.load(county_path) is None
    keep(cache, county_path, "zhang")
    cache.forget()
    assert start_snapshot.load(county_path) is None


def test_tasks_shown_before_a_forget_are_not_kept(cache, county_path) -> None:
    """Shown to 张伟, then signed out before the snapshot was written: it is not written."""
    session_of("zhang")
    shown_at = cache.generation
    cache.forget()
    assert not cache.put_snapshot(session_stamp.owner_digest("zhang"), body(county_path),
                                  shown_at)
    assert read_snapshot(cache.path) is None


def test_a_damaged_snapshot_is_not_shown_and_its_text_not_logged(cache, county_path, caplog):
    session_of("zhang")
    whole = body(county_path)
    damaged = whole[: len(whole) // 2]  # cut short
    assert cache.put_snapshot(session_stamp.owner_digest("zhang"), damaged, cache.generation)
    with caplog.at_level(logging.DEBUG):
        assert start_snapshot.load(county_path) is None
    assert "start snapshot" in caplog.text and SECRET_TITLE not in caplog.text


def test_reading_changes_no_file(home, county_path, tmp_path) -> None:
    """No cache yet, an older cache without the table, a file that is not one: nothing shown,
    nothing made or changed."""
    session_of("zhang")
    folder = home / "counties" / COUNTY
    assert start_snapshot.load(county_path) is None
    assert not (folder / TASKS_FILE).exists()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / TASKS_FILE).write_bytes(b"not a database")
    assert start_snapshot.load(county_path) is None
    assert (folder / TASKS_FILE).read_bytes() == b"not a database"


def test_a_broken_county_file_shows_nothing(cache, county_path) -> None:
    session_of("zhang")
    keep(cache, county_path, "zhang")
    county_path.write_text('[county]\nid = "../x"\n', encoding="utf-8")
    assert start_snapshot.load(county_path) is None
    county_path.unlink()
    assert start_snapshot.load(county_path) is None
