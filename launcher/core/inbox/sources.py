"""Task sources: which one a platform's manifest declares (``source_for``).

The declarative REST JSON source is in rest_source.py, the adapter around a plugin's own Python
one in plugin_source.py, the CalDAV one in caldav_source.py, iCalendar subscriptions in
ics_source.py, RSS/Atom feeds in feed_source.py, what they share in source_base.py.
All expose ``fetch(*, token, timeout) -> list[TaskItem]`` and ``complete(task_id, *, token,
timeout) -> list[TaskItem]`` (mark a task done, re-read, confirm), and raise only ``SourceError``
with a reason code the UI turns into words. ``can_complete`` says whether ``complete`` can work at
all; when it cannot, ``complete`` raises SourceError ``unsupported``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from launcher.core.inbox.limits import MAX_ANSWER_BYTES
from launcher.core.inbox.plugin_source import PluginSource
from launcher.core.inbox.rest_source import FULL_EVERY, SINCE_OVERLAP, RestJsonSource
from launcher.core.inbox.source_base import Person, Source, Synced
from launcher.core.plugins.host import PluginHost
from launcher.core.registry import Platform

if TYPE_CHECKING:  # caldav_source is imported on first use: most counties have no CalDAV platform
    from launcher.core.inbox.caldav_source import CalDavSource
    from launcher.core.inbox.feed_source import FeedSource
    from launcher.core.inbox.ics_source import IcsSource
    from launcher.core.model import Credentials

__all__ = ["FULL_EVERY", "MAX_ANSWER_BYTES", "SINCE_OVERLAP", "PluginSource", "RestJsonSource",
           "Source", "Synced", "source_for"]


def source_for(
    platform: Platform, *, credentials: Callable[[str], Credentials | None] | None = None,
    plugins: PluginHost | None = None, person: Callable[[], Person] | None = None,
) -> RestJsonSource | PluginSource | CalDavSource | IcsSource | FeedSource:
    """The task source a platform's manifest declares; ValueError for a platform without one.

    ``credentials`` (the password vault's ``get``) signs a CalDAV, .ics or feed source of a
    password platform in (HTTP basic). ``plugins`` is the session's plugin host (a Python source
    without one gets its own). ``person`` gives the signed-in person's claims for the manifest's
    ``{username}``, ``{sub}``, ``{name}`` and ``{claim.X}`` placeholders.
    """
    spec = platform.manifest.tasks
    if spec is None:
        raise ValueError(f"{platform.id} declares no task source")
    if spec.kind == "rest-json":
        return RestJsonSource(platform, person=person)
    if spec.kind in ("ics", "feed"):
        from launcher.core.inbox.feed_source import FeedSource
        from launcher.core.inbox.ics_source import IcsSource

        kind = IcsSource if spec.kind == "ics" else FeedSource
        return kind(platform, credentials, person=person)
    if spec.kind == "python":
        return PluginSource(platform, plugins, saved=credentials)
    if spec.kind == "caldav":
        from launcher.core.inbox.caldav_source import CalDavSource

        return CalDavSource(platform, credentials, person=person)
    raise ValueError(f"{platform.id}: unknown task source kind {spec.kind!r}")
