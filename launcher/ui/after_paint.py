"""Run something right after a widget's next paint, so that work which can wait does not come
between a change and its appearing on screen (a zero timer is not enough: a widget newly shown
is laid out and painted over several turns of the event loop, and timers run in between)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, callback: Callable[[], None], wait_ms: int) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        # A window that is covered or minimized may not paint for long: not waited for forever.
        QTimer.singleShot(wait_ms, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            QTimer.singleShot(0, self, self._run)  # after this paint, not inside it
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        if callback is None:
            return
        self._widget.removeEventFilter(self)
        self.deleteLater()
        callback()


def after_next_paint(widget: QWidget, callback: Callable[[], None], wait_ms: int = 500) -> None:
    """``callback()`` once, right after ``widget``'s next paint, or after ``wait_ms`` should it
    not paint by then; at once (on the next turn of the event loop) when it is not visible."""
    if not widget.isVisible():
        QTimer.singleShot(0, callback)
        return
    _AfterPaint(widget, callback, wait_ms)
