"""County pack updates in the window: the check at start and every few hours (the county's
``check_hours``) on a worker, a new pack applied when no page is open (the window opens itself
again on it) or else at the next start, and a bar saying, in the person's language, what changed,
what was refused and why, and when the county's update information runs out.

The use cases are ``launcher/app/packs.py``; nothing here touches the disk or the network on the
GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from launcher.ui.plain_text import PlainLabel, bounded

if TYPE_CHECKING:
    from pathlib import Path

    from launcher.app.packs import BlocksChanged, CheckOutcome, PackNotice
    from launcher.app.services import Services
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)

FIRST_CHECK_MS = 15_000
"""The first check, after the county opened and the inbox's first refresh started."""
MAX_LINES = 6


class PackBar(QFrame):
    """A bar above the work area: what the county's packs did (non-modal, closed by the person)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.message = PlainLabel(self)  # the county's notes and platform names: plain text
        self.message.setObjectName("packBarText")
        self.message.setWordWrap(True)
        self.button = QPushButton(self.tr("Got it"), self)
        self.button.setObjectName("packBarClose")
        self.button.setAccessibleName(self.tr("Close the county pack notice"))
        self.button.clicked.connect(lambda _=False: self.dismiss())
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.addWidget(self.message, 1)
        row.addWidget(self.button)
        self.lines: list[str] = []
        self.hide()

    def add(self, sentences: list[str]) -> None:
        """Show these sentences too (the newest last; at most ``MAX_LINES`` kept)."""
        fresh = [bounded(s, 600, lines=3) for s in sentences if s and s not in self.lines]
        if not fresh:
            return
        self.lines = [*self.lines, *fresh][-MAX_LINES:]
        self.message.setText("\n".join(self.lines))
        self.setAccessibleName(self.message.text())
        self.show()

    def dismiss(self) -> None:
        self.lines = []
        self.message.clear()
        self.hide()

    def text(self) -> str:
        return self.message.text()


class PackUpdates(QObject):
    """Checks the county's repository and applies new packs for one window."""

    restart = Signal(object)
    """A new pack is in use and no page was open: open the window again on this county file."""
    blocks_changed = Signal(list, list)
    """The county's block list changed: (platforms hard-blocked now: close their pages, every
    platform whose block changed: redraw its tile)."""
    checked = Signal(object)
    """A check ended (its ``CheckOutcome``), after the window acted on it (tests wait on it)."""

    def __init__(
        self,
        context: WindowContext,
        services_ready: SignalInstance,
        *,
        bar: Callable[[], PackBar],
        pages_open: Callable[[], bool],
        county_path: Callable[[], Path],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._bar = bar
        self._pages_open = pages_open
        self._county_path = county_path
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check_now)
        self._checking = False
        self._from_pack = False
        self._names: dict[str, str] = {}
        services_ready.connect(self._opened)

    def _opened(self, services: Services) -> None:
        english = self._context.language.startswith("en")
        self._names = {p.id: (p.name_en if english else p.name)
                       for p in [*services.registry.platforms,
                                 *(b.platform for b in services.registry.blocked.values())]}
        path = self._county_path()

        def prepare() -> tuple[list[PackNotice], bool, int | None]:
            from launcher.app import packs

            from_pack = packs.is_pack(path)
            # The built-in demo county gets no county's packs, whatever this PC is set up for.
            settings = packs.update_settings() if not packs.is_demo(path) else None
            hours = settings.check_hours if settings is not None else None
            return packs.take_notices(), from_pack, hours

        self._context.workers.submit("county packs", prepare, self._prepared)

    def _prepared(self, answer: tuple[list[PackNotice], bool, int | None]) -> None:
        notices, self._from_pack, hours = answer
        self._say(notices)
        if hours is None:
            return
        self._timer.setInterval(hours * 3600 * 1000)
        self._timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self.check_now)

    def check_now(self) -> None:
        """Check the county's repository (on a worker); a new pack is staged, then applied here
        at once when no page is open."""
        if self._checking:
            return
        self._checking = True

        def work() -> CheckOutcome:
            from launcher.app import packs

            return packs.check(stage=True)

        self._context.workers.submit("county pack check", work, self._done, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self._checking = False
        log.warning("county pack check failed: %s", exc)

    def _done(self, outcome: CheckOutcome) -> None:
        from launcher.app import packs
        from launcher.core.packs.client import UpdateStatus

        self._checking = False
        result = outcome.result
        packs.take_notices()  # said here, from the outcome
        staged_now = result is not None and result.status == UpdateStatus.STAGED
        if staged_now and self._from_pack and not self._pages_open():
            self._apply(outcome)
            return
        self._say(outcome.notices)
        services = self._context.services
        if result is None or not result.ok or services is None:
            self.checked.emit(outcome)
            return

        def blocks() -> BlocksChanged:
            return packs.apply_blocks(services)

        def applied(change: BlocksChanged) -> None:
            self._blocks_changed(services, change)
            self.checked.emit(outcome)

        self._context.workers.submit("county blocks", blocks, applied, self._failed)

    def _blocks_changed(self, services: Services, change: BlocksChanged) -> None:
        """The kill switch at once: pages of a platform blocked now are closed, every tile says
        its block (or its lifting), and the bar says why and whom to call."""
        if not change.changed:
            return
        from launcher.app.vocabulary import block_sentence

        self.blocks_changed.emit(list(change.blocked), list(change.changed))
        language = self._context.language
        sentences = []
        for pid in change.changed:
            blocked = services.registry.blocked.get(pid)
            if blocked is not None:
                name = self._names.get(pid, pid)
                sentences.append(f"{name}: {block_sentence(blocked.block, language)}"
                                 if language.startswith("en")
                                 else f"{name}：{block_sentence(blocked.block, language)}")
        self._bar().add(sentences)

    def _apply(self, outcome: CheckOutcome) -> None:
        """No page is open: the staged pack becomes current and the window opens on it."""

        def work() -> Path | None:
            from launcher.app import packs

            if packs.apply_staged() is None:
                return None
            return packs.selected_county()

        def applied(path: Path | None) -> None:
            self.checked.emit(outcome)
            if path is not None:
                self.restart.emit(path)  # the new window says what changed (take_notices)

        self._context.workers.submit("county pack applied", work, applied, self._failed)

    def _say(self, notices: list[PackNotice]) -> None:
        if not notices:
            return
        language = self._context.language
        self._bar().add([notice.sentence(language, self._names) for notice in notices])
