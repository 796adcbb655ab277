"""One demo government platform: its task API, its web pages (signed in through the county IdP) and
its form, parameterised by a PlatformSpec."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from authlib.integrations.flask_oauth2 import current_token
from flask import (
    Flask,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

from launcher_demo.bearer import api_resource, make_protector
from launcher_demo.cas_platform import CasPlatform, install_cas
from launcher_demo.platforms import DoneApi, FormField, PlatformSpec
from launcher_demo.seed import CST, SeedTask, seed_platform

TEMPLATES = Path(__file__).with_name("templates")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class PlatformData:
    """A platform's seeded tasks and the forms people submitted, behind a lock."""

    spec: PlatformSpec
    tasks: list[SeedTask] = field(default_factory=list)
    submissions: list[dict[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def seeded(cls, spec: PlatformSpec) -> PlatformData:
        return cls(spec, seed_platform(spec))

    def tasks_of(self, username: str, *, open_only: bool) -> list[SeedTask]:
        with self.lock:
            return [t for t in self.tasks if t.owner == username and (t.open or not open_only)]

    def task(self, task_id: str) -> SeedTask | None:
        with self.lock:
            return next((t for t in self.tasks if t.id == task_id), None)

    def close(self, username: str, task_id: str) -> tuple[int, str]:
        """Mark the user's task done; (HTTP status, message) as the platform answers it."""
        done = self.spec.done
        with self.lock:
            task = next((t for t in self.tasks if t.id == task_id), None)
            if task is None or task.owner != username:
                return 404, "任务不存在或不属于当前用户"
            if not task.open:
                return 409, "该任务已办结，不能重复办结"
            if done is not None and done.record_first and task.form and not any(
                s.get("task") == task_id for s in self.submissions
            ):
                return 409, "须在平台上填写检查记录后方可办结"
            task.open = False
        return 200, "办结成功"

    def add_submission(self, values: dict[str, str]) -> None:
        with self.lock:
            self.submissions.append(dict(values))

    def all_submissions(self) -> list[dict[str, str]]:
        with self.lock:
            return [dict(s) for s in self.submissions]


def session_cookie_name(spec: PlatformSpec) -> str:
    # Every demo server is on 127.0.0.1 and cookies ignore ports: each needs its own name.
    return f"demo_{spec.short}_session"


def create_platform_app(
    data: PlatformData,
    *,
    base_url: str,
    issuer: str,
    client_secret: str,
    cas_server: str | None = None,
    client_id: str | None = None,
    latency: float = 0.0,
) -> Flask:
    """The platform's Flask app; ``latency`` (seconds) holds back every task API answer."""
    spec = data.spec
    app = Flask(f"launcher_demo.{spec.short}", template_folder=str(TEMPLATES))
    app.config.update(
        SECRET_KEY=secrets.token_bytes(32),
        SESSION_COOKIE_NAME=session_cookie_name(spec),
        SESSION_COOKIE_SAMESITE="Lax",
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    oauth = OAuth(app)
    idp = oauth.register(
        "idp",
        client_id=client_id or spec.plugin_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": "openid profile",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": "client_secret_basic",
        },
    )
    require_token = make_protector(issuer, realm=spec.plugin_id, resource=api_resource(base_url))
    cas = None
    if cas_server:  # the county signs in through CAS: see cas_platform.py
        cas = CasPlatform(cas_server, base_url, spec.scope, spec.plugin_id)
        install_cas(app, cas)
        require_token = cas.protector()

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        return {"spec": spec, "user": session.get("user"), "form_spec": spec.form}

    def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if "user" not in session:
                return redirect(url_for("auth_login", next=request.full_path))
            return view(*args, **kwargs)

        return wrapper

    @app.get(spec.api_path)
    @require_token(spec.scope)
    def api_tasks() -> Response:
        if latency:
            time.sleep(latency)
        username = str(current_token["sub"])
        open_only = request.args.get("status") == "open"
        items = [spec.serialize(t, base_url) for t in data.tasks_of(username, open_only=open_only)]
        return _task_answer(spec, items)

    if spec.done is not None:
        done = spec.done

        @app.route(done.path, methods=[done.method], endpoint="api_done")
        @require_token(spec.scope)
        def api_done(task_id: str | None = None) -> tuple[Response, int]:
            if latency:
                time.sleep(latency)
            found = _done_task_id(done, task_id)
            if found is None:
                status, message = 400, "请求参数不正确"
            else:
                status, message = data.close(str(current_token["sub"]), found)
            return jsonify(done.reply(status, message)), status

    @app.get("/")
    @login_required
    def home() -> str:
        tasks = sorted(data.tasks_of(session["user"]["sub"], open_only=True), key=lambda t: t.due)
        return render_template("platform_home.html", tasks=tasks, due_text=_due_text)

    @app.get("/tasks/<task_id>")
    @login_required
    def task_page(task_id: str) -> str:
        task = data.task(task_id)
        if task is None or task.owner != session["user"]["sub"]:
            abort(404)
        return render_template("platform_task.html", task=task, due_text=_due_text)

    @app.route(spec.form.path, methods=["GET", "POST"])
    @login_required
    def form_page() -> Any:
        values = {f.name: "" for f in spec.form.fields}
        errors: list[str] = []
        if request.method == "POST":
            values.update({f.name: request.form.get(f.name, "").strip() for f in spec.form.fields})
            errors = _validate(spec.form.fields, values)
            if not errors:
                data.add_submission(
                    {
                        **values,
                        "submitted_by": session["user"]["sub"],
                        "task": request.args.get("task", ""),
                    }
                )
                return render_template(
                    "platform_message.html",
                    title="提交成功",
                    message=f"{spec.form.title}已提交成功。",
                )
        page = render_template("platform_form.html", values=values, errors=errors)
        return page, (400 if errors else 200)

    @app.get("/auth/login")
    def auth_login() -> Response:
        session["next"] = _safe_next(request.args.get("next", "/"))
        if cas is not None:
            return cas.login_redirect()
        return idp.authorize_redirect(f"{base_url}/auth/callback")  # type: ignore[no-any-return]

    @app.get("/auth/callback")
    def auth_callback() -> Any:
        try:
            token = idp.authorize_access_token()
        except OAuthError as exc:
            return render_template(
                "platform_message.html",
                title="登录失败",
                message=f"统一身份认证未能完成登录（{exc.error}）。",
            ), 400
        info = token.get("userinfo") or {}
        session["user"] = {"sub": info["sub"], "name": info.get("name", info["sub"])}
        return redirect(session.pop("next", "/"))

    @app.get("/auth/logout")
    def auth_logout() -> str:
        session.clear()
        return render_template(
            "platform_message.html", title="已退出", message=f"您已退出{spec.name}。"
        )

    return app


def _task_answer(spec: PlatformSpec, items: list[dict[str, Any]]) -> Response:
    """The task list the way this platform answers: paged or whole, with an ETag or without."""
    link = None
    if spec.paging == "page":
        page = _int_arg("page", 1, minimum=1)
        size = _int_arg("page_size", 50, minimum=1)
        items = items[(page - 1) * size : page * size]
    elif spec.paging == "next-link":
        # Spring style: ?page= (from 0) and ?size= (default 50), the next page in a Link header.
        page = _int_arg("page", 0, minimum=0)
        size = _int_arg("size", 50, minimum=1)
        if (page + 1) * size < len(items):
            query = request.args.to_dict()
            query["page"] = str(page + 1)
            link = f"<{request.path}?{urlencode(query)}>; rel=\"next\""
        items = items[page * size : (page + 1) * size]
    answer = jsonify(spec.envelope(items))
    if link:
        answer.headers["Link"] = link
    if spec.etag:
        answer.add_etag()
        answer.make_conditional(request)
    return answer


def _done_task_id(done: DoneApi, task_id: str | None) -> str | None:
    """The task a mark-done request names (in its path, or in its body where the path has none);
    None when the body is not the one the platform insists on."""
    if done.body is None:
        return task_id
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or set(body) != set(done.body):
        return None
    for key, wanted in done.body.items():
        value = body[key]
        if not isinstance(value, str):
            return None
        if "{id}" in wanted:
            head, _, tail = wanted.partition("{id}")
            if not (value.startswith(head) and value.endswith(tail)):
                return None
            named = value[len(head) : len(value) - len(tail)]
            if task_id is not None and named != task_id:
                return None
            task_id = named
        elif value != wanted:
            return None
    return task_id or None


def _int_arg(name: str, default: int, *, minimum: int) -> int:
    value = request.args.get(name, "")
    return max(int(value), minimum) if value.isdigit() else default


def _validate(fields: tuple[FormField, ...], values: dict[str, str]) -> list[str]:
    errors: list[str] = []
    for f in fields:
        value = values[f.name]
        if not value:
            if f.required:
                errors.append(f"请填写：{f.label}")
            continue
        if f.kind == "select" and value not in f.options:
            errors.append(f"请从列表中选择：{f.label}")
        elif f.kind == "date" and not _DATE.match(value):
            errors.append(f"日期格式应为 年-月-日：{f.label}")
        elif f.kind == "number" and not value.isdigit():
            errors.append(f"请填写整数：{f.label}")
    return errors


def _safe_next(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return "/"
    return value


def _due_text(task: SeedTask) -> str:
    """How a platform page states a due date: relative words older staff read at a glance."""
    today = datetime.now(CST).date()
    days = (task.due.date() - today).days
    when = task.due.strftime("%Y-%m-%d %H:%M")
    if days < 0:
        return f"{when}（已逾期 {-days} 天）"
    if days == 0:
        return f"{when}（今天到期）"
    return f"{when}（还有 {days} 天）"
