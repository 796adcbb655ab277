"""The burden ledger (减负账本): counts of what the launcher did instead of the person, per day and
platform, kept per county account in a small SQLite file (no values, no titles, no names: only
platform ids, days and numbers).

``add`` counts up, ``at_least`` keeps the day's highest figure (tasks seen in the inbox); the
queries sum by ISO week and by platform. A platform retired (三清) takes its rows with it, and the
file is rebuilt so nothing deleted lingers in it. Thread-safe; calls touch the disk: not on the
GUI thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from launcher.core import paths

METRICS = (
    "opened",
    "signed_in_for_you",
    "fills",
    "fields_filled",
    "submitted",
    "multi_submits",
    "tasks_seen",
    "inbox_checks",
)
"""What is counted (``add``/``at_least``); ``multi_submits`` is kept under the platform ''."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counts (
    day TEXT NOT NULL,
    platform TEXT NOT NULL,
    metric TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (day, platform, metric)
)
"""


@dataclass(frozen=True)
class Count:
    day: date
    platform: str
    metric: str
    n: int


class LedgerStore:
    """The ledger of the county account ``owner()`` names (its digest names the file); nothing
    is kept while nobody is signed in."""

    def __init__(self, folder: Path, owner: Callable[[], str],
                 digest: Callable[[str], str]) -> None:
        self.folder = Path(folder)
        self._owner = owner
        self._digest = digest
        self._lock = threading.Lock()

    def path_for(self, sub: str) -> Path:
        return self.folder / f"{self._digest(sub)}.sqlite3"

    def _open(self, sub: str | None = None) -> sqlite3.Connection | None:
        sub = self._owner() if sub is None else sub
        if not sub:
            return None
        path = paths.private_sqlite(self.path_for(sub))
        db = sqlite3.connect(path, timeout=10)
        db.execute(_SCHEMA)
        return db

    # -- counting --------------------------------------------------------------------------------

    def add(self, day: date, platform: str, metric: str, n: int = 1) -> None:
        self._write(day, platform, metric, n, "n + excluded.n")

    def at_least(self, day: date, platform: str, metric: str, n: int) -> None:
        """The day's figure is at least ``n`` (tasks seen: the highest of the day)."""
        self._write(day, platform, metric, n, "MAX(n, excluded.n)")

    def _write(self, day: date, platform: str, metric: str, n: int, merge: str) -> None:
        if metric not in METRICS or n <= 0:
            return
        with self._lock:
            db = self._open()
            if db is None:
                return
            try:
                with db:
                    db.execute(
                        "INSERT INTO counts (day, platform, metric, n) VALUES (?, ?, ?, ?) "
                        f"ON CONFLICT (day, platform, metric) DO UPDATE SET n = {merge}",
                        (day.isoformat(), platform[:200], metric, min(int(n), 10**9)),
                    )
            finally:
                db.close()

    # -- reading ---------------------------------------------------------------------------------

    def counts(self, since: date | None = None) -> list[Count]:
        """Every count of the signed-in person (since ``since``), oldest first."""
        with self._lock:
            db = self._open()
            if db is None:
                return []
            try:
                rows = db.execute(
                    "SELECT day, platform, metric, n FROM counts WHERE day >= ? "
                    "ORDER BY day, platform, metric",
                    ((since or date.min).isoformat(),),
                ).fetchall()
            finally:
                db.close()
        found = []
        for day, platform, metric, n in rows:
            try:
                found.append(Count(date.fromisoformat(day), str(platform), str(metric), int(n)))
            except (TypeError, ValueError):
                continue
        return found

    # -- forgetting ------------------------------------------------------------------------------

    def forget(self, sub: str) -> None:
        """The person leaves: their ledger goes."""
        with self._lock:
            path = self.path_for(sub)
            for suffix in ("", "-journal", "-wal", "-shm"):
                path.with_name(path.name + suffix).unlink(missing_ok=True)

    def forget_platform(self, platform_id: str, scrub: Callable[[Path], None]) -> None:
        """The platform was retired: its rows go from every person's ledger here (``scrub``
        rebuilds each file so nothing deleted lingers)."""
        with self._lock:
            for path in self._files():
                db = sqlite3.connect(path, timeout=10)
                try:
                    with db:
                        db.execute("DELETE FROM counts WHERE platform = ?", (platform_id,))
                finally:
                    db.close()
                scrub(path)

    def _files(self) -> Iterable[Path]:
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.sqlite3"))
