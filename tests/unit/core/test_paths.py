"""The data folder is its owner's alone (issue 11, item 10): folders 0700, files 0600, SQLite's
side files and the log included, and an older install's 0755/0644 entries tightened at start."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core import paths
from launcher.core.logmask import setup_logging

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes (Windows: its ACLs)")


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most systems have (0022), under which files used to be made 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def readable_by_others(root: Path) -> list[str]:
    """Every folder or file under ``root`` (and ``root``) that group or others may use."""
    found = [root, *root.rglob("*")]
    return [f"{p} {mode(p):o}" for p in found if not p.is_symlink() and mode(p) & 0o077]


def test_a_new_data_folder_and_its_files_are_the_owners_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "new" / "yiduantong"
    monkeypatch.setenv("LAUNCHER_HOME", str(home))
    assert paths.home() == home
    county = paths.folder("counties", "demo")
    database = paths.private_sqlite(county / "tasks.sqlite3")
    db = sqlite3.connect(database)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE t (x)")
        db.execute("INSERT INTO t VALUES ('王建国户')")
        db.commit()
        # SQLite made its write-ahead log and shared memory with the database's own mode.
        assert {p.name for p in county.iterdir()} >= {"tasks.sqlite3-wal", "tasks.sqlite3-shm"}
        assert readable_by_others(tmp_path / "new") == []
    finally:
        db.close()
    assert mode(home) == 0o700 and mode(database) == 0o600


def test_the_log_file_is_the_owners_alone(tmp_path: Path) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    log_file = tmp_path / "home" / "logs" / "launcher.log"
    try:
        setup_logging(log_file)
        logging.getLogger("launcher.test").info("任务 王建国户低保复核")
    finally:
        for handler in root.handlers[len(handlers):]:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)
    assert "王建国户" in log_file.read_text(encoding="utf-8")
    assert readable_by_others(tmp_path / "home") == []


def test_an_older_install_is_tightened_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "yiduantong"
    outside = tmp_path / "shared-notes.txt"  # someone's own file, linked from the folder
    outside.write_text("not the launcher's", encoding="utf-8")
    outside.chmod(0o644)
    for folder in ("counties/demo/profiles", "logs", "session-stamps", "demo/plugins/x"):
        (home / folder).mkdir(parents=True)
    for file in ("counties/demo/tasks.sqlite3", "counties/demo/tasks.sqlite3-wal",
                 "counties/demo/splits.json", "logs/launcher.log", "profile.sqlite3",
                 "settings.ini", "demo/plugins/x/manifest.toml"):
        (home / file).write_text("x", encoding="utf-8")
    (home / "link").symlink_to(outside)
    for entry in [home, *home.rglob("*")]:
        if not entry.is_symlink():
            entry.chmod(0o755 if entry.is_dir() else 0o644)  # as older versions left them
    monkeypatch.setenv("LAUNCHER_HOME", str(home))
    monkeypatch.setattr(paths, "_prepared", set())  # a new process

    assert paths.home() == home

    assert readable_by_others(home) == []
    assert mode(home / "counties" / "demo") == 0o700
    assert mode(home / "logs" / "launcher.log") == 0o600
    assert mode(outside) == 0o644  # what a link points to is left alone
    assert (home / paths.TIGHTENED_MARK).is_file()


def test_private_file_keeps_what_is_in_it_and_never_follows_a_link(tmp_path: Path) -> None:
    kept = tmp_path / "settings.ini"
    kept.write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    kept.chmod(0o644)
    paths.private_file(kept)
    assert kept.read_text(encoding="utf-8") == "[ui]\nlanguage=en\n" and mode(kept) == 0o600

    target = tmp_path / "elsewhere.txt"
    target.write_text("x", encoding="utf-8")
    target.chmod(0o644)
    link = tmp_path / "private" / "log"
    link.parent.mkdir(mode=0o700)
    link.symlink_to(target)
    paths.private_file(link)
    assert mode(target) == 0o644
