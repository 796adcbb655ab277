"""一次填报 (fill once, submit to many) as a use case.

A grouped inbox row holds the same work asked by several platforms (the fire-safety inspection
安全排查 and 执法检查 both want). The person completes one launcher form with the union of the
fields those platforms ask for, pre-filled from the row's record, its subject and their own
profile (``prepare``); then ``submit``:

1. the record is saved in the one table (``services.records``), linked to the row's tasks and its
   subject (the subject's details saved with it);
2. each platform whose manifest declares ``[forms.submit]`` receives it through its API, all at
   once on the executor, each within its own deadline: SUBMITTED, REVIEW (the platform holds it
   for review) or FAILED with the platform's reason (a missing value, a refusal, signed out, no
   answer);
3. each other platform's form is to be opened in a tab, pre-filled for the person to check and
   submit there (REVIEW, "opened for review"): the window does that with ``OpenForm``.

Every outcome is kept with the record (``records.set_outcome``) and the whole announced as
``RecordSubmitted`` (platform ids and states, never values).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from launcher.app.events import Events, RecordSubmitted
from launcher.app.fill import FillContext
from launcher.core.errors import LauncherError, SourceError
from launcher.core.states import FailureReason

if TYPE_CHECKING:
    from launcher.api import TaskGroup, TaskItem
    from launcher.app.refresh import Executor
    from launcher.app.services import Services
    from launcher.core.manifest import FormSpec
    from launcher.core.profile.fields import FieldDef, FieldGroup
    from launcher.core.registry import Platform, Registry
    from launcher.core.submit import Credentials

log = logging.getLogger(__name__)

SUBMITTED = "submitted"
REVIEW = "review"
FAILED = "failed"
"""The outcome states (``core.profile.records.OutcomeState`` values)."""

OPENED_FOR_REVIEW = "已在标签页中打开并预填，请核对后在平台页面提交"
"""The outcome message of a platform without a submit API: its form opened pre-filled."""
WAITING_FOR_REVIEW = "平台已受理，等待审核"


@dataclass(frozen=True)
class PlatformForm:
    """One platform of a row: its task there, and the form it asks the record with."""

    item: TaskItem
    platform: Platform
    form: FormSpec | None

    @property
    def api(self) -> bool:
        """True when the platform takes the record through its API (``[forms.submit]``)."""
        return self.form is not None and self.form.submit is not None

    @property
    def page_url(self) -> str:
        """The page where the record is entered by hand: the form's, else the task's."""
        if self.form is not None:
            return self.platform.expand(self.form.url)
        return self.item.url


@dataclass(frozen=True)
class RowForm:
    """What the launcher form of one row shows: the fields, pre-filled, and where they go."""

    group: TaskGroup
    platforms: tuple[PlatformForm, ...]
    fields: tuple[FieldDef, ...]
    values: dict[str, str]
    """Pre-filled values by dictionary key (record, subject, profile)."""
    owner: str
    record_kind: str = ""
    subject_kind: str = ""
    record_id: str = ""
    subject_id: str = ""
    required: frozenset[str] = frozenset()
    """Keys a platform's submit API cannot do without."""


@dataclass(frozen=True)
class OpenForm:
    """A platform's form to open in a tab, pre-filled for the person to check and submit."""

    platform_id: str
    url: str
    title: str
    context: FillContext


@dataclass(frozen=True)
class PlatformOutcome:
    platform_id: str
    task_key: str
    state: str
    """SUBMITTED, REVIEW or FAILED."""
    message: str = ""
    """The platform's words, or the launcher's (Chinese), plain and bounded."""
    open_form: OpenForm | None = None
    """For a platform without a submit API: the form the window opens."""


@dataclass
class SubmitResult:
    record_id: str
    subject_id: str
    outcomes: list[PlatformOutcome] = field(default_factory=list)


class InvalidValues(LauncherError):
    """Values the dictionary refuses (the form shows each message beside its field)."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("；".join(f"{k}：{v}" for k, v in self.problems.items()))


# -- the row's platforms and fields -------------------------------------------------------------


def form_of(platform: Platform, item: TaskItem) -> FormSpec | None:
    """The form ``item`` asks for on ``platform``: the one of its form key (the task's own code or
    the county-wide key the manifest maps it to), else the one whose page the task links to, else
    the platform's only record form."""
    forms = [f for f in platform.manifest.forms if f.purpose == "record"]
    if item.form:
        tasks = platform.manifest.tasks
        alias = tasks.grouping.forms.get(item.form, item.form) if tasks is not None else item.form
        for form in forms:
            if form.key in (item.form, alias):
                return form
    found = platform.form_for(item.url) if item.url else None
    if found is not None and found.purpose == "record":
        return found
    return forms[0] if len(forms) == 1 else None


def can_submit(registry: Registry, group: TaskGroup) -> bool:
    """True when a platform of the row declares the form its task asks for (一次填报 can show
    its fields). Memory only: the GUI thread may ask."""
    for item in group.items:
        platform = registry.get(item.platform)
        if platform is not None and form_of(platform, item) is not None:
            return True
    return False


def row_platforms(services: Services, group: TaskGroup) -> list[PlatformForm]:
    """Each platform of the row once (its first task), with its form, in the row's order."""
    seen: set[str] = set()
    found: list[PlatformForm] = []
    for item in sorted(group.items, key=lambda i: group.platforms.index(i.platform)):
        platform = services.registry.get(item.platform)
        if platform is None or platform.id in seen:
            continue
        seen.add(platform.id)
        found.append(PlatformForm(item, platform, form_of(platform, item)))
    return found


def _groups(services: Services) -> dict[str, FieldGroup]:
    groups = getattr(services, "field_groups", None)
    if groups:
        return dict(groups)
    from launcher.core.profile.fields import load_field_groups

    return load_field_groups()


def _role(fields: Mapping[str, FieldDef], groups: Mapping[str, FieldGroup], key: str) -> str:
    definition = fields.get(key)
    group = groups.get(definition.group) if definition is not None else None
    return group.role if group is not None else "self"


def _kinds(services: Services, forms: Sequence[PlatformForm], keys: Sequence[str]) -> tuple[str, str]:
    """The row's record group and subject kind: as a form names them, else the groups of the
    record's and subject's keys the platforms ask for."""
    record = next((p.form.record for p in forms if p.form is not None and p.form.record), "")
    subject = next((p.form.subject for p in forms if p.form is not None and p.form.subject), "")
    fields, groups = services.fields, _groups(services)
    for key in keys:
        definition = fields.get(key)
        if definition is None:
            continue
        role = _role(fields, groups, key)
        if role == "record" and not record:
            record = definition.group
        elif role == "subject" and not subject:
            subject = definition.group
    return record, subject


def _asked_keys(forms: Sequence[PlatformForm]) -> list[str]:
    keys: list[str] = []
    for platform_form in forms:
        form = platform_form.form
        if form is None:
            continue
        keys.extend(form.fields.values())
        if form.submit is not None:
            keys.extend(form.submit.template_keys())
    return list(dict.fromkeys(keys))


def fields_for_row(services: Services, group: TaskGroup) -> list[FieldDef]:
    """The union of the fields the row's platforms ask for: their forms' mappings, their submit
    bodies, the record group's fields and the subject kind's, in dictionary order. Keys the
    dictionary does not have are left out (the submit reports them)."""
    forms = row_platforms(services, group)
    asked = _asked_keys(forms)
    record, subject = _kinds(services, forms, asked)
    wanted = set(asked)
    chosen = [f for f in services.fields.values()
              if f.key in wanted or (f.group and f.group in (record, subject))]
    return chosen


def prepare(services: Services, group: TaskGroup) -> RowForm:
    """The launcher form of ``group``: its fields, pre-filled from the row's record (a task's
    record), its subject (the record's, else the one the task's subject text names) and the
    person's profile. Reads the disk and the keyring: on a worker."""
    forms = row_platforms(services, group)
    asked = _asked_keys(forms)
    record_kind, subject_kind = _kinds(services, forms, asked)
    fields = fields_for_row(services, group)
    owner = services.profile.owner()
    values: dict[str, str] = {}
    keys = {f.key for f in fields}
    for key, value in services.profile.values(owner=owner).items():
        if key in keys and value.strip():
            values[key] = value
    records = getattr(services, "records", None)
    record_id = subject_id = ""
    if records is not None:
        record = next((r for i in group.items if (r := records.record_for_task(i.key)) is not None),
                      None)
        subject = None
        if record is not None and record.subject_id:
            subject = records.subject(record.subject_id)
        if subject is None and group.subject:
            subject = records.find_subject(group.subject, subject_kind or None)
        for found in (subject, record):
            if found is None:
                continue
            for key, value in dict(found.values).items():
                if key in keys and value and value.strip():
                    values[key] = value
        record_id = record.id if record is not None else ""
        subject_id = subject.id if subject is not None else ""
    required = frozenset(k for p in forms if p.form is not None and p.form.submit is not None
                         for k in p.form.submit.required_keys())
    return RowForm(group, tuple(forms), tuple(fields), values, owner, record_kind, subject_kind,
                   record_id, subject_id, required)


def check_values(fields: Sequence[FieldDef], values: Mapping[str, str]) -> dict[str, str]:
    """Each value the dictionary refuses, by key, with its Chinese message ({} when all are
    acceptable; an empty value is no value)."""
    problems: dict[str, str] = {}
    for definition in fields:
        value = values.get(definition.key, "")
        problem = definition.validate(value) if value.strip() else None
        if problem:
            problems[definition.key] = problem
    return problems


# -- credentials ----------------------------------------------------------------------------------


def credentials_for(services: Services, platform: Platform) -> Credentials:
    """What the platform's API is called with, as the inbox reads it: a session-bound platform's
    web session, else the county's access token for it (None for a platform without sign-in)."""
    from launcher.core.submit import Credentials

    sessions = getattr(services, "web_sessions", None)
    try:
        if sessions is not None and sessions.applies(platform):
            session = sessions.session_for(platform)
            return Credentials(session.token or None, dict(session.cookies))
        return Credentials(services.auth.token_for(platform))
    except SourceError:
        raise
    except LauncherError as exc:
        raise SourceError(f"no credentials: {type(exc).__name__}",
                          FailureReason.SIGNED_OUT) from None


def _renew(services: Services, platform: Platform) -> None:
    """Forget the credentials the platform refused: the next ones are fresh."""
    sessions = getattr(services, "web_sessions", None)
    if sessions is not None and sessions.applies(platform):
        sessions.drop(platform.id)
    else:
        services.auth.invalidate(platform)


# -- submitting -----------------------------------------------------------------------------------


def failure_text(exc: BaseException) -> str:
    """Why a platform did not get the record, in Chinese (the technical detail goes to the log)."""
    from launcher.core.submit import MissingValues, UnknownKeys

    if isinstance(exc, MissingValues):
        return exc.message + "（未发送）"
    if isinstance(exc, UnknownKeys):
        return "平台的表单配置有误（字段不在字段字典中），请联系县里的信息化人员"
    if isinstance(exc, SourceError):
        return {
            FailureReason.SIGNED_OUT: "登录已失效，请重新登录后再提交",
            FailureReason.TIMEOUT: "平台未在规定时间内答复，提交结果不明，请到平台核实",
            FailureReason.NETWORK: "无法连接平台，请检查网络",
            FailureReason.CERTIFICATE: "本机不信任平台的证书",
            FailureReason.UNREADABLE: "平台的答复无法识别，请到平台核实是否已提交",
            FailureReason.UNSUPPORTED: "平台的提交地址不在平台自己的网址内，未发送",
        }.get(exc.reason, "平台出错")
    return "提交失败"


def submit_one(services: Services, row: RowForm, platform_form: PlatformForm,
               values: Mapping[str, str]) -> tuple[str, str]:
    """Send the record to one platform's API, trying once more with fresh credentials when its
    token is refused; returns (state, message). Blocking: on a worker."""
    from launcher.core.submit import MissingValues, SubmitState, check_keys, submit_record

    platform, form = platform_form.platform, platform_form.form
    assert form is not None and form.submit is not None
    spec = form.submit
    try:
        check_keys(platform, form, services.fields)
        credentials = credentials_for(services, platform)
        try:
            answer = submit_record(platform, spec, values, fields=services.fields,
                                   task_id=platform_form.item.id, credentials=credentials)
        except SourceError as exc:
            if exc.reason != FailureReason.SIGNED_OUT or (
                    credentials.token is None and not credentials.cookies):
                raise
            log.info("%s refused its credentials for a submission; trying fresh ones", platform.id)
            _renew(services, platform)
            answer = submit_record(platform, spec, values, fields=services.fields,
                                   task_id=platform_form.item.id,
                                   credentials=credentials_for(services, platform))
    except (MissingValues, LauncherError) as exc:
        log.warning("submitting to %s failed: %s", platform.id,
                    exc.keys if isinstance(exc, MissingValues) else exc)
        return FAILED, failure_text(exc)
    if answer.state == SubmitState.SUBMITTED:
        return SUBMITTED, answer.message or "已提交"
    if answer.state == SubmitState.REVIEW:
        return REVIEW, answer.message or WAITING_FOR_REVIEW
    return FAILED, answer.message or "平台未接收"


def save_record(services: Services, row: RowForm, values: Mapping[str, str]) -> tuple[str, str]:
    """Save the row's subject and record with the person's values (blocking: disk, keyring);
    returns (record id, subject id). Values of the person's own details are not kept here (the
    profile is theirs to edit)."""
    records = services.records
    fields = services.fields

    def of_kind(kind: str) -> dict[str, str]:
        return {k: v for k, v in values.items()
                if kind and k in fields and fields[k].group == kind and v.strip()}

    subject_id = row.subject_id or None
    subject_values = of_kind(row.subject_kind)
    if row.subject_kind and subject_values:
        if subject_id is not None:  # what the form did not show stays as it was
            old = records.subject(subject_id)
            shown = {f.key for f in row.fields}
            if old is not None and old.kind == row.subject_kind:
                subject_values = {**{k: v for k, v in old.values.items() if k not in shown},
                                  **subject_values}
            elif old is not None:
                subject_id = None  # another kind of subject: a new one of this kind
        subject = records.save_subject(row.subject_kind, subject_values, subject_id=subject_id,
                                       owner=row.owner)
        subject_id = subject.id
    kind = row.record_kind or records.record_kinds[0]
    record_values = of_kind(kind)
    record_id = row.record_id or None
    if record_id is not None:
        old_record = records.record(record_id)
        shown = {f.key for f in row.fields}
        if old_record is not None and old_record.kind == kind:
            record_values = {**{k: v for k, v in old_record.values.items() if k not in shown},
                             **record_values}
        else:
            record_id = None
    record = records.save_record(kind, record_values, subject_id=subject_id, record_id=record_id,
                                 tasks=tuple(i.key for i in row.group.items), owner=row.owner)
    return record.id, subject_id or ""


def _normalised(fields: Sequence[FieldDef], values: Mapping[str, str]) -> dict[str, str]:
    by_key = {f.key: f for f in fields}
    return {k: (by_key[k].normalize(v) if k in by_key else v.strip()) for k, v in values.items()}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SubmitToMany:
    """Fill once, submit to many, on ``executor``; answers come on its answer thread."""

    def __init__(self, services: Services, executor: Executor,
                 events: Events | None = None) -> None:
        self._services = services
        self._executor = executor
        self._events = events
        self.running = False

    def prepare(self, group: TaskGroup, on_ready: Callable[[RowForm], None],
                on_failed: Callable[[BaseException], None]) -> None:
        """Make the row's launcher form (on the executor: values are read from disk)."""
        services = self._services
        self._executor.submit("prepare submit", lambda: prepare(services, group), on_ready,
                              on_failed)

    def submit(
        self,
        row: RowForm,
        values: Mapping[str, str],
        *,
        on_saved: Callable[[str], None] | None = None,
        on_outcome: Callable[[PlatformOutcome], None],
        on_done: Callable[[SubmitResult], None],
        on_failed: Callable[[BaseException], None],
    ) -> bool:
        """Save the record, then submit it to every platform of the row. ``on_saved(record id)``
        once the record is kept, ``on_outcome`` for each platform as its answer arrives (the
        platforms without an API first, with the form to open), ``on_done`` when all answered;
        ``on_failed`` when the values are refused (InvalidValues) or the record cannot be
        saved: then nothing was sent. False when a submission is running already."""
        if self.running:
            return False
        problems = check_values(row.fields, values)
        if problems:
            on_failed(InvalidValues(problems))
            return True
        self.running = True
        services, executor = self._services, self._executor
        clean = {k: v for k, v in _normalised(row.fields, values).items() if v}

        def saved(ids: tuple[str, str]) -> None:
            record_id, subject_id = ids
            result = SubmitResult(record_id, subject_id)
            if on_saved is not None:
                on_saved(record_id)
            api = [p for p in row.platforms if p.api]
            for platform_form in row.platforms:
                if platform_form.api:
                    continue
                item = platform_form.item
                context = FillContext(task_key=item.key, record_id=record_id,
                                      subject_id=subject_id, subject_text=item.subject or "")
                outcome = PlatformOutcome(
                    platform_form.platform.id, item.key, REVIEW, OPENED_FOR_REVIEW,
                    OpenForm(platform_form.platform.id, platform_form.page_url, item.title,
                             context))
                result.outcomes.append(outcome)
                def keep(o: PlatformOutcome = outcome) -> None:
                    self._keep(row, record_id, o)

                executor.submit("keep outcome", keep, None, _log_failure)
                on_outcome(outcome)
            if not api:
                finish(result)
                return
            waiting = {p.platform.id for p in api}
            for platform_form in api:
                def work(p: PlatformForm = platform_form) -> PlatformOutcome:
                    state, message = submit_one(services, row, p, clean)
                    outcome = PlatformOutcome(p.platform.id, p.item.key, state, message)
                    self._keep(row, record_id, outcome)
                    return outcome

                def answered(outcome: PlatformOutcome) -> None:
                    arrived(outcome)

                def errored(exc: BaseException, p: PlatformForm = platform_form) -> None:
                    log.warning("submitting to %s failed: %s", p.platform.id, type(exc).__name__)
                    arrived(PlatformOutcome(p.platform.id, p.item.key, FAILED, failure_text(exc)))

                def arrived(outcome: PlatformOutcome) -> None:
                    result.outcomes.append(outcome)
                    waiting.discard(outcome.platform_id)
                    on_outcome(outcome)
                    if not waiting:
                        finish(result)

                executor.submit(f"submit to {platform_form.platform.id}", work, answered, errored)

        def finish(result: SubmitResult) -> None:
            self.running = False
            if self._events is not None:
                self._events.publish(RecordSubmitted(
                    result.record_id,
                    tuple((o.platform_id, o.state) for o in result.outcomes)))
            on_done(result)

        def not_saved(exc: BaseException) -> None:
            self.running = False
            on_failed(exc)

        executor.submit("save record", lambda: save_record(services, row, clean), saved,
                        not_saved)
        return True

    def _keep(self, row: RowForm, record_id: str, outcome: PlatformOutcome) -> None:
        """Keep ``outcome`` with the record (blocking: disk)."""
        from launcher.core.profile.records import Outcome, OutcomeState

        self._services.records.set_outcome(
            record_id,
            Outcome(outcome.platform_id, OutcomeState(outcome.state), outcome.message, _now(),
                    task_key=outcome.task_key),
            owner=row.owner,
        )


def _log_failure(exc: BaseException) -> None:
    log.warning("an outcome was not kept: %s", type(exc).__name__)


# -- outcomes for the inbox -----------------------------------------------------------------------


def task_outcomes(services: Services) -> dict[str, tuple[str, str]]:
    """Task key -> (state, message) of the outcome kept for it, for every record of the person
    (blocking: disk; on a worker). A record's outcome names its task; an older one without a
    task key goes to the record's task on that platform."""
    records = getattr(services, "records", None)
    if records is None:
        return {}
    found: dict[str, tuple[str, str, str]] = {}
    for record in records.records():
        for platform_id, outcome in dict(record.outcomes).items():
            key = outcome.task_key or next(
                (t for t in record.tasks if t.startswith(platform_id + "/")), "")
            if not key:
                continue
            state = str(getattr(outcome.state, "value", outcome.state))
            if key not in found or outcome.at >= found[key][2]:
                found[key] = (state, outcome.message, outcome.at)
    return {k: (s, m) for k, (s, m, _at) in found.items()}


def open_forms(outcomes: Sequence[PlatformOutcome]) -> list[OpenForm]:
    return [o.open_form for o in outcomes if o.open_form is not None]


__all__ = [
    "FAILED",
    "REVIEW",
    "SUBMITTED",
    "InvalidValues",
    "OpenForm",
    "PlatformForm",
    "PlatformOutcome",
    "RowForm",
    "SubmitResult",
    "SubmitToMany",
    "can_submit",
    "credentials_for",
    "fields_for_row",
    "form_of",
    "prepare",
    "row_platforms",
    "task_outcomes",
]
