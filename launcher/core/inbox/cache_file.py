"""The task cache's file: its name in a county's data folder, and the start snapshot read from it
without opening the cache (launcher/core/inbox/cache.py keeps both; the window's start reads the
snapshot before the county's services, and that module, exist)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

TASKS_FILE = "tasks.sqlite3"
"""The task cache's file in a county's data folder."""
MAX_SNAPSHOT_BYTES = 64 * 1024 * 1024
"""A start snapshot larger than this is not read (100,000 tasks take about 30 MB)."""


def read_snapshot(path: Path) -> tuple[str, bytes] | None:
    """The start snapshot kept in the task cache at ``path``, as (owner digest, body), read
    without changing the file (no migration, no new file); None when there is none, or it cannot
    be read now. For the window's start, before the county's services (and the cache) exist."""
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=0.5)
    except (sqlite3.Error, OSError, ValueError):
        return None
    try:
        row = db.execute(
            "SELECT owner, body FROM snapshot WHERE id = 1 AND length(body) <= ?",
            (MAX_SNAPSHOT_BYTES,),
        ).fetchone()
    except sqlite3.Error:
        return None  # an older cache without the table, locked, damaged
    finally:
        db.close()
    if row is None or not isinstance(row[0], str) or not isinstance(row[1], bytes):
        return None
    return row[0], row[1]
