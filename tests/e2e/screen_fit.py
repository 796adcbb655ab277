"""The launcher on a simulated screen: a fresh process (``run_fresh``) whose Qt draws on an offscreen
screen of a given size, at a given scaling, as Windows does at 125 %, 150 % or 200 %.

QT_SCALE_FACTOR is read once, when the QApplication is made, hence a process per scale: at 1.5 a
1366×768 screen is 911×512 logical pixels, the room every widget has. The screen's size comes from
the offscreen platform's configuration file (``offscreen_platform``), less Windows' task bar (48
logical pixels at any scaling, at the bottom): what Windows reports as the screen's free area
(``availableGeometry``), which the offscreen platform cannot be told. A maximised window also
loses its title bar (31 px) to it.

``main_window_child`` signs the demo user in (the scripted sign-in: no Chromium), fits the window
to the free area, and reports, for each control a user needs, whether it is shown whole inside the
window; ``login_dialogs_child`` does the same for the sign-in dialogs. Both print one line
``RESULT {json}`` (see tests/fresh_process.py); ``tools/screens.py`` uses the first for the
screenshots in docs/screens/.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TASK_BAR = 48
"""Windows 11's task bar, in logical pixels at every scaling."""
TITLE_BAR = 31
"""A window's title bar and border, in logical pixels."""
TIMEOUT_S = 90


def offscreen_platform(directory: Path, width: int, height: int) -> str:
    """A QT_QPA_PLATFORM value for an offscreen screen of ``width``×``height`` physical pixels."""
    config = directory / f"screen-{width}x{height}.json"
    screen = {"name": "office", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


def screen_env(directory: Path, width: int, height: int, scale: float) -> dict[str, str]:
    """The environment of a child process on a ``width``×``height`` screen (physical pixels) at
    that scaling, its task bar taken off."""
    free_height = height - round(TASK_BAR * scale)
    return {
        "QT_QPA_PLATFORM": offscreen_platform(directory, width, free_height),
        "QT_SCALE_FACTOR": str(scale),
        "QT_ENABLE_HIGHDPI_SCALING": "1",
    }


def report(**values: Any) -> None:
    print("RESULT " + json.dumps(values), flush=True)


def wait(app: Any, done: Callable[[], bool], what: str, timeout: float = TIMEOUT_S) -> None:
    """Run the event loop until ``done()`` (an error naming ``what`` after ``timeout`` s)."""
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.005)


def settle(app: Any, seconds: float = 0.3) -> None:
    """Let layouts, deferred resizes and paints happen."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def free_area(app: Any) -> Any:
    """The screen's free area (logical pixels): all of it but the task bar."""
    return app.primaryScreen().availableGeometry()


def shown_whole(widget: Any, window: Any) -> dict[str, Any]:
    """Whether ``widget`` is shown, whole: inside its window, nothing of it cut off by a parent
    (a scroll area's viewport, a layout that ran out of room) and painted somewhere; with its
    rectangle in the window's coordinates."""
    from PySide6.QtCore import QPoint, QRect

    def in_window(w: Any) -> QRect:
        return QRect(w.mapTo(window, QPoint(0, 0)), w.size())

    rect = in_window(widget)
    parents = []
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        parents.append(parent)
        parent = parent.parentWidget()
    return {
        "visible": bool(widget.isVisible()) and not widget.visibleRegion().isEmpty(),
        "inside": window.rect().contains(rect),
        "unclipped": all(in_window(p).contains(rect) for p in parents),
        "rect": [rect.x(), rect.y(), rect.width(), rect.height()],
    }


def columns_on_screen(table: Any, columns: dict[str, int]) -> dict[str, Any]:
    """For each named column: shown and wholly inside the table's viewport, and its width."""
    header = table.horizontalHeader()
    width = table.viewport().width()
    found: dict[str, Any] = {}
    for name, column in columns.items():
        left = header.sectionViewportPosition(column)
        size = header.sectionSize(column)
        found[name] = {
            "shown": not table.isColumnHidden(column),
            "inside": left >= 0 and left + size <= width,
            "width": size,
        }
    found["horizontal_scroll_bar"] = bool(table.horizontalScrollBar().isVisible())
    return found


LOOKS = {"": (1.0, False), "text-150": (1.5, False), "contrast": (1.0, True)}
"""The appearances a screen is checked in (视图 menu): as installed, the largest text, high
contrast; saved in the child's LAUNCHER_HOME before the application starts, as a person's choice
is."""


def main_window_child(
    county: str, screenshot: str, language: str = "zh_CN", look: str = ""
) -> None:
    """Open ``county`` signed in as the demo user, fit the window to the free area, report.
    ``look``: one of ``LOOKS``."""
    from launcher.ui import appearance
    from launcher.ui.app import ensure_application

    appearance.save(appearance.Appearance(*LOOKS[look]))
    app = ensure_application(language)
    from launcher.core.secrets import SecretStore
    from launcher.ui.inbox_index import VIEWS
    from launcher.ui.inbox_model import InboxModel
    from launcher.ui.main_window import MainWindow
    from tests.e2e.signin import scripted_login

    area = free_area(app)
    window = MainWindow(Path(county), loopback_only=True, language=language)
    first_size = window.size()
    window.show()
    refreshed: list[bool] = []
    window.services_ready.connect(lambda _services: window.sign_in_with(scripted_login))
    window.refresh_finished.connect(refreshed.append)
    window.load_failed.connect(lambda text: report(error=f"county: {text}"))
    try:
        wait(app, lambda: bool(refreshed) and window.inbox_model.rowCount() > 0, "the inbox")
        profile = window.profile_view
        wait(app, lambda: bool(profile.editors), "the profile form")
        # Maximised: the whole free area but the title bar.
        window.setGeometry(area.x(), area.y() + TITLE_BAR, area.width(), area.height() - TITLE_BAR)
        settle(app)
        inbox = window.inbox
        table = inbox.table
        controls: dict[str, Any] = {
            "search": inbox.search,
            "mark_done": inbox.mark_done_button,
            "submit_to_many": inbox.submit_button,
            "platform_filter": inbox.platform_combo,
            "details": inbox.states.toggle,
            "table": table,
            "status_bar": window.statusBar(),
            "user_label": window.user_label,
            "refresh_label": window.refresh_label,
            "tile_panel": window.tiles,
        }
        controls.update({f"view:{view}": inbox.view_buttons[view] for view in VIEWS})
        tiles = list(window.tiles.tiles.values())
        controls["first_tile"] = tiles[0]
        found = {name: shown_whole(widget, window) for name, widget in controls.items()}
        from PySide6.QtWidgets import QLabel

        viewport = window.tiles.viewport()
        tile_info = [
            {
                "name": tile.info.name,
                "compact": getattr(tile, "compact", False),
                "fits_across": tile.width() <= viewport.width()
                and tile.mapTo(viewport, tile.rect().topLeft()).x() >= 0,
                "tooltip": tile.toolTip(),
                "accessible": tile.accessibleName(),
                # Each line of text as tall as its font's em at least (no line drawn over the
                # next, as larger text did before tiles grew with it).
                "lines": [
                    [line.height(), line.font().pointSizeF() * line.logicalDpiY() / 72]
                    for line in tile.findChildren(QLabel)
                    if line.isVisible() and line.objectName() != "tileBadge" and line.text()
                ],
            }
            for tile in tiles
        ]
        columns = columns_on_screen(
            table,
            {
                "platforms": InboxModel.PLATFORMS,
                "title": InboxModel.TITLE,
                "subject": InboxModel.SUBJECT,
                "due": InboxModel.DUE,
                "status": InboxModel.STATUS,
            },
        )
        pixmap = window.grab()
        saved = bool(screenshot) and pixmap.save(screenshot, "PNG")
        window.tabs.setCurrentWidget(window.profile_page)
        settle(app)
        found["profile_save"] = shown_whole(profile.save_button, window)
        if screenshot:  # the profile tab beside it, for a look
            window.grab().save(screenshot.replace(".png", "-profile.png"), "PNG")
        found["profile_undo"] = shown_whole(profile.revert_button, window)
        window.tabs.setCurrentWidget(inbox)
        settle(app, 0.05)
        minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
        report(
            free_area=[area.width(), area.height()],
            first_size=[first_size.width(), first_size.height()],
            window=[window.width(), window.height()],
            minimum=[minimum.width(), minimum.height()],
            controls=found,
            tiles=tile_info,
            tiles_compact=getattr(window.tiles, "compact", False),
            columns=columns,
            screenshot=saved,
            pixmap=[pixmap.width(), pixmap.height()],
            font_points=app.font().pointSize(),
            appearance=list(appearance.current(app)),
        )
    except Exception as exc:  # the parent test shows it
        report(error=f"{type(exc).__name__}: {exc}")
    finally:
        services = window.services
        window.close()
        if services is not None:
            SecretStore(f"county/{services.county.id}").delete_matching("")
        sys.stdout.flush()
        os._exit(0)


def login_dialogs_child(language: str = "zh_CN") -> None:
    """The three sign-in dialogs, each with its error showing: do they fit the free area, and are
    their buttons shown whole?"""
    import PySide6.QtWebEngineWidgets  # noqa: F401 - before the QApplication

    from launcher.ui.app import ensure_application

    app = ensure_application(language)
    from PySide6.QtWebEngineCore import QWebEngineProfile

    from launcher.core.auth.device import DeviceFlow
    from launcher.ui.login import LoginDialog
    from launcher.ui.login_modes import BrowserLoginDialog, DeviceLoginDialog

    area = free_area(app)
    result: dict[str, Any] = {"free_area": [area.width(), area.height()]}
    error = "无法连接统一身份认证服务。请检查网络连接，稍后点“重试”；仍不行请联系县里的信息化人员。"
    try:
        profile = QWebEngineProfile()  # off the record
        embedded = LoginDialog(profile, "about:blank", "http://127.0.0.1/callback")
        browser = BrowserLoginDialog()
        browser.set_url("http://127.0.0.1:9000/authorize?" + "x" * 600)
        device = DeviceLoginDialog()
        flow = DeviceFlow(
            device_code="d",
            user_code="WDJB-MJHT",
            verification_uri="http://127.0.0.1:9000/device",
            verification_uri_complete="http://127.0.0.1:9000/device?user_code=WDJB-MJHT",
            interval=5.0,
            expires_at=time.time() + 600,
        )
        device.set_flow(flow)
        dialogs = {"embedded": embedded, "browser": browser, "device": device}
        for name, dialog in dialogs.items():
            dialog.show()
            settle(app, 0.2)
            entry: dict[str, Any] = {
                "size": [dialog.width(), dialog.height()],
                "fits": dialog.width() <= area.width()
                and dialog.height() + TITLE_BAR <= area.height(),
            }
            dialog.show_error(error)
            settle(app, 0.2)
            buttons = {"retry": dialog.retry_button}
            from PySide6.QtWidgets import QDialogButtonBox

            box = dialog.findChild(QDialogButtonBox)
            assert box is not None
            cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
            buttons["cancel"] = cancel
            entry["buttons"] = {key: shown_whole(b, dialog) for key, b in buttons.items()}
            minimum = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
            entry["minimum"] = [minimum.width(), minimum.height()]
            result[name] = entry
            dialog.reject()
            settle(app, 0.05)
        embedded.deleteLater()
        settle(app, 0.1)
        report(**result)
    except Exception as exc:  # the parent test shows it
        report(error=f"{type(exc).__name__}: {exc}")
    finally:
        sys.stdout.flush()
        os._exit(0)
