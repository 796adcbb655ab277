"""Which keyring backend the launcher uses: the OS's own, unless the user has chosen one.

keyring finds its backend by importing every backend it knows and asking each whether it works
here. That costs about 60 ms at every start on Linux (its macOS backend looks for the Security
framework by running the C compiler), before the first secret (the session, needed to show the
cached inbox) can be read. The launcher asks the OS's own backend directly: Windows Credential
Manager, the macOS Keychain, the Secret Service elsewhere. Where that is not viable, or where the
user chose a backend (PYTHON_KEYRING_BACKEND, keyringrc.cfg), keyring decides as it always does.
"""

from __future__ import annotations

import logging
import os
import sys
import time

import keyring
import keyring.backend
import keyring.core

log = logging.getLogger(__name__)

_chosen = False
VIABLE_WAIT = 3.0
"""Seconds the OS's keyring may take to appear before keyring's own search decides."""


def choose() -> None:
    """Set keyring's backend, once per process, unless something has set it already. Callers
    hold the keyring lock (launcher.core.secrets)."""
    global _chosen
    if getattr(keyring.core, "_keyring_backend", None) is not None:
        return  # set by whoever embeds the launcher or tests it (or already detected)
    if _chosen:
        return  # chosen once already and unset since: keyring detects one on first use
    _chosen = True
    chosen = keyring.core.load_env() or keyring.core.load_config() or native()
    if chosen is not None:
        keyring.set_keyring(chosen)
    # else: keyring detects one on first use, as it would without the launcher


def _viable_soon(backend_class: type[keyring.backend.KeyringBackend]) -> bool:
    """Whether the OS's keyring works here, asked again for a few seconds while it does not: a
    keyring daemon being (re)started at that moment (a login, an update, a crash) is not on the
    bus yet, and the choice made now holds for the whole process."""
    deadline = time.monotonic() + VIABLE_WAIT
    while True:
        if backend_class.viable:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.25)


def native() -> keyring.backend.KeyringBackend | None:
    """The OS's own backend if it works here, else None."""
    try:
        backend_class: type[keyring.backend.KeyringBackend]
        if sys.platform == "win32":
            from keyring.backends.Windows import WinVaultKeyring

            backend_class = WinVaultKeyring
        elif sys.platform == "darwin":
            from keyring.backends.macOS import Keyring as MacKeyring

            backend_class = MacKeyring
        elif "KDE" in os.environ.get("XDG_CURRENT_DESKTOP", "").split(":"):
            return None  # keyring prefers KWallet there: let it choose, as it always has
        else:
            from keyring.backends.SecretService import Keyring as SecretServiceKeyring

            backend_class = SecretServiceKeyring
        if not _viable_soon(backend_class):
            return None
        return backend_class()  # type: ignore[no-untyped-call]  # keyring is untyped here
    except Exception as exc:  # a backend's own import or viability check failed
        log.debug("the OS keyring backend is not usable here: %r", exc)
        return None
