"""Every state, failure reason and sign-in state has its words in Chinese and English, in one
mapping that the window and the command line both use."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from launcher import cli
from launcher.app.vocabulary import (
    AUTH_KINDS,
    CHINESE,
    ENGLISH,
    VOCABULARIES,
    auth_kind_label,
    failure_sentence,
    failure_words,
    platform_kind_label,
    sign_in_text,
    tile_state_label,
)
from launcher.core.errors import AuthError, SourceError
from launcher.core.inbox.service import PlatformState
from launcher.core.manifest import AUTH_KINDS as MANIFEST_AUTH_KINDS
from launcher.core.states import (
    AuthReason,
    FailureReason,
    PlatformKind,
    PlatformStatus,
    TileState,
    auth_reason,
    platform_kind,
)
from launcher.ui import platform_states, sign_in_errors


@pytest.fixture
def window_language() -> Iterator[None]:
    """The window's language is the default locale (``i18n.install_translators`` sets it)."""
    before = QLocale()
    yield
    QLocale.setDefault(before)


def use(language: str) -> None:
    if language == ENGLISH:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


@pytest.mark.parametrize("vocabulary", list(VOCABULARIES), ids=lambda v: v.__name__)
def test_every_member_has_chinese_and_english_words(vocabulary: type) -> None:
    texts = VOCABULARIES[vocabulary]
    for member in vocabulary:  # type: ignore[attr-defined]
        assert member in texts, f"{vocabulary.__name__}.{member.name} has no words"
        found = texts[member]
        for words in (found.label, found.explanation):
            if words is None:
                continue
            assert words.zh.strip() and words.en.strip(), member
            assert words.in_(CHINESE) == words.zh and words.in_(ENGLISH) == words.en
    assert set(texts) == set(vocabulary)  # nothing left over from a member taken away


def test_every_failure_and_sign_in_reason_explains_itself() -> None:
    # The window's state list and the sign-in dialogs show the explanation: none may lack one.
    for reason in FailureReason:
        assert failure_sentence(reason, CHINESE) and failure_sentence(reason, ENGLISH)
    for auth in AuthReason:
        assert sign_in_text(auth, CHINESE) and sign_in_text(auth, ENGLISH)
    # Each reason its own words, none the fallback.
    words = {failure_words(r, ENGLISH) for r in FailureReason}
    assert len(words) == len(FailureReason)
    assert failure_words("something new", ENGLISH) not in words
    assert failure_words(None, CHINESE) == "未知错误"


@pytest.mark.parametrize(
    ("text", "chinese"),
    [
        # The wording staff know from the window (the Qt translation these replace).
        (failure_words(FailureReason.NETWORK, CHINESE), "无法连接"),
        (failure_words(FailureReason.DISABLED, CHINESE), "插件已停用"),
        (tile_state_label(TileState.SIGNED_IN, CHINESE), "已登录"),
        (tile_state_label(TileState.NEEDS_SIGN_IN, CHINESE), "需重新登录"),
        (
            sign_in_text(AuthReason.NETWORK, CHINESE),
            "无法连接统一身份认证服务，请检查网络。请稍后重试；如果一直这样，请联系县信息化团队。",
        ),
        (
            sign_in_text(AuthReason.REFUSED, ENGLISH),
            "The identity service refused the sign-in. Try again; if it keeps happening, contact "
            "the county IT team.",
        ),
    ],
)
def test_the_words_are_the_ones_staff_know(text: str, chinese: str) -> None:
    assert text == chinese


def test_the_codes_are_the_cached_and_printed_ones() -> None:
    # StrEnum: the task cache, JSON output and older comparisons see the same strings.
    assert PlatformStatus.FAILED == "failed" and f"{FailureReason.SIGNED_OUT}" == "signed-out"
    assert SourceError("x", "network").reason is FailureReason.NETWORK
    assert AuthError("x", "interaction-required").reason is AuthReason.INTERACTION_REQUIRED
    assert auth_reason("a-new-code") is AuthReason.OTHER  # a code from outside
    with pytest.raises(ValueError):  # one of the launcher's own is a mistake, never OTHER
        AuthError("x", "a-new-code")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        SourceError("x", "timout")  # type: ignore[arg-type]
    assert AuthError("x", "dns").source_reason() is FailureReason.NETWORK
    assert AuthError("x", "expired").source_reason() is FailureReason.SIGNED_OUT


def test_a_platform_still_refreshing_is_a_state_not_a_message() -> None:
    refreshing = PlatformState("a", PlatformStatus.REFRESHING, None, "anything", None, 0)
    assert platform_states.kind_of(refreshing) is PlatformKind.REFRESHING
    stale = PlatformState("a", PlatformStatus.STALE, None, "refreshing", None, 0)
    assert platform_states.kind_of(stale) is PlatformKind.STALE
    assert platform_kind("failed", "signed-out") is PlatformKind.SIGN_IN


@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
@pytest.mark.parametrize("reason", list(FailureReason))
def test_the_window_and_the_command_line_name_a_failure_alike(
    window_language: None, capsys: pytest.CaptureFixture[str], language: str, reason: str
) -> None:
    use(language)
    state = PlatformState(
        "demo.anquan",
        PlatformStatus.FAILED,
        FailureReason(reason),
        "GET /api: refused",
        datetime(2026, 11, 20, 1, 0, tzinfo=UTC),
        3,
    )
    shown = platform_states.reason_words(state.reason)
    assert shown == failure_words(reason, language)
    if reason != FailureReason.SIGNED_OUT:  # that one's tile says 需重新登录 instead
        assert shown in platform_states.tile_detail(state)
    # The command line's note in the same language: the window's word for the state, and the
    # reason's words after a failure's (失败：无法连接; 需重新登录 for a platform signed out).
    cli._print_states([state], language)
    printed = capsys.readouterr().err
    kind = platform_states.state_word(platform_states.kind_of(state))
    colon = "：" if language == CHINESE else ": "
    words = kind if reason == FailureReason.SIGNED_OUT else f"{kind}{colon}{shown}"
    assert printed.startswith(f"launcher: demo.anquan: {words}")
    assert "GET /api: refused" in printed and "2026-11-20 09:00 CST" in printed  # China time


@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
@pytest.mark.parametrize("status", [PlatformStatus.STALE, PlatformStatus.UNKNOWN])
def test_the_window_and_the_command_line_name_a_state_alike(
    window_language: None, capsys: pytest.CaptureFixture[str], language: str, status: str
) -> None:
    use(language)
    updated = datetime(2026, 11, 20, 1, 0, tzinfo=UTC) if status == PlatformStatus.STALE else None
    state = PlatformState("demo.anquan", PlatformStatus(status), None, "", updated, 3)
    cli._print_states([state], language)
    printed = capsys.readouterr().err
    kind = platform_states.state_word(platform_states.kind_of(state))
    assert kind == platform_kind_label(PlatformKind(status), language)
    assert printed.startswith(f"launcher: demo.anquan: {kind}")
    if updated is not None:
        assert "2026-11-20 09:00 CST" in printed  # China time


def test_the_command_line_prints_no_note_for_a_current_platform(
    capsys: pytest.CaptureFixture[str],
) -> None:
    state = PlatformState("demo.anquan", PlatformStatus.CURRENT, None, "", None, 3)
    cli._print_states([state], CHINESE)
    assert capsys.readouterr().err == ""


def test_every_sign_in_kind_a_manifest_takes_has_words() -> None:
    # The status table's LOGIN column (the manifest's codes are plain strings, not a vocabulary).
    assert set(AUTH_KINDS) == set(MANIFEST_AUTH_KINDS)
    for kind in MANIFEST_AUTH_KINDS:
        assert auth_kind_label(kind, CHINESE) == AUTH_KINDS[kind].label.zh.strip() != ""
        assert auth_kind_label(kind, ENGLISH) == AUTH_KINDS[kind].label.en.strip() != ""
    words = {auth_kind_label(kind, ENGLISH) for kind in MANIFEST_AUTH_KINDS}
    assert len(words) == len(MANIFEST_AUTH_KINDS)  # each its own


@pytest.mark.parametrize("language", [ENGLISH, CHINESE])
def test_the_sign_in_dialogs_say_the_vocabulary_words(window_language: None, language: str) -> None:
    use(language)
    for reason in AuthReason:
        assert sign_in_errors.reason_text(reason) == sign_in_text(reason, language)
    error = sign_in_errors.sign_in_error(AuthError("HTTP 503", "server"))
    assert error.reason is AuthReason.SERVER
    assert error.text == sign_in_text(AuthReason.SERVER, language)


@pytest.mark.parametrize(
    ("language", "shown"), [(ENGLISH, "Sign in again"), (CHINESE, "需重新登录")]
)
def test_a_tile_says_its_state_in_the_window_language(
    window_language: None, qtbot: QtBot, language: str, shown: str
) -> None:
    from launcher.ui.tiles import NEEDS_SIGN_IN, PlatformTile, TileInfo

    use(language)
    tile = PlatformTile(TileInfo("demo.anquan", "安全排查", "http://x/"))
    qtbot.addWidget(tile)
    tile.set_state(NEEDS_SIGN_IN, 2, "")
    assert tile.state_text() == shown == tile_state_label(TileState.NEEDS_SIGN_IN, language)
