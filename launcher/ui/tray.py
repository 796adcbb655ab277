"""The tray icon: the pending count on the app icon, the tray menu, and desktop notifications.

Which notifications to show is decided in launcher.core.inbox.notify (off the GUI thread); this
module only shows them. Where no system tray exists (headless, some Linux desktops) nothing breaks:
the count goes into the window title and notifications become a link in the status bar (a click
opens the task, as a click on the notification would), never a dialog. Some desktops start their
tray after the launcher (a session that restores its programs before the panel): the tray is looked
for again for a while, and once it appears the icon takes over from the title.
"""

from __future__ import annotations

import html
import logging
from collections import deque
from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QGuiApplication, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSystemTrayIcon

from launcher.core import paths
from launcher.core.inbox.notify import DUE_SOON, NEW, OVERDUE, Notice
from launcher.ui.plain_text import bounded, notification_text, tooltip

log = logging.getLogger(__name__)

MESSAGE_MS = 10_000
"""How long one notification stays up; queued ones follow one after another, this far apart."""
BADGE_COLOUR = QColor("#d32f2f")
_ICON_SIZES = (32, 64)
RECHECK_MS = 5_000
RECHECKS = 36
"""Without a tray at start, it is looked for again every RECHECK_MS, this many times (3 minutes)."""


def tray_available() -> bool:
    """True when the desktop has a system tray (False headless and on some Linux desktops)."""
    return QSystemTrayIcon.isSystemTrayAvailable()


def badge_text(count: int) -> str:
    """The number painted on the icon: '' for none, 1 … 99, then '99+'."""
    if count <= 0:
        return ""
    return str(count) if count <= 99 else "99+"


def badge_icon(base: QIcon, count: int) -> QIcon:
    """``base`` with the pending count in a red badge at its top right (unchanged for 0)."""
    text = badge_text(count)
    if not text:
        return base
    icon = QIcon()
    for size in _ICON_SIZES:
        pixmap = base.pixmap(size, size)
        if pixmap.isNull() or pixmap.width() != size:
            canvas = QPixmap(size, size)
            canvas.fill(Qt.GlobalColor.transparent)
            if not pixmap.isNull():
                painter = QPainter(canvas)
                painter.drawPixmap(canvas.rect(), pixmap)
                painter.end()
            pixmap = canvas
        _paint_badge(pixmap, text)
        icon.addPixmap(pixmap)
    return icon


def _paint_badge(pixmap: QPixmap, text: str) -> None:
    size = pixmap.width()
    height = size * 0.56
    width = height if len(text) == 1 else height * (0.5 + 0.3 * len(text))
    rect = QRectF(size - width, 0.0, width, height)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(QPen(QColor("white"), max(1.0, size / 32)))
    painter.setBrush(BADGE_COLOUR)
    painter.drawRoundedRect(rect, height / 2, height / 2)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(max(6, round(height * (0.72 if len(text) == 1 else 0.6))))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
    painter.end()


def app_icon() -> QIcon:
    """The application's icon (set by ui/app.py), else the bundled one."""
    icon = QGuiApplication.windowIcon()
    if icon.isNull():
        icon = QIcon(str(paths.resources_dir() / "icons" / "app.svg"))
    return icon


class TrayController(QObject):
    """The launcher's QSystemTrayIcon, for one main window.

    Notifications come one at a time (a tray shows one balloon per icon), each ``MESSAGE_MS``
    after the previous. A click on a notification opens what the notice is about; Qt's
    ``messageClicked`` says not which message was clicked, so it is the last one shown.
    """

    task_requested = Signal(object)
    """A notification about one task was clicked: its Notice (``notice.group`` is the task)."""
    inbox_requested = Signal(str)
    """A summary notification was clicked: the most urgent kind it covers (e.g. ``overdue``)."""
    notice_shown = Signal(object)
    """The Notice just shown (as a notification, or in the status bar without a tray)."""

    def __init__(
        self,
        window: QMainWindow,
        *,
        platform_name: Callable[[str], str] | None = None,
        icon: QIcon | None = None,
        available: bool | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self._window = window
        self._platform_name = platform_name or (lambda plugin_id: plugin_id)
        self._base_icon = icon if icon is not None else app_icon()
        self.available = tray_available() if available is None else available
        """A system tray exists: the icon is shown and notices become notifications."""
        self.count: int | None = None
        """The pending count shown; None while nobody is signed in."""
        self.locked_view: Callable[[], None] | None = None
        """Set while a shared PC's lock hides the window: shows the lock screen instead, and
        notices (task titles) are held back."""
        self.shown: Notice | None = None
        """The notice of the last notification shown: the one a click opens."""
        self._queue: deque[Notice] = deque()
        self._title_base: str | None = None
        self._title_set: str | None = None

        # The QSystemTrayIcon exists even where no tray does; it is only shown where one does.
        self.icon = QSystemTrayIcon(self._base_icon, self)
        self.menu = QMenu(window)
        self.open_action = QAction(self.tr("Open Yiduantong"), self)
        self.open_action.triggered.connect(lambda _=False: self.show_window())
        self.menu.addAction(self.open_action)
        self.menu.addSeparator()
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.icon.messageClicked.connect(self.message_clicked)
        self._pacer = QTimer(self)
        self._pacer.setSingleShot(True)
        self._pacer.setInterval(MESSAGE_MS)
        self._pacer.timeout.connect(self._show_next)
        # Without a tray: the latest notices as a link in the status bar, until clicked. Rich text
        # for the link alone: the notice's words (the platforms') are escaped into it.
        self.notice_label = QLabel(window)
        self.notice_label.setObjectName("noticeLabel")
        self.notice_label.setTextFormat(Qt.TextFormat.RichText)
        self.notice_label.setOpenExternalLinks(False)
        self.notice_label.linkActivated.connect(lambda _link: self._label_clicked())
        self.notice_label.hide()
        window.statusBar().insertPermanentWidget(0, self.notice_label)
        self.set_count(None)
        self._recheck = QTimer(self)
        self._recheck.setInterval(RECHECK_MS)
        self._recheck.timeout.connect(self._look_for_tray)
        self._rechecks_left = RECHECKS
        if self.available:
            self.icon.show()
        elif available is None:
            self._recheck.start()

    def _look_for_tray(self) -> None:
        self._rechecks_left -= 1
        if tray_available():
            self._recheck.stop()
            self._tray_appeared()
        elif self._rechecks_left <= 0:
            self._recheck.stop()

    def _tray_appeared(self) -> None:
        """The desktop's tray came after the window: the icon shows the count from now on, and
        the title gives it back."""
        log.info("the system tray appeared; the pending count moves to the tray icon")
        self.available = True
        if self._title_set is not None and self._window.windowTitle() == self._title_set:
            self._window.setWindowTitle(self._title_base or self._title_set)
        self._title_set = None
        self.icon.show()

    # -- count ------------------------------------------------------------------------------

    def set_count(self, count: int | None) -> None:
        """Show ``count`` pending tasks (None: nobody signed in, no number at all)."""
        if count != self.count or not self.icon.toolTip():
            # Repainted only on a change: a refresh reports partial results many times.
            self.count = count
            self.icon.setIcon(badge_icon(self._base_icon, count or 0))
            if count is None:
                self.icon.setToolTip(self.tr("Yiduantong"))
            else:
                self.icon.setToolTip(self.tr("Yiduantong — {count} pending").format(count=count))
        if not self.available:
            self._retitle()

    def _retitle(self) -> None:
        """Without a tray, the count goes into the window title: "一端通 — 示范县 (12)"."""
        title = self._window.windowTitle()
        if self._title_set is None or title != self._title_set:
            self._title_base = title  # the window changed its title since: that is the base now
        base = self._title_base or title
        count = self.count or 0
        wanted = self.tr("{title} ({count})").format(title=base, count=count) if count else base
        self._title_set = wanted
        if wanted != title:
            self._window.setWindowTitle(wanted)

    # -- menu and window --------------------------------------------------------------------

    def add_actions(self, actions: Iterable[QAction]) -> None:
        """Put the window's own actions (Refresh, Quit) into the tray menu, after Open."""
        for action in actions:
            self.menu.addAction(action)

    def show_window(self) -> None:
        if self.locked_view is not None:  # a shared PC's lock: its screen, never the window
            self.locked_view()
            return
        window = self._window
        if window.isMinimized():
            window.showNormal()
        else:
            window.show()
        window.raise_()
        window.activateWindow()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_window()

    # -- notifications ----------------------------------------------------------------------

    def notify(self, notices: Iterable[Notice]) -> None:
        """Show these notices: as notifications one after another, or without a tray as a link
        in the status bar naming the most urgent one."""
        notices = list(notices)
        if not notices or self.locked_view is not None:  # locked: no task title on the screen
            return
        if not self.available or not QSystemTrayIcon.supportsMessages():
            self._show_in_window(notices)
            return
        self._queue.extend(notices)
        if not self._pacer.isActive():
            self._show_next()

    def _show_next(self) -> None:
        if not self._queue:
            return
        notice = self.shown = self._queue.popleft()
        title, body = self.message(notice)
        # Titles, subjects and platform names are outside text, and a Linux notification server
        # reads the body as markup: written without markup characters.
        title, body = notification_text(title, 200), notification_text(body, 1000)
        icon = (
            QSystemTrayIcon.MessageIcon.Warning
            if notice.kind == OVERDUE
            else QSystemTrayIcon.MessageIcon.Information
        )
        self.icon.showMessage(title, body, icon, MESSAGE_MS)
        self.notice_shown.emit(notice)
        if self._queue:
            self._pacer.start()

    def _show_in_window(self, notices: list[Notice]) -> None:
        first = self.shown = notices[0]
        text = bounded(self.line(first), 200, lines=1)
        more = sum(n.count for n in notices[1:])
        if more:
            text = self.tr("{notice} (and {count} more)").format(notice=text, count=more)
        label = self.notice_label
        # Every character of the text escaped: only the link is markup.
        label.setText(f'<a href="#notice">{html.escape(text)}</a>')
        label.setAccessibleName(text)
        label.setToolTip(tooltip(*(self.line(n) for n in notices[:20]), limit=200))
        label.show()
        for notice in notices:
            self.notice_shown.emit(notice)

    def _label_clicked(self) -> None:
        self.notice_label.hide()
        self.message_clicked()

    def pending_notices(self) -> list[Notice]:
        """The notices still waiting for their turn."""
        return list(self._queue)

    def message_clicked(self) -> None:
        """A notification was clicked: open its task, or the inbox for a summary."""
        notice = self.shown
        self.show_window()
        if notice is None:
            return
        if notice.group is not None:
            self.task_requested.emit(notice)
        else:
            self.inbox_requested.emit(notice.kind)

    def clear(self) -> None:
        """Forget the count and every notice (sign-out, another user): no title may linger."""
        self._queue.clear()
        self._pacer.stop()
        self.shown = None
        self.notice_label.hide()
        self.notice_label.clear()
        self.set_count(None)

    def close(self) -> None:
        self._queue.clear()
        self._pacer.stop()
        self._recheck.stop()
        self.icon.hide()

    # -- texts ------------------------------------------------------------------------------

    def heading(self, kind: str) -> str:
        return {
            NEW: self.tr("New task"),
            DUE_SOON: self.tr("Due within 24 hours"),
            OVERDUE: self.tr("Overdue"),
        }.get(kind, kind)

    def message(self, notice: Notice) -> tuple[str, str]:
        """The notification's title and body."""
        group = notice.group
        if group is None:
            parts = {
                OVERDUE: self.tr("{count} overdue"),
                DUE_SOON: self.tr("{count} due within 24 hours"),
                NEW: self.tr("{count} new"),
            }
            counts = self.tr(", ").join(
                parts[kind].format(count=n) for kind, n in notice.counts.items() if kind in parts
            )
            title = self.tr("{count} more tasks need attention").format(count=notice.count)
            return title, counts + "\n" + self.tr("Click to see them in the inbox.")
        lines = [self._task_text(notice)]
        lines.append(self.tr(", ").join(self._platform_name(p) for p in notice.platforms))
        if notice.due is not None:
            when = _local_time(notice.due)
            if notice.kind == OVERDUE:
                lines.append(self.tr("Was due {time}").format(time=when))
            else:
                lines.append(self.tr("Due {time}").format(time=when))
        if notice.moved_from is not None:
            lines.append(
                self.tr("Deadline changed (was {time})").format(time=_local_time(notice.moved_from))
            )
        return self.heading(notice.kind), "\n".join(lines)

    def line(self, notice: Notice) -> str:
        """The notice in one line, for the status bar."""
        if notice.group is None:
            return self.message(notice)[0]
        return self.tr("{heading}: {task}").format(
            heading=self.heading(notice.kind), task=self._task_text(notice)
        )

    def _task_text(self, notice: Notice) -> str:
        group = notice.group
        if group is not None and group.subject and group.subject not in group.title:
            return self.tr("{title} ({subject})").format(title=group.title, subject=group.subject)
        return notice.title


def _local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
