"""Each platform's inbox state in words: up to date, offline data since a time, or failed and why.

``PlatformState`` (core/inbox/service.py) is the only source. The words are for township staff:
"无法连接" rather than a reason code; colour only repeats what the words say.

- ``tile_detail`` is the small line under a tile's state (已更新 09:30, 离线数据，截至 08:12,
  失败：无法连接).
- ``PlatformStatePanel`` is the line above the inbox table ("28 个平台已更新 · 1 个离线数据
  （截至 08:12） · 1 个失败") with 详情, which opens a list of every platform with its state,
  reason and last update.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from launcher.app.vocabulary import failure_sentence, failure_words, platform_kind_label
from launcher.core.states import FailureReason, PlatformKind, platform_kind
from launcher.ui import language
from launcher.ui.plain_text import PlainLabel, tooltip

# The details list's Qt classes (QTreeWidget and the item-view classes under it) are imported
# when the list is first made (PlatformStatePanel.details), after the window's first frame.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QTreeWidget

    from launcher.core.inbox.service import PlatformState

translate = QCoreApplication.translate

# The kinds a user tells apart (a failed sign-in is its own kind: the fix is to sign in; a
# platform still being waited for in a refresh shows its saved tasks meanwhile).
CURRENT, STALE, FAILED = PlatformKind.CURRENT, PlatformKind.STALE, PlatformKind.FAILED
SIGN_IN, UNKNOWN, REFRESHING = PlatformKind.SIGN_IN, PlatformKind.UNKNOWN, PlatformKind.REFRESHING

_FAILED_TEXT = QColor("#b00020")
_STALE_TEXT = QColor("#8a5a00")


def kind_of(state: PlatformState) -> PlatformKind:
    return platform_kind(state.state, state.reason)


def source_reason_text(reason: str | None) -> str:
    """The user-facing sentence for a task source's failure reason (launcher/app/vocabulary.py,
    the words the command line uses too)."""
    return failure_sentence(reason, language.current())


def reason_words(reason: str | None) -> str:
    """A reason in two or three words, for the tile line (失败：无法连接)."""
    return failure_words(reason, language.current())


def short_time(moment: datetime, now: datetime | None = None) -> str:
    """09:30 today, 11-19 08:12 earlier this year, 2025-12-30 08:12 before (local time)."""
    local = moment.astimezone()
    today = (now or datetime.now(UTC)).astimezone()
    if local.date() == today.date():
        return local.strftime("%H:%M")
    if local.year == today.year:
        return local.strftime("%m-%d %H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def tile_detail(state: PlatformState | None, now: datetime | None = None) -> str:
    """The tile's detail line for this state; empty when there is nothing to say."""
    if state is None:
        return ""
    kind = kind_of(state)
    if kind == CURRENT:
        if state.updated is None:
            return translate("PlatformStates", "Updated")
        return translate("PlatformStates", "Updated {time}").format(
            time=short_time(state.updated, now)
        )
    if kind == FAILED:
        return translate("PlatformStates", "Failed: {reason}").format(
            reason=reason_words(state.reason)
        )
    if kind in (UNKNOWN, REFRESHING):
        return state_word(kind)
    if state.updated is None:  # stale, or signed out, with nothing saved
        return translate("PlatformStates", "No saved data") if kind == SIGN_IN else ""
    return translate("PlatformStates", "Offline data, as of {time}").format(
        time=short_time(state.updated, now)
    )


def state_word(kind: PlatformKind) -> str:
    return platform_kind_label(kind, language.current())


def state_explanation(state: PlatformState, now: datetime | None = None) -> str:
    """What the user should know about one platform, in a sentence or two."""
    kind = kind_of(state)
    saved = (
        translate("PlatformStates", "Showing the tasks saved at {time}.").format(
            time=short_time(state.updated, now)
        )
        if state.updated is not None
        else ""
    )
    if kind == CURRENT:
        if getattr(state, "more", False):  # the platform listed more than the inbox keeps
            return translate("PlatformStates", "Only the first {count} tasks are shown.").format(
                count=state.count
            )
        return ""
    if kind in (STALE, REFRESHING):
        return saved or translate("PlatformStates", "Showing saved tasks.")
    if kind == UNKNOWN:
        return translate("PlatformStates", "Not refreshed yet.")
    reason = source_reason_text(FailureReason.SIGNED_OUT if kind == SIGN_IN else state.reason)
    if not saved:
        return reason
    # Chinese joins the two sentences without a space.
    return translate("PlatformStates", "{reason} {saved}").format(reason=reason, saved=saved)


def summary_text(states: Mapping[str, PlatformState], now: datetime | None = None) -> str:
    """One line for all platforms: "28 个平台已更新 · 1 个离线数据（截至 08:12） · 1 个失败"."""
    by_kind: dict[PlatformKind, list[PlatformState]] = {}
    for state in states.values():
        by_kind.setdefault(kind_of(state), []).append(state)
    parts = []
    if CURRENT in by_kind:
        parts.append(
            translate("PlatformStates", "{count} platform(s) up to date").format(
                count=len(by_kind[CURRENT])
            )
        )
    stale = by_kind.get(STALE, [])
    if stale:
        times = [s.updated for s in stale if s.updated is not None]
        if times:
            parts.append(
                translate("PlatformStates", "{count} with offline data (as of {time})").format(
                    count=len(stale), time=short_time(min(times), now)
                )
            )
        else:
            parts.append(
                translate("PlatformStates", "{count} with offline data").format(count=len(stale))
            )
    if FAILED in by_kind:
        parts.append(
            translate("PlatformStates", "{count} failed").format(count=len(by_kind[FAILED]))
        )
    if SIGN_IN in by_kind:
        parts.append(
            translate("PlatformStates", "{count} need(s) sign-in").format(
                count=len(by_kind[SIGN_IN])
            )
        )
    if REFRESHING in by_kind:
        parts.append(
            translate("PlatformStates", "{count} still refreshing").format(
                count=len(by_kind[REFRESHING])
            )
        )
    if UNKNOWN in by_kind:
        parts.append(
            translate("PlatformStates", "{count} not loaded yet").format(
                count=len(by_kind[UNKNOWN])
            )
        )
    return translate("PlatformStates", " · ").join(parts)


class PlatformStatePanel(QFrame):
    """The state line above the inbox table, with a 详情 button that lists every platform.

    The list (a QTreeWidget, hidden until 详情 is pressed) is made when first shown or asked for
    (``details``): the window's first frame, which shows no states, does not pay for it."""

    NAME, STATE, DETAIL, UPDATED, TASKS = range(5)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("platformStatePanel")
        self.summary = PlainLabel(self)
        self.summary.setObjectName("stateSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("stateDetailsToggle")
        self.toggle.setCheckable(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setText(self.tr("Details"))
        self.toggle.setAccessibleName(self.tr("Show each platform's state"))
        self.toggle.toggled.connect(self._show_details)
        self._details: QTreeWidget | None = None
        self._listed: list[tuple[tuple[str, str, str, str, str], str, PlatformKind, str]] = []
        """The rows of the details list, for when it is made (or filled again): (texts,
        platform id, kind, message)."""

        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.summary, 1)
        line.addWidget(self.toggle)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.setSpacing(4)
        self._layout.addLayout(line)
        self.hide()

    @property
    def details(self) -> QTreeWidget:
        """The list of every platform with its state, reason and last update (hidden until
        详情 is pressed); made on first use."""
        if self._details is None:
            self._details = self._make_details()
            self._fill_details()
        return self._details

    def last_in_tab_order(self) -> QWidget:
        """The panel's last widget in the Tab order: the list once made, else the 详情 button."""
        return self._details if self._details is not None else self.toggle

    def _make_details(self) -> QTreeWidget:
        from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget

        details = QTreeWidget(self)
        details.setObjectName("stateDetails")
        details.setAccessibleName(self.tr("State of each platform"))
        details.setRootIsDecorated(False)
        details.setUniformRowHeights(True)
        details.setAlternatingRowColors(True)
        details.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        details.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        details.setHeaderLabels(
            [
                self.tr("Platform"),
                self.tr("State"),
                self.tr("Details"),
                self.tr("Last updated"),
                self.tr("Tasks"),
            ]
        )
        header = details.header()
        header.setStretchLastSection(False)
        for column in (self.NAME, self.STATE, self.UPDATED, self.TASKS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.DETAIL, QHeaderView.ResizeMode.Stretch)
        details.setMaximumHeight(220)
        details.hide()
        self._layout.addWidget(details)
        # Right after 详情 in the Tab order (what came after it, the task table, follows the list).
        QWidget.setTabOrder(self.toggle, details)
        return details

    def set_states(
        self,
        states: Mapping[str, PlatformState],
        name: Callable[[str], str],
        now: datetime | None = None,
    ) -> None:
        """Show these states (hide the panel when there are none: signed out, no inbox)."""
        if not states:
            self.summary.clear()
            self._listed = []
            if self._details is not None:
                self._details.clear()
            self.hide()
            return
        text = summary_text(states, now)
        kinds = {kind_of(s) for s in states.values()}
        level = "error" if kinds & {FAILED, SIGN_IN} else "warning" if STALE in kinds else "ok"
        self.summary.setText(text)
        self.summary.setAccessibleName(self.tr("Platform states: {summary}").format(summary=text))
        self.summary.setProperty("level", level)
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)

        order = {FAILED: 0, SIGN_IN: 1, STALE: 2, REFRESHING: 3, UNKNOWN: 4, CURRENT: 5}
        rows = sorted(states.values(), key=lambda s: (order[kind_of(s)], name(s.platform_id)))
        self._listed = [
            (
                (
                    name(state.platform_id),
                    state_word(kind_of(state)),
                    state_explanation(state, now),
                    short_time(state.updated, now) if state.updated is not None else "—",
                    str(state.count),
                ),
                state.platform_id,
                kind_of(state),
                state.message,
            )
            for state in rows
        ]
        if self._details is not None:
            self._fill_details()
        self.show()

    def _fill_details(self) -> None:
        from PySide6.QtGui import QBrush, QFont
        from PySide6.QtWidgets import QTreeWidgetItem

        details = self.details
        details.clear()
        bold = QFont(details.font())
        bold.setBold(True)
        for texts, platform_id, kind, message in self._listed:
            item = QTreeWidgetItem(list(texts))
            item.setData(self.NAME, Qt.ItemDataRole.UserRole, platform_id)
            # The technical detail may quote the platform (its error text, a reason phrase).
            item.setToolTip(self.DETAIL, tooltip(message))
            if kind in (FAILED, SIGN_IN):
                item.setForeground(self.STATE, QBrush(_FAILED_TEXT))
                item.setFont(self.STATE, bold)
            elif kind == STALE:
                item.setForeground(self.STATE, QBrush(_STALE_TEXT))
            item.setTextAlignment(self.TASKS, Qt.AlignmentFlag.AlignRight)
            details.addTopLevelItem(item)

    def summary_text(self) -> str:
        return self.summary.text()

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """The details list as text: (platform, state, details, last updated, tasks)."""
        rows = []
        for index in range(self.details.topLevelItemCount()):
            item = self.details.topLevelItem(index)
            if item is None:
                continue
            rows.append((item.text(0), item.text(1), item.text(2), item.text(3), item.text(4)))
        return rows

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.toggle.setAccessibleName(
            self.tr("Hide each platform's state")
            if shown
            else self.tr("Show each platform's state")
        )
