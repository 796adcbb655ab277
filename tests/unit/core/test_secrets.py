from __future__ import annotations

import uuid

import keyring

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
