"""The merged inbox: task sources, their concurrent refresh, the SQLite cache and grouping."""

from __future__ import annotations

from typing import TYPE_CHECKING

from launcher.core.lazy import lazy_exports

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


# The window's start path imports single modules of this package (the cache, notifications)
# and must not pull in the HTTP sources with them.
__getattr__ = lazy_exports(__name__, _HOMES)
