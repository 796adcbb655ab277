"""What the inbox shows: refresh results (the refresh use case's ``RefreshView``), the tiles'
states, and the lists that mark done and split/merge give back; and when the inbox refreshes
(asked, in the background, or once the start-up or a sign-in is done).

Made by the window in its first frame (it imports nothing the first frame does without). It
owns the refresh and split/merge use cases while the county is open (``open``/``close``). What
is made only later listens to it instead of being reached from here: the tray follows
``pending_changed``, ``notices_due`` and ``cleared``, the sign-in-again bar ``sign_in_needed``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from launcher.core.errors import LauncherError
from launcher.ui.tiles import BLOCKED, FAILED, SIGNED_OUT, WARNED

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from launcher.api import TaskGroup
    from launcher.app.refresh import Refresh
    from launcher.app.regroup import Regroup
    from launcher.app.services import Services
    from launcher.app.workspace import Workspace
    from launcher.core.auth.session import UserInfo
    from launcher.core.inbox.notify import Notice
    from launcher.core.inbox.service import PlatformState, RefreshResult
    from launcher.core.registry import Blocked
    from launcher.ui.inbox_index import PreparedGroups
    from launcher.ui.inbox_model import InboxModel
    from launcher.ui.inbox_view import InboxView
    from launcher.ui.mark_done import MarkDoneOutcome
    from launcher.ui.start_snapshot import SnapshotKeeper
    from launcher.ui.status_bar import StatusBar
    from launcher.ui.tiles import TileInfo, TilePanel
    from launcher.ui.window_context import WindowContext

# The window's words, kept in its translation context (they were the window's before).
translate = QCoreApplication.translate
log = logging.getLogger(__name__)


class InboxPresenter(QObject):
    """Renders the workspace's tasks and platform states into the inbox, tiles and status bar."""

    inbox_updated = Signal(int)
    """The number of inbox rows after cached tasks or a refresh were shown."""
    refresh_finished = Signal(bool)
    """A refresh ended: True when its result is on screen, False when it failed as a whole."""
    sign_in_needed = Signal(list)
    """The plugin ids whose sign-in must be renewed ([] once none needs it any more)."""
    _workspace_changed = Signal()
    pending_changed = Signal(int)
    """The number of tasks waiting (the tray's count)."""
    cleared = Signal()
    """Nobody's work is on screen any more: no count, no notice may linger."""
    notices_due = Signal(list)
    """Notices to show (due and overdue work, see launcher/core/inbox/notify.py)."""
    _records_changed = Signal()

    def __init__(
        self,
        *,
        context: WindowContext,
        inbox: InboxView,
        model: InboxModel,
        tiles: TilePanel,
        status_bar: StatusBar,
        login_action: QAction,
        user: Callable[[], UserInfo | None],
        password_state: Callable[[str], str | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.inbox, self.model, self.tiles = inbox, model, tiles
        self.status_bar, self.login_action = status_bar, login_action
        self._user = user
        self._password_state = password_state
        """A password platform's tile word (the vault's), None for the others."""
        self._refresher: Refresh | None = None
        self._regrouper: Regroup | None = None
        self._workspace: Workspace | None = None
        """The refresh and split/merge use cases and the workspace while the county is open
        (see ``open``)."""
        self._unsubscribe: Callable[[], None] = _nothing
        # Changes that come together (a refresh's answer, then its showing) redraw once.
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.setInterval(0)
        self._redraw.timeout.connect(self.update_tiles)
        self._workspace_changed.connect(self._redraw.start)
        self.last_result: RefreshResult | None = None
        """The refresh result on screen (None when signed out)."""
        self.completable: set[str] = set()
        """Platforms whose tasks can be marked done from the launcher (found when it opens)."""
        self.pending_count: int | None = None
        """The tasks waiting, as the tray shows them (None: nobody's work is on screen)."""
        self.needing_sign_in: list[str] = []
        """The platforms whose sign-in must be renewed (the sign-in-again bar shows them)."""
        self.refresh_pending = False
        """A refresh is about to start (after the start-up's cached tasks are painted, or once a
        sign-in's previous data is closed): refreshing() is True meanwhile."""
        self.timer = QTimer(self)
        """The background refresh (its interval is the county's, 0 for none: see set_interval)."""
        self.timer.timeout.connect(self.refresh)
        self._outcomes_loading = False
        self._outcomes_again = False
        self._records_changed.connect(self.load_outcomes)
        self._keeper: SnapshotKeeper | None = None
        """Keeps the start snapshot of what is shown (made with the first tasks shown)."""

    def open(self, services: Services, tiles: list[TileInfo]) -> None:
        """The county is open: its platforms' tiles and the inbox's choices of them, which
        platforms can mark tasks done (found on a worker: it may load plugins), the refresh
        and split/merge use cases, run on the workers (their answers come back on the GUI
        thread), and its background refresh interval."""
        from launcher.app.mark_done import completable_platforms
        from launcher.app.refresh import Refresh
        from launcher.app.regroup import Regroup
        from launcher.ui.executor import WorkersExecutor
        from launcher.ui.inbox_index import form_names, prepare_groups

        self.tiles.set_platforms(tiles)
        self.inbox.set_platforms([(t.plugin_id, t.name) for t in tiles])
        self.model.set_form_names(form_names(services.registry.platforms))
        self.inbox.set_split_check(services.grouping.is_split, services.grouping.can_split)
        from launcher.app.submit import can_submit

        registry = services.registry
        self.inbox.set_submit_check(lambda group: can_submit(registry, group))
        self._context.workers.submit(
            "mark-done platforms", lambda: completable_platforms(services.inbox),
            self._set_completable,
        )

        executor = WorkersExecutor(self._context.workers, self)
        events = self._context.events
        self._refresher = Refresh(
            services, executor, events, self, current_sub=self._current_sub,
            arrange=prepare_groups,
        )
        self._regrouper = Regroup(services.grouping, executor, events, arrange=prepare_groups)
        # None: the county wants no background refresh ([inbox] background_refresh = false).
        self.set_interval(services.county.refresh_minutes)
        # The tiles render the workspace: redrawn on this thread whenever it changes (a change
        # made on a worker, as a sign-in's, comes through the queued signal).
        from launcher.app.workspace import WorkspaceChanged

        self._workspace = services.workspace
        from launcher.app.events import RecordSubmitted

        unsubscribe = (
            events.subscribe(WorkspaceChanged, lambda _event: self._workspace_changed.emit()),
            # The rows show what became of their records: read again after a submission.
            events.subscribe(RecordSubmitted, lambda _event: self._records_changed.emit()),
        )

        def unsubscribe_all() -> None:
            for each in unsubscribe:
                each()

        self._unsubscribe = unsubscribe_all
        self.update_tiles()

    def _set_completable(self, platform_ids: set[str]) -> None:
        self.completable = set(platform_ids)
        self.inbox.set_completable(self.completable)

    def close(self) -> None:
        """The county closes: no refresh starts any more, no change of its workspace is shown,
        no start snapshot is kept any more."""
        self.stop_background()
        if self._keeper is not None:
            self._keeper.cancel()
        self._unsubscribe()
        self._unsubscribe = _nothing
        self._refresher = self._regrouper = self._workspace = None

    def _current_sub(self) -> str | None:
        user = self._user()
        return user.sub if user is not None else None

    # -- refreshing ---------------------------------------------------------------------------

    def refresh(self, platform_ids: list[str] | None = None, *, forget_cache: bool = False) -> None:
        """Refresh the inbox: every platform, or only ``platform_ids`` (the others keep theirs);
        one asked while another runs runs after it (see launcher/app/refresh.py).

        ``forget_cache`` first drops every cached task (another user signed in).
        """
        refresher = self._refresher
        if refresher is not None and self._user() is not None:
            refresher.refresh(platform_ids, forget_cache=forget_cache)

    def refreshing(self) -> bool:
        """True while a refresh runs (partial results may already be on screen), or one is
        about to (``refresh_pending``)."""
        refresher = self._refresher
        return (refresher is not None and refresher.running) or self.refresh_pending

    def set_interval(self, minutes: int | None) -> None:
        """The county's background refresh: every ``minutes``, or None for none (the interval
        stays 0, which start_background takes for "do not start the timer")."""
        self.timer.setInterval(minutes * 60_000 if minutes else 0)

    def start_background(self) -> None:
        if self.timer.interval() > 0:
            self.timer.start()

    def stop_background(self) -> None:
        self.timer.stop()

    # What the refresh use case reports (launcher.app.refresh.RefreshView), on the GUI thread.

    def refresh_started(self) -> None:
        self.status_bar.show_refreshing()

    def refresh_partial(self, result: RefreshResult, groups: list[TaskGroup], waiting: int) -> None:
        """The platforms that answered so far, while slower ones are still being waited for."""
        self.show(result, groups, fresh=True)
        self.status_bar.show_refreshing(waiting)

    def refresh_done(self, result: RefreshResult, groups: list[TaskGroup]) -> None:
        self.show(result, groups, fresh=True)
        self.refresh_finished.emit(True)

    def refresh_failed(self, exc: BaseException) -> None:
        self.status_bar.show_refresh_failed(message_for(exc))
        self.refresh_finished.emit(False)

    def refresh_dropped(self) -> None:
        self.refresh_finished.emit(False)

    def show_notices(self, notices: list[Notice]) -> None:
        self.notices_due.emit(notices)

    # -- showing ------------------------------------------------------------------------------

    def show_snapshot(self, groups: PreparedGroups, forms: dict[str, str]) -> None:
        """Show the start snapshot's tasks (launcher/ui/start_snapshot.py) while the county opens:
        the rows alone; the states, counts and notices come with the county's own tasks."""
        self.model.set_form_names(forms)
        self.model.set_groups(groups)
        self.inbox_updated.emit(len(groups))

    def show(
        self, result: RefreshResult, groups: list[TaskGroup], *, fresh: bool, keep: bool = True
    ) -> None:
        """Show a refresh's (or the cache's, ``fresh`` False) tasks, states and counts; kept as
        the start snapshot a moment later unless ``keep`` is False (it is that already)."""
        self.last_result = result
        self.model.set_groups(groups)
        if keep:
            self._keep_snapshot()
        self.inbox.set_empty_text(
            translate("MainWindow", "Nothing to do: no platform has a pending task for you.")
        )
        if fresh:
            from launcher.app.refresh import signed_out_platforms

            self.set_needs_sign_in(signed_out_platforms(result))
        self.update_tiles()
        self.status_bar.show_refreshed(result, fresh=fresh)
        from launcher.core.inbox.notify import pending_count

        self.pending_count = pending_count(groups)
        self.pending_changed.emit(self.pending_count)
        if not fresh or not self.model.has_outcomes():
            self.load_outcomes()
        self.inbox_updated.emit(len(groups))

    def load_outcomes(self) -> None:
        """Read what became of the person's submitted records (on a worker: disk) and show it on
        their rows. One read at a time; asked again meanwhile, it reads once more after."""
        services, user = self._context.services, self._user()
        if services is None or user is None:
            return
        if self._outcomes_loading:
            self._outcomes_again = True
            return
        self._outcomes_loading = True
        sub = user.sub
        from launcher.app.submit import task_outcomes

        def returned(outcomes: dict[str, tuple[str, str]]) -> None:
            ended()
            now = self._user()
            if now is not None and now.sub == sub:  # never the previous person's
                self.model.set_outcomes(outcomes)

        def errored(exc: BaseException) -> None:
            ended()
            log.warning("record outcomes not read: %s", type(exc).__name__)

        def ended() -> None:
            self._outcomes_loading = False
            if self._outcomes_again:
                self._outcomes_again = False
                self.load_outcomes()

        self._context.workers.submit("record outcomes", lambda: task_outcomes(services),
                                     returned, errored)

    def _keep_snapshot(self) -> None:
        services, user = self._context.services, self._user()
        if services is None or user is None:
            return
        if self._keeper is None:
            from launcher.ui.start_snapshot import SnapshotKeeper

            self._keeper = SnapshotKeeper(self._context.workers, self)
        self._keeper.shown(services, user, self.model.prepared(), self.model.form_names())

    def clear(self) -> None:
        """Nobody's work on screen any more (signed out, or another person signs in)."""
        if self._keeper is not None:
            self._keeper.cancel()
        self.last_result = None
        self.model.clear()
        self.model.set_outcomes({})
        self.pending_count = None
        self.cleared.emit()
        self.set_needs_sign_in([])

    def show_signed_out(self, empty_text: str) -> None:
        """No one is signed in: an empty inbox saying ``empty_text``, signed-out tiles."""
        self.status_bar.refresh_label.clear()
        self.clear()
        self.inbox.set_empty_text(empty_text)
        self.update_tiles()

    def platform_states(self) -> Mapping[str, PlatformState]:
        """Each platform's state as the workspace holds it (launcher/app/workspace.py), for the
        person on screen: {} when nobody is, or before the workspace knows them."""
        workspace, user = self._workspace, self._user()
        if workspace is None or user is None:
            return {}
        state = workspace.state
        return state.platforms if state.user is not None and state.user.sub == user.sub else {}

    def update_tiles(self) -> None:
        """Tiles and the inbox's state line: each platform's state (the workspace's), how
        current, why not, and its tasks in the inbox."""
        result, user, states = self.last_result, self._user(), self.platform_states()
        self.inbox.show_states(states, self._context.platform_name)
        services = self._context.services
        blocked = services.registry.blocked if services is not None else {}
        if user is None:
            for plugin_id, tile in self.tiles.tiles.items():
                block = blocked.get(plugin_id)
                if block is not None and block.hard:
                    tile.set_state(BLOCKED, 0, self._block_sentence(block))
                else:
                    tile.set_state(SIGNED_OUT, 0, "")
            return
        from launcher.app.tile_states import tile_views
        from launcher.ui.platform_states import state_explanation, tile_detail

        tiles = self.tiles.tiles
        # A platform with its own login: whether its password is saved (the vault's word).
        tasks = result.tasks if result is not None else ()
        views = tile_views(tiles, states, tasks, self._password_state, blocked)
        for plugin_id, view in views.items():
            state = view.platform
            reason = state_explanation(state) if view.explain and state is not None else ""
            if view.state == FAILED and state is not None:
                reason += "\n" + state.message
            if view.state in (BLOCKED, WARNED):
                reason = self._block_sentence(blocked[plugin_id])
            detail = tile_detail(state) if state is not None else ""
            tiles[plugin_id].set_state(view.state, view.count, reason, detail)

    @staticmethod
    def _block_sentence(block: Blocked) -> str:
        from launcher.app.vocabulary import block_sentence
        from launcher.ui import language

        return block_sentence(block.block, language.current())

    def needs_sign_in(self) -> list[str]:
        """The platforms the sign-in-again bar shows ([] when none needs a new sign-in)."""
        return list(self.needing_sign_in)

    def set_needs_sign_in(self, platform_ids: list[str]) -> None:
        """These platforms need a new sign-in (the sign-in-again bar follows ``sign_in_needed``)."""
        before, self.needing_sign_in = self.needing_sign_in, list(platform_ids)
        if self._user() is not None:
            self.login_action.setEnabled(bool(platform_ids))
        if platform_ids != before:
            self.sign_in_needed.emit(list(platform_ids))

    # -- mark done and split ------------------------------------------------------------------

    def marked_done(self, outcome: MarkDoneOutcome) -> None:
        """Mark done's answer: the list without the tasks done, and what happened."""
        if self._user() is None:  # signed out meanwhile
            return
        from launcher.ui.mark_done import outcome_text, result_after

        self._show_regrouped(result_after(outcome, self.last_result), outcome.groups)
        status, _problems = outcome_text(outcome, self._context.platform_name)
        if status:
            self.status_bar.showMessage(status, 15000)
        if self.refreshing() and outcome.done:
            # A refresh that read the platform before the change must not bring the task back.
            self.refresh(sorted({item.platform for item in outcome.done}))

    def regroup(self, group: TaskGroup, *, split: bool) -> None:
        """Split a row into its platforms' tasks ("not the same work"), or merge a split row."""
        regroup, result = self._regrouper, self.last_result
        if regroup is None or result is None or self._user() is None:
            return

        def returned(groups: list[TaskGroup]) -> None:
            if self._user() is None or self.last_result is not result:
                return  # signed out, or a newer list is on screen (grouped with the split)
            self._show_regrouped(result, groups)
            self.inbox.select_item(group.items[0].key)

        def errored(exc: BaseException) -> None:
            self.status_bar.showMessage(
                translate(
                    "MainWindow", "The change of grouping could not be saved: {error}"
                ).format(error=message_for(exc)),
                20000,
            )

        regroup.run(group, result.tasks, split=split, on_done=returned, on_failed=errored)

    def _show_regrouped(self, result: RefreshResult, groups: list[TaskGroup]) -> None:
        """Show the same refresh's tasks grouped anew; the refresh line keeps its time."""
        label = self.status_bar.refresh_label.text()
        self.show(result, groups, fresh=True)
        self.status_bar.refresh_label.setText(label)


def _nothing() -> None:
    pass


def message_for(exc: BaseException) -> str:
    """An error as the person reads it: a launcher error's own words, else its type and text."""
    return str(exc) if isinstance(exc, LauncherError) else f"{type(exc).__name__}: {exc}"
