"""``WorkersExecutor``: the window's worker threads as the application layer's ``Executor``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from launcher.ui.workers import Workers


class WorkersExecutor(QObject):
    """Runs a use case's work on ``Workers``; answers and ``post``ed calls come back on the GUI
    thread (a queued signal: this object lives there)."""

    _posted = Signal(object)

    def __init__(self, workers: Workers, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workers = workers
        self._posted.connect(lambda fn: fn())

    def submit(
        self,
        name: str,
        fn: Callable[[], Any],
        on_returned: Callable[[Any], None] | None = None,
        on_errored: Callable[[BaseException], None] | None = None,
    ) -> object:
        return self._workers.submit(name, fn, on_returned, on_errored)

    def post(self, fn: Callable[[], None]) -> None:
        self._posted.emit(fn)
