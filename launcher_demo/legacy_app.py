"""A legacy platform of the demo county: 农村“三资”监管 (rural collective funds, assets and
resources), with only its own login form and its own accounts, as many older county systems are.

It knows nothing of the county identity service: the launcher signs in to it with the password
vault, which fills this login form. Pages: ``/login`` (form ``#login-form``, inputs ``#username``
and ``#password``, button ``#login-submit``; a refused password shows ``#login-error``), ``/`` (the
to-do list) and ``/ledger/<id>`` (one item), both behind the platform's own session cookie.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import wraps
from pathlib import Path
from typing import Any

from flask import Flask, abort, redirect, render_template, request, session, url_for

from launcher_demo.platform_app import _safe_next
from launcher_demo.seed import CST

TEMPLATES = Path(__file__).with_name("templates")
LEGACY_ID = "demo.sanzi"
LEGACY_SHORT = "sanzi"
LEGACY_NAME = "农村“三资”监管"
LEGACY_COOKIE = "demo_sanzi_session"
"""Every demo server is on 127.0.0.1 and cookies ignore ports: each has its own cookie name."""


@dataclass(frozen=True)
class LegacyAccount:
    """An account of the legacy platform itself; its password differs from the county login's."""

    username: str
    password: str
    name: str


LEGACY_ACCOUNTS: tuple[LegacyAccount, ...] = (
    LegacyAccount("zhangwei", "Sz@zw2024", "张伟"),
    LegacyAccount("lina", "Sz@ln2024", "李娜"),
    LegacyAccount("wangfang", "Sz@wf2024", "王芳"),
)
"""LEGACY_ACCOUNTS[0] is shown on the login page as the demo account."""


@dataclass(frozen=True)
class LoginAttempt:
    """One password check by the login form (what tests count to prove nothing is retried)."""

    username: str
    ok: bool


@dataclass(frozen=True)
class LedgerItem:
    id: str
    title: str
    kind: str
    village: str
    days: int

    @property
    def due(self) -> str:
        return (datetime.now(CST) + timedelta(days=self.days)).strftime("%Y-%m-%d")


ITEMS: tuple[LedgerItem, ...] = (
    LedgerItem("SZ-0101", "村级财务凭证月度审核（李家村）", "资金", "李家村", 2),
    LedgerItem("SZ-0102", "集体资产台账年度清查（红旗村）", "资产", "红旗村", 9),
    LedgerItem("SZ-0103", "集体土地承包合同到期续签（新河村）", "资源", "新河村", 20),
    LedgerItem("SZ-0104", "村集体经营性收入公示（东风社区）", "资金", "东风社区", -1),
)


@dataclass
class LegacyData:
    """The password checks the login form made, behind a lock."""

    attempts: list[LoginAttempt] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_attempt(self, attempt: LoginAttempt) -> None:
        with self.lock:
            self.attempts.append(attempt)

    def all_attempts(self) -> list[LoginAttempt]:
        with self.lock:
            return list(self.attempts)


def find_account(username: str) -> LegacyAccount | None:
    return next((a for a in LEGACY_ACCOUNTS if a.username == username), None)


def create_legacy_app(data: LegacyData) -> Flask:
    app = Flask("launcher_demo.sanzi", template_folder=str(TEMPLATES))
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_NAME=LEGACY_COOKIE,
        SESSION_COOKIE_SAMESITE="Lax",
    )
    # Like many older platforms, it sends no X-Frame-Options: another site may frame its login
    # page, which is why the vault never fills a page inside a frame.

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        return {"name": LEGACY_NAME, "user": session.get("user")}

    def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if "user" not in session:
                return redirect(url_for("login", next=request.full_path.rstrip("?")))
            return view(*args, **kwargs)

        return wrapper

    def login_page(error: str = "", username: str = "") -> str:
        # One token per session, not per page: two tabs with the login form both work.
        csrf = session.setdefault("csrf", secrets.token_urlsafe(16))
        return render_template(
            "legacy_login.html",
            error=error,
            username=username,
            csrf=csrf,
            next=_safe_next(request.args.get("next", "/")),
            demo=LEGACY_ACCOUNTS[0],
        )

    @app.get("/login")
    def login() -> Any:
        if "user" in session:
            return redirect(_safe_next(request.args.get("next", "/")))
        return login_page()

    @app.post("/login")
    def login_post() -> Any:
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        expected = session.get("csrf")
        if not expected or not secrets.compare_digest(expected, request.form.get("csrf", "")):
            return login_page("页面已过期，请重新登录。", username)
        account = find_account(username)
        ok = account is not None and secrets.compare_digest(
            account.password.encode(), password.encode()
        )
        data.add_attempt(LoginAttempt(username, ok))
        if not ok or account is None:
            # Like most such platforms: the same page again, with the error, status 200.
            return login_page("用户名或密码错误，请重新输入。", username)
        session.clear()
        session["user"] = {"username": account.username, "name": account.name}
        return redirect(_safe_next(request.args.get("next", "/")))

    @app.get("/")
    @login_required
    def home() -> str:
        return render_template("legacy_home.html", items=ITEMS)

    @app.get("/ledger/<item_id>")
    @login_required
    def ledger(item_id: str) -> str:
        item = next((i for i in ITEMS if i.id == item_id), None)
        if item is None:
            abort(404)
        return render_template("legacy_ledger.html", item=item)

    @app.get("/logout")
    def logout() -> Any:
        session.clear()
        return redirect(url_for("login"))

    return app
