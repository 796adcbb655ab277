"""Suite-wide set-up: headless Qt, a private LAUNCHER_HOME, the real keyring (``real_keyring``:
every folder but tests/unit, whose conftest gives each test an in-memory one), the demo county."""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
# Every test run gets its own data directory; the user's real one is never touched.
_HOME = Path(tempfile.mkdtemp(prefix="launcher-tests-"))
os.environ["LAUNCHER_HOME"] = str(_HOME)
# The machine-wide folder (county packs, updates.toml) too: /etc/yiduantong is never read.
os.environ["LAUNCHER_MACHINE_DIR"] = str(_HOME / "machine-wide")
# QtWebEngine must be imported before any QApplication exists (pytest-qt creates it lazily).
with contextlib.suppress(ImportError):  # the suite installs it; a clear failure comes later
    import PySide6.QtWebEngineWidgets  # noqa: F401


@pytest.fixture(autouse=True)
def root_log_handlers() -> Iterator[None]:
    """Handlers a test's ``main()`` added to the root logger go with the test: one left behind
    writes to the captured stderr of a test that has ended ("I/O operation on closed file")."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture(scope="session")
def launcher_home() -> Path:
    return _HOME


@pytest.fixture(scope="session")
def real_keyring() -> None:
    """Fail (not skip) when the Secret Service keyring is not there: the suite needs the real one."""
    import keyring
    import keyring.core
    from keyring.backends.SecretService import Keyring

    from launcher.core import keyring_backend

    if not isinstance(getattr(keyring.core, "_keyring_backend", None), Keyring):
        # Chosen as the launcher chooses it (waiting a moment for a daemon being restarted),
        # not by keyring's own search, whose choice would hold for the rest of the run.
        chosen = keyring_backend.native()
        if chosen is not None:
            keyring.set_keyring(chosen)
    backend = keyring.get_keyring()
    if not isinstance(backend, Keyring):
        pytest.fail(f"tests need the Secret Service keyring (run scripts/test.sh); got {backend!r}")


@pytest.fixture(scope="session")
def demo_county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The built-in demo county, started once for the whole run."""
    from launcher_demo import DemoCounty

    with DemoCounty(directory=tmp_path_factory.mktemp("demo-county")) as county:
        yield county
