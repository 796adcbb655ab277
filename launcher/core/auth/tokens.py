"""Each platform's API token, cached in memory and the keyring, renewed ahead of expiry.

Both county sign-ins (OpenID Connect and CAS) keep their platform tokens here; only how a new token
is obtained differs, so that is what they pass in.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from launcher.core.logmask import remember_secret
from launcher.core.secrets import SecretStore

EXPIRY_MARGIN = 60
"""Seconds before expiry at which a token is renewed ahead of time."""
KEY_PREFIX = "access:"
"""Keyring entry names of platform tokens: ``access:<platform id>``."""


class PlatformTokens:
    """``{"access_token", "expires_at"}`` per platform id, in memory and the keyring."""

    def __init__(self, secrets: SecretStore) -> None:
        self.secrets = secrets
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._entries: dict[str, dict[str, Any]] = {}

    def _platform_lock(self, platform_id: str) -> threading.Lock:
        with self._lock:
            return self._locks.setdefault(platform_id, threading.Lock())

    def get(self, platform_id: str, obtain: Callable[[], dict[str, Any]]) -> str:
        """The platform's valid token, or a new one from ``obtain()`` (its answer needs
        ``access_token`` and may give ``expires_at``). Concurrent calls for one platform wait for
        a single ``obtain``."""
        with self._platform_lock(platform_id):
            cached = self.entry(platform_id)
            if cached and cached.get("expires_at", 0) - EXPIRY_MARGIN > time.time():
                return str(cached["access_token"])
            token = obtain()
            entry = {
                "access_token": token["access_token"],
                "expires_at": token.get("expires_at", time.time() + 300),
            }
            self._entries[platform_id] = entry
            self.secrets.set(KEY_PREFIX + platform_id, json.dumps(entry))
            return str(entry["access_token"])

    def entry(self, platform_id: str) -> dict[str, Any] | None:
        """The cached entry (memory, else the keyring; checked for shape), valid or not."""
        cached = self._entries.get(platform_id)
        if cached is not None:
            return cached
        raw = self.secrets.get(KEY_PREFIX + platform_id)
        if not raw:
            return None
        try:
            entry = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(entry, dict) or not entry.get("access_token"):
            return None
        remember_secret(str(entry["access_token"]))
        self._entries[platform_id] = entry
        return entry

    def expiry(self, platform_id: str) -> float | None:
        entry = self.entry(platform_id)
        return float(entry["expires_at"]) if entry and entry.get("expires_at") else None

    def invalidate(self, platform_id: str) -> None:
        """Forget the platform's token (its API refused it): the next ``get`` obtains a new one."""
        with self._platform_lock(platform_id):
            self._entries.pop(platform_id, None)
            self.secrets.delete(KEY_PREFIX + platform_id)

    def all(self) -> list[dict[str, Any]]:
        """Every stored entry (for revocation at logout)."""
        entries = []
        for name in self.secrets.names():
            if name.startswith(KEY_PREFIX):
                entry = self.entry(name[len(KEY_PREFIX) :])
                if entry:
                    entries.append(entry)
        return entries

    def clear(self) -> None:
        self._entries.clear()
        self.secrets.delete_matching(KEY_PREFIX)
