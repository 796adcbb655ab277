"""One owner of an account's data: every kind of data the launcher keeps for a county account.

Sign-out, another person signing in (switching user) and retiring a platform go through this list
only, so a kind of data added later (fill history, records, an audit log) is registered here once
and cannot be forgotten by any of them: ``DataKind`` has no defaults, and a kind that keeps
nothing to do at one of these moments says so with ``nothing`` and its reason.

The moments:

- ``close``: the signed-in person's use ends (sign-out, or another person signed in). Data kept
  per person (the profile, saved passwords) is closed and stays theirs for their next sign-in;
  data held for whoever is signed in (tasks, notices, splits) is erased, since on a shared PC the
  next person must not see it.
- ``forget_account(sub)``: everything kept for that account goes (a person leaves the office).
- ``forget_platform(platform_id)``: everything kept of that platform, for every account, goes
  (the county retired it, or the person removed it: 三清, launcher/app/sanqing.py, which also
  revokes its tokens, clears its web data and writes the report). SQLite files it is deleted
  from are rebuilt (``scrub_sqlite``), so no deleted row stays in their free pages.

Which person the data on this computer belongs to is recorded (``owner``, a digest of the
account, never the account itself), so a sign-in by another person in another process (the
command line after the window, or after a session ran out) still closes the previous one's data.
Calls touch the disk and the keyring: make them off the GUI thread. No Qt here.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from launcher.core.auth.tokens import KEY_PREFIX as LEGACY_TOKEN_PREFIX
from launcher.core.inbox.grouping import DEFAULT_RULE, match_key
from launcher.core.profile.person import owner_digest

if TYPE_CHECKING:
    from launcher.app.services import Services

log = logging.getLogger(__name__)

OWNER_FILE = "owner"
"""In the county's data folder: the digest of the account whose data is held there now."""


@dataclass(frozen=True)
class DataKind:
    """One kind of data kept for a county account, and what each moment does with it."""

    name: str
    """A short stable name (``tasks``, ``profile``…), used in logs and tests."""
    description: str
    close: Callable[[], None]
    """The signed-in person's use ends: sign-out, or another person signed in."""
    forget_account: Callable[[str], None]
    """Erase everything kept for the account (its ``sub``)."""
    forget_platform: Callable[[str], None]
    """Erase everything kept of the platform (its id), for every account."""


def nothing(why: str) -> Callable[..., None]:
    """An explicit "nothing to do here", with the reason (kept on the function for readers, and
    for the 三清 report: ``nothing_reason``)."""

    def call(*_: object) -> None:
        return None

    call.__doc__ = why
    setattr(call, _NOTHING, why)
    return call


_NOTHING = "nothing_reason"


def nothing_reason(action: Callable[..., None]) -> str | None:
    """Why ``action`` does nothing, when it is a ``nothing(why)``; None for a real action."""
    reason = getattr(action, _NOTHING, None)
    return reason if isinstance(reason, str) else None


def scrub_sqlite(path: Path) -> None:
    """Rebuild a SQLite file so that nothing deleted from it stays in it: VACUUM writes the live
    rows into a fresh file (free pages and the unused space of pages, where deleted rows linger,
    are gone), and a write-ahead log is emptied. Another connection may have it open (SQLite
    locks); the temporary copy is kept in memory, never in a temporary file."""
    if not path.is_file():
        return
    db = sqlite3.connect(path, isolation_level=None, timeout=10)
    try:
        db.execute("PRAGMA temp_store=MEMORY")
        db.execute("PRAGMA secure_delete=ON")
        db.execute("VACUUM")
        if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


class AccountData:
    """The registered kinds, and the moments that go through all of them."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._kinds: dict[str, DataKind] = {}
        self._lock = threading.Lock()

    def register(self, kind: DataKind) -> None:
        for action in (kind.close, kind.forget_account, kind.forget_platform):
            if not callable(action):
                raise TypeError(f"data kind {kind.name!r}: every moment needs a callable")
        with self._lock:
            if kind.name in self._kinds:
                raise ValueError(f"data kind {kind.name!r} is registered already")
            self._kinds[kind.name] = kind

    @property
    def kinds(self) -> tuple[DataKind, ...]:
        with self._lock:
            return tuple(self._kinds.values())

    # -- the moments ---------------------------------------------------------------------------

    def close(self) -> None:
        """The signed-in person's use ends: every kind closed (see the module's docstring)."""
        self._each("close", lambda kind: kind.close())

    def sign_out(self) -> None:
        """Sign-out: every kind closed, and nobody owns the data here any more."""
        self.close()
        with contextlib.suppress(FileNotFoundError):
            (self.folder / OWNER_FILE).unlink()

    def signing_in(self, sub: str) -> bool:
        """``sub`` signed in: if the data here was another account's, it is closed first.

        Returns True when another person's data was closed (a switch of user)."""
        digest = owner_digest(sub)
        previous = self.owner()
        switched = previous is not None and previous != digest
        if switched:
            self.close()
        if previous != digest:
            self._set_owner(digest)
        return switched

    def forget_account(self, sub: str) -> None:
        """Everything kept for ``sub`` goes (see the module's docstring); data held for whoever
        is signed in goes only when it is ``sub``'s (or nobody's known)."""
        self._each("forget_account", lambda kind: kind.forget_account(sub))
        if self.owner() == owner_digest(sub):
            with contextlib.suppress(FileNotFoundError):
                (self.folder / OWNER_FILE).unlink()

    def retire_platform(self, platform_id: str) -> None:
        """The county retired the platform: nothing kept of it stays, for any account."""
        for _kind, failure in self.forget_platform_by_kind(platform_id):
            if failure is not None:
                raise failure

    def forget_platform_by_kind(
        self, platform_id: str
    ) -> list[tuple[DataKind, Exception | None]]:
        """``retire_platform``, kind by kind, raising nothing: each kind with its failure (None
        when it did its part), for the 三清 report."""
        outcomes: list[tuple[DataKind, Exception | None]] = []
        for kind in self.kinds:
            try:
                kind.forget_platform(platform_id)
            except Exception as exc:
                log.warning("forget_platform of %s failed: %s", kind.name, exc)
                outcomes.append((kind, exc))
            else:
                outcomes.append((kind, None))
        return outcomes

    # -- the owner record ----------------------------------------------------------------------

    def owner(self) -> str | None:
        """The digest of the account whose data is held here (None: unknown, e.g. an older
        version's data, which is then taken to be the next signed-in person's)."""
        try:
            return (self.folder / OWNER_FILE).read_text(encoding="ascii").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def _set_owner(self, digest: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / OWNER_FILE
        temporary = path.with_name(OWNER_FILE + ".tmp")
        temporary.write_text(digest + "\n", encoding="ascii")
        os.replace(temporary, path)

    def _each(self, moment: str, action: Callable[[DataKind], None]) -> None:
        """Every kind, even when one fails (the others' data must still go); then the first
        failure is raised."""
        failure: BaseException | None = None
        for kind in self.kinds:
            try:
                action(kind)
            except Exception as exc:
                log.warning("%s of %s failed: %s", moment, kind.name, exc)
                failure = failure or exc
        if failure is not None:
            raise failure


def standard_kinds(services: Services) -> list[DataKind]:
    """Every kind of data the launcher keeps for a county account today."""
    cache, splits, vault, profile, auth, records = (
        services.cache, services.splits, services.vault, services.profile, services.auth,
        services.records,
    )
    ledger = services.ledger
    last_tabs = services.last_tabs

    def forget_vault_account(sub: str) -> None:
        for name in vault.store.names():
            if name.partition("/")[2] == sub:
                vault.store.delete(name)

    def held_for(sub: str, erase: Callable[[], None]) -> None:
        """Erase data held for whoever is signed in, when it is ``sub``'s (or its owner is
        unknown): another person's tasks and splits stay."""
        owner = services.account.owner()
        if owner is None or owner == owner_digest(sub):
            erase()

    def forget_session(sub: str) -> None:
        user = auth.user
        if user is not None and user.sub == sub:
            auth.wipe_local()

    def forget_tasks(platform_id: str) -> None:
        cache.forget(platform_id)
        scrub_sqlite(cache.path)  # the rows of other platforms' refreshes kept it in free space

    def forget_splits(platform_id: str) -> None:
        """The splits of groups the platform's cached tasks are in: they name its tasks' subjects
        (run before the tasks go: they are found through them)."""
        rules = services.grouping.rules
        keys = {
            match_key(task, rules.get(platform_id, DEFAULT_RULE))
            for task in cache.load() if task.platform == platform_id
        }
        for key in sorted(k for k in keys if k is not None and k in splits):
            splits.unsplit(key)

    def forget_tokens(platform_id: str) -> None:
        """The platform's token goes from memory and from the keyring now (not written behind);
        a token of an older version's layout too. Tokens of a session that has ended (another
        process signed out) are not written back by the flush: then they all go."""
        tokens = auth.tokens
        tokens.invalidate(platform_id)
        tokens.flush()
        auth.secrets.delete(LEGACY_TOKEN_PREFIX + platform_id)
        tokens.forget()  # read again from the keyring: is it really gone?
        if tokens.entry(platform_id) is not None:
            tokens.clear()

    def forget_records(platform_id: str) -> None:
        records.forget_platform(platform_id)
        folder = records.folder
        for path in sorted(folder.glob("*.sqlite3")) if folder.is_dir() else []:
            scrub_sqlite(path)

    held_by_tasks = nothing("kept in the task cache's file, and erased with the tasks")
    web_sessions = services.web_sessions
    audit = services.audit
    return [
        DataKind(
            "splits",
            "the groups the signed-in person split (splits.json): they name households and shops",
            close=splits.clear,
            forget_account=lambda sub: held_for(sub, splits.clear),
            # First: the splits of the platform are found through its cached tasks.
            forget_platform=forget_splits,
        ),
        DataKind(
            "tasks",
            "the task cache (tasks.sqlite3): every platform's tasks of the signed-in person, "
            "and their inbox as last shown (the start snapshot)",
            close=cache.forget,
            forget_account=lambda sub: held_for(sub, cache.forget),
            forget_platform=forget_tasks,
        ),
        DataKind(
            "notices",
            "the notification memory (the task cache's `notified` table)",
            close=held_by_tasks,
            forget_account=held_by_tasks,
            forget_platform=held_by_tasks,
        ),
        DataKind(
            "profile",
            "the profile (一张表), one file and key per person",
            close=profile.close,
            forget_account=profile.forget,
            forget_platform=nothing("profile values belong to the person, not to a platform"),
        ),
        DataKind(
            "passwords",
            "saved passwords of password platforms, per person in the keyring",
            close=nothing("kept per person: the vault reads the signed-in person's entries only"),
            forget_account=forget_vault_account,
            forget_platform=vault.forget,
        ),
        DataKind(
            "session",
            "the county sign-in and the platforms' access tokens, in the keyring",
            close=nothing(
                "the identity session revokes them at sign-out, and a new sign-in replaces them"
            ),
            forget_account=forget_session,
            forget_platform=forget_tokens,
        ),
        DataKind(
            "platform sessions",
            "the web sessions of session-bound platforms (cookies, the web app's token), per "
            "person in the keyring",
            # The web profile they were read from is wiped at sign-out; the next person must
            # never be sent to a platform with this one's session.
            close=web_sessions.clear,
            forget_account=web_sessions.forget_account,
            forget_platform=web_sessions.forget_platform,
        ),
        DataKind(
            "records",
            "the one table's subjects and records, with their history, platforms' outcomes, task "
            "links and fill history (keyed fingerprints of filled values), one file and key per "
            "person",
            close=records.close,
            forget_account=records.forget,
            # Outcomes, task links and fill history of the platform go; the records stay: they
            # are the person's work, not the platform's.
            forget_platform=forget_records,
        ),
        DataKind(
            "audit",
            "the audit log (操作记录): what the person did here, by platform, field names and "
            "counts, never values; append-only and sealed, one set of files and key per person",
            # Queued entries are written, and the key leaves memory; the log stays theirs.
            close=audit.close,
            forget_account=audit.forget,
            forget_platform=nothing(
                "the audit log is the person's account of what they did, append-only: its "
                "entries naming the platform are kept (sealed: its files name no platform in "
                "clear), and the retirement is added to it"
            ),
        ),
        DataKind(
            "ledger",
            "the burden ledger (减负账本): counts of what the launcher did instead of the person, "
            "by day and platform (no values, titles or names), one file per person",
            close=nothing("kept per person: the ledger reads the signed-in person's file only"),
            forget_account=lambda sub: ledger.forget(sub) if ledger is not None else None,
            forget_platform=lambda pid: (ledger.forget_platform(pid, scrub_sqlite)
                                         if ledger is not None else None),
        ),
        DataKind(
            "last tabs",
            "the platform pages the person had open when their tabs last closed (platform ids "
            "and addresses on those platforms), reopened at their next sign-in where the county "
            "allows it; per person in the keyring",
            close=nothing("kept per person: only the person signing in gets their own tabs back"),
            forget_account=lambda sub: last_tabs.forget_account(sub) if last_tabs else None,
            forget_platform=lambda pid: last_tabs.forget_platform(pid) if last_tabs else None,
        ),
    ]
