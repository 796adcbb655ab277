"""Plugin manifests (manifest.toml): what a platform is, how to log in, where its tasks and forms are."""

from __future__ import annotations

import math
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path

from launcher.core.errors import ConfigError
from launcher.core.schema import Reader, check_http_url, read_toml, shown

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
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")
_PLACEHOLDERS = ("base_url",)
# What {base_url} and {id} stand for when a URL template is checked: any county's base URL is an
# http(s) URL without query or fragment (launcher/core/county.py checks it).
_SAMPLES = {"{base_url}": "http://base-url.invalid", "{id}": "1"}
MAX_TIMEOUT = 300.0
"""The longest a task source may be given to answer, in seconds."""
MAX_ICON_BYTES = 256 * 1024
"""A tile icon larger than this is refused (the shipped ones are about 1 KB)."""
MAX_PAGES = 10_000
MAX_PAGE_SIZE = 10_000


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
    success: str = ""
    """CSS selector of an element only a signed-in page shows: the vault's proof of a sign-in."""
    success_url: tuple[str, ...] = ()
    """URL patterns (templates, ``*`` for any text) of pages reached only when signed in."""
    failure_url: tuple[str, ...] = ()
    """URL patterns of the pages that say the sign-in was refused (a captcha or password error)."""
    failure_text: tuple[str, ...] = ()
    """Words that, on the page after a submission, mean it was refused (added to the vault's)."""
    captcha: str = ""
    """CSS selector of the captcha input: the form is filled, never submitted by the vault."""
    autosubmit: bool = True
    """False: the vault only fills the form; the person always presses the login button."""


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
    plugin_id = root.plugin_id("id")
    icon = _icon(root, path) if root.has("icon") else None

    home = _url(root, "home", root.text("home"))
    origins = tuple(
        _url(root, f"origins[{i}]", o) for i, o in enumerate(root.str_list("origins"))
    )
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


def _icon(root: Reader, manifest: Path) -> Path:
    """The tile icon: a regular file inside the plugin's folder (after following links), small."""
    name = root.text("icon")
    try:
        folder = manifest.parent.resolve()
        icon = (manifest.parent / name).resolve()
    except (OSError, RuntimeError, ValueError) as exc:  # RuntimeError: a symbolic link loop
        raise root.error("icon", f"is not a usable file name ({exc})") from None
    if Path(name).is_absolute() or icon == folder or not icon.is_relative_to(folder):
        # A manifest may name only its own files: "../../etc/passwd" or a link pointing out of
        # the folder would make the launcher read any file of the computer.
        raise root.error("icon", f"must be a file inside the plugin's folder, not {shown(name)}")
    try:
        info = icon.stat()
    except OSError:
        raise root.error("icon", f"file {shown(name)} does not exist beside the manifest") from None
    if not stat.S_ISREG(info.st_mode):
        raise root.error("icon", f"{shown(name)} is not a regular file")
    if info.st_size > MAX_ICON_BYTES:
        raise root.error("icon", f"{shown(name)} is larger than {MAX_ICON_BYTES // 1024} KB")
    return icon


def _url(
    reader: Reader, key: str, value: str, placeholders: tuple[str, ...] = _PLACEHOLDERS
) -> str:
    """A URL template: ``{base_url}`` followed by a path (or ``?``, ``#``), or a full http(s) URL.

    Whatever the county's base URL, the expanded URL is then an http(s) URL on the platform's own
    address: never ``javascript:``, ``file:`` or ``data:``, nor ``{base_url}.elsewhere.example``.
    """
    for name in _PLACEHOLDER.findall(value):
        if name not in placeholders:
            known = ", ".join(f"{{{p}}}" for p in placeholders)
            raise reader.error(key, f"uses unknown placeholder {{{name[:40]}}} (known: {known})")
    rest = value.removeprefix("{base_url}")
    if rest != value and rest and rest[0] not in "/?#":
        raise reader.error(key, f'must go on with "/", "?" or "#" after {{base_url}}, not '
                           f"{shown(value)}")
    sample = value
    for placeholder, stands_for in _SAMPLES.items():
        sample = sample.replace(placeholder, stands_for)
    try:
        check_http_url(reader, key, sample)
    except ConfigError as exc:
        raise reader.error(key, f'must start with "{{base_url}}" or be a full http(s) URL, not '
                           f"{shown(value)} ({exc.problem})") from None
    return value


def _opt_url(reader: Reader, key: str) -> str:
    return _url(reader, key, reader.text(key)) if reader.has(key) else ""


def _auth(root: Reader) -> AuthSpec:
    auth = root.sub("auth", required=False)
    if auth is None:
        return AuthSpec("none")
    auth.unknown({"kind", "scopes", "resource", "service", "login"})
    kind = auth.text("kind", choices=AUTH_KINDS)
    if kind not in SSO_KINDS:
        for key in ("scopes", "resource", "service"):
            if auth.has(key):
                raise auth.error(key, f'applies only to sso/oidc/cas platforms, not {shown(kind)}')
    login = auth.sub("login", required=kind == "password")
    if kind != "password" and login is not None:
        raise auth.error("login", 'applies only to kind = "password"')
    password_login = None
    if login is not None:
        login.unknown({"url", "username", "password", "submit", "failure", "success",
                       "success_url", "failure_url", "failure_text", "captcha", "autosubmit"})
        password_login = PasswordLogin(
            url=_url(login, "url", login.text("url")),
            username=login.text("username"),
            password=login.text("password"),
            submit=login.text("submit", ""),
            failure=login.text("failure", ""),
            success=login.text("success", ""),
            success_url=_url_patterns(login, "success_url"),
            failure_url=_url_patterns(login, "failure_url"),
            failure_text=tuple(w for w in login.str_list("failure_text", []) if w.strip()),
            captcha=login.text("captcha", ""),
            autosubmit=login.flag("autosubmit", True),
        )
    return AuthSpec(
        kind,
        scopes=tuple(auth.str_list("scopes", [])),
        resource=_opt_url(auth, "resource"),
        service=_opt_url(auth, "service"),
        login=password_login,
    )


def _url_patterns(login: Reader, key: str) -> tuple[str, ...]:
    """``[auth.login]`` URL patterns (one or a list): pages of the platform, ``{base_url}`` then a
    path, or full http(s) URLs; ``*`` stands for any text (vault_outcome.url_matches)."""
    raw = login.table.get(key)
    patterns = [raw] if isinstance(raw, str) else login.str_list(key, [])
    for pattern in patterns:
        rest = pattern.removeprefix("{base_url}")
        if rest != pattern:
            ok = rest[:1] in ("", "/", "?", "*")
        else:
            ok = re.match(r"https?://\w", pattern) is not None
        if not ok or any(name != "base_url" for name in _PLACEHOLDER.findall(pattern)):
            raise login.error(key, 'each pattern must be "{base_url}" then a path, or a full '
                              f"http(s) URL, not {shown(pattern)}")
    return tuple(patterns)


def _tasks(root: Reader) -> TaskSpec | None:
    tasks = root.sub("tasks", required=False)
    if tasks is None:
        return None
    tasks.unknown({"kind", "url", "items", "fields", "entry", "timeout", "paging", "etag", "since",
                   "closed", "grouping", "done"})
    kind = tasks.text("kind", choices=TASK_KINDS)
    timeout = tasks.number("timeout", 10.0, maximum=MAX_TIMEOUT)
    if kind == "caldav":
        # A CalDAV calendar's VTODO items have fixed fields (launcher/core/inbox/caldav_source.py).
        for key in ("items", "fields", "entry", "paging", "etag", "since", "closed"):
            if tasks.has(key):
                raise tasks.error(key, 'does not apply to kind = "caldav"')
        return TaskSpec(kind, url=_url(tasks, "url", tasks.text("url")), timeout=timeout)
    if kind == "python":
        entry = tasks.text("entry")
        if not re.match(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$", entry):
            raise tasks.error("entry", f'must be "module:attribute", not {shown(entry)}')
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
        url=_url(tasks, "url", tasks.text("url")),
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
                                     f"end with spaces: {shown(text)}")
    periods = grouping.str_map("periods")
    for form, kind in periods.items():
        if kind not in PERIOD_KINDS:
            raise grouping.error(f"periods.{form}",
                                 f"must be one of {', '.join(PERIOD_KINDS)}, not {shown(kind)}")
        if form in forms and forms[form] != form:
            # periods apply after the alias: a task's form code is never compared under this name.
            raise grouping.error(f"periods.{form}", f"names the platform's own code; forms maps "
                                 f"it to {shown(forms[form])}: write that key here")
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
                         f"{shown(done.table['method'])}")
    url = _url(done, "url", done.text("url"), (*_PLACEHOLDERS, "id"))
    body: dict[str, object] | None = None
    if done.has("body"):
        raw = done.table["body"]
        if not isinstance(raw, dict):
            raise done.error("body", f"must be a table (the JSON object to send), not {shown(raw)}")
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
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where.lstrip('.')} is {value} (JSON has no such number)"
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
    max_pages = paging.integer("max_pages", 50, minimum=1, maximum=MAX_PAGES)
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
        size=paging.integer("size", 50, minimum=1, maximum=MAX_PAGE_SIZE),
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
            raise form.error("key", f"{shown(key)} is declared twice")
        keys.add(key)
        fields = form.str_map("fields")
        if not fields:
            raise form.error("fields", "must map at least one selector to a profile key")
        forms.append(
            FormSpec(key, _url(form, "url", form.text("url")), fields, form.text("name", key))
        )
    return tuple(forms)
