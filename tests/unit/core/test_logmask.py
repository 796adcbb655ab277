from __future__ import annotations

import logging
from pathlib import Path

from launcher.core.logmask import MaskingFormatter, mask, remember_secret


def test_remembered_secrets_and_token_shapes_are_masked() -> None:
    remember_secret("opaque-refresh-token-123456")
    text = mask(
        "refresh with opaque-refresh-token-123456; "
        "id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl; Authorization: Bearer abcdefghijkl"
    )
    assert "opaque-refresh-token" not in text
    assert "eyJhbGci" not in text
    assert "abcdefghijkl" not in text
    assert text.count("***") == 3


def test_log_file_never_holds_a_secret_even_in_tracebacks(tmp_path: Path) -> None:
    secret = "s3cr3t-access-token-value"
    remember_secret(secret)
    handler = logging.FileHandler(tmp_path / "log.txt", encoding="utf-8")
    handler.setFormatter(MaskingFormatter("%(message)s"))
    log = logging.getLogger("test.logmask")
    log.addHandler(handler)
    try:
        log.error("token %s refused", secret)
        try:
            raise ValueError(f"bad token {secret}")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
        handler.close()
    written = (tmp_path / "log.txt").read_text(encoding="utf-8")
    assert "refused" in written and "ValueError" in written
    assert secret not in written
