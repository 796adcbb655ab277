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


class _CredentialManager(keyring.backend.KeyringBackend):
    """Windows Credential Manager's limit: 2,560 bytes of UTF-16 a credential, refused beyond."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.writes = 0

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(password.encode("utf-16-le")) > 2560:
            raise OSError(1783, "CredWrite", "The stub received bad data.")
        self.writes += 1
        self.values[service, username] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.values.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such credential")


@pytest.fixture
def credential_manager(monkeypatch: pytest.MonkeyPatch) -> _CredentialManager:
    monkeypatch.setattr(secrets, "PART_CHARS", 600)  # as on Windows
    backend = _CredentialManager()
    keyring.set_keyring(backend)
    return backend


def test_long_values_are_kept_in_parts_where_entries_are_small(
    credential_manager: _CredentialManager,
) -> None:
    store = SecretStore("tokens")
    tokens = "令牌" * 1500 + "𠀀" * 700  # 3,700 characters, some outside the BMP
    store.set("tokens", tokens)
    store.set("session", "short")
    assert store.get("tokens") == tokens and store.get("session") == "short"
    assert sorted(store.names()) == ["session", "tokens"]  # the parts are not names of their own
    parts = [u for (_s, u) in credential_manager.values if "~part~" in u]
    assert len(parts) == 7
    # Written again: the new parts replace the old ones, none is left behind.
    store.set("tokens", tokens[::-1])
    assert store.get("tokens") == tokens[::-1]
    assert len([u for (_s, u) in credential_manager.values if "~part~" in u]) == 7
    store.delete_matching("")
    assert credential_manager.values == {}


def test_a_long_index_is_kept_in_parts_too(credential_manager: _CredentialManager) -> None:
    store = SecretStore("many")
    names = [f"access:demo.platform-{i:03d}" for i in range(60)]  # an index of ~2,000 characters
    for name in names:
        store.set(name, "x")
    assert sorted(store.names()) == sorted(names)
    store.delete_matching("access:")
    assert store.names() == [] and credential_manager.values == {}


def test_a_value_cut_short_while_written_leaves_the_previous_one_whole(
    credential_manager: _CredentialManager, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SecretStore("tokens")
    store.set("tokens", "a" * 2000)
    real = credential_manager.set_password
    calls = 0

    def dies_on_the_third_write(service: str, username: str, password: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(1783, "CredWrite", "the PC was switched off")
        real(service, username, password)

    monkeypatch.setattr(credential_manager, "set_password", dies_on_the_third_write)
    with pytest.raises(secrets.KeyringUnavailable):
        store.set("tokens", "b" * 2000)
    assert store.get("tokens") == "a" * 2000


def test_a_damaged_value_in_parts_is_reported_not_returned(
    credential_manager: _CredentialManager,
) -> None:
    store = SecretStore("tokens")
    store.set("tokens", "a" * 2000)
    part = next(k for k in credential_manager.values if "~part~" in k[1])
    credential_manager.values[part] = "b" * 600
    with pytest.raises(secrets.KeyringUnavailable, match="damaged"):
        store.get("tokens")
    del credential_manager.values[part]
    with pytest.raises(secrets.KeyringUnavailable, match="incomplete"):
        store.get("tokens")
