"""A pack's version: dotted whole numbers, strict and bounded, compared part by part, and given
back as written."""

from __future__ import annotations

import pytest

from launcher.core.packs.version import PackVersion


@pytest.mark.parametrize("text", ["1", "0", "2026.12.1", "2026.12.10", "1.2.3.4.5.6", "999999999"])
def test_a_version_reads_back_as_written(text: str) -> None:
    assert str(PackVersion.parse(text)) == text


def test_versions_compare_part_by_part_as_numbers() -> None:
    v = PackVersion.parse
    assert v("2026.12.10") > v("2026.12.9")
    assert v("2026.12.1") < v("2027.1.1")
    assert v("2026.12") < v("2026.12.0")
    assert v("2026.12.1") == v("2026.12.1")
    assert sorted([v("1.10"), v("1.9"), v("1.0")]) == [v("1.0"), v("1.9"), v("1.10")]
    assert len({v("1.2"), v("1.2")}) == 1


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("", "whole numbers joined by dots"),
        ("1..2", "whole numbers joined by dots"),
        ("1.", "whole numbers joined by dots"),
        (" 1", "whole numbers joined by dots"),
        ("1.a", "whole numbers joined by dots"),
        ("2026.01.1", "without leading zeros"),
        ("-1", "whole numbers joined by dots"),
        ("+1", "whole numbers joined by dots"),
        ("１.２", "whole numbers joined by dots"),  # full-width digits
        ("1_000", "whole numbers joined by dots"),
        ("1.2.3.4.5.6.7", "more than 6 parts"),
        ("1234567890", "more than 9 digits"),
        ("9" * 5000, "too long"),
        ("1\x00", "whole numbers joined by dots"),
    ],
)
def test_anything_else_is_refused_saying_why(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said) as refused:
        PackVersion.parse(text)
    assert len(str(refused.value)) < 200
    assert "\x00" not in str(refused.value)


@pytest.mark.parametrize("value", [None, 1, 1.5, b"1.2", ["1"]])
def test_a_value_that_is_not_text_is_refused(value: object) -> None:
    with pytest.raises(ValueError, match="must be text"):
        PackVersion.parse(value)


def test_parts_are_checked_when_made_directly() -> None:
    with pytest.raises(ValueError):
        PackVersion(())
    with pytest.raises(ValueError):
        PackVersion((1, -1))
    with pytest.raises(ValueError):
        PackVersion((True,))
