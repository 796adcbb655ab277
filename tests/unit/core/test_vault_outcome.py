"""Judging the answer to a legacy login: only positive evidence is a success.

The incident (issue 11, item 12): a captcha refusal on another URL was taken for a success, and the
form was submitted again at every opening of the tile until the platform locked the account. Here
every answer such a platform gives, and the manifest's optional checks.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from launcher.core.auth.vault_outcome import (
    FAILURE_WORDS,
    FrameSeen,
    Seen,
    SubmitOutcome,
    judge,
    outcome_script,
    parse_seen,
    refusal_shown,
    url_matches,
)
from launcher.core.errors import ConfigError
from launcher.core.manifest import load_manifest
from launcher.core.registry import Platform

SERVER = "http://127.0.0.1:8431"
BASE = SERVER + "/dangan"


def platform(tmp_path: Path, extra: str = "") -> Platform:
    folder = tmp_path / "dangan"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.toml").write_text(
        textwrap.dedent("""
            schema = 1
            id = "demo.dangan"
            name = "村级档案管理（旧版）"
            version = "1.0.0"
            home = "{base_url}/"
            origins = ["{base_url}"]

            [auth]
            kind = "password"

            [auth.login]
            url = "{base_url}/login.jsp"
            username = "#loginName"
            password = "#loginPwd"
            submit = "#btnLogin"
            """)
        + textwrap.dedent(extra),
        encoding="utf-8",
    )
    return Platform(load_manifest(folder / "manifest.toml"), BASE)


def frameset(main: FrameSeen, *, top: str = BASE + "/", banner_words: tuple[str, ...] = ()) -> Seen:
    """The platform's frameset: the top page, the banner frame, the main frame."""
    return Seen((FrameSeen(top), FrameSeen(BASE + "/top.jsp", words=banner_words), main))


LOGIN_FORM = FrameSeen(BASE + "/login.jsp", passwords=1, login=True, words=("验证码", "锁定"))
"""The login frame as it was before the submission: a captcha label, the lock warning."""
BEFORE = frameset(LOGIN_FORM, banner_words=("锁定",))


def test_the_captcha_refusal_on_another_url_is_a_refusal(tmp_path: Path) -> None:
    """The incident's answer: no password field, another URL, the platform's own origin."""
    answer = frameset(FrameSeen(BASE + "/loginError.jsp?code=captcha", words=("验证码", "错误")),
                      banner_words=("锁定",))
    assert answer.answered
    assert judge(platform(tmp_path), answer, before=BEFORE).kind == SubmitOutcome.REFUSED
    locked = frameset(FrameSeen(BASE + "/loginError.jsp?code=locked", words=("锁定",)))
    assert judge(platform(tmp_path), locked, before=BEFORE).kind == SubmitOutcome.REFUSED


def test_a_signed_in_page_is_a_success_and_old_banner_words_do_not_count(tmp_path: Path) -> None:
    signed_in = frameset(FrameSeen(BASE + "/main.jsp"), banner_words=("锁定",))
    outcome = judge(platform(tmp_path), signed_in, before=BEFORE)
    assert outcome.kind == SubmitOutcome.SUCCESS
    # Without knowing what the banner showed before, its warning is taken for an answer.
    assert judge(platform(tmp_path), signed_in).kind == SubmitOutcome.REFUSED
    # The top page alone, signed in (a platform without frames).
    left = Seen((FrameSeen(BASE + "/main.jsp"),))
    assert judge(platform(tmp_path), left).kind == SubmitOutcome.SUCCESS


@pytest.mark.parametrize(
    ("frame", "kind"),
    [
        # The login page again, with its form: refused.
        (FrameSeen(BASE + "/login.jsp", passwords=1, login=True), SubmitOutcome.REFUSED),
        # A page that still shows a password field somewhere: not a proof.
        (FrameSeen(BASE + "/welcome.jsp", passwords=1), SubmitOutcome.UNKNOWN),
        # An HTTP error page without a word of explanation.
        (FrameSeen(BASE + "/doLogin.jsp", status=500), SubmitOutcome.UNKNOWN),
        # Words of failure the page puts in its own way.
        (FrameSeen(BASE + "/doLogin.jsp", words=("稍后再试",)), SubmitOutcome.REFUSED),
    ],
)
def test_anything_but_a_clear_success_stops(tmp_path: Path, frame: FrameSeen, kind: str) -> None:
    assert judge(platform(tmp_path), frameset(frame), before=BEFORE).kind == kind


def test_leaving_the_platform_or_no_settled_answer_is_unknown(tmp_path: Path) -> None:
    legacy = platform(tmp_path)
    elsewhere = Seen((FrameSeen("http://127.0.0.1:8431/portal/"),))  # same host, another app
    assert judge(legacy, elsewhere).kind == SubmitOutcome.UNKNOWN
    error_page = Seen((FrameSeen("chrome-error://chromewebdata/"),))
    assert judge(legacy, error_page).kind == SubmitOutcome.UNKNOWN
    # The login form's document is still there (no answer yet), or a frame is still loading.
    waiting = frameset(FrameSeen(BASE + "/login.jsp", marked=True, passwords=1, login=True))
    assert not waiting.answered
    assert judge(legacy, waiting, before=BEFORE, timed_out=True).kind == SubmitOutcome.UNKNOWN
    loading = frameset(FrameSeen(BASE + "/main.jsp", ready=False))
    assert not loading.answered
    assert judge(legacy, loading, before=BEFORE).kind == SubmitOutcome.UNKNOWN
    assert judge(legacy, Seen(())).kind == SubmitOutcome.UNKNOWN


def test_a_failure_element_shown_on_the_same_document_is_a_refusal_only_if_new(
    tmp_path: Path,
) -> None:
    legacy = platform(tmp_path, 'failure = "#errorMsg"\n')
    before = Seen((FrameSeen(BASE + "/login.jsp", login=True, passwords=1),))
    # A script-driven login shows the error without a new page.
    inline = Seen((FrameSeen(BASE + "/login.jsp", marked=True, login=True, failure=True),))
    assert refusal_shown(inline, before)
    assert judge(legacy, inline, before=before).kind == SubmitOutcome.REFUSED
    # The person tried again over a page that showed the error already: not an answer yet.
    shown_before = Seen((FrameSeen(BASE + "/login.jsp", login=True, failure=True),))
    assert not refusal_shown(inline, shown_before)
    assert judge(legacy, inline, before=shown_before, timed_out=True).kind == SubmitOutcome.UNKNOWN


def test_the_manifests_checks_decide_first(tmp_path: Path) -> None:
    declared = platform(
        tmp_path,
        """
        success = "#currentUser"
        failure_url = ["{base_url}/loginError.jsp*", "{base_url}/locked*"]
        failure_text = ["请联系管理员"]
        """,
    )
    # The declared success element beats a failure word on a signed-in page ("审核失败" tasks).
    main = FrameSeen(BASE + "/main.jsp", success=True, words=("失败",))
    assert judge(declared, frameset(main), before=BEFORE).kind == SubmitOutcome.SUCCESS
    # Without it, a page that looks fine is not enough when the manifest says what success is.
    plain = frameset(FrameSeen(BASE + "/main.jsp"))
    assert judge(declared, plain, before=BEFORE).kind == SubmitOutcome.UNKNOWN
    # A declared failure page is a refusal even without a word on it.
    error = frameset(FrameSeen(BASE + "/loginError.jsp?code=9"))
    assert judge(declared, error, before=BEFORE).kind == SubmitOutcome.REFUSED
    script = outcome_script(declared, "m")
    payload = json.loads(script[script.rindex("})(") + 3 : -2])
    assert payload["mark"] == "m" and payload["success"] == "#currentUser"
    assert "请联系管理员" in payload["words"] and "验证码" in payload["words"]

    by_url = platform(tmp_path / "u", 'success_url = "{base_url}/main.jsp*"\n')
    assert judge(by_url, frameset(FrameSeen(BASE + "/main.jsp?t=1")), before=BEFORE).kind == (
        SubmitOutcome.SUCCESS
    )
    desk = frameset(FrameSeen(BASE + "/desk.jsp"))
    assert judge(by_url, desk, before=BEFORE).kind == SubmitOutcome.UNKNOWN


def test_url_patterns() -> None:
    assert url_matches(BASE + "/loginError.jsp*", BASE + "/loginError.jsp?code=captcha")
    assert url_matches(BASE + "/main.jsp", BASE + "/main.jsp#top")
    assert url_matches("HTTP://127.0.0.1:8431/dangan/*", BASE + "/x")
    assert not url_matches(BASE + "/main.jsp", BASE + "/main.jsp?x=1")
    assert not url_matches(BASE + "/a.b", BASE + "/aXb")  # a dot is a dot, not any character
    assert not url_matches(BASE + "/main*", SERVER + "/portal/main")


def test_what_the_page_script_reports_is_bounded_and_typed() -> None:
    raw = {
        "frames": [
            {
                "url": "http://x/" + "a" * 10_000,
                "marked": "yes",
                "ready": False,
                "status": -5,
                "passwords": True,
                "login": 1,
                "failure": True,
                "success": None,
                "words": ["验证码" * 100, 5] + ["w"] * 100,
            },
            "not a frame",
        ]
        + [{"url": f"http://x/{i}"} for i in range(40)],
        "hidden": "many",
    }
    seen = parse_seen(json.dumps(raw))
    # The first 16 entries are read (a string among them is dropped), the rest ignored.
    assert seen is not None and seen.hidden == 0 and len(seen.frames) == 15
    first = seen.frames[0]
    assert len(first.url) == 2048 and first.marked is False and first.ready is False
    assert (first.status, first.passwords, first.login, first.failure) == (0, 0, False, True)
    assert len(first.words) == 50 and len(first.words[0]) == 40 and first.words[1] == "5"
    for bad in (None, "", "[]", "{}", '{"frames": 3}', 5, "x" * 2_000_000):
        assert parse_seen(bad) is None


def test_the_word_list_covers_the_refusals_of_county_platforms() -> None:
    for answer in ("验证码错误，请重新输入", "用户名或密码错误", "账号已锁定，请联系管理员",
                   "登录失败", "密码不正确", "您的账号已被冻结"):
        assert any(word in answer for word in FAILURE_WORDS), answer


def test_bad_checks_in_a_manifest_are_refused_with_the_key(tmp_path: Path) -> None:
    for extra, key in (
        ('success_url = "javascript:alert(1)"\n', "success_url"),
        ('failure_url = ["/relative"]\n', "failure_url"),
        ('failure_url = "{base_url}.evil.example/x"\n', "failure_url"),
        ('success_url = "{home}/x"\n', "success_url"),
        ("autosubmit = \"no\"\n", "autosubmit"),
        ('captha = "#yzm"\n', "captha"),
    ):
        with pytest.raises(ConfigError, match=key):
            platform(tmp_path / key, extra)
    fine = platform(tmp_path / "fine", 'autosubmit = false\ncaptcha = "#yzm"\n').manifest
    assert fine.auth.login is not None
    assert fine.auth.login.autosubmit is False and fine.auth.login.captcha == "#yzm"
