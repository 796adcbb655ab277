"""What every task source is to the inbox: one uniform ``fetch`` (``Source``), what one refresh of
a REST JSON source brought (``Synced``), and the signed-in person a manifest's placeholders name
(``Person``, ``fill``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import quote

from launcher.api import TaskItem
from launcher.core.inbox.cache import SyncState


class Source(Protocol):
    """What the inbox calls: one uniform fetch for declarative and plugin sources alike."""

    skipped: int
    """Items of the last answer that were dropped for lack of an id or a title."""
    more: bool
    """The last answer listed more than ``limits.MAX_TASKS`` tasks: only the first were kept."""

    def fetch(self, *, token: str | None, timeout: float) -> list[TaskItem]: ...


@dataclass(frozen=True)
class Synced:
    """What one refresh of a rest-json source brought (see ``RestJsonSource.sync``)."""

    tasks: list[TaskItem]
    """The platform's open tasks; only the changed ones when ``changes_only``."""
    not_modified: bool = False
    """The platform answered 304 Not Modified: the cached tasks are still right."""
    changes_only: bool = False
    """The answer held only items changed since the last refresh (the manifest's ``since``)."""
    removed: tuple[str, ...] = ()
    """Ids of items the answer reported with a ``closed`` status: they leave the inbox."""
    sync: SyncState = field(default_factory=SyncState)
    """What to keep for the next refresh."""
    more: bool = False
    """The platform listed more than ``limits.MAX_TASKS`` tasks; only the first were kept."""




Person = Mapping[str, str]
"""The signed-in person's claims, by name: ``sub``, ``username`` (preferred_username), ``name``
and whatever else the identity service said; empty when nobody is signed in."""

_PLACEHOLDER = re.compile(r"\{(token|username|sub|name|claim\.[A-Za-z_][\w.:-]{0,63})\}")


def fill(template: str, claims: Person, *, token: str | None = None, url: bool = False) -> str:
    """``template`` with ``{token}``, ``{username}``, ``{sub}``, ``{name}`` and ``{claim.X}``
    replaced (an unknown claim is ''); ``url``: each value URL-quoted, so a claim can never add a
    path, a query or another host. The manifest checked which placeholders may stand where."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        text = token or "" if name == "token" else str(claims.get(name.removeprefix("claim."), ""))
        return quote(text, safe="") if url else text

    return _PLACEHOLDER.sub(value, template)
