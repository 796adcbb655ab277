"""The merged inbox: task sources, their concurrent refresh, the SQLite cache and grouping."""

from launcher.core.inbox.cache import TaskCache
from launcher.core.inbox.grouping import group_tasks
from launcher.core.inbox.service import Inbox, PlatformState, RefreshResult
from launcher.core.inbox.sources import PluginSource, RestJsonSource, source_for

__all__ = ["Inbox", "PlatformState", "PluginSource", "RefreshResult", "RestJsonSource",
           "TaskCache", "group_tasks", "source_for"]
