"""The Radicale CalDAV server of the CalDAV tests: how it is started, seeded and pointed at.

Radicale runs in a subprocess on a free loopback port, with filesystem storage in a temp folder,
htpasswd logins (plain) plus the bearer tokens of ``radicale_bearer.py``, and a rights file: each
user reads and writes their own calendars; zhangwei may only read lead's ``shared…`` calendars.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import caldav

from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform

HERE = Path(__file__).resolve().parent
USERS = {"zhangwei": "zw123456", "lead": "ld123456"}
TOKENS = {"tok-zhangwei": "zhangwei"}

_RIGHTS = """\
[root]
user: .+
collection:
permissions: R

[principal]
user: .+
collection: {user}
permissions: RW

[own-calendars]
user: .+
collection: {user}/[^/]+
permissions: rw

[shared-read-only]
user: zhangwei
collection: lead/shared[^/]*
permissions: r
"""


@dataclass(frozen=True)
class Radicale:
    url: str
    """The server root, e.g. ``http://127.0.0.1:5232``."""
    folder: Path

    def calendar_url(self, user: str, name: str) -> str:
        return f"{self.url}/{user}/{name}/"

    def client(self, user: str) -> caldav.DAVClient:
        """A plain caldav client signed in as ``user`` (basic), for seeding and checking."""
        return caldav.DAVClient(f"{self.url}/{user}/", username=user, password=USERS[user],
                                timeout=10)

    def new_calendar(self, user: str, *todos: str, prefix: str = "tasks") -> caldav.Calendar:
        """A fresh calendar of ``user`` holding the given VTODOs (see ``vtodo``)."""
        name = f"{prefix}{next(_NAMES)}"
        calendar = self.client(user).principal().make_calendar(
            name=name, cal_id=name, supported_calendar_component_set=["VTODO"])
        for todo in todos:
            calendar.save_todo(todo)
        return calendar


_NAMES = itertools.count(1)


def vtodo(uid: str, *lines: str) -> str:
    """One VCALENDAR with one VTODO: UID and DTSTAMP, then ``lines`` as written (e.g. SUMMARY:x)."""
    body = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//yiduantong tests//EN",
                         "BEGIN:VTODO", f"UID:{uid}", "DTSTAMP:20261101T000000Z", *lines,
                         "END:VTODO", "END:VCALENDAR", ""])
    return body


def caldav_platform(folder: Path, calendar_url: str, *, auth: str = "sso",
                    plugin_id: str = "test.caldav", timeout: float = 5.0,
                    login_page: bool = True) -> Platform:
    """A platform whose [tasks] is the CalDAV calendar at ``calendar_url`` (a real manifest)."""
    base_url = calendar_url.split("/", 3)
    base = "/".join(base_url[:3])
    path = "/" + base_url[3]
    login = ('\n[auth.login]\nurl = "{base_url}/login"\nusername = "#u"\npassword = "#p"\n'
             if auth == "password" and login_page else "")
    plugin = folder / plugin_id.split(".", 1)[1]
    plugin.mkdir(parents=True, exist_ok=True)
    (plugin / "manifest.toml").write_text(textwrap.dedent(f"""\
        schema = 1
        id = "{plugin_id}"
        name = "日历任务"
        version = "1.0.0"
        home = "{{base_url}}/home"
        origins = ["{{base_url}}"]

        [auth]
        kind = "{auth}"
        """) + login + textwrap.dedent(f"""
        [tasks]
        kind = "caldav"
        url = "{{base_url}}{path}"
        timeout = {timeout}
        """), encoding="utf-8")
    return Platform(load_manifest(plugin / "manifest.toml"), base)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"radicale exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"radicale did not listen: {log.read_text(errors='replace')[-2000:]}")


def start_radicale(folder: Path) -> tuple[Radicale, subprocess.Popen[bytes]]:
    """Radicale in a subprocess on a free loopback port, its data and config in ``folder``."""
    (folder / "users").write_text("".join(f"{u}:{p}\n" for u, p in USERS.items()))
    (folder / "tokens").write_text("".join(f"{t} {u}\n" for t, u in TOKENS.items()))
    (folder / "rights").write_text(_RIGHTS)
    port = _free_port()
    (folder / "config").write_text(f"""\
[server]
hosts = 127.0.0.1:{port}

[auth]
type = radicale_bearer
htpasswd_filename = {folder / "users"}
htpasswd_encryption = plain
delay = 0

[rights]
type = from_file
file = {folder / "rights"}

[storage]
filesystem_folder = {folder / "collections"}

[logging]
level = warning
""")
    env = dict(os.environ, CALDAV_TEST_TOKENS=str(folder / "tokens"),
               PYTHONPATH=os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]))
    log = folder / "radicale.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(folder / "config")],
            stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_listening(port, process, log)
    except BaseException:
        process.kill()
        process.wait()
        raise
    return Radicale(f"http://127.0.0.1:{port}", folder), process


def free_port() -> int:
    """A loopback port with nothing listening (for a platform that is down)."""
    return _free_port()


@contextlib.contextmanager
def running_radicale(folder: Path) -> Iterator[Radicale]:
    """Radicale started in ``folder`` for the ``with`` block, then stopped."""
    server, process = start_radicale(folder)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
