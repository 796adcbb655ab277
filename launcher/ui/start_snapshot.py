"""The start snapshot in the window: read at the start, before the county opens, and kept again
a moment after the inbox shows new tasks (what it is and to whom it is shown:
launcher/app/start_snapshot.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from pathlib import Path

    from launcher.app.services import Services
    from launcher.core.auth.session import UserInfo
    from launcher.core.inbox.snapshot import Snapshot
    from launcher.ui.inbox_index import PreparedGroups
    from launcher.ui.workers import Workers

log = logging.getLogger(__name__)

SAVE_DELAY_MS = 1500
"""How long after the inbox shows new tasks the snapshot is kept: the partial results of one
refresh, a split and a mark done in a row are kept once."""


class Early(NamedTuple):
    """A start snapshot ready to show: its groups prepared as the inbox wants them."""

    snapshot: Snapshot
    groups: PreparedGroups


def read(county_path: Path) -> Early | None:
    """The start snapshot the window may show for ``county_path`` (on a worker)."""
    from launcher.app.start_snapshot import load
    from launcher.ui.inbox_index import prepared_as_before

    snapshot = load(county_path)
    if snapshot is None or not snapshot.groups:
        return None
    return Early(snapshot, prepared_as_before(snapshot.groups, snapshot.order))


class SnapshotKeeper(QObject):
    """Keeps the start snapshot of what the inbox shows, on a worker, a moment after it shows
    it; nothing once the person on screen is gone (``cancel``)."""

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workers = workers
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self._save)
        self._pending: tuple[Services, UserInfo, PreparedGroups, dict[str, str], int] | None = None

    def shown(
        self, services: Services, user: UserInfo, groups: PreparedGroups, forms: dict[str, str]
    ) -> None:
        """``groups`` are on screen for ``user``: kept a moment later, unless the task cache
        forgets anything meanwhile (its generation, taken now)."""
        self._pending = (services, user, groups, forms, services.cache.generation)
        self._timer.start()

    def cancel(self) -> None:
        """Nobody's tasks are on screen any more: nothing is kept."""
        self._timer.stop()
        self._pending = None

    def _save(self) -> None:
        pending, self._pending = self._pending, None
        if pending is None:
            return
        services, user, groups, forms, generation = pending

        def work() -> bool:
            from launcher.app.start_snapshot import save

            return save(services, user.sub, user.name, groups, groups.order, forms, generation)

        self._workers.submit("keep the start snapshot", work, _kept, _not_kept)


def _kept(kept: bool) -> None:
    if not kept:
        log.debug("start snapshot not kept: the task cache forgot tasks since they were shown")


def _not_kept(exc: BaseException) -> None:
    log.warning("start snapshot not kept: %s", type(exc).__name__)
