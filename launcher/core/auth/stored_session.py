"""The signed-in session's keyring entry, read once and then kept in memory.

Another process may change the entry: a second launcher window or ``launcher inbox`` on the
command line rotates the refresh token, signs out, or signs in as someone else. Reading the keyring
before every token grant would notice, at a keyring read per grant (tens of milliseconds with the
Secret Service, so 30 platforms pay it 30 times). Instead, whoever writes or deletes the entry then
writes a new random value to a small stamp file under the launcher's home (no secret in it), and a
reader reads the keyring again only when the stamp differs from the one it saw: a file read. With a
provider that rotates refresh tokens this matters most: a rotated-away refresh token used again is
taken for a stolen one and the provider revokes the whole grant, signing every process out.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from launcher.core import paths
from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

Session = dict[str, Any]
STAMP_DIR = "session-stamps"
"""Folder under the launcher's home holding one stamp file per session entry."""


class StoredSession:
    """One session entry of ``secrets`` (``name``), parsed by ``parse`` (None: no usable session).

    ``on_change(old, new)`` is called (outside any lock) when a read finds the entry changed by
    someone else since this process last read or wrote it.
    """

    def __init__(
        self,
        secrets: SecretStore,
        parse: Callable[[str], Session | None],
        name: str = "session",
        on_change: Callable[[Session | None, Session | None], None] | None = None,
    ) -> None:
        self.secrets = secrets
        self.name = name
        self.on_change = on_change
        self._parse = parse
        self._lock = threading.Lock()
        self._loaded = False
        self._session: Session | None = None
        self._seen = ""
        self.stamp_path = paths.home() / STAMP_DIR / f"{quote(secrets.service, safe='')}.{name}"

    def get(self) -> Session | None:
        """The session: from memory, or from the keyring when it changed since (or never read)."""
        return self._read(force=False)

    def reload(self) -> Session | None:
        """The session read from the keyring now (the stamp may have missed a change)."""
        return self._read(force=True)

    def save(self, session: Session, raw: str) -> None:
        """Keep ``session`` (serialized as ``raw``) in the keyring and tell other processes."""
        with self._lock:
            self.secrets.set(self.name, raw)
            self._session = session
            self._loaded = True
            self._seen = self._stamp_new()

    def delete(self) -> None:
        with self._lock:
            self.secrets.delete(self.name)
            self._session = None
            self._loaded = True
            self._seen = self._stamp_new()

    def _read(self, *, force: bool) -> Session | None:
        with self._lock:
            stamp = _read_stamp(self.stamp_path)
            if self._loaded and not force and stamp == self._seen:
                return self._session
            known, old = self._loaded, self._session
            raw = self.secrets.get(self.name)
            new = self._parse(raw) if raw else None
            self._session, self._loaded, self._seen = new, True, stamp
        if known and new != old and self.on_change is not None:
            self.on_change(old, new)
        return new

    def _stamp_new(self) -> str:
        value = os.urandom(8).hex()
        try:
            paths.private_file(self.stamp_path)  # 0600 in a 0700 folder, then written
            self.stamp_path.write_text(value, encoding="ascii")
        except OSError as exc:
            # Other processes then notice the change only when the provider refuses their copy.
            log.warning("session stamp %s not written: %s", self.stamp_path, exc)
            return _read_stamp(self.stamp_path)
        return value


def _read_stamp(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, ValueError):
        return ""
