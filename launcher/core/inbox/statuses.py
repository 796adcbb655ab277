"""Task statuses with a meaning of their own to the launcher."""

CLOSED_STATUSES = frozenset(
    {"done", "closed", "completed", "finished", "cancelled", "canceled", "已完成", "已办结"}
)
"""Statuses a platform reports that mean the work is already finished: such a task is never
overdue and never announced."""
