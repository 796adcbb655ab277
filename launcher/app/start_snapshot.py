"""Showing the person's inbox at the window's start before the county is open: the start
snapshot (launcher/core/inbox/snapshot.py), kept in the task cache beside the tasks it shows.

Opening the county (manifests, plugins, the keyring, 10,000 cached tasks grouped anew) takes the
better part of a second; the snapshot is shown in a tenth of that, and the county's own tasks
replace it when it is open. It is shown only to the person it belongs to, without the keyring
being read first: the keyring entry of the session has a stamp file that names its person (by a
one-way digest, launcher/core/auth/session_stamp.py) and that every launcher process writes anew
whenever it saves or deletes the session. So a snapshot is shown only when

- the session stamp names the same person as the snapshot (nobody else signed in since, and
  nobody signed out: a sign-out, a switch of person and a retired platform forget the snapshot
  with the tasks, ``TaskCache.forget``);
- the county file is the one it was written with (same path, size and modification time: a new
  county pack may list other platforms);
- it is whole and well-formed (read as hostile: anything else is not shown, and the window
  starts the usual way).

When the county is open and its session turns out to be no one's, or another person's (a keyring
emptied by hand), the window takes the snapshot off the screen and forgets it.

``load`` runs at the window's start, on a worker, and imports nothing of the county's services
(not the keyring, not requests); ``save`` runs on a worker after the inbox shows new tasks.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from launcher.core import paths
from launcher.core.auth import session_stamp
from launcher.core.errors import ConfigError
from launcher.core.inbox.cache_file import TASKS_FILE, read_snapshot
from launcher.core.inbox.snapshot import Snapshot, decode, encode

if TYPE_CHECKING:
    from launcher.api import TaskGroup
    from launcher.app.services import Services

log = logging.getLogger(__name__)

SESSION_SERVICE = "yiduantong/county/{county}"
"""The keyring service of a county's session (``SecretStore(f"county/{id}")``)."""
SESSION_ENTRY = "session"


def load(county_path: Path) -> Snapshot | None:
    """The start snapshot of the county file at ``county_path``, if it may be shown now (see the
    module's docstring); None otherwise. Reads two small files and the snapshot; never raises."""
    try:
        county_id = _county_id(county_path)
        county = county_key(county_path)
    except (ConfigError, OSError) as exc:
        log.debug("no start snapshot: %s", exc)
        return None
    folder = paths.home() / "counties" / county_id
    found = read_snapshot(folder / TASKS_FILE)
    if found is None:
        return None
    owner, body = found
    stamp = session_stamp.read(session_stamp.stamp_path(
        SESSION_SERVICE.format(county=county_id), SESSION_ENTRY))
    if not owner or session_stamp.owner_of(stamp) != owner:
        return None  # nobody's session now, or another person's: not theirs to see
    try:
        snapshot = decode(body)
    except ValueError as exc:
        log.warning("the start snapshot is not used: %s", exc)
        return None
    if snapshot.county != county:
        return None  # another county file (a new county pack): its platforms may differ
    return replace(snapshot, owner=owner)


def save(
    services: Services,
    sub: str,
    person: str,
    groups: Sequence[TaskGroup],
    order: Sequence[int],
    forms: Mapping[str, str],
    generation: int,
) -> bool:
    """Keep ``groups`` (in the ``order`` the inbox sorted them in) as the start snapshot of
    ``sub`` (named ``person``), unless the task cache forgot anything since ``generation``
    (``TaskCache.generation``, taken when these groups were shown). Returns whether it was
    kept. Runs on a worker."""
    body = encode(
        groups, order,
        platforms=[(p.id, p.name, p.name_en) for p in services.registry.with_tiles()],
        forms=forms,
        person=person,
        county=county_key(services.county.path),
    )
    return services.cache.put_snapshot(session_stamp.owner_digest(sub), body, generation)


def forget(services: Services) -> None:
    """The snapshot shown was not the session's person's: it goes (runs on a worker)."""
    services.cache.drop_snapshot()


def county_key(county_path: Path) -> dict[str, object]:
    """What the snapshot records of the county file: its path, size and modification time."""
    path = Path(county_path).resolve()
    found = path.stat()
    return {"path": str(path), "size": found.st_size, "mtime_ns": found.st_mtime_ns}


def _county_id(county_path: Path) -> str:
    from launcher.core.schema import Reader, read_toml

    path = Path(county_path)
    county = Reader(path, read_toml(path)).sub("county")
    if county is None:
        raise ConfigError(path, "county", "is required")
    return county.county_id("id")
