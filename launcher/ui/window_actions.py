"""The window's actions, its toolbar and its menus (what each action does is wired by the window).

Made with the first frame; the keyboard shortcuts come right after it (``set_shortcuts``): the
first frame does without QKeySequence and its enums. The words keep the window's translation
context (``MainWindow``).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QIcon
from PySide6.QtWidgets import QMainWindow, QToolBar

from launcher.ui import i18n
from launcher.ui.appearance import ViewMenu

translate = QCoreApplication.translate


class WindowActions:
    """Sign in and out, refresh, fill, the one table, search, close tab, saved passwords, quit,
    the languages, text size and contrast (``view``), loading problems and About; in
    ``window``'s toolbar and menus."""

    def __init__(self, window: QMainWindow, language: str) -> None:
        def action(text: str, icon: str = "") -> QAction:
            return QAction(QIcon.fromTheme(icon), text, window)

        self.login = action(translate("MainWindow", "Sign in"), "system-log-out")
        self.refresh = action(translate("MainWindow", "Refresh"))
        self.fill = action(translate("MainWindow", "Fill form"))
        self.fill.setToolTip(
            translate("MainWindow", "Fill this page from the one table (Alt+F)")
        )
        self.logout = action(translate("MainWindow", "Sign out"))
        self.search = action(translate("MainWindow", "Search tasks"))
        self.close_tab = action(translate("MainWindow", "Close tab"))
        self.about = action(translate("MainWindow", "About"))
        self.problems = action(translate("MainWindow", "Loading problems…"))
        self.problems.setEnabled(False)
        self.quit = action(translate("MainWindow", "Quit"))
        self.vault = action(translate("MainWindow", "Saved passwords…"))
        self.table = action(translate("MainWindow", "One table"))
        self.table.setToolTip(
            translate("MainWindow", "Your details, households, residents, places and records")
        )
        # Brings the 一张表 tab forward (the window's profile page), whatever tab is shown.
        self.table.triggered.connect(lambda _=False: show_table(window))

        self.language_group = QActionGroup(window)
        self.languages: dict[str, QAction] = {}
        for code, label in ((i18n.CHINESE, "中文"), (i18n.ENGLISH, "English")):
            act = QAction(label, self.language_group)
            act.setCheckable(True)
            act.setChecked(code == language)
            self.languages[code] = act

        toolbar = self.toolbar = QToolBar(translate("MainWindow", "Main toolbar"), window)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)  # its buttons show text only: style.qss sets toolButtonStyle
        on_toolbar = (self.login, self.refresh, self.fill, self.logout)
        for act in on_toolbar:
            toolbar.addAction(act)
        window.addToolBar(toolbar)
        for act in on_toolbar:
            button = toolbar.widgetForAction(act)
            if button is not None:
                button.setAccessibleName(act.text())

        menu = window.menuBar()
        account = menu.addMenu(translate("MainWindow", "&Account"))
        for act in (self.login, self.logout):
            account.addAction(act)
        account.addSeparator()
        account.addAction(self.vault)
        account.addSeparator()
        account.addAction(self.quit)
        work = self.work_menu = menu.addMenu(translate("MainWindow", "&Work"))
        for act in (self.refresh, self.search, self.fill, self.table, self.close_tab):
            work.addAction(act)
        languages = menu.addMenu(translate("MainWindow", "&Language"))
        for act in self.languages.values():
            languages.addAction(act)
        # 视图: larger text and high contrast, applied at once (launcher/ui/appearance.py).
        self.view = ViewMenu(window, menu.addMenu(translate("MainWindow", "&View")))
        # 帮助: 使用指南 (F1) and 联系县信息化团队 are put before these after the first frame
        # (window_parts.py).
        help_menu = self.help_menu = menu.addMenu(translate("MainWindow", "&Help"))
        help_menu.addAction(self.problems)
        help_menu.addAction(self.about)

    def set_shortcuts(self) -> None:
        """The keyboard shortcuts, set right after the first frame (keys reach a window only once
        it is shown)."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeySequence

        self.refresh.setShortcut(QKeySequence("F5"))
        self.search.setShortcut(QKeySequence("Ctrl+F"))
        self.close_tab.setShortcut(QKeySequence("Ctrl+W"))
        self.quit.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        # Alt+F: no menu's mnemonic, no editing key of a page or a field, and not Ctrl+Shift+F,
        # which the Chinese input methods (Microsoft Pinyin, Sogou) take for simplified and
        # traditional characters.
        self.fill.setShortcut(QKeySequence("Alt+F"))
        # The toolbar's buttons are reached by Tab (not by a click: that would take the keyboard
        # from the field or page being worked on).
        for act in self.toolbar.actions():
            button = self.toolbar.widgetForAction(act)
            if button is not None:
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)


def show_table(window: QMainWindow) -> None:
    """The 一张表 tab (the window's profile page) in front, its first field focused."""
    tabs, page = getattr(window, "tabs", None), getattr(window, "profile_page", None)
    if tabs is None or page is None:
        return
    tabs.setCurrentWidget(page)
    page.setFocus()
