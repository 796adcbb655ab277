"""A pack's version: dotted whole numbers (``2026.12.1``), compared part by part.

The version names the pack file (``anji-2026.12.1.pack.tar.gz``) and an installed pack's folder,
and a launcher refuses a pack older than the one it has: so it is parsed strictly and bounded (a
signed index is still outside input), and ``str()`` gives back exactly what was parsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MAX_PARTS", "MAX_PART_DIGITS", "PackVersion"]

MAX_PARTS = 6
MAX_PART_DIGITS = 9
_PART = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True, order=True)
class PackVersion:
    """``parts`` compare as a tuple: ``2026.12.10`` is after ``2026.12.9``, and ``2026.12`` is
    before ``2026.12.0``."""

    parts: tuple[int, ...]

    def __post_init__(self) -> None:
        if not 1 <= len(self.parts) <= MAX_PARTS or not all(
            isinstance(p, int) and not isinstance(p, bool) and 0 <= p < 10**MAX_PART_DIGITS
            for p in self.parts
        ):
            raise ValueError(f"not a pack version: {self.parts!r}")

    @classmethod
    def parse(cls, text: object) -> PackVersion:
        """``2026.12.1`` as a version; ``ValueError`` saying what is wrong otherwise."""
        if not isinstance(text, str):
            raise ValueError(f"a pack version must be text like 2026.12.1, not {type(text).__name__}")
        shown = text if len(text) <= 40 else text[:40] + "…"
        if len(text) > MAX_PARTS * (MAX_PART_DIGITS + 1):
            raise ValueError(f"pack version {shown!r} is too long")
        parts = text.split(".")
        if len(parts) > MAX_PARTS:
            raise ValueError(f"pack version {shown!r} has more than {MAX_PARTS} parts")
        for part in parts:
            if not part.isascii() or not _PART.fullmatch(part):
                raise ValueError(
                    f"pack version {shown!r} must be whole numbers joined by dots, without "
                    "leading zeros, like 2026.12.1"
                )
            if len(part) > MAX_PART_DIGITS:
                raise ValueError(
                    f"pack version {shown!r} has a part of more than {MAX_PART_DIGITS} digits"
                )
        return cls(tuple(int(p) for p in parts))

    def __str__(self) -> str:
        return ".".join(str(p) for p in self.parts)
