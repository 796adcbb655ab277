"""The words for every member of the state vocabularies (launcher/core/states.py), in Chinese and
English: the one mapping the window and the command line both use.

Each member has a short label (失败：**无法连接**, a tile's 已登录) and, where the window explains
more, a longer explanation that says what to do next. The Chinese is the wording township staff
know from the window (it was the Qt translation until these moved here); a member without words
fails tests/unit/app/test_vocabulary.py.

``language`` is a launcher language code: ``zh_CN`` (the default) or ``en``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from launcher.core.registry import BlockNotice

from launcher.core.states import (
    AuthReason,
    FailureReason,
    PlatformKind,
    SignInState,
    TileState,
    auth_reason,
    failure_reason,
)

CHINESE, ENGLISH = "zh_CN", "en"


class Words(NamedTuple):
    zh: str
    en: str

    def in_(self, language: str) -> str:
        return self.en if language.startswith("en") else self.zh


class Texts(NamedTuple):
    label: Words
    """A few words, for a tile or a status line."""
    explanation: Words | None = None
    """A sentence or two: what happened and what to do next (None where no screen has one)."""


# -- how current a platform's tasks are ------------------------------------------------------

PLATFORM_KINDS: dict[PlatformKind, Texts] = {
    PlatformKind.CURRENT: Texts(Words("已更新", "Up to date")),
    PlatformKind.STALE: Texts(Words("离线数据", "Offline data")),
    PlatformKind.FAILED: Texts(Words("失败", "Failed")),
    PlatformKind.SIGN_IN: Texts(Words("需重新登录", "Sign in again")),
    PlatformKind.UNKNOWN: Texts(Words("尚未加载", "Not loaded yet")),
    PlatformKind.REFRESHING: Texts(Words("正在刷新…", "Refreshing…")),
}

# -- why a platform's tasks (or a change to them) failed ---------------------------------------

FAILURE_REASONS: dict[FailureReason, Texts] = {
    FailureReason.NETWORK: Texts(
        Words("无法连接", "cannot connect"),
        Words("无法连接该平台。", "The platform cannot be reached."),
    ),
    FailureReason.TIMEOUT: Texts(
        Words("响应超时", "no answer in time"),
        Words("平台响应超时。", "The platform did not answer in time."),
    ),
    FailureReason.CERTIFICATE: Texts(
        Words("证书不受信任", "certificate not trusted"),
        Words(
            "本机不信任该平台的安全证书，一端通没有连接。请告诉县信息化团队：可能缺少本县的根证书。",
            "This computer does not trust the platform's security certificate, so the launcher "
            "did not connect. Tell the county IT team: the county's CA certificate may be "
            "missing.",
        ),
    ),
    FailureReason.SIGNED_OUT: Texts(
        Words("登录已失效", "signed out"),
        Words("该平台的登录已失效。", "The sign-in is no longer valid for this platform."),
    ),
    FailureReason.PLATFORM: Texts(
        Words("平台出错", "platform error"),
        Words("平台返回了错误。", "The platform reported an error."),
    ),
    FailureReason.UNREADABLE: Texts(
        Words("回复无法读取", "unreadable answer"),
        Words("无法读取平台返回的数据。", "The platform's answer could not be read."),
    ),
    FailureReason.PLUGIN: Texts(
        Words("插件出错", "plugin error"),
        Words("该平台的插件出错。", "The platform's plugin failed."),
    ),
    FailureReason.DISABLED: Texts(
        Words("插件已停用", "plugin turned off"),
        Words(
            "该平台的插件屡次出错，已停用；重新启动一端通或重新登录后会再试。",
            "The platform's plugin failed again and again and is turned off until the launcher "
            "starts again or you sign in again.",
        ),
    ),
    FailureReason.REFUSED: Texts(
        Words("平台拒绝", "refused"),
        Words("平台拒绝了此操作。", "The platform refused the change."),
    ),
    FailureReason.UNSUPPORTED: Texts(
        Words("不支持", "not supported"),
        Words(
            "该平台不支持在一端通中进行此操作，请到平台自己的页面办理。",
            "The platform does not let the launcher do this; use its own page.",
        ),
    ),
    FailureReason.NARROWING_REFUSED: Texts(
        Words("无法取得该平台的令牌", "no token for this platform"),
        Words(
            "统一身份认证服务不为该平台单独签发令牌，您的登录仍然有效。请联系县信息化团队：本县配置"
            "（county.toml 的 [idp] tokens）需要改为 \"shared\"。",
            "The identity service does not issue a token for this platform alone; your sign-in "
            "is still valid. Contact the county IT team: the county file's [idp] tokens must be "
            "set to \"shared\".",
        ),
    ),
}
UNKNOWN_FAILURE = Texts(
    Words("未知错误", "unknown error"),
    Words("无法加载该平台的待办。", "The platform's tasks could not be loaded."),
)
"""For a reason outside the vocabulary (or none)."""

# -- why signing in failed ---------------------------------------------------------------------

_TRY_LATER = Words(
    "请稍后重试；如果一直这样，请联系县信息化团队。",
    "Try again later; if it keeps happening, contact the county IT team.",
)
_TRY_AGAIN = Words(
    "请重试；如果一直这样，请联系县信息化团队。",
    "Try again; if it keeps happening, contact the county IT team.",
)
_CONTACT = Words("请联系县信息化团队。", "Contact the county IT team.")


def _then(first: Words, *rest: Words) -> Words:
    """Sentences one after the other: with a space in English, none after a Chinese 。."""
    return Words("".join(w.zh for w in (first, *rest)), " ".join(w.en for w in (first, *rest)))


AUTH_REASONS: dict[AuthReason, Texts] = {
    AuthReason.NETWORK: Texts(
        Words("无法连接", "cannot connect"),
        _then(
            Words(
                "无法连接统一身份认证服务，请检查网络。",
                "The identity service cannot be reached. Check the network.",
            ),
            _TRY_LATER,
        ),
    ),
    AuthReason.DNS: Texts(
        Words("找不到地址", "address not found"),
        _then(
            Words(
                "找不到统一身份认证服务的地址。请检查本机是否已连接网络。",
                "The address of the county identity service cannot be found. Check that this "
                "computer is connected to the network.",
            ),
            _TRY_LATER,
        ),
    ),
    AuthReason.TIMEOUT: Texts(
        Words("响应超时", "no answer in time"),
        _then(
            Words(
                "统一身份认证服务没有及时响应。",
                "The county identity service did not answer in time.",
            ),
            _TRY_LATER,
        ),
    ),
    AuthReason.CERTIFICATE: Texts(
        Words("证书不受信任", "certificate not trusted"),
        Words(
            "本机不信任统一身份认证服务的安全证书，一端通没有连接。请联系县信息化团队：可能需要安装本县"
            "的根证书。",
            "This computer does not trust the security certificate of the county identity "
            "service, so the launcher did not connect. Contact the county IT team: the county's "
            "CA certificate may need to be installed.",
        ),
    ),
    AuthReason.SERVER: Texts(
        Words("服务故障", "service fault"),
        _then(
            Words(
                "统一身份认证服务暂时出现故障。",
                "The county identity service has a fault right now.",
            ),
            _TRY_LATER,
        ),
    ),
    AuthReason.UNREADABLE: Texts(
        Words("回复无法读取", "unreadable answer"),
        _then(
            Words(
                "统一身份认证服务返回的内容无法识别。",
                "The county identity service gave an answer the launcher cannot read.",
            ),
            _TRY_LATER,
        ),
    ),
    AuthReason.CONFIG: Texts(
        Words("配置有误", "set up wrongly"),
        _then(
            Words(
                "本县统一身份认证服务配置有误。",
                "The county's identity service is set up wrongly.",
            ),
            _CONTACT,
        ),
    ),
    AuthReason.REFUSED: Texts(
        Words("登录被拒绝", "sign-in refused"),
        _then(
            Words("统一身份认证服务拒绝了本次登录。", "The identity service refused the sign-in."),
            _TRY_AGAIN,
        ),
    ),
    AuthReason.FORGED: Texts(
        Words("未通过安全检查", "failed a security check"),
        _then(
            Words(
                "登录应答未通过安全检查，已被拒绝。",
                "The sign-in answer failed a security check and was rejected.",
            ),
            _TRY_AGAIN,
        ),
    ),
    AuthReason.SIGNED_OUT: Texts(
        Words("已退出登录", "signed out"),
        Words("您已退出登录，请重新登录。", "You are signed out. Please sign in again."),
    ),
    AuthReason.EXPIRED: Texts(
        Words("登录已过期", "sign-in expired"),
        Words("登录已过期，请重新登录。", "The sign-in has expired. Please sign in again."),
    ),
    AuthReason.INTERACTION_REQUIRED: Texts(
        Words("需要在登录页登录", "sign-in page needed"),
        Words(
            "统一身份认证服务需要您在登录页上登录。请重新登录。",
            "The identity service needs you on its sign-in page. Please sign in again.",
        ),
    ),
    AuthReason.CANCELLED: Texts(
        Words("已取消", "cancelled"),
        Words("已取消登录。", "Signing in was cancelled."),
    ),
    AuthReason.KEYRING: Texts(
        Words("密钥环不可用", "keyring not available"),
        _then(
            Words(
                "一端通无法在本机安全地保存登录信息：系统密钥环不可用。",
                "The launcher cannot keep your sign-in safely on this computer: the system "
                "keyring is not available.",
            ),
            _CONTACT,
        ),
    ),
    AuthReason.OTHER: Texts(
        Words("登录失败", "sign-in failed"),
        _then(Words("登录失败。", "Signing in failed."), _TRY_AGAIN),
    ),
    AuthReason.NARROWING_REFUSED: Texts(
        Words("无法取得该平台的令牌", "no token for this platform"),
        _then(
            Words(
                "统一身份认证服务不为单个平台签发令牌，您的登录仍然有效。",
                "The identity service does not issue a token for one platform alone; your "
                "sign-in is still valid.",
            ),
            _CONTACT,
        ),
    ),
}

# -- a platform's sign-in ----------------------------------------------------------------------

SIGN_IN_STATES: dict[SignInState, Texts] = {
    SignInState.SIGNED_IN: Texts(Words("已登录", "Signed in")),
    SignInState.SIGNED_OUT: Texts(Words("未登录", "Not signed in")),
    SignInState.NO_LOGIN: Texts(Words("无需登录", "No sign-in needed")),
    SignInState.PASSWORD_SAVED: Texts(Words("已保存密码", "Password saved")),
    SignInState.PASSWORD_MISSING: Texts(
        Words("自有登录（未保存密码）", "Own login (password not saved)")
    ),
}

TILE_STATES: dict[TileState, Texts] = {
    TileState.SIGNED_OUT: Texts(Words("未登录", "Not signed in")),
    TileState.SIGNED_IN: Texts(Words("已登录", "Signed in")),
    TileState.STALE: Texts(Words("已登录（数据未更新）", "Signed in (not current)")),
    TileState.FAILED: Texts(Words("出错", "Error")),
    TileState.PASSWORD_SAVED: Texts(Words("已保存密码", "Password saved")),
    TileState.PASSWORD_MISSING: Texts(
        Words("自有登录（未保存密码）", "Own login (password not saved)")
    ),
    TileState.NEEDS_SIGN_IN: Texts(Words("需重新登录", "Sign in again")),
    TileState.BLOCKED: Texts(
        Words("已被县里停用", "Blocked by the county"),
        Words("县里已停用此平台的这个版本：{reason}。如需使用，请联系：{contact}",
              "The county has blocked this version of the platform: {reason}. "
              "To use it, contact: {contact}"),
    ),
    TileState.WARNED: Texts(
        Words("可用（有提醒）", "Works (with a warning)"),
        Words("县里提醒：{reason}。有问题请联系：{contact}",
              "The county warns: {reason}. If in doubt, contact: {contact}"),
    ),
}

# -- how a platform signs in (a manifest's ``auth.kind``) ----------------------------------------

AUTH_KINDS: dict[str, Texts] = {
    "sso": Texts(Words("统一身份认证", "Single sign-on")),
    "oidc": Texts(Words("统一身份认证（OIDC）", "Single sign-on (OIDC)")),
    "cas": Texts(Words("统一身份认证（CAS）", "Single sign-on (CAS)")),
    "password": Texts(Words("自有登录", "Own login")),
    "none": Texts(Words("无需登录", "No sign-in needed")),
}
"""Keyed by the manifest's codes (launcher/core/manifest.py ``AUTH_KINDS``), which are plain
strings there; the test checks that every code has words."""

VOCABULARIES: dict[type, dict[object, Texts]] = {
    PlatformKind: PLATFORM_KINDS,  # type: ignore[dict-item]
    FailureReason: FAILURE_REASONS,  # type: ignore[dict-item]
    AuthReason: AUTH_REASONS,  # type: ignore[dict-item]
    SignInState: SIGN_IN_STATES,  # type: ignore[dict-item]
    TileState: TILE_STATES,  # type: ignore[dict-item]
}
"""Every vocabulary and its words (for the test that no member lacks them)."""


# -- lookups -----------------------------------------------------------------------------------


def platform_kind_label(kind: PlatformKind, language: str) -> str:
    return PLATFORM_KINDS[kind].label.in_(language)


def failure_words(reason: str | None, language: str) -> str:
    """A task source's reason in two or three words (失败：无法连接; the command line's note)."""
    return _failure(reason).label.in_(language)


def failure_sentence(reason: str | None, language: str) -> str:
    """A task source's reason as a sentence (the window's state list, a mark-done problem)."""
    explanation = _failure(reason).explanation
    assert explanation is not None  # every failure reason has one (see the test)
    return explanation.in_(language)


def _failure(reason: str | None) -> Texts:
    member = failure_reason(reason)
    return FAILURE_REASONS[member] if member is not None else UNKNOWN_FAILURE


def sign_in_text(reason: str, language: str) -> str:
    """What the person is told when signing in failed: what happened and what to do next."""
    explanation = AUTH_REASONS[auth_reason(reason)].explanation
    assert explanation is not None  # every sign-in reason has one (see the test)
    return explanation.in_(language)


def sign_in_says_call_it_team(reason: str) -> bool:
    """Whether the words for a failed sign-in tell the person to contact the county IT team (the
    window then names the team when the county file gives one, ``[support]``)."""
    explanation = AUTH_REASONS[auth_reason(reason)].explanation
    return explanation is not None and "县信息化团队" in explanation.zh


def sign_in_state_label(state: SignInState, language: str) -> str:
    return SIGN_IN_STATES[state].label.in_(language)


def tile_state_label(state: TileState, language: str) -> str:
    return TILE_STATES[state].label.in_(language)


NO_CONTACT = Words("县信息化部门", "the county's IT team")


def block_sentence(block: BlockNotice, language: str) -> str:
    """What a blocked (hard) or warned (soft) platform's tile says: the county's reason and whom
    to call (the county's words: outside text, shown as plain text)."""
    state = TileState.BLOCKED if block.level == "hard" else TileState.WARNED
    explanation = TILE_STATES[state].explanation
    assert explanation is not None
    english = language.startswith("en")
    reason = (block.reason_en if english and block.reason_en else block.reason).strip()
    return explanation.in_(language).format(
        reason=reason or ("no reason given" if english else "未说明原因"),
        contact=block.contact.strip() or NO_CONTACT.in_(language),
    )


def auth_kind_label(kind: str, language: str) -> str:
    """How a platform signs in (every code the manifest accepts has words: see the test)."""
    return AUTH_KINDS[kind].label.in_(language)
