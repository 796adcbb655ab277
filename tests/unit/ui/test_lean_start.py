"""The window is painted before the county opens and before what its first frame does not show
(sign-in, vault, Fill, mark-done, the profile form, the tray, the task table, the platform state
line, the worker threads, the keyboard shortcuts) is imported or built, nor PySide6's ``Qt``
namespace (launcher/ui/gl_sharing.py); all of it comes right after, and a window that is never
shown still opens its county. The sign-in-again bar is made only
when a platform needs it.

The first check runs in a fresh process (the suite's own process has imported everything long
before), started the way `launcher --county FILE` starts the window (launcher.ui.app.open_window).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot

from launcher.core.inbox.service import PlatformState
from launcher.ui.banner import SignInBanner
from launcher.ui.inbox_index import ALL, OVERDUE, TODAY, WEEK
from launcher.ui.inbox_model import InboxModel
from launcher.ui.inbox_view import InboxView
from launcher.ui.main_window import MainWindow
from launcher.ui.platform_states import PlatformStatePanel
from launcher.ui.task_table import TaskTable
from tests.demo_plugins import PLUGIN_DIRS
from tests.fresh_process import run_fresh

LATER = (
    "launcher.ui.session",
    "launcher.ui.vault",
    "launcher.ui.fill",
    "launcher.ui.mark_done",
    "launcher.ui.profile_form",
    "launcher.ui.tray",
    "launcher.ui.task_table",
    "launcher.ui.workers",
    "launcher.ui.platform_states",
    "launcher.api",
    "launcher.app.services",  # imported by the worker that opens the county
    # The event mechanism and the use cases, made once the county opens (dataclasses, typing's
    # protocols: some 20 ms the first frame does without).
    "launcher.app.events",
    "launcher.app.refresh",
    "launcher.ui.executor",
    "launcher.ui.announcements",  # what a screen reader is told: made with the window's parts
)
ON_DEMAND = ("launcher.ui.banner", "launcher.ui.help_window", "launcher.ui.contact")
"""Imported only when needed (the sign-in-again bar: when a platform lost its sign-in; the
guide and the county IT team's contact: when the person asks for them)."""
MADE_LATER = ("TaskTable", "QTreeWidget", "PlatformStatePanel", "SignInBanner")
"""Widget classes the first frame does without (none of them would show in it)."""

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from pathlib import Path
    from launcher.ui.app import open_window
    from PySide6.QtCore import QEvent, QObject, QTimer

    LATER, ON_DEMAND, MADE_LATER = (arg.split(",") for arg in sys.argv[2:5])
    app, window = open_window(Path(sys.argv[1]), lang="zh_CN", prompt_login=False)
    seen = {}

    def made():
        from PySide6.QtWidgets import QWidget

        names = {w.metaObject().className() for w in window.findChildren(QWidget)}
        return sorted(names & set(MADE_LATER))

    def report(**values):
        print("RESULT " + json.dumps(values), flush=True)
        os._exit(0)

    def frame_painted():  # the window's widgets are painted too by then
        seen["painted"]["qt_namespace"] = "Qt" in vars(sys.modules["PySide6.QtCore"])

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if watched is window and event.type() == QEvent.Type.Paint and not seen:
                seen["painted"] = {
                    "loaded": [m for m in (*LATER, *ON_DEMAND) if m in sys.modules],
                    "made": made(),
                    "services": window.services is not None,
                    "shortcut": window.refresh_action.shortcut().toString(),
                }
                QTimer.singleShot(0, frame_painted)  # before the window's own _start
            return False

    def ready(services):
        made_by_then = made()
        profile = window.profile_view
        inbox = window.inbox
        report(painted=seen.get("painted"), loaded=[m for m in LATER if m in sys.modules],
               on_demand=[m for m in ON_DEMAND if m in sys.modules], made=made_by_then,
               table_in_stack=inbox.stack.indexOf(inbox.table) >= 0,
               empty_shown=inbox.stack.currentWidget() is inbox.empty,
               shortcuts=[a.shortcut().toString() for a in (
                   window.refresh_action, window.search_action, window.close_tab_action,
                   *inbox.view_actions.values(), inbox.mark_done_action)],
               tabs_closable=window.tabs.tabsClosable(),
               qt_namespace="Qt" in vars(sys.modules["PySide6.QtCore"]),
               profile_in_tab=window.tabs.widget(1).isAncestorOf(profile),
               tray_count_title=window.tray.count)

    probe = FirstPaint()
    window.installEventFilter(probe)
    window.services_ready.connect(ready)
    window.load_failed.connect(lambda text: report(error=text))
    QTimer.singleShot(60_000, lambda: report(error="timed out"))
    window.show()
    app.exec()
    """
)


def county_file(directory: Path) -> Path:
    county = directory / "county.toml"
    county.write_text(
        PLUGIN_DIRS + '[county]\nid = "lean-start"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:9"\n'
        '[[platforms]]\nplugin = "demo.anquan"\nbase_url = "http://127.0.0.1:9"\n',
        encoding="utf-8",
    )
    return county


def opened_window(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, loopback_only: bool = False
) -> MainWindow:
    """A window (not shown) whose county has opened, with its home under ``tmp_path``."""
    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    window = MainWindow(county_file(tmp_path), loopback_only=loopback_only)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.services_ready, timeout=20_000):
        pass
    return window


def test_the_first_frame_comes_before_the_county_and_the_rest(tmp_path: Path) -> None:
    result = run_fresh(
        CHILD,
        str(county_file(tmp_path)),
        *(",".join(names) for names in (LATER, ON_DEMAND, MADE_LATER)),
        env={"LAUNCHER_HOME": str(tmp_path / "home")},
    )

    assert result["painted"] == {
        "loaded": [],
        "made": [],
        "services": False,
        "shortcut": "",
        "qt_namespace": False,
    }, "imported, made or opened before the first paint"
    assert result["qt_namespace"] is True  # after it, as soon as the rest is built
    assert result["loaded"] == list(LATER)
    # Right after it: the task table (not shown: nobody is signed in, the empty-state text is)
    # and the shortcuts; the state line and the sign-in-again bar only when there is something
    # to show.
    assert result["made"] == ["TaskTable"]
    assert result["table_in_stack"] is True and result["empty_shown"] is True
    assert result["shortcuts"] == ["F5", "Ctrl+F", "Ctrl+W", "Ctrl+1", "Ctrl+2", "Ctrl+3",
                                   "Ctrl+4", "Ctrl+D"]
    assert result["on_demand"] == []
    assert result["tabs_closable"] is False  # no web tab yet: nothing may be closed
    assert result["profile_in_tab"] is True
    assert result["tray_count_title"] is None  # nobody signed in: no count


def test_a_window_never_shown_still_opens_its_county(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = opened_window(qtbot, tmp_path, monkeypatch)
    assert not window.isVisible()
    assert window.services is not None
    page = window.tabs.widget(1)
    assert page is not None and page.isAncestorOf(window.profile_view)
    assert window.login_action.isEnabled()  # nobody signed in: 登录 is offered


def test_the_sign_in_again_bar_is_made_above_the_tabs_when_first_needed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = opened_window(qtbot, tmp_path, monkeypatch)
    assert window.findChild(SignInBanner) is None  # nobody needs it: not made
    banner = window.banner
    assert window.banner is banner and window.findChildren(SignInBanner) == [banner]
    work_area = window.tabs.parentWidget()
    column = work_area.layout() if work_area is not None else None
    assert column is not None
    assert column.indexOf(banner) == 0 and column.indexOf(window.tabs) == 1
    assert banner.isHidden()
    order = [window.tiles, banner.button, window.tabs]  # Tab reaches it between them
    assert chain_from(window.tiles, order) == order


def chain_from(first: QWidget, wanted: list[QWidget]) -> list[QWidget]:
    """The widgets of ``wanted`` in the order Tab reaches them, starting at ``first``."""
    walked: list[QWidget] = []
    widget: QWidget | None = first
    for _ in range(300):
        if widget is None:
            break
        if widget in wanted and widget not in walked:
            walked.append(widget)
        widget = widget.nextInFocusChain()
    return walked


def test_the_inbox_makes_its_table_and_state_line_when_first_needed(qtbot: QtBot) -> None:
    view = InboxView(InboxModel())
    qtbot.addWidget(view)
    assert view.findChildren(TaskTable) == []
    assert view.findChild(PlatformStatePanel) is None
    assert view.stack.currentWidget() is view.empty
    assert view.view_actions[ALL].shortcut().isEmpty()
    view.show_states({}, str)  # no state to show: still nothing made
    assert view.findChild(PlatformStatePanel) is None

    view.finish()
    table = view.table
    view.finish()  # again: nothing more
    assert view.table is table and view.findChildren(TaskTable) == [table]
    assert view.stack.currentWidget() is view.empty  # made, not shown: there is no task
    assert [view.view_actions[v].shortcut().toString() for v in (ALL, TODAY, WEEK, OVERDUE)] == [
        "Ctrl+1",
        "Ctrl+2",
        "Ctrl+3",
        "Ctrl+4",
    ]
    assert view.mark_done_action.shortcut().toString() == "Ctrl+D"
    in_view = Qt.ShortcutContext.WidgetWithChildrenShortcut
    assert all(a.shortcutContext() == in_view for a in view.actions())
    clicked = [*view.view_buttons.values(), view.mark_done_button]
    assert all(b.focusPolicy() == Qt.FocusPolicy.StrongFocus for b in clicked)
    first = view.view_buttons[ALL]
    order = [view.search, view.mark_done_button, table]
    assert chain_from(first, order) == order

    view.show_states({"a": PlatformState("a", "current", None, "", None, 2)}, str)
    panel = view.states
    assert view.findChildren(PlatformStatePanel) == [panel] and not panel.isHidden()
    layout = view.layout()
    assert layout is not None
    assert layout.indexOf(panel) == 1 and layout.indexOf(view.stack) == 2  # between bar and stack
    order = [view.mark_done_button, panel.toggle, table]
    assert chain_from(first, order) == order
    assert panel.findChild(QTreeWidget) is None  # the details list: when first shown
    panel.toggle.click()
    assert panel.rows() == [("a", "Up to date", "", "—", "2")]
    order = [panel.toggle, panel.details, table]
    assert chain_from(first, order) == order


@pytest.mark.webengine
def test_only_web_tabs_can_be_closed(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = opened_window(qtbot, tmp_path, monkeypatch, loopback_only=True)
    bar = window.tabs.tabBar()
    assert not window.tabs.tabsClosable()
    with qtbot.waitSignal(window.web_tab_opened, timeout=10_000) as opened:
        window.open_web("about:blank", "Blank")
    tab = opened.args[0]
    # Loaded before it closes: Chromium's GPU thread, started with this process's first page, logs
    # while it starts; a Qt message from that thread while pytest-qt swaps its message handler at
    # teardown can crash PySide6 (its handler is called as it is being replaced).
    qtbot.waitUntil(lambda: tab.view.page().isLoading() is False and tab.url() != "", timeout=10_000)
    qtbot.wait(1000)
    index = window.tabs.indexOf(tab)
    assert window.tabs.tabsClosable() and index == 2
    side = QTabBar.ButtonPosition.RightSide
    assert bar.tabButton(0, side) is None and bar.tabButton(1, side) is None  # inbox, profile
    assert bar.tabButton(index, side) is not None
    window.close_web_tabs()
    assert window.tabs.count() == 2
    qtbot.waitUntil(lambda: not shiboken6.isValid(tab))  # gone before the profile is released
