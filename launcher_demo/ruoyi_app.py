"""A session-bound platform of the demo county, shaped like the RuoYi-Vue systems many counties run:
网格化服务管理 (grid service management).

Its web pages accept the county login (OpenID Connect at the county IdP), then keep the platform's
own token: the sign-in sets an ``Admin-Token`` cookie and the home page's script copies it into
localStorage, as RuoYi-Vue's front end does. Its API (``/prod-api/...``) accepts only that token,
as ``Authorization: Bearer``, never the county's access token, and answers a missing, unknown or
expired one the RuoYi way: HTTP 200 with ``{"code":401,"msg":"认证失败，无法访问系统资源"}``.
Lists answer ``{"code":200,"msg":"查询成功","rows":[…],"total":n}``, paged by ``pageNum`` and
``pageSize``; times are ``yyyy-MM-dd HH:mm:ss``; a to-do's ``status`` is ``"0"`` (open) or
``"1"`` (done), from RuoYi's dictionary.

The launcher reads it as the manifest written by ``manifest_toml`` says (docs/manifest.md,
``[auth.session]``): a hidden page signs the web app in and the token is read from localStorage.
What tests change: ``expire_tokens`` (every token of the platform expires, as after its
30 minutes), ``refuse_sign_in`` (the platform's web login fails: the launcher must show it signed
out), and they look at ``api_tokens`` (the tokens its API was called with).

Tests only: ``token_header`` makes the web app receive its token in that response header of
``/prod-api/getInfo``, which its page's script asks for (XMLHttpRequest, as axios does, or
``fetch`` with ``token_by_fetch``) and keeps in its memory only: no token cookie, nothing in
storage; its web session is a signed, HttpOnly cookie. Such a platform's manifest is
``manifest_toml(token_header=…)``.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, Response, jsonify, redirect, render_template_string, request, session

from launcher_demo.platform_app import _safe_next
from launcher_demo.seed import CST

RUOYI_ID = "demo.wanggefuwu"
RUOYI_SHORT = "wanggefuwu"
RUOYI_NAME = "网格化服务管理"
RUOYI_NAME_EN = "Grid service management"
TOKEN_NAME = "Admin-Token"
"""RuoYi-Vue's cookie (js-cookie) and, in this demo, the localStorage key of the token."""
API_LIST = "/prod-api/business/todo/list"
API_INFO = "/prod-api/getInfo"
"""The answer carrying the token in a header, when the platform is set up so (``token_header``)."""
TOKEN_LIFETIME = 30 * 60
"""Seconds a platform token lives (RuoYi's default ``token.expireTime`` is 30 minutes)."""
REFUSED = {"code": 401, "msg": "认证失败，无法访问系统资源"}


@dataclass(frozen=True)
class Todo:
    id: int
    owner: str
    title: str
    grid: str
    days: int
    status: str = "0"

    def row(self) -> dict[str, Any]:
        due = (datetime.now(CST) + timedelta(days=self.days)).replace(hour=17, minute=30,
                                                                      second=0, microsecond=0)
        return {"todoId": self.id, "todoTitle": self.title, "gridName": self.grid,
                "deadline": due.strftime("%Y-%m-%d %H:%M:%S"), "status": self.status,
                "remark": None}


TODOS: tuple[Todo, ...] = (
    Todo(3101, "zhangwei", "网格事件核查：李家村道路积水", "城关镇第一网格", 1),
    Todo(3102, "zhangwei", "重点人员走访（红旗村）", "城关镇第二网格", 3),
    Todo(3103, "zhangwei", "矛盾纠纷调处回访（新河村）", "城关镇第三网格", 6),
    Todo(3104, "zhangwei", "出租房屋信息采集（东风社区）", "城关镇第一网格", -1),
    Todo(3105, "zhangwei", "消防通道占用整改复查", "城关镇第二网格", 10, status="1"),
    Todo(3201, "lina", "网格员月度巡查（东风社区）", "东风社区网格", 2),
    Todo(3202, "lina", "独居老人探访登记", "东风社区网格", 5),
)


@dataclass
class RuoyiData:
    """The platform's tokens and what tests change or look at, behind a lock."""

    tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    """Token -> (user, expiry time)."""
    refuse_sign_in: bool = False
    token_header: str = ""
    """Tests only: the response header of ``/prod-api/getInfo`` the web app gets its token in."""
    token_by_fetch: bool = False
    """Tests only, with ``token_header``: the page asks with ``fetch``, not XMLHttpRequest."""
    api_tokens: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, username: str) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = (username, time.time() + TOKEN_LIFETIME)
        return token

    def user_of(self, token: str) -> str | None:
        with self.lock:
            found = self.tokens.get(token)
        return found[0] if found is not None and found[1] > time.time() else None

    def expire_tokens(self) -> None:
        """Every token expires now, as after RuoYi's 30 minutes."""
        with self.lock:
            self.tokens = {t: (user, 0.0) for t, (user, _) in self.tokens.items()}

    def note_api_token(self, token: str) -> None:
        with self.lock:
            self.api_tokens.append(token)

    def issued(self) -> list[str]:
        with self.lock:
            return list(self.tokens)


PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ name }}</title></head>
<body>
<h1>{{ name }}</h1>
{% if user %}<p id="user">当前用户：{{ user }}</p>
<table id="todos">{% for t in rows %}<tr><td>{{ t.todoTitle }}</td><td>{{ t.deadline }}</td></tr>
{% endfor %}</table>
<script>
{% if not header %}
  // As RuoYi-Vue's store does after its login: the token, kept where the web app reads it.
  localStorage.setItem({{ token_name|tojson }}, {{ token|tojson }});
{% elif by_fetch %}
  // The token arrives in a header of the user's information and stays in memory only.
  var appToken = null;
  fetch({{ info|tojson }}).then(function (answer) {
    appToken = answer.headers.get({{ header|tojson }});
  });
{% else %}
  var appToken = null;  // as above, asked for as axios does (XMLHttpRequest)
  var request = new XMLHttpRequest();
  request.open("GET", {{ info|tojson }});
  request.onload = function () { appToken = request.getResponseHeader({{ header|tojson }}); };
  request.send();
{% endif %}
</script>
{% else %}<p id="message">{{ message }}</p>
<script>localStorage.removeItem({{ token_name|tojson }});  // signed out: no token kept</script>
{% endif %}
</body></html>
"""


def create_ruoyi_app(data: RuoyiData, *, base_url: str, issuer: str, client_id: str,
                     client_secret: str) -> Flask:
    """The platform's Flask app: web pages behind the county login, the API behind its token."""
    app = Flask("launcher_demo.wanggefuwu")
    app.config.update(SECRET_KEY=secrets.token_bytes(32),
                      SESSION_COOKIE_NAME="demo_wanggefuwu_session", SESSION_COOKIE_SAMESITE="Lax")
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    idp = OAuth(app).register(
        "idp",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile", "code_challenge_method": "S256",
                       "token_endpoint_auth_method": "client_secret_basic"},
    )

    def page(message: str = "", *, status: int = 200, **values: Any) -> tuple[str, int]:
        return render_template_string(PAGE, name=RUOYI_NAME, message=message,
                                      token_name=TOKEN_NAME, header=data.token_header,
                                      by_fetch=data.token_by_fetch, info=API_INFO,
                                      **values), status

    def web_token() -> str:
        """The token of the web session: its cookie, or with ``token_header`` the Flask session."""
        if data.token_header:
            return str(session.get("token", ""))
        return request.cookies.get(TOKEN_NAME, "")

    @app.get("/")
    def root() -> Response:
        return redirect("/index")  # type: ignore[return-value]

    @app.get("/index")
    def index() -> Any:
        token = web_token()
        user = data.user_of(token) if token else None
        if user is None:
            return redirect(f"/auth/login?next={request.full_path}")
        rows = [t.row() for t in TODOS if t.owner == user and t.status == "0"]
        return page(user=user, rows=rows, token=token)

    @app.get("/auth/login")
    def auth_login() -> Any:
        session["next"] = _safe_next(request.args.get("next", "/index"))
        return idp.authorize_redirect(f"{base_url}/auth/callback")

    @app.get("/auth/callback")
    def auth_callback() -> Any:
        try:
            token = idp.authorize_access_token()
        except OAuthError as exc:
            return page(f"统一身份认证未能完成登录（{exc.error}）。", status=400)
        if data.refuse_sign_in:
            return page("登录失败：该账号在本平台已停用，请联系管理员。", status=403)
        username = str((token.get("userinfo") or {})["sub"])
        answer = redirect(session.pop("next", "/index"))
        if data.token_header:
            session["token"] = data.issue(username)  # in the signed, HttpOnly session cookie
            return answer
        # Not HttpOnly: RuoYi-Vue's script reads it (js-cookie), as this demo's page copies it.
        answer.set_cookie(TOKEN_NAME, data.issue(username), path="/", samesite="Lax")
        return answer

    @app.get(API_INFO)
    def info() -> Response:
        """The signed-in user, and with ``token_header`` the web session's token in that header."""
        token = web_token()
        user = data.user_of(token) if token else None
        if user is None:
            return jsonify(REFUSED)
        answer = jsonify({"code": 200, "msg": "操作成功", "user": {"userName": user}})
        if data.token_header:
            answer.headers[data.token_header] = token
        return answer

    @app.get("/logout")
    def logout() -> Any:
        answer, status = page("您已退出。")
        response = app.make_response((answer, status))
        response.delete_cookie(TOKEN_NAME, path="/")
        session.pop("token", None)
        return response

    @app.get(API_LIST)
    def todo_list() -> Response:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        data.note_api_token(token)
        user = data.user_of(token) if token else None
        if user is None:
            return jsonify(REFUSED)  # HTTP 200, as RuoYi answers
        rows = [t.row() for t in TODOS if t.owner == user]
        size = _int_arg("pageSize", 10)
        number = _int_arg("pageNum", 1)
        shown = rows[(number - 1) * size: number * size]
        return jsonify({"code": 200, "msg": "查询成功", "rows": shown, "total": len(rows)})

    return app


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return max(int(value), 1) if value.isdigit() else default


def manifest_toml(token_header: str = "") -> str:
    """The platform's manifest, written into the demo county's plugin folder (manifests.py); with
    ``token_header`` (tests only) the token is the one its web app receives in that header."""
    token = (f'{{ header = "{token_header}", url = "{{base_url}}{API_INFO}" }}' if token_header
             else f'{{ local_storage = "{TOKEN_NAME}" }}')
    return f'''{MARKER}
schema = 1
id = "{RUOYI_ID}"
name = "{RUOYI_NAME}"
name_en = "{RUOYI_NAME_EN}"
description = "网格事件、走访与巡查待办；若依(RuoYi-Vue)式平台，接口只认它自己的令牌（示范县演示平台）"
version = "1.0.0"
icon = "icon.svg"
home = "{{base_url}}/index"
origins = ["{{base_url}}"]

# The county login works on its web pages only; its API trusts only the token its web app keeps
# (docs/manifest.md, "Session-bound platforms"). A hidden page signs the web app in after the
# county sign-in and reads the token from localStorage; it goes as Authorization: Bearer.
[auth]
kind = "sso"

[auth.session]
token = {token}

[tasks]
kind = "rest-json"
url = "{{base_url}}{API_LIST}"
items = "rows"
timeout = 30                        # the first refresh signs the web app in first
date_format = "yyyy-MM-dd HH:mm:ss"
fields = {{ id = "todoId", title = "todoTitle", due = "deadline", subject = "gridName", status = "status" }}
closed = ["1"]                      # RuoYi's dictionary: "0" open, "1" done

[tasks.paging]
kind = "page"
param = "pageNum"
size_param = "pageSize"
size = 10
total = "total"

# RuoYi answers HTTP 200 with its own code: 401 there means the token was refused (signed out).
[tasks.answer]
code = "code"
ok = [200]
signed_out = [401]
message = "msg"
'''


MARKER = "# Written by the demo county (launcher_demo/ruoyi_app.py); rewritten at every start."


def icon_svg() -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" '
        'role="img" aria-labelledby="t">\n'
        f'  <title id="t">{RUOYI_NAME}</title>\n'
        '  <rect x="2" y="2" width="60" height="60" rx="14" fill="#1890ff"/>\n'
        '  <text x="32" y="44" font-size="34" font-weight="bold" text-anchor="middle" '
        'fill="#ffffff" font-family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif">'
        "网</text>\n"
        "</svg>\n"
    )
