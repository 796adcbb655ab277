"""The inbox table model: task groups filtered by view, platform and search text, sorted by column.

Built for 100,000 rows. No QSortFilterProxyModel (a Python ``filterAcceptsRow`` per row per
keystroke is 50–100 times slower than the search itself): the model keeps every group with the
data of ``inbox_index.prepare_groups`` and holds the list of visible rows itself.

- A sort (header click) orders all groups once, by precomputed keys.
- A view or platform change picks the sorted groups that qualify (the "base").
- A search keystroke is one C-level pass over the base's case-folded haystacks
  (``compress(rows, map(contains, haystacks, repeat(text)))``: no Python bytecode per row), or
  over the rows shown now when the new text only extends the previous one, then a model reset
  (none when the rows stay the same); the view only ever asks for the rows on screen.
- The table's delegate (``task_table.TaskCellDelegate``) paints a cell from one ``cell()`` call
  (its text, and whether its row is overdue); ``data()`` serves Qt's own delegate (the selected
  and focused cells, seven roles per cell), accessibility and tooltips, the roles the model does
  not serve refused by one set lookup. A cell's text is made when it is first asked for and kept
  until the rows change (``_texts``), so a repaint without a change is list and dictionary
  lookups.

Driven without a window (benchmarks, tests)::

    model = InboxModel()
    model.set_groups(groups)      # a list of TaskGroup, or prepare_groups(groups) from a worker
    model.set_text("王家")         # the visible rows are now model.visible_groups()
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from itertools import compress, repeat
from operator import contains
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from launcher.core.inbox.statuses import CLOSED_STATUSES
from launcher.ui.inbox_index import (
    ALL,
    OVERDUE,
    OVERDUE_BIT,
    TODAY,
    TODAY_BIT,
    VIEW_BITS,
    VIEWS,
    WEEK,
    WEEK_BIT,
    Classes,
    PreparedGroups,
    classify,
    prepare_groups,
    priority_of,
    updated_of,
)
from launcher.ui.plain_text import tooltip

# The window's first frame makes this model (empty): nothing here touches PySide6's ``Qt``
# namespace before the table asks for data (see launcher/ui/gl_sharing.py), so its roles are
# written as the plain ints Qt's C++ API passes (values of Qt::ItemDataRole, qnamespace.h).
if TYPE_CHECKING:
    from PySide6.QtCore import Qt

    from launcher.api import TaskGroup

ModelIndex = QModelIndex | QPersistentModelIndex

_USER_ROLE = 0x0100
GROUP_ROLE = _USER_ROLE + 1
"""The row's TaskGroup."""
OVERDUE_ROLE = _USER_ROLE + 3
"""True when the row's task is past its due time."""

OVERDUE_TEXT = QColor("#a40000")
OVERDUE_BACKGROUND = QColor("#fde8e8")
_overdue_brushes: list[QBrush] = []
"""The overdue rows' text and background brushes, made when first asked for: the first QBrush
made from a colour creates QGradient's Python type and its enums (about 2 ms of start-up)."""
_CLOSED_STATUSES = CLOSED_STATUSES

# The roles data() answers, as plain ints (a set lookup refuses the rest before any other work:
# a repaint asks every cell for seven roles, five of which the model leaves to the view).
_DISPLAY = 0
_TOOL_TIP = 3
_BACKGROUND = 8
_FOREGROUND = 9
_ACCESSIBLE_TEXT = 11
_COLOURS = (_FOREGROUND, _BACKGROUND)
_HORIZONTAL = 0x1
"""Qt::Horizontal."""
_SERVED = frozenset(
    {_DISPLAY, _ACCESSIBLE_TEXT, _TOOL_TIP, _FOREGROUND, _BACKGROUND, GROUP_ROLE, OVERDUE_ROLE}
)
_TEXT_CACHE_ROWS = 4096
"""Rows whose cell texts are kept; beyond that the cache starts again (scrolling far)."""

translate = QCoreApplication.translate

_collators: list[Callable[[str], Any]] = []


def text_ranks(texts: list[str | None] | list[str]) -> list[int | None]:
    """Each text's place in the order of ``text_sort_key`` (None for no text, sorted last):
    the collation runs once per distinct text, and the sort then compares plain numbers."""
    collate = text_sort_key()
    distinct = sorted({t for t in texts if t}, key=collate)
    rank = {text: place for place, text in enumerate(distinct)}
    return [rank[t] if t else None for t in texts]


def text_sort_key() -> Callable[[str], Any]:
    """The sort key of the table's text columns: Chinese in pinyin order (as a Chinese dictionary
    orders words, not by character code), letters regardless of case, and numbers by their value
    (第2号 before 第10号). Qt's collation (ICU, or the system's) for Chinese, whatever the interface
    language: the texts are the platforms' own."""
    if not _collators:
        from PySide6.QtCore import QCollator, QLocale, Qt

        collator = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        collator.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        collator.setNumericMode(True)
        _collators.append(collator.sortKey)
    return _collators[0]


def status_label(status: str) -> str:
    """The translated label of a task status a platform reported; unknown ones are shown as-is."""
    labels = {
        "open": translate("InboxModel", "To do"),
        "pending": translate("InboxModel", "To do"),
        "todo": translate("InboxModel", "To do"),
        "in_progress": translate("InboxModel", "In progress"),
        "in-process": translate("InboxModel", "In progress"),
        "doing": translate("InboxModel", "In progress"),
        "returned": translate("InboxModel", "Returned"),
        "done": translate("InboxModel", "Done"),
        "completed": translate("InboxModel", "Done"),
    }
    return labels.get(status.lower(), status)


def outcome_label(state: str) -> str:
    """What became of a record on a platform: submitted, waiting for review, failed; '' (none
    yet): not submitted."""
    labels = {
        "submitted": translate("InboxModel", "Submitted"),
        "review": translate("InboxModel", "Awaiting review"),
        "failed": translate("InboxModel", "Failed"),
    }
    return labels.get(state, translate("InboxModel", "Not submitted"))


def priority_label(priority: int | None) -> str:
    """High / Medium / Low on iCalendar's scale (1–4, 5, 6–9); empty when undefined."""
    if priority is None:
        return ""
    if priority <= 4:
        return translate("InboxModel", "High")
    if priority == 5:
        return translate("InboxModel", "Medium")
    return translate("InboxModel", "Low")


def format_due(due: datetime | None) -> str:
    if due is None:
        return translate("InboxModel", "No deadline")
    return format_time(due)


def format_time(moment: datetime) -> str:
    """The moment in local time, to the minute. Made for each due-time cell painted after a
    search keystroke: ``time.localtime`` takes half the time of ``datetime.astimezone``."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(moment.timestamp()))


class InboxModel(QAbstractTableModel):
    """One row per visible TaskGroup; columns as listed below (see ``COLUMN_COUNT``)."""

    PLATFORMS, TITLE, SUBJECT, KIND, DUE, PRIORITY, STATUS, UPDATED = range(8)
    COLUMN_COUNT = 8

    counts_changed = Signal(dict)
    """{view name: number of groups in it} for the current platform filter (not the search)."""

    def __init__(
        self,
        platform_name: Callable[[str], str] | None = None,
        now: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._platform_name = platform_name or (lambda plugin_id: plugin_id)
        self._now = now or (lambda: datetime.now(UTC))
        self._form_names: Mapping[str, str] = {}
        self._prepared = prepare_groups([])
        self._classes = Classes([], float("inf"))
        self._sort_column = self.DUE
        self._descending = False
        self._column_keys: dict[int, list[Any]] = {}
        self._platform: str | None = None
        self._text = ""
        self._view = ALL
        self._order: list[int] = []
        self._order_hay: list[str] = []
        self._base: list[int] = []
        self._base_hay: list[str] | None = None
        """The base's haystacks, made when first searched in."""
        self._shown: list[int] = []
        self._texts: dict[int, list[str | None]] = {}
        """Group index -> its cells' texts (None: not made yet), made when first painted and
        kept until the next reset or text change."""
        self._status_texts: dict[str | None, str] = {}
        self._platform_texts: dict[tuple[str, ...], str] = {}
        """The 平台 (platforms) column's text by the platforms a group is on."""
        self._rows_of_keys: dict[str, int] | None = None
        self._counts: dict[str, int] = dict.fromkeys(VIEWS, 0)
        self._outcomes: dict[str, tuple[str, str]] = {}
        """Task key -> (state, message) of the record submitted for it (一次填报)."""

    # -- content ------------------------------------------------------------------------------

    def set_groups(self, groups: Iterable[TaskGroup]) -> None:
        """Show these groups (keeping the sort, view, platform and search).

        A ``PreparedGroups`` (made on a worker with ``prepare_groups``) costs the GUI thread
        almost nothing; plain groups are prepared here.
        """
        self._prepared = prepare_groups(groups)
        self._classes = classify(self._prepared.dues, self._prepared.closed, self._now())
        self._column_keys.clear()
        self._rows_of_keys = None
        self._order = self._sorted_order()
        self._order_hay = []
        self._refilter(base=True)
        self._update_counts()

    def clear(self) -> None:
        self.set_groups([])

    def set_platform_name(self, platform_name: Callable[[str], str]) -> None:
        self._platform_name = platform_name
        self._platform_texts.clear()
        self._keys_changed(self.PLATFORMS)

    def set_form_names(self, names: Mapping[str, str]) -> None:
        """Form key -> the form's name, for the 类型 (type) column; unknown keys show as they are."""
        self._form_names = dict(names)
        self._keys_changed(self.KIND)

    def set_outcomes(self, outcomes: Mapping[str, tuple[str, str]]) -> None:
        """Task key -> (state, message) of what became of the record submitted for the task
        (``submitted``, ``review``, ``failed``; read on a worker, see app/submit.task_outcomes):
        the 状态 (status) column of a row with any says so per platform."""
        outcomes = dict(outcomes)
        if outcomes == self._outcomes:
            return
        self._outcomes = outcomes
        self._texts.clear()
        self._changed_all()

    def has_outcomes(self) -> bool:
        return bool(self._outcomes)

    def outcomes_of(self, group: TaskGroup) -> list[tuple[str, str, str]]:
        """(platform id, state, message) of each platform of ``group`` whose task has an outcome
        (the platform's first task that has one), in the row's platform order."""
        outcomes = self._outcomes
        if not outcomes:
            return []
        found: list[tuple[str, str, str]] = []
        for platform in group.platforms:
            for item in group.items:
                if item.platform == platform and item.key in outcomes:
                    state, message = outcomes[item.key]
                    found.append((platform, state, message))
                    break
        return found

    def outcomes_text(self, group: TaskGroup) -> str:
        """"安全排查 已提交 · 执法检查 待审核" for a row whose record went to its platforms; the
        platforms not reached yet say 未提交; '' for a row without any outcome."""
        found = {p: state for p, state, _message in self.outcomes_of(group)}
        if not found:
            return ""
        parts = [
            f"{self._platform_name(p)} {outcome_label(found.get(p, ''))}" for p in group.platforms
        ]
        return " · ".join(parts)

    def group(self, row: int) -> TaskGroup:
        """The group shown in ``row``."""
        return self._prepared[self._shown[row]]

    def groups(self) -> list[TaskGroup]:
        """Every group, filtered or not."""
        return list(self._prepared)

    def visible_groups(self) -> list[TaskGroup]:
        """The groups shown, in their order."""
        groups = self._prepared
        return [groups[i] for i in self._shown]

    def prepared(self) -> PreparedGroups:
        """Every group, with what filtering and sorting them needs (``prepare_groups``)."""
        return self._prepared

    def form_names(self) -> dict[str, str]:
        return dict(self._form_names)

    def total(self) -> int:
        """The number of groups, filtered or not."""
        return len(self._prepared)

    def row_of(self, key: str) -> int | None:
        """The row showing the group with this key, or None when it is filtered out or gone."""
        if self._rows_of_keys is None:
            self._rows_of_keys = {k: i for i, k in enumerate(self._prepared.keys)}
        index = self._rows_of_keys.get(key)
        if index is None:
            return None
        try:
            return self._shown.index(index)
        except ValueError:
            return None

    def platform_name(self, platform_id: str) -> str:
        return self._platform_name(platform_id)

    def platforms_text(self, group: TaskGroup) -> str:
        # "、" is the Chinese enumeration comma; English lists use ", ".
        separator = translate("InboxModel", ", ")
        return separator.join(self._platform_name(p) for p in group.platforms)

    def form_text(self, form: str | None) -> str:
        if not form:
            return ""
        return self._form_names.get(form, form)

    def is_overdue(self, group: TaskGroup) -> bool:
        if group.due is None or group.status.lower() in _CLOSED_STATUSES:
            return False
        return group.due < self._now()

    def row_overdue(self, row: int) -> bool:
        return bool(self._classes.bits[self._shown[row]] & OVERDUE_BIT)

    # -- filters ------------------------------------------------------------------------------

    def platform(self) -> str | None:
        return self._platform

    def set_platform(self, plugin_id: str | None) -> None:
        """Show only groups that the platform ``plugin_id`` asks for; None shows all."""
        plugin_id = plugin_id or None
        if plugin_id == self._platform:
            return
        self._platform = plugin_id
        self._refilter(base=True)
        self._update_counts()

    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        """Show only groups whose titles or subjects contain ``text`` (case-insensitive)."""
        text = text.strip().casefold()
        previous = self._text
        if text == previous:
            return
        self._text = text
        # Typing on: only the rows shown now can still match.
        self._refilter(base=False, narrow=bool(previous) and previous in text)

    def view(self) -> str:
        return self._view

    def set_view(self, view: str) -> None:
        """One of ``inbox_index.VIEWS``: all, today, week, overdue."""
        if view not in VIEWS:
            raise ValueError(f"unknown inbox view {view!r}")
        if view == self._view:
            return
        self._view = view
        self._refilter(base=True)

    def counts(self) -> dict[str, int]:
        """{view: groups in it}, for the current platform filter, not narrowed by the search."""
        return dict(self._counts)

    def update_now(self) -> bool:
        """Move groups to their views again when time has passed a due time, midnight or the
        end of the week; cheap when nothing changed. True when the rows changed."""
        now = self._now()
        if now.timestamp() < self._classes.next_change:
            return False
        self._classes = classify(self._prepared.dues, self._prepared.closed, now)
        self._column_keys.pop(self.STATUS, None)
        if self._sort_column == self.STATUS:
            self._order = self._sorted_order()
            self._order_hay = []
        self._refilter(base=True)
        self._update_counts()
        return True

    # -- sorting ------------------------------------------------------------------------------

    def sort_column(self) -> int:
        return self._sort_column

    def sort_order(self) -> Qt.SortOrder:
        from PySide6.QtCore import Qt

        return Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder

    def sort(self, column: int, order: Qt.SortOrder | None = None) -> None:
        """Order every group by ``column`` (empty values last either way), ties by due time;
        ascending unless ``order`` says otherwise."""
        from PySide6.QtCore import Qt

        if not 0 <= column < self.COLUMN_COUNT:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._sort_column, self._descending) and self._order:
            return
        self._sort_column, self._descending = column, descending
        self._order = self._sorted_order()
        self._order_hay = []
        self._refilter(base=True)

    def _sorted_order(self) -> list[int]:
        default = self._prepared.order
        column, descending = self._sort_column, self._descending
        if column == self.DUE and not descending:
            return default
        keys = self._keys(column)
        filled = [i for i in default if keys[i] is not None]
        empty = [i for i in default if keys[i] is None] if len(filled) < len(default) else []
        # A stable sort: equal keys keep the default order (due time, then title).
        filled.sort(key=keys.__getitem__, reverse=descending)
        return filled + empty

    def _keys(self, column: int) -> list[Any]:
        """One sort key per group for ``column`` (None: no value, sorted last)."""
        keys = self._column_keys.get(column)
        if keys is not None:
            return keys
        prepared = self._prepared
        firsts = prepared.firsts
        if column == self.DUE:
            keys = list(prepared.dues)
        elif column == self.PLATFORMS:
            keys = text_ranks([self.platforms_text(g) for g in prepared])
        elif column == self.TITLE:
            keys = text_ranks([f.title for f in firsts])
        elif column == self.SUBJECT:
            keys = text_ranks([f.subject for f in firsts])
        elif column == self.KIND:
            keys = text_ranks([self.form_text(f.form) for f in firsts])
        elif column == self.PRIORITY:
            keys = [priority_of(g) for g in prepared]
        elif column == self.STATUS:
            # Overdue first (rank -1), then the statuses in their alphabetical order.
            bits = self._classes.bits
            label_of: dict[str, str] = {}
            labels = [
                label_of.get(f.status) or label_of.setdefault(f.status, status_label(f.status))
                for f in firsts
            ]
            keys = [
                -1 if bits[i] & OVERDUE_BIT else rank for i, rank in enumerate(text_ranks(labels))
            ]
        else:
            keys = [u.timestamp() if (u := updated_of(g)) is not None else None for g in prepared]
        self._column_keys[column] = keys
        return keys

    # -- filtering ----------------------------------------------------------------------------

    def _refilter(self, *, base: bool, narrow: bool = False) -> None:
        if base:
            self._make_base()
        text = self._text
        if not text:
            shown = self._base
        elif narrow:
            # The rows shown now, their haystacks looked up (fewer rows than the base).
            haystacks = map(self._prepared.haystacks.__getitem__, self._shown)
            shown = list(compress(self._shown, map(contains, haystacks, repeat(text))))
        else:
            shown = list(compress(self._base, map(contains, self._base_haystacks(), repeat(text))))
        if not base and shown == self._shown:
            return  # the same rows (typing on within the same matches): nothing to redraw
        self.beginResetModel()
        self._shown = shown
        self._texts.clear()
        self.endResetModel()

    def _make_base(self) -> None:
        order = self._order
        mask = VIEW_BITS.get(self._view, 0)
        platform = self._platform
        bits, platforms = self._classes.bits, self._prepared.platforms
        self._base_hay = None
        if platform is None and not mask:
            base = order
        elif platform is None:
            base = [i for i in order if bits[i] & mask]
        elif not mask:
            base = [i for i in order if platform in platforms[i]]
        else:
            base = [i for i in order if bits[i] & mask and platform in platforms[i]]
        self._base = base
        if self._prepared.has_haystacks():
            # Laid out now, while the list changes, not at the next keystroke; only the start
            # snapshot's groups make theirs at the first search (inbox_index.prepared_as_before).
            self._base_haystacks()

    def _base_haystacks(self) -> list[str]:
        """The haystacks of the base's groups, in its order (made once per base)."""
        if self._base_hay is None:
            if self._base is self._order:
                if not self._order_hay:
                    haystacks = self._prepared.haystacks
                    self._order_hay = [haystacks[i] for i in self._order]
                self._base_hay = self._order_hay
            else:
                haystacks = self._prepared.haystacks
                self._base_hay = [haystacks[i] for i in self._base]
        return self._base_hay

    def _update_counts(self) -> None:
        bits = self._classes.bits
        if self._platform is not None:
            platform, platforms = self._platform, self._prepared.platforms
            bits = [b for b, p in zip(bits, platforms, strict=True) if platform in p]
        today = bits.count(TODAY_BIT | WEEK_BIT)
        counts = {
            ALL: len(bits),
            TODAY: today,
            WEEK: today + bits.count(WEEK_BIT),
            OVERDUE: bits.count(OVERDUE_BIT),
        }
        if counts != self._counts:
            self._counts = counts
            self.counts_changed.emit(dict(counts))

    def _keys_changed(self, column: int) -> None:
        """The texts of ``column`` changed: new sort keys, re-sorted if sorted by it."""
        self._column_keys.pop(column, None)
        self._texts.clear()
        if column == self._sort_column and self._prepared:
            self._order = self._sorted_order()
            self._order_hay = []
            self._refilter(base=True)
        else:
            self._changed_all()

    def _changed_all(self) -> None:
        if self._shown:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._shown) - 1, self.COLUMN_COUNT - 1)
            )

    # -- QAbstractTableModel ------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt default)
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
    ) -> Any:
        # Asked for every role of every header section each time the header repaints (after
        # every search keystroke): no import, and the refused roles first.
        if role not in (_DISPLAY, _ACCESSIBLE_TEXT) or orientation.value != _HORIZONTAL:
            return None
        if not 0 <= section < self.COLUMN_COUNT:
            return None
        return column_title(section)

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        # Called for every role of every cell Qt's delegate paints (the selected and focused
        # ones): the refused roles cost one set lookup, the texts one dictionary lookup.
        if role not in _SERVED:
            return None
        row = index.row()  # -1 for an invalid index
        shown = self._shown
        if row < 0 or row >= len(shown):
            return None
        number = shown[row]
        if role in (_DISPLAY, _ACCESSIBLE_TEXT):
            return self._text_of(number, index.column())
        overdue = self._classes.bits[number] & OVERDUE_BIT
        if role in _COLOURS:
            if not overdue:
                return None
            brushes = _overdue_brushes or _make_overdue_brushes()
            return brushes[0] if role == _FOREGROUND else brushes[1]
        if role == OVERDUE_ROLE:
            return bool(overdue)
        group = self._prepared[number]
        if role == GROUP_ROLE:
            return group
        return self._tooltip(group)

    def cell(self, row: int, column: int) -> tuple[str, bool]:
        """The text of the shown cell (``row``, ``column``) and whether its row is overdue: all
        the table's delegate paints a cell with, in one Python call (through ``data`` Qt's own
        delegate asks for seven roles, one call each)."""
        number = self._shown[row]
        return self._text_of(number, column), bool(self._classes.bits[number] & OVERDUE_BIT)

    def _text_of(self, number: int, column: int) -> str:
        """The text of group ``number`` in ``column``, made when first asked for and kept in
        ``_texts`` until the rows change."""
        texts = self._texts.get(number)
        if texts is None:
            if len(self._texts) >= _TEXT_CACHE_ROWS:
                self._texts.clear()
            texts = self._texts[number] = [None] * self.COLUMN_COUNT
        text = texts[column]
        if text is None:
            text = texts[column] = self._cell_text(number, column)
        return text

    def _cell_text(self, number: int, column: int) -> str:
        """The text of group ``number`` in ``column`` (kept in ``_texts`` by ``_text_of``)."""
        first = self._prepared.firsts[number]
        if column == self.TITLE:
            return first.title
        if column == self.DUE:
            return format_due(first.due)
        if column == self.STATUS:
            if self._outcomes:
                outcomes = self.outcomes_text(self._prepared[number])
                if outcomes:
                    return outcomes
            # The translated labels, looked up once per status (None: overdue).
            status = None if self._classes.bits[number] & OVERDUE_BIT else first.status
            text = self._status_texts.get(status)
            if text is None:
                text = self._status_texts[status] = (
                    status_label(status)
                    if status is not None
                    else translate("InboxModel", "Overdue")
                )
            return text
        if column == self.SUBJECT:
            return first.subject or ""
        if column == self.PLATFORMS:
            # The platforms as prepared (TaskGroup.platforms sorts the items on every call).
            platforms = self._prepared.platforms[number]
            text = self._platform_texts.get(platforms)
            if text is None:
                separator = translate("InboxModel", ", ")
                text = self._platform_texts[platforms] = separator.join(
                    map(self._platform_name, platforms)
                )
            return text
        group = self._prepared[number]
        if column == self.KIND:
            return self.form_text(first.form)
        if column == self.PRIORITY:
            return priority_label(priority_of(group))
        updated = updated_of(group)
        return format_time(updated) if updated is not None else ""

    def _tooltip(self, group: TaskGroup) -> str:
        """The row's tooltip: its texts are the platforms', so they are shown exactly as written
        (Qt would render a title that looks like HTML, images and all)."""
        lines = [group.title]
        if group.subject:
            lines.append(translate("InboxModel", "About: {subject}").format(subject=group.subject))
        if len(group.items) > 1:
            lines.append(
                translate("InboxModel", "Asked by: {platforms}").format(
                    platforms=self.platforms_text(group)
                )
            )
        for platform, state, message in self.outcomes_of(group):
            line = f"{self._platform_name(platform)}：{outcome_label(state)}"
            lines.append(f"{line}（{message}）" if message else line)
        lines.append(translate("InboxModel", "Press Enter or double-click to open it."))
        return tooltip(*lines)


def _make_overdue_brushes() -> list[QBrush]:
    _overdue_brushes[:] = [QBrush(OVERDUE_TEXT), QBrush(OVERDUE_BACKGROUND)]
    return _overdue_brushes


def column_title(column: int) -> str:
    return (
        translate("InboxModel", "Platform"),
        translate("InboxModel", "Task"),
        translate("InboxModel", "Subject"),
        translate("InboxModel", "Type"),
        translate("InboxModel", "Due"),
        translate("InboxModel", "Priority"),
        translate("InboxModel", "Status"),
        translate("InboxModel", "Updated"),
    )[column]


__all__ = [
    "GROUP_ROLE",
    "OVERDUE_ROLE",
    "OVERDUE_TEXT",
    "InboxModel",
    "PreparedGroups",
    "format_due",
    "outcome_label",
    "prepare_groups",
    "status_label",
]
