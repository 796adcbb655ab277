"""Python run in a fresh interpreter, for what only a new process shows (what a start imports or
builds, choices made once per process): the child prints one line ``RESULT {json}``, with an
``error`` key when it could not get its answer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from typing import Any


def run_fresh(
    code: str, *args: str, env: Mapping[str, str] | None = None, timeout: float = 120
) -> dict[str, Any]:
    """The RESULT the child printed; fails the test with its error or its stderr otherwise."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line[len("RESULT ") :])
            assert "error" not in result, (result, done.stderr[-3000:])
            return result
    raise AssertionError(f"no result (exit {done.returncode}): {done.stderr[-3000:]}")
