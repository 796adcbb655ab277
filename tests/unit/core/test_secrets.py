from __future__ import annotations

import uuid

import keyring
import keyring.backend
import keyring.errors
import pytest

from launcher.core import secrets
from launcher.core.secrets import SecretStore


def test_entries_are_indexed_and_deleted_by_prefix() -> None:
    store = SecretStore(f"test-{uuid.uuid4().hex[:8]}")
    store.set("session", "one")
    store.set("access:a", "two")
    store.set("access:b", "three")
    assert store.get("access:a") == "two"
    assert sorted(store.names()) == ["access:a", "access:b", "session"]
    store.delete_matching("access:")
    assert store.names() == ["session"]
    assert keyring.get_password(store.service, "access:b") is None
    store.delete_matching("")
    assert store.names() == []
    assert keyring.get_password(store.service, "session") is None
    assert keyring.get_password(store.service, "__index__") is None


class _FlakyKeyring(keyring.backend.KeyringBackend):
    """A keyring whose service is gone for the first ``gone`` calls, as a restarting daemon is."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, gone: int, error: type[Exception] | None = None) -> None:
        super().__init__()
        self.gone = gone
        self.calls = 0
        self.error = error
        self.values: dict[tuple[str, str], str] = {}

    def _maybe_fail(self) -> None:
        from secretstorage.exceptions import SecretServiceNotAvailableException

        self.calls += 1
        if self.calls <= self.gone:
            try:  # raised the way keyring's SecretService backend raises it
                raise SecretServiceNotAvailableException("Message recipient disconnected")
            except SecretServiceNotAvailableException as exc:
                raise (self.error or keyring.errors.InitError)("Failed to create the collection") \
                    from exc

    def get_password(self, service: str, username: str) -> str | None:
        self._maybe_fail()
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._maybe_fail()
        self.values[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        self._maybe_fail()
        self.values.pop((service, username), None)


def test_a_keyring_service_briefly_gone_is_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_RETRY_PAUSES", (0, 0, 0, 0))
    flaky = _FlakyKeyring(gone=3)
    keyring.set_keyring(flaky)
    store = SecretStore("flaky")
    store.set("session", "one")
    assert store.get("session") == "one"
    assert flaky.calls > 3


def test_a_keyring_service_that_stays_gone_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_RETRY_PAUSES", (0, 0))
    flaky = _FlakyKeyring(gone=100)
    keyring.set_keyring(flaky)
    with pytest.raises(secrets.KeyringUnavailable, match="cannot be read"):
        SecretStore("flaky").get("session")
    assert flaky.calls == 3  # once, then once after each pause


def test_a_refusal_is_not_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(secrets, "_RETRY_PAUSES", (0, 0, 0, 0))

    class Refusing(_FlakyKeyring):
        def _maybe_fail(self) -> None:
            self.calls += 1
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    refusing = Refusing(gone=0)
    keyring.set_keyring(refusing)
    with pytest.raises(secrets.KeyringUnavailable):
        SecretStore("flaky").get("session")
    assert refusing.calls == 1  # the person dismissed the unlock prompt: not asked four more times
