"""The profile (基层一张表): the user's values, one SQLite file, sensitive ones encrypted.

Sensitive fields are sealed with AES-256-GCM. The key is made on first use and kept only in the
OS keyring (entry ``profile-key``); the file alone reveals nothing sensitive. Each sealed value is
bound to its field key (GCM associated data), so swapping ciphertexts between fields is detected
too, and carries the id of the key that sealed it, so a replaced key is told apart from tampering.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from launcher.core import paths
from launcher.core.errors import LauncherError
from launcher.core.profile.fields import FieldDef
from launcher.core.secrets import KeyringUnavailable, SecretStore

log = logging.getLogger(__name__)

KEY_NAME = "profile-key"
_NONCE = 12
_SCHEMA = """
CREATE TABLE IF NOT EXISTS profile (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL,
    sealed INTEGER NOT NULL,
    key_id TEXT,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS notes (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class StoredRow:
    """One row of a profile file as it is stored (a sealed value stays sealed)."""

    key: str
    value: bytes
    sealed: bool
    key_id: str | None
    updated: str


class ProfileError(LauncherError):
    """A profile value that cannot be stored or read; ``message`` is Chinese, for the user."""

    def __init__(self, key: str, message: str) -> None:
        self.key = key
        self.message = message
        super().__init__(f"{key}：{message}")


class ProfileStore:
    """One profile file; its key is the keyring entry ``key_name`` of ``secrets``."""

    def __init__(
        self,
        path: Path,
        secrets: SecretStore,
        fields: dict[str, FieldDef],
        *,
        key_name: str = KEY_NAME,
    ) -> None:
        self.path = Path(path)
        self.fields = fields
        self._secrets = secrets
        self._key_name = key_name
        self._key: bytes | None = None
        self._lock = threading.RLock()
        # 0600 before SQLite opens it, in a 0700 folder: its journal files take the same mode.
        paths.private_sqlite(self.path)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        # Deleted values are overwritten in the file, not left in free pages.
        self._db.execute("PRAGMA secure_delete=ON")
        self._db.executescript(_SCHEMA)
        self._seal_plain_rows()

    # -- reading -----------------------------------------------------------------------------------

    def get(self, key: str) -> str | None:
        """The value of a field, or None when it has none; ProfileError when it cannot be read."""
        with self._lock:
            row = self._db.execute(
                "SELECT value, sealed, key_id FROM profile WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        return self._open_row(key, row[0], bool(row[1]), row[2])

    def values(self) -> dict[str, str]:
        """Every readable value of a known field, decrypted. Unreadable ones are left out (see
        :meth:`unreadable`) so that one damaged value never hides the others."""
        return self._read_all()[0]

    def unreadable(self) -> dict[str, ProfileError]:
        """The stored values that cannot be decrypted, by field key; their data stays on disk."""
        return self._read_all()[1]

    def _read_all(self) -> tuple[dict[str, str], dict[str, ProfileError]]:
        with self._lock:
            rows = self._db.execute("SELECT key, value, sealed, key_id FROM profile").fetchall()
        values: dict[str, str] = {}
        errors: dict[str, ProfileError] = {}
        for key, value, sealed, key_id in rows:
            if key not in self.fields:
                continue  # a field the dictionary no longer has: kept, not shown
            try:
                values[key] = self._open_row(key, value, bool(sealed), key_id)
            except ProfileError as exc:
                log.warning("profile field %s unreadable: %s", key, exc.message)
                errors[key] = exc
        ordered = {k: values[k] for k in self.fields if k in values}
        return ordered, errors

    def _open_row(self, key: str, value: bytes | str, sealed: bool, key_id: str | None) -> str:
        if not sealed:
            return value.decode("utf-8") if isinstance(value, bytes) else value
        try:
            secret = self._get_key(create=False)
        except KeyringUnavailable:
            raise ProfileError(key, "系统钥匙串不可用，无法读取加密保存的内容") from None
        if secret is None:
            raise ProfileError(key, "加密密钥已不在系统钥匙串中，无法读取此项（原数据仍保留）")
        if key_id != _key_id(secret):
            raise ProfileError(
                key, "此项由另一把密钥加密，当前钥匙串中的密钥无法读取（原数据仍保留）")
        blob = bytes(value) if isinstance(value, bytes | memoryview) else value.encode()
        try:
            return open_sealed(secret, blob, _aad(key))
        except ValueError:
            raise ProfileError(key, "此项数据已损坏或被改动，无法解密（原数据仍保留）") from None

    # -- writing -----------------------------------------------------------------------------------

    def set(self, key: str, value: str) -> None:
        """Store a value after checking it; an empty value deletes the field."""
        field = self.fields.get(key)
        if field is None:
            raise ProfileError(key, "不是资料表中的字段")
        problem = field.validate(value)
        if problem is not None:
            raise ProfileError(key, problem)
        value = field.normalize(value)
        if not value:
            self.delete(key)
            return
        stored, key_id = self._seal(key, value) if field.sensitive else (value.encode(), None)
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO profile (key, value, sealed, key_id, updated) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, stored, int(field.sensitive), key_id, datetime.now(UTC).isoformat()),
            )

    def delete(self, key: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM profile WHERE key = ?", (key,))

    def close(self) -> None:
        """Close the file and forget the key (it stays in the keyring)."""
        with self._lock:
            self._key = None
            self._db.close()

    # -- notes and moving rows in ------------------------------------------------------------------

    def note(self, name: str) -> str | None:
        """A note kept beside the values (e.g. that older values were moved in), or None."""
        with self._lock:
            row = self._db.execute("SELECT value FROM notes WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row is not None else None

    def set_note(self, name: str, value: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO notes (name, value) VALUES (?, ?)", (name, value))

    def adopt(
        self,
        values: dict[str, str],
        rows: list[StoredRow],
        *,
        seal: frozenset[str] = frozenset(),
        note: tuple[str, str] | None = None,
    ) -> int:
        """Take values and stored rows from another profile file, all or nothing: a field that
        already has a value here keeps it. ``values`` (readable ones) are sealed with this store's
        key when their field is sensitive or their key is in ``seal`` (sealed where they came
        from); ``rows`` (ones that could not be read) are kept as they were, so restoring their
        key still opens them. ``note`` (name, value) is recorded in the same transaction unless
        that note exists. Returns how many fields were taken."""
        prepared: list[tuple[str, bytes, int, str | None, str]] = []
        now = datetime.now(UTC).isoformat()
        with self._lock:
            have = {k for (k,) in self._db.execute("SELECT key FROM profile")}
            for key, value in values.items():
                if key in have:
                    continue
                field = self.fields.get(key)
                if key in seal or (field is not None and field.sensitive):
                    stored, key_id = self._seal(key, value)
                    prepared.append((key, stored, 1, key_id, now))
                else:
                    prepared.append((key, value.encode("utf-8"), 0, None, now))
            prepared.extend((r.key, r.value, int(r.sealed), r.key_id, r.updated)
                            for r in rows if r.key not in have and r.key not in values)
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR IGNORE INTO profile (key, value, sealed, key_id, updated) "
                    "VALUES (?, ?, ?, ?, ?)", prepared)
                if note is not None:
                    self._db.execute(
                        "INSERT OR IGNORE INTO notes (name, value) VALUES (?, ?)", note)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(prepared)

    def _seal(self, key: str, value: str) -> tuple[bytes, str]:
        try:
            secret = self._get_key(create=True)
        except KeyringUnavailable:
            raise ProfileError(key, "系统钥匙串不可用，敏感信息无法加密保存") from None
        assert secret is not None
        return seal(secret, value, _aad(key)), _key_id(secret)

    def _get_key(self, *, create: bool) -> bytes | None:
        with self._lock:
            if self._key is not None:
                return self._key
            try:
                self._key = load_key(self._secrets, self._key_name, create=create)
            except ValueError:
                raise ProfileError(
                    self._key_name, "系统钥匙串中的资料密钥已损坏，无法读写加密内容") from None
            return self._key

    def _seal_plain_rows(self) -> None:
        # A field that became sensitive in a newer dictionary is sealed the next time we open.
        sensitive = [k for k, f in self.fields.items() if f.sensitive]
        if not sensitive:
            return
        marks = ", ".join("?" * len(sensitive))
        with self._lock:
            rows = self._db.execute(
                f"SELECT key, value FROM profile WHERE sealed = 0 AND key IN ({marks})",
                sensitive).fetchall()
            for key, value in rows:
                text = value.decode("utf-8") if isinstance(value, bytes) else str(value)
                try:
                    stored, key_id = self._seal(key, text)
                except ProfileError as exc:
                    log.warning("profile field %s left unsealed for now: %s", key, exc.message)
                    return
                self._db.execute(
                    "UPDATE profile SET value = ?, sealed = 1, key_id = ? WHERE key = ?",
                    (stored, key_id, key))


def stored_rows(db: sqlite3.Connection) -> list[StoredRow]:
    """Every row of an open profile file, as stored."""
    rows = db.execute("SELECT key, value, sealed, key_id, updated FROM profile").fetchall()
    return [StoredRow(str(k), _bytes(v), bool(s), str(i) if i is not None else None, str(u))
            for k, v, s, i, u in rows]


def unseal(secret: bytes | None, row: StoredRow) -> str | None:
    """The value of a stored row opened with ``secret`` (a key from the keyring, or None), or None
    when it cannot be read with it."""
    if not row.sealed:
        return row.value.decode("utf-8", errors="replace")
    if secret is None or row.key_id != _key_id(secret):
        return None
    try:
        return open_sealed(secret, row.value, _aad(row.key))
    except ValueError:
        return None


def seal(secret: bytes, value: str, aad: bytes) -> bytes:
    """``value`` sealed with AES-256-GCM under ``secret``, bound to ``aad``: nonce + ciphertext."""
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(secret).encrypt(nonce, value.encode("utf-8"), aad)


def open_sealed(secret: bytes, blob: bytes, aad: bytes) -> str:
    """The value :func:`seal` sealed; ValueError when the blob was changed, belongs to another
    ``aad`` or was sealed with another key."""
    try:
        plain = AESGCM(secret).decrypt(blob[:_NONCE], blob[_NONCE:], aad)
    except (InvalidTag, ValueError):
        raise ValueError("sealed value cannot be opened") from None
    return plain.decode("utf-8", errors="replace")


def key_id(secret: bytes) -> str:
    """Names a key without revealing it (a one-way hash, cut short)."""
    return _key_id(secret)


def load_key(secrets: SecretStore, name: str, *, create: bool) -> bytes | None:
    """The 32-byte key kept in the keyring entry ``name``; made and kept there first when there
    is none and ``create``, else None. ValueError when the entry is not such a key (it is never
    replaced: a new key would orphan every value sealed so far); KeyringUnavailable passes."""
    stored = secrets.get(name)
    if stored is not None:
        secret = decode_key(stored)
        if secret is None:
            raise ValueError(f"keyring entry {name} is not a key")
        return secret
    if not create:
        return None
    secret = AESGCM.generate_key(bit_length=256)
    secrets.set(name, base64.urlsafe_b64encode(secret).decode("ascii"))
    log.info("new key created in the keyring")
    return secret


def decode_key(stored: str | None) -> bytes | None:
    """A profile key as kept in the keyring (URL-safe base64 of 32 bytes), or None if it is not
    one."""
    if stored is None:
        return None
    try:
        secret = base64.urlsafe_b64decode(stored)
    except ValueError:
        return None
    return secret if len(secret) == 32 else None


def _bytes(value: object) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    return str(value).encode("utf-8")


def _aad(key: str) -> bytes:
    return f"yiduantong-profile:{key}".encode()


def _key_id(secret: bytes) -> str:
    # Identifies the key without revealing it: a one-way hash, cut short.
    return hashlib.sha256(b"yiduantong-profile-key-id:" + secret).hexdigest()[:16]
