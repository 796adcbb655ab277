"""Running the ``launcher`` command as a user or a script would: a new process each time, inside the
test run's D-Bus session and keyring (inherited environment), with LAUNCHER_HOME set to the test's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import keyring

from launcher_demo import DemoCounty

COMMAND = [sys.executable, "-m", "launcher"]


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "LAUNCHER_HOME": str(home)}


def launcher(args: list[str], home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args],
        env=env(home),
        text=True,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def start(args: list[str], home: Path) -> subprocess.Popen[str]:
    """A command left running (a login waiting for its answer); read its stdout line by line."""
    return subprocess.Popen(
        [*COMMAND, *args],
        env=env(home),
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )


def county_copy(county: DemoCounty, county_id: str, directory: Path, login: str = "") -> Path:
    """The county's file under another county id (its own keyring entries and data folder, apart
    from other tests'), optionally with another ``[idp] login`` mode."""
    text = county.county_path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("[county]\nid = ")
    assert sep, "the demo county file names its id"
    rest = f'"{county_id}"' + rest[rest.index("\n") :]
    text = head + sep + rest
    if login:
        assert 'login = "embedded"' in text
        text = text.replace('login = "embedded"', f'login = "{login}"')
    path = directory / f"county-{county_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def keyring_service(county_id: str) -> str:
    return f"yiduantong/county/{county_id}"


def keyring_entries(county_id: str) -> dict[str, str]:
    """Every keyring entry of the county (by the store's own index), name -> value."""
    service = keyring_service(county_id)
    index = keyring.get_password(service, "__index__")
    names = json.loads(index) if index else []
    entries = {name: keyring.get_password(service, name) for name in names}
    return {name: value for name, value in entries.items() if value is not None}


def tokens_in_keyring(county_id: str) -> set[str]:
    """The token values held for the county: the session's refresh and id tokens, each platform's
    access token (all of them in the ``access`` entry, keyed by platform id)."""
    found: set[str] = set()
    for value in keyring_entries(county_id).values():
        try:
            data = json.loads(value)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        for entry in [data, *(v for v in data.values() if isinstance(v, dict))]:
            for key in ("refresh_token", "id_token", "access_token"):
                if isinstance(entry.get(key), str) and entry[key]:
                    found.add(entry[key])
    return found


def needles(secret: str) -> set[bytes]:
    """What to search for: the value, and for a JWT also its signature alone (a token cut up or
    re-encoded around its payload is still found)."""
    found = {secret.encode()}
    parts = secret.split(".")
    if len(parts) == 3 and len(parts[2]) >= 16:
        found.add(parts[2].encode())
    return found


def files_containing(root: Path, secrets: set[str]) -> list[str]:
    """``path: secret prefix`` for every file under ``root`` holding one of ``secrets``."""
    wanted = {needle: secret for secret in secrets for needle in needles(secret)}
    hits = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            hits += [f"{path}: {secret[:12]}..." for n, secret in wanted.items() if n in data]
    return hits
