"""三清's parts that need no county: the log lines that name a retired platform, the report's
words (no file path, no secret), its JSON and file. The whole use case, with two people, the
keyring and the data folder searched, is tests/integration/test_sanqing.py."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from launcher.app import sanqing
from launcher.app.sanqing_report import Item, Note, SanqingReport, State, why, write_report


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_the_log_loses_the_lines_naming_the_platform_and_keeps_the_others(home: Path) -> None:
    log = home / "logs" / "launcher.log"
    log.parent.mkdir(parents=True)
    lines = [
        "refresh of gov.tasks took 0.2 s",          # its id
        "GET http://10.0.0.5:8001/api/tasks 200",   # its host and port
        "notice: 李家村王建国户安全检查 due",          # its task's title
        "refresh of gov.tasks2 took 0.2 s",         # another id that starts with it
        "GET http://10.0.0.5:80012/api 200",        # another port of the host
        "GET http://10.0.0.5:8002/api 200",         # another platform on the host
        "refresh of xgov.tasks took 0.1 s",
    ]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    known = {"gov.tasks": sanqing._Known(("http://10.0.0.5:8001",), True,
                                          frozenset({"李家村王建国户安全检查"}))}
    (item,) = sanqing._logs(("gov.tasks",), known)
    assert item.state is State.CLEARED and item.held == 3
    assert log.read_text(encoding="utf-8").splitlines() == lines[3:]


def test_a_failure_is_said_without_the_file_it_names(tmp_path: Path) -> None:
    try:
        (tmp_path / "zhangwei-documents" / "x").read_text()
    except OSError as exc:
        said = why(exc)
    assert said == "FileNotFoundError: No such file or directory"
    assert "zhangwei" not in said


def test_the_report_file_is_json_and_its_owners_alone(home: Path) -> None:
    at = datetime(2026, 12, 7, 13, 0, 5, tzinfo=UTC)
    items = (
        Item("gov.tasks", "passwords", State.CLEARED, 2, (Note("deleted", "2: deleted"),)),
        Item("gov.tasks", "session", State.PARTLY, 1,
             (Note("revoked", "access token revoked"),
              Note("not-revoked-failed", "refresh token: unreachable", False))),
        Item("gov.tasks", "records", State.FAILED, None,
             (Note("error", "not deleted: OperationalError: database is locked", False),)),
    )
    report = SanqingReport("anji", ("gov.tasks",), "pack 2026.12.2", at, items)
    assert not report.complete and report.failed == items[2:]
    first, second = write_report(report), write_report(report)
    assert first is not None and first.name == "sanqing-20261207T130005Z.json"
    assert second is not None and second.name == "sanqing-20261207T130005Z-2.json"
    if os.name == "posix":
        assert first.stat().st_mode & 0o777 == 0o600
    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["at"] == "2026-12-07T13:00:05Z" and document["why"] == "pack 2026.12.2"
    assert document["complete"] is False and document["platforms"] == ["gov.tasks"]
    session = document["items"][1]
    assert session["state"] == "partly" and session["held"] == 1
    assert session["cleared"] == [{"code": "revoked", "detail": "access token revoked"}]
    assert session["not_cleared"] == [{"code": "not-revoked-failed",
                                       "detail": "refresh token: unreachable"}]
