"""The one rule for showing text that comes from outside the launcher.

Task titles and subjects, platform messages, page titles and URLs, manifest and county names, the
identity provider's answers: any of it may be hostile. Qt guesses whether a tooltip or a label is
rich text (``Qt::mightBeRichText``) and renders it as HTML when it looks like HTML, and rich text
loads images: ``<img src="/dev/zero">`` in a task title made Qt read /dev/zero when the row was
hovered (the launcher died), and on Windows ``//host/share`` would open a network path. It also
lays out megabytes of text on every repaint.

So outside text is always

- bounded (``bounded``: at most ``limit`` characters, with an ellipsis, control characters and
  bidirectional overrides removed, so a title cannot reorder what is shown after it), and
- either shown by a widget set to plain text (``plain_label``, ``plain_message_box``), or, where
  Qt offers no plain-text setting (tooltips of widgets, tabs, tree items and model rows), turned
  into rich text that says exactly the characters it was given (``tooltip``): every character
  escaped, so no tag, image or link of the text survives.

Launcher strings that contain no outside text need none of this.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMessageBox

MAX_SHOWN_CHARS = 500
"""Outside text in a tooltip, label or message box is cut after this many characters."""

MAX_LINES = 12
"""… and after this many lines."""

# C0 and C1 controls (but tab and newline), and the Unicode bidirectional controls (LRE, RLE, PDF,
# LRO, RLO, LRI, RLI, FSI, PDI, LRM, RLM, ALM), which can make shown text read differently.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def bounded(text: object, limit: int = MAX_SHOWN_CHARS, *, lines: int = MAX_LINES) -> str:
    """``text`` as a string fit to show: controls removed, at most ``lines`` lines and ``limit``
    characters (an ellipsis marks a cut)."""
    value = text if isinstance(text, str) else str(text)
    # Cut before cleaning: a megabyte of title costs nothing beyond this slice.
    cut = len(value) > limit
    value = _INVISIBLE.sub("", value[: limit + 1].replace("\r\n", "\n").replace("\r", "\n"))
    kept = value.split("\n")
    if len(kept) > lines:
        kept, cut = kept[:lines], True
    value = "\n".join(kept)
    if len(value) > limit:
        value, cut = value[:limit], True
    return value.rstrip() + "…" if cut else value


def tooltip(*parts: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """A tooltip that shows ``parts`` (outside text, one per line) exactly as written.

    Qt renders a tooltip as HTML when it looks like HTML, and has no plain-text setting for
    tooltips: so the text is escaped, character by character, inside a paragraph that keeps its
    line breaks. A tag in it shows as the characters of the tag."""
    text = "\n".join(bounded(part, limit) for part in parts if part != "")
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text as plain text, whatever it looks like; returns it."""
    from PySide6.QtCore import Qt

    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain_message_box(box: QMessageBox) -> QMessageBox:
    """Make ``box`` show its text and informative text as plain text; returns it."""
    from PySide6.QtCore import Qt

    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
