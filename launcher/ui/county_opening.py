"""What the window's start-up does on a worker: open the county (the composition root), restore
the session, and prepare the cached tasks, so the GUI thread only shows the answer.

Imported by that worker, after the first paint: nothing here is on the first frame's path.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from launcher.core.auth import session_stamp
from launcher.ui.inbox_index import prepare_groups
from launcher.ui.tiles import TileInfo, tile_icon

if TYPE_CHECKING:
    from pathlib import Path

    from launcher.api import TaskGroup
    from launcher.app.events import Events
    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo
    from launcher.core.inbox.service import RefreshResult
    from launcher.core.inbox.snapshot import Snapshot

log = logging.getLogger(__name__)


class Loaded(NamedTuple):
    """What the start-up worker gathers before the window can show anything real."""

    services: Services
    tiles: list[TileInfo]
    user: UserInfo | None
    cached: RefreshResult | None
    groups: list[TaskGroup]
    snapshot_theirs: bool = False
    """The start snapshot on screen is the person's whose session was restored."""
    same_as_snapshot: bool = False
    """... and shows the same tasks, grouped the same way (nothing new to keep of it)."""


def open_county(
    path: Path, events: Events, *, english: bool, snapshot: Snapshot | None = None
) -> Loaded:
    """Open the county file at ``path`` with the window's ``events`` (one event mechanism for
    all); runs on a worker. ``snapshot``: the start snapshot on screen, if any."""
    from launcher.app.packs import open_services

    services = open_services(path, events)  # a county pack that does not load is rolled back
    tiles = []
    for p in services.registry.with_tiles():  # the hard-blocked ones' tiles say why
        icon = _read_icon(p.manifest.icon)
        tiles.append(TileInfo(p.id, p.name_en if english else p.name, p.home, icon, tile_icon(icon)))
    from launcher.app.session import restore

    user = restore(services)  # the sign-in use case, as the command line's
    cached = services.inbox.cached() if user is not None else None
    if cached is not None:  # the workspace shows each platform's cached state until a refresh
        services.workspace.set_platforms(cached.states)
    # Prepared here, off the GUI thread: showing 10,000 tasks then costs it ~2 ms.
    # Grouped by the manifests' rules and the user's splits (services.grouping).
    groups = prepare_groups(services.grouping.group(cached.tasks)) if cached is not None else []
    theirs = (
        snapshot is not None and user is not None
        and snapshot.owner == session_stamp.owner_digest(user.sub)
    )
    same = theirs and snapshot is not None and snapshot.groups == groups
    return Loaded(services, tiles, user, cached, groups, theirs, same)


def _read_icon(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        log.warning("platform icon %s unreadable: %s", path, exc)
        return None
