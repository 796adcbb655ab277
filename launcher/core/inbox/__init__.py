"""The merged inbox: task sources, their concurrent refresh, the SQLite cache and grouping."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launcher.core.inbox.cache import TaskCache
    from launcher.core.inbox.grouping import group_tasks
    from launcher.core.inbox.service import Inbox, PlatformState, RefreshResult
    from launcher.core.inbox.sources import PluginSource, RestJsonSource, source_for

__all__ = ["Inbox", "PlatformState", "PluginSource", "RefreshResult", "RestJsonSource",
           "TaskCache", "group_tasks", "source_for"]

_HOMES = {
    "TaskCache": "cache",
    "group_tasks": "grouping",
    "Inbox": "service",
    "PlatformState": "service",
    "RefreshResult": "service",
    "PluginSource": "sources",
    "RestJsonSource": "sources",
    "source_for": "sources",
}


def __getattr__(name: str) -> Any:
    # Imported on first use (PEP 562): the window's start path imports single modules of this
    # package (the cache, notifications) and must not pull in the HTTP sources with them.
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
