"""What happened, announced once: the application's one event mechanism.

Every use case publishes an event when it has done something (a person signed in, a refresh
ended, a form was filled, a task marked done, a person signed out); whatever must follow (the
window redrawing, later an audit log, the idle lock, the burden ledger) subscribes here instead of
being called from the use case or patched into a widget (as Anki's operations broadcast what they
changed and each view decides what to redraw).

Handlers run on the thread that publishes, in the order they subscribed; a handler that raises is
logged and never keeps the event from the others or from the publisher. Qt code that needs an
event on the GUI thread subscribes through a queued signal of its own (see launcher/ui/).
Events carry what happened, never secrets and never the values a person typed (a fill names its
fields, not their values).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Base of every event; subscribe to ``Event`` to receive them all."""


E = TypeVar("E", bound=Event)


@dataclass(frozen=True)
class SignedIn(Event):
    """A person signed in (or their session was restored at start: ``restored``)."""

    user: Any  # launcher.core.auth.session.UserInfo
    restored: bool = False


@dataclass(frozen=True)
class SignedOut(Event):
    """A person signed out; everything the launcher kept for their account is gone from here."""

    sub: str


@dataclass(frozen=True)
class UserSwitched(Event):
    """Another person signed in while ``previous`` was signed in; ``previous``'s data is closed."""

    previous_sub: str
    user: Any


@dataclass(frozen=True)
class Refreshed(Event):
    """A refresh ended (or, ``partial``, some platforms answered and others are still asked)."""

    result: Any  # launcher.core.inbox.service.RefreshResult
    partial: bool = False


@dataclass(frozen=True)
class MarkedDone(Event):
    """Mark done ran: ``outcome`` says what each platform did."""

    outcome: Any


@dataclass(frozen=True)
class Regrouped(Event):
    """A row was split into its platforms' tasks (``split``) or merged back."""

    keys: tuple[str, ...]
    split: bool


@dataclass(frozen=True)
class Filled(Event):
    """A platform's form was filled: the platform, the form and the field names (never values)."""

    platform_id: str
    form_key: str
    fields: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class AccountForgotten(Event):
    """Everything this computer kept for the account ``sub`` is gone (a person left the office):
    the profile, saved passwords, session, and the tasks and splits if they were theirs."""

    sub: str


@dataclass(frozen=True)
class PlatformRetired(Event):
    """The county retired a platform: nothing kept of it stays, for any account."""

    platform_id: str


@dataclass(frozen=True)
class Locked(Event):
    """A shared PC's idle lock (or the person) hid the session of ``sub``."""

    sub: str


@dataclass(frozen=True)
class Unlocked(Event):
    """The same person signed in again at the lock: their session is shown again."""

    sub: str


class Events:
    """Subscribe to a kind of event (and its subclasses); publish one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handlers: list[tuple[type[Event], Callable[[Any], None]]] = []

    def subscribe(self, kind: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        """Call ``handler`` with every published event of ``kind``; returns the unsubscribe."""
        entry: tuple[type[Event], Callable[[Any], None]] = (kind, handler)
        with self._lock:
            self._handlers.append(entry)

        def unsubscribe() -> None:
            with self._lock:
                if entry in self._handlers:
                    self._handlers.remove(entry)

        return unsubscribe

    def publish(self, event: Event) -> None:
        with self._lock:
            handlers = [h for kind, h in self._handlers if isinstance(event, kind)]
        for handler in handlers:
            try:
                handler(event)
            except Exception:
                log.exception("a handler of %s failed", type(event).__name__)


@dataclass(frozen=True)
class RefreshStarted(Event):
    """A refresh started (a queued one too, when it starts): ``platform_ids`` are the platforms
    asked, None every platform. One of ``Refreshed`` (not partial), ``RefreshFailed`` or
    ``RefreshAbandoned`` always follows it."""

    platform_ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RefreshFailed(Event):
    """A refresh failed as a whole (no result): ``error`` is what it raised."""

    error: BaseException


@dataclass(frozen=True)
class RefreshAbandoned(Event):
    """A refresh ended after the person it was for signed out (or another person signed in):
    its answer is dropped, nothing of it is shown."""


@dataclass(frozen=True)
class RecordSubmitted(Event):
    """A record was submitted to a row's platforms (一次填报): each platform's id and outcome state
    (``submitted``, ``review``, ``failed``), never the values."""

    record_id: str
    outcomes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableImported(Event):
    """A spreadsheet was imported into the one table (all rows, or none when ``errors``): the kind
    (``household``, ``inspection``…) and counts, never values nor the file's name."""

    kind: str
    rows: int
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0


@dataclass(frozen=True)
class TableExported(Event):
    """The one table's subjects or records of a kind were written to a spreadsheet (``xlsx`` or
    ``csv``): the kind and the number of rows, never values nor the file's name."""

    kind: str
    rows: int
    format: str


@dataclass(frozen=True)
class RecordsChanged(Event):
    """Subjects or records of a kind were saved or deleted (by the table window, an import, a
    submission): views of that kind redraw. ``ids`` are the records' own ids, never values."""

    kind: str
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlatformOpened(Event):
    """A page of the platform was opened for the person (a tile, a task, a notice)."""

    platform_id: str
