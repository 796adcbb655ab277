"""The encrypted profile store, with a keyring holding its key (the unit tests' in-memory one;
tests/integration/test_profile_per_person.py uses the real Secret Service)."""

from __future__ import annotations

import base64
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from launcher.core.profile.fields import FieldDef, load_fields
from launcher.core.profile.store import KEY_NAME, ProfileError, ProfileStore
from launcher.core.secrets import SecretStore

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
FIELDS = load_fields()


@pytest.fixture
def secrets() -> Iterator[SecretStore]:
    store = SecretStore(f"test-profile-{uuid.uuid4().hex[:12]}")
    yield store
    store.delete_matching("")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "profile.sqlite3"


@pytest.fixture
def store(path: Path, secrets: SecretStore) -> Iterator[ProfileStore]:
    opened = ProfileStore(path, secrets, FIELDS)
    yield opened
    opened.close()


def file_bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def raw_rows(path: Path) -> dict[str, bytes]:
    with sqlite3.connect(path) as db:
        return {k: bytes(v) for k, v in db.execute("SELECT key, value FROM profile")}


def test_values_come_back_and_survive_reopening(store, path, secrets):
    store.set("person.name", "王小明")
    store.set("person.id_number", ID_NUMBER.lower())
    store.set("person.phone", "138 1234 5678")
    store.set("org.households", "326")
    assert store.get("person.id_number") == ID_NUMBER
    assert store.values() == {"person.name": "王小明", "person.id_number": ID_NUMBER,
                              "person.phone": PHONE, "org.households": "326"}
    store.close()

    again = ProfileStore(path, secrets, FIELDS)
    assert again.get("person.phone") == PHONE
    assert again.get("person.position") is None
    again.set("person.name", "")  # an emptied field is gone
    assert "person.name" not in again.values()
    again.delete("org.households")
    assert set(again.values()) == {"person.id_number", "person.phone"}
    again.close()


def test_sensitive_values_are_not_readable_in_the_file(store, path, secrets):
    store.set("person.id_number", ID_NUMBER)
    store.set("person.phone", PHONE)
    store.set("person.name", "王小明")
    store.close()

    on_disk = file_bytes(path)
    assert ID_NUMBER.encode() not in on_disk
    assert PHONE.encode() not in on_disk
    assert b"19491231" not in on_disk
    # The key is in the keyring only, never in the file.
    key = secrets.get(KEY_NAME)
    assert key is not None
    assert key.encode() not in on_disk and base64.urlsafe_b64decode(key) not in on_disk
    # Non-sensitive values are stored as they are, readable without the keyring.
    assert "王小明".encode() in on_disk


def test_invalid_or_unknown_values_are_refused_with_a_message(store):
    with pytest.raises(ProfileError) as caught:
        store.set("person.id_number", "110105194912310021")
    assert caught.value.key == "person.id_number"
    assert caught.value.message == "身份证号校验位不正确"
    with pytest.raises(ProfileError) as caught:
        store.set("person.shoe_size", "42")
    assert caught.value.key == "person.shoe_size"
    assert store.values() == {}


def test_a_lost_key_is_reported_per_field_and_the_data_is_kept(store, path, secrets):
    store.set("person.id_number", ID_NUMBER)
    store.set("person.name", "王小明")
    key = secrets.get(KEY_NAME)
    assert key is not None
    store.close()
    before = raw_rows(path)

    secrets.delete(KEY_NAME)
    lost = ProfileStore(path, secrets, FIELDS)
    with pytest.raises(ProfileError) as caught:
        lost.get("person.id_number")
    assert caught.value.key == "person.id_number"
    assert "密钥" in caught.value.message
    # The other values still work, and the unreadable one is named, not silently dropped.
    assert lost.values() == {"person.name": "王小明"}
    assert set(lost.unreadable()) == {"person.id_number"}
    lost.close()
    assert raw_rows(path) == before

    # With the key back (e.g. restored keyring), the value reads again.
    secrets.set(KEY_NAME, key)
    restored = ProfileStore(path, secrets, FIELDS)
    assert restored.get("person.id_number") == ID_NUMBER
    restored.close()


def test_a_replaced_key_is_told_apart_from_tampering(store, path, secrets):
    store.set("person.id_number", ID_NUMBER)
    store.set("person.phone", PHONE)
    store.close()

    with sqlite3.connect(path) as db:
        (blob,) = db.execute("SELECT value FROM profile WHERE key = 'person.phone'").fetchone()
        flipped = bytes(blob[:-1]) + bytes([blob[-1] ^ 1])
        db.execute("UPDATE profile SET value = ? WHERE key = 'person.phone'", (flipped,))
    tampered = ProfileStore(path, secrets, FIELDS)
    with pytest.raises(ProfileError) as caught:
        tampered.get("person.phone")
    assert "损坏或被改动" in caught.value.message
    assert tampered.get("person.id_number") == ID_NUMBER
    tampered.close()

    secrets.set(KEY_NAME, base64.urlsafe_b64encode(b"k" * 32).decode())
    other_key = ProfileStore(path, secrets, FIELDS)
    with pytest.raises(ProfileError) as caught:
        other_key.get("person.id_number")
    assert "另一把密钥" in caught.value.message
    other_key.close()


def test_a_value_moved_to_another_field_does_not_decrypt(store, path, secrets):
    store.set("person.id_number", ID_NUMBER)
    store.set("person.phone", PHONE)
    store.close()
    with sqlite3.connect(path) as db:
        (blob,) = db.execute(
            "SELECT value FROM profile WHERE key = 'person.id_number'").fetchone()
        db.execute("UPDATE profile SET value = ? WHERE key = 'person.phone'", (blob,))
    moved = ProfileStore(path, secrets, FIELDS)
    with pytest.raises(ProfileError):
        moved.get("person.phone")
    moved.close()


def test_a_field_that_becomes_sensitive_is_sealed_on_the_next_open(path, secrets):
    plain = dict(FIELDS)
    plain["person.position"] = FieldDef("person.position", "职务", "Position", "text", False,
                                        "person", "")
    first = ProfileStore(path, secrets, plain)
    first.set("person.position", "网格员甲")
    first.close()
    assert "网格员甲".encode() in file_bytes(path)

    sensitive = dict(plain)
    sensitive["person.position"] = FieldDef("person.position", "职务", "Position", "text", True,
                                            "person", "")
    second = ProfileStore(path, secrets, sensitive)
    assert second.get("person.position") == "网格员甲"
    second.close()
    assert "网格员甲".encode() not in file_bytes(path)
