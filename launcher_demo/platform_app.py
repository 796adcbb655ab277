"""One demo government platform: its task API, its web pages (signed in through the county IdP) and
its form, parameterised by a PlatformSpec."""

from __future__ import annotations

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
    send_from_directory,
    session,
    url_for,
)

from launcher_demo.bearer import api_resource, make_protector
from launcher_demo.cas_platform import CasPlatform, install_cas
from launcher_demo.platforms import (
    ACCOUNT_FIELDS,
    ACCOUNT_PATH,
    DoneApi,
    FormSpec,
    PlatformSpec,
)
from launcher_demo.seed import CST, SeedTask, seed_platform
from launcher_demo.validation import from_form, from_json, validate

TEMPLATES = Path(__file__).with_name("templates")
VENDOR = Path(__file__).with_name("static") / "vendor"
"""The UI frameworks (tools/vendor_frameworks.sh), served by every platform from its own origin."""
VENDOR_MAX_AGE = 86400
MAX_JSON = 64 * 1024
"""Bytes of a JSON submission a platform reads."""
MAX_BODY = 256 * 1024
"""Bytes of any request body a platform accepts (413 beyond)."""


@dataclass
class PlatformData:
    """A platform's seeded tasks and the forms people submitted, behind a lock."""

    spec: PlatformSpec
    tasks: list[SeedTask] = field(default_factory=list)
    submissions: list[dict[str, str]] = field(default_factory=list)
    refusals: list[dict[str, str]] = field(default_factory=list)
    """Submissions the platform's own validation refused (values sent + ``error``)."""
    accounts: dict[str, dict[str, str]] = field(default_factory=dict)
    """username -> the person's 个人中心 details on this platform (name, phone ...)."""
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

    def add_submission(self, values: dict[str, str]) -> str:
        """Store a submitted form; returns the record number the platform gives it."""
        with self.lock:
            number = f"JC{len(self.submissions) + 1:06d}"
            self.submissions.append({**values, "id": number})
            return number

    def task_error(self, username: str, task_id: str, form_key: str) -> str:
        """Why a submission cannot be the record of this task ("" when it can)."""
        if not task_id:
            return ""
        task = self.task(task_id)
        if task is None or task.owner != username:
            return "任务不存在或不属于当前用户"
        if task.form != form_key:
            return "该任务不需要填写此表单"
        return ""

    def account(self, username: str, name: str = "") -> dict[str, str]:
        with self.lock:
            found = self.accounts.get(username)
            if found is None:
                found = {f.name: "" for f in ACCOUNT_FIELDS} | {"nickName": name}
            return dict(found)

    def save_account(self, username: str, values: dict[str, str]) -> None:
        with self.lock:
            self.accounts[username] = dict(values)

    def all_submissions(self) -> list[dict[str, str]]:
        with self.lock:
            return [dict(s) for s in self.submissions]

    def add_refusal(self, values: dict[str, str], error: str) -> None:
        with self.lock:
            self.refusals.append({**values, "error": error})

    def all_refusals(self) -> list[dict[str, str]]:
        with self.lock:
            return [dict(s) for s in self.refusals]


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
        MAX_CONTENT_LENGTH=MAX_BODY,
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
        return {
            "spec": spec,
            "user": session.get("user"),
            "form_spec": spec.form,
            "account_path": ACCOUNT_PATH,
            "options_of": _options_of,
        }

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
        form = next((f for f in spec.forms if f.key == task.form), None)
        return render_template("platform_task.html", task=task, due_text=_due_text, form=form)

    @app.get("/vendor/<path:filename>")
    def vendor(filename: str) -> Response:
        # The frameworks a platform's pages are built on, from its own origin as real ones do.
        return send_from_directory(VENDOR, filename, max_age=VENDOR_MAX_AGE)

    def submit(form: FormSpec, values: dict[str, str], username: str, task_id: str,
               via: str) -> tuple[str, str]:
        """(error, record number): the server's own checks, then the record stored."""
        errors = validate(form.fields, values)
        error = errors[0] if errors else data.task_error(username, task_id, form.key)
        if error:
            data.add_refusal({**values, "submitted_by": username, "task": task_id,
                              "form": form.key, "via": via}, error)
            return error, ""
        number = data.add_submission(
            {**values, "submitted_by": username, "task": task_id, "form": form.key, "via": via}
        )
        return "", number

    for form in spec.forms:
        _form_routes(app, form, submit, login_required)
        if form.api:
            _api_route(app, form, submit, require_token(spec.scope, optional=True), base_url)

    @app.route(ACCOUNT_PATH, methods=["GET", "POST"])
    @login_required
    def account_page() -> Any:
        user = session["user"]
        values = data.account(user["sub"], user["name"])
        errors: list[str] = []
        saved = False
        if request.method == "POST":
            values = from_form(ACCOUNT_FIELDS, request.form)
            errors = validate(ACCOUNT_FIELDS, values)
            if not errors:
                data.save_account(user["sub"], values)
                saved = True
        page = render_template(
            "platform_account.html", values=values, errors=errors, saved=saved,
            fields=ACCOUNT_FIELDS,
        )
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


Submit = Callable[[FormSpec, dict[str, str], str, str, str], tuple[str, str]]


def _options_of(form: FormSpec) -> dict[str, list[str]]:
    """The options of a form's choice fields, for a framework page's script."""
    return {f.name: list(f.options) for f in form.fields if f.options}


def _wants_json() -> bool:
    return request.is_json or request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _form_routes(
    app: Flask, form: FormSpec, submit: Submit, login_required: Callable[..., Any]
) -> None:
    """The form's page; a POST to it (a plain form, or the page's script posting the fields
    as a form or as JSON) is checked and stored for the signed-in person."""

    def form_page() -> Any:
        values = {f.name: "" for f in form.fields}
        if request.method == "GET":
            return render_template(form.template, form=form, values=values, errors=[])
        task_id = request.args.get("task", "")
        if request.is_json:
            if (request.content_length or 0) > MAX_JSON:
                return jsonify({"code": 500, "msg": "提交的内容过大"})
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                return jsonify({"code": 500, "msg": "请求体不是有效的 JSON"})
            try:
                values = from_json(form.fields, body)
            except ValueError as exc:
                return jsonify({"code": 500, "msg": str(exc)})
            task_id = str(body.get("taskId") or task_id)
        else:
            values = from_form(form.fields, request.form)
        error, number = submit(form, values, session["user"]["sub"], task_id, "web")
        if _wants_json():
            if error:
                return jsonify({"code": 500, "msg": error})
            return jsonify({"code": 0, "msg": "提交成功", "data": {"id": number}})
        if error:
            page = render_template(form.template, form=form, values=values, errors=[error])
            return page, 400
        return render_template(
            "platform_message.html", title="提交成功", message=f"{form.title}已提交成功。"
        )

    form_page.__name__ = f"form_{form.key}"
    app.route(form.path, methods=["GET", "POST"], endpoint=f"form_{form.key}")(
        login_required(form_page)
    )


def _api_route(
    app: Flask, form: FormSpec, submit: Submit, protect: Callable[..., Any], base_url: str
) -> None:
    """The form's JSON submit API (RuoYi's answers: HTTP 200, ``code`` 0 or 500 with ``msg``):
    the launcher with the county bearer token (the platform's task scope), the platform's own
    page with its web session; neither: 401."""

    def api() -> Any:
        if current_token:
            username = str(current_token["sub"])
            via = "api"
        elif "user" in session and _same_origin(base_url):
            username = str(session["user"]["sub"])
            via = "web"
        else:
            answer = jsonify({"code": 401, "msg": "认证失败，无法访问系统资源"})
            answer.status_code = 401
            answer.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return answer
        if (request.content_length or 0) > MAX_JSON:
            return jsonify({"code": 500, "msg": "提交的内容过大"})
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify({"code": 500, "msg": "请求体不是有效的 JSON"})
        try:
            values = from_json(form.fields, body)
        except ValueError as exc:
            return jsonify({"code": 500, "msg": str(exc)})
        task_id = str(body.get("taskId") or request.args.get("task", ""))
        error, number = submit(form, values, username, task_id, via)
        if error:
            return jsonify({"code": 500, "msg": error})
        return jsonify({"code": 0, "msg": "提交成功", "data": {"id": number}})

    app.route(form.api, methods=["POST"], endpoint=f"api_{form.key}")(protect(api))


def _same_origin(base_url: str) -> bool:
    """A request of the web session comes from the platform's own pages (a JSON POST from
    another site would need a CORS preflight the platform never grants; checked anyway)."""
    origin = request.headers.get("Origin")
    return request.is_json and (origin is None or origin == base_url.rstrip("/"))


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
