"""What changed between two packs, and the sentence a person reads about it."""

from __future__ import annotations

from launcher.core.packs.archive import PackInfo
from launcher.core.packs.changes import Changes, between, compute
from launcher.core.packs.version import PackVersion


def info(version: str, platforms: dict[str, str], changes: Changes | None = None) -> PackInfo:
    return PackInfo("anji", PackVersion.parse(version), "2026-12-07T13:00:00Z", platforms,
                    changes or Changes())


def test_the_first_pack_adds_every_platform() -> None:
    changes = compute(None, {"anji.b": "1.0", "anji.a": "2.0"})
    assert changes == Changes(previous="", added=("anji.a", "anji.b"))


def test_added_updated_and_retired_against_the_previous_pack() -> None:
    before = info("2026.12.1", {"anji.same": "1.0", "anji.newer": "1.0", "anji.gone": "1.0"})
    changes = compute(
        before,
        {"anji.same": "1.0", "anji.newer": "1.1", "anji.fresh": "0.1.0"},
        retire=["anji.elsewhere"],
        note="执法检查升级",
        note_en="Inspections upgraded",
    )
    assert changes.previous == "2026.12.1"
    assert changes.added == ("anji.fresh",)
    assert changes.updated == ("anji.newer",)
    assert changes.retired == ("anji.elsewhere", "anji.gone")
    assert (changes.note, changes.note_en) == ("执法检查升级", "Inspections upgraded")
    assert changes


def test_the_sentences_name_platforms_by_name_when_known() -> None:
    changes = Changes("1", added=("anji.a", "anji.b"), updated=("anji.c",), retired=("anji.d",))
    names = {"anji.a": "安全排查", "anji.b": "执法检查", "anji.c": "党员管理"}
    assert changes.summary("zh_CN", names) == "新增：安全排查、执法检查；更新：党员管理；停用：anji.d"
    assert changes.summary("en", {"anji.a": "Safety"}) == (
        "added: Safety, anji.b; updated: anji.c; retired: anji.d"
    )
    assert Changes("1", updated=("anji.c",)).summary("zh_CN") == "更新：anji.c"


def test_no_change_says_so_and_a_note_follows_the_summary() -> None:
    quiet = Changes("1", note="仅调整图标", note_en="icons only")
    assert not quiet
    assert quiet.summary("zh_CN") == "没有平台变化"
    assert quiet.sentence("zh_CN") == "没有平台变化。仅调整图标"
    assert quiet.sentence("en") == "no platform changed. icons only"
    chinese_only = Changes("1", added=("anji.a",), note="新平台")
    assert chinese_only.sentence("en") == "added: anji.a. 新平台"
    assert Changes("1", added=("anji.a",)).sentence("zh_CN") == "新增：anji.a"


def test_a_pc_that_skipped_packs_sees_every_change_and_what_the_new_pack_retires() -> None:
    installed = info("2026.12.1", {"anji.a": "1.0", "anji.b": "1.0"})
    # 2026.12.2 (skipped) dropped anji.x and retired it; 2026.12.3 says so again.
    new = info(
        "2026.12.3",
        {"anji.a": "1.1", "anji.c": "1.0"},
        Changes("2026.12.2", retired=("anji.x",), note="说明", note_en="note"),
    )
    changes = between(installed, new)
    assert changes == Changes(
        previous="2026.12.1",
        added=("anji.c",),
        updated=("anji.a",),
        retired=("anji.b", "anji.x"),
        note="说明",
        note_en="note",
    )
    fresh = between(None, new)
    assert fresh.added == ("anji.a", "anji.c") and fresh.retired == ("anji.x",)
