"""Larger text and high contrast (适老化): the saved choice, and applying it to the application.

The choice is kept in ``settings.ini`` beside the language (``i18n.settings``). At start
``app.setup_application`` applies it before the window is built (one small file read, and the style
sheet's text rewritten only when the text is larger); the View menu (``ViewMenu``) changes it while
the window is open: the application font (12 pt × the factor), the palette's text colours and the
style sheet (``resources/style.qss`` with every ``font-size`` scaled, then
``resources/style-contrast.qss`` on top for high contrast). Sizes the window measured from the old
font when it was built (the task table's row height is rescaled here; its column widths and a few
minimum widths are not) fit the new size fully at the next start, which the menu says.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QActionGroup

from launcher.core import paths
from launcher.ui import i18n

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QMainWindow, QMenu

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

TEXT_SIZES = (1.0, 1.25, 1.5)
"""正常, 1.25× and 1.5× the body text (and every size the style sheet gives)."""
CONTRAST_SHEET = "style-contrast.qss"
"""The high-contrast rules, read after style.qss (same selectors, stronger colours)."""
CONTRAST_TEXT = "#000000"
CONTRAST_PLACEHOLDER = "#4d4d4d"
_SIZE_KEY, _CONTRAST_KEY = "ui/text_size", "ui/high_contrast"
_FONT_SIZE = re.compile(r"(font-size:\s*)(\d+(?:\.\d+)?)pt")


class Appearance(NamedTuple):
    text_size: float = 1.0
    high_contrast: bool = False


def saved() -> Appearance:
    """The saved choice; the default for anything missing or unknown."""
    store = i18n.settings()
    try:
        size = float(str(store.value(_SIZE_KEY, 1.0)))
    except ValueError:
        size = 1.0
    contrast = str(store.value(_CONTRAST_KEY, "false")).lower() in ("true", "1")
    return Appearance(size if size in TEXT_SIZES else 1.0, contrast)


def save(appearance: Appearance) -> None:
    if appearance.text_size not in TEXT_SIZES:
        raise ValueError(f"unknown text size {appearance.text_size!r}")
    store = i18n.settings()
    store.setValue(_SIZE_KEY, appearance.text_size)
    store.setValue(_CONTRAST_KEY, appearance.high_contrast)
    store.sync()


def scale_font_sizes(sheet: str, factor: float) -> str:
    """``sheet`` with every ``font-size: N pt`` multiplied by ``factor`` (whole points)."""
    if factor == 1.0:
        return sheet
    return _FONT_SIZE.sub(lambda m: f"{m[1]}{round(float(m[2]) * factor)}pt", sheet)


def load_contrast_sheet() -> str:
    try:
        return (paths.resources_dir() / CONTRAST_SHEET).read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("high-contrast style sheet not loaded: %s", exc)
        return ""


def style_sheet(base: str, appearance: Appearance) -> str:
    """The application's style sheet for ``appearance``, from style.qss's text ``base``."""
    sheet = base
    if appearance.high_contrast:
        sheet = f"{sheet}\n{load_contrast_sheet()}"
    return scale_font_sizes(sheet, appearance.text_size)


def body_point_size(appearance: Appearance) -> int:
    from launcher.ui.app import BODY_POINT_SIZE

    return round(BODY_POINT_SIZE * appearance.text_size)


def apply(app: QApplication, appearance: Appearance, base_sheet: str) -> None:
    """Font, palette text colours and style sheet of ``app`` for ``appearance``."""
    from PySide6.QtGui import QFont

    from launcher.ui.app import PLACEHOLDER_COLOUR, TEXT_COLOUR, set_text_colours

    font = QFont(app.font())
    font.setPointSize(body_point_size(appearance))
    app.setFont(font)
    palette = app.palette()  # a copy
    if appearance.high_contrast:
        set_text_colours(palette, CONTRAST_TEXT, CONTRAST_PLACEHOLDER)
    else:
        set_text_colours(palette, TEXT_COLOUR, PLACEHOLDER_COLOUR)
    app.setPalette(palette)
    app.setStyleSheet(style_sheet(base_sheet, appearance))
    setattr(app, "_launcher_appearance", appearance)  # noqa: B010


def current(app: QApplication) -> Appearance:
    """What ``apply`` last gave ``app`` (the default before)."""
    found = getattr(app, "_launcher_appearance", None)
    return found if isinstance(found, Appearance) else Appearance()


def apply_live(app: QApplication, appearance: Appearance) -> None:
    """``apply`` to a running application, then give fixed-height table rows the new text's
    height (rows the views never measure: the task table's)."""
    from PySide6.QtWidgets import QHeaderView, QTableView

    from launcher.ui.app import load_style_sheet

    before = current(app)
    apply(app, appearance, load_style_sheet())
    ratio = appearance.text_size / before.text_size
    if ratio == 1.0:
        return
    for widget in app.allWidgets():
        if isinstance(widget, QTableView):
            rows = widget.verticalHeader()
            if rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed:
                rows.setDefaultSectionSize(round(rows.defaultSectionSize() * ratio))


class ViewMenu:
    """视图: text size (正常, 1.25×, 1.5×) and high contrast, applied at once and saved."""

    def __init__(self, window: QMainWindow, menu: QMenu) -> None:
        from PySide6.QtWidgets import QApplication

        self.window = window
        app = QApplication.instance()
        chosen = current(app) if isinstance(app, QApplication) else Appearance()
        self.size_group = QActionGroup(window)
        labels = (
            translate("Appearance", "&Normal text"),
            translate("Appearance", "&Larger text (1.25×)"),
            translate("Appearance", "L&argest text (1.5×)"),
        )
        self.sizes: dict[float, QAction] = {}
        for size, label in zip(TEXT_SIZES, labels, strict=True):
            act = QAction(label, self.size_group)
            act.setCheckable(True)
            act.setChecked(size == chosen.text_size)
            act.triggered.connect(lambda _=False, s=size: self.choose(text_size=s))
            menu.addAction(act)
            self.sizes[size] = act
        menu.addSeparator()
        self.contrast = QAction(translate("Appearance", "&High contrast"), window)
        self.contrast.setCheckable(True)
        self.contrast.setChecked(chosen.high_contrast)
        self.contrast.toggled.connect(lambda on: self.choose(high_contrast=on))
        menu.addAction(self.contrast)

    def choose(self, *, text_size: float | None = None, high_contrast: bool | None = None) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if not isinstance(app, QApplication):
            return
        before = current(app)
        after = before._replace(
            text_size=before.text_size if text_size is None else text_size,
            high_contrast=before.high_contrast if high_contrast is None else high_contrast,
        )
        if after == before:
            return
        apply_live(app, after)
        workers = getattr(self.window, "workers", None)
        if workers is not None and hasattr(workers, "submit"):
            workers.submit("save appearance", lambda: save(after))
        else:
            save(after)
        if after.text_size != before.text_size:
            note = translate(
                "Appearance",
                "Text size changed. The task list's columns fit it fully the next time the "
                "launcher starts.",
            )
        elif after.high_contrast:
            note = translate("Appearance", "High contrast is on.")
        else:
            note = translate("Appearance", "High contrast is off.")
        bar = self.window.statusBar()
        show = getattr(bar, "show_status", None)
        if callable(show):
            show(note)
        else:
            bar.showMessage(note)
