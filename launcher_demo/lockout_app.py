"""A legacy platform shaped like the one that got an account locked (issue 11, item 12): 村级档案管理
(旧版), an old JSP-style system behind a county gateway.

- Its pages sit under ``/dangan`` of the server (``base_url`` is ``<server>/dangan``); the
  gateway's other application, a portal at ``/portal/``, is on the same host and port.
- ``/dangan/`` is a frameset: a banner frame and a main frame that shows the login form
  (``login.jsp``: ``#loginName``, ``#loginPwd``, a captcha ``#yzm`` with its picture, button
  ``#btnLogin``, and the warning 连续输错 3 次将锁定账号) until someone is signed in, then the
  to-do list (``main.jsp``, which says 已登录：<name>). Some such systems draw the captcha only
  when a field of the form gets the focus (``captcha = "on-focus"``).
- The form posts inside the frame. A refusal answers on another URL (``loginError.jsp?code=…``:
  验证码错误, 用户名或密码错误, 账号已锁定); a success answers 登录成功 and sends the top window to
  the frameset again.
- Every refused login counts against the account (captcha refusals too), and after
  ``lock_after`` of them in a row the account is locked: even its right password is refused.
- The portal page opens the login page in a popup on a click and copies whatever appears in its
  password field to ``/portal/collect`` (what a hostile neighbour application would do).
- A to-do feed for readers (``/dangan/api/daiban.rss``, RSS 2.0), as such systems offer beside
  their pages: HTTP basic with the account, no captcha, and every refused password counted
  towards the same lock as a refused login form.

``LockoutData`` records every login the platform checked and lets a test change the captcha,
switch the frameset off, or hold the login's answer back (a platform too slow to answer in time).
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from html import escape
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, redirect, render_template, request, session, url_for

from launcher_demo.legacy_app import LegacyAccount

TEMPLATES = Path(__file__).with_name("templates")
LOCKOUT_ID = "demo.dangan"
LOCKOUT_SHORT = "dangan"
LOCKOUT_NAME = "村级档案管理（旧版）"
LOCKOUT_COOKIE = "demo_dangan_session"
PREFIX = "/dangan"
"""Where the platform's pages are on its server; the gateway's portal is beside it."""

LOCKOUT_ACCOUNTS: tuple[LegacyAccount, ...] = (
    LegacyAccount("zhangwei", "Da@zw2024", "张伟"),
    LegacyAccount("lina", "Da@ln2024", "李娜"),
)

REFUSALS = {
    "captcha": "验证码错误，请返回重新输入。",
    "password": "用户名或密码错误，连续输错 {left} 次后账号将被锁定。",
    "locked": "账号已锁定，请联系系统管理员解锁。",
}


ARCHIVE_TODOS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "zhangwei": (
        ("dangan-201", "村级档案年度归档（红旗村）", "2026-12-25"),
        ("dangan-202", "土地承包合同扫描件补录", "2027-01-10"),
    ),
    "lina": (("dangan-301", "东风社区档案移交清单", "2026-12-28"),),
}
"""Per account: (id, title, due date) of its to-dos in the feed."""
FEED_PATH = "/api/daiban.rss"
"""The to-do feed, under the platform's pages (``{base_url}/api/daiban.rss``)."""


@dataclass(frozen=True)
class LockoutAttempt:
    """One login the platform checked: ``result`` is ok, captcha, password or locked."""

    username: str
    result: str


@dataclass
class LockoutData:
    """The platform's state and switches, behind a lock (the server answers on threads)."""

    captcha: str = "form"
    """``form``: the login form shows a captcha; ``on-focus``: it draws the captcha row only when
    a field of the form gets the focus (a person clicking in it sees it, a script filling it does
    not); ``none``: no captcha. With one, a login without the right code is refused."""
    frameset: bool = True
    """The login form is in a frame of a frameset (else it is the page itself)."""
    lock_after: int = 3
    answer_delay: float = 0.0
    """Seconds the answer to a login is held back."""
    attempts: list[LockoutAttempt] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    captchas: list[str] = field(default_factory=list)
    collected: list[str] = field(default_factory=list)
    """What the portal's popup script read from the login page's password field."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def locked(self, username: str) -> bool:
        with self.lock:
            return self.failures.get(username, 0) >= self.lock_after

    def all_attempts(self) -> list[LockoutAttempt]:
        with self.lock:
            return list(self.attempts)

    def latest_captcha(self) -> str:
        """The code of the captcha picture shown last (what the person reads off the screen)."""
        with self.lock:
            return self.captchas[-1] if self.captchas else ""

    def check(self, username: str, password: str, code: str, expected: str) -> str:
        """Check one login as the platform does; returns the result recorded."""
        captcha_wrong = self.captcha != "none" and (
            not expected or code.strip().upper() != expected
        )
        return self._judge(username, password, captcha_wrong=captcha_wrong)

    def check_basic(self, username: str, password: str) -> str:
        """Check the account of one request to the to-do feed (HTTP basic, no captcha), counted
        as a login is; returns the result recorded."""
        return self._judge(username, password, captcha_wrong=False)

    def _judge(self, username: str, password: str, *, captcha_wrong: bool) -> str:
        account = next((a for a in LOCKOUT_ACCOUNTS if a.username == username), None)
        with self.lock:
            if account is not None and self.failures.get(username, 0) >= self.lock_after:
                result = "locked"
            elif captcha_wrong:
                result = "captcha"
            elif account is None or not secrets.compare_digest(
                account.password.encode(), password.encode()
            ):
                result = "password"
            else:
                result = "ok"
            if result in ("captcha", "password"):
                self.failures[username] = self.failures.get(username, 0) + 1
            elif result == "ok":
                self.failures.pop(username, None)
            self.attempts.append(LockoutAttempt(username, result))
            return result

    def failures_of(self, username: str) -> int:
        """Refused logins of the account in a row (the platform's lock counter)."""
        with self.lock:
            return self.failures.get(username, 0)

    def reset(self) -> None:
        """Unlock every account and forget the attempts (between tests)."""
        with self.lock:
            self.attempts.clear()
            self.failures.clear()
            self.captchas.clear()
            self.collected.clear()


def lockout_manifest(*, declared: bool = False) -> str:
    """The platform's manifest.toml: the plain one a county IT team would write first, or with
    ``declared`` the optional checks (success element, failure page, captcha) spelled out."""
    text = f"""schema = 1
id = "{LOCKOUT_ID}"
name = "{LOCKOUT_NAME}"
name_en = "Village archives (old system)"
version = "1.0.0"
home = "{{base_url}}/"
origins = ["{{base_url}}"]

[auth]
kind = "password"

[auth.login]
url = "{{base_url}}/login.jsp"
username = "#loginName"
password = "#loginPwd"
submit = "#btnLogin"
"""
    if declared:
        text += """success = "#currentUser"
failure_url = "{base_url}/loginError.jsp*"
captcha = "#yzm"
"""
    return text


def create_lockout_app(data: LockoutData) -> Flask:
    app = Flask("launcher_demo.dangan", template_folder=str(TEMPLATES))
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_NAME=LOCKOUT_COOKIE,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    pages = Blueprint("dangan", __name__, url_prefix=PREFIX)

    @pages.context_processor
    def _page_context() -> dict[str, Any]:
        return {"name": LOCKOUT_NAME, "user": session.get("user"), "data": data}

    def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if "user" not in session:
                return redirect(url_for("dangan.login"))
            return view(*args, **kwargs)

        return wrapper

    @pages.get("/")
    def index() -> Any:
        if not data.frameset:
            return redirect(url_for("dangan.main" if "user" in session else "dangan.login"))
        main = url_for("dangan.main" if "user" in session else "dangan.login")
        return render_template("lockout_frameset.html", main=main)

    @pages.get("/top.jsp")
    def top() -> str:
        return render_template("lockout_top.html")

    @pages.get("/login.jsp")
    def login() -> Any:
        if "user" in session:
            return redirect(url_for("dangan.main"))
        return render_template("lockout_login.html", nonce=secrets.token_hex(4))

    @pages.get("/captcha.jsp")
    def captcha() -> Response:
        code = "".join(secrets.choice("ACDEFHJKMNPRTWXY34679") for _ in range(4))
        session["captcha"] = code
        with data.lock:
            data.captchas.append(code)
        svg = (
            '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="28">'
            '<rect width="80" height="28" fill="#eceff1"/>'
            f'<text x="8" y="21" font-size="20" font-family="monospace">{code}</text></svg>'
        )
        return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})

    @pages.post("/doLogin.jsp")
    def do_login() -> Any:
        if data.answer_delay:
            time.sleep(data.answer_delay)
        username = request.form.get("loginName", "").strip()
        result = data.check(
            username,
            request.form.get("loginPwd", ""),
            request.form.get("yzm", ""),
            str(session.pop("captcha", "")),
        )
        if result != "ok":
            return redirect(url_for("dangan.login_error", code=result))
        account = next(a for a in LOCKOUT_ACCOUNTS if a.username == username)
        session.clear()
        session["user"] = {"username": account.username, "name": account.name}
        if not data.frameset:
            return redirect(url_for("dangan.main"))
        return render_template("lockout_welcome.html")

    @pages.get("/loginError.jsp")
    def login_error() -> str:
        code = request.args.get("code", "")
        message = REFUSALS.get(code, "登录失败。").format(left=data.lock_after)
        return render_template("lockout_error.html", message=message)

    @pages.get("/main.jsp")
    @login_required
    def main() -> str:
        return render_template("lockout_main.html")

    @pages.get(FEED_PATH)
    def todo_feed() -> Response:
        """The account's to-dos as RSS, behind HTTP basic; a refused account is counted towards
        the lock, a request without one is not (it is asked for, as a browser would be)."""
        auth = request.authorization
        if auth is None or auth.type != "basic" or not auth.username:
            return _basic_challenge("请输入用户名和密码。")
        result = data.check_basic(auth.username, auth.password or "")
        if result != "ok":
            return _basic_challenge(REFUSALS[result].format(left=data.lock_after))
        return Response(_feed(auth.username), mimetype="application/rss+xml")

    @pages.get("/logout.jsp")
    def logout() -> Any:
        session.clear()
        return redirect(url_for("dangan.index"))

    app.register_blueprint(pages)

    # The gateway's other application, on the same host and port.
    @app.get("/portal/")
    def portal() -> str:
        return render_template("lockout_portal.html", login=url_for("dangan.login"))

    @app.post("/portal/collect")
    def collect() -> Response:
        with data.lock:
            data.collected.append(request.get_data(as_text=True)[:200])
        return Response("", status=204)

    return app


def _basic_challenge(message: str) -> Response:
    return Response(message, status=401, mimetype="text/plain",
                    headers={"WWW-Authenticate": 'Basic realm="dangan", charset="UTF-8"'})


def _feed(username: str) -> str:
    """The RSS 2.0 feed of the account's to-dos (due dates in the launcher's feed extension)."""
    items = "".join(
        f"<item><title>{escape(title)}</title><link>{PREFIX}/main.jsp?id={task_id}</link>"
        f"<guid isPermaLink=\"false\">{task_id}</guid><yd:due>{due}</yd:due></item>"
        for task_id, title, due in ARCHIVE_TODOS.get(username, ())
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:yd="https://yiduantong.invalid/ns"><channel>'
        f"<title>{escape(LOCKOUT_NAME)}待办</title><link>{PREFIX}/</link>"
        f"<description>待办事项</description>{items}</channel></rss>\n"
    )


@contextmanager
def serve_lockout() -> Iterator[tuple[LockoutData, str]]:
    """The lockout platform on a server of its own on 127.0.0.1: its data and its URL, for as long
    as the block runs."""
    from launcher_demo.serving import LocalServer

    data = LockoutData()
    server = LocalServer(LOCKOUT_SHORT)
    server.set_app(create_lockout_app(data))
    server.start()
    try:
        yield data, server.url
    finally:
        server.stop()
