"""The county's signed index (``index.json``: the current pack and the blocks) and the kill
switch: blocks of plugin versions.

``index.json`` is signed by the county's targets key and verified by TUF before it is read here,
but it is still parsed as hostile input: a county's tool may have a bug, and the launcher must
never fail to start over one entry. Every bound is checked; a bad entry is skipped with a log
line and the others still apply.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from launcher.core.packs.version import PackVersion
from launcher.core.schema import COUNTY_ID, MAX_ID_CHARS, PLUGIN_ID, bad_text, shown

log = logging.getLogger(__name__)

__all__ = [
    "ANY_VERSION",
    "INDEX_TARGET",
    "LEVELS",
    "MAX_BLOCKS",
    "BadIndex",
    "Block",
    "Index",
    "blocks_for",
    "pack_target",
    "parse_block",
    "parse_blocks",
    "parse_index",
]

ANY_VERSION = "*"
LEVELS = ("hard", "soft")
"""``hard``: the plugin is not loaded (its tile says why and whom to call); ``soft``: it is
loaded and its tile warns."""
MAX_BLOCKS = 500
MAX_REASON_CHARS = 500
MAX_CONTACT_CHARS = 200
MAX_VERSION_CHARS = 64
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_-]*$")


@dataclass(frozen=True)
class Block:
    """One plugin version (or every version: ``*``) the county blocks, and why."""

    plugin: str
    version: str
    level: str
    reason: str
    reason_en: str = ""
    contact: str = ""

    @property
    def hard(self) -> bool:
        return self.level == "hard"

    def matches(self, plugin_id: str, version: str) -> bool:
        return self.plugin == plugin_id and self.version in (ANY_VERSION, version)

    def to_json(self) -> dict[str, str]:
        return {"plugin": self.plugin, "version": self.version, "level": self.level,
                "reason": self.reason, "reason_en": self.reason_en, "contact": self.contact}


class _Bad(ValueError):
    pass


def _text(entry: Mapping[str, Any], key: str, limit: int, *, required: bool) -> str:
    value = entry.get(key, None)
    if value is None or value == "":
        if required:
            raise _Bad(f"{key} is missing")
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{key} must be a string")
    if len(value) > limit:
        raise _Bad(f"{key} is longer than {limit} characters")
    problem = bad_text(value)
    if problem:
        raise _Bad(f"{key} {problem}")
    return value


def parse_block(entry: object) -> Block:
    """One block of the index; ValueError saying what is wrong."""
    if not isinstance(entry, Mapping):
        raise _Bad("is not an object")
    plugin = _text(entry, "plugin", MAX_ID_CHARS, required=True)
    if not PLUGIN_ID.match(plugin):
        raise _Bad(f"plugin {plugin!r} is not a plugin id")
    version = _text(entry, "version", MAX_VERSION_CHARS, required=True)
    if version != ANY_VERSION and not _VERSION.match(version):
        raise _Bad(f"version {version!r} is neither * nor a version")
    level = _text(entry, "level", 8, required=True)
    if level not in LEVELS:
        raise _Bad(f"level {level!r} is not one of {', '.join(LEVELS)}")
    return Block(
        plugin=plugin,
        version=version,
        level=level,
        reason=_text(entry, "reason", MAX_REASON_CHARS, required=True),
        reason_en=_text(entry, "reason_en", MAX_REASON_CHARS, required=False),
        contact=_text(entry, "contact", MAX_CONTACT_CHARS, required=False),
    )


def parse_blocks(value: object, *, source: str = "index.json") -> tuple[Block, ...]:
    """The blocks of ``value`` (the index's ``blocks`` list, or None); bad entries are skipped
    and logged, and at most MAX_BLOCKS are read."""
    if value is None:
        return ()
    if not isinstance(value, list):
        log.warning("%s: blocks is not a list: ignored", source)
        return ()
    if len(value) > MAX_BLOCKS:
        log.warning("%s: %d blocks: only the first %d are read", source, len(value), MAX_BLOCKS)
    blocks: list[Block] = []
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(value[:MAX_BLOCKS]):
        try:
            block = parse_block(entry)
        except ValueError as exc:
            log.warning("%s: blocks[%d] skipped: %s", source, i, exc)
            continue
        if (block.plugin, block.version) in seen:
            log.warning("%s: blocks[%d] skipped: %s %s is blocked twice", source, i,
                        block.plugin, block.version)
            continue
        seen.add((block.plugin, block.version))
        blocks.append(block)
    return tuple(blocks)


def blocks_for(blocks: Iterable[Block], plugin_id: str, manifest_version: str) -> list[Block]:
    """The blocks that apply to ``plugin_id`` at ``manifest_version``, hard ones first."""
    found = [b for b in blocks if b.matches(plugin_id, manifest_version)]
    return sorted(found, key=lambda b: not b.hard)


# -- the index -------------------------------------------------------------------------------

INDEX_TARGET = "index.json"
"""The county's index: the target name in the signed targets metadata."""
INDEX_FORMAT = 1
MAX_INDEX_BYTES = 1024 * 1024


class BadIndex(ValueError):
    """The index cannot be read: says what is wrong."""


@dataclass(frozen=True)
class Index:
    """What ``index.json`` says: the county, its current pack (None before the first one) and
    the blocks."""

    county: str
    version: PackVersion | None = None
    target: str = ""
    """The pack's target name: ``packs/<county>-<version>.pack.tar.gz``."""
    blocks: tuple[Block, ...] = ()

    def to_bytes(self) -> bytes:
        document: dict[str, Any] = {
            "format": INDEX_FORMAT,
            "county": self.county,
            "pack": None if self.version is None
            else {"version": str(self.version), "target": self.target},
            "blocks": [b.to_json() for b in self.blocks],
        }
        return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def pack_target(county: str, version: PackVersion) -> str:
    """The target name of a county's pack of ``version``."""
    from launcher.core.packs.archive import pack_name

    return f"packs/{pack_name(county, version)}"


def parse_index(data: bytes, *, source: str = INDEX_TARGET) -> Index:
    """The index in ``data``; BadIndex saying what is wrong (a bad block is only skipped)."""
    if len(data) > MAX_INDEX_BYTES:
        raise BadIndex(f"{source}: larger than {MAX_INDEX_BYTES // 1024} KB")
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise BadIndex(f"{source}: is not JSON ({str(exc)[:200]})") from None
    if not isinstance(document, dict):
        raise BadIndex(f"{source}: is not a JSON object")
    if document.get("format") != INDEX_FORMAT:
        raise BadIndex(f"{source}: format {shown(document.get('format'))}; this launcher "
                          f"reads format {INDEX_FORMAT} (update the launcher)")
    county = document.get("county")
    if (not isinstance(county, str) or len(county) > MAX_ID_CHARS
            or not COUNTY_ID.match(county)):
        raise BadIndex(f"{source}: county {shown(county)} is not a county id")
    blocks = parse_blocks(document.get("blocks"), source=source)
    pack = document.get("pack")
    if pack is None:
        return Index(county, None, "", blocks)
    if not isinstance(pack, dict):
        raise BadIndex(f"{source}: pack is not an object")
    try:
        version = PackVersion.parse(pack.get("version"))
    except ValueError as exc:
        raise BadIndex(f"{source}: pack.version: {exc}") from None
    target = pack.get("target")
    expected = pack_target(county, version)
    if target != expected:
        raise BadIndex(f"{source}: pack.target is {shown(target)}, not {expected!r}")
    return Index(county, version, expected, blocks)
