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
import threading
from collections.abc import Callable
from typing import Any

from launcher.core.auth import session_stamp
from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

Session = dict[str, Any]


class StoredSession:
    """One session entry of ``secrets`` (``name``), parsed by ``parse`` (None: no usable session).

    ``on_change(old, new)`` is called (outside any lock) when a read finds the entry changed by
    someone else since this process last read or wrote it. ``owner(session)`` is the ``sub`` of
    the session's person, which the stamp names by its digest (launcher/core/auth/session_stamp.py).
    """

    def __init__(
        self,
        secrets: SecretStore,
        parse: Callable[[str], Session | None],
        name: str = "session",
        on_change: Callable[[Session | None, Session | None], None] | None = None,
        owner: Callable[[Session], str] | None = None,
    ) -> None:
        self.secrets = secrets
        self.name = name
        self.on_change = on_change
        self._parse = parse
        self._owner = owner
        self._lock = threading.Lock()
        self._loaded = False
        self._session: Session | None = None
        self._seen = ""
        self.stamp_path = session_stamp.stamp_path(secrets.service, name)

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
            self._seen = session_stamp.write(self.stamp_path, self._owner_digest(session))

    def delete(self) -> None:
        with self._lock:
            self.secrets.delete(self.name)
            self._session = None
            self._loaded = True
            self._seen = session_stamp.write(self.stamp_path)

    def _owner_digest(self, session: Session) -> str:
        if self._owner is None:
            return ""
        try:
            sub = self._owner(session)
        except (KeyError, TypeError, AttributeError):
            return ""
        return session_stamp.owner_digest(sub) if sub else ""

    def _read(self, *, force: bool) -> Session | None:
        with self._lock:
            stamp = session_stamp.read(self.stamp_path)
            if self._loaded and not force and stamp == self._seen:
                return self._session
            known, old = self._loaded, self._session
            raw = self.secrets.get(self.name)
            new = self._parse(raw) if raw else None
            if new is not None:
                owner = self._owner_digest(new)
                if owner and session_stamp.owner_of(stamp) != owner:
                    # Written by an older launcher (it named nobody): named now, so the next
                    # start may show this person's start snapshot. Other processes read the
                    # keyring once more and find the same session.
                    stamp = session_stamp.write(self.stamp_path, owner)
            self._session, self._loaded, self._seen = new, True, stamp
        if known and new != old and self.on_change is not None:
            self.on_change(old, new)
        return new
