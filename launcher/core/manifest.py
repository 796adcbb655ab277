"""Plugin manifests (manifest.toml): what a platform is, how to log in, where its tasks and forms are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from launcher.core.schema import Reader, read_toml

SCHEMA_VERSION = 1
SSO_KINDS = ("sso", "oidc", "cas")
AUTH_KINDS = (*SSO_KINDS, "password", "none")
TASK_KINDS = ("rest-json", "python", "caldav")
TASK_FIELDS = (
    "id",
    "title",
    "due",
    "url",
    "status",
    "form",
    "subject",
    "period",
    "priority",
    "updated",
)
REQUIRED_TASK_FIELDS = ("id", "title")
PAGING_KINDS = ("page", "offset", "next-link")
DONE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PERIOD_KINDS = ("day", "week", "month", "quarter", "year", "none")
_ID = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$")
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")
_PLACEHOLDERS = {"base_url"}


@dataclass(frozen=True)
class PasswordLogin:
    """Where a legacy platform's own login form is and how to fill it (``auth.kind = "password"``)."""

    url: str
    """The login page (a template); the vault fills only this page, on the platform's origins."""
    username: str
    """CSS selector of the user-name input."""
    password: str
    """CSS selector of the password input."""
    submit: str = ""
    """CSS selector of the button to click; empty submits the password input's form."""
    failure: str = ""
    """CSS selector of the element the page shows when it refused the password."""


@dataclass(frozen=True)
class AuthSpec:
    """How the launcher signs the user in to the platform.

    ``sso`` (or ``oidc``, ``cas``, naming what the platform speaks): the county identity service,
    OpenID Connect or CAS as county.toml says. Under OIDC
    the platform API's token is asked for with ``scopes`` and, where set, the RFC 8707 ``resource``;
    under CAS a service ticket for ``service`` is exchanged there for the API's token.
    ``password``: the platform has only its own login form, filled from the password vault.
    ``none``: nothing to sign in to.
    """

    kind: str
    scopes: tuple[str, ...] = ()
    resource: str = ""
    service: str = ""
    login: PasswordLogin | None = None

    @property
    def sso(self) -> bool:
        """True when the county identity service signs the user in to this platform."""
        return self.kind in SSO_KINDS


@dataclass(frozen=True)
class PagingSpec:
    """How a rest-json task list is split into pages (``[tasks.paging]``)."""

    kind: str
    """``page`` (page number), ``offset`` (item offset) or ``next-link`` (the answer links on)."""
    param: str = ""
    """Query parameter of the page number or offset (page, offset)."""
    size_param: str = ""
    """Query parameter of the page size (page, offset; optional)."""
    size: int = 50
    """Items asked for per page; a shorter page is the last one."""
    first: int = 1
    """The number of the first page (page)."""
    total: str = ""
    """Dotted path to the total item count in the answer (page, offset; optional)."""
    next: str = ""
    """Dotted path to the next page's URL (next-link); empty = the HTTP Link rel="next" header."""
    max_pages: int = 50
    """More pages than this is an error (a platform ignoring the page parameter, a link loop)."""


@dataclass(frozen=True)
class GroupingRule:
    """How a platform's tasks join other platforms' in one inbox row (``[tasks.grouping]``)."""

    enabled: bool = True
    """False: this platform's tasks are never grouped, each is a row of its own."""
    forms: dict[str, str] = field(default_factory=dict)
    """This platform's own form code -> the county-wide form key other platforms use."""
    period: str = "month"
    """How the due date makes the reporting period of a task that names none (PERIOD_KINDS);
    ``none``: the period is ignored, even a task's own."""
    periods: dict[str, str] = field(default_factory=dict)
    """County-wide form key -> its own ``period``, for the forms that differ from ``period``."""


@dataclass(frozen=True)
class DoneSpec:
    """How a rest-json platform marks a task done (``[tasks.done]``)."""

    method: str
    """POST | PUT | PATCH | DELETE"""
    url: str
    """A template: ``{base_url}``, and ``{id}`` for the task's id (URL-quoted)."""
    body: dict[str, object] | None = None
    """JSON body to send; ``{id}`` in its strings is the task's id. None: no body."""
    message: str = ""
    """Dotted path to the platform's own message in an error answer; empty: the usual names."""


@dataclass(frozen=True)
class TaskSpec:
    kind: str
    url: str = ""
    items: str = ""
    """Dotted path to the list in the JSON answer; empty when the answer is the list itself."""
    fields: dict[str, str] = field(default_factory=dict)
    """Task field -> dotted path inside one item of the answer."""
    entry: str = ""
    """For ``python`` sources: ``module:attr`` of a TaskSource factory, imported on first use."""
    timeout: float = 10.0
    paging: PagingSpec | None = None
    etag: bool = True
    """Send If-None-Match with the last ETag (unpaged rest-json lists only)."""
    since: str = ""
    """Query parameter that asks only for items changed since the last refresh (rest-json)."""
    closed: tuple[str, ...] = ()
    """Status values that mean an item is finished: such items leave the inbox."""
    grouping: GroupingRule = field(default_factory=GroupingRule)
    """How this platform's tasks are grouped with other platforms' (``[tasks.grouping]``)."""
    done: DoneSpec | None = None
    """How to mark a task done on the platform (``[tasks.done]``, rest-json); None: not offered."""


@dataclass(frozen=True)
class FormSpec:
    key: str
    url: str
    fields: dict[str, str]
    """CSS selector on the page -> profile key."""
    name: str = ""


@dataclass(frozen=True)
class Manifest:
    id: str
    name: str
    name_en: str
    version: str
    home: str
    origins: tuple[str, ...]
    auth: AuthSpec
    tasks: TaskSpec | None
    forms: tuple[FormSpec, ...]
    folder: Path
    icon: Path | None = None

    @property
    def path(self) -> Path:
        return self.folder / "manifest.toml"


def load_manifest(path: Path) -> Manifest:
    """Parse and validate one manifest.toml; raises ConfigError naming the file and the key."""
    path = Path(path)
    root = Reader(path, read_toml(path))
    root.unknown(
        {
            "schema",
            "id",
            "name",
            "name_en",
            "version",
            "icon",
            "home",
            "origins",
            "description",
            "auth",
            "tasks",
            "forms",
        }
    )
    schema = root.integer("schema", 0, minimum=1)
    if schema != SCHEMA_VERSION:
        raise root.error(
            "schema", f"must be {SCHEMA_VERSION}; this launcher does not read {schema}"
        )
    plugin_id = root.text("id")
    if not _ID.match(plugin_id):
        raise root.error("id", f'must look like "county.platform" (lower case), not {plugin_id!r}')

    icon = None
    if root.has("icon"):
        icon = (path.parent / root.text("icon")).resolve()
        if not icon.is_file():
            raise root.error("icon", f"file {icon.name!r} does not exist beside the manifest")

    home = _template(root, "home", root.text("home"))
    origins = tuple(_template(root, "origins", o) for o in root.str_list("origins"))
    if not origins:
        raise root.error("origins", "must name at least one origin")

    name = root.text("name")
    return Manifest(
        id=plugin_id,
        name=name,
        name_en=root.text("name_en", name),
        version=root.text("version"),
        home=home,
        origins=origins,
        auth=_auth(root),
        tasks=_with_done(root, _with_grouping(root, _tasks(root))),
        forms=_forms(root),
        folder=path.parent,
        icon=icon,
    )


def _template(reader: Reader, key: str, value: str) -> str:
    for name in _PLACEHOLDER.findall(value):
        if name not in _PLACEHOLDERS:
            raise reader.error(key, f"uses unknown placeholder {{{name}}} (known: {{base_url}})")
    return value


def _auth(root: Reader) -> AuthSpec:
    auth = root.sub("auth", required=False)
    if auth is None:
        return AuthSpec("none")
    auth.unknown({"kind", "scopes", "resource", "service", "login"})
    kind = auth.text("kind", choices=AUTH_KINDS)
    if kind not in SSO_KINDS:
        for key in ("scopes", "resource", "service"):
            if auth.has(key):
                raise auth.error(key, f'applies only to sso/oidc/cas platforms, not {kind!r}')
    login = auth.sub("login", required=kind == "password")
    if kind != "password" and login is not None:
        raise auth.error("login", 'applies only to kind = "password"')
    password_login = None
    if login is not None:
        login.unknown({"url", "username", "password", "submit", "failure"})
        password_login = PasswordLogin(
            url=_template(login, "url", login.text("url")),
            username=login.text("username"),
            password=login.text("password"),
            submit=login.text("submit", ""),
            failure=login.text("failure", ""),
        )
    return AuthSpec(
        kind,
        scopes=tuple(auth.str_list("scopes", [])),
        resource=_template(auth, "resource", auth.text("resource", "")),
        service=_template(auth, "service", auth.text("service", "")),
        login=password_login,
    )


def _tasks(root: Reader) -> TaskSpec | None:
    tasks = root.sub("tasks", required=False)
    if tasks is None:
        return None
    tasks.unknown({"kind", "url", "items", "fields", "entry", "timeout", "paging", "etag", "since",
                   "closed", "grouping", "done"})
    kind = tasks.text("kind", choices=TASK_KINDS)
    timeout = tasks.number("timeout", 10.0)
    if kind == "caldav":
        # A CalDAV calendar's VTODO items have fixed fields (launcher/core/inbox/caldav_source.py).
        for key in ("items", "fields", "entry", "paging", "etag", "since", "closed"):
            if tasks.has(key):
                raise tasks.error(key, 'does not apply to kind = "caldav"')
        return TaskSpec(kind, url=_template(tasks, "url", tasks.text("url")), timeout=timeout)
    if kind == "python":
        entry = tasks.text("entry")
        if not re.match(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$", entry):
            raise tasks.error("entry", f'must be "module:attribute", not {entry!r}')
        for key in ("paging", "etag", "since", "closed"):
            if tasks.has(key):
                raise tasks.error(key, 'applies only to kind = "rest-json"')
        return TaskSpec(kind, entry=entry, timeout=timeout)
    fields = tasks.str_map("fields")
    for key in fields:
        if key not in TASK_FIELDS:
            raise tasks.error(
                f"fields.{key}", f"is not a task field (known: {', '.join(TASK_FIELDS)})"
            )
    for key in REQUIRED_TASK_FIELDS:
        fields.setdefault(key, key)
    since = tasks.text("since", "")
    closed = tuple(tasks.str_list("closed", []))
    if since and ("status" not in fields or not closed):
        # An answer of changed items only says an item is finished through its status.
        raise tasks.error("since", "needs fields.status and closed (the status values of finished "
                          "items), so that finished tasks leave the inbox")
    return TaskSpec(
        kind,
        url=_template(tasks, "url", tasks.text("url")),
        items=tasks.text("items", "") if tasks.has("items") else "",
        fields=fields,
        timeout=timeout,
        paging=_paging(tasks),
        etag=tasks.flag("etag", True),
        since=since,
        closed=closed,
    )


def _with_grouping(root: Reader, spec: TaskSpec | None) -> TaskSpec | None:
    """``spec`` with the rule of ``[tasks.grouping]`` (any task kind may have one)."""
    tasks = root.sub("tasks", required=False)
    if spec is None or tasks is None:
        return spec
    grouping = tasks.sub("grouping", required=False)
    return spec if grouping is None else replace(spec, grouping=_grouping(grouping))


def _grouping(grouping: Reader) -> GroupingRule:
    grouping.unknown({"enabled", "forms", "period", "periods"})
    enabled = grouping.flag("enabled", True)
    if not enabled:
        for key in ("forms", "period", "periods"):
            if grouping.has(key):
                raise grouping.error(key, "does not apply when enabled = false (tasks of this "
                                     "platform are never grouped)")
        return GroupingRule(enabled=False)
    forms = grouping.str_map("forms")
    for code, form in forms.items():
        for text in (code, form):
            if not text.strip() or text != text.strip():
                raise grouping.error(f"forms.{code}", f"form keys must not be blank nor start or "
                                     f"end with spaces: {text!r}")
    periods = grouping.str_map("periods")
    for form, kind in periods.items():
        if kind not in PERIOD_KINDS:
            raise grouping.error(f"periods.{form}",
                                 f"must be one of {', '.join(PERIOD_KINDS)}, not {kind!r}")
        if form in forms and forms[form] != form:
            # periods apply after the alias: a task's form code is never compared under this name.
            raise grouping.error(f"periods.{form}", f"names the platform's own code; forms maps "
                                 f"it to {forms[form]!r}: write that key here")
    return GroupingRule(
        forms=forms,
        period=grouping.text("period", "month", choices=PERIOD_KINDS),
        periods=periods,
    )


def _with_done(root: Reader, spec: TaskSpec | None) -> TaskSpec | None:
    """``spec`` with the mark-done request of ``[tasks.done]`` (rest-json sources only)."""
    tasks = root.sub("tasks", required=False)
    if spec is None or tasks is None:
        return spec
    done = tasks.sub("done", required=False)
    if done is None:
        return spec
    if spec.kind != "rest-json":
        how = ("marks VTODOs completed by itself" if spec.kind == "caldav"
               else "marks tasks done through the plugin's complete()")
        raise tasks.error("done", f'applies only to kind = "rest-json" (a {spec.kind} source '
                          f"{how})")
    done.unknown({"method", "url", "body", "message"})
    method = done.text("method", "POST").upper()
    if method not in DONE_METHODS:
        raise done.error("method", f"must be one of {', '.join(DONE_METHODS)}, not "
                         f"{done.table['method']!r}")
    url = done.text("url")
    for name in _PLACEHOLDER.findall(url):
        if name not in (*_PLACEHOLDERS, "id"):
            raise done.error("url", f"uses unknown placeholder {{{name}}} (known: {{base_url}}, "
                             "{id})")
    if not url.startswith("{base_url}") and not url.startswith(("http://", "https://")):
        raise done.error("url", f'must start with "{{base_url}}" (or be a full http(s) URL), '
                         f"not {url!r}")
    body: dict[str, object] | None = None
    if done.has("body"):
        raw = done.table["body"]
        if not isinstance(raw, dict):
            raise done.error("body", f"must be a table (the JSON object to send), not {raw!r}")
        problem = _not_json(raw)
        if problem:
            raise done.error("body", f"{problem}: only strings, numbers, true/false, arrays "
                             "and tables go into JSON")
        body = dict(raw)
    if "{id}" not in url and not _mentions_id(body):
        raise done.error("url", "must name the task: put {id} in the url or in a body value")
    message = done.text("message", "") if done.has("message") else ""
    return replace(spec, done=DoneSpec(method, url, body, message))


def _not_json(value: object, where: str = "") -> str:
    """What in a TOML value has no JSON form (a date, a time), or ''."""
    if isinstance(value, dict):
        return next((p for k, v in value.items() if (p := _not_json(v, f"{where}.{k}"))), "")
    if isinstance(value, list):
        return next((p for i, v in enumerate(value) if (p := _not_json(v, f"{where}.{i}"))), "")
    if isinstance(value, str | int | float | bool):
        return ""
    return f"{where.lstrip('.')} is a {type(value).__name__}"


def _mentions_id(value: object) -> bool:
    if isinstance(value, dict):
        return any(_mentions_id(v) for v in value.values())
    if isinstance(value, list):
        return any(_mentions_id(v) for v in value)
    return isinstance(value, str) and "{id}" in value


def _paging(tasks: Reader) -> PagingSpec | None:
    paging = tasks.sub("paging", required=False)
    if paging is None:
        return None
    paging.unknown({"kind", "param", "size_param", "size", "first", "total", "next", "max_pages"})
    kind = paging.text("kind", choices=PAGING_KINDS)
    max_pages = paging.integer("max_pages", 50, minimum=1)
    if kind == "next-link":
        for key in ("param", "size_param", "size", "first", "total"):
            if paging.has(key):
                raise paging.error(key, 'applies only to kind = "page" or "offset"')
        return PagingSpec(kind, next=paging.text("next", ""), max_pages=max_pages)
    if paging.has("next"):
        raise paging.error("next", 'applies only to kind = "next-link"')
    if kind == "offset" and paging.has("first"):
        raise paging.error("first", 'applies only to kind = "page"')
    return PagingSpec(
        kind,
        param=paging.text("param", kind),
        size_param=paging.text("size_param", ""),
        size=paging.integer("size", 50, minimum=1),
        first=paging.integer("first", 1),
        total=paging.text("total", ""),
        max_pages=max_pages,
    )


def _forms(root: Reader) -> tuple[FormSpec, ...]:
    forms: list[FormSpec] = []
    keys: set[str] = set()
    for form in root.tables("forms"):
        form.unknown({"key", "name", "url", "fields"})
        key = form.text("key")
        if key in keys:
            raise form.error("key", f"{key!r} is declared twice")
        keys.add(key)
        fields = form.str_map("fields")
        if not fields:
            raise form.error("fields", "must map at least one selector to a profile key")
        forms.append(
            FormSpec(key, _template(form, "url", form.text("url")), fields, form.text("name", key))
        )
    return tuple(forms)
