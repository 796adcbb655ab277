"""How much of what a platform sends the inbox keeps: each field's length, the tasks per platform,
and the size of one answer.

A platform (its API, its CalDAV server, its plugin) may send anything. Eight titles of a million
characters froze the window for seconds on every repaint and stayed in the task cache, so the next
start froze too; a 16 MB answer of empty JSON arrays cost 440 MB once parsed. So:

- every task reaches the inbox through ``bounded_tasks`` (``Inbox`` in service.py applies it to
  REST, CalDAV and plugin sources alike, and ``TaskCache.load`` reads no more back): texts are cut
  with an ellipsis, an item with an id too long to be one is dropped (a cut id could name another
  task), a link too long to be one gives way to the platform's home page, and at most
  ``MAX_TASKS`` tasks of a platform are kept (it is then said that only the first are shown);
- an answer is at most ``MAX_ANSWER_BYTES`` long and holds at most ``MAX_ANSWER_VALUES`` values
  (counted in its raw bytes before it is parsed, so the parsed answer stays small), and the
  platform's ``timeout`` is a deadline for all of it (deadline.py).

Nothing here imports requests: the cache and the inbox use it at start-up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from launcher.api import TaskItem

MAX_TASKS = 2000
"""Tasks kept per platform. Real lists are tens or hundreds; 40 platforms stay within the
100,000 rows the inbox is built for."""
MAX_ID_CHARS = 256
MAX_TITLE_CHARS = 500
MAX_SUBJECT_CHARS = 200
MAX_URL_CHARS = 4096
MAX_WORD_CHARS = 100
"""Status, form key and period: words, not texts."""
MAX_MESSAGE_CHARS = 500
"""A platform state's message (it may quote the platform: a reason phrase, an error text)."""

MAX_ANSWER_BYTES = 16 * 1024 * 1024
"""One HTTP answer (a page of a paged list): a task list is far smaller; more is a misconfigured
URL (a file download, a log dump)."""
MAX_ANSWER_VALUES = 200_000
"""Values in one answer, counted before parsing: JSON ``{``, ``[`` and ``,`` (every list item and
object member follows one), XML elements, iCalendar lines. A parsed value costs up to ~170 bytes
in Python, so an answer costs at most ~35 MB besides its text, not 440 MB. 2,000 tasks of 40
fields are 80,000."""

ELLIPSIS = "…"


def cut(text: str, limit: int) -> str:
    """``text`` with at most ``limit`` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def bounded_task(item: TaskItem, home: str) -> TaskItem | None:
    """``item`` within the limits, or None when it cannot be kept (an id that is not a short
    string, a title that is not a string); the item itself when nothing needed changing."""
    task_id, title, url = item.id, item.title, item.url
    if not isinstance(task_id, str) or len(task_id) > MAX_ID_CHARS or not isinstance(title, str):
        return None
    changes: dict[str, str | None] = {}
    if len(title) > MAX_TITLE_CHARS:
        changes["title"] = cut(title, MAX_TITLE_CHARS)
    if not isinstance(url, str) or len(url) > MAX_URL_CHARS:
        changes["url"] = home  # a cut link would open a wrong page
    if not isinstance(item.status, str):
        changes["status"] = "open"
    elif len(item.status) > MAX_WORD_CHARS:
        changes["status"] = cut(item.status, MAX_WORD_CHARS)
    for name, limit in (("subject", MAX_SUBJECT_CHARS), ("form", MAX_WORD_CHARS),
                        ("period", MAX_WORD_CHARS)):
        value = getattr(item, name)
        if value is not None and not isinstance(value, str):
            changes[name] = None
        elif value is not None and len(value) > limit:
            changes[name] = cut(value, limit)
    return replace(item, **changes) if changes else item  # type: ignore[arg-type]


def bounded_tasks(tasks: Iterable[TaskItem], home: str) -> tuple[list[TaskItem], int, bool]:
    """The tasks within the limits: (kept, dropped, more). ``dropped`` counts items that could
    not be kept; ``more`` is True when there were more than ``MAX_TASKS`` (the rest are not
    looked at: a plugin's endless list costs nothing beyond them)."""
    kept: list[TaskItem] = []
    dropped = 0
    for item in tasks:
        if len(kept) == MAX_TASKS:
            return kept, dropped, True
        bounded = bounded_task(item, home)
        if bounded is None:
            dropped += 1
        else:
            kept.append(bounded)
    return kept, dropped, False


def bounded_message(text: str) -> str:
    """A state message within ``MAX_MESSAGE_CHARS``."""
    return cut(text, MAX_MESSAGE_CHARS)
