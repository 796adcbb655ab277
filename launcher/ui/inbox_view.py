"""The 待办 (inbox) tab: views, platform filter, search, mark done, platform states and the table.

Keyboard: Tab goes views → platform → search → 一次填报 → 标记完成 → 详情 → table; Ctrl+1…4 pick a
view; Enter opens the current task; Ctrl+E fills its record once and submits it to the row's
platforms; Ctrl+D marks it done; the menu key (or a right click) opens the row's menu (open each
platform's page, fill once, mark done, split, merge again); a right click on the header shows or
hides columns.

The task table (launcher/ui/task_table.py) is made by ``InboxView.finish``, which the window calls
right after its first frame, or on first use (``table``), whichever comes first: the first frame
shows the empty-state text ("Loading…") in its place, so it does not pay for the table. The
keyboard shortcuts are set with it (keys reach a window only once it is shown). The platform
state line (launcher/ui/platform_states.py), hidden until there are states to show, is made when
first needed (``states``, ``show_states``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from launcher.ui.inbox_index import ALL, OVERDUE, TODAY, VIEWS, WEEK
from launcher.ui.inbox_model import InboxModel, column_title, status_label
from launcher.ui.plain_text import PlainLabel

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QResizeEvent

    from launcher.api import TaskGroup
    from launcher.core.inbox.service import PlatformState
    from launcher.ui.platform_states import PlatformStatePanel
    from launcher.ui.task_table import TaskTable

HIDDEN_BY_DEFAULT = (InboxModel.KIND, InboxModel.PRIORITY, InboxModel.UPDATED)
_COLUMN_NAMES = ("platforms", "title", "subject", "type", "due", "priority", "status", "updated")
_HIDDEN_KEY = "inbox/hidden_columns"


class InboxView(QWidget):
    open_requested = Signal(object)
    """The TaskGroup whose page the user wants to open."""
    mark_done_requested = Signal(object)
    """The TaskGroup the user marked done (only its items on platforms that allow it)."""
    split_requested = Signal(object)
    """The TaskGroup the user says is not one piece of work: show its items as separate rows."""
    merge_requested = Signal(object)
    """The TaskGroup (a row split off earlier) to merge back with the items it matched."""
    submit_requested = Signal(object)
    """The TaskGroup whose record the user wants to fill once and submit to its platforms."""

    def __init__(
        self,
        model: InboxModel,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._settings = settings
        self._completable: frozenset[str] = frozenset()
        self._is_split: Callable[[TaskGroup], bool] = lambda _group: False
        self._can_split: Callable[[TaskGroup], bool] = lambda group: len(group.items) > 1
        self._can_submit: Callable[[TaskGroup], bool] = lambda _group: False
        self._busy = False
        self._keep_key: str | None = None
        self._current_key: str | None = None
        """The key of the group whose row is current, noted when it became current."""

        # Views: 全部 / 今天 / 本周 / 逾期, each with its count.
        self.view_names = {
            ALL: self.tr("All"),
            TODAY: self.tr("Today"),
            WEEK: self.tr("This week"),
            OVERDUE: self.tr("Overdue"),
        }
        tips = {
            ALL: self.tr("Every pending task"),
            TODAY: self.tr("Tasks due later today (China time); overdue ones are under Overdue"),
            WEEK: self.tr("Tasks due from now to Sunday of this week (China time)"),
            OVERDUE: self.tr("Tasks past their due time and not done"),
        }
        self.view_group = QActionGroup(self)
        self.view_group.setExclusive(True)
        self.view_actions: dict[str, QAction] = {}
        self.view_buttons: dict[str, QToolButton] = {}
        views_bar = QHBoxLayout()
        views_bar.setSpacing(4)
        for view in VIEWS:
            act = QAction(self.view_names[view], self.view_group)
            act.setCheckable(True)
            act.setChecked(view == ALL)
            act.setToolTip(tips[view])
            act.triggered.connect(lambda _=False, v=view: self.set_view(v))
            self.addAction(act)
            button = QToolButton(self)
            button.setObjectName("viewButton")
            button.setDefaultAction(act)
            button.setProperty("view", view)
            views_bar.addWidget(button)
            self.view_actions[view] = act
            self.view_buttons[view] = button
        model.counts_changed.connect(self._show_counts)

        self.platform_combo = QComboBox(self)
        self.platform_combo.setObjectName("platformFilter")
        self.platform_combo.setAccessibleName(self.tr("Show tasks of platform"))
        self.platform_combo.setMinimumContentsLength(8)
        self.platform_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.platform_combo.addItem(self.tr("All platforms"), None)
        self.platform_combo.currentIndexChanged.connect(
            lambda _: self.model.set_platform(self.platform_combo.currentData())
        )
        self.search = QLineEdit(self)
        self.search.setObjectName("taskSearch")
        self.search.setPlaceholderText(self.tr("Search tasks (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search tasks"))
        self.search.setClearButtonEnabled(True)
        # Room for the placeholder (and the clear button), whatever the language.
        self.search.setMinimumWidth(
            self.fontMetrics().horizontalAdvance(self.search.placeholderText()) + 40
        )
        self.search.textChanged.connect(self.model.set_text)
        filter_label = QLabel(self.tr("&Platform:"), self)
        filter_label.setBuddy(self.platform_combo)

        self.mark_done_action = QAction(self.tr("Mark done"), self)
        self.mark_done_action.setToolTip(
            self.tr("Mark the selected task done on its platform (Ctrl+D)")
        )
        self.mark_done_action.triggered.connect(lambda _=False: self.mark_done())
        self.addAction(self.mark_done_action)
        self.mark_done_button = QToolButton(self)
        self.mark_done_button.setObjectName("markDone")
        self.mark_done_button.setDefaultAction(self.mark_done_action)
        self.mark_done_button.setAccessibleName(self.tr("Mark done"))
        self.submit_action = QAction(self.tr("Fill once"), self)
        self.submit_action.setToolTip(
            self.tr("Fill in the record once and submit it to every platform of the row (Ctrl+E)")
        )
        self.submit_action.triggered.connect(lambda _=False: self.submit())
        self.addAction(self.submit_action)
        self.submit_button = QToolButton(self)
        self.submit_button.setObjectName("submitToMany")
        self.submit_button.setDefaultAction(self.submit_action)
        self.submit_button.setAccessibleName(self.tr("Fill once and submit to the platforms"))
        self.open_action = QAction(self.tr("Open"), self)
        self.open_action.triggered.connect(
            lambda _=False: self._emit_current(self.open_requested.emit)
        )
        self.split_action = QAction(self.tr("Split (not the same work)"), self)
        self.split_action.setToolTip(
            self.tr("These tasks are not one piece of work: show them as separate rows")
        )
        self.split_action.triggered.connect(
            lambda _=False: self._emit_current(self.split_requested.emit)
        )
        self.merge_action = QAction(self.tr("Merge again"), self)
        self.merge_action.setToolTip(self.tr("Show this task together with its matches again"))
        self.merge_action.triggered.connect(
            lambda _=False: self._emit_current(self.merge_requested.emit)
        )

        self.progress = PlainLabel(self)  # names the platforms (from their manifests)
        self.progress.setObjectName("inboxProgress")
        self.progress.hide()

        tools = QHBoxLayout()
        tools.addWidget(filter_label)
        tools.addWidget(self.platform_combo)
        tools.addSpacing(12)
        tools.addWidget(self.search, 1)
        tools.addWidget(self.progress)
        tools.addWidget(self.submit_button)
        tools.addWidget(self.mark_done_button)
        views_bar.addStretch(1)  # on a row of their own, the view buttons keep their size
        # One row when there is room, else two: the views above the platform filter, search and
        # 标记完成 (a window 911 px wide, 1366×768 at 150 %, has room for two): _arrange_bar.
        bar = self._bar = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        bar.setSpacing(12)
        bar.addLayout(views_bar, 0)
        bar.addLayout(tools, 1)
        self._views_row, self._tools_row = views_bar, tools

        # The stack holds the empty-state text and, once made (finish), the task table.
        self.stack = QStackedWidget(self)
        self.empty = QLabel(self.stack)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self._empty_text = self.tr("Loading…")
        self.stack.addWidget(self.empty)
        self._table: TaskTable | None = None
        self._states: PlatformStatePanel | None = None

        # The platform state line goes between the bar and the stack when first needed.
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(6)
        self._layout.addLayout(bar)
        self._layout.addWidget(self.stack, 1)

        buttons = list(self.view_buttons.values())
        chain: list[QWidget] = [
            *buttons,
            self.platform_combo,
            self.search,
            self.submit_button,
            self.mark_done_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

        model.modelAboutToBeReset.connect(self._remember_current)
        model.modelReset.connect(self._after_reset)
        self._show_counts(model.counts())
        self._update_empty()
        self._update_actions()

        # Tasks move to 逾期 when their due time passes, and the views follow midnight.
        self._clock = QTimer(self)
        self._clock.setInterval(30_000)
        self._clock.timeout.connect(self.model.update_now)
        self._clock.start()

    # -- layout on narrow windows -------------------------------------------------------------

    def _one_row_width(self) -> int:
        """The width the bar needs on one row: the view buttons, and the filter, the search and
        标记完成 at their smallest."""
        margins = self._layout.contentsMargins()
        return (
            self._views_row.sizeHint().width()
            + self._bar.spacing()
            + self._tools_row.minimumSize().width()
            + margins.left()
            + margins.right()
        )

    def _arrange_bar(self, width: int) -> None:
        """The bar on one row when ``width`` has room for it, else on two."""
        one_row = width >= self._one_row_width()
        direction = (
            QBoxLayout.Direction.LeftToRight if one_row else QBoxLayout.Direction.TopToBottom
        )
        if self._bar.direction() != direction:
            self._bar.setDirection(direction)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange_bar(event.size().width())

    def minimumSizeHint(self) -> QSize:
        """As narrow as the bar on two rows allows (on one row it asks for much more)."""
        hint = super().minimumSizeHint()
        margins = self._layout.contentsMargins()
        widths = [
            self._views_row.minimumSize().width(),
            self._tools_row.minimumSize().width(),
            self.stack.minimumSizeHint().width(),
        ]
        if self._states is not None and not self._states.isHidden():
            widths.append(self._states.minimumSizeHint().width())
        narrow = max(widths) + margins.left() + margins.right()
        return QSize(min(hint.width(), narrow), hint.height())

    # -- the table ----------------------------------------------------------------------------

    def finish(self) -> None:
        """Make the task table and set the keyboard shortcuts, if not done yet (the window calls
        this right after its first frame; anything that uses the table before makes it then).
        Calling it again does nothing."""
        if self._table is None:
            self._table = self._make_table()

    @property
    def table(self) -> TaskTable:
        """The table of tasks (made on first use, see ``finish``)."""
        if self._table is None:
            self._table = self._make_table()
        return self._table

    def _make_table(self) -> TaskTable:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView

        from launcher.ui.task_table import TaskCellDelegate, TaskTable

        table = TaskTable(self.stack)
        table.setObjectName("taskTable")
        table.setAccessibleName(self.tr("Pending tasks"))
        table.setModel(self.model)
        table.setItemDelegate(TaskCellDelegate(self.model.cell, table))
        # The model's resets reach the table's own handlers (connected by setModel) first, then
        # the view's, which lay the table out once it has taken the reset in: connected again.
        self.model.modelAboutToBeReset.disconnect(self._remember_current)
        self.model.modelReset.disconnect(self._after_reset)
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(self._after_reset)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().setVisible(False)
        # One fixed row height: the view never measures rows (100,000 of them must stay fast).
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 14)
        # The indicator first: enabling sorting sorts by it at once.
        table.horizontalHeader().setSortIndicator(InboxModel.DUE, Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        self._set_up_columns(table)
        table.activated_group.connect(self.open_requested.emit)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._row_menu)
        table.selectionModel().currentChanged.connect(lambda index, _old: self._now_current(index))
        self.stack.insertWidget(0, table)  # not shown: the stack keeps its current page
        QWidget.setTabOrder(self._last_above_table(), table)
        self._set_keyboard()
        return table

    def _set_keyboard(self) -> None:
        """Shortcuts, and focus on click for the bar's buttons: set with the table, right after
        the first frame (keys reach a window only once it is shown), so that the first frame
        needs nothing of PySide6's ``Qt`` namespace (see launcher/ui/gl_sharing.py)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence

        in_view = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for number, view in enumerate(VIEWS, start=1):
            self.view_actions[view].setShortcutContext(in_view)
            self.view_actions[view].setShortcut(QKeySequence(f"Ctrl+{number}"))
        self.mark_done_action.setShortcutContext(in_view)
        self.mark_done_action.setShortcut(QKeySequence("Ctrl+D"))
        self.submit_action.setShortcutContext(in_view)
        self.submit_action.setShortcut(QKeySequence("Ctrl+E"))
        for button in (*self.view_buttons.values(), self.submit_button, self.mark_done_button):
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def _last_above_table(self) -> QWidget:
        """The last widget before the table in the Tab order."""
        if self._states is not None:
            return self._states.last_in_tab_order()
        return self.mark_done_button

    # -- platform states ----------------------------------------------------------------------

    @property
    def states(self) -> PlatformStatePanel:
        """The line of platform states above the table, with its details list (hidden until
        there are states to show; made on first use)."""
        if self._states is None:
            from launcher.ui.platform_states import PlatformStatePanel

            self._states = PlatformStatePanel(self)
            self._layout.insertWidget(1, self._states)
            # After 标记完成 in the Tab order; the table, if made, follows the panel.
            QWidget.setTabOrder(self.mark_done_button, self._states.toggle)
        return self._states

    def show_states(self, states: Mapping[str, PlatformState], name: Callable[[str], str]) -> None:
        """Show each platform's state above the table (none: the line is hidden)."""
        if states or self._states is not None:
            self.states.set_states(states, name)

    def _set_up_columns(self, table: TaskTable) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QHeaderView

        header = table.horizontalHeader()
        header.setSectionsMovable(False)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = self.fontMetrics()
        pad = 28

        def width(sample: str) -> int:
            return metrics.horizontalAdvance(sample) + pad

        # Widths from samples, never from the rows (measuring 100,000 rows would take seconds).
        samples = {
            InboxModel.PLATFORMS: "安全排查、执法检查",
            InboxModel.SUBJECT: "李家村3组王建国户",
            InboxModel.KIND: "消防安全检查表",
            InboxModel.DUE: "2026-11-20 17:00",
            InboxModel.PRIORITY: status_label("in_progress"),
            InboxModel.STATUS: status_label("in_progress"),
            InboxModel.UPDATED: "2026-11-20 17:00",
        }
        natural: dict[int, int] = {}
        for column in range(InboxModel.COLUMN_COUNT):
            if column == InboxModel.TITLE:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            # Room for the header's title and its sort arrow too.
            title = metrics.horizontalAdvance(column_title(column)) + pad + 16
            natural[column] = max(width(samples[column]), title)
            header.resizeSection(column, natural[column])
        smallest = metrics.horizontalAdvance("待办") + pad
        header.setMinimumSectionSize(smallest)
        # On a narrow window the columns give way (their texts elided; each row's tooltip has
        # them whole): the subject and platforms first, the due time and status last, so that
        # they stay on screen; the task itself keeps room for about ten characters.
        four = width("四个汉字")
        floors = {
            InboxModel.PLATFORMS: four,
            InboxModel.SUBJECT: four,
            InboxModel.KIND: four,
            InboxModel.DUE: width("2026-11-20"),
            InboxModel.PRIORITY: smallest,
            InboxModel.STATUS: max(width(status_label("in_progress")), smallest),
            InboxModel.UPDATED: width("2026-11-20"),
        }
        give_way = [
            InboxModel.UPDATED,
            InboxModel.KIND,
            InboxModel.SUBJECT,
            InboxModel.PLATFORMS,
            InboxModel.PRIORITY,
            InboxModel.DUE,
            InboxModel.STATUS,
        ]
        table.set_column_widths(
            natural, floors, give_way, stretch_min=width("十个汉字的待办事项名")
        )
        hidden = set(HIDDEN_BY_DEFAULT)
        if self._settings is not None:
            saved = self._settings.value(_HIDDEN_KEY)
            if isinstance(saved, str):
                saved = [saved] if saved else []
            if isinstance(saved, list):
                hidden = {_COLUMN_NAMES.index(n) for n in saved if n in _COLUMN_NAMES}
                hidden.discard(InboxModel.TITLE)
        for column in range(InboxModel.COLUMN_COUNT):
            table.setColumnHidden(column, column in hidden)
        table.fit_columns()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)

    def column_menu(self) -> QMenu:
        """The header's menu: one checkable entry per column (the task title always shows)."""
        menu = QMenu(self)
        menu.setObjectName("columnMenu")
        for column in range(InboxModel.COLUMN_COUNT):
            act = menu.addAction(column_title(column))
            act.setCheckable(True)
            act.setChecked(not self.table.isColumnHidden(column))
            act.setEnabled(column != InboxModel.TITLE)
            act.toggled.connect(lambda shown, c=column: self.set_column_shown(c, shown))
        return menu

    def _column_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        self.column_menu().popup(header.mapToGlobal(pos))

    def set_column_shown(self, column: int, shown: bool) -> None:
        if column == InboxModel.TITLE:
            return
        self.table.setColumnHidden(column, not shown)
        self.table.fit_columns()
        if self._settings is not None:
            hidden = [
                _COLUMN_NAMES[c]
                for c in range(InboxModel.COLUMN_COUNT)
                if self.table.isColumnHidden(c)
            ]
            self._settings.setValue(_HIDDEN_KEY, hidden)

    def shown_columns(self) -> list[int]:
        return [c for c in range(InboxModel.COLUMN_COUNT) if not self.table.isColumnHidden(c)]

    # -- filters ------------------------------------------------------------------------------

    def set_view(self, view: str) -> None:
        """Show one view: ``inbox_index.ALL``, ``TODAY``, ``WEEK`` or ``OVERDUE``."""
        self.view_actions[view].setChecked(True)
        self.model.set_view(view)

    def current_view(self) -> str:
        return self.model.view()

    def _show_counts(self, counts: dict[str, int]) -> None:
        for view, act in self.view_actions.items():
            text = self.tr("{view} ({count})").format(
                view=self.view_names[view], count=counts.get(view, 0)
            )
            act.setText(text)
            act.setIconText(text)
            self.view_buttons[view].setAccessibleName(text)
        self._arrange_bar(self.width())  # longer counts may need the second row

    def view_text(self, view: str) -> str:
        return self.view_buttons[view].text()

    def set_platforms(self, platforms: list[tuple[str, str]]) -> None:
        """Fill the filter combo with (plugin id, display name) pairs, keeping the selection."""
        current = self.platform_combo.currentData()
        self.platform_combo.blockSignals(True)
        self.platform_combo.clear()
        self.platform_combo.addItem(self.tr("All platforms"), None)
        for plugin_id, name in platforms:
            self.platform_combo.addItem(name, plugin_id)
        found = self.platform_combo.findData(current) if current else 0
        self.platform_combo.setCurrentIndex(max(found, 0))
        self.platform_combo.blockSignals(False)
        self.model.set_platform(self.platform_combo.currentData())

    def set_empty_text(self, text: str) -> None:
        """What to say when there are no tasks at all (signed out, loading, all done)."""
        self._empty_text = text
        self._update_empty()

    def focus_search(self) -> None:
        from PySide6.QtCore import Qt

        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def visible_groups(self) -> list[TaskGroup]:
        return self.model.visible_groups()

    # -- actions on tasks ---------------------------------------------------------------------

    def set_completable(self, platform_ids: Collection[str]) -> None:
        """The platforms whose tasks the launcher can mark done (CalDAV, or a declared API)."""
        self._completable = frozenset(platform_ids)
        self._update_actions()

    def set_split_check(
        self,
        is_split: Callable[[TaskGroup], bool],
        can_split: Callable[[TaskGroup], bool] | None = None,
    ) -> None:
        """How to tell a row the user split off earlier (offered 合并回来, merge again), and a row
        that can be split (by default: one with items from several platforms)."""
        self._is_split = is_split
        if can_split is not None:
            self._can_split = can_split
        self._update_actions()

    def set_submit_check(self, can_submit: Callable[[TaskGroup], bool]) -> None:
        """How to tell a row whose record can be filled once and submitted (一次填报): one with a
        platform that declares its form."""
        self._can_submit = can_submit
        self._update_actions()

    def can_submit(self, group: TaskGroup | None) -> bool:
        return group is not None and self._can_submit(group)

    def submit(self) -> None:
        group = self.current_group()
        if self.can_submit(group):
            self.submit_requested.emit(group)

    def open_item(self, group: TaskGroup, platform_id: str) -> None:
        """Open the page of ``group``'s task on ``platform_id`` (its first there): the window
        opens it as a row of that task alone."""
        from launcher.api import TaskGroup as Group

        item = next((i for i in group.items if i.platform == platform_id), None)
        if item is not None:
            self.open_requested.emit(Group(group.key, (item,)))

    def can_mark_done(self, group: TaskGroup | None) -> bool:
        return group is not None and any(i.platform in self._completable for i in group.items)

    def current_group(self) -> TaskGroup | None:
        if self._table is None:
            return None  # no table yet: nothing chosen
        index = self._table.currentIndex()
        return self.model.group(index.row()) if index.isValid() else None

    def select_group(self, key: str) -> bool:
        """Make the row of the group ``key`` current; False when it is not shown."""
        row = self.model.row_of(key)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, InboxModel.TITLE))
        return True

    def select_item(self, item_key: str) -> bool:
        """Make the row holding the task ``item_key`` ("<platform>/<id>") current."""
        for row, group in enumerate(self.model.visible_groups()):
            if any(item.key == item_key for item in group.items):
                self.table.setCurrentIndex(self.model.index(row, InboxModel.TITLE))
                return True
        return False

    def mark_done(self) -> None:
        group = self.current_group()
        if not self._busy and self.can_mark_done(group):
            self.mark_done_requested.emit(group)

    def set_busy(self, text: str) -> None:
        """Show what is being done (``text``) and hold further mark-done until it ends ("")."""
        self._busy = bool(text)
        self.progress.setText(text)
        self.progress.setVisible(bool(text))
        self.progress.setAccessibleName(text)
        self._update_actions()

    def row_menu(self) -> QMenu:
        """The menu of the current row: open, mark done, split, merge again."""
        menu = QMenu(self)
        menu.setObjectName("taskMenu")
        group = self.current_group()
        platforms = group.platforms if group is not None else ()
        if len(platforms) > 1:
            # 打开 安全排查 / 打开 执法检查: each platform's own page, not only the first's.
            for platform_id in platforms:
                name = self.model.platform_name(platform_id)
                act = menu.addAction(self.tr("Open {platform}").format(platform=name))
                act.setObjectName(f"open:{platform_id}")
                act.triggered.connect(
                    lambda _=False, g=group, p=platform_id: self.open_item(g, p)
                )
        else:
            menu.addAction(self.open_action)
        if group is not None and self.can_submit(group):
            text = self.tr("Fill once (submit to {count} platforms)…").format(
                count=len(platforms)
            )
            keys = self.submit_action.shortcut().toString()
            # The shortcut shown, not set: a second action with Ctrl+E would make it ambiguous.
            act = menu.addAction(f"{text}\t{keys}" if keys else text)
            act.setObjectName("submitToMany")
            act.triggered.connect(lambda _=False: self.submit())
        menu.addAction(self.mark_done_action)
        menu.addSeparator()
        if group is not None and self._is_split(group):
            menu.addAction(self.merge_action)
        else:
            menu.addAction(self.split_action)
        return menu

    def _row_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.setCurrentIndex(index)
        elif self.table.currentIndex().isValid():
            pos = self.table.visualRect(self.table.currentIndex()).center()
        else:
            return
        self.row_menu().popup(self.table.viewport().mapToGlobal(pos))

    def _emit_current(self, emit: Callable[[object], None]) -> None:
        group = self.current_group()
        if group is not None:
            emit(group)

    def _update_actions(self) -> None:
        group = self.current_group()
        self.open_action.setEnabled(group is not None)
        self.submit_action.setEnabled(self.can_submit(group))
        self.mark_done_action.setEnabled(not self._busy and self.can_mark_done(group))
        self.split_action.setEnabled(group is not None and self._can_split(group))
        self.merge_action.setEnabled(group is not None and self._is_split(group))

    # -- resets -------------------------------------------------------------------------------

    def _now_current(self, index: QModelIndex) -> None:
        group = self.model.group(index.row()) if index.isValid() else None
        self._current_key = group.key if group is not None else None
        self._update_actions()

    def _remember_current(self) -> None:
        # The key noted when the row became current, not read from the model now: when new
        # groups arrive (set_groups) the model may already hold them as it announces the reset,
        # while the table's current row still counts in the old ones (a wrong task, or no row
        # at all: an IndexError when the list became shorter, at logout).
        current = self._table is not None and self._table.currentIndex().isValid()
        self._keep_key = self._current_key if current else None

    def _after_reset(self) -> None:
        # Lay the table out at once rather than on the view's delayed-layout timer: that timer
        # fires after the table has repainted its new rows and repaints all of it again, which
        # doubled the cost of every search keystroke.
        if self._table is not None:
            self._table.executeDelayedItemsLayout()
        if self._keep_key is not None:
            self.select_group(self._keep_key)
            self._keep_key = None
        self._update_empty()
        self._update_actions()

    def after_rows_painted(self, callback: Callable[[], None]) -> None:
        """``callback()`` right after the task table has painted its rows (at once, on the next
        turn of the event loop, when it shows none: the empty-state text is up)."""
        from launcher.ui.after_paint import after_next_paint

        if self._table is not None and self.stack.currentWidget() is self._table:
            after_next_paint(self._table.viewport(), callback)
        else:
            QTimer.singleShot(0, callback)

    def _update_empty(self) -> None:
        if self.model.total() == 0:
            self.empty.setText(self._empty_text)
            self.stack.setCurrentWidget(self.empty)
        elif self.model.rowCount() == 0:
            self.empty.setText(self.tr("No task matches the filter."))
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
