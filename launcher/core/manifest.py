"""Plugin manifests (manifest.toml): what a platform is, how to log in, where its tasks and forms are."""

from __future__ import annotations

import math
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from launcher.core.errors import ConfigError
from launcher.core.schema import Reader, bad_text, check_http_url, read_toml, shown
from launcher.core.url_scope import scope_of

SCHEMA_VERSION = 1
SSO_KINDS = ("sso", "oidc", "cas")
AUTH_KINDS = (*SSO_KINDS, "password", "none")
TASK_KINDS = ("rest-json", "python", "caldav", "ics", "feed")
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
PAGING_KINDS = ("page", "offset", "next-link", "cursor")
LIST_METHODS = ("GET", "POST")
BODY_FORMATS = ("json", "form")
CURSOR_PLACES = ("query", "body")
TASK_STATES = ("open", "closed")
PERSON_PLACEHOLDERS = ("username", "sub", "name")
"""The signed-in person's claims a [tasks] url, body or header may name; ``{claim.X}`` names any
other claim the identity service gave (rest_source.Person)."""
DATE_KEYWORDS = ("auto", "epoch-s", "epoch-ms")
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$")
DONE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
SUBMIT_METHODS = ("POST", "PUT", "PATCH")
FORM_PURPOSES = ("record", "account")
TEMPLATE_FORMS = ("text",)
"""``{group.key|text}``: a choice's text (not its code), 是/否 for a flag."""
SUBJECT_KINDS = ("household", "resident", "place", "organisation")
"""The dictionary's subject groups (launcher/core/profile/fields.py, role "subject")."""
_DICTIONARY_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}\.[a-z][a-z0-9_]{0,59}$")
_GROUP = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PERIOD_KINDS = ("day", "week", "month", "quarter", "year", "none")
_PLACEHOLDER = re.compile(r"\{([^}]*)\}")
_PLACEHOLDERS = ("base_url",)
# What {base_url} and {id} stand for when a URL template is checked: any county's base URL is an
# http(s) URL without query or fragment (launcher/core/county.py checks it).
_SAMPLES = {"{base_url}": "http://base-url.invalid", "{id}": "1"}
SESSION_TOKEN_KINDS = ("local_storage", "session_storage", "cookie", "header")
_COOKIE_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$")
_STORAGE_KEY = re.compile(r"^[^\x00-\x1f\x7f]{1,256}$")
MAX_TIMEOUT = 300.0
"""The longest a task source may be given to answer, in seconds."""
MAX_ICON_BYTES = 256 * 1024
"""A tile icon larger than this is refused (the shipped ones are about 1 KB)."""
MAX_PAGES = 10_000
MAX_PAGE_SIZE = 10_000


# Java's SimpleDateFormat letters (what Chinese platforms' docs give) and their strftime forms.
_JAVA_LETTERS = (("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"),
                 ("ss", "%S"), ("SSS", "%f"))
_STRFTIME_CODES = set("YmdHMSfbBjzyIpaA")
MAX_PATTERN_CHARS = 64


def strftime_pattern(pattern: str) -> str:
    """The strptime pattern of a declared date format: a strftime-like one (``%Y-%m-%d %H:%M``)
    as it is, a Java-style one (``yyyy-MM-dd HH:mm:ss``, ``yyyy年MM月dd日``) translated. ValueError
    names what is wrong."""
    if len(pattern) > MAX_PATTERN_CHARS:
        raise ValueError(f"a date pattern has at most {MAX_PATTERN_CHARS} characters")
    if "%" in pattern:
        codes = [pattern[i + 1: i + 2] for i, c in enumerate(pattern) if c == "%"
                 and (i == 0 or pattern[i - 1] != "%")]
        unknown = [c for c in codes if c not in _STRFTIME_CODES and c != "%"]
        if unknown:
            raise ValueError(f"%{unknown[0]} is not a date pattern code")
        translated = pattern
    else:
        translated = pattern
        for java, code in _JAVA_LETTERS:
            translated = translated.replace(java, code)
        if "yy" in translated or not any(code in translated for _, code in _JAVA_LETTERS):
            raise ValueError(f"{pattern!r} is not a date pattern")
    if "%Y" not in translated and "%y" not in translated:
        raise ValueError(f"{pattern!r} names no year")
    return translated


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
class SessionToken:
    """Where a session-bound platform's web app keeps the token its API wants (``[auth.session]
    token``): ``local_storage``, ``session_storage`` (a key of the web app's storage), ``cookie``
    (a cookie's name) or ``header`` (a response header of the answers its scripts fetch)."""

    kind: str
    name: str
    url: str = ""
    """For a ``header``: the API (a template) whose answers carry it; empty: any answer from the
    platform's own origins."""


@dataclass(frozen=True)
class SessionSpec:
    """``[auth.session]``: the platform's API trusts only its own web session (docs/manifest.md).

    The launcher signs the web app in with a hidden page (the county sign-in completes by itself)
    and sends the API what the web app then holds (launcher/core/auth/web_session.py).
    """

    start: str = ""
    """The page (a template) the hidden page loads; empty: the platform's ``home``."""
    cookies: tuple[str, ...] = ()
    """Names of the platform's cookies sent with every API request."""
    token: SessionToken | None = None
    """The token sent as ``{token}`` (``Authorization: Bearer {token}`` unless headers say else)."""


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
    session: SessionSpec | None = None
    """``[auth.session]``: the API wants the platform's web session, not the county token."""

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
    """Dotted path to the next page's URL (next-link); empty = the HTTP Link rel="next" header.
    For ``cursor``: dotted path to the next page's cursor in the answer."""
    send: str = "query"
    """cursor: where the cursor goes, ``query`` (parameter ``param``) or ``body`` (key ``param``
    of a POST body)."""
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
class RequestSpec:
    """How a rest-json list is asked for (``method``, ``body``, ``[tasks.headers]``)."""

    method: str = "GET"
    """GET | POST"""
    body: dict[str, object] | None = None
    """The body of a POST: a table; strings may hold ``{token}`` and the person's placeholders."""
    body_format: str = "json"
    """json | form (application/x-www-form-urlencoded)"""
    headers: dict[str, str] = field(default_factory=dict)
    """Header -> value template (``{token}``, the person's placeholders). When any header or the
    body names ``{token}``, no ``Authorization: Bearer`` is added."""
    login_url: tuple[str, ...] = ()
    """URL patterns of the platform's own login page: a redirect there means signed out."""

    @property
    def token_declared(self) -> bool:
        """True when the manifest says itself where the token goes."""
        return any("{token}" in v for v in self.headers.values()) or _mentions(self.body, "{token}")


@dataclass(frozen=True)
class AnswerSpec:
    """How a rest-json answer is read (``charset``, ``date_format``, ``[tasks.answer]``,
    ``[tasks.statuses]``)."""

    charset: str = ""
    """The answer's text encoding; empty: Content-Type's charset, else UTF-8."""
    code: str = ""
    """Dotted path to the platform's result code in the body; empty: no code is checked."""
    ok: tuple[str, ...] = ()
    """Codes meaning success (as text: 200 and "200" are one)."""
    signed_out: tuple[str, ...] = ()
    """Codes meaning the token was refused (signed out)."""
    message: str = ""
    """Dotted path to the platform's message; empty: the usual names."""
    date_format: str = "auto"
    """auto | epoch-s | epoch-ms | a pattern (``yyyy-MM-dd HH:mm:ss`` or ``%Y-%m-%d %H:%M``)."""
    statuses: dict[str, str] = field(default_factory=dict)
    """The platform's status code -> ``open`` or ``closed``."""


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
    request: RequestSpec = field(default_factory=lambda: RequestSpec())
    """How the list is asked for (rest-json): method, body, headers, placeholders."""
    answer: AnswerSpec = field(default_factory=lambda: AnswerSpec())
    """How the answer is read (rest-json): charset, success code in the body, dates, statuses."""
    discover: bool = False
    """caldav: find the VTODO calendars from ``url`` (current-user-principal, calendar-home-set)."""
    calendars: tuple[str, ...] = ()
    """caldav with ``discover``: only the calendars of these names (display name or path
    segment); empty: every calendar that holds VTODOs."""


@dataclass(frozen=True)
class SubmitSpec:
    """How a form's record is sent to the platform's own API (``[forms.submit]``)."""

    method: str
    """POST | PUT | PATCH"""
    url: str
    """A template on the platform's own origins: ``{base_url}``, and ``{id}`` for the task's id."""
    body: dict[str, Any]
    """The body to send: its string values are templates naming dictionary keys
    (``"{inspection.date}"``, ``"{household.head_name}"``; ``"{inspection.result|text}"`` for a
    choice's text instead of its code; ``"{inspection.deadline?}"``: sent only when it has a
    value) and ``{id}`` (the task's id)."""
    body_format: str = "json"
    """json | form (application/x-www-form-urlencoded: strings, numbers and true/false only)"""
    headers: dict[str, str] = field(default_factory=dict)
    """Header -> value template (``{token}``: then no ``Authorization: Bearer`` is added)."""
    success: str = ""
    """Dotted path to the result code in the answer; empty: an HTTP 2xx answer is success."""
    success_values: tuple[str, ...] = ()
    """Result codes meaning submitted (as text: 0 and "0" are one)."""
    review_values: tuple[str, ...] = ()
    """Result codes meaning accepted, waiting for the platform's review."""
    message: str = ""
    """Dotted path to the platform's own message; empty: the usual names (msg, message…)."""

    def template_keys(self) -> tuple[str, ...]:
        """The dictionary keys the body names, in order, each once."""
        found: list[str] = []
        for _, text in _strings(self.body):
            for name in _PLACEHOLDER.findall(text):
                key = template_parts(name)[0]
                if key != "id" and key not in found:
                    found.append(key)
        return tuple(found)

    def required_keys(self) -> tuple[str, ...]:
        """The dictionary keys the body cannot be sent without (named once at least without
        ``?``), in order, each once."""
        found: list[str] = []
        for _, text in _strings(self.body):
            for name in _PLACEHOLDER.findall(text):
                key, _how, optional = template_parts(name)
                if key != "id" and not optional and key not in found:
                    found.append(key)
        return tuple(found)


def template_parts(name: str) -> tuple[str, str, bool]:
    """A body template's name (between the braces) as (dictionary key, form, optional):
    ``inspection.result|text?`` is ("inspection.result", "text", True)."""
    optional = name.endswith("?")
    key, _, how = name.removesuffix("?").partition("|")
    return key, how, optional


@dataclass(frozen=True)
class FormSpec:
    key: str
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    """CSS selector on the page -> dictionary key; empty: the page is filled by its labels."""
    name: str = ""
    submit: SubmitSpec | None = None
    """``[forms.submit]``: the platform's API that takes the record; None: only its page does."""
    purpose: str = "record"
    """``record`` (a form of the person's work) | ``account`` (where the person's own details are
    edited on the platform: a changed value opens it)."""
    record: str = ""
    """The record group the form fills (``inspection``); empty: none."""
    subject: str = ""
    """The subject kind the form is about (``household``, ``place``…); empty: none."""


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
        # The check's own words when they add something (a space, a user name, port 0); "not an
        # http(s) URL" is what this sentence says already.
        why = "" if exc.problem.startswith("must be an http(s) URL") else f" ({exc.problem})"
        raise reader.error(key, f'must start with "{{base_url}}" or be a full http(s) URL, not '
                           f"{shown(value)}{why}") from None
    return value


def _opt_url(reader: Reader, key: str) -> str:
    return _url(reader, key, reader.text(key)) if reader.has(key) else ""


def _auth(root: Reader) -> AuthSpec:
    auth = root.sub("auth", required=False)
    if auth is None:
        return AuthSpec("none")
    auth.unknown({"kind", "scopes", "resource", "service", "login", "session"})
    kind = auth.text("kind", choices=AUTH_KINDS)
    if kind not in SSO_KINDS:
        for key in ("scopes", "resource", "service"):
            if auth.has(key):
                raise auth.error(key, f'applies only to sso/oidc/cas platforms, not {shown(kind)}')
    # A password platform signs in on its login page, unless its tasks come from a server that
    # takes the saved account itself (HTTP basic: CalDAV, an .ics or feed URL): no page needed.
    login = auth.sub(
        "login", required=kind == "password" and _tasks_kind(root) not in BASIC_AUTH_KINDS
    )
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
        session=_session(auth, kind),
    )


BASIC_AUTH_KINDS = frozenset({"caldav", "ics", "feed"})
"""Task sources that sign in with the vault's saved account over HTTP basic auth."""


def _tasks_kind(root: Reader) -> str:
    """The ``[tasks] kind`` as written ('' when absent or not text: its own checks say why)."""
    tasks = root.table.get("tasks")
    kind = tasks.get("kind") if isinstance(tasks, Mapping) else None
    return kind if isinstance(kind, str) else ""


def _session(auth: Reader, kind: str) -> SessionSpec | None:
    """``[auth.session]``: what a session-bound platform's web app holds after the county sign-in
    on its pages, and the API wants (launcher/core/auth/web_session.py)."""
    session = auth.sub("session", required=False)
    if session is None:
        return None
    if kind not in SSO_KINDS:
        raise auth.error("session", "applies only to sso/oidc/cas platforms (the county sign-in "
                         f"completes on the platform's pages), not {shown(kind)}")
    session.unknown({"start", "cookies", "token"})
    cookies = tuple(session.str_list("cookies", []))
    for index, name in enumerate(cookies):
        if not _COOKIE_NAME.match(name):
            raise session.error(f"cookies[{index}]", f"is not a cookie name: {shown(name)}")
    token = None
    if session.has("token"):
        raw = session.table["token"]
        places = [key for key in raw if key in SESSION_TOKEN_KINDS] if isinstance(raw, dict) else []
        if not isinstance(raw, dict) or len(places) > 1 or (not places and len(raw) != 1):
            raise session.error("token", "must name one place, e.g. { local_storage = "
                                '"Admin-Token" }, { session_storage = "token" }, { cookie = '
                                f'"Admin-Token" }} or {{ header = "X-Token" }}, not {shown(raw)}')
        place = session.sub("token")
        assert place is not None
        token = _session_token(place, places[0] if places else next(iter(raw)))
    if not cookies and token is None:
        raise auth.error("session", "must name what the API wants: cookies, a token, or both")
    return SessionSpec(start=_opt_url(session, "start"), cookies=cookies, token=token)


def _session_token(place: Reader, token_kind: str) -> SessionToken:
    """``[auth.session] token``: its place, and for a ``header`` the optional ``url`` of the API
    whose answers carry it (the hidden page notes it as the web app's scripts fetch,
    launcher/ui/hidden_page.py)."""
    place.unknown({*SESSION_TOKEN_KINDS, "url"})
    if place.has("url") and token_kind != "header":
        raise place.error("url", 'applies only to a token in a response header ({ header = '
                          '"X-Token", url = "{base_url}/…" })')
    name = place.text(token_kind)
    pattern = {"cookie": _COOKIE_NAME, "header": _HEADER_NAME}.get(token_kind, _STORAGE_KEY)
    if not pattern.match(name):
        raise place.error(token_kind, f"is not a {token_kind.replace('_', ' ')} name: "
                          f"{shown(name)}")
    url = _url(place, "url", place.text("url")) if place.has("url") else ""
    return SessionToken(token_kind, name, url)


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
                   "closed", "grouping", "done", *_REST_KEYS, "discover", "calendars"})
    kind = tasks.text("kind", choices=TASK_KINDS)
    timeout = tasks.number("timeout", 10.0, maximum=MAX_TIMEOUT)
    if kind != "caldav":
        for key in ("discover", "calendars"):
            if tasks.has(key):
                raise tasks.error(key, 'applies only to kind = "caldav"')
    if kind != "rest-json":
        for key in _REST_KEYS:
            if tasks.has(key):
                raise tasks.error(key, 'applies only to kind = "rest-json"')
    if kind in ("caldav", "ics", "feed"):
        # CalDAV, iCalendar and feed items have fixed fields (caldav_source.py, ics_source.py,
        # feed_source.py).
        for key in ("items", "fields", "entry", "paging", "etag", "since", "closed"):
            if tasks.has(key):
                raise tasks.error(key, f'does not apply to kind = "{kind}"')
        discover = tasks.flag("discover", False)
        calendars = tuple(tasks.str_list("calendars", []))
        if calendars and not discover:
            raise tasks.error("calendars", "applies only with discover = true")
        return TaskSpec(kind, url=_task_url(tasks, "url"), timeout=timeout, discover=discover,
                        calendars=calendars)
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
    request = _request(tasks)
    paging = _paging(tasks)
    if paging is not None and paging.kind == "cursor" and paging.send == "body" and (
            request.method != "POST"):
        raise tasks.error("paging.send", 'a cursor goes in the body only with method = "POST"')
    return TaskSpec(
        kind,
        url=_task_url(tasks, "url"),
        items=tasks.text("items", "") if tasks.has("items") else "",
        fields=fields,
        timeout=timeout,
        paging=paging,
        etag=tasks.flag("etag", True),
        since=since,
        closed=closed,
        request=request,
        answer=_answer(tasks),
    )


_REST_KEYS = ("method", "body", "body_format", "headers", "login_url", "charset", "date_format",
              "answer", "statuses")


def _task_url(tasks: Reader, key: str) -> str:
    """A [tasks] url: as ``_url``, and the signed-in person's placeholders in its path or query
    (never in its host: a claim must not choose the server the token goes to)."""
    value = tasks.text(key)
    sample = value
    for name in _PLACEHOLDER.findall(value):
        if name in PERSON_PLACEHOLDERS or _is_claim(name):
            before = value.split("{" + name + "}", 1)[0]
            if not _in_path(before):
                raise tasks.error(key, f"{{{name}}} may stand only in the path or query, after "
                                  f"the server's address, not in {shown(value)}")
            sample = sample.replace("{" + name + "}", "person")
    known = (*_PLACEHOLDERS, *PERSON_PLACEHOLDERS, "claim.NAME")
    for name in _PLACEHOLDER.findall(sample):
        if name not in _PLACEHOLDERS:
            listed = ", ".join(f"{{{p}}}" for p in known)
            raise tasks.error(key, f"uses unknown placeholder {{{name[:40]}}} (known: {listed})")
    _url(tasks, key, sample)
    return value


def _is_claim(name: str) -> bool:
    return re.match(r"^claim\.[A-Za-z_][\w.:-]{0,63}$", name) is not None


def _in_path(before: str) -> bool:
    """True when text ending at ``before`` has passed the server's address (scheme, host, port)."""
    if before.startswith("{base_url}"):
        return before[len("{base_url}"):][:1] in ("/", "?", "#")
    rest = before.split("://", 1)[1] if "://" in before else ""
    return "/" in rest or "?" in rest


def _placeholders_in(reader: Reader, key: str, value: str, *, token: bool) -> None:
    """Only the known placeholders in a body string or header value (``{token}`` where allowed)."""
    allowed = (*PERSON_PLACEHOLDERS, "token") if token else PERSON_PLACEHOLDERS
    for name in _PLACEHOLDER.findall(value):
        if name not in allowed and not _is_claim(name) and name != "cursor":
            listed = ", ".join(f"{{{p}}}" for p in (*allowed, "claim.NAME"))
            raise reader.error(key, f"uses unknown placeholder {{{name[:40]}}} (known: {listed})")


def _request(tasks: Reader) -> RequestSpec:
    method = tasks.text("method", "GET").upper()
    if method not in LIST_METHODS:
        raise tasks.error("method", f"must be one of {', '.join(LIST_METHODS)}, not "
                          f"{shown(tasks.table['method'])}")
    body: dict[str, object] | None = None
    if tasks.has("body"):
        if method != "POST":
            raise tasks.error("body", 'applies only to method = "POST"')
        body = _json_table(tasks, "body")
        for where, text in _strings(body):
            _placeholders_in(tasks, f"body{where}", text, token=True)
    body_format = tasks.text("body_format", "json", choices=BODY_FORMATS)
    if body_format == "form" and body is not None and any(
            isinstance(v, dict | list) for v in body.values()):
        raise tasks.error("body", 'a form body (body_format = "form") holds only strings, '
                          "numbers and true/false")
    headers = tasks.str_map("headers")
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            raise tasks.error(f"headers.{name}", "is not an HTTP header name")
        if name.lower() in ("host", "content-length", "transfer-encoding", "connection", "cookie"):
            raise tasks.error(f"headers.{name}", "is set by the launcher, not by a manifest")
        _placeholders_in(tasks, f"headers.{name}", value, token=True)
    raw = tasks.table.get("login_url")
    login_url = [raw] if isinstance(raw, str) else tasks.str_list("login_url", [])
    for pattern in login_url:
        rest = pattern.removeprefix("{base_url}")
        ok = rest[:1] in ("", "/", "?", "*") if rest != pattern else (
            re.match(r"https?://\w", pattern) is not None)
        if not ok or any(name != "base_url" for name in _PLACEHOLDER.findall(pattern)):
            raise tasks.error("login_url", 'each pattern must be "{base_url}" then a path, or a '
                              f"full http(s) URL, not {shown(pattern)}")
    return RequestSpec(method, body, body_format, headers, tuple(login_url))


def _answer(tasks: Reader) -> AnswerSpec:
    import codecs

    charset = tasks.text("charset", "")
    if charset:
        try:
            codec = codecs.lookup(charset)
        except LookupError:
            raise tasks.error("charset", f"is not a text encoding Python knows: "
                              f"{shown(charset)}") from None
        if codec.name in ("rot-13", "base64", "hex", "zlib", "bz2", "uu", "quopri"):
            raise tasks.error("charset", f"is not a text encoding: {shown(charset)}")
    date_format = tasks.text("date_format", "auto")
    if date_format not in DATE_KEYWORDS:
        try:
            strftime_pattern(date_format)
        except ValueError as exc:
            raise tasks.error("date_format", f"{exc} (known: {', '.join(DATE_KEYWORDS)}, "
                              'or a pattern such as "yyyy-MM-dd HH:mm:ss")') from None
    statuses = tasks.str_map("statuses")
    for code, state in statuses.items():
        if state not in TASK_STATES:
            raise tasks.error(f"statuses.{code}", f"must be open or closed, not {shown(state)}")
    spec = AnswerSpec(charset=charset, date_format=date_format, statuses=statuses)
    answer = tasks.sub("answer", required=False)
    if answer is None:
        return spec
    answer.unknown({"code", "ok", "signed_out", "message"})
    code = answer.text("code")
    ok = _codes(answer, "ok")
    if not ok:
        raise answer.error("ok", "must name at least one success code (such as 200 or 0)")
    signed_out = _codes(answer, "signed_out") if answer.has("signed_out") else ("401",)
    both = set(ok) & set(signed_out)
    if both:
        raise answer.error("signed_out", f"names {sorted(both)[0]}, a success code too")
    return replace(spec, code=code, ok=ok, signed_out=signed_out,
                   message=answer.text("message", ""))


def _codes(reader: Reader, key: str) -> tuple[str, ...]:
    """A code or a list of codes (whole numbers or strings), as texts."""
    raw = reader.table.get(key)
    values = raw if isinstance(raw, list) else [raw]
    if len(values) > 100 or not all(
            (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.strip()
                                                                 and not bad_text(v))
            for v in values):
        raise reader.error(key, f"must be a code or a list of codes (numbers or strings), not "
                           f"{shown(raw)}")
    return tuple(str(v).strip() for v in values)


def _json_table(reader: Reader, key: str) -> dict[str, object]:
    raw = reader.table[key]
    if not isinstance(raw, dict):
        raise reader.error(key, f"must be a table (the JSON object to send), not {shown(raw)}")
    problem = _not_json(raw)
    if problem:
        raise reader.error(key, f"{problem}: only strings, numbers, true/false, arrays "
                           "and tables go into JSON")
    return dict(raw)


def _strings(value: object, where: str = "") -> list[tuple[str, str]]:
    """Every string in a JSON-like value, with its dotted place."""
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [s for i, v in enumerate(value) for s in _strings(v, f"{where}[{i}]")]
    return [(where, value)] if isinstance(value, str) else []


def _mentions(value: object, text: str) -> bool:
    return any(text in s for _, s in _strings(value))


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
        how = {"caldav": "marks VTODOs completed by itself",
               "python": "marks tasks done through the plugin's complete()"}.get(
                   spec.kind, "is read only")
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
    paging.unknown({"kind", "param", "size_param", "size", "first", "total", "next", "max_pages",
                    "send"})
    kind = paging.text("kind", choices=PAGING_KINDS)
    max_pages = paging.integer("max_pages", 50, minimum=1, maximum=MAX_PAGES)
    if kind != "cursor" and paging.has("send"):
        raise paging.error("send", 'applies only to kind = "cursor"')
    if kind == "cursor":
        for key in ("first", "total"):
            if paging.has(key):
                raise paging.error(key, 'applies only to kind = "page" or "offset"')
        return PagingSpec(kind, param=paging.text("param", "cursor"),
                          size_param=paging.text("size_param", ""),
                          size=paging.integer("size", 50, minimum=1, maximum=MAX_PAGE_SIZE),
                          next=paging.text("next"), send=paging.text("send", "query",
                                                                     choices=CURSOR_PLACES),
                          max_pages=max_pages)
    if kind == "next-link":
        for key in ("param", "size_param", "size", "first", "total"):
            if paging.has(key):
                raise paging.error(key, 'applies only to kind = "page" or "offset"')
        return PagingSpec(kind, next=paging.text("next", ""), max_pages=max_pages)
    if paging.has("next"):
        raise paging.error("next", 'applies only to kind = "next-link" or "cursor"')
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
    origins = root.str_list("origins", [])
    for form in root.tables("forms"):
        form.unknown({"key", "name", "url", "fields", "submit", "purpose", "record", "subject"})
        key = form.text("key")
        if key in keys:
            raise form.error("key", f"{shown(key)} is declared twice")
        keys.add(key)
        fields = form.str_map("fields")
        for selector, name in fields.items():
            if not _DICTIONARY_KEY.match(name):
                raise form.error(f"fields.{selector}", f'must name a dictionary key such as '
                                 f'"person.name" or "inspection.date", not {shown(name)}')
        purpose = form.text("purpose", "record", choices=FORM_PURPOSES)
        record = form.text("record", "")
        if record and not _GROUP.match(record):
            raise form.error("record", f'must name a record group such as "inspection", not '
                             f"{shown(record)}")
        subject = form.text("subject", "")
        if subject and subject not in SUBJECT_KINDS:
            raise form.error("subject", f"must be one of {', '.join(SUBJECT_KINDS)}, not "
                             f"{shown(subject)}")
        if purpose == "account" and (record or subject or form.has("submit")):
            extra = "record" if record else "subject" if subject else "submit"
            raise form.error(extra, 'does not apply to purpose = "account" (the page where the '
                             "person's own details are edited)")
        submit_table = form.sub("submit", required=False)
        submit = _submit(submit_table, origins) if submit_table is not None else None
        forms.append(FormSpec(
            key, _url(form, "url", form.text("url")), fields, form.text("name", key),
            submit=submit, purpose=purpose, record=record, subject=subject,
        ))
    return tuple(forms)


def _submit(submit: Reader, origins: list[str]) -> SubmitSpec:
    """``[forms.submit]``: the platform's API taking a record, on the platform's own origins."""
    submit.unknown({"method", "url", "body", "body_format", "headers", "success",
                    "success_values", "review_values", "message"})
    method = submit.text("method", "POST").upper()
    if method not in SUBMIT_METHODS:
        raise submit.error("method", f"must be one of {', '.join(SUBMIT_METHODS)}, not "
                           f"{shown(submit.table['method'])}")
    url = _url(submit, "url", submit.text("url"), (*_PLACEHOLDERS, "id"))
    _on_origins(submit, "url", url, origins)
    if not submit.has("body"):
        raise submit.error("body", "is required: the table of the values to send")
    body = _json_table(submit, "body")
    if not body:
        raise submit.error("body", "must name at least one value to send")
    for where, text in _strings(body):
        for name in _PLACEHOLDER.findall(text):
            key, how, _optional = template_parts(name)
            bar = "|" in name
            if name != "id" and not _DICTIONARY_KEY.match(key):
                raise submit.error(f"body{where}", f"uses {{{name[:40]}}}, which is no dictionary "
                                   'key (write "{group.key}", such as "{inspection.date}", or '
                                   "{id} for the task's id)")
            if bar and how not in TEMPLATE_FORMS:
                raise submit.error(f"body{where}", f"uses {{{name[:40]}}}: after | comes "
                                   f"{' or '.join(TEMPLATE_FORMS)} (the value as people read it)")
    body_format = submit.text("body_format", "json", choices=BODY_FORMATS)
    if body_format == "form" and any(isinstance(v, dict | list) for v in body.values()):
        raise submit.error("body", 'a form body (body_format = "form") holds only strings, '
                           "numbers and true/false")
    headers = submit.str_map("headers")
    for name, value in headers.items():
        if not _HEADER_NAME.match(name):
            raise submit.error(f"headers.{name}", "is not an HTTP header name")
        if name.lower() in ("host", "content-length", "transfer-encoding", "connection", "cookie",
                            "content-type"):
            raise submit.error(f"headers.{name}", "is set by the launcher, not by a manifest")
        for placeholder in _PLACEHOLDER.findall(value):
            if placeholder != "token":
                raise submit.error(f"headers.{name}", f"uses unknown placeholder "
                                   f"{{{placeholder[:40]}}} (known: {{token}})")
    success = submit.text("success", "")
    success_values = _codes(submit, "success_values") if submit.has("success_values") else ()
    review_values = _codes(submit, "review_values") if submit.has("review_values") else ()
    if success and not success_values:
        raise submit.error("success_values", "must name at least one success code (such as 0 or "
                           "200) when success names where the code is")
    if not success and (success_values or review_values):
        key = "success_values" if success_values else "review_values"
        raise submit.error(key, "applies only with success (the dotted path to the code)")
    both = set(success_values) & set(review_values)
    if both:
        raise submit.error("review_values", f"names {sorted(both)[0]}, a success code too")
    return SubmitSpec(method, url, body, body_format, headers, success, success_values,
                      review_values, submit.text("message", ""))


def _on_origins(reader: Reader, key: str, url: str, origins: list[str]) -> None:
    """``url`` (a checked template) lies on one of the manifest's ``origins``: a record never goes
    to another server than the platform's own."""
    def sample(template: str) -> str:
        for placeholder, stands_for in _SAMPLES.items():
            template = template.replace(placeholder, stands_for)
        return template

    scopes = [scope_of(sample(o)) for o in origins]
    if not any(scope is not None and scope.covers(sample(url)) for scope in scopes):
        raise reader.error(key, f"must be on the platform's own origins "
                           f"({', '.join(origins) or 'none declared'}), not {shown(url)}")
