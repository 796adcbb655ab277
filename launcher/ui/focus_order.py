"""Tab and Shift+Tab in reading order, and keys on link labels: the window's keyboard rules.

Qt's own focus order is the order widgets were made in (the tiles, made when the county opens,
came after everything else; web tabs after the status bar): the window goes round its controls in
reading order instead (``tab_stops``, ``move_focus``). Imported after the first frame (a key needs
a shown window); nothing here needs the ``Qt`` namespace before that.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QLabel, QWidget


def tab_stops(
    window: QWidget, first: list[QWidget], page: QWidget | None, status: QWidget
) -> list[QWidget]:
    """The controls Tab reaches, in order: ``first`` (the toolbar's buttons, the tiles, the
    sign-in-again bar, the tab bar), then the shown page's and the status bar's controls in
    Qt's chain (their own order)."""
    order = list(first)
    chain = focus_chain(window)
    if page is not None:
        order += [w for w in chain if page.isAncestorOf(w)]
    order += [w for w in chain if status.isAncestorOf(w)]
    stops = [w for w in order if takes_tab(w)]
    # A container of other stops is no stop itself (the profile form's scroll area).
    return [w for w in stops if not any(o is not w and w.isAncestorOf(o) for o in stops)]


def move_focus(order: list[QWidget], forward: bool) -> None:
    """Focus the next (previous) control of ``order`` after the focused one, round again."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    index = position(order, QApplication.focusWidget(), forward=forward)
    step = 1 if forward else -1
    if index is None:
        target = order[0] if forward else order[-1]
    else:
        target = order[(index + step) % len(order)]
    reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
    target.setFocus(reason)
    scroll_to(target)


class LinkKeys(QObject):
    """Enter, Return or Space on a focused link label activates its link, as a click does."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent

        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
        if (
            isinstance(watched, QLabel)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in keys
        ):
            watched.linkActivated.emit("")
            return True
        return False


def takes_tab(widget: QWidget) -> bool:
    """Whether Tab may stop at ``widget``: shown, enabled, taking focus by Tab, and not handing
    it to another widget (a compound widget's focus proxy is in the chain itself)."""
    from PySide6.QtCore import Qt

    return (
        widget.isVisible()
        and widget.isEnabled()
        and bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        and widget.focusProxy() is None
    )


def scroll_to(widget: QWidget) -> None:
    """Scroll every scroll area ``widget`` is in (the tiles, the profile form) to show it."""
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


def focus_chain(window: QWidget) -> list[QWidget]:
    """Every widget of ``window`` in Qt's focus chain, in its order."""
    chain: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window and len(chain) < 100_000:
        chain.append(widget)
        widget = widget.nextInFocusChain()
    return chain


def position(order: list[QWidget], current: QWidget | None, *, forward: bool) -> int | None:
    """Where ``current`` is in ``order``: itself, or the entry it is part of (a page's inner
    widget, a combo box's field). For a widget outside the order (a label that took the focus
    by a click), the entry just before it (Tab) or after it (Shift+Tab) in Qt's chain."""
    if current is None:
        return None
    if current in order:
        return order.index(current)
    for index, widget in enumerate(order):
        if widget.isAncestorOf(current):
            return index
    step = current
    for _ in range(100_000):
        following = step.previousInFocusChain() if forward else step.nextInFocusChain()
        if following is None or following is current:
            return None
        if following in order:
            return order.index(following)
        step = following
    return None
