"""What a plugin's ``fetch`` returned, made into the inbox's tasks, or the plugin's failure.

``launcher.api`` promises that ``fetch`` returns a sequence of ``TaskItem``, each field of the
type it declares. Anything else (a dict, a string, a ``TaskItem`` with a number for a title or a
text for a due time) is the plugin's failure, named precisely so its author can fix it. An item
without an id or a title is skipped, as the REST source skips one.

Runs on the plugin's thread (see launcher/core/plugins/host.py): reading what a plugin returned
may run its code (a list subclass's ``__iter__``, a property). What comes out is plain: exact
``str``, ``int`` and ``datetime`` values in new ``TaskItem``s, so no code of the plugin runs where
the tasks go next (the window, the cache), and it is bounded like every source's (limits.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from launcher.api import TaskItem
from launcher.core.inbox.limits import MAX_TASKS, bounded_task
from launcher.core.inbox.timestamps import CHINA
from launcher.core.plugins.host import PluginError, describe
from launcher.core.registry import Platform

__all__ = ["checked_tasks"]


def checked_tasks(answer: object, platform: Platform,
                  entry: str) -> tuple[list[TaskItem], int, bool]:
    """The tasks of ``answer``: (tasks, skipped, more). At most ``MAX_TASKS`` are read; ``more``
    says the answer held more. Raises PluginError (``plugin``) for an answer that is not what
    the api promises."""
    if isinstance(answer, str | bytes | bytearray) or not isinstance(answer, Sequence):
        raise PluginError(f"{entry}: fetch returned {type(answer).__name__}, not a list of "
                          "TaskItem")
    tasks: list[TaskItem] = []
    skipped = 0
    for index, item in enumerate(answer):
        if len(tasks) == MAX_TASKS:  # an endless list costs nothing beyond the first ones
            return tasks, skipped, True
        if not isinstance(item, TaskItem):
            raise PluginError(f"{entry}: fetch returned a list holding {type(item).__name__} "
                              f"(item {index}), not TaskItem")
        try:
            task = _plain(item, platform)
        except PluginError as exc:
            raise PluginError(f"{entry}: fetch returned a wrong TaskItem (item {index}): "
                              f"{exc}") from None
        except Exception as exc:  # a property or a datetime subclass of the plugin's that raised
            raise PluginError(f"{entry}: fetch returned a TaskItem that cannot be read "
                              f"(item {index}): {describe(exc)}") from None
        kept = bounded_task(task, platform.home) if task is not None else None
        if kept is None:
            skipped += 1
        else:
            tasks.append(kept)
    return tasks, skipped, False


def _plain(item: TaskItem, platform: Platform) -> TaskItem | None:
    """A new TaskItem of plain values for ``item`` (None: no id or title), for ``platform``:
    a plugin speaks only for its own platform, and its links open only as web pages."""
    task_id = _text(item.id, "id")
    title = _text(item.title, "title")
    if not task_id or not title:
        return None
    link = _text(item.url, "url")
    url = platform.absolute(link) if link else platform.home
    if urlsplit(url).scheme not in ("http", "https"):
        url = platform.home
    return TaskItem(
        platform=platform.id,
        id=task_id,
        title=title,
        url=url,
        due=_moment(item.due, "due"),
        status=_text(item.status, "status") or "open",
        form=_text(item.form, "form", optional=True),
        subject=_text(item.subject, "subject", optional=True),
        period=_text(item.period, "period", optional=True),
        priority=_number(item.priority, "priority"),
        updated=_moment(item.updated, "updated"),
    )


def _text(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str):
        wanted = "str or None" if optional else "str"
        raise PluginError(f"{name} is {type(value).__name__}, not {wanted}")
    return str.__str__(value)  # a plain str of a subclass (an enum's value, a markup string)


def _number(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise PluginError(f"{name} is {type(value).__name__}, not int or None")
    return int.__int__(value)


def _moment(value: Any, name: str) -> datetime | None:
    """A plain aware datetime; one without a zone is China time, as in a manifest's fields."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise PluginError(f"{name} is {type(value).__name__}, not datetime or None")
    offset = value.utcoffset()
    # Plain values of its parts: a plugin's tzinfo and timedelta subclasses stay behind.
    zone = CHINA if offset is None else timezone(timedelta(
        days=offset.days, seconds=offset.seconds, microseconds=offset.microseconds))
    return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second,
                    value.microsecond, tzinfo=zone)
