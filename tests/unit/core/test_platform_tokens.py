"""PlatformTokens against the real keyring: every platform's token in one entry, written behind.

The tokens here come from plain functions standing in for a provider (tests/oidc/test_token_store.py
gets them from the real one); the keyring is the real Secret Service.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import keyring
import pytest

from launcher.core.auth.tokens import ENTRY, KEY_PREFIX, PlatformTokens
from launcher.core.secrets import SecretStore


@pytest.fixture
def store() -> Iterator[SecretStore]:
    secrets = SecretStore(f"test-tokens-{uuid.uuid4().hex[:8]}")
    yield secrets
    secrets.delete_matching("")


def issued(name: str, lifetime: float = 600) -> dict[str, Any]:
    return {"access_token": f"token-{name}-{uuid.uuid4().hex}", "expires_at": time.time() + lifetime}


def stored(secrets: SecretStore) -> dict[str, Any]:
    raw = secrets.get(ENTRY)
    return json.loads(raw) if raw else {}  # type: ignore[no-any-return]


def test_tokens_wait_in_memory_and_one_flush_writes_them_all(store: SecretStore) -> None:
    tokens = PlatformTokens(store)
    tokens.write_delay = 3600  # only flush writes during this test
    got = {pid: tokens.get(pid, lambda pid=pid: issued(pid)) for pid in ("a", "b", "c")}
    assert store.get(ENTRY) is None, "written behind, not at once"
    assert tokens.get("a", lambda: pytest.fail("a is still valid")) == got["a"]
    tokens.flush()
    assert {pid: e["access_token"] for pid, e in stored(store).items()} == got
    assert store.names() == [ENTRY]

    again = PlatformTokens(store)  # a new process
    assert again.get("b", lambda: pytest.fail("b was kept")) == got["b"]
    assert sorted(e["access_token"] for e in again.all()) == sorted(got.values())


def test_the_write_behind_happens_without_a_flush(store: SecretStore) -> None:
    tokens = PlatformTokens(store)
    tokens.write_delay = 0.05
    token = tokens.get("a", lambda: issued("a"))
    deadline = time.monotonic() + 10
    while not store.get(ENTRY) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert stored(store)["a"]["access_token"] == token
    tokens.invalidate("a")
    deadline = time.monotonic() + 10
    while store.get(ENTRY) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert store.get(ENTRY) is None, "the last token dropped: the entry goes"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("{not json", set()),
        ('["a", "b"]', set()),
        ('"just a string"', set()),
        (
            json.dumps({
                "good": {"access_token": "good-token-123", "expires_at": 4_000_000_000},
                "text": "a string",
                "empty": {"access_token": "", "expires_at": 4_000_000_000},
                "number": {"access_token": 12345678, "expires_at": 4_000_000_000},
                "no-expiry": {"access_token": "no-expiry-token"},
                "text-expiry": {"access_token": "text-expiry-token", "expires_at": "soon"},
                "bool-expiry": {"access_token": "bool-expiry-token", "expires_at": True},
            }),
            {"good"},
        ),
    ],
)
def test_a_damaged_entry_is_logged_and_its_tokens_obtained_again(
    store: SecretStore, raw: str, kept: set[str], caplog: pytest.LogCaptureFixture
) -> None:
    store.set(ENTRY, raw)
    tokens = PlatformTokens(store)
    tokens.write_delay = 3600
    with caplog.at_level(logging.WARNING, logger="launcher.core.auth.tokens"):
        held = {pid for pid in ("good", "text", "empty", "number", "no-expiry", "text-expiry",
                                "bool-expiry") if tokens.entry(pid)}
    assert held == kept
    assert f"keyring entry {ENTRY!r}" in caplog.text
    obtained: list[str] = []

    def obtain(pid: str) -> dict[str, Any]:
        obtained.append(pid)
        return issued(pid)

    for pid in ("good", "text", "number"):
        tokens.get(pid, lambda pid=pid: obtain(pid))
    assert obtained == [pid for pid in ("good", "text", "number") if pid not in kept]
    tokens.flush()  # the damaged entry is replaced by a sound one
    assert set(stored(store)) == {"good", "text", "number"}


def test_clear_cancels_the_pending_write_and_removes_the_old_layout(store: SecretStore) -> None:
    for pid in ("a", "b"):  # what versions with one entry per platform left in the keyring
        store.set(KEY_PREFIX + pid, json.dumps(issued(pid)))
    tokens = PlatformTokens(store)
    tokens.write_delay = 3600
    assert tokens.entry("a") is None, "the old layout is not read"
    tokens.get("a", lambda: issued("a"))
    tokens.flush()
    tokens.get("b", lambda: issued("b"))  # pending
    tokens.clear()
    tokens.flush()
    assert store.names() == []
    for name in (ENTRY, KEY_PREFIX + "a", KEY_PREFIX + "b"):
        assert keyring.get_password(store.service, name) is None
    assert tokens.all() == []


def test_tokens_of_an_ended_session_are_not_written_back(store: SecretStore) -> None:
    alive = True
    tokens = PlatformTokens(store, keep=lambda: alive)
    tokens.write_delay = 3600
    tokens.get("a", lambda: issued("a"))
    alive = False  # another process signed out meanwhile
    tokens.flush()
    assert store.get(ENTRY) is None
    assert tokens.entry("a") is None, "dropped from memory too"


def test_another_process_tokens_are_kept_at_a_save(store: SecretStore) -> None:
    first, second = PlatformTokens(store), PlatformTokens(store)
    first.write_delay = second.write_delay = 3600
    a = first.get("a", lambda: issued("a"))
    first.get("c", lambda: issued("c"))
    first.flush()
    assert second.entry("c") is not None  # read by the second process
    b = second.get("b", lambda: issued("b"))
    second.invalidate("c")  # refused by its platform, in the second process
    second.flush()
    first.invalidate("a")
    first.flush()
    held = {pid: e["access_token"] for pid, e in stored(store).items()}
    # The first keeps the second's new token; its own drop wins; the token it read for "c" too.
    assert "a" not in held and held["b"] == b and "c" in held
    assert a not in held.values()


def test_saves_land_in_order(store: SecretStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older snapshot still being written never lands after a newer one."""
    tokens = PlatformTokens(store)
    tokens.write_delay = 3600
    real_set = store.set
    first_write_started, release = threading.Event(), threading.Event()
    second_write = threading.Event()
    calls: list[str] = []

    def observed_set(name: str, value: str) -> None:
        # Observation of the real write, holding the first one back until released.
        calls.append(value)
        if len(calls) == 1:
            first_write_started.set()
            release.wait(10)
        else:
            second_write.set()
        real_set(name, value)

    monkeypatch.setattr(store, "set", observed_set)
    tokens.get("a", lambda: issued("a"))
    older = threading.Thread(target=tokens.flush)
    older.start()
    assert first_write_started.wait(10)
    newest = tokens.get("b", lambda: issued("b"))
    newer = threading.Thread(target=tokens.flush)
    newer.start()
    second_write.wait(1)  # a write that does not wait for the first would happen now
    release.set()
    older.join(10)
    newer.join(10)
    assert stored(store)["b"]["access_token"] == newest
