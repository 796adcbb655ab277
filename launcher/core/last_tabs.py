"""Each person's last platform tabs (``[office] reopen_tabs``): the platform pages that were open
when that person's tabs last closed together (sign-out, another person signing in, quitting), so
the window can open them again after the same person signs in.

Kept in the keyring, one entry per county account (``tabs/<digest>``, the digest a one-way hash of
the account's ``sub``): an address may name a household or a case, so it never goes to a file in
clear. Bounded: at most ``MAX_TABS`` tabs and ``MAX_CHARS`` characters an entry, small enough for
every keyring (Windows' Credential Manager keeps 2,560 bytes); an address that does not fit is
kept as its platform's home (''). Which addresses go in is the window's choice (only the tab's
own platform's, launcher/ui/last_tabs.py), and it checks them again against the county before it
opens one. No Qt; calls touch the keyring, so never on the GUI thread.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from launcher.core.secrets import SecretStore

log = logging.getLogger(__name__)

PREFIX = "tabs/"
"""The keyring entries' names: ``tabs/<digest of the account>``."""
MAX_TABS = 12
"""Tabs kept per person (the first ones, in the tabs' order)."""
MAX_CHARS = 1200
"""An entry's length (ASCII JSON: 2,400 bytes even as UTF-16)."""
MAX_URL = 1000
"""An address longer than this is kept as its platform's home."""
_PLATFORM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


@dataclass(frozen=True)
class SavedTab:
    platform_id: str
    url: str = ""
    """The page's address on its platform's own origins; '' for the platform's home."""
    tile: bool = False
    """The tab its platform's tile opened (a second click on the tile brings it forward)."""


@dataclass(frozen=True)
class SavedTabs:
    tabs: tuple[SavedTab, ...] = field(default_factory=tuple)
    current: int = -1
    """The index of the tab that was in front; -1 when none was (the inbox was)."""


class LastTabs:
    """The last tabs of each county account, in ``secrets`` (the county's profile service);
    ``digest(sub)`` names an account's entry."""

    def __init__(self, secrets: SecretStore, digest: Callable[[str], str]) -> None:
        self._secrets = secrets
        self._digest = digest

    def _name(self, sub: str) -> str:
        if not sub:
            raise ValueError("last tabs belong to a county account")
        return PREFIX + self._digest(sub)

    def save(self, sub: str, saved: SavedTabs) -> None:
        """``sub``'s tabs now (none: the entry goes)."""
        text = encode(saved)
        if text is None:
            self._secrets.delete(self._name(sub))
        else:
            self._secrets.set(self._name(sub), text)

    def load(self, sub: str) -> SavedTabs:
        """``sub``'s last tabs (none when nothing, or nothing readable, was kept)."""
        return decode(self._secrets.get(self._name(sub)))

    def forget_account(self, sub: str) -> None:
        self._secrets.delete(self._name(sub))

    def forget_platform(self, platform_id: str) -> None:
        """The platform's tabs go from every account's entry."""
        for name in self._secrets.names():
            if not name.startswith(PREFIX):
                continue
            saved = decode(self._secrets.get(name))
            kept = tuple(t for t in saved.tabs if t.platform_id != platform_id)
            if len(kept) == len(saved.tabs):
                continue
            current = saved.current
            if 0 <= current < len(saved.tabs):
                front = saved.tabs[current]
                current = kept.index(front) if front in kept else -1
            text = encode(SavedTabs(kept, current))
            if text is None:
                self._secrets.delete(name)
            else:
                self._secrets.set(name, text)


def encode(saved: SavedTabs) -> str | None:
    """The entry's text (ASCII JSON within MAX_CHARS), None when there is no tab to keep.

    Every tab kept gets its place first (as its platform's home); then the addresses go in, in
    the tabs' order, as long as they fit."""
    chosen: list[SavedTab] = []
    current = -1
    for index, tab in enumerate(saved.tabs):
        if len(chosen) >= MAX_TABS:
            break
        if not _PLATFORM_ID.fullmatch(tab.platform_id):
            continue
        if len(_dump([[t.platform_id, "", t.tile] for t in [*chosen, tab]], -1)) > MAX_CHARS:
            break
        if index == saved.current:
            current = len(chosen)
        chosen.append(tab)
    if not chosen:
        return None
    rows: list[list[object]] = [[t.platform_id, "", bool(t.tile)] for t in chosen]
    for row, tab in zip(rows, chosen, strict=True):
        if tab.url and len(tab.url) <= MAX_URL:
            row[1] = tab.url
            if len(_dump(rows, current)) > MAX_CHARS:
                row[1] = ""  # does not fit: the platform's home
    return _dump(rows, current)


def _dump(rows: list[list[object]], current: int) -> str:
    return json.dumps({"v": 1, "t": rows, "c": current}, ensure_ascii=True,
                      separators=(",", ":"))


def decode(text: str | None) -> SavedTabs:
    """What ``encode`` wrote; anything else (damaged, another version) is no tabs."""
    if not text or len(text) > MAX_CHARS * 2:
        return SavedTabs()
    try:
        data = json.loads(text)
    except ValueError:
        log.info("last tabs: an unreadable entry, taken as none")
        return SavedTabs()
    if not isinstance(data, dict) or data.get("v") != 1 or not isinstance(data.get("t"), list):
        return SavedTabs()
    tabs: list[SavedTab] = []
    for row in data["t"][:MAX_TABS]:
        if (
            isinstance(row, list) and len(row) == 3
            and isinstance(row[0], str) and _PLATFORM_ID.fullmatch(row[0])
            and isinstance(row[1], str) and len(row[1]) <= MAX_URL
            and isinstance(row[2], bool)
        ):
            tabs.append(SavedTab(row[0], row[1], row[2]))
    current = data.get("c")
    if isinstance(current, bool) or not isinstance(current, int) or not 0 <= current < len(tabs):
        current = -1
    return SavedTabs(tuple(tabs), current)
