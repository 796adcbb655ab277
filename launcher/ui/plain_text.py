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
- either shown by a widget set to plain text (``plain_label``, ``PlainLabel``,
  ``plain_message_box``), or, where Qt offers no plain-text setting (tooltips of widgets, tabs,
  tree items and model rows), turned into rich text that says exactly the characters it was given
  (``tooltip``): every character escaped, so no tag, image or link of the text survives;
- in a desktop notification, written without ``<``, ``>`` and ``&`` (``notification_text``):
  notification servers on Linux read the body as markup, and Windows shows it as it is, so no
  escaping is right for both.

Launcher strings that contain no outside text need none of this. Item views draw their cells'
text as plain text (only their tooltips need ``tooltip``); window titles, tab texts, status bar
messages and placeholder texts are plain too.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLabel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

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


class PlainLabel(QLabel):
    """A QLabel that shows its text as plain text, whatever it looks like.

    Qt takes a label's text for rich text only when it holds a ``<`` (a tag) or ``&`` (``&lt;``):
    the label is set to plain text when the first such text comes, so a label of the window's
    first frame does not build PySide6's ``Qt`` namespace (docs/ui.md, a lean start)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain = False
        self._guard(super().text())

    def setText(self, text: str) -> None:
        self._guard(text)
        super().setText(text)

    def _guard(self, text: str) -> None:
        if not self._plain and ("<" in text or "&" in text):
            plain_label(self)
            self._plain = True


_MARKUP = str.maketrans({"<": "＜", ">": "＞", "&": "＆"})


def notification_text(text: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """``text`` bounded, with ``<``, ``>`` and ``&`` written as their full-width forms (＜＞＆).

    A desktop notification's body is markup to a Linux notification server (``<a href>``,
    ``<img src>``), and plain text to Windows and to Qt's own balloon: so outside text in a
    notification is written with characters neither reads as markup."""
    return bounded(text, limit).translate(_MARKUP)


def plain_message_box(box: QMessageBox) -> QMessageBox:
    """Make ``box`` show its text and informative text as plain text; returns it."""
    from PySide6.QtCore import Qt

    box.setTextFormat(Qt.TextFormat.PlainText)
    return box
