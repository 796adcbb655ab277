"""The groups the user split ("these are not the same task"), kept in the county's data directory.

A split names a group by its match key (``form|subject|period``, see grouping.py), not by the tasks
in it at the time: when one platform's task is later finished, or a third platform asks for the same
key, the user's judgement still holds, and every task of that key shows on a row of its own until
the user merges them again. Keys name subjects (households, shops), like the task cache beside this
file, and are forgotten with it at logout.

The file (``splits.json``) is small JSON, ``{"version": 1, "splits": ["key", …]}``, replaced whole
on every change (a temporary file, then ``os.replace``), so a crash leaves the old or the new one.
A file that cannot be read is set aside with a warning and the store starts empty: a split lost is
a group shown merged again, never a launcher that does not start.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

FILE_NAME = "splits.json"
VERSION = 1


class SplitStore:
    """The split match keys; thread-safe.

    Constructing reads the file, and ``split``, ``unsplit`` and ``clear`` write it: do these on a
    worker. ``keys`` and ``in`` answer from memory, on any thread.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._keys: frozenset[str] = self._read()

    def keys(self) -> frozenset[str]:
        """The split match keys (a snapshot: later changes do not alter it)."""
        return self._keys

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def split(self, key: str) -> bool:
        """Remember ``key`` as split; False when it was already. Raises OSError if the file cannot
        be written, and then remembers nothing."""
        with self._lock:
            if key in self._keys:
                return False
            self._write(self._keys | {key})
            return True

    def unsplit(self, key: str) -> bool:
        """Forget the split of ``key`` (its tasks group again); False when it was not split."""
        with self._lock:
            if key not in self._keys:
                return False
            self._write(self._keys - {key})
            return True

    def clear(self) -> None:
        """Forget every split and delete the file (at logout: the next user starts afresh)."""
        with self._lock:
            self._keys = frozenset()
            for path in [self.path, *self.path.parent.glob(f"{self.path.name}.corrupt-*")]:
                try:
                    path.unlink(missing_ok=True)
                except OSError as exc:
                    log.warning("%s not deleted (%s)", path, exc.strerror or exc)

    # -- the file -----------------------------------------------------------------------------

    def _read(self) -> frozenset[str]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return frozenset()
        except OSError as exc:
            log.warning("split groups not read from %s (%s); every group shows merged",
                        self.path, exc.strerror or exc)
            return frozenset()
        try:
            document = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return self._set_aside(f"not JSON ({exc})")
        if not isinstance(document, dict) or document.get("version") != VERSION:
            return self._set_aside(f'not {{"version": {VERSION}, "splits": [...]}}')
        keys = document.get("splits")
        if not isinstance(keys, list) or not all(isinstance(k, str) and k for k in keys):
            return self._set_aside('"splits" is not a list of group keys')
        return frozenset(keys)

    def _set_aside(self, problem: str) -> frozenset[str]:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            log.warning("%s is unreadable (%s) and could not be set aside (%s); every group "
                        "shows merged", self.path, problem, exc.strerror or exc)
        else:
            log.warning("%s is unreadable (%s): moved to %s; every group shows merged",
                        self.path, problem, aside.name)
        return frozenset()

    def _write(self, keys: frozenset[str]) -> None:
        text = json.dumps({"version": VERSION, "splits": sorted(keys)}, ensure_ascii=False,
                          indent=1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                             dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text + "\n")
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        self._keys = keys
