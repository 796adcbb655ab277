"""The launcher's pytest plugin for county IT teams testing their plugins (docs/plugins.md).

Installed with the launcher (the ``pytest11`` entry point ``yiduantong``; the SDK itself is
``launcher.testing``), it only offers
fixtures: nothing runs unless a test asks for one of them by name, so it changes no other test
run. ``pytest -p no:yiduantong`` turns it off.

- ``plugin_platform``: a ``PlatformServer`` on 127.0.0.1 (routes, faults on demand).
- ``plugin_run``: ``plugin_run(folder, **options)`` -> ``PluginRun``, the plugin's task source as
  the launcher runs it, pointed at ``plugin_platform``.
- ``task_source_contract``: ``task_source_contract(run, timeout=2.0)`` -> the good answer's
  tasks, after holding the source to the contract against ``plugin_platform``.
- ``plugin_county``: the demo county with its identity provider (skipped, saying why, when
  ``launcher_demo`` is not installed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# The launcher is imported by the fixtures, when a test asks for one: a test run that uses none
# (the launcher's own, anyone's) loads nothing of it at start-up.
if TYPE_CHECKING:
    from launcher.api import TaskItem
    from launcher.testing.contract import PluginRun
    from launcher.testing.county import TestCounty
    from launcher.testing.server import PlatformServer


@pytest.fixture
def plugin_platform() -> Iterator[PlatformServer]:
    """A platform on 127.0.0.1 that answers what the test sets (``json``, ``raw``, ``bearer``)
    and the faults it is told (``fault("slow" | "status" | "garbage" | "drop")``)."""
    from launcher.testing.server import platform_server

    with platform_server() as server:
        yield server


@pytest.fixture
def plugin_run(plugin_platform: PlatformServer, tmp_path: Path) -> Callable[..., PluginRun]:
    """``plugin_run(folder, token=…, credentials=…, claims=…, base_url=…)``: the task source of
    the plugin in ``folder``, on ``plugin_platform`` unless ``base_url`` says otherwise."""

    from launcher.testing.contract import PluginRun

    def run(folder: Path | str, **options: Any) -> PluginRun:
        base_url = options.pop("base_url", plugin_platform.url)
        return PluginRun(Path(folder), base_url, data_root=tmp_path / "plugin-data", **options)

    return run


@pytest.fixture
def task_source_contract(plugin_platform: PlatformServer) -> Callable[..., list[TaskItem]]:
    """``task_source_contract(run, timeout=2.0)``: check the task source contract (see
    launcher/testing/contract.py) against ``plugin_platform``; returns the good answer's tasks."""
    from launcher.testing.contract import check_task_source

    def check(run: PluginRun, *, timeout: float = 2.0) -> list[TaskItem]:
        return check_task_source(run, plugin_platform, timeout=timeout)

    return check


@pytest.fixture
def plugin_county(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[TestCounty]:
    """The demo county, started for the test, with a data folder of the test's own
    (LAUNCHER_HOME); skipped when the demo county is not installed."""
    from launcher.core.demo import DemoNotInstalled
    from launcher.testing.county import NOT_INSTALLED, started_county

    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path_factory.mktemp("launcher-home")))
    try:
        county = started_county(tmp_path_factory.mktemp("county"))
        started = county.__enter__()
    except DemoNotInstalled:
        pytest.skip(NOT_INSTALLED)
    try:
        yield started
    finally:
        county.__exit__(None, None, None)
