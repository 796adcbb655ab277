"""Keeps secrets out of logs: every token the launcher handles is masked in every log line."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

_JWT = re.compile(r"eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*")
_BEARER = re.compile(r"(?i)(bearer\s+|(?:access|refresh|id)_token[\"'=:\s]+)[\w.~+/=-]{8,}")
_lock = threading.Lock()
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_secrets: set[str] = set()
MASK = "***"


def remember_secret(value: str) -> None:
    """Register a secret so it is masked wherever it would appear in a log record."""
    if len(value) >= 8:
        with _lock:
            _secrets.add(value)


def mask(text: str) -> str:
    with _lock:
        known = sorted(_secrets, key=len, reverse=True)
    for secret in known:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _JWT.sub(MASK, text)
    return _BEARER.sub(lambda m: m.group(1) + MASK, text)


class MaskingFormatter(logging.Formatter):
    """Masks the whole formatted record, tracebacks included."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


def setup_logging(log_file: Path | None = None, level: int = logging.INFO) -> None:
    """Log to stderr (warnings) and, if given, to ``log_file`` (its owner's alone); every line
    goes through the mask."""
    root = logging.getLogger()
    root.setLevel(level)
    fmt = MaskingFormatter(LOG_FORMAT)
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    handlers[0].setLevel(logging.WARNING)
    if log_file is not None:
        # Made 0600 in a 0700 folder before the handler opens it (appending keeps the mode): the
        # log names people and households.
        from launcher.core.paths import private_file

        handlers.append(logging.FileHandler(private_file(log_file), encoding="utf-8"))
    for handler in handlers:
        handler.setFormatter(fmt)
        root.addHandler(handler)
