"""What each platform's tile says, from the workspace's platform states and the tasks on screen
(no Qt: the window's tiles render it).

A platform with its own login (the password vault's) shows whether its password is saved while
its tasks are current; otherwise the tile follows the platform's refresh state: needs a new
sign-in, failed, shown from the cache (also while still being refreshed), or current.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from launcher.app.refresh import needs_sign_in
from launcher.core.states import PlatformStatus, TileState

if TYPE_CHECKING:
    from launcher.api import TaskItem
    from launcher.core.inbox.service import PlatformState
    from launcher.core.registry import Blocked


@dataclass(frozen=True)
class TileView:
    state: TileState
    count: int
    """The platform's tasks in the inbox."""
    platform: PlatformState | None
    """The refresh state the tile's detail line (how current) is about; None: no such line."""
    explain: bool
    """Whether the tile explains the state (its tooltip): not for a current platform."""


def tile_views(
    platform_ids: Iterable[str],
    states: Mapping[str, PlatformState],
    tasks: Iterable[TaskItem],
    own_login: Callable[[str], str | None],
    blocked: Mapping[str, Blocked] | None = None,
) -> dict[str, TileView]:
    """Each platform's tile while someone is signed in: ``states`` are the platforms' states
    (the workspace's), ``tasks`` the ones in the inbox; ``own_login(id)``: the password vault's
    state (a ``TileState``) for a platform with its own login, else None. ``blocked``: the
    county's kill switch (``Registry.blocked``): a hard-blocked platform's tile says so and
    nothing else, a soft-blocked one warns while it otherwise works."""
    counts: dict[str, int] = {}
    for task in tasks:
        counts[task.platform] = counts.get(task.platform, 0) + 1
    views: dict[str, TileView] = {}
    for plugin_id in platform_ids:
        state = states.get(plugin_id)
        count = counts.get(plugin_id, 0)
        vault_state = own_login(plugin_id)
        if vault_state is not None and (state is None or state.state == PlatformStatus.CURRENT):
            views[plugin_id] = TileView(TileState(vault_state), count, state, False)
        elif state is None:
            views[plugin_id] = TileView(TileState.SIGNED_IN, count, None, False)
        elif needs_sign_in(state):
            views[plugin_id] = TileView(TileState.NEEDS_SIGN_IN, count, state, True)
        elif state.state == PlatformStatus.FAILED:
            views[plugin_id] = TileView(TileState.FAILED, count, state, True)
        elif state.state in (PlatformStatus.STALE, PlatformStatus.REFRESHING):
            # Refreshing: its cached tasks are shown meanwhile.
            views[plugin_id] = TileView(TileState.STALE, count, state, True)
        else:
            views[plugin_id] = TileView(TileState.SIGNED_IN, count, state, False)
    for plugin_id, block in (blocked or {}).items():
        if plugin_id not in views:
            continue
        if block.hard:
            views[plugin_id] = TileView(TileState.BLOCKED, 0, None, True)
        elif views[plugin_id].state in (TileState.SIGNED_IN, TileState.PASSWORD_SAVED):
            view = views[plugin_id]
            views[plugin_id] = TileView(TileState.WARNED, view.count, view.platform, True)
    return views
