"""A keyring backend kept in this process's memory, for the unit tests: they test the launcher's
use of a keyring, not the OS keyring, and run without a Secret Service (no D-Bus session needed).
tests/unit/conftest.py sets a fresh one for each test; a child process started by a unit test gets
its own, empty one through PYTHON_KEYRING_BACKEND."""

from __future__ import annotations

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Passwords in a dict, keyed by (service, username)."""

    # Never chosen by keyring's own search (the null backend's priority; keyring's fail backend
    # outranks it): only where a test sets it, by keyring.set_keyring or PYTHON_KEYRING_BACKEND.
    priority = -1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring is untyped here
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("no such password") from None
