"""A real Radicale CalDAV server for the CalDAV task source tests, started once per run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from _caldav_server import Radicale, running_radicale


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Radicale]:
    with running_radicale(tmp_path_factory.mktemp("radicale")) as server:
        yield server
