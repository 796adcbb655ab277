"""Values that change, as a use case: when the person changes a value they keep in the one table
(their phone in 我的信息, a household's address), which platforms received the old value, and
which page of each to open so that it can be corrected there.

Who received a value comes from the fill history the records keep per county account
(``PersonRecords.filled_with``: a keyed fingerprint of each value filled, never the value
itself). The page to open is the platform's declared account page (a form of ``purpose =
"account"``: where the person's own details are edited), else the form that received the value.
Nothing here logs a value or keeps the old one: the caller hands the old values in and drops them.
Disk and keyring: call from a worker, never the GUI thread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from launcher.core.registry import Platform, Registry

ACCOUNT = "account"
"""A form's ``purpose`` meaning the page where the person's own details are edited."""


@dataclass(frozen=True)
class PageToOpen:
    """One platform that received an old value, and the page where it can be corrected."""

    platform_id: str
    form_key: str
    """The declared form that received the value."""
    form_name: str
    """That form's name (its key when the manifest names none)."""
    url: str
    """The page to open: the platform's account page, else the form that received the value."""
    at: str
    """When the value was last filled there (ISO 8601, as the fill history keeps it)."""
    keys: tuple[str, ...]
    """The dictionary keys whose old values it received."""
    account_page: bool
    """True when ``url`` is the platform's declared account page."""
    page_form_key: str = ""
    """The declared form ``url`` is (the account page's key, or ``form_key``)."""


def changed_keys(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, str]:
    """The keys whose value changed (or was cleared) between ``before`` and ``after``, each with
    its OLD value; keys that had no value before are left out (nothing received them)."""
    return {
        key: old
        for key, old in before.items()
        if old.strip() and after.get(key, "").strip() != old.strip()
    }


def pages_for_changes(
    records: Any,
    registry: Registry,
    old_values: Mapping[str, str],
    *,
    owner: str | None = None,
) -> list[PageToOpen]:
    """The platforms whose forms received one of ``old_values`` (key -> the value it had), one
    entry per platform with the page to open there, the most recent first.

    ``records`` is the signed-in person's ``PersonRecords``; ``owner``, when given, is whose
    values these were: if someone else is signed in by now, nothing is found (one person never
    learns where another's values went). A platform no longer in the county, or whose page would
    not be on its own origins, is left out."""
    if owner is not None and records.owner() != owner:
        return []
    found: dict[str, list[tuple[str, Any]]] = {}
    for key, old in old_values.items():
        if not old.strip():
            continue
        for filled in records.filled_with(key, old):
            found.setdefault(filled.platform_id, []).append((key, filled))
    if owner is not None and records.owner() != owner:
        return []  # someone else signed in meanwhile: what was found is not theirs to see
    pages: list[PageToOpen] = []
    for platform_id, hits in found.items():
        platform = registry.get(platform_id)
        if platform is None:
            continue
        page = _page(platform, hits)
        if page is not None:
            pages.append(page)
    pages.sort(key=lambda p: p.at, reverse=True)
    return pages


def _page(platform: Platform, hits: list[tuple[str, Any]]) -> PageToOpen | None:
    latest = max((filled for _key, filled in hits), key=lambda f: f.at)
    keys = tuple(dict.fromkeys(key for key, _filled in hits))
    forms = platform.manifest.forms
    received = next((f for f in forms if f.key == latest.form_key), None)
    account = next((f for f in forms if getattr(f, "purpose", "record") == ACCOUNT), None)
    for form, is_account in ((account, True), (received, False)):
        if form is None:
            continue
        url = platform.expand(form.url)
        if platform.owns(url):
            return PageToOpen(
                platform_id=platform.id,
                form_key=latest.form_key,
                form_name=(received.name or received.key) if received else latest.form_key,
                url=url,
                at=latest.at,
                keys=keys,
                account_page=is_account,
                page_form_key=form.key,
            )
    # The form that received it is gone from the manifest and no account page is declared: the
    # platform's home page, where the person finds their way.
    home = platform.home
    if not platform.owns(home):
        return None
    return PageToOpen(
        platform.id, latest.form_key, latest.form_key, home, latest.at, keys, False, ""
    )
