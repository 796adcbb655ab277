"""Fill as a use case: which platform a page is, the values it may receive (the person's profile,
and for a tab opened for a task, the task's subject and record), the plan of which page field gets
which value (core/profile/autofill.py ``plan_page`` over the page's scan), and what the page's
answer means; ``Filled`` announced and the fill history noted (keys only; the history keeps keyed
fingerprints, never values).

The window (launcher/ui/fill.py) scans and fills the page and shows the preview; nothing here
touches a page. A page is filled only on a platform's own origins: by origin and path, the longest
declared match (two platforms behind one gateway each fill their own pages), on a tie the platform
the tab was opened for. The manifest's mapping comes first; on any page of the platform (a form
declared by URL alone, or none) the heuristics plan the rest.

A field planned for a key of kind ``file`` (a record's photo: a path on this PC) goes into a page's
file input only: the worker that plans reads the file (an image or a PDF of at most 10 MB, its
kind told by its first bytes, never by its name) into ``Planned.uploads``, the preview shows its
name and size (never its folders), and the page gets ``{name, type, data}`` for that field alone.
A missing, too big or other kind of file is not sent; the outcome says why.
"""

from __future__ import annotations

import base64
import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launcher.app.events import Events, Filled
from launcher.app.vocabulary import Words
from launcher.core.errors import LauncherError
from launcher.core.model import web_origin

if TYPE_CHECKING:
    from launcher.app.refresh import Executor
    from launcher.app.services import Services
    from launcher.core.profile.autofill import FillValues, PagePlan, PlannedField
    from launcher.core.registry import Platform, Registry

log = logging.getLogger(__name__)

PROFILE, SUBJECT, RECORD = "profile", "subject", "record"
"""Where a value comes from (``FillValues.sources``)."""

FILLED_RESULTS = frozenset({"ok", "unchanged"})
"""A field's result meaning the page now holds the planned value ("unchanged": it already did)."""


class NotFilled(StrEnum):
    """Why nothing was filled."""

    NO_PAGE = "no-page"
    """No web page is shown (or no county is open)."""
    NO_PLATFORM = "no-platform"
    """The page belongs to no platform of the county."""
    NOT_A_FORM = "not-a-form"
    """The page is not the platform's own (the plan refused it)."""
    CHANGED = "changed"
    """The page was closed or went elsewhere while the plan was made."""
    NO_ANSWER = "no-answer"
    """The page script did not answer."""
    REFUSED = "refused"
    """The page script refused (its origin was not the plan's)."""
    NO_FIELDS = "no-fields"
    """The page has no field the launcher has a value for."""
    CANCELLED = "cancelled"
    """The person cancelled the preview."""
    NOTHING_CHOSEN = "nothing-chosen"
    """The person confirmed the preview with no field ticked."""


FIELD_RESULTS: dict[str, Words] = {
    "ok": Words("已填入", "filled"),
    "unchanged": Words("页面上已是此值", "already had this value"),
    "missing": Words("页面上没有此项", "not on the page"),
    "no-option": Words("没有匹配的选项", "no matching option"),
    "readonly": Words("只读", "read-only"),
    "password": Words("密码框不填", "password fields are never filled"),
    "rejected": Words("页面不接受此值", "the page did not accept the value"),
    "timeout": Words("超时", "timed out"),
    "frame": Words("在其他来源的框架中", "in a frame of another origin"),
    "skipped": Words("未勾选", "not ticked"),
    "no-answer": Words("页面没有回应", "the page did not answer"),
    "file-missing": Words("文件不存在或无法读取", "the file is missing or cannot be read"),
    "file-too-big": Words("文件超过 10 MB", "the file is larger than 10 MB"),
    "file-type": Words("只能上传图片或 PDF 文件", "only an image or a PDF file can be uploaded"),
}
"""What happened to one field, in words (the page engine's result codes, C3)."""
ERROR_RESULT = Words("出错", "error")
"""Any ``error: …`` result (the page's own message is outside text, never shown as ours)."""

SOURCES: dict[str, Words] = {
    PROFILE: Words("我的信息", "my details"),
    SUBJECT: Words("户·场所", "household / place"),
    RECORD: Words("检查记录", "record"),
}
"""Where a value came from, in words."""


def result_words(code: str) -> Words:
    """A field's result code in words (any ``error: …`` is 出错)."""
    return FIELD_RESULTS.get(code, ERROR_RESULT)


def confidence_words(how: str, confidence: float) -> Words:
    """How sure a planned field is: the manifest's mapping, else the heuristics' 高 / 中."""
    if how == "manifest":
        return Words("已配置", "configured")
    if confidence >= 0.9:
        return Words("高", "high")
    return Words("中", "medium")


MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""The largest file put into a page (the page engine refuses more, page_script.MAX_FILE_BYTES)."""

_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"WEBP", 8, "image/webp"),
    (b"BM", 0, "image/bmp"),
    (b"%PDF-", 0, "application/pdf"),
)


@dataclass(frozen=True)
class Upload:
    """A file read for a page's file input: its name (no folders), kind and size, and its bytes in
    base64; or ``refused``, a result code saying why it is not sent (``file-missing``,
    ``file-too-big``, ``file-type``)."""

    name: str
    type: str = ""
    size: int = 0
    data: str = field(default="", repr=False)
    refused: str = ""

    def payload(self) -> dict[str, str]:
        """What the page engine takes (C3 ``file``)."""
        return {"name": self.name, "type": self.type, "data": self.data}

    def shown(self, language: str = "zh_CN") -> str:
        """The file as the preview shows it: its name and size, or why it is not sent."""
        if self.refused:
            return f"{self.name} · {result_words(self.refused).in_(language)}"
        return f"{self.name} · {file_size(self.size)}"


def file_size(size: int) -> str:
    """A size as people read it: 830 B, 12 KB, 1.4 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def sniff(head: bytes) -> str:
    """The kind of file its first bytes say (an image or a PDF), or ""."""
    for magic, at, kind in _MAGIC:
        if head[at:at + len(magic)] == magic and (kind != "image/webp" or head[:4] == b"RIFF"):
            return kind
    return ""


def read_upload(path: str) -> Upload:
    """The local file at ``path`` read for a page's file input (on a worker: this reads the disk).

    Only a regular file of at most :data:`MAX_UPLOAD_BYTES` whose first bytes make it an image
    (PNG, JPEG, GIF, WebP, BMP) or a PDF; its name is the last part of the path."""
    text = path.strip()
    name = (text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or text)[:200]
    try:
        target = Path(text)
        if not text or not target.is_absolute():
            return Upload(name, refused="file-missing")
        info = target.stat()
        if not target.is_file():
            return Upload(name, refused="file-missing")
        if info.st_size > MAX_UPLOAD_BYTES:
            return Upload(name, size=info.st_size, refused="file-too-big")
        with target.open("rb") as handle:
            data = handle.read(MAX_UPLOAD_BYTES + 1)
    except (OSError, ValueError):
        return Upload(name, refused="file-missing")
    if len(data) > MAX_UPLOAD_BYTES:  # it grew meanwhile
        return Upload(name, size=len(data), refused="file-too-big")
    kind = sniff(data[:16])
    if not kind:
        return Upload(name, size=len(data), refused="file-type")
    return Upload(name, kind, len(data), base64.b64encode(data).decode("ascii"))


@dataclass(frozen=True)
class FillContext:
    """What a tab's form is for: the task it was opened for (``TaskItem.key``), the record and the
    subject the person chose (ids of ``services.records``). Empty: the person's profile only."""

    task_key: str = ""
    record_id: str = ""
    subject_id: str = ""
    subject_text: str = ""
    """The task's own words for its subject (``TaskItem.subject``: outside text), looked up with
    ``records.find_subject`` when no subject id is known."""
    chosen: bool = False
    """The person chose the subject and the record (the preview's chooser): the ids are all
    there is, an empty one meaning none (no task lookup, no subject's latest record)."""

    def __bool__(self) -> bool:
        return bool(self.task_key or self.record_id or self.subject_id or self.subject_text)


def form_platform(registry: Registry, url: str, prefer: str = "") -> Platform | None:
    """The platform whose page ``url`` is, where Fill may plan (``prefer``: the platform the tab
    was opened for, when two declare the page equally)."""
    if not url or web_origin(url) is None:
        return None
    return registry.platform_for_url(url, prefer)


@dataclass
class FillOutcome:
    """What the page did with the fields the person chose."""

    platform: Platform
    plan: PagePlan
    results: dict[str, str]
    """The page engine's result by field ``ref``."""
    filled: list[PlannedField] = field(default_factory=list)
    """Fields that now hold the planned value."""
    failed: list[tuple[PlannedField, str]] = field(default_factory=list)
    """Fields not filled, with their result code (``missing``, ``no-option``, ``error: …``)."""
    skipped: list[PlannedField] = field(default_factory=list)
    """Planned fields the person did not tick."""

    @property
    def keys(self) -> tuple[str, ...]:
        """The dictionary keys filled, each once."""
        return tuple(dict.fromkeys(f.key for f in self.filled))


@dataclass(frozen=True)
class Planned:
    """A plan made for a page, with the owner whose values it holds (the fill history is
    noted for that account only, never the next person's)."""

    platform: Platform
    plan: PagePlan
    owner: str
    values: FillValues
    """The values as the one table keeps them (a choice's code, where the page got its text)."""
    uploads: dict[str, Upload] = field(default_factory=dict)
    """The files read for the plan's fields of kind ``file``, by ref (the plan's value for such a
    field is the file's name and size, as the preview shows it)."""


class Fill:
    """Fill planning for the county open in ``services``."""

    def __init__(
        self, services: Services, executor: Executor, events: Events | None = None
    ) -> None:
        self._services = services
        self._executor = executor
        self._events = events

    def page(self, url: str, prefer: str = "") -> tuple[Platform | None, NotFilled | None]:
        """The platform whose page ``url`` is, or why it is none."""
        platform = form_platform(self._services.registry, url, prefer)
        if platform is None:
            return None, NotFilled.NO_PLATFORM
        return platform, None

    # -- values ----------------------------------------------------------------------------------

    def values(
        self, platform: Platform, url: str, context: FillContext | None, owner: str | None = None
    ) -> FillValues:
        """The values a page of ``platform`` may receive: the person's own details, and with a
        ``context`` the task's subject and record. Reads the disk and the keyring: on a worker."""
        from launcher.core.profile.autofill import FillValues

        services = self._services
        own = _self_keys(services)
        values: dict[str, str] = {}
        sources: dict[str, str] = {}
        for key, value in services.profile.values(owner=owner).items():
            if not value.strip() or (own is not None and key not in own):
                continue  # an old profile's 检查日期: a record's value now, never stale
            values[key], sources[key] = value, PROFILE
        records = getattr(services, "records", None)
        if context and records is not None:
            subject_kind, record_kind = form_kinds(platform, url)
            try:
                subject, record = _subject_and_record(records, context, record_kind,
                                                      subject_kind)
            except LauncherError as exc:
                # The person's own details still fill; the preview shows what comes from where.
                log.warning("the task's record could not be read: %s", type(exc).__name__)
                subject = record = None
            if owner is not None and records.owner() != owner:
                subject = record = None  # someone else signed in meanwhile: none of theirs
            for source, found in ((SUBJECT, subject), (RECORD, record)):
                if found is None:
                    continue
                for key, value in dict(found.values).items():
                    if value and value.strip():
                        values[key], sources[key] = value, source
        return FillValues(values, sources)

    # -- plan ------------------------------------------------------------------------------------

    def plan(
        self,
        platform: Platform,
        url: str,
        scan: dict[str, Any],
        context: FillContext | None,
        on_planned: Callable[[Planned], None],
        on_refused: Callable[[NotFilled], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Plan the fill of the scanned page (on the executor: values are read from disk), then
        ``on_planned``; ``on_refused`` when the page is not the platform's own."""
        services = self._services

        def work() -> Planned | None:
            from launcher.core.profile.autofill import plan_page

            owner = services.profile.owner()
            values = self.values(platform, url, context, owner)
            plan = plan_page(platform, url, scan, values, services.fields)
            if plan is None:
                return None
            plan, uploads = _with_uploads(plan, services.fields)
            return Planned(platform, plan, owner, values, uploads)

        def returned(planned: Planned | None) -> None:
            if planned is None:
                on_refused(NotFilled.NOT_A_FORM)
            else:
                on_planned(planned)

        self._executor.submit("plan fill", work, returned, on_failed)

    def chosen(
        self, platform: Platform, url: str, context: FillContext | None
    ) -> tuple[str, str]:
        """The ids of the subject and the record ``context`` stands for on the form at ``url``
        ('' for none): what the preview's chooser starts with. Reads the disk: on a worker."""
        records = getattr(self._services, "records", None)
        if not context or records is None:
            return "", ""
        subject_kind, record_kind = form_kinds(platform, url)
        subject, record = _subject_and_record(records, context, record_kind, subject_kind)
        return (subject.id if subject else ""), (record.id if record else "")

    @staticmethod
    def fields_to_fill(planned: Planned, refs: Iterable[str]) -> list[dict[str, Any]]:
        """The page engine's field list for the refs the person ticked: a file field of the plan
        with the file read for it, one whose file was refused not at all (nothing goes to the
        page for it)."""
        from launcher.core.profile.autofill import fill_fields

        out: list[dict[str, Any]] = []
        for item in fill_fields(planned.plan, list(refs)):
            upload = planned.uploads.get(str(item.get("ref")))
            if upload is None:
                out.append(item)
            elif not upload.refused:
                out.append({**item, "file": upload.payload()})
        return out

    # -- the page's answer ---------------------------------------------------------------------------

    def answered(
        self, planned: Planned, refs: Iterable[str], answer: Mapping[str, Any] | None
    ) -> FillOutcome | NotFilled:
        """What the page engine's ``answer`` ({done, results: {ref: code}}) means for the fields
        ``refs`` the person ticked. A fill is announced as ``Filled`` (the platform, the form and
        the keys filled, never their values) and noted in the person's fill history (on the
        executor, for the account the plan was made for)."""
        if not answer:
            return NotFilled.NO_ANSWER
        if answer.get("refused"):
            return NotFilled.REFUSED
        raw = answer.get("results")
        results = {str(k): str(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
        chosen = set(refs)
        plan = planned.plan
        outcome = FillOutcome(planned.platform, plan, results)
        for planned_field in plan.fields:
            if planned_field.ref not in chosen:
                outcome.skipped.append(planned_field)
                continue
            upload = planned.uploads.get(planned_field.ref)
            code = (upload.refused if upload is not None and upload.refused
                    else results.get(planned_field.ref, "no-answer"))
            if code in FILLED_RESULTS:
                outcome.filled.append(planned_field)
            else:
                outcome.failed.append((planned_field, code))
        if outcome.filled:
            if self._events is not None:
                self._events.publish(Filled(plan.platform_id, plan.form_key, outcome.keys))
            self._note_filled(planned, outcome)
        return outcome

    def _note_filled(self, planned: Planned, outcome: FillOutcome) -> None:
        records = getattr(self._services, "records", None)
        if records is None:
            return
        kept = planned.values.values
        values = {f.key: kept.get(f.key, f.value) for f in outcome.filled}
        plan = planned.plan

        def work() -> None:
            records.note_filled(plan.platform_id, plan.form_key, values, owner=planned.owner)

        def failed(exc: BaseException) -> None:
            # Never the values: only which platform's history could not be noted.
            log.warning("fill history of %s not noted: %s", plan.platform_id, type(exc).__name__)

        self._executor.submit("note filled", work, None, failed)


def _with_uploads(plan: PagePlan, fields: Mapping[str, Any]
                  ) -> tuple[PagePlan, dict[str, Upload]]:
    """The plan with each field of a ``file`` key's value (a path) read into an Upload, its value
    the file's name and size as the preview shows them (the path's folders never leave here)."""
    uploads: dict[str, Upload] = {}
    changed = []
    for planned in plan.fields:
        if getattr(fields.get(planned.key), "kind", "") != "file":
            changed.append(planned)
            continue
        upload = uploads[planned.ref] = read_upload(planned.value)
        changed.append(dataclasses.replace(planned, value=upload.shown()))
    if not uploads:
        return plan, uploads
    return dataclasses.replace(plan, fields=tuple(changed)), uploads


def _self_keys(services: Services) -> frozenset[str] | None:
    """The keys of the person's own details (groups of role ``self``); None when the dictionary
    does not say (every profile key is then the person's own)."""
    try:
        from launcher.core.profile.fields import fields_of_role, load_field_groups
    except ImportError:
        return None
    groups = getattr(services, "field_groups", None) or load_field_groups()
    return frozenset(fields_of_role(services.fields, groups, "self"))


def form_kinds(platform: Platform, url: str) -> tuple[str, str]:
    """The subject kind and the record group the platform's form at ``url`` declares ('' where
    it declares none, or where ``url`` is no declared form)."""
    form = platform.form_for(url)
    if form is None:
        return "", ""
    return str(getattr(form, "subject", "") or ""), str(getattr(form, "record", "") or "")


def _subject_and_record(
    records: Any, context: FillContext, kind: str, subject_kind: str
) -> tuple[Any, Any]:
    """The subject and the record of ``context``: the record chosen, else the task's, else the
    subject's latest (of the form's record group where it names one); the subject chosen, else
    the record's, else the one the task's subject text names (of the form's subject kind where
    it names one). A ``chosen`` context: only its ids."""
    if context.chosen:
        return (records.subject(context.subject_id) if context.subject_id else None,
                records.record(context.record_id) if context.record_id else None)
    record = records.record(context.record_id) if context.record_id else None
    if record is None and context.task_key:
        record = records.record_for_task(context.task_key)
    subject = records.subject(context.subject_id) if context.subject_id else None
    if subject is None and record is not None and record.subject_id:
        subject = records.subject(record.subject_id)
    if subject is None and context.subject_text:
        subject = records.find_subject(context.subject_text, subject_kind or None)
    if record is None and subject is not None:
        found = [
            r for r in records.records(subject_id=subject.id) if not kind or r.kind == kind
        ]
        if found:
            record = max(found, key=lambda r: (r.updated, r.version))
    return subject, record
