"""After a real start nothing in the data folder is readable by group or others (issue 11, item
10): the task cache with its write-ahead log, the profile, the log, the session stamps, the
settings file and the demo county's folder, under the usual umask (0022) that used to make them
0755 and 0644. Demo provider and platforms, real keyring."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from launcher.app.services import Services
from launcher.core import paths
from launcher.core.logmask import setup_logging
from launcher.core.secrets import SecretStore
from launcher.ui import i18n
from launcher_demo import DEMO_USERS, DemoCounty, sign_in

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.usefixtures("real_keyring"),
    pytest.mark.skipif(os.name != "posix", reason="POSIX modes (Windows: its ACLs)"),
]


@pytest.fixture
def usual_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def readable_by_others(root: Path) -> list[str]:
    entries = [root, *root.rglob("*")]
    modes = {p: stat.S_IMODE(os.lstat(p).st_mode) for p in entries if not p.is_symlink()}
    return [f"{p.relative_to(root)} {m:o}" for p, m in modes.items() if m & 0o077]


def test_a_real_start_leaves_nothing_readable_by_others(
    demo_county: DemoCounty,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    usual_umask: None,
    qapp: QApplication,
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("LAUNCHER_HOME", str(home))
    user = DEMO_USERS[0]
    assert paths.home() == home  # made now, as the launcher's start makes it
    services = Services.open(demo_county.county_path)
    try:
        root = logging.getLogger()
        handlers, level = list(root.handlers), root.level
        setup_logging(paths.home() / "logs" / "launcher.log")
        try:
            sign_in(services.auth, user)
            result = services.inbox.refresh()
            assert result.tasks  # the cache holds the person's tasks now
            services.profile.set("person.name", user.name)
            services.profile.set("person.id_number", "11010519491231002X")
            services.splits.split("safety_check|王建国户|2026-11")
            i18n.save_language("en")
            logging.getLogger("launcher.test").warning("the log has a line")
            files = {p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()}
            # Each kind of file the launcher writes is there to be judged.
            for expected in ("counties/demo/tasks.sqlite3-wal", "counties/demo/splits.json",
                             "logs/launcher.log", "settings.ini"):
                assert expected in files, sorted(files)
            assert any(f.startswith("counties/demo/profiles/") for f in files)
            assert any(f.startswith("session-stamps/") for f in files)

            assert readable_by_others(home) == []
        finally:
            for handler in root.handlers[len(handlers):]:
                root.removeHandler(handler)
                handler.close()
            root.setLevel(level)
            services.logout()
    finally:
        services.close()
        for namespace in ("county/demo", "profile/demo"):
            SecretStore(namespace).delete_matching("")
    assert readable_by_others(home) == []


def test_the_command_line_on_the_demo_county_writes_for_its_owner_only(
    tmp_path: Path, usual_umask: None
) -> None:
    home = tmp_path / "home"
    done = subprocess.run(
        [sys.executable, "-m", "launcher", "inbox", "--demo", "--json"],
        env={**os.environ, "LAUNCHER_HOME": str(home)},
        text=True,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)
    names = {p.relative_to(home).as_posix() for p in home.rglob("*")}
    assert {"demo/county.toml", "logs/launcher.log", "counties/demo/tasks.sqlite3"} <= names
    assert readable_by_others(home) == []
