"""The one profile older versions kept per operating-system account, moved to the first county
account that signs in after the upgrade.

Older versions kept a single profile (``profile.sqlite3`` in the data folder, its key the keyring
entry ``profile-key`` of the service ``yiduantong/profile``) for whoever used the computer. It is
moved, once, into the profile of the first person to sign in, who is told so (they may find
someone else's details there on a shared PC). The move never loses a value, whenever it is cut off:

1. the shared file is claimed for that person (a row written inside it, one transaction): from
   then on only they can receive it, should the move be cut off and another person sign in first;
2. its values go into their profile in one transaction, sealed with their key; a field they already
   have a value for keeps theirs, so repeating the step after a crash adds nothing twice; a value
   that cannot be opened (its key lost) is moved as it is stored;
3. the shared file is deleted, then its key. A key left without a file (a crash between the two) is
   deleted at the next sign-in.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from pathlib import Path

from launcher.core.profile.store import (
    KEY_NAME,
    ProfileStore,
    StoredRow,
    decode_key,
    stored_rows,
    unseal,
)
from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

FILE_NAME = "profile.sqlite3"
SERVICE = "profile"
"""The SecretStore namespace of the shared profile's key (keyring service ``yiduantong/profile``)."""
MOVED_NOTE = "moved-from-shared-profile"
"""The note a person's profile gets when the shared one moved into it: ``pending`` until the person
has been told, then ``told``."""


class SharedProfile:
    """The profile file older versions shared between everyone using the OS account."""

    def __init__(self, path: Path, secrets: SecretStore, key_name: str = KEY_NAME) -> None:
        self.path = Path(path)
        self.secrets = secrets
        self.key_name = key_name
        self._key_checked = False

    def move_to(self, target: ProfileStore, claimant: str) -> int:
        """Move the shared profile into ``target``, the profile of ``claimant`` (a stable name of
        the county account). Returns how many values it held (0: nothing to move, or it is
        claimed by someone else). Raises KeyringUnavailable, sqlite3.Error or OSError when the
        move cannot be done now; it is then tried again at the next call, and nothing is lost."""
        if not self.path.exists():
            self._forget_key()
            return 0
        rows = self._claim(claimant)
        if rows is None:
            return 0
        if rows:
            secret = decode_key(self.secrets.get(self.key_name))
            values: dict[str, str] = {}
            kept: list[StoredRow] = []
            for row in rows:
                text = unseal(secret, row)
                if text is None:
                    kept.append(row)
                else:
                    values[row.key] = text
            sealed = frozenset(r.key for r in rows if r.sealed)
            target.adopt(values, kept, seal=sealed, note=(MOVED_NOTE, "pending"))
            log.info("the shared profile of an older version (%d values) moved to a county "
                     "account", len(rows))
        self._remove()
        return len(rows)

    def _claim(self, claimant: str) -> list[StoredRow] | None:
        """The rows of the shared file, once it is claimed for ``claimant`` (None: claimed by
        another person)."""
        db = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            # Opening rolls back a transaction an older version left half done (a hot journal).
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("CREATE TABLE IF NOT EXISTS moved_to (owner TEXT NOT NULL)")
                claim = db.execute("SELECT owner FROM moved_to").fetchone()
                if claim is not None and claim[0] != claimant:
                    db.execute("ROLLBACK")
                    return None
                if claim is None:
                    db.execute("INSERT INTO moved_to (owner) VALUES (?)", (claimant,))
                has_values = db.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'profile'"
                ).fetchone()
                rows = stored_rows(db) if has_values else []
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        finally:
            db.close()
        return rows

    def _remove(self) -> None:
        # The side files first: the file itself, while it is there, is what says "not done yet".
        # After the clean close above no journal is left that another file could inherit.
        for suffix in ("-journal", "-wal", "-shm", ""):
            with contextlib.suppress(FileNotFoundError):
                self.path.with_name(self.path.name + suffix).unlink()
        self._key_checked = False
        self._forget_key()

    def _forget_key(self) -> None:
        # Once per process: a key left behind by a move cut off after the file was deleted.
        if self._key_checked:
            return
        if self.secrets.get(self.key_name) is not None or self.secrets.names():
            self.secrets.delete_matching("")
            log.info("the key of the shared profile of an older version is deleted")
        self._key_checked = True
