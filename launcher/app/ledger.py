"""The burden ledger (减负账本): what the launcher did instead of the person, counted from the
application's events (no Qt), summed by week and by platform, the time it saved under stated
assumptions, and an export a township can hand to the county (csv, xlsx; the window adds a PDF).

Counted: platform pages opened, and of those the ones signed in without the person typing (single
sign-on or the password vault); forms filled and their fields; records sent to several platforms
from one entry (一次填报); tasks seen in the one inbox instead of on each platform, and each
platform whose tasks were seen that day. Usage per platform (days used, opens, tasks, fills) tells
the county which platforms are little used. Nothing personal is counted: no values, titles or names,
only platform ids, days and numbers; each person's ledger is their own (the account's data owner
lists it).
"""

from __future__ import annotations

import csv
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launcher.app.events import Filled, PlatformOpened, RecordSubmitted, Refreshed
from launcher.app.vocabulary import Words
from launcher.core.ledger import Count, LedgerStore

if TYPE_CHECKING:
    from launcher.app.events import Events
    from launcher.core.registry import Registry

log = logging.getLogger(__name__)

SENT = ("submitted", "review")
"""A record's outcomes that mean the platform received it (launcher/app/submit.py)."""

ASSUMPTIONS: dict[str, tuple[int, Words]] = {
    "signed_in_for_you": (30, Words("每次免输入登录一个平台按 30 秒计",
                                    "each platform signed in without typing: 30 s")),
    "fields_filled": (6, Words("每个自动填入的字段按 6 秒计",
                               "each field filled in for the person: 6 s")),
    "inbox_checks": (45, Words("每天在统一待办里看到一个平台的待办，省去登录该平台查看，按 45 秒计",
                               "each platform's tasks seen in the one inbox on a day, instead "
                               "of visiting it: 45 s")),
    "multi_submits": (60, Words("每次一次填报同时报送多个平台，省去重复录入的整理时间按 60 秒计",
                                "each record sent to several platforms from one entry: 60 s "
                                "besides its fields")),
}
"""Seconds saved per counted unit, with the assumption in words (said wherever a time is)."""

METRIC_WORDS: dict[str, Words] = {
    "signed_in_for_you": Words("免输入登录", "Sign-ins without typing"),
    "fields_filled": Words("自动填入字段", "Fields filled"),
    "fills": Words("填表次数", "Forms filled"),
    "submitted": Words("报送到平台", "Sent to platforms"),
    "multi_submits": Words("一次填报多平台", "One entry, several platforms"),
    "tasks_seen": Words("统一待办中看到的待办", "Tasks seen in one inbox"),
    "inbox_checks": Words("免登录查看平台待办（平台·天）", "Platforms checked without visiting (platform·days)"),
    "opened": Words("打开平台", "Platform pages opened"),
}


@dataclass(frozen=True)
class Week:
    start: date
    totals: Mapping[str, int]
    seconds_saved: int


@dataclass(frozen=True)
class PlatformUse:
    platform: str
    name: str
    days_used: int
    opens: int
    tasks: int
    fills: int
    fields: int
    submitted: int


@dataclass(frozen=True)
class LedgerSummary:
    weeks: tuple[Week, ...]
    platforms: tuple[PlatformUse, ...]
    totals: Mapping[str, int] = field(default_factory=dict)
    seconds_saved: int = 0
    first: date | None = None
    last: date | None = None


class LedgerCounter:
    """Counts the events of the person signed in into their ledger (``subscribe`` once)."""

    def __init__(self, store: LedgerStore, registry: Registry) -> None:
        self.store = store
        self._registry = registry

    def subscribe(self, events: Events) -> None:
        events.subscribe(PlatformOpened, self._opened)
        events.subscribe(Filled, self._filled)
        events.subscribe(RecordSubmitted, self._submitted)
        events.subscribe(Refreshed, self._refreshed)

    @staticmethod
    def _today() -> date:
        return datetime.now().astimezone().date()

    def _opened(self, event: PlatformOpened) -> None:
        day, pid = self._today(), event.platform_id
        self.store.add(day, pid, "opened")
        platform = self._registry.get(pid)
        if platform is not None and platform.manifest.auth.kind != "none":
            self.store.add(day, pid, "signed_in_for_you")

    def _filled(self, event: Filled) -> None:
        day = self._today()
        self.store.add(day, event.platform_id, "fills")
        self.store.add(day, event.platform_id, "fields_filled", len(event.fields))

    def _submitted(self, event: RecordSubmitted) -> None:
        day = self._today()
        sent = [pid for pid, outcome in event.outcomes if outcome in SENT]
        for pid in sent:
            self.store.add(day, pid, "submitted")
        if len(set(sent)) >= 2:
            self.store.add(day, "", "multi_submits")

    def _refreshed(self, event: Refreshed) -> None:
        if event.partial:
            return
        result: Any = event.result
        counts: dict[str, int] = defaultdict(int)
        for task in getattr(result, "tasks", ()) or ():
            counts[str(getattr(task, "platform", ""))] += 1
        day = self._today()
        for pid, state in (getattr(result, "states", {}) or {}).items():
            if str(getattr(state, "state", "")) != "current":
                continue
            self.store.at_least(day, pid, "inbox_checks", 1)
            self.store.at_least(day, pid, "tasks_seen", counts.get(pid, 0))


def summarise(counts: Iterable[Count], names: Mapping[str, str] | None = None) -> LedgerSummary:
    """The ledger by ISO week (Monday first) and by platform, with the time saved."""
    names = names or {}
    weeks: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    days: dict[str, set[date]] = defaultdict(set)
    seen_days: list[date] = []
    for count in counts:
        monday = count.day - timedelta(days=count.day.weekday())
        weeks[monday][count.metric] += count.n
        totals[count.metric] += count.n
        seen_days.append(count.day)
        if count.platform:
            per[count.platform][count.metric] += count.n
            days[count.platform].add(count.day)
    week_list = tuple(Week(start, dict(values), seconds_saved(values))
                      for start, values in sorted(weeks.items()))
    platforms = tuple(
        PlatformUse(
            pid, names.get(pid, pid), len(days[pid]), values.get("opened", 0),
            values.get("tasks_seen", 0), values.get("fills", 0), values.get("fields_filled", 0),
            values.get("submitted", 0),
        )
        for pid, values in sorted(per.items(), key=lambda item: (-len(days[item[0]]), item[0]))
    )
    return LedgerSummary(week_list, platforms, dict(totals), seconds_saved(totals),
                         min(seen_days) if seen_days else None,
                         max(seen_days) if seen_days else None)


def seconds_saved(totals: Mapping[str, int]) -> int:
    return sum(totals.get(metric, 0) * seconds for metric, (seconds, _) in ASSUMPTIONS.items())


def assumptions_text(language: str) -> list[str]:
    return [words.in_(language) for _, words in ASSUMPTIONS.values()]


# -- the export for the county -----------------------------------------------------------------


def export_rows(summary: LedgerSummary, language: str, county: str) -> list[list[object]]:
    """The export's rows: by week, then by platform, then the assumptions. No personal data."""
    zh = not language.startswith("en")
    metrics = ["signed_in_for_you", "fields_filled", "submitted", "multi_submits",
               "tasks_seen", "inbox_checks"]
    rows: list[list[object]] = [
        ["减负账本" if zh else "Burden ledger", county],
        [("按周" if zh else "By week")],
        ["周一" if zh else "Week of",
         *(METRIC_WORDS[m].in_(language) for m in metrics),
         "节省时间（小时）" if zh else "Time saved (hours)"],
    ]
    for week in summary.weeks:
        rows.append([week.start.isoformat(), *(week.totals.get(m, 0) for m in metrics),
                     round(week.seconds_saved / 3600, 1)])
    rows.append([])
    rows.append(["按平台" if zh else "By platform"])
    rows.append(["平台" if zh else "Platform",
                 "使用天数" if zh else "Days used", "打开次数" if zh else "Opens",
                 "待办" if zh else "Tasks", "填表" if zh else "Forms filled",
                 "字段" if zh else "Fields", "报送" if zh else "Sent"])
    for use in summary.platforms:
        rows.append([_cell(use.name), use.days_used, use.opens, use.tasks, use.fills,
                     use.fields, use.submitted])
    rows.append([])
    rows.append(["节省时间的估算依据" if zh else "How the time saved is estimated"])
    rows.extend([line] for line in assumptions_text(language))
    return rows


def _cell(text: str) -> str:
    """A spreadsheet cell of outside text (a platform's name), never a formula."""
    text = " ".join(str(text).split())[:200]
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def write_export(path: Path, rows: list[list[object]]) -> Path:
    """Write the rows as .csv or .xlsx (by the file's suffix); returns the path."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "减负账本"
        for row in rows:
            sheet.append(row)
        book.save(path)
        return path
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(rows)
    return path
