"""The launcher's log at DEBUG in a file, masked as launcher.core.logmask.setup_logging masks the
real one: for tests that search what was logged for secrets."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from launcher.core.logmask import LOG_FORMAT, MaskingFormatter


@contextlib.contextmanager
def masked_debug_log(path: Path) -> Iterator[Path]:
    """Every log record (urllib3 and authlib log requests at DEBUG) into ``path`` meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(MaskingFormatter(LOG_FORMAT))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        handler.close()
