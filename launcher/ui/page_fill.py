"""``PageFill``: scan a tab's form page and fill it with the page engine (contract C3), without
ever blocking the GUI thread: each step is one ``runJavaScript`` call in the launcher's isolated
world, and the fill's progress is polled with a QTimer."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

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

    def cancel(self) -> None:
        self._generation += 1
        self._timer.stop()
        self._next = None

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

        def answered(answer: Any) -> None:
            if generation != self._generation:
                return
            scan = parse_scan(answer)
            if (scan is not None and (scan["fields"] or scan["refused"])) or (
                    time.monotonic() >= deadline):
                self._generation += 1
                on_done(scan)
                return
            self._later(RESCAN_MS, attempt)

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
            self._generation += 1
            self._timer.stop()
            on_done(answer)

        def complete(results: dict[str, str], refused: str, missing_code: str) -> dict[str, Any]:
            full = {ref: results.get(ref, missing_code) for ref in refs}
            return {"done": True, "results": full, "refused": refused}

        def started(answer: Any) -> None:
            if generation != self._generation:
                return
            data = parse_scan_like(answer)
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
            if generation != self._generation:
                return
            result = parse_poll(answer)
            if result is not None:
                code = "frame" if result["refused"] else "timeout"
                finish(complete(result["results"], result["refused"], code))
            elif time.monotonic() >= deadline:
                finish(complete({}, "", "timeout"))
            else:
                self._later(POLL_MS, poll)

        self._tab.run_js(fill_script(origin, fields, token), started, isolated=True)


def parse_scan_like(answer: Any) -> dict[str, Any] | None:
    import json

    if isinstance(answer, str):
        try:
            answer = json.loads(answer)
        except ValueError:
            return None
    return answer if isinstance(answer, dict) else None
