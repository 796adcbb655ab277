"""Every colour pair of the style sheet meets WCAG AA: text (its ``color``, or the palette's text
colour where a rule gives none) at least 4.5:1 on every background it is drawn on (1.4.3);
placeholder text too; input borders and focus frames at least 3:1 against the input and the
surfaces around it (1.4.11). The high-contrast sheet (style.qss, then style-contrast.qss) is held
to 7:1 for text (AAA, 1.4.6). Disabled controls are exempt, as WCAG exempts inactive components.

The style sheet is read as Qt reads it: later rules override earlier ones of the same selector, and
a rule with a pseudo-state or property (``X:checked:focus``, ``X[state="failed"]``) starts from the
rules of the selector without it. A text rule without a background of its own is on the widget it
sits in (``SITS_ON``) or, by default, on any of the window's surfaces (``SURFACES``)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette

from launcher.core import paths
from launcher.ui import appearance
from launcher.ui.app import PLACEHOLDER_COLOUR, TEXT_COLOUR, load_style_sheet, set_text_colours

Rules = dict[str, dict[str, str]]

SURFACES = (
    "QMainWindow",
    "QDialog",
    "QTabWidget#mainTabs::pane",
    "QScrollArea#tilePanel",
    "QGroupBox",
    "QStatusBar",
    "QToolBar#mainToolbar",
)
"""What widgets without a background of their own are drawn on (white is always among them)."""
SITS_ON = {
    "QLabel#tileState": "QPushButton#platformTile",
    "QLabel#tileDetail": "QPushButton#platformTile",
    "QLabel#tileName": "QPushButton#platformTile",
    "QLabel#signInBannerText": "QFrame#signInBanner",
    "QLabel#packBarText": "QFrame#packBar",
}
"""Labels drawn on another widget's background (the tile in any state, the bars)."""
INPUTS = ("QLineEdit", "QComboBox")
NO_TEXT = ("QScrollBar",)
"""Rules whose backgrounds never carry text."""
TEXT_AA, TEXT_AAA, NON_TEXT = 4.5, 7.0, 3.0


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def parse(sheet: str, rules: Rules | None = None) -> Rules:
    """Selector → its declarations, later rules over earlier ones."""
    rules = {} if rules is None else rules
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", sheet):
        declarations = {}
        for declaration in body.split(";"):
            if ":" in declaration:
                name, value = declaration.split(":", 1)
                declarations[name.strip()] = value.strip()
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(declarations)
    return rules


def ancestry(selector: str) -> list[str]:
    """``selector`` and the selectors it builds on, widest first: ``X``, ``X:checked``,
    ``X:checked:focus``."""
    chain = [selector]
    while True:
        shorter = re.sub(r"(?<!:):[a-z-]+$|\[[^\]]*\]$", "", chain[0])
        if shorter == chain[0]:
            return chain
        chain.insert(0, shorter)


def effective(rules: Rules, selector: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name in ancestry(selector):
        for key, value in rules.get(name, {}).items():
            if key == "border" or key.startswith("border-"):
                # The shorthand's colour counts as the border's colour, border-color after it.
                colour = re.search(r"#[0-9a-fA-F]{6}", value)
                if key in ("border", "border-color") and colour:
                    merged["border-colour"] = colour[0].lower()
            merged[key] = value
    return merged


def colour(value: str | None) -> str | None:
    found = re.fullmatch(r"#[0-9a-fA-F]{6}", (value or "").strip())
    return found[0].lower() if found else None


def background(props: dict[str, str]) -> str | None:
    return colour(props.get("background") or props.get("background-color"))


def backgrounds_of(rules: Rules, selector: str) -> set[str]:
    """The backgrounds ``selector`` takes in any of its states (the tile hovered and pressed)."""
    found = set()
    for name in rules:
        if ancestry(name)[0] != selector or ":disabled" in name:
            continue
        if bg := background(effective(rules, name)):
            found.add(bg)
    return found


def surfaces(rules: Rules) -> set[str]:
    found = {"#ffffff"}
    for name in SURFACES:
        if bg := background(effective(rules, name)):
            found.add(bg)
    return found


def text_pairs(rules: Rules, text: str) -> Iterator[tuple[str, str, str]]:
    """(what, foreground, background) for every text the sheet colours or puts on a background."""
    for name in rules:
        if ":disabled" in name or any(name.startswith(n) for n in NO_TEXT):
            continue
        props = effective(rules, name)
        fg = colour(props.get("color")) or text
        bg = background(props)
        if bg is not None:
            yield name, fg, bg
            if alternate := colour(props.get("alternate-background-color")):
                yield f"{name} (alternate rows)", fg, alternate
        elif "color" in props:
            base = ancestry(name)[0]
            on = SITS_ON.get(base)
            behind = backgrounds_of(rules, on) if on else surfaces(rules)
            for bg in sorted(behind):
                yield name, fg, bg
        selected = colour(props.get("selection-background-color"))
        if selected:
            yield f"{name} (selected)", colour(props.get("selection-color")) or text, selected


def border_pairs(rules: Rules) -> Iterator[tuple[str, str, str]]:
    """Input borders against the input and the surfaces; focus frames against the surfaces."""
    around = surfaces(rules)
    for name in rules:
        if ":disabled" in name:
            continue
        props = effective(rules, name)
        border = props.get("border-colour")
        if border is None:
            continue
        if ancestry(name)[0] in INPUTS:
            for bg in sorted(around | {background(props) or "#ffffff"}):
                yield name, border, bg
        elif ":focus" in name:
            for bg in sorted(around):
                yield name, border, bg


def sheets() -> dict[str, tuple[Rules, str, str, float]]:
    base = load_style_sheet()
    contrast = (paths.resources_dir() / appearance.CONTRAST_SHEET).read_text(encoding="utf-8")
    return {
        "normal": (parse(base), TEXT_COLOUR, PLACEHOLDER_COLOUR, TEXT_AA),
        "high contrast": (
            parse(contrast, parse(base)),
            appearance.CONTRAST_TEXT,
            appearance.CONTRAST_PLACEHOLDER,
            TEXT_AAA,
        ),
    }


@pytest.mark.parametrize("mode", ["normal", "high contrast"])
def test_every_text_colour_is_readable_on_its_background(mode: str) -> None:
    rules, text, _placeholder, minimum = sheets()[mode]
    pairs = list(text_pairs(rules, text))
    assert len(pairs) > 40  # the parser found the sheet's rules
    low = [(what, fg, bg, round(ratio(fg, bg), 2)) for what, fg, bg in pairs]
    low = [pair for pair in low if pair[3] < minimum]
    assert not low, f"text below {minimum}:1: {low}"


@pytest.mark.parametrize("mode", ["normal", "high contrast"])
def test_input_borders_and_focus_frames_stand_out(mode: str) -> None:
    rules = sheets()[mode][0]
    pairs = list(border_pairs(rules))
    assert any(what == "QLineEdit" for what, _fg, _bg in pairs)
    low = [(what, fg, bg, round(ratio(fg, bg), 2)) for what, fg, bg in pairs]
    low = [pair for pair in low if pair[3] < NON_TEXT]
    assert not low, f"borders below {NON_TEXT}:1: {low}"


@pytest.mark.parametrize("mode", ["normal", "high contrast"])
def test_placeholder_text_is_readable_in_every_input(mode: str) -> None:
    rules, text, placeholder, _minimum = sheets()[mode]
    palette = QPalette()
    set_text_colours(palette, text, placeholder)
    shown = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
    assert shown.alpha() == 255  # no blending: what is checked is what is drawn
    inputs = {background(effective(rules, n)) for n in rules if ancestry(n)[0] in INPUTS}
    for bg in sorted(b for b in inputs if b):
        assert ratio(shown.name(), bg) >= TEXT_AA, (bg, shown.name())
        assert ratio(text, bg) >= TEXT_AA  # typed text too
    # Still told apart from typed text.
    assert QColor(placeholder).lightness() - QColor(text).lightness() >= 40


def test_the_parser_reads_states_and_shorthands() -> None:
    rules = parse(
        "A { border: 1px solid #111111; background: #ffffff; color: #222222 }\n"
        "A:checked { background: #333333 }\nA:checked:focus { border: 2px solid #444444 }\n"
        'B[state="x"] { color: #555555 }'
    )
    props = effective(rules, "A:checked:focus")
    assert (props["color"], background(props), props["border-colour"]) == (
        "#222222",
        "#333333",
        "#444444",
    )
    assert ancestry('B[state="x"]') == ["B", 'B[state="x"]']
    assert ancestry("QTabBar::tab:selected") == ["QTabBar::tab", "QTabBar::tab:selected"]
    assert ratio("#000000", "#ffffff") == pytest.approx(21)


def test_text_colours_set_in_code_are_readable_too() -> None:
    """The colours a few widgets give their text themselves, on what they are drawn on."""
    from launcher.ui import address_bar, inbox_model, platform_states

    pairs = [
        ("overdue row", inbox_model.OVERDUE_TEXT.name(), inbox_model.OVERDUE_BACKGROUND.name()),
        ("failed platform", platform_states._FAILED_TEXT.name(), "#ffffff"),
        ("stale platform", platform_states._STALE_TEXT.name(), "#ffffff"),
    ]
    pairs += [(what, fg, bg) for what, fg, bg in text_pairs(parse(address_bar._STYLE), TEXT_COLOUR)]
    low = [(what, fg, bg, round(ratio(fg, bg), 2)) for what, fg, bg in pairs]
    assert not [pair for pair in low if pair[3] < TEXT_AA], low
