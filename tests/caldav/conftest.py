"""A real Radicale CalDAV server for the CalDAV task source tests, started once per run."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from _caldav_server import Radicale, start_radicale


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    server, process = start_radicale(tmp_path_factory.mktemp("radicale"))
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
