"""The kill switch's blocks and the county's index, parsed from hostile JSON."""

from __future__ import annotations

import json
import logging

import pytest

from launcher.core.packs.blocks import (
    MAX_BLOCKS,
    BadIndex,
    Block,
    Index,
    blocks_for,
    parse_blocks,
    parse_index,
)
from launcher.core.packs.version import PackVersion

GOOD = {"plugin": "anji.tasks", "version": "1.3.0", "level": "hard", "reason": "数据泄露风险",
        "reason_en": "data leak", "contact": "县大数据中心 0572-1234567"}


def test_a_block_matches_its_plugin_at_its_version_or_every_version() -> None:
    blocks = parse_blocks([GOOD, {**GOOD, "plugin": "anji.other", "version": "*",
                                  "level": "soft"}])
    assert blocks_for(blocks, "anji.tasks", "1.3.0") == [Block(**GOOD)]
    assert blocks_for(blocks, "anji.tasks", "1.3.1") == []
    assert blocks_for(blocks, "anji.other", "9.9") == [blocks[1]]
    assert not blocks[1].hard and blocks[0].hard


def test_hard_blocks_come_first() -> None:
    blocks = parse_blocks([{**GOOD, "version": "*", "level": "soft"}, GOOD])
    assert [b.level for b in blocks_for(blocks, "anji.tasks", "1.3.0")] == ["hard", "soft"]


@pytest.mark.parametrize(("entry", "said"), [
    ("not an object", "is not an object"),
    ({**GOOD, "plugin": "../../etc"}, "not a plugin id"),
    ({**GOOD, "plugin": 7}, "plugin must be a string"),
    ({**GOOD, "version": "1.0 && rm"}, "neither * nor a version"),
    ({**GOOD, "level": "fatal"}, "level 'fatal'"),
    ({**GOOD, "reason": ""}, "reason is missing"),
    ({**GOOD, "reason": "x" * 501}, "longer than 500"),
    ({**GOOD, "contact": "call\x1b[31m"}, "control characters"),
])
def test_a_bad_entry_is_skipped_with_a_log_line_and_the_others_apply(
        entry: object, said: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        blocks = parse_blocks([entry, {**GOOD, "plugin": "anji.ok"}])
    assert [b.plugin for b in blocks] == ["anji.ok"]
    assert "blocks[0] skipped" in caplog.text and said in caplog.text


def test_blocks_are_bounded_and_a_duplicate_is_read_once(
        caplog: pytest.LogCaptureFixture) -> None:
    many = [{**GOOD, "version": f"1.0.{i}"} for i in range(MAX_BLOCKS + 50)]
    assert len(parse_blocks(many)) == MAX_BLOCKS
    assert len(parse_blocks([GOOD, {**GOOD, "level": "soft"}])) == 1
    assert parse_blocks({"plugin": "x"}) == () and "not a list" in caplog.text
    assert parse_blocks(None) == ()


def _index(**changes: object) -> bytes:
    document = {"format": 1, "county": "anji",
                "pack": {"version": "2026.12.2", "target": "packs/anji-2026.12.2.pack.tar.gz"},
                "blocks": [GOOD]}
    document.update(changes)
    return json.dumps(document).encode()


def test_an_index_reads_back_what_it_wrote() -> None:
    index = parse_index(_index())
    assert index.version == PackVersion.parse("2026.12.2")
    assert index.blocks == (Block(**GOOD),)
    assert parse_index(index.to_bytes()) == index
    assert parse_index(_index(pack=None)) == Index("anji", None, "", (Block(**GOOD),))


@pytest.mark.parametrize(("data", "said"), [
    (b"\xff\xfe", "not JSON"),
    (b"[1]", "not a JSON object"),
    (b"[" * 100000, "not JSON"),
    (_index(format=2), "format 2"),
    (_index(county="../x"), "not a county id"),
    (_index(pack={"version": "2026.x", "target": "packs/anji-2026.x.pack.tar.gz"}),
     "pack.version"),
    (_index(pack={"version": "2026.1", "target": "../../evil.tar.gz"}), "pack.target"),
    (_index(pack={"version": "2026.1", "target": "packs/other-2026.1.pack.tar.gz"}),
     "pack.target"),
    (b" " * (1024 * 1024 + 1), "larger than"),
])
def test_a_broken_index_is_refused_saying_why(data: bytes, said: str) -> None:
    with pytest.raises(BadIndex, match=said):
        parse_index(data)
