"""The OS keyring, the only place secrets are kept: tokens, vault passwords, the profile key.

Entries live under one service name per county (``yiduantong/<county>``), and an index entry lists
the names stored so that a logout or a retirement can delete every one of them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets as random_tokens
import sys
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.errors

from launcher.core import keyring_backend
from launcher.core.errors import LauncherError

log = logging.getLogger(__name__)
_T = TypeVar("_T")
_INDEX = "__index__"
# A keyring service that went away (its daemon stopped or is being restarted) is asked again after
# these pauses, about four seconds in all, before the launcher says the keyring is unavailable.
_RETRY_PAUSES = (0.2, 0.5, 1.0, 2.0)
# Windows Credential Manager keeps at most 2,560 bytes a credential (its UTF-16 text: 1,280
# characters, 640 outside the BMP), and keyring's backend does not split longer ones: the
# tokens, the index and other long values are kept there in parts of at most this many
# characters. Elsewhere (the Secret Service, the macOS Keychain) a value is one entry.
PART_CHARS: int | None = 600 if sys.platform == "win32" else None
_PARTS = "\x1fyiduantong-parts:"
"""How a value kept in parts begins: its generation, part count and SHA-256, then nothing."""
# Keyring backends are not thread-safe (the Secret Service one can find an item, then fail to read
# it because another thread replaced it): every keyring call in the process goes through this lock.
_KEYRING = threading.RLock()


class KeyringUnavailable(LauncherError):
    """No usable OS keyring: secrets cannot be stored safely, so the launcher refuses to store them."""


def _service_gone(exc: BaseException) -> bool:
    """Whether ``exc`` (or what it was raised from) says the keyring service is not on the bus or
    stopped before it answered, which a moment later may be over; not a refusal or a locked
    keyring, which asking again would not change."""
    try:
        from secretstorage.exceptions import SecretServiceNotAvailableException
    except ImportError:  # not the Secret Service (Windows, macOS): no such transient state known
        return False
    seen: BaseException | None = exc
    for _ in range(8):  # keyring raises its own errors while handling secretstorage's
        if seen is None:
            return False
        if isinstance(seen, SecretServiceNotAvailableException):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _patiently(call: Callable[[], _T]) -> _T:
    """``call()``, asked again while the keyring service is briefly gone."""
    for pause in _RETRY_PAUSES:
        try:
            return call()
        except Exception as exc:
            if not _service_gone(exc):
                raise
            log.info("the OS keyring did not answer (%r); asking again in %.1f s", exc, pause)
            time.sleep(pause)
    return call()


class SecretStore:
    def __init__(self, namespace: str) -> None:
        self.service = f"yiduantong/{namespace}"
        self._lock = _KEYRING
        with self._lock:
            try:
                keyring_backend.choose()
            except Exception as exc:  # a chosen backend that does not work: keyring says so on use
                log.debug("keyring backend not chosen: %r", exc)

    def get(self, name: str) -> str | None:
        with self._lock:
            try:
                return self._read(name)
            except KeyringUnavailable:
                raise
            except Exception as exc:  # backends raise their own types (secretstorage, dbus, win32)
                raise KeyringUnavailable(f"the OS keyring cannot be read: {exc!r}") from None

    def set(self, name: str, value: str) -> None:
        with self._lock:
            try:
                self._write(name, value)
                names = self._names()
                if name not in names:
                    names.append(name)
                    self._write(_INDEX, json.dumps(names))
            except Exception as exc:
                raise KeyringUnavailable(f"the OS keyring cannot store secrets: {exc!r}") from None

    def delete(self, name: str) -> None:
        with self._lock:
            self._delete(name)
            names = self._names()
            if name in names:
                names.remove(name)
                if names:
                    self._save_index(names)
                else:
                    self._delete(_INDEX)

    def names(self) -> list[str]:
        with self._lock:
            return self._names()

    def delete_matching(self, prefix: str) -> None:
        """Delete every entry whose name starts with ``prefix`` ('' deletes all, index included)."""
        with self._lock:
            names = self._names()
            keep = [n for n in names if not n.startswith(prefix)]
            for name in names:
                if name.startswith(prefix):
                    self._delete(name)
            if keep:
                self._save_index(keep)
            else:
                self._delete(_INDEX)

    def _names(self) -> list[str]:
        try:
            raw = self._read(_INDEX)
        except Exception:
            return []
        try:
            names = json.loads(raw) if raw else []
        except ValueError:
            log.warning("keyring index of %s is unreadable; starting a new one", self.service)
            return []
        return [n for n in names if isinstance(n, str)]

    def _save_index(self, names: list[str]) -> None:
        try:
            self._write(_INDEX, json.dumps(names))
        except Exception as exc:
            log.warning("keyring index of %s not saved: %r", self.service, exc)

    # -- one value, in one entry or in parts --------------------------------------------------

    def _raw(self, name: str) -> str | None:
        return _patiently(lambda: keyring.get_password(self.service, name))

    def _read(self, name: str) -> str | None:
        head = self._raw(name)
        if head is None or not head.startswith(_PARTS):
            return head
        generation, count, digest = _parts_of(head)
        parts = [self._raw(_part_name(name, generation, i)) for i in range(count)]
        value = "".join(part or "" for part in parts)
        if None in parts or hashlib.sha256(value.encode()).hexdigest() != digest:
            raise KeyringUnavailable(f"the OS keyring's entry {name!r} is incomplete or damaged")
        return value

    def _write(self, name: str, value: str) -> None:
        """Keep ``value`` under ``name``: in one entry, or (longer than PART_CHARS) its parts
        under a new generation first, then the entry naming them, then the old parts deleted;
        a write cut short leaves the previous value whole."""
        previous = self._raw(name) if PART_CHARS is not None else None
        if PART_CHARS is None or len(value) <= PART_CHARS:
            self._put(name, value)
        else:
            generation = random_tokens.token_hex(4)
            chunks = [value[i:i + PART_CHARS] for i in range(0, len(value), PART_CHARS)]
            for i, chunk in enumerate(chunks):
                self._put(_part_name(name, generation, i), chunk)
            digest = hashlib.sha256(value.encode()).hexdigest()
            self._put(name, f"{_PARTS}{generation}:{len(chunks)}:{digest}")
        if previous is not None and previous.startswith(_PARTS):
            self._delete_parts(name, previous)

    def _put(self, name: str, value: str) -> None:
        _patiently(lambda: keyring.set_password(self.service, name, value))

    def _delete_parts(self, name: str, head: str) -> None:
        try:
            generation, count, _digest = _parts_of(head)
        except KeyringUnavailable:
            return
        for i in range(count):
            self._delete_entry(_part_name(name, generation, i))

    def _delete(self, name: str) -> None:
        head = None
        if PART_CHARS is not None:  # only then are values kept in parts
            try:
                head = self._raw(name)
            except Exception:
                head = None
        if head is not None and head.startswith(_PARTS):
            self._delete_parts(name, head)
        self._delete_entry(name)

    def _delete_entry(self, name: str) -> None:
        try:
            _patiently(lambda: keyring.delete_password(self.service, name))
        except keyring.errors.PasswordDeleteError:
            pass
        except Exception as exc:
            log.warning("keyring entry %s/%s not deleted: %r", self.service, name, exc)


def _part_name(name: str, generation: str, index: int) -> str:
    return f"{name}~part~{generation}~{index}"


def _parts_of(head: str) -> tuple[str, int, str]:
    """The generation, part count and digest an entry kept in parts names."""
    try:
        generation, count, digest = head[len(_PARTS):].split(":")
        parts = int(count)
    except ValueError:
        raise KeyringUnavailable("an OS keyring entry kept in parts is damaged") from None
    if not 0 < parts <= 1000:
        raise KeyringUnavailable("an OS keyring entry kept in parts is damaged")
    return generation, parts, digest
