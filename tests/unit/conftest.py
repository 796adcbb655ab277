"""Unit tests run without the Secret Service: each test gets an empty in-memory keyring (and so do
the child processes it starts). The real keyring is for tests/integration, tests/e2e and the
protocol suites (the ``real_keyring`` fixture in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import keyring.core
import pytest

from tests.memory_keyring import MemoryKeyring


@pytest.fixture(autouse=True)
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """This test's keyring, empty; whatever backend was set before is back after the test."""
    backend = MemoryKeyring()
    before = getattr(keyring.core, "_keyring_backend", None)
    keyring.set_keyring(backend)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.MemoryKeyring")
    yield backend
    keyring.core._keyring_backend = before  # None: keyring detects one again on first use
