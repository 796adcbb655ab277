"""Fixtures the core's tests share: a local HTTP server, a task cache, platforms on that server,
a Chromium page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import shiboken6
from _local_http import LocalServer, local_server
from _platforms import make_platform

from launcher.core.inbox.cache import TaskCache
from launcher.core.registry import Platform

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEnginePage
    from pytestqt.qtbot import QtBot


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


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[QWebEnginePage]:
    """A Chromium page on an off-the-record profile of its own (nothing written to disk)."""
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

    profile = QWebEngineProfile()
    web_page = QWebEnginePage(profile)
    yield web_page
    # The page goes before its profile, or QtWebEngine says the profile was released with a page
    # still on it. Deleted here rather than left to Python: pytest still holds the page.
    shiboken6.delete(web_page)
    shiboken6.delete(profile)
