"""The stamp file of a session entry: written anew whenever a launcher process saves or deletes
the session in the keyring, so that other processes notice the change with a file read
(launcher/core/auth/stored_session.py), and naming whose session it is (a one-way digest of the
person's ``sub``, nothing else) so that the window's start can tell whose cached inbox it may show
before the keyring is even read (launcher/app/start_snapshot.py).

The stamp holds no secret: a random value and, while someone is signed in, the digest. Imports
nothing but the standard library and launcher.core.paths (the window's start path reads it).
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from urllib.parse import quote

from launcher.core import paths

log = logging.getLogger(__name__)

STAMP_DIR = "session-stamps"
"""Folder under the launcher's home holding one stamp file per session entry."""
MAX_STAMP_CHARS = 200


def stamp_path(service: str, name: str) -> Path:
    """The stamp file of the keyring entry ``name`` of ``service``."""
    return paths.home() / STAMP_DIR / f"{quote(service, safe='')}.{name}"


def owner_digest(sub: str) -> str:
    """What a stamp (and the start snapshot) records of the session's person: a one-way hash of
    their ``sub``."""
    return hashlib.sha256(f"yiduantong-session-owner:{sub}".encode()).hexdigest()[:32]


def read(path: Path) -> str:
    """The stamp's whole text ('' when there is none, or it cannot be read)."""
    try:
        with path.open(encoding="ascii") as file:
            return file.read(MAX_STAMP_CHARS)
    except (OSError, ValueError):
        return ""


def owner_of(stamp: str) -> str:
    """The owner digest a stamp names ('' when it names none: signed out, or written by an older
    launcher)."""
    _random, _space, owner = stamp.partition(" ")
    return owner if len(owner) == 32 and all(c in "0123456789abcdef" for c in owner) else ""


def write(path: Path, owner: str = "") -> str:
    """Write a new stamp naming ``owner`` (a digest; '' for none) and return it; the stamp found
    on disk when it cannot be written (other processes then notice the change only when the
    provider refuses their copy)."""
    value = os.urandom(8).hex() + (f" {owner}" if owner else "")
    try:
        paths.private_file(path)  # 0600 in a 0700 folder, then written
        path.write_text(value, encoding="ascii")
    except OSError as exc:
        log.warning("session stamp %s not written: %s", path, exc)
        return read(path)
    return value
