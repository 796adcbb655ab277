"""示例厂商平台的待办来源 / The example vendor platform's task source (launcher API 1).

The vendor's API wants ``POST /api/v2/todo/query`` with a JSON query, answers
``{"code": 0, "msg": "...", "data": {"list": [...], "nextCursor": "..."}}``, pages by the cursor
in the answer and gives due dates in epoch milliseconds. A refused token is ``{"code": 401}``
inside an HTTP 200. Everything here comes from ``launcher.api``; the session the context hands
over is already signed in.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from launcher.api import PluginContext, Refused, SignedOut, TaskItem

LAUNCHER_API = 1
"""The launcher API this plugin was written for (a number of its own, never API_VERSION)."""

PAGE_SIZE = 50
MAX_PAGES = 40


class VendorTasks:
    """The pending tasks of the person signed in, and marking one done."""

    def __init__(self, context: PluginContext) -> None:
        self.context = context

    def fetch(self, *, timeout: float) -> list[TaskItem]:
        """Every page of the person's pending tasks, all within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        tasks: list[TaskItem] = []
        cursor = None
        for _ in range(MAX_PAGES):
            query = {"assignee": self.context.claims.get("preferred_username", ""),
                     "state": "pending", "size": PAGE_SIZE, "cursor": cursor}
            data = self._call("/api/v2/todo/query", query, deadline)
            tasks += [self._task(row) for row in data.get("list", [])]
            cursor = data.get("nextCursor")
            if not cursor:
                break
        self.context.log.info("%d tasks read", len(tasks))
        return tasks

    def complete(self, task_id: str, *, timeout: float) -> None:
        """Mark ``task_id`` done; the platform's refusal is raised as ``Refused``."""
        self._call("/api/v2/todo/finish", {"taskId": task_id}, time.monotonic() + timeout)

    def _call(self, path: str, body: dict[str, object], deadline: float) -> dict:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no time left for {path}")
        answer = self.context.session.post(self.context.url(path), json=body, timeout=left)
        answer.raise_for_status()  # 401/403: signed out; 5xx: the platform's trouble
        said = answer.json()  # not JSON: unreadable
        code = said.get("code")
        if code == 401:
            raise SignedOut(said.get("msg") or "signed out")
        if code != 0:
            raise Refused(said.get("msg") or f"code {code}")
        return said.get("data") or {}

    def _task(self, row: dict) -> TaskItem:
        due = row.get("deadline")
        return TaskItem(
            platform=self.context.platform_id,
            id=str(row["taskId"]),
            title=str(row["taskName"]),
            url=self.context.url(f"/todo/{row['taskId']}"),
            due=datetime.fromtimestamp(due / 1000, UTC) if isinstance(due, int) else None,
            subject=row.get("target"),
        )


def make(context: PluginContext) -> VendorTasks:
    """The factory the manifest's ``entry`` names: the launcher calls it once, with the context."""
    return VendorTasks(context)
