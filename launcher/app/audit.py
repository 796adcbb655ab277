"""The per-person audit log in the launcher's life: what people do, written to their own log
(launcher/core/audit.py) as the use cases announce it, read back for the person, and exported for
the county without any value.

``AuditRecorder`` subscribes to the events (launcher/app/events.py) and writes, for the account
the event concerns (the one signed in when it was published, or the one it names):

- sign-in (a session restored too), sign-out, another person signing in over the session, the
  screen locked and unlocked;
- a platform's page opened; a form filled (its form's key, the field names and their number);
  a record submitted (each platform's outcome); tasks marked done (counts per platform); the one
  table imported or exported (kind and counts); a platform retired by the county.

Events are published on any thread, the window's GUI thread too: handlers only queue the entry,
and one thread of the recorder's own writes them, in order. A person forgotten (``launcher
forget``) has their log and key erased, and nothing more is written for them until they sign in
again. The log is kept when a platform is retired (the person's account of what they did, sealed
on disk: its files name no platform in clear), and the retirement is added to it.

No Qt here.
"""

from __future__ import annotations

import csv
import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

from launcher.app.events import (
    Events,
    Filled,
    Locked,
    MarkedDone,
    PlatformOpened,
    PlatformRetired,
    RecordSubmitted,
    SignedIn,
    SignedOut,
    TableExported,
    TableImported,
    Unlocked,
    UserSwitched,
)
from launcher.app.vocabulary import Words
from launcher.core.audit import ROTATED, STARTED, AuditLog, Entry, Problem, Reading

log = logging.getLogger(__name__)

FLUSH_SECONDS = 10.0

KINDS: dict[str, Words] = {
    STARTED: Words("操作记录开始", "log started"),
    ROTATED: Words("较早的记录已归档", "earlier entries archived"),
    "signed_in": Words("登录", "signed in"),
    "switched_away": Words("他人登录，本人会话结束", "another person signed in; session ended"),
    "signed_out": Words("退出登录", "signed out"),
    "locked": Words("锁屏", "locked"),
    "unlocked": Words("解锁", "unlocked"),
    "opened": Words("打开平台", "platform opened"),
    "filled": Words("填表", "form filled"),
    "submitted": Words("提交记录", "record submitted"),
    "marked_done": Words("标记完成", "marked done"),
    "table_imported": Words("导入表格", "table imported"),
    "table_exported": Words("导出表格", "table exported"),
    "retired": Words("平台已停用（三清）", "platform retired (三清)"),
}
PROBLEMS: dict[Problem, Words] = {
    Problem.ALTERED: Words("第 {seq} 条记录被改动，无法读取", "entry {seq} was changed and cannot be read"),
    Problem.BROKEN: Words("第 {seq} 条记录之前有记录被删除、插入或调换",
                          "entries were removed, inserted or moved before entry {seq}"),
    Problem.START_REMOVED: Words("最早的记录被删除", "the earliest entries were removed"),
    Problem.END_REMOVED: Words("最新的记录被删除（应有 {seq} 条以上）",
                               "the newest entries were removed (there were more than {seq})"),
    Problem.HEAD_MISSING: Words("记录的校验信息丢失或被改动", "the log's check was removed or changed"),
    Problem.LOG_REMOVED: Words("此前的操作记录被整体删除", "the earlier log was removed as a whole"),
}
INTACT = Words("操作记录完整，未发现删改", "the log is complete: nothing removed or changed")
HEADERS = (Words("序号", "No."), Words("时间", "time"), Words("操作", "action"),
           Words("平台", "platform"), Words("平台名称", "platform name"),
           Words("详情（只有字段名和数量）", "details (field names and counts only)"))


class AuditRecorder:
    """Writes the events' entries to the person's log (see the module); reads it back."""

    def __init__(self, log_: AuditLog, events: Events, owner: Callable[[], str]) -> None:
        self.log = log_
        self._owner = owner
        self._lock = threading.Lock()
        self._worker: ThreadPoolExecutor | None = None
        self._forgotten: set[str] = set()
        for kind, handler in _handlers(self).items():
            events.subscribe(kind, handler)

    def note(self, entry: Entry, sub: str | None = None) -> None:
        """Queue ``entry`` for ``sub``'s log (the signed-in person's by default; nobody: none)."""
        sub = self._owner() if sub is None else sub
        if not sub:
            return
        with self._lock:
            if self._worker is None:
                self._worker = ThreadPoolExecutor(1, thread_name_prefix="audit")
            self._worker.submit(self._write, sub, entry)

    def flush(self) -> None:
        """Wait until every queued entry is written."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.submit(lambda: None).result(timeout=FLUSH_SECONDS)

    def read(self, sub: str | None = None) -> Reading:
        """The signed-in person's log (or ``sub``'s), checked; empty when nobody is signed in."""
        sub = self._owner() if sub is None else sub
        if not sub:
            return Reading()
        self.flush()
        return self.log.read(sub)

    def forget(self, sub: str) -> None:
        """Erase ``sub``'s log and key; nothing more is written for them until they sign in."""
        with self._lock:
            self._forgotten.add(sub)
        self.flush()
        self.log.forget(sub)

    def close(self) -> None:
        """The signed-in person's use ends: what is queued is written, keys leave memory."""
        self.flush()
        self.log.close()

    def _write(self, sub: str, entry: Entry) -> None:
        with self._lock:
            if sub in self._forgotten:
                if entry.kind != "signed_in":
                    return
                self._forgotten.discard(sub)
        try:
            self.log.append(sub, entry)
        except Exception as exc:  # the log never stops the work it follows
            log.warning("audit entry %s not written: %s", entry.kind, exc)


def _handlers(recorder: AuditRecorder) -> dict[type[Any], Callable[[Any], None]]:
    note = recorder.note

    def signed_in(event: SignedIn) -> None:
        note(Entry("signed_in", details={"restored": event.restored}), event.user.sub)

    def filled(event: Filled) -> None:
        names = tuple(f for f in event.fields if _is_name(f))
        details: dict[str, Any] = {"fields": names, "count": len(event.fields)}
        if _is_name(event.form_key):
            details["form"] = event.form_key
        note(Entry("filled", event.platform_id, details))

    def submitted(event: RecordSubmitted) -> None:
        for platform_id, state in event.outcomes:
            details = {"outcome": state} if _is_name(state) else {}
            note(Entry("submitted", platform_id, details))

    def marked_done(event: MarkedDone) -> None:
        counts: dict[str, dict[str, int]] = {}
        for item in getattr(event.outcome, "done", []):
            counts.setdefault(item.platform, {"count": 0, "failed": 0})["count"] += 1
        for item, _error in getattr(event.outcome, "failed", []):
            counts.setdefault(item.platform, {"count": 0, "failed": 0})["failed"] += 1
        for platform_id, details in counts.items():
            note(Entry("marked_done", platform_id, details))

    def imported(event: TableImported) -> None:
        note(Entry("table_imported", details={
            "kind": event.kind, "rows": event.rows, "added": event.added,
            "updated": event.updated, "errors": event.errors}))

    def exported(event: TableExported) -> None:
        note(Entry("table_exported", details={
            "kind": event.kind, "rows": event.rows, "format": event.format}))

    return {
        SignedIn: signed_in,
        UserSwitched: lambda e: note(Entry("switched_away"), e.previous_sub),
        SignedOut: lambda e: note(Entry("signed_out"), e.sub),
        Locked: lambda e: note(Entry("locked"), e.sub),
        Unlocked: lambda e: note(Entry("unlocked"), e.sub),
        PlatformOpened: lambda e: note(Entry("opened", e.platform_id)),
        Filled: filled,
        RecordSubmitted: submitted,
        MarkedDone: marked_done,
        TableImported: imported,
        TableExported: exported,
        PlatformRetired: lambda e: note(Entry("retired", e.platform_id)),
    }


def _is_name(text: str) -> bool:
    from launcher.core.audit import checked_details

    try:
        checked_details({"name": text})
    except ValueError:
        return False
    return True


# -- words and the export ----------------------------------------------------------------------


def kind_words(kind: str, language: str) -> str:
    words = KINDS.get(kind)
    return words.in_(language) if words is not None else kind


def problem_words(problem: Problem, seq: int, language: str) -> str:
    return PROBLEMS[problem].in_(language).format(seq=seq)


def local_time(at: str) -> str:
    """An entry's time on this computer's clock, to the second."""
    try:
        return datetime.fromisoformat(at).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return at


def details_text(entry: Entry) -> str:
    """The details as ``name: value`` pairs (names and counts only: the log holds no values)."""
    parts = []
    for key, value in entry.details.items():
        shown = ", ".join(value) if isinstance(value, tuple) else str(value)
        parts.append(f"{key}: {shown}")
    return "; ".join(parts)


def rows(reading: Reading, language: str,
         platform_name: Callable[[str], str] = str) -> list[list[str | int]]:
    """The entries as the export's rows, oldest first."""
    return [[entry.seq, local_time(entry.at), kind_words(entry.kind, language), entry.platform,
             platform_name(entry.platform) if entry.platform else "", details_text(entry)]
            for entry in reading.entries]


def integrity(reading: Reading, language: str) -> list[str]:
    """What reading found wrong, in words (or that the log is complete)."""
    return [problem_words(f.problem, f.seq, language) for f in reading.problems] or [
        INTACT.in_(language)]


def export_log(reading: Reading, path: Path, language: str,
               platform_name: Callable[[str], str] = str) -> int:
    """Write the log to ``path`` (``.xlsx``, else CSV in UTF-8 with its mark, as Excel reads it):
    its entries, oldest first, and whether it is complete; returns the number of entries."""
    headers = [h.in_(language) for h in HEADERS]
    table = rows(reading, language, platform_name)
    checks = integrity(reading, language)
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

        book = Workbook(write_only=True)
        sheet = book.create_sheet(Words("操作记录", "audit log").in_(language))
        _write_rows(sheet.append, [headers, *table])
        check = book.create_sheet(Words("完整性", "integrity").in_(language))
        _write_rows(check.append, [[line] for line in checks])
        book.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            integrity_kind = Words("完整性", "integrity").in_(language)
            _write_rows(writer.writerow, [headers, *table, *(
                ["", "", integrity_kind, "", "", line] for line in checks)])
    return len(table)


def _write_rows(append: Callable[[list[Any]], None], table: Iterable[list[Any]]) -> None:
    for row in table:
        append([_cell(value) for value in row])


def _cell(value: Any) -> Any:
    """A text a spreadsheet would take for a formula (a county's platform name could start so)
    is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
