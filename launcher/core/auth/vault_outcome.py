"""What happened after the password vault submitted a legacy platform's login form.

The rule that keeps accounts from being locked: only positive evidence is a success; a refusal and
anything unclear stop the vault from submitting by itself until the person acts. After a
submission the window reads the tab with ``outcome_script`` (every frame of the page it may read)
until the login form's document is gone and the page has settled, or a deadline passes, and
``judge`` decides:

- **refused**: the platform's declared failure element is shown, a page matches ``failure_url``,
  the new page carries a failure word (验证码, 密码错误, 锁定, 失败 … and the manifest's
  ``failure_text``), or the login page came back;
- **success**: the top page is the platform's own, no failure evidence, and either the manifest's
  success check holds (``success`` element, ``success_url``) or, when it declares none, no page
  of the tab is the login page or shows a password field;
- **unknown**: everything else (another site, an HTTP error page, a password field still there,
  a declared success check that does not hold, no settled answer before the deadline).

Everything the page script reports comes from the page: it is bounded and coerced here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from launcher.core.auth.vault import AutoSubmit, _script_source, is_login_page

if TYPE_CHECKING:
    from launcher.core.registry import Platform

OUTCOME_SCRIPT = "vault_outcome.js"


class SubmitOutcome(StrEnum):
    """The judged outcome of a submission (``Outcome.kind``; see the module doc).

    The vault's own vocabulary, beside it rather than in launcher/core/states.py: only the vault
    decides with it (the saved account's next ``AutoSubmit``), and the person is told it in the
    window's own translated sentences."""

    SUCCESS = "success"
    REFUSED = "refused"
    UNKNOWN = "unknown"

    @property
    def auto(self) -> AutoSubmit:
        """The saved account's state after a submission with this outcome: only a success keeps
        the vault submitting by itself."""
        return _AUTO[self]


_AUTO = {
    SubmitOutcome.SUCCESS: AutoSubmit.READY,
    SubmitOutcome.REFUSED: AutoSubmit.REFUSED,
    SubmitOutcome.UNKNOWN: AutoSubmit.UNKNOWN,
}

FAILURE_WORDS: tuple[str, ...] = (
    "验证码",
    "校验码",
    "密码错误",
    "密码不正确",
    "用户名或密码",
    "账号或密码",
    "帐号或密码",
    "锁定",
    "冻结",
    "失败",
    "错误",
    "不正确",
    "无效",
    "已过期",
    "异常",
    "稍后再试",
    "重新登录",
    "重新输入",
    "captcha",
    "incorrect",
    "invalid",
    "locked",
    "failed",
)
"""Words that, on the page after a submission, mean the platform did not take it. Broad on
purpose: a word on a signed-in page costs one question to the person, a missed refusal can cost a
locked account. A manifest's ``success`` check overrides them; its ``failure_text`` adds more."""

MAX_FRAMES = 16
MAX_URL = 2048
MAX_WORD = 40


@dataclass(frozen=True)
class FrameSeen:
    """One frame of the tab after the submission, as the page script saw it."""

    url: str
    marked: bool = False
    """Still the login form's own document (the answer has not come yet)."""
    ready: bool = True
    status: int = 0
    """The HTTP status of the frame's document (0: unknown)."""
    passwords: int = 0
    """Password inputs shown."""
    login: bool = False
    """The manifest's user-name and password inputs are there."""
    failure: bool = False
    """The manifest's failure element is shown."""
    success: bool = False
    """The manifest's success element is there."""
    words: tuple[str, ...] = ()
    """Failure words found in the frame's text."""


@dataclass(frozen=True)
class Seen:
    """The frames of a tab the script could read (the top first) and how many it could not."""

    frames: tuple[FrameSeen, ...]
    hidden: int = 0

    @property
    def answered(self) -> bool:
        """The login form's document is gone and every readable frame has loaded."""
        return bool(self.frames) and not any(f.marked or not f.ready for f in self.frames)

    @property
    def key(self) -> tuple[str, ...]:
        """What must stay the same between two looks for the page to count as settled."""
        return tuple(f.url for f in self.frames)


@dataclass(frozen=True)
class Outcome:
    """What a submission came to, and why."""

    kind: SubmitOutcome
    reason: str
    """Why, in a few words (for the log; never shown with page text in it)."""


def outcome_script(platform: Platform, mark: str) -> str:
    """JavaScript for ``runJavaScript`` in the tab's top frame, in the fill script's world."""
    login = platform.manifest.auth.login
    payload = {
        "mark": mark,
        "username": login.username if login else "",
        "password": login.password if login else "",
        "success": login.success if login else "",
        "failure": login.failure if login else "",
        "words": list(failure_words(platform)),
    }
    return f"{_script_source(OUTCOME_SCRIPT)}({json.dumps(payload, ensure_ascii=True)});"


def failure_words(platform: Platform) -> tuple[str, ...]:
    login = platform.manifest.auth.login
    extra = login.failure_text if login else ()
    return (*FAILURE_WORDS, *(w for w in extra if w not in FAILURE_WORDS))


def parse_seen(answer: object) -> Seen | None:
    """The page script's answer (a JSON string), bounded and typed; None when it is not one."""
    if not isinstance(answer, str) or len(answer) > 1_000_000:
        return None
    try:
        data = json.loads(answer)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("frames"), list):
        return None
    frames = tuple(_frame(f) for f in data["frames"][:MAX_FRAMES] if isinstance(f, dict))
    return Seen(frames, _int(data.get("hidden")))


def _frame(raw: dict[str, Any]) -> FrameSeen:
    words = raw.get("words")
    return FrameSeen(
        url=str(raw.get("url", ""))[:MAX_URL],
        marked=raw.get("marked") is True,
        ready=raw.get("ready") is not False,
        status=_int(raw.get("status")),
        passwords=_int(raw.get("passwords")),
        login=raw.get("login") is True,
        failure=raw.get("failure") is True,
        success=raw.get("success") is True,
        words=tuple(str(w)[:MAX_WORD] for w in words[:50]) if isinstance(words, list) else (),
    )


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def url_matches(pattern: str, url: str) -> bool:
    """True when ``url`` (its fragment left out) is ``pattern``, where ``*`` stands for any
    text; the scheme and host compare without case."""
    url = url.split("#", 1)[0]
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, url, flags=re.IGNORECASE) is not None


def refusal_shown(seen: Seen, before: Seen | None) -> bool:
    """The platform's failure element is shown: on a new page, or on the login form's own
    document when it was not shown there before the submission (a refusal without a new page)."""
    shown_before = {f.url for f in before.frames if f.failure} if before else set()
    return any(f.failure and not (f.marked and f.url in shown_before) for f in seen.frames)


def judge(
    platform: Platform, seen: Seen, *, before: Seen | None = None, timed_out: bool = False
) -> Outcome:
    """The outcome of a submission on ``platform`` from what the tab shows (see module doc).

    ``before`` is what the tab showed just before the submission: failure words a frame showed
    then, at the same address, do not count (a banner saying "five wrong passwords lock the
    account" is not an answer).
    """
    login = platform.manifest.auth.login
    frames = seen.frames
    if login is None or not frames:
        return Outcome(SubmitOutcome.UNKNOWN, "nothing readable")
    top = frames[0]
    if not platform.owns(top.url):
        return Outcome(SubmitOutcome.UNKNOWN, "the tab left the platform")
    if refusal_shown(seen, before):
        return Outcome(SubmitOutcome.REFUSED, "the failure element is shown")
    failure_urls = [platform.expand(p) for p in login.failure_url]
    if any(url_matches(p, f.url) for p in failure_urls for f in frames):
        return Outcome(SubmitOutcome.REFUSED, "a failure page")
    new = [f for f in frames if not f.marked]
    success_urls = [platform.expand(p) for p in login.success_url]
    declared = bool(login.success or success_urls)
    if any(f.success for f in new) or any(
        url_matches(p, f.url) for p in success_urls for f in new
    ):
        return Outcome(SubmitOutcome.SUCCESS, "the declared success check holds")
    old_words = {f.url: set(f.words) for f in before.frames} if before else {}
    if any(set(f.words) - old_words.get(f.url, set()) for f in new):
        return Outcome(SubmitOutcome.REFUSED, "failure words on the new page")
    if any(f.login and is_login_page(platform, f.url) for f in new):
        return Outcome(SubmitOutcome.REFUSED, "the login page came back")
    if timed_out or not seen.answered:
        return Outcome(SubmitOutcome.UNKNOWN, "no settled answer in time")
    if any(f.status >= 400 for f in frames):
        return Outcome(SubmitOutcome.UNKNOWN, "an HTTP error page")
    if declared:
        return Outcome(SubmitOutcome.UNKNOWN, "the declared success check does not hold")
    if any(f.passwords or f.login or is_login_page(platform, f.url) for f in frames):
        return Outcome(SubmitOutcome.UNKNOWN, "a login form is still shown")
    return Outcome(SubmitOutcome.SUCCESS, "left the login page, no form, no failure")
