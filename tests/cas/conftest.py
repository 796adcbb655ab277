"""The real CAS server (django-cas-server, tests/servers/cas) for the CAS tests, started once.

It runs in a subprocess on a free port of 127.0.0.1 with a fresh sqlite database in a temporary
folder, and is stopped (killed if need be) when the run ends; it also exits by itself when the
test process goes away (its standard input closes).
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from launcher_demo import DemoCounty

SERVE = Path(__file__).resolve().parents[1] / "servers" / "cas" / "serve.py"
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class CasServer:
    url: str
    """The CAS base URL, e.g. http://127.0.0.1:PORT/cas (login, p3/serviceValidate, logout...)."""
    log: Path
    """The server's own output (Django's and django-cas-server's log lines)."""


@pytest.fixture(scope="session")
def cas_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CasServer]:
    data = tmp_path_factory.mktemp("cas-server")
    log = data / "server.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, str(SERVE), str(data)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
            cwd=SERVE.parents[3],
        )
    try:
        url = _wait_ready(process, log)
        yield CasServer(url, log)
    finally:
        assert process.stdin is not None
        process.stdin.close()  # the server exits when its input closes
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _wait_ready(process: subprocess.Popen[bytes], log: Path) -> str:
    lines: queue.Queue[bytes] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=START_TIMEOUT).decode().strip()
    except queue.Empty:
        line = ""
    if not line.startswith("READY "):
        process.kill()
        process.wait()
        output = log.read_text(errors="replace")[-3000:]
        pytest.fail(f"the CAS test server did not start ({line!r}); its output:\n{output}")
    return line.split(" ", 1)[1]


@pytest.fixture(scope="session")
def cas_demo(
    cas_server: CasServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DemoCounty]:
    """The demo county signing in through the CAS server: its platforms speak CAS."""
    with DemoCounty(
        directory=tmp_path_factory.mktemp("cas-county"), cas_server=cas_server.url
    ) as county:
        yield county
