"""What each tile says from the last refresh, without Qt."""

from __future__ import annotations

from datetime import UTC, datetime

from launcher.api import TaskItem
from launcher.app.tile_states import TileView, tile_views
from launcher.core.inbox.service import PlatformState
from launcher.core.states import FailureReason, PlatformStatus, TileState

NOW = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


def state(pid: str, status: PlatformStatus, reason: FailureReason | None = None) -> PlatformState:
    return PlatformState(pid, status, reason, "detail", NOW, 1)


def test_each_platform_state_becomes_its_tile() -> None:
    states = {
        "a": state("a", PlatformStatus.CURRENT),
        "b": state("b", PlatformStatus.FAILED, FailureReason.SIGNED_OUT),
        "c": state("c", PlatformStatus.FAILED, FailureReason.NETWORK),
        "d": state("d", PlatformStatus.STALE),
        "e": state("e", PlatformStatus.REFRESHING),
        "v": state("v", PlatformStatus.CURRENT),
        "w": state("w", PlatformStatus.FAILED, FailureReason.NETWORK),
    }
    tasks = [TaskItem(platform="a", id=str(n), title="t", url="http://a/") for n in range(2)]
    vault = {"v": TileState.PASSWORD_SAVED, "w": TileState.PASSWORD_MISSING}
    views = tile_views([*states, "x"], states, tasks, vault.get)
    assert {pid: (v.state, v.count, v.explain) for pid, v in views.items()} == {
        "a": (TileState.SIGNED_IN, 2, False),
        "b": (TileState.NEEDS_SIGN_IN, 0, True),
        "c": (TileState.FAILED, 0, True),
        "d": (TileState.STALE, 0, True),
        "e": (TileState.STALE, 0, True),  # its cached tasks shown while it is refreshed
        "v": (TileState.PASSWORD_SAVED, 0, False),
        "w": (TileState.FAILED, 0, True),  # the refresh failed: that comes first
        "x": (TileState.SIGNED_IN, 0, False),  # no state: no detail line either
    }
    assert views["x"] == TileView(TileState.SIGNED_IN, 0, None, False)
    assert views["a"].platform is states["a"]


def test_before_any_refresh_every_tile_is_signed_in_or_the_vaults() -> None:
    views = tile_views(["a", "v"], {}, [], {"v": "password-missing"}.get)
    assert [(v.state, v.platform) for v in views.values()] == [
        (TileState.SIGNED_IN, None), (TileState.PASSWORD_MISSING, None)]


def test_a_blocked_platform_s_tile_says_so_and_a_warned_one_warns_while_it_works() -> None:
    from launcher.app.vocabulary import block_sentence

    class Block:
        def __init__(self, level: str) -> None:
            self.level, self.reason, self.reason_en = level, "版本有缺陷", "a faulty version"
            self.contact = "县大数据中心 0572-1234567"

    class Blocked:
        def __init__(self, level: str) -> None:
            self.block = Block(level)
            self.hard = level == "hard"

    states = {"a": state("a", PlatformStatus.CURRENT), "c": state("c", PlatformStatus.FAILED,
                                                                  FailureReason.NETWORK)}
    blocked = {"a": Blocked("soft"), "b": Blocked("hard"), "c": Blocked("soft")}
    views = tile_views(["a", "b", "c"], states, [], lambda _p: None, blocked)  # type: ignore[arg-type]
    assert views["a"].state == TileState.WARNED and views["a"].explain
    assert views["b"] == TileView(TileState.BLOCKED, 0, None, True)
    assert views["c"].state == TileState.FAILED  # a failure says more than the warning
    said = block_sentence(blocked["b"].block, "zh_CN")
    assert "版本有缺陷" in said and "0572-1234567" in said and "停用" in said
    assert "a faulty version" in block_sentence(blocked["b"].block, "en")
