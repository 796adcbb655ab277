"""{{name_py}}的待办来源 / The task source of {{id}} (launcher API 1, docs/plugins.md).

Made by ``launcher pack new``. Everything a plugin needs comes from ``launcher.api``; the session
the context hands over already carries the platform's credentials.
"""

from __future__ import annotations

import time

from launcher.api import PluginContext, SignedOut, TaskItem

LAUNCHER_API = 1
"""The launcher API this plugin was written for (a number of its own, never API_VERSION)."""


class Tasks:
    """The pending tasks of the person signed in."""

    def __init__(self, context: PluginContext) -> None:
        self.context = context

    def fetch(self, *, timeout: float) -> list[TaskItem]:
        """Every pending task, within ``timeout`` seconds (pass what is left to each request)."""
        deadline = time.monotonic() + timeout
        answer = self.context.session.get(
            self.context.url("/api/tasks"), timeout=max(0.1, deadline - time.monotonic())
        )
        answer.raise_for_status()  # 401/403: signed out; 5xx: the platform's trouble
        said = answer.json()
        if said.get("code") == 401:
            raise SignedOut(said.get("msg") or "signed out")
        return [
            TaskItem(
                platform=self.context.platform_id,
                id=str(row["id"]),
                title=str(row["title"]),
                url=self.context.url(f"/tasks/{row['id']}"),
            )
            for row in said.get("data", [])
        ]


def make(context: PluginContext) -> Tasks:
    """The factory the manifest's ``entry`` names: called once, with the plugin's context."""
    return Tasks(context)
