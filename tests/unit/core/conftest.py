"""Fixtures the core's tests share: a local HTTP server, a task cache, platforms on that server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from _local_http import LocalServer, local_server
from _platforms import make_platform

from launcher.core.inbox.cache import TaskCache
from launcher.core.registry import Platform


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 that answers what each test tells it to."""
    with local_server() as served:
        yield served


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[TaskCache]:
    opened = TaskCache(tmp_path / "tasks.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def platform_at(server: LocalServer, tmp_path: Path) -> Callable[..., Platform]:
    """``platform_at(name, timeout=3.0)``: the platform ``demo.<name>``, served under the path
    ``/<name>`` of the one ``server`` (so that many platforms share it)."""

    def make(name: str, timeout: float = 3.0) -> Platform:
        return make_platform(tmp_path, f"{server.url}/{name}", plugin_id=f"demo.{name}",
                             timeout=timeout)

    return make
