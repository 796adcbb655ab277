"""The plugin SDK: what a county IT team needs to test its plugins (docs/plugins.md).

``yiduantong_pytest`` (a top-level module) holds the pytest fixtures (the ``pytest11`` entry point
``yiduantong``); ``server`` a local platform with faults on demand; ``contract`` the plugin's
task source run as the launcher runs it, and the contract it must keep; ``county`` the demo county
with its identity provider. Tests may import these; a plugin itself imports only ``launcher.api``.

The names below are imported on first use (PEP 562): pytest loads this package for every run
through the entry point, and a run that uses none of it loads nothing of the launcher.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launcher.testing.contract import ContractBroken, PluginRun, check_task_source
    from launcher.testing.server import PlatformServer, platform_server

__all__ = ["ContractBroken", "PlatformServer", "PluginRun", "check_task_source",
           "platform_server"]

_HOMES = {"ContractBroken": "contract", "PluginRun": "contract", "check_task_source": "contract",
          "PlatformServer": "server", "platform_server": "server"}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
