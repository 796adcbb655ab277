"""``PageFill``: scan a tab's form page and fill it with the page engine (contract C3), without
ever blocking the GUI thread: each step is one ``runJavaScript`` call in the launcher's isolated
world, and the fill's progress is polled with a QTimer."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QTimer

from launcher.core.profile.page_script import (
    fill_script,
    parse_poll,
    parse_scan,
    poll_script,
    scan_script,
)

RESCAN_MS = 300
POLL_MS = 150
ANSWER_GRACE_MS = 5000


class ScriptTab(Protocol):
    def url(self) -> str: ...

    def run_js(
        self, script: str, callback: Callable[[Any], None], *, isolated: bool = False
    ) -> None: ...


ScanDone = Callable[[dict[str, Any] | None], None]
FillDone = Callable[[dict[str, Any] | None], None]


class PageFill(QObject):
    """Scans and fills one tab. One operation at a time: a new ``scan`` or ``fill`` (or
    ``cancel``) ends the one before, whose callback is then never called."""

    def __init__(self, tab: ScriptTab, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tab = tab
        self._generation = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._next: Callable[[], None] | None = None
        self._timer.timeout.connect(self._tick)
        # The last word: a page that never answers (closed, crashed, hung) still ends the call.
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._on_deadline: Callable[[], None] | None = None
        self._deadline.timeout.connect(self._deadline_passed)

    def _current(self, generation: int) -> bool:
        """The call of ``generation`` is still the one running (and this object still alive: a
        page may answer after its owner deleted it)."""
        return shiboken6.isValid(self) and generation == self._generation

    def cancel(self) -> None:
        self._generation += 1
        self._timer.stop()
        self._deadline.stop()
        self._next = None
        self._on_deadline = None

    def _watch(self, ms: int, fn: Callable[[], None]) -> None:
        self._on_deadline = fn
        self._deadline.start(ms)

    def _deadline_passed(self) -> None:
        fn, self._on_deadline = self._on_deadline, None
        if fn is not None:
            fn()

    def _later(self, ms: int, fn: Callable[[], None]) -> None:
        self._next = fn
        self._timer.start(ms)

    def _tick(self) -> None:
        fn, self._next = self._next, None
        if fn is not None:
            fn()

    # --- scan ---------------------------------------------------------------------------------

    def scan(
        self,
        origin: str,
        on_done: ScanDone,
        wait_ms: int = 8000,
        selectors: Sequence[str] = (),
    ) -> None:
        """Scan the page; ``on_done(scan)`` with the checked scan dict (see
        ``page_script.parse_scan``), or None when the page gave no answer. A page with no field
        yet (a single-page app still rendering) is scanned again until ``wait_ms`` has passed.
        ``selectors``: a manifest's mapped selectors, resolved to refs in ``scan["mapped"]``."""
        self.cancel()
        generation = self._generation
        deadline = time.monotonic() + wait_ms / 1000
        script = scan_script(origin, selectors)

        def attempt() -> None:
            self._tab.run_js(script, answered, isolated=True)

        last: list[dict[str, Any] | None] = [None]

        def done(scan: dict[str, Any] | None) -> None:
            self.cancel()
            on_done(scan)

        def answered(answer: Any) -> None:
            if not self._current(generation):
                return
            scan = parse_scan(answer)
            last[0] = scan if scan is not None else last[0]
            if (scan is not None and (scan["fields"] or scan["refused"])) or (
                    time.monotonic() >= deadline):
                done(scan)
                return
            self._later(RESCAN_MS, attempt)

        # A page that stops answering: what the last answer said, after a grace period.
        self._watch(wait_ms + ANSWER_GRACE_MS, lambda: done(last[0]))
        attempt()

    # --- fill ---------------------------------------------------------------------------------

    def fill(
        self,
        origin: str,
        fields: list[Mapping[str, Any]],
        on_done: FillDone,
        timeout_ms: int = 20000,
    ) -> None:
        """Fill ``fields`` (C3 field dicts); ``on_done({"done", "results": {ref: code},
        "refused"})`` once the page has finished, with every ref given a code: ``"timeout"``
        for those the page did not finish in ``timeout_ms``, ``"frame"`` for all when the page
        refused (another origin) or went away. ``on_done(None)`` when the page never answered."""
        self.cancel()
        generation = self._generation
        token = secrets.token_hex(8)
        refs = [str(f.get("ref", "")) for f in fields]
        deadline = time.monotonic() + timeout_ms / 1000

        def finish(answer: dict[str, Any] | None) -> None:
            self.cancel()
            on_done(answer)

        def complete(results: dict[str, str], refused: str, missing_code: str) -> dict[str, Any]:
            full = {ref: results.get(ref, missing_code) for ref in refs}
            return {"done": True, "results": full, "refused": refused}

        def started(answer: Any) -> None:
            if not self._current(generation):
                return
            data = _decode_dict(answer)
            if data is None or data.get("started") != token:
                finish(None)
                return
            refused = str(data.get("refused", "") or "")
            if refused:
                finish(complete({}, refused, "frame"))
                return
            self._later(POLL_MS, poll)

        def poll() -> None:
            self._tab.run_js(poll_script(token), polled, isolated=True)

        def polled(answer: Any) -> None:
            if not self._current(generation):
                return
            result = parse_poll(answer)
            if result is not None:
                code = "frame" if result["refused"] else "timeout"
                finish(complete(result["results"], result["refused"], code))
            elif time.monotonic() >= deadline:
                finish(complete({}, "", "timeout"))
            else:
                self._later(POLL_MS, poll)

        self._watch(timeout_ms + ANSWER_GRACE_MS, lambda: finish(complete({}, "", "timeout")))
        self._tab.run_js(fill_script(origin, fields, token), started, isolated=True)


def _decode_dict(answer: Any) -> dict[str, Any] | None:
    if isinstance(answer, str):
        try:
            answer = json.loads(answer)
        except ValueError:
            return None
    return answer if isinstance(answer, dict) else None
