"""The per-person audit log (launcher/core/audit.py): appended, sealed, chained, rotated; every
removal, change or reordering of its lines is found when it is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from launcher.core.audit import (
    ROTATED,
    STARTED,
    AuditLog,
    Entry,
    Problem,
    key_name,
    log_digest,
)
from launcher.core.secrets import SecretStore

ZHANG, LI = "sub-zhangwei", "sub-lina"


@pytest.fixture
def audit(tmp_path: Path) -> AuditLog:
    return AuditLog(tmp_path / "audit", SecretStore("profile/test"))


def _fill(audit: AuditLog, sub: str = ZHANG, count: int = 4) -> None:
    audit.append(sub, Entry("signed_in", details={"restored": False}))
    for n in range(count - 1):
        audit.append(sub, Entry("filled", "demo.anquan",
                                {"form": "safety_check", "fields": ("person.phone",), "count": n}))


def _lines(audit: AuditLog, sub: str = ZHANG) -> tuple[Path, list[bytes]]:
    path = audit.folder / f"{log_digest(sub)}.log"
    return path, path.read_bytes().splitlines()


def _problems(audit: AuditLog, sub: str = ZHANG) -> set[Problem]:
    return {f.problem for f in audit.read(sub).problems}


def test_entries_are_appended_in_order_with_their_time_and_number(audit: AuditLog) -> None:
    _fill(audit)
    reading = audit.read(ZHANG)
    assert reading.intact
    assert [e.kind for e in reading.entries] == [STARTED, "signed_in", "filled", "filled",
                                                 "filled"]
    assert [e.seq for e in reading.entries] == [1, 2, 3, 4, 5]
    filled = reading.entries[2]
    assert filled.platform == "demo.anquan"
    assert filled.details == {"form": "safety_check", "fields": ("person.phone",), "count": 0}
    assert datetime.fromisoformat(filled.at).tzinfo is not None


def test_each_person_has_a_log_of_their_own(audit: AuditLog) -> None:
    _fill(audit, ZHANG)
    audit.append(LI, Entry("opened", "demo.minzheng"))
    assert [e.kind for e in audit.read(LI).entries] == [STARTED, "opened"]
    assert all(e.platform != "demo.minzheng" for e in audit.read(ZHANG).entries)
    assert audit.read("sub-nobody").entries == ()


@pytest.mark.parametrize("value", ["13800138000", "王建国", "a value with spaces", "x=1",
                                   ("person.phone", "13800138000")])
def test_details_hold_names_and_counts_never_values(audit: AuditLog, value: object) -> None:
    with pytest.raises(ValueError):
        audit.append(ZHANG, Entry("filled", "demo.anquan", {"fields": value}))  # type: ignore[dict-item]
    assert not audit.holds(ZHANG) or all(e.kind != "filled" for e in audit.read(ZHANG).entries)


def test_the_files_name_no_platform_field_nor_time_in_clear(audit: AuditLog) -> None:
    _fill(audit)
    audit.append(ZHANG, Entry("opened", "demo.anquan"))
    raw = b"".join(p.read_bytes() for p in audit.folder.iterdir())
    for clear in (b"demo.anquan", b"anquan", b"person.phone", b"safety_check", b"filled",
                  b"signed_in", datetime.now(UTC).strftime("%Y-%m-%d").encode(), ZHANG.encode()):
        assert clear not in raw
    assert SecretStore("profile/test").get(key_name(log_digest(ZHANG))) is not None


def test_a_deleted_entry_is_found(audit: AuditLog) -> None:
    _fill(audit)
    path, lines = _lines(audit)
    path.write_bytes(b"\n".join(lines[:2] + lines[3:]) + b"\n")
    reading = audit.read(ZHANG)
    assert [(f.problem, f.seq) for f in reading.problems] == [(Problem.BROKEN, 4)]
    assert len(reading.entries) == 4  # the others are still shown


def test_an_edited_entry_is_found(audit: AuditLog) -> None:
    _fill(audit)
    path, lines = _lines(audit)
    edited = bytearray(lines[2])
    edited[30] = ord("A") if edited[30] != ord("A") else ord("B")
    path.write_bytes(b"\n".join([*lines[:2], bytes(edited), *lines[3:]]) + b"\n")
    problems = audit.read(ZHANG).problems
    assert problems[0].problem is Problem.ALTERED and problems[0].seq == 3
    assert Problem.BROKEN in {f.problem for f in problems}  # the next one no longer follows it


def test_reordered_entries_are_found(audit: AuditLog) -> None:
    _fill(audit)
    path, lines = _lines(audit)
    path.write_bytes(b"\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + b"\n")
    assert _problems(audit) == {Problem.BROKEN}


def test_a_line_from_another_persons_log_is_found(audit: AuditLog) -> None:
    _fill(audit, ZHANG)
    _fill(audit, LI)
    path, lines = _lines(audit, ZHANG)
    _, hers = _lines(audit, LI)
    path.write_bytes(b"\n".join([*lines[:2], hers[2], *lines[3:]]) + b"\n")
    assert Problem.ALTERED in _problems(audit)


def test_the_first_and_the_newest_entries_removed_are_found(audit: AuditLog) -> None:
    _fill(audit)
    path, lines = _lines(audit)
    path.write_bytes(b"\n".join(lines[1:]) + b"\n")
    assert _problems(audit) == {Problem.START_REMOVED}
    path.write_bytes(b"\n".join(lines[:-2]) + b"\n")
    assert _problems(audit) == {Problem.END_REMOVED}


def test_a_log_removed_as_a_whole_is_found_when_the_next_entry_comes(audit: AuditLog) -> None:
    _fill(audit)
    for path in audit.folder.iterdir():
        path.unlink()
    assert _problems(audit) == set()  # nothing to read: the next entry says it
    audit.append(ZHANG, Entry("signed_out"))
    assert _problems(audit) == {Problem.LOG_REMOVED}


def test_the_head_removed_is_found(audit: AuditLog) -> None:
    _fill(audit)
    (audit.folder / f"{log_digest(ZHANG)}.head").unlink()
    assert _problems(audit) == {Problem.HEAD_MISSING}


def test_the_log_is_rotated_by_size_and_stays_bounded(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit", SecretStore("profile/test"), max_bytes=4000)
    for n in range(200):
        audit.append(ZHANG, Entry("opened", "demo.anquan", {"count": n}))
    files = sorted(p.name for p in audit.folder.glob("*.log"))
    assert len(files) == 2
    assert sum(p.stat().st_size for p in audit.folder.glob("*.log")) <= 2 * 4000
    reading = audit.read(ZHANG)
    assert reading.intact, reading.problems
    assert reading.entries[-1].details["count"] == 199
    assert reading.entries[0].kind == ROTATED and reading.entries[0].seq > 1
    seqs = [e.seq for e in reading.entries]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def test_the_earlier_file_removed_is_found(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit", SecretStore("profile/test"), max_bytes=4000)
    for n in range(40):
        audit.append(ZHANG, Entry("opened", "demo.anquan", {"count": n}))
    (audit.folder / f"{log_digest(ZHANG)}.1.log").unlink()
    assert _problems(audit) == {Problem.START_REMOVED}


def test_the_log_is_rotated_by_age(audit: AuditLog) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    audit.append(ZHANG, Entry("signed_in"), now=start)
    audit.append(ZHANG, Entry("opened", "demo.anquan"), now=start + timedelta(days=10))
    audit.append(ZHANG, Entry("opened", "demo.anquan"), now=start + timedelta(days=200))
    assert (audit.folder / f"{log_digest(ZHANG)}.1.log").is_file()
    audit.append(ZHANG, Entry("opened", "demo.anquan"), now=start + timedelta(days=400))
    reading = audit.read(ZHANG)
    assert reading.intact
    assert all(e.at >= (start + timedelta(days=200)).isoformat() for e in reading.entries)


def test_forget_erases_the_log_and_its_key_and_no_one_elses(audit: AuditLog) -> None:
    _fill(audit, ZHANG)
    _fill(audit, LI)
    audit.forget(ZHANG)
    assert not audit.holds(ZHANG) and audit.read(ZHANG).entries == ()
    assert SecretStore("profile/test").get(key_name(log_digest(ZHANG))) is None
    assert not list(audit.folder.glob(f"{log_digest(ZHANG)}*"))
    assert audit.read(LI).intact and len(audit.read(LI).entries) == 5
    audit.append(ZHANG, Entry("signed_in"))  # a new log, nothing lost to report
    assert audit.read(ZHANG).intact
