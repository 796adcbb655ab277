"""Each platform's API token, cached in memory and the keyring, renewed ahead of expiry.

Both county sign-ins (OpenID Connect and CAS) keep their platform tokens here; only how a new token
is obtained differs, so that is what they pass in.

Every platform's token is kept in ONE keyring entry (``access``: a JSON object keyed by platform
id), read once on first use. A new or forgotten token changes memory at once and is written
behind, after a short delay, so the 30 tokens a first refresh obtains cost one or two keyring
writes instead of 30 (an OS keyring write is tens of milliseconds). Losing a pending write (a
crash) costs nothing but new tokens at the next start; ``flush`` writes it now (at close).
Versions before this kept one entry per platform (``access:<platform id>``): those are ignored
when reading and deleted by ``clear`` (sign-in, logout).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from launcher.core.logmask import remember_secret
from launcher.core.secrets import KeyringUnavailable, SecretStore

log = logging.getLogger(__name__)

EXPIRY_MARGIN = 60
"""Seconds before expiry at which a token is renewed ahead of time."""
ENTRY = "access"
"""The keyring entry holding every platform's token: ``{platform id: {access_token, expires_at}}``."""
KEY_PREFIX = "access:"
"""Entry names of the old layout, one per platform (``access:<platform id>``): deleted by clear."""
WRITE_DELAY = 1.0
"""Seconds a changed token waits in memory for the others of the same refresh before the write."""


def _valid(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("access_token"), str)
        and bool(entry["access_token"])
        and isinstance(entry.get("expires_at"), int | float)
        and not isinstance(entry["expires_at"], bool)
    )


class PlatformTokens:
    """``{"access_token", "expires_at"}`` per platform id, in memory and one keyring entry; a
    platform's own refresh token (``"refresh_token"``, when the provider gave one with a token
    obtained by a silent authorization request, ``[idp] tokens = "web"``) is kept beside it.

    ``keep`` (optional) is asked before each write: False means the session these tokens belong
    to has ended (another process signed out), so they are dropped instead of written back.
    """

    def __init__(self, secrets: SecretStore, keep: Callable[[], bool] | None = None) -> None:
        self.secrets = secrets
        self.write_delay = WRITE_DELAY
        self._keep = keep
        self._lock = threading.Lock()  # memory: entries, loaded, dirty, timer
        self._save_lock = threading.Lock()  # one keyring write of the entry at a time, in order
        self._locks: dict[str, threading.Lock] = {}
        self._entries: dict[str, dict[str, Any]] = {}
        self._touched: set[str] = set()
        """Platforms whose token this process obtained or dropped: its own copy wins at a save."""
        self._loaded = False
        self._dirty = False
        self._timer: threading.Timer | None = None

    def _platform_lock(self, platform_id: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(platform_id, threading.Lock())

    def get(
        self, platform_id: str, obtain: Callable[[], dict[str, Any]], *, own_refresh: bool = False
    ) -> str:
        """The platform's valid token, or a new one from ``obtain()`` (its answer needs
        ``access_token`` and may give ``expires_at``). Concurrent calls for one platform wait for
        a single ``obtain``. ``own_refresh``: a refresh token in the answer is the platform's
        own (not the session's, which a narrowed refresh answers with) and is kept with it."""
        with self._platform_lock(platform_id):
            cached = self.entry(platform_id)
            if cached and cached["expires_at"] - EXPIRY_MARGIN > time.time():
                return str(cached["access_token"])
            token = obtain()
            access_token = str(token["access_token"])
            remember_secret(access_token)
            entry = {
                "access_token": access_token,
                "expires_at": float(token.get("expires_at") or time.time() + 300),
            }
            if own_refresh and token.get("refresh_token"):
                remember_secret(str(token["refresh_token"]))
                entry["refresh_token"] = str(token["refresh_token"])
            with self._lock:
                self._load()
                self._entries[platform_id] = entry
                self._touched.add(platform_id)
                self._changed()
            return access_token

    def entry(self, platform_id: str) -> dict[str, Any] | None:
        """The platform's entry (its token and expiry), valid or not; None if there is none."""
        with self._lock:
            self._load()
            entry = self._entries.get(platform_id)
            return dict(entry) if entry is not None else None

    def expiry(self, platform_id: str) -> float | None:
        entry = self.entry(platform_id)
        return float(entry["expires_at"]) if entry else None

    def invalidate(self, platform_id: str) -> None:
        """Forget the platform's token (its API refused it): the next ``get`` obtains a new one."""
        with self._platform_lock(platform_id), self._lock:
            self._load()
            self._touched.add(platform_id)
            if self._entries.pop(platform_id, None) is not None:
                self._changed()

    def all(self) -> list[dict[str, Any]]:
        """Every entry held (for revocation at logout)."""
        with self._lock:
            self._load()
            return [dict(entry) for entry in self._entries.values()]

    def flush(self) -> None:
        """Write pending changes to the keyring now (at close); failures are logged."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
        self._save(wait=True)

    def clear(self) -> None:
        """Forget every token, here and in the keyring (the old per-platform entries too); a
        pending write is cancelled."""
        with self._save_lock:
            with self._lock:
                self._cancel()
                self._entries.clear()
                self._touched.clear()
                self._loaded = True
            self.secrets.delete(ENTRY)
            self.secrets.delete_matching(KEY_PREFIX)

    def forget(self) -> None:
        """Drop the tokens held in memory and any pending write, leaving the keyring as it is
        (another process changed the session: the keyring is read again on next use)."""
        with self._lock:
            self._cancel()
            self._entries.clear()
            self._touched.clear()
            self._loaded = False

    # -- memory and keyring ----------------------------------------------------------------------

    def _load(self) -> None:
        """Read the keyring entry once (caller holds ``_lock``)."""
        if not self._loaded:
            self._entries = self._read(report=True)
            self._loaded = True

    def _read(self, *, report: bool) -> dict[str, dict[str, Any]]:
        """The keyring entry's valid tokens; damaged parts are left out (and logged if ``report``):
        their platforms obtain new tokens."""
        raw = self.secrets.get(ENTRY)
        if not raw:
            return {}
        try:
            stored = json.loads(raw)
        except ValueError:
            stored = None
        if not isinstance(stored, dict):
            if report:
                log.warning("keyring entry %r of %s is unreadable (not a JSON object): the "
                            "platform tokens will be obtained again", ENTRY, self.secrets.service)
            return {}
        entries, bad = {}, []
        for platform_id, entry in stored.items():
            if _valid(entry):
                remember_secret(entry["access_token"])
                entries[platform_id] = {"access_token": entry["access_token"],
                                        "expires_at": float(entry["expires_at"])}
                refresh = entry.get("refresh_token")
                if isinstance(refresh, str) and refresh:
                    remember_secret(refresh)
                    entries[platform_id]["refresh_token"] = refresh
            else:
                bad.append(platform_id)
        if bad and report:
            log.warning("keyring entry %r of %s: unreadable token of %s ignored (obtained "
                        "again)", ENTRY, self.secrets.service, ", ".join(map(repr, bad)))
        return entries

    def _changed(self) -> None:
        """Memory changed (caller holds ``_lock``): write it behind, coalesced with what follows."""
        self._dirty = True
        if self._timer is None:
            self._timer = threading.Timer(self.write_delay, self._write_behind)
            self._timer.daemon = True
            self._timer.name = "platform-tokens-write"
            self._timer.start()

    def _cancel(self) -> None:
        """Drop a pending write (caller holds ``_lock``)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._dirty = False

    def _write_behind(self) -> None:
        with self._lock:
            self._timer = None
        self._save()

    def _save(self, *, wait: bool = False) -> None:
        """Write the pending change; with ``wait`` also wait for a write under way (at close)."""
        with self._lock:
            dirty = self._dirty
        if not dirty:
            if wait:
                with self._save_lock:  # a write under way (the timer's) ends first
                    pass
            return
        try:
            if self._keep is not None and not self._keep():
                self.forget()  # the session is gone: its tokens are not written back
                return
        except KeyringUnavailable as exc:
            log.warning("platform tokens not saved in the keyring: %s", exc)
            return
        # Snapshot and write under one lock: an older snapshot never lands after a newer one.
        with self._save_lock:
            try:
                # Tokens another process (a second window, the command line) stored since this
                # one read the entry are kept, unless this process replaced or dropped them.
                stored = self._read(report=False)
                with self._lock:
                    if not self._dirty:
                        return
                    self._dirty = False
                    for platform_id, entry in stored.items():
                        if platform_id not in self._entries and platform_id not in self._touched:
                            self._entries[platform_id] = entry
                    snapshot = json.dumps(self._entries) if self._entries else None
                if snapshot is None:
                    self.secrets.delete(ENTRY)
                else:
                    self.secrets.set(ENTRY, snapshot)
            except KeyringUnavailable as exc:
                with self._lock:
                    self._dirty = True  # tried again with the next change or flush
                log.warning("platform tokens not saved in the keyring: %s", exc)
