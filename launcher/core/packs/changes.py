"""What changed between two packs: platforms added, updated (their manifest's version changed) and
retired, with the IT team's note; and the sentence a person reads about it, in Chinese or English.

``pack build`` computes the changes against the previous pack and writes them into pack.toml's
``[changes]``. A PC that skipped packs compares the pack it has with the new one (``between``):
what the new pack says it retires is retired there too, even when an intermediate pack dropped it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launcher.core.packs.archive import PackInfo

__all__ = ["Changes", "between", "compute"]


@dataclass(frozen=True)
class Changes:
    """``previous``: the version compared with (``""`` for a county's first pack). The platform
    ids are sorted; ``note`` and ``note_en`` are the IT team's words (``note_en`` may be empty:
    the Chinese note is shown then)."""

    previous: str = ""
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    note: str = ""
    note_en: str = ""

    def __bool__(self) -> bool:
        """Whether any platform changed (a note alone is not a change of platforms)."""
        return bool(self.added or self.updated or self.retired)

    def summary(self, language: str, names: Mapping[str, str] | None = None) -> str:
        """``新增：安全排查、执法检查；更新：党员管理；停用：旧平台`` (``added: …; updated: …;
        retired: …`` in English), each platform by its name in ``names`` when known, else its id;
        ``没有平台变化`` when none changed."""
        english = language.startswith("en")
        names = names or {}
        parts = []
        for ids, zh, en in (
            (self.added, "新增", "added"),
            (self.updated, "更新", "updated"),
            (self.retired, "停用", "retired"),
        ):
            if ids:
                shown = [names.get(i) or i for i in ids]
                parts.append(f"{en}: {', '.join(shown)}" if english else f"{zh}：{'、'.join(shown)}")
        if not parts:
            return "no platform changed" if english else "没有平台变化"
        return "; ".join(parts) if english else "；".join(parts)

    def note_in(self, language: str) -> str:
        """The IT team's note in ``language``: the English one when asked for and given, else the
        Chinese one ("" when there is none)."""
        if language.startswith("en") and self.note_en:
            return self.note_en
        return self.note

    def sentence(self, language: str, names: Mapping[str, str] | None = None) -> str:
        """The summary, then the note: what a person is told about a new pack."""
        note = self.note_in(language)
        summary = self.summary(language, names)
        if not note:
            return summary
        return f"{summary}. {note}" if language.startswith("en") else f"{summary}。{note}"


def compute(
    previous: PackInfo | None,
    platforms: Mapping[str, str],
    *,
    retire: Iterable[str] = (),
    note: str = "",
    note_en: str = "",
) -> Changes:
    """The changes of a pack holding ``platforms`` (id: manifest version) since ``previous``: a
    platform the previous pack held and this one does not is retired, and so is each of
    ``retire`` (a platform the county retires that the previous pack did not hold)."""
    before = dict(previous.platforms) if previous is not None else {}
    return Changes(
        previous=str(previous.version) if previous is not None else "",
        added=tuple(sorted(set(platforms) - set(before))),
        updated=tuple(sorted(i for i in platforms if i in before and before[i] != platforms[i])),
        retired=tuple(sorted((set(before) - set(platforms)) | set(retire))),
        note=note,
        note_en=note_en,
    )


def between(old: PackInfo | None, new: PackInfo) -> Changes:
    """What a PC that has ``old`` (None: no pack yet) sees change with ``new``, whichever packs
    it skipped: the platforms compared, plus what ``new`` itself retires, with ``new``'s note."""
    changes = compute(
        old,
        new.platforms,
        retire=(i for i in new.changes.retired if i not in new.platforms),
        note=new.changes.note,
        note_en=new.changes.note_en,
    )
    return changes
