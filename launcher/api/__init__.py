"""The narrow surface that platform plugins may import.

Everything a plugin needs is re-exported here; nothing else under ``launcher`` is public.
"""

from launcher.api._tasks import CompletableTaskSource, TaskGroup, TaskItem, TaskSource

__all__ = ["CompletableTaskSource", "TaskGroup", "TaskItem", "TaskSource"]
