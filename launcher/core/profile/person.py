"""The profile of the person signed in: one per county account, open only while they are.

Several people often share one operating-system account on an office PC. Each county account (the
stable ``sub`` its identity provider gives, as the password vault keys saved passwords) has its own
profile file in the county's data folder, ``profiles/<digest>.sqlite3``, and its own key in the
keyring, the entry ``key/<digest>`` of the service ``yiduantong/profile/<county>``; the digest is
a one-way hash of the ``sub``, so no file or entry name tells who it belongs to.

:class:`PersonProfile` asks who is signed in (``owner``) at every call. When that changed (a
sign-out, or another person signed in), the previous person's file is closed and their key dropped
from memory before anything is read, and the new person's is opened: no call ever gives one
person's values while another is signed in. Nobody signed in: no values, and nothing is saved.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from launcher.core.profile.fields import FieldDef
from launcher.core.profile.shared import MOVED_NOTE, SharedProfile
from launcher.core.profile.store import ProfileError, ProfileStore
from launcher.core.secrets import KeyringUnavailable, SecretStore

log = logging.getLogger(__name__)

SIGNED_OUT = "请先登录，再填写或保存资料"
SOMEONE_ELSE = "登录的人已更换，此项没有保存"


@dataclass(frozen=True)
class ProfileSnapshot:
    """What the profile editor shows, read in one go for one person."""

    owner: str
    """The county account (its ``sub``) the values belong to; '' when nobody is signed in."""
    values: dict[str, str] = field(default_factory=dict)
    unreadable: dict[str, ProfileError] = field(default_factory=dict)
    moved_in: bool = False
    """The shared profile of an older version was moved into this one, and the person has not
    been told yet (they are told now: the next snapshot says False)."""


def owner_digest(sub: str) -> str:
    """The name of a county account's profile file and key: a one-way hash of its ``sub``."""
    return hashlib.sha256(f"yiduantong-profile-owner:{sub}".encode()).hexdigest()[:32]


class PersonProfile:
    """The signed-in county account's profile; thread-safe (calls are serialised).

    ``owner`` returns the signed-in account's ``sub`` ('' when nobody is). Calls touch the disk
    and the keyring: make them off the GUI thread.
    """

    def __init__(
        self,
        folder: Path,
        secrets: SecretStore,
        fields: dict[str, FieldDef],
        owner: Callable[[], str],
        shared: SharedProfile | None = None,
    ) -> None:
        self.folder = Path(folder)
        self.fields = fields
        self._secrets = secrets
        self._owner = owner
        self._shared = shared
        self._lock = threading.RLock()
        self._store: ProfileStore | None = None
        self._open_for = ""

    def owner(self) -> str:
        """The county account whose profile calls use now ('' when nobody is signed in)."""
        return self._owner()

    # -- reading -----------------------------------------------------------------------------------

    def snapshot(self) -> ProfileSnapshot:
        """The signed-in person's values and unreadable ones; tells them once of a moved-in
        shared profile (see :attr:`ProfileSnapshot.moved_in`)."""
        with self._lock:
            owner, store = self._current()
            if store is None:
                return ProfileSnapshot("")
            moved_in = store.note(MOVED_NOTE) == "pending"
            if moved_in:
                store.set_note(MOVED_NOTE, "told")
            return ProfileSnapshot(owner, store.values(), store.unreadable(), moved_in)

    def values(self, *, owner: str | None = None) -> dict[str, str]:
        """Every readable value of the signed-in person ({} when nobody is signed in, or when
        ``owner`` is given and someone else is signed in by now)."""
        with self._lock:
            current, store = self._current()
            if store is None or (owner is not None and owner != current):
                return {}
            return store.values()

    def unreadable(self) -> dict[str, ProfileError]:
        with self._lock:
            store = self._current()[1]
            return store.unreadable() if store is not None else {}

    def get(self, key: str) -> str | None:
        with self._lock:
            store = self._current()[1]
            return store.get(key) if store is not None else None

    # -- writing -----------------------------------------------------------------------------------

    def set(self, key: str, value: str, *, owner: str | None = None) -> None:
        """Store a value of the signed-in person. ``owner``, when given, is whom the value was
        typed for: if someone else is signed in by now, nothing is stored (ProfileError)."""
        with self._lock:
            self._writable(key, owner).set(key, value)

    def delete(self, key: str, *, owner: str | None = None) -> None:
        with self._lock:
            self._writable(key, owner).delete(key)

    def close(self) -> None:
        """Close the open person's file and drop their key from memory (sign-out, quit)."""
        with self._lock:
            self._close()

    def forget(self, owner: str) -> None:
        """Erase ``owner``'s profile: their file and their key (the account leaves this PC)."""
        digest = owner_digest(owner)
        with self._lock:
            if self._open_for == owner:
                self._close()
            path = self.folder / f"{digest}.sqlite3"
            for name in (path, path.with_name(path.name + "-wal"),
                         path.with_name(path.name + "-shm")):
                name.unlink(missing_ok=True)
            self._secrets.delete(f"key/{digest}")

    # -- the open person ---------------------------------------------------------------------------

    def _writable(self, key: str, owner: str | None) -> ProfileStore:
        current, store = self._current()
        if store is None:
            raise ProfileError(key, SIGNED_OUT)
        if owner is not None and owner != current:
            raise ProfileError(key, SOMEONE_ELSE)
        return store

    def _current(self) -> tuple[str, ProfileStore | None]:
        owner = self._owner()
        if owner != self._open_for or (owner and self._store is None):
            self._close()
            if owner:
                self._store = self._open(owner)
                self._open_for = owner
        return owner, self._store

    def _open(self, owner: str) -> ProfileStore:
        digest = owner_digest(owner)
        store = ProfileStore(self.folder / f"{digest}.sqlite3", self._secrets, self.fields,
                             key_name=f"key/{digest}")
        if self._shared is not None:
            try:
                self._shared.move_to(store, digest)
            except (KeyringUnavailable, ProfileError, sqlite3.Error, OSError) as exc:
                # Nothing is lost: the shared profile stays, claimed for this person, and is moved
                # the next time their profile opens.
                log.warning("the shared profile of an older version was not moved yet: %s", exc)
        return store

    def _close(self) -> None:
        store, self._store, self._open_for = self._store, None, ""
        if store is not None:
            store.close()
