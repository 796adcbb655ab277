"""三清: a platform retired by a county pack or removed by a person leaves nothing behind.

``retire`` clears, for every county account of this data folder (each Windows account has its
own, and applies a pack's retirements at its next start: ``pending_retirements``), everything the
launcher holds of the platforms:

- its tokens revoked at the identity service where it can (RFC 7009), then deleted from the
  keyring; what could not be revoked lapses when it expires, and the report says so;
- every kind of account data, through the account's one owner (launcher/app/account.py): saved
  passwords, kept web sessions, cached tasks, notification memory, splits naming its tasks,
  outcomes, task links and fill history of every person's records; SQLite files are rebuilt so
  no deleted row stays in their free pages;
- its web data in the window's web profile (cookies of its hosts, local and session storage,
  IndexedDB, Cache Storage), through a ``WebClearer`` the window implements
  (launcher/ui/web_clear.py); its tabs are closed first. The profile is in memory only: what
  cannot be cleared by origin (the HTTP cache) ends with it, at sign-out or when the window
  closes, and the report says so;
- the lines of the launcher's log that name it (its id, its hosts, its tasks' titles).

Then it announces ``PlatformRetired`` for each, records the retirement (``retired.json`` of the
county's data folder: a platform the person removed is left out of the registry from then on),
and writes the report (``reports/sanqing-<UTC time>.json`` of the data folder, its owner's alone)
that the IT team collects: platforms, why, when, and per kind what was cleared and what could
not be, and why. The report names no person, no secret and no value a person typed.

The platforms ever configured for the county are kept in a small ledger (``platforms.json``: ids,
origins, whether they sign in through the county), noted when the county opens; sign-out retires
those no longer in the county file (``forget_unconfigured``), which also takes what an earlier
retirement could not clear. Everything here touches the disk, the keyring and the network: call
it from a worker thread. No Qt.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from launcher.app.account import nothing_reason
from launcher.app.events import PlatformRetired
from launcher.app.sanqing_report import (
    DELETED,
    ERROR,
    GRANT,
    KEPT_BY_DESIGN,
    LOG_LINES,
    NO_PROFILE,
    NO_REVOCATION,
    NOT_HERE,
    NOT_REVOKED,
    REVOCATION_WHY,
    REVOKED,
    STILL_HELD,
    WEB_PART,
    Item,
    Note,
    SanqingReport,
    State,
    iso,
    replace_file,
    why,
    write_report,
)
from launcher.core import paths
from launcher.core.auth.identity import Capability
from launcher.core.inbox.grouping import DEFAULT_RULE, match_key
from launcher.core.url_scope import scope_of

if TYPE_CHECKING:
    from launcher.app.services import Services

log = logging.getLogger(__name__)

LEDGER = "platforms.json"
"""In the county's data folder: every platform configured so far (id → origins, single sign-on)."""
RETIRED = "retired.json"
"""In the county's data folder: the platforms retired here (id → when, why)."""
LOGS = "logs"
FORMAT = 1

BY_PERSON = "person"
"""``why`` of a platform the person removed (``launcher retire``): hidden from then on."""
NO_LONGER_CONFIGURED = "no longer configured"
"""``why`` of a platform that left the county file (sign-out forgets it)."""


def by_pack(version: str) -> str:
    """``why`` of a platform a county pack retires."""
    return f"pack {version}"


# -- the web profile (the window's) ----------------------------------------------------------


@dataclass(frozen=True)
class WebCleared:
    """What a ``WebClearer`` did in its web profile."""

    profile: bool
    """False: there was no web profile (no page was opened yet): nothing was held."""
    tabs: int = 0
    """Tabs of the platform closed first."""
    cookies: int = 0
    """Cookies of the platform's hosts deleted."""
    cleared: tuple[str, ...] = ()
    """The parts cleared: ``cookies``, ``local storage``, ``session storage``, ``IndexedDB``,
    ``Cache Storage``, ``service workers``."""
    failed: tuple[tuple[str, str], ...] = ()
    """(part, why) of the parts that could not be cleared."""
    kept: tuple[tuple[str, str], ...] = ()
    """(part, why) of what was left on purpose (cookies other sites or the county sign-in are
    sent too, the HTTP cache: it ends with the profile)."""


@runtime_checkable
class WebClearer(Protocol):
    """The window's web profile, cleared for a platform (launcher/ui/web_clear.py)."""

    def clear_web(self, platform_ids: tuple[str, ...], origins: tuple[str, ...]) -> WebCleared:
        """Close the platforms' tabs, then clear what the web profile holds of ``origins``
        (``scheme://host[:port][/path]``). Blocks until done: call it from a worker thread."""
        ...


# -- the use case ------------------------------------------------------------------------------


def retire(
    services: Services,
    platform_ids: Iterable[str],
    *,
    why: str,
    web: WebClearer | None = None,
) -> SanqingReport:
    """三清 of ``platform_ids`` in this data folder (see the module's docstring); ``why``: a
    pack's (``by_pack(version)``), ``BY_PERSON`` or ``NO_LONGER_CONFIGURED``; ``web``: the
    window's web profile (None: this process has none, e.g. the command line). Never raises for
    what it could not clear: the report says it."""
    ids = tuple(dict.fromkeys(p for p in platform_ids if p))
    if not ids:
        raise ValueError("no platform to retire")
    at = datetime.now(UTC)
    ledger = _read(services.data_dir / LEDGER, "platforms")
    known = {pid: _known(services, pid, ledger.get(pid)) for pid in ids}
    # Neither shown nor asked any more in this process (a window opens its tiles anew).
    registry = services.registry
    registry.platforms = [p for p in registry.platforms if p.id not in ids]

    items: list[Item] = []
    for pid in ids:
        items.append(_web(web, pid, known[pid].origins))
        session_notes = _revoke_tokens(services, pid, known[pid])
        items.extend(_account_data(services, pid, known[pid], session_notes))
    items.extend(_logs(ids, known))
    report = SanqingReport(services.county.id, ids, why, at, tuple(items))
    _record(services.data_dir, report)
    for pid in ids:
        services.events.publish(PlatformRetired(pid))
    path = write_report(report)
    if path is not None:
        log.info("三清 report written: %s", path)
    return SanqingReport(report.county, ids, why, at, report.items, path)


def pending_retirements(services: Services, retired_ids: Iterable[str]) -> list[str]:
    """The platforms of a pack's retired list this data folder has not retired yet (another
    Windows account's launcher applied the pack, or this one was not running): retire them
    (``retire_for_pack``). A platform the county file still configures is left alone."""
    done = _read(services.data_dir / RETIRED, "retired")
    configured = _configured_ids(services)
    return [pid for pid in dict.fromkeys(retired_ids)
            if pid and pid not in done and pid not in configured]


def retire_for_pack(
    services: Services, retired_ids: Iterable[str], version: str, web: WebClearer | None = None
) -> SanqingReport | None:
    """三清 of a pack's retired platforms not retired here yet; None when there is none."""
    pending = pending_retirements(services, retired_ids)
    if not pending:
        return None
    return retire(services, pending, why=by_pack(version), web=web)


def unconfigured(services: Services) -> list[str]:
    """Platforms configured here before that the county file no longer lists."""
    configured = _configured_ids(services)
    return [pid for pid in _read(services.data_dir / LEDGER, "platforms")
            if pid not in configured]


def forget_unconfigured(services: Services) -> SanqingReport | None:
    """At sign-out: 三清 of the platforms no longer configured (the web profile is the window's,
    wiped at sign-out). Never raises: a failure is logged, and tried again at the next one."""
    try:
        gone = unconfigured(services)
        if not gone:
            return None
        return retire(services, gone, why=NO_LONGER_CONFIGURED, web=None)
    except Exception as exc:
        log.warning("platforms no longer configured were not forgotten: %s", why(exc))
        return None


def removed_by_person(data_dir: Path) -> frozenset[str]:
    """The platforms the person removed (``launcher retire``): left out of the registry."""
    retired = _read(Path(data_dir) / RETIRED, "retired")
    return frozenset(pid for pid, entry in retired.items() if entry.get("why") == BY_PERSON)


def known_platforms(services: Services) -> list[str]:
    """The platforms a person may retire here: configured now, or before (the ledger)."""
    ids = [p.id for p in services.registry.platforms]
    ids += [p for p in _read(services.data_dir / LEDGER, "platforms") if p not in ids]
    return ids


def note_configured(services: Services) -> None:
    """When the county opens: the ledger learns the platforms configured now (with their
    origins, for clearing their web data and log lines once they are gone), and a platform a
    pack retired that the county file configures again is no longer counted as retired. Never
    raises (the county opens whatever happens here); writes only what changed."""
    try:
        _note_configured(services)
    except Exception as exc:
        log.warning("the ledger of configured platforms was not updated: %s", why(exc))


# -- what is known of a platform ---------------------------------------------------------------


@dataclass(frozen=True)
class _Known:
    origins: tuple[str, ...]
    sso: bool
    titles: frozenset[str] = field(default_factory=frozenset)
    split_keys: frozenset[str] = field(default_factory=frozenset)


def _known(services: Services, pid: str, entry: dict[str, Any] | None) -> _Known:
    platform = services.registry.get(pid)
    if platform is not None:
        origins, sso = platform.origins, platform.manifest.auth.sso
    else:
        entry = entry or {}
        origins = tuple(o for o in entry.get("origins", ()) if isinstance(o, str))
        sso = entry.get("sso") is True
    try:
        tasks = [t for t in services.cache.load() if t.platform == pid]
    except Exception as exc:
        log.warning("cached tasks of a retired platform not read: %s", why(exc))
        tasks = []
    rule = services.grouping.rules.get(pid, DEFAULT_RULE)
    keys = {match_key(t, rule) for t in tasks}
    return _Known(
        origins, sso, frozenset(t.title for t in tasks if t.title),
        frozenset(k for k in keys if k is not None and k in services.splits),
    )


def _configured_ids(services: Services) -> set[str]:
    """Every platform the county file lists (enabled or not, loaded or not: a broken manifest
    or a blocked plugin version is not a retirement), but those the person removed."""
    ids = {entry.plugin for entry in services.county.platforms}
    ids.update(p.id for p in services.registry.platforms)
    return ids - removed_by_person(services.data_dir)


# -- tokens ------------------------------------------------------------------------------------


def _revoke_tokens(services: Services, pid: str, known: _Known) -> list[Note]:
    """Revoke the platform's own tokens at the identity service; they are deleted from the
    keyring afterwards with the ``session`` kind."""
    auth = services.auth
    notes: list[Note] = []
    try:
        entry = auth.tokens.entry(pid)
    except Exception as exc:
        return [Note(ERROR, f"the platform's tokens could not be read: {why(exc)}", False)]
    revoke = _revoker(auth)
    for hint, word in (("access_token", "access token"), ("refresh_token", "refresh token")):
        value = str((entry or {}).get(hint) or "")
        if not value:
            continue
        if revoke is None:
            notes.append(Note(NO_REVOCATION, f"{word}: the identity service ({auth.provider_name}) "
                              "revokes no platform token: it lapses when it expires", False))
            continue
        try:
            outcome = str(revoke(value, hint))
        except Exception as exc:  # revoke logs and answers; anything else is a failure too
            outcome, detail = "failed", why(exc)
            log.warning("revoking a retired platform's %s failed: %s", word, detail)
        if outcome == REVOKED:
            notes.append(Note(REVOKED, f"{word} revoked at the identity service"))
        else:
            notes.append(Note(f"{NOT_REVOKED}-{outcome}",
                              f"{word}: {REVOCATION_WHY.get(outcome, outcome)}", False))
    if known.sso and _signed_in(services):
        notes.append(Note(GRANT, "the county sign-in kept on this computer was granted the "
                          "platform's scopes: they lapse at the next sign-in, which no longer "
                          "asks for them", False))
    return notes


def _revoker(auth: Any) -> Callable[[str, str], object] | None:
    if Capability.REVOCATION not in auth.capabilities:
        return None
    revoke = getattr(getattr(auth, "client", None), "revoke", None)
    return revoke if callable(revoke) else None


def _signed_in(services: Services) -> bool:
    try:
        return services.auth.user is not None or services.auth.restore() is not None
    except Exception:
        return False


# -- the account's data ------------------------------------------------------------------------


def _account_data(
    services: Services, pid: str, known: _Known, session_notes: list[Note]
) -> list[Item]:
    counters = _counters(services, pid, known)
    held = {name: _count(count) for name, count in counters.items()}
    outcomes = services.account.forget_platform_by_kind(pid)
    items = []
    for kind, failure in outcomes:
        notes = list(session_notes) if kind.name == "session" else []
        reason = nothing_reason(kind.forget_platform)
        count = counters.get(kind.name)
        if failure is not None:
            notes.append(Note(ERROR, f"not deleted: {why(failure)}", False))
        elif reason is not None and kind.name not in counters:
            items.append(Item(pid, kind.name, State.KEPT, None,
                              (Note(KEPT_BY_DESIGN, reason), *notes)))
            continue
        left = _count(count) if count is not None else 0
        if failure is None and left:
            notes.append(Note(STILL_HELD, f"{left} still held after the deletion", False))
        elif failure is None:
            notes.insert(0, Note(DELETED, _deleted(kind.name, held.get(kind.name))))
        items.append(Item(pid, kind.name, _state(notes), held.get(kind.name), tuple(notes)))
    return items


def _counters(services: Services, pid: str, known: _Known) -> dict[str, Callable[[], int]]:
    """How much each kind holds of the platform (asked before and after the deletion)."""
    cache, splits = services.cache, services.splits
    prefix = pid + "/"

    def names(store: Any) -> int:
        return sum(1 for name in store.names() if name.startswith(prefix))

    return {
        "tasks": lambda: sum(1 for t in cache.load() if t.platform == pid),
        "notices": lambda: sum(1 for key in cache.notified() if key[0] == pid),
        "splits": lambda: len(known.split_keys & splits.keys()),
        "passwords": lambda: names(services.vault.store),
        "platform sessions": lambda: names(services.web_sessions.store),
        "session": lambda: int(services.auth.tokens.entry(pid) is not None),
    }


def _count(count: Callable[[], int]) -> int | None:
    try:
        return count()
    except Exception as exc:
        log.warning("what a retired platform holds was not counted: %s", why(exc))
        return None


_DELETED = {
    "tasks": "cached tasks deleted; the task cache's file rebuilt, so no deleted row stays in it",
    "notices": "notification memory deleted with the tasks",
    "splits": "splits of groups naming its tasks deleted",
    "passwords": "saved passwords of every county account deleted from the keyring",
    "platform sessions": "kept web sessions of every county account deleted from the keyring",
    "session": "the platform's tokens deleted from the keyring",
    "records": "outcomes, task links and fill history deleted from every person's records "
    "file; the files rebuilt, so no deleted row stays in them (the records stay: they are the "
    "person's work)",
}


def _deleted(kind: str, held: int | None) -> str:
    what = _DELETED.get(kind, "deleted")
    return f"{held}: {what}" if held is not None else what


def _state(notes: Sequence[Note]) -> State:
    if any(n.code in (ERROR, STILL_HELD) for n in notes if not n.done):
        return State.FAILED
    if any(not n.done for n in notes):
        return State.PARTLY
    return State.CLEARED


# -- the web profile ---------------------------------------------------------------------------


def _web(web: WebClearer | None, pid: str, origins: tuple[str, ...]) -> Item:
    if web is None:
        note = Note(NOT_HERE, "this process has no web profile (the command line, or a "
                    "sign-out): a window open now keeps the platform's web data in memory only, "
                    "until it signs out or closes", False)
        return Item(pid, "web data", State.PARTLY, None, (note,))
    try:
        done = web.clear_web((pid,), origins)
    except Exception as exc:
        return Item(pid, "web data", State.FAILED, None,
                    (Note(ERROR, f"not cleared: {why(exc)}", False),))
    if not done.profile:
        return Item(pid, "web data", State.CLEARED, 0,
                    (Note(NO_PROFILE, "no web page was opened in this window: nothing held"),))
    notes = [Note(WEB_PART, f"{done.tabs} tab(s) of the platform closed")]
    notes += [Note(WEB_PART, f"{part} cleared" + (f" ({done.cookies})" if part == "cookies"
                                                  else "")) for part in done.cleared]
    notes += [Note(WEB_PART, f"{part}: {why}", False) for part, why in done.kept]
    notes += [Note(ERROR, f"{part} not cleared: {why}", False) for part, why in done.failed]
    return Item(pid, "web data", _state(notes), done.cookies, tuple(notes))


# -- the log -----------------------------------------------------------------------------------


def _logs(ids: tuple[str, ...], known: dict[str, _Known]) -> list[Item]:
    """Lines of the launcher's log naming a retired platform go (its id, hosts, tasks' titles)."""
    names: set[str] = set(ids)
    titles: set[str] = set()
    for facts in known.values():
        names.update(_hosts(facts.origins))
        titles.update(t for t in facts.titles if len(t) >= 4)
    # An id or host as a whole word (``demo.anquan``, not ``demo.anquan2``); a title anywhere.
    bounded = [rf"(?<![\w.\-]){re.escape(name)}(?![\w\-]|\.\w)"
               for name in sorted(names, key=len, reverse=True)]
    pattern = re.compile("|".join(
        [*bounded, *(re.escape(t) for t in sorted(titles, key=len, reverse=True))]))
    removed, failure = 0, ""
    folder = paths.home() / LOGS
    for path in sorted(folder.glob("*.log*")) if folder.is_dir() else []:
        try:
            removed += _scrub_log(path, pattern)
        except OSError as exc:
            failure = why(exc)
    if failure:
        notes = (Note(ERROR, f"lines naming it not removed from the log: {failure}", False),)
    else:
        notes = (Note(LOG_LINES, f"{removed} line(s) naming the retired platforms removed from "
                      "the launcher's log"),)
    return [Item(pid, "log", _state(notes), removed, notes) for pid in ids]


def _hosts(origins: Iterable[str]) -> set[str]:
    """How a log line names the origins: ``host[:port][/path]`` as people write them."""
    found = set()
    for origin in origins:
        scope = scope_of(origin)
        if scope is not None:
            found.add(str(scope).split("://", 1)[1])
    return found


def _scrub_log(path: Path, pattern: re.Pattern[str]) -> int:
    """Rewrite ``path`` in place without the lines ``pattern`` finds (in place: a logging
    handler holding it open goes on appending to the same file)."""
    removed = 0
    with tempfile.TemporaryFile(dir=path.parent) as kept, path.open("rb") as source:
        for line in source:
            if pattern.search(line.decode("utf-8", "replace")):
                removed += 1
            else:
                kept.write(line)
        if not removed:
            return 0
        kept.seek(0)
        with path.open("r+b") as target:
            while chunk := kept.read(1 << 20):
                target.write(chunk)
            target.truncate()
            target.flush()
            os.fsync(target.fileno())
    return removed


# -- the records of this data folder -----------------------------------------------------------


def _record(data_dir: Path, report: SanqingReport) -> None:
    """``retired.json`` learns the platforms; the ledger forgets those cleared completely (the
    others are tried again at sign-out)."""
    try:
        retired = _read(data_dir / RETIRED, "retired")
        for pid in report.platforms:
            retired[pid] = {"at": iso(report.at), "why": report.why}
        _write(data_dir / RETIRED, "retired", retired)
        failed = {item.platform for item in report.failed}
        ledger = _read(data_dir / LEDGER, "platforms")
        if any(pid in ledger and pid not in failed for pid in report.platforms):
            _write(data_dir / LEDGER, "platforms",
                   {pid: entry for pid, entry in ledger.items()
                    if pid not in report.platforms or pid in failed})
    except OSError as exc:
        log.warning("the retirement was not recorded in %s: %s", data_dir, why(exc))


def _note_configured(services: Services) -> None:
    data_dir = services.data_dir
    ledger = _read(data_dir / LEDGER, "platforms")
    changed = not (data_dir / LEDGER).exists()
    if changed:
        _seed(services, ledger)
    for platform in services.registry.platforms:
        entry = {"origins": list(platform.origins), "sso": platform.manifest.auth.sso}
        if ledger.get(platform.id) != entry:
            ledger[platform.id] = entry
            changed = True
    if changed:
        _write(data_dir / LEDGER, "platforms", ledger)
    retired = _read(data_dir / RETIRED, "retired")
    back = [pid for pid, entry in retired.items()
            if entry.get("why") != BY_PERSON and services.registry.get(pid) is not None]
    if back:
        _write(data_dir / RETIRED, "retired",
               {pid: entry for pid, entry in retired.items() if pid not in back})


def _seed(services: Services, ledger: dict[str, dict[str, Any]]) -> None:
    """The first ledger of a data folder: also the platforms whose data an older version kept
    (cached tasks, saved passwords, web sessions), so sign-out forgets those no longer
    configured too."""
    found: set[str] = set()
    with contextlib.suppress(Exception):
        found.update(services.cache.fetched_at())
    for store in (services.vault.store, services.web_sessions.store):
        with contextlib.suppress(Exception):
            found.update(name.split("/", 1)[0] for name in store.names() if "/" in name)
    for pid in found:
        ledger.setdefault(pid, {"origins": [], "sso": False})


def _read(path: Path, key: str) -> dict[str, dict[str, Any]]:
    """``{key: {id: {...}}}`` of a small JSON file of this module; {} when missing or damaged."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s is unreadable (%s): taken as empty", path.name, why(exc))
        return {}
    table = document.get(key) if isinstance(document, dict) else None
    if not isinstance(table, dict):
        return {}
    return {str(k): dict(v) for k, v in table.items() if isinstance(v, dict)}


def _write(path: Path, key: str, table: dict[str, dict[str, Any]]) -> None:
    """Replace the file whole (a temporary file, then ``os.replace``), its owner's alone."""
    text = json.dumps({"format": FORMAT, key: table}, ensure_ascii=False, indent=1,
                      sort_keys=True)
    replace_file(path, text)


__all__ = [
    "BY_PERSON",
    "NO_LONGER_CONFIGURED",
    "Item",
    "Note",
    "SanqingReport",
    "State",
    "WebCleared",
    "WebClearer",
    "by_pack",
    "forget_unconfigured",
    "known_platforms",
    "note_configured",
    "pending_retirements",
    "removed_by_person",
    "retire",
    "retire_for_pack",
    "unconfigured",
]
