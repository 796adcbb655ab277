"""Background work for the GUI: run a callable on a thread pool and get its result back as signals.

Everything that touches the network, the disk or the keyring goes through here, so the GUI thread
never blocks. A callable that raises becomes an ``errored`` signal carrying the exception; the GUI
shows its message and carries on.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from launcher.core.errors import LauncherError

log = logging.getLogger(__name__)


class Job(QObject):
    """The GUI-thread handle of one piece of background work.

    The object lives in the GUI thread; the pool thread only emits its signals, which Qt therefore
    delivers queued, on the GUI thread.
    """

    returned = Signal(object)
    """The callable's return value."""
    errored = Signal(object)
    """The exception the callable raised."""
    finished = Signal()
    """Emitted after ``returned`` or ``errored``, always."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.result: Any = None
        self.error: BaseException | None = None
        self.done = False


class _Runnable(QRunnable):
    def __init__(self, job: Job, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._job = job
        self._fn = fn
        # The pool must not delete the runnable while Python still holds it.
        self.setAutoDelete(False)

    def run(self) -> None:
        job = self._job
        try:
            value = self._fn()
        except BaseException as exc:  # every failure must reach the GUI as a signal
            # A LauncherError (a broken county file, a platform down) is a message the GUI shows,
            # logged without a traceback; anything else is a bug and keeps its traceback.
            log.warning("background job %s failed: %s", job.name, exc,
                        exc_info=not isinstance(exc, LauncherError))
            job.errored.emit(exc)
        else:
            job.returned.emit(value)
        finally:
            job.finished.emit()


class Workers(QObject):
    """A small thread pool that keeps every running job alive until it has reported back."""

    busy_changed = Signal(bool)
    """True while at least one job runs; False when the last one has reported."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: dict[int, tuple[Job, _Runnable]] = {}
        self._ids = itertools.count()

    def submit(
        self,
        name: str,
        fn: Callable[[], Any],
        on_returned: Callable[[Any], None] | None = None,
        on_errored: Callable[[BaseException], None] | None = None,
    ) -> Job:
        """Run ``fn()`` on the pool; the callbacks run on the GUI thread afterwards."""
        job = Job(name, self)
        job_id = next(self._ids)
        runnable = _Runnable(job, fn)
        self._running[job_id] = (job, runnable)

        def returned(value: object) -> None:
            job.result = value
            if on_returned is not None:
                on_returned(value)

        def errored(exc: object) -> None:
            job.error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
            if on_errored is not None:
                on_errored(job.error)

        def finished() -> None:
            job.done = True
            self._running.pop(job_id, None)
            job.deleteLater()
            if not self._running:
                self.busy_changed.emit(False)

        # ``job`` lives in the GUI thread, so these connections are queued onto it.
        job.returned.connect(returned)
        job.errored.connect(errored)
        job.finished.connect(finished)
        if len(self._running) == 1:
            self.busy_changed.emit(True)
        self._pool.start(runnable)
        return job

    def busy(self) -> bool:
        return bool(self._running)

    @Slot()
    def wait_for_done(self, msecs: int = 30000) -> bool:
        """Block until the pool is idle (used on shutdown so no thread outlives the app)."""
        return self._pool.waitForDone(msecs)
