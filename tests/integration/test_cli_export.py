"""`launcher inbox` exports and the cache: --ics parsed back with icalendar, --cached with every
demo server stopped, and the option combinations that make no sense refused (a new process each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from launcher_demo import DemoCounty, sign_in
from tests.oidc.launcher_cli import county_copy

pytestmark = pytest.mark.usefixtures("real_keyring")

COUNTY = "demo-export"  # its own keyring entries and data folder, apart from other tests'


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "launcher", *args],
        env={**os.environ, "LAUNCHER_HOME": str(home)},
        text=True,
        capture_output=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@dataclass
class Refreshed:
    county: Path
    home: Path
    rows: list[dict[str, Any]]
    """`inbox --json` while the demo county ran."""
    ics: bytes
    """`inbox --ics` (written with --output) while it ran."""
    names: dict[str, str]
    """Platform id → name."""


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Refreshed]:
    """A demo county of its own: signed in, refreshed twice (JSON, ICS), then stopped for good."""
    from launcher.app.services import Services

    base = tmp_path_factory.mktemp("export")
    home = base / "home"
    saved_home = os.environ["LAUNCHER_HOME"]
    os.environ["LAUNCHER_HOME"] = str(home)
    services = None
    try:
        with DemoCounty(directory=base / "county") as demo:
            county = county_copy(demo, COUNTY, base)
            services = Services.open(county)
            sign_in(services.auth)
            names = {p.id: p.name for p in services.registry.platforms}
            listed = run(["inbox", "--county", str(county), "--json"], home)
            assert listed.returncode == 0, listed.stderr
            assert "launcher: demo." not in listed.stderr  # every platform current
            out = base / "inbox.ics"
            exported = run(["inbox", "--county", str(county), "--ics", "--output", str(out)], home)
            assert exported.returncode == 0, exported.stderr
            assert exported.stdout == ""
        # Every demo server (provider and platforms) is stopped from here on.
        yield Refreshed(county, home, json.loads(listed.stdout), out.read_bytes(), names)
    finally:
        if services is not None:
            services.auth.wipe_local()  # no session left in the keyring for other tests
            services.close()
        os.environ["LAUNCHER_HOME"] = saved_home


def todos(data: bytes) -> list[icalendar.Todo]:
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//yiduantong//launcher")
    items = list(calendar.walk("VTODO"))
    # Due times name their zone, which the file defines (once), as calendar apps need.
    zones = ["Asia/Shanghai"] if any("DUE" in t for t in items) else []
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == zones
    return items


def test_ics_has_one_todo_per_inbox_row(refreshed: Refreshed) -> None:
    items = todos(refreshed.ics)
    rows = {f"{r['platform']}/{r['id']}@yiduantong": r for r in refreshed.rows}
    assert len(rows) >= 20
    assert [str(t["UID"]) for t in items] == list(rows), "one VTODO per row, in inbox order"
    for todo in items:
        row = rows[str(todo["UID"])]
        assert str(todo["SUMMARY"]) == row["title"]
        assert str(todo["URL"]) == row["url"]
        assert str(todo["STATUS"]) == "NEEDS-ACTION"
        assert todo.decoded("DTSTAMP").tzinfo is not None
        due = todo.decoded("DUE")
        assert due == datetime.fromisoformat(row["due"])
        assert str(due.tzinfo) == "Asia/Shanghai" and due.utcoffset() == timedelta(hours=8)
        assert todo["DUE"].params["TZID"] == "Asia/Shanghai"
        description = str(todo["DESCRIPTION"])
        for platform in row["platforms"]:
            assert f"{refreshed.names[platform]} ({platform})" in description
        if row["subject"]:
            assert row["subject"] in description
        assert [str(c) for c in todo["CATEGORIES"].cats] == [
            refreshed.names[p] for p in row["platforms"]
        ]


def test_ics_names_both_platforms_of_the_shared_inspection_once(refreshed: Refreshed) -> None:
    items = todos(refreshed.ics)
    shared = [r for r in refreshed.rows if {"demo.anquan", "demo.zhifa"} <= set(r["platforms"])]
    assert shared, "the safety inspection asked by both platforms"
    for row in shared:
        zhifa = next(i for i in row["items"] if i["platform"] == "demo.zhifa")
        anquan = next(i for i in row["items"] if i["platform"] == "demo.anquan")
        # Exactly one to-do holds the work: the other platform's item is no to-do of its own.
        holding = [t for t in items if zhifa["url"] in str(t.get("DESCRIPTION", ""))]
        assert len(holding) == 1
        (todo,) = holding
        assert str(todo["URL"]) in {anquan["url"], zhifa["url"]}
        assert anquan["url"] in str(todo["DESCRIPTION"])
        assert "安全排查 (demo.anquan)" in str(todo["DESCRIPTION"])
        assert "执法检查 (demo.zhifa)" in str(todo["DESCRIPTION"])
        other_uids = {f"{i['platform']}/{i['id']}@yiduantong" for i in row["items"]}
        assert sum(str(t["UID"]) in other_uids for t in items) == 1


def test_cached_prints_the_same_tasks_with_every_server_stopped(refreshed: Refreshed) -> None:
    county = str(refreshed.county)
    cached = run(
        ["inbox", "--county", county, "--cached", "--json", "--lang", "en"], refreshed.home
    )
    assert cached.returncode == 0, cached.stderr
    assert json.loads(cached.stdout) == refreshed.rows
    # Each platform's state is told on stderr, in the window's words: stale, since the refresh.
    platforms = {p for r in refreshed.rows for p in r["platforms"]}
    for platform in platforms:
        assert f"launcher: {platform}: Offline data, as of " in cached.stderr
    assert "failed" not in cached.stderr.lower() and "Traceback" not in cached.stderr
    # In Chinese by default; what scripts read is the same in either language.
    chinese = run(["inbox", "--county", county, "--cached", "--json"], refreshed.home)
    assert chinese.stdout == cached.stdout
    for platform in platforms:
        assert f"launcher: {platform}: 离线数据，截至 " in chinese.stderr

    ics = run(["inbox", "--county", county, "--cached", "--ics"], refreshed.home)
    assert ics.returncode == 0, ics.stderr
    assert [str(t["UID"]) for t in todos(ics.stdout.encode("utf-8"))] == [
        str(t["UID"]) for t in todos(refreshed.ics)
    ]

    # Without --cached the command tries the platforms: each one's failure is named, and the
    # cached tasks are still printed.
    refresh = run(
        ["inbox", "--county", county, "--refresh", "--csv", "--lang", "en"], refreshed.home
    )
    assert refresh.returncode == 0, refresh.stderr
    assert "launcher: demo.anquan: Failed: cannot connect" in refresh.stderr
    assert "showing its" in refresh.stderr
    lines = refresh.stdout.splitlines()
    assert lines[0] == "platform,id,title,due,url,status,subject,platforms"
    assert len(lines) == 1 + len(refreshed.rows)


def test_cached_without_a_cache_says_so(refreshed: Refreshed, tmp_path: Path) -> None:
    result = run(["inbox", "--county", str(refreshed.county), "--cached", "--lang", "en"], tmp_path)
    assert result.returncode == 1
    assert "no cached tasks" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_cached_and_refresh_together_are_refused(tmp_path: Path) -> None:
    both = run(["inbox", "--county", "x.toml", "--cached", "--refresh"], tmp_path)
    assert both.returncode == 2
    assert "--refresh: not allowed with argument --cached" in both.stderr
    demo = run(["inbox", "--demo", "--cached"], tmp_path)
    assert demo.returncode == 1
    assert "--cached" in demo.stderr and "--county PATH" in demo.stderr
    formats = run(["inbox", "--county", "x.toml", "--ics", "--csv"], tmp_path)
    assert formats.returncode == 2 and "not allowed with" in formats.stderr


def test_csv_file_opens_in_excel_and_ics_keeps_priority_and_changes(
    refreshed: Refreshed, tmp_path: Path
) -> None:
    out = tmp_path / "inbox.csv"
    result = run(
        ["inbox", "--county", str(refreshed.county), "--cached", "--csv", "-o", str(out)],
        refreshed.home,
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfplatform,id,title,")  # UTF-8 with a BOM, for Excel/WPS
    assert refreshed.rows[0]["title"] in data.decode("utf-8-sig")

    # Fields the demo platforms do not send: built directly (the same function the command uses).
    from launcher.api import TaskGroup, TaskItem
    from launcher.core.inbox.export import to_ics
    from launcher.core.inbox.timestamps import CHINA

    changed = datetime(2026, 11, 2, 9, 30, tzinfo=CHINA)
    items = (
        TaskItem("a.x", "1", "核对", "https://a/1", priority=12, updated=changed),
        TaskItem("b.y", "2", "核对", "https://b/2", priority=4),
    )
    (todo,) = todos(to_ics([TaskGroup("k", items)], {"a.x": "甲"}))
    assert todo.decoded("PRIORITY") == 4  # the most urgent item's, on iCalendar's 1..9 scale
    assert todo.decoded("LAST-MODIFIED") == changed
    assert "DUE" not in todo
    assert "甲 (a.x)" in str(todo["DESCRIPTION"]) and "b.y" in str(todo["DESCRIPTION"])
