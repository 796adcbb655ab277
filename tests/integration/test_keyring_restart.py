"""A keyring daemon that stops and is started again (an update, a crash, the suite's load) costs a
moment, not a failed sign-in: the launcher asks again while it is gone."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import uuid

import pytest

from launcher.core.secrets import SecretStore

pytestmark = pytest.mark.usefixtures("real_keyring")


def _keyring_daemon() -> int | None:
    """The process id of whoever owns the Secret Service on the session bus, if anyone does."""
    answer = subprocess.run(
        ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
         "/org/freedesktop/DBus", "org.freedesktop.DBus.GetConnectionUnixProcessID",
         "string:org.freedesktop.secrets"],
        capture_output=True, text=True, timeout=10,
    )
    found = re.search(r"uint32 (\d+)", answer.stdout)
    return int(found.group(1)) if found else None


def test_a_keyring_daemon_that_stops_is_waited_for() -> None:
    if os.environ.get("LAUNCHER_PRIVATE_KEYRING") != "1":
        pytest.skip("stops the keyring daemon: only the throwaway one of scripts/with-keyring.sh")
    store = SecretStore(f"restart-{uuid.uuid4().hex[:8]}")
    store.set("before", "1")
    daemon = _keyring_daemon()
    assert daemon is not None
    os.kill(daemon, signal.SIGKILL)
    store.set("after", "2")  # while scripts/with-keyring.sh starts the daemon again
    assert store.get("before") == "1"  # the keyring file survived: the same keyring, unlocked
    assert store.get("after") == "2"
    assert _keyring_daemon() not in (None, daemon)
    store.delete_matching("")
    for _ in range(50):  # leave the suite a daemon that answers
        if _keyring_daemon() is not None:
            break
        time.sleep(0.1)
