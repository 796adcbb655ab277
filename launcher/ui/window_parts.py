"""What the window builds right after its first paint (or on first use, whichever comes first):
sign-in, Fill, 一次填报, the password vault, mark-done, the profile form and the tray, each given what it
needs in its constructor and wired to the window's presenters and signals here.

Kept out of the first frame: importing these modules (and what they import) would delay the
first paint. The window's ``parts`` makes them, always before the county is open (the window
submits the county's opening just before), so each one sees the county open through its
context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from launcher.ui.announcements import Announcements
from launcher.ui.audit_view import AuditView
from launcher.ui.fill import FormFiller
from launcher.ui.focus_order import LinkKeys
from launcher.ui.last_tabs import LastTabsKeeper
from launcher.ui.mark_done import MarkDone
from launcher.ui.office_lock import OfficeLock
from launcher.ui.pack_updates import PackUpdates
from launcher.ui.platform_sessions import PlatformSessions
from launcher.ui.profile_form import ProfileView
from launcher.ui.session import SessionController
from launcher.ui.status_bar import STATUS_LABEL_MIN_WIDTH
from launcher.ui.submit_dialog import install_submit
from launcher.ui.tray import TrayController
from launcher.ui.vault import VaultController
from launcher.ui.web_clear import WebClear
from launcher.ui.web_tokens import WebTokens

if TYPE_CHECKING:
    from launcher.ui.help_window import HelpWindow
    from launcher.ui.ledger_window import LedgerDialog
    from launcher.ui.main_window import MainWindow
    from launcher.ui.task_monitor import TaskMonitor

translate = QCoreApplication.translate


class WindowParts:
    """The controllers of one window, made together and wired to it."""

    def __init__(self, window: MainWindow) -> None:
        context, status = window.context, window.status_bar()
        sign_in, inbox = window.sign_in_presenter, window.inbox_presenter

        def show(text: str, msecs: int) -> None:
            status.showMessage(text, msecs)

        session = self.session = SessionController(context, window, parent=window)
        session.signed_in.connect(sign_in.signed_in_as)
        session.login_failed.connect(sign_in.login_error)
        session.logout_started.connect(sign_in.logout_started)
        session.signed_out.connect(lambda _warning: window.signed_out.emit())
        session.status.connect(status.show_status)

        # Session-bound platforms: their web apps signed in by hidden pages when the inbox asks.
        platforms = self.platform_sessions = PlatformSessions(
            context, window.services_ready, parent=window
        )
        session.logout_started.connect(platforms.cancel)
        # Silent authorization requests ([idp] tokens = "web", a web page's sign-in renewed).
        web_tokens = self.web_tokens = WebTokens(context, window.services_ready, parent=window)
        session.logout_started.connect(web_tokens.cancel)
        # 三清: a retired platform's tabs closed and its web data cleared (launcher/app/sanqing.py).
        web_clear = self.web_clear = WebClear(
            context, window.services_ready, tabs=window.web_tabs,
            close_tab=lambda tab: window.close_tab(window.tabs.indexOf(tab)), parent=window,
        )
        session.logout_started.connect(web_clear.cancel)

        # The fill preview is a dock of the window: the pages cannot reach it. Sign-out drops it
        # (it may show the person's values) before the next person sits down.
        filler = self.filler = FormFiller(context, host=window, parent=window)
        filler.message.connect(lambda text: show(text, 20000))
        filler.finished.connect(window.fill_finished.emit)
        session.logout_started.connect(filler.clear)
        # 一次填报 (launcher/ui/submit_dialog.py): the inbox row's one form, submitted to every
        # platform; the forms of platforms without an API open pre-filled through ``filler``.
        self.submitter = install_submit(window)

        vault = self.vault = VaultController(
            context,
            signed_in=lambda: sign_in.user is not None,
            tab_opened=window.web_tab_opened,
            services_ready=window.services_ready,
            user_signed_in=window.signed_in,
            user_signed_out=window.signed_out,
            dialog_parent=window,
            parent=window,
        )
        vault.message.connect(lambda text: show(text, 20000))
        vault.saved_changed.connect(inbox.update_tiles)

        marker = self.marker = MarkDone(
            context.workers, context.platform_name, window, events=context.events
        )
        marker.progress.connect(window.inbox.set_busy)
        marker.finished.connect(inbox.marked_done)

        page = window.profile_page
        profile = self.profile = ProfileView(context, parent=page)
        layout = page.layout()
        assert layout is not None  # the window gives the page its layout
        layout.addWidget(profile)
        # The profile follows the person signed in: emptied at sign-out, theirs at sign-in.
        window.signed_in.connect(lambda user: profile.follow(user.sub))
        session.logout_started.connect(profile.clear)
        profile.notice.connect(lambda text: show(text, 60000))

        self.tray = self._tray(window)
        self.audit_view = AuditView(window)  # 账号 → 操作记录: the person's own audit log

        # 工作 → 减负账本: the person's burden ledger (ledger_window.py), made when opened.
        ledger = QAction(translate("MainWindow", "Burden &ledger…"), window)
        ledger.setObjectName("ledgerAction")
        ledger.triggered.connect(lambda _=False: self.show_ledger(window))
        window.window_actions.work_menu.addAction(ledger)
        self.ledger_action = ledger
        self.ledger_dialog: LedgerDialog | None = None
        # 工作 → 任务管理器 (Shift+Esc, as in Chrome): each page's state and memory.
        monitor = QAction(translate("MainWindow", "&Task monitor…"), window)
        monitor.setObjectName("taskMonitorAction")
        monitor.setShortcut(QKeySequence("Shift+Esc"))
        monitor.triggered.connect(lambda _=False: self.show_task_monitor(window))
        window.window_actions.work_menu.addAction(monitor)
        self.task_monitor_action = monitor
        self.task_monitor: TaskMonitor | None = None
        # [office] reopen_tabs: the person's last tabs kept, and opened at their next sign-in.
        self.last_tabs = LastTabsKeeper(
            context, window.web_pages, user=lambda: sign_in.user,
            services_ready=window.services_ready, signed_in=window.signed_in, parent=window,
        )

        # 帮助 → 使用指南 (F1) and 联系县信息化团队, before 加载问题 and 关于; the guide's window is
        # made when first opened (help_window.py).
        guide = QAction(translate("MainWindow", "&Guide"), window)
        guide.setObjectName("guideAction")
        guide.setShortcut(QKeySequence("F1"))
        guide.triggered.connect(lambda _=False: self.show_help(window))
        contact = QAction(translate("MainWindow", "&Contact the county IT team…"), window)
        contact.setObjectName("contactAction")
        contact.triggered.connect(lambda _=False: self.show_help(window, "contact"))
        help_menu = window.window_actions.help_menu
        help_menu.insertActions(window.problems_action, [guide, contact])
        help_menu.insertSeparator(window.problems_action)
        self.guide_action, self.contact_action = guide, contact
        self.help_window: HelpWindow | None = None
        # What changes said to a screen reader (refreshes, fills, sign-in, the lock).
        self.announcements = Announcements(window, session)

        # Shared PCs ([office]): the idle lock and 换人; notices held back while locked.
        lock = self.office_lock = OfficeLock(window, session, window.services_ready,
                                             parent=window)
        lock.locked_changed.connect(
            lambda locked: setattr(self.tray, "locked_view", lock.show_lock_screen if locked
                                   else None))

        # County packs: checked at start and every few hours, applied when no page is open.
        updates = self.pack_updates = PackUpdates(
            context, window.services_ready, bar=lambda: window.pack_bar,
            pages_open=lambda: bool(window.web_tabs()), county_path=lambda: window.county_path,
            parent=window,
        )
        updates.restart.connect(window.restart_with)
        updates.blocks_changed.connect(window.platforms_blocked)

    def show_ledger(self, window: MainWindow) -> LedgerDialog:
        """The burden ledger of the person signed in, read anew each time it is shown."""
        from launcher.ui.ledger_window import LedgerDialog

        if self.ledger_dialog is None:
            self.ledger_dialog = LedgerDialog(window.context, window)
        self.ledger_dialog.load()
        self.ledger_dialog.show()
        self.ledger_dialog.raise_()
        return self.ledger_dialog

    def show_help(self, window: MainWindow, topic: str = "") -> HelpWindow:
        """The guide (at ``topic``: ``contact``, the county IT team), made when first shown."""
        from launcher.ui.help_window import HelpWindow

        services = window.services
        support = services.county.support if services is not None else None
        if self.help_window is None:
            self.help_window = HelpWindow(support, window.language, window)
        self.help_window.set_support(support)
        if topic:
            self.help_window.show_topic(topic)
        self.help_window.show()
        self.help_window.raise_()
        self.help_window.activateWindow()
        return self.help_window

    def show_task_monitor(self, window: MainWindow) -> TaskMonitor:
        """The open pages, their state and memory, read every few seconds while shown."""
        from launcher.ui.task_monitor import TaskMonitor

        if self.task_monitor is None:
            self.task_monitor = TaskMonitor(
                window, pages=window.web_pages, workers=window.workers,
                lifecycle=lambda: window.page_tools.lifecycle if window.web_tabs() else None,
            )
        self.task_monitor.open_monitor()
        return self.task_monitor

    @staticmethod
    def _tray(window: MainWindow) -> TrayController:
        """The pending count and notifications; closing the window still quits (shared PCs)."""
        tray = TrayController(window, platform_name=window.context.platform_name)
        inbox = window.inbox_presenter
        if inbox.pending_count is not None:
            tray.set_count(inbox.pending_count)
        inbox.pending_changed.connect(tray.set_count)
        inbox.notices_due.connect(tray.notify)
        inbox.cleared.connect(tray.clear)
        app = QApplication.instance()
        if isinstance(app, QApplication):  # the desktop session ending closes the window too
            app.commitDataRequest.connect(window.session_ending)
        # Its notice link in the status bar may be cut on a narrow window (its tooltip names
        # every notice), never push the status labels off the edge; Tab reaches it like any
        # control, and Enter or Space opens the task it names (not QLabel's keyboard links,
        # which take a second Tab to leave the label).
        label = tray.notice_label
        label.setMinimumWidth(STATUS_LABEL_MIN_WIDTH)
        label.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        label.installEventFilter(LinkKeys(label))
        tray.add_actions([window.refresh_action, window.quit_action])
        tray.task_requested.connect(lambda notice: window.open_task(notice.group))
        tray.inbox_requested.connect(window.show_inbox_view)
        return tray

    def close(self) -> None:
        """The window closes: the tray icon goes, an open sign-in dialog is dismissed, the lock
        screen goes."""
        self.tray.close()
        self.announcements.close()
        self.office_lock.close()
        if self.session.dialog is not None:
            self.session.dialog.reject()
