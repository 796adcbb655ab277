"""Starting the GUI: QApplication, translations, style and main window; the screenshot run."""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from launcher import __version__
from launcher.core import paths

# Qt is imported by the functions below, not here: open_window sets the process's garbage
# collector thresholds (START_GC_THRESHOLDS) first, so that importing PySide6 and the window's modules,
# which make most of the objects start-up leaves behind, is not interrupted by collections.
#
# QtWebEngine is not imported here either: loading it costs start-up time and memory, and a user
# who only reads the inbox never needs it. It is imported when the first page opens
# (launcher/ui/web.py, login.py), which is allowed after the QApplication exists because
# ensure_application sets AA_ShareOpenGLContexts before creating it (the one thing an early import
# would have done).
if TYPE_CHECKING:
    from PySide6.QtGui import QIcon, QPalette
    from PySide6.QtWidgets import QApplication

    from launcher.core.demo import Demo
    from launcher.ui.main_window import MainWindow

log = logging.getLogger(__name__)

START_GC_THRESHOLDS = (200_000, 20, 20)
"""The cyclic garbage collector's thresholds in the window's process while it starts, set before
Qt is imported. Start-up makes a great many objects that live as long as the process (modules,
classes, Qt wrappers, then the cached tasks, some 40,000 of them from the start snapshot) and no
garbage worth collecting; with Python's defaults (700, 10, 10) the collector scanned them over
and over, about 100 ms of the time until 10,000 cached tasks were on screen
(benchmarks/startup.py), with (20,000, 20, 20) about 20 ms, with these none."""

GC_THRESHOLDS = (20_000, 20, 20)
"""The thresholds once the county is open (``settle_collector``): a collection of the youngest
objects then scans at most 20,000, a pause of a few milliseconds."""


def settle_collector() -> None:
    """The window has started: the collector's thresholds of the rest of the run."""
    if gc.get_threshold() == START_GC_THRESHOLDS:
        gc.set_threshold(*GC_THRESHOLDS)

BODY_POINT_SIZE = 12
"""Body text size: the users include older staff, so never below 11 pt."""

TEXT_COLOUR = "#1a1a1a"
"""The colour of text everywhere, unless the style sheet gives a widget its own: in the application
palette rather than in a style-sheet rule for every widget (``QWidget { color: ... }``), which
made Qt work out a style-sheet palette and font for each widget as it was made."""

PLACEHOLDER_COLOUR = "#646b75"
"""Placeholder text in input fields: lighter than typed text, still 5.4:1 on white (WCAG AA's
4.5:1; half of TEXT_COLOUR, as before, was 3.3:1). tests/unit/ui/test_contrast.py checks it."""


def app_icon() -> QIcon:
    from PySide6.QtGui import QIcon

    return QIcon(str(paths.resources_dir() / "icons" / "app.svg"))


def load_style_sheet() -> str:
    try:
        return (paths.resources_dir() / "style.qss").read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("style sheet not loaded: %s", exc)
        return ""


def set_text_colours(
    palette: QPalette, text_colour: str = TEXT_COLOUR, placeholder_colour: str = PLACEHOLDER_COLOUR
) -> None:
    """Give ``palette`` ``text_colour`` for text in every state, as a style sheet's ``color``
    gives it (so a disabled widget's text changes only where the style sheet says so), and
    ``placeholder_colour`` to the placeholder text of input fields."""
    from PySide6.QtGui import QColor, QPalette

    text = QColor(text_colour)
    placeholder = QColor(placeholder_colour)
    groups, roles = QPalette.ColorGroup, QPalette.ColorRole
    for group in (groups.Active, groups.Inactive, groups.Disabled):
        for role in (roles.WindowText, roles.Text, roles.ButtonText):
            palette.setColor(group, role, text)
        palette.setColor(group, roles.PlaceholderText, placeholder)


def ensure_application(language: str) -> QApplication:
    """The QApplication, created and set up once (tests may have created it already)."""
    from PySide6.QtWidgets import QApplication

    from launcher.ui.gl_sharing import share_opengl_contexts

    app = QApplication.instance()
    if app is None:
        # Chromium refuses to run as root without these; harmless otherwise.
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
        # QtWebEngine shares an OpenGL context with the widgets: with this set before the
        # QApplication exists, QtWebEngine may be loaded later, when the first page opens.
        share_opengl_contexts()
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    setup_application(app, language)
    return app


def setup_application(app: QApplication, language: str) -> None:
    from PySide6.QtGui import QFont

    from launcher.ui import appearance, i18n

    app.setApplicationName("yiduantong")
    app.setApplicationDisplayName("一端通" if language != i18n.ENGLISH else "Yiduantong")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("yiduantong")
    app.setWindowIcon(app_icon())
    font = QFont(app.font())
    font.setFamilies(["Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", *font.families()])
    app.setFont(font)
    # The body size, the text colours and the style sheet, with larger text or high contrast
    # when the person chose them (View menu).
    appearance.apply(app, appearance.saved(), load_style_sheet())
    # Set up twice (tests, a second run_gui), the old translators must go first.
    for old in getattr(app, "_launcher_translators", []):
        app.removeTranslator(old)
    # Keep a reference: a QTranslator that is garbage-collected silently stops translating.
    translators = i18n.install_translators(app, language)
    setattr(app, "_launcher_translators", translators)  # noqa: B010


RESTART_EXIT_CODE = 75
"""``app.exec()``'s code when the window closed to open again on a new county pack
(``MainWindow.restart_with``)."""


def run_gui(
    county_path: Path,
    *,
    screenshot: Path | None = None,
    lang: str | None = None,
    demo: Demo | None = None,
) -> int:
    """Show the launcher for ``county_path``; returns the exit code.

    With ``screenshot``: sign in as the demo's first user (``demo`` required for that), load the
    inbox, save a picture of the window to ``screenshot`` and exit (non-zero on failure, within
    about a minute whatever happens).
    """
    app, window = open_window(
        county_path, lang=lang, demo=demo, prompt_login=screenshot is None
    )
    if screenshot is not None:
        from launcher.ui.screenshot import ScreenshotRun

        run = ScreenshotRun(window, Path(screenshot), demo)
        window.show()
        app.exec()
        window.close()
        return run.exit_code
    window.show()
    code = app.exec()
    while code == RESTART_EXIT_CODE and window.next_county is not None:
        # A new county pack is in use (no page was open): a new window on it, same application.
        county_path = window.next_county
        window.deleteLater()
        app.setQuitOnLastWindowClosed(True)
        app, window = open_window(county_path, lang=lang, demo=demo, prompt_login=True)
        window.show()
        code = app.exec()
    return int(code)


def open_window(
    county_path: Path,
    *,
    lang: str | None = None,
    demo: Demo | None = None,
    prompt_login: bool = True,
) -> tuple[QApplication, MainWindow]:
    """The set-up QApplication and the main window for ``county_path``, not shown yet.

    This is the start path of ``run_gui`` (benchmarks/startup.py measures it up to the first
    paint). The window builds only what its first paint shows; once painted it opens the county on
    a worker thread and builds the rest (see ``MainWindow._start``).
    """
    gc.set_threshold(*START_GC_THRESHOLDS)  # before Qt is imported (see the imports above)
    from launcher.ui import i18n

    language = lang if lang in i18n.LANGUAGES else i18n.saved_language()
    app = ensure_application(language)

    from launcher.ui.main_window import MainWindow

    window = MainWindow(
        Path(county_path),
        loopback_only=demo is not None,
        language=language,
        prompt_login=prompt_login,
    )
    return app, window
