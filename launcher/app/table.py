"""The one table (基层一张表) as use cases: its kinds, importing and exporting spreadsheets, listing,
saving and deleting subjects and records of the signed-in person (``launcher table`` and the
table window drive these). Qt-free; calls touch the disk and the keyring: off the GUI thread.

Each announces what it did (launcher/app/events.py): counts and kinds, never values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from launcher.app.events import RecordsChanged, TableExported, TableImported
from launcher.core.profile.records import SIGNED_OUT, Record, RecordError, Subject

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.profile.fields import FieldDef
    from launcher.core.profile.sheet import ImportResult

SUBJECT_COLUMN = "检查对象"
SUBJECT_COLUMN_EN = "Subject"


@dataclass(frozen=True)
class TableKind:
    """A kind of the one table: a group of the dictionary whose role is subject or record."""

    key: str
    label: str
    label_en: str
    role: str
    """``subject`` or ``record``."""


@dataclass(frozen=True)
class TableView:
    """A kind's rows as people read them (a choice's text, 是/否), sensitive values masked."""

    kind: str
    columns: tuple[FieldDef, ...]
    ids: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    subjects: tuple[str, ...] = ()
    """For records: each row's subject by name ('' when none)."""


def table_kinds(services: Services) -> list[TableKind]:
    """The kinds the one table keeps, in the dictionary's order: subjects, then records."""
    from launcher.core.profile.fields import load_field_groups

    groups = load_field_groups()
    kinds = [TableKind(k, g.label, g.label_en, g.role) for k, g in groups.items()
             if g.role in ("subject", "record") and k in _kinds(services)]
    return sorted(kinds, key=lambda k: k.role != "subject")


def _kinds(services: Services) -> tuple[str, ...]:
    return services.records.subject_kinds + services.records.record_kinds


def _signed_in(services: Services) -> str:
    owner = services.records.owner()
    if not owner:
        raise RecordError(SIGNED_OUT)
    return owner


def _check_kind(services: Services, kind: str) -> None:
    if kind not in _kinds(services):
        raise RecordError(f"一张表中没有这一类：{kind[:40]}")


def import_table(services: Services, path: Path, kind: str, *,
                 owner: str | None = None) -> ImportResult:
    """Import a spreadsheet (.xlsx or .csv) of ``kind`` for the signed-in person: every row or
    none (``result.ok``; its ``errors`` name each row and column at fault). RecordError (its
    SheetError) when the file as a whole cannot be used or nobody is signed in."""
    from launcher.core.profile.sheet import import_sheet

    _check_kind(services, kind)
    owner = owner if owner is not None else _signed_in(services)
    result = import_sheet(services.records, Path(path), kind, owner=owner)
    services.events.publish(TableImported(kind, result.rows, result.added, result.updated,
                                          result.unchanged, result.error_count))
    if result.ok and (result.added or result.updated):
        services.events.publish(RecordsChanged(kind))
    return result


def export_table(services: Services, path: Path, kind: str) -> int:
    """Write the signed-in person's ``kind`` to a spreadsheet (.xlsx or .csv by its suffix);
    returns how many rows. The file holds sensitive values: it is the person's own ledger."""
    from launcher.core.profile.sheet import export_sheet

    _check_kind(services, kind)
    _signed_in(services)
    rows = export_sheet(services.records, Path(path), kind)
    services.events.publish(TableExported(kind, rows, Path(path).suffix.lower().lstrip(".")))
    return rows


def list_table(services: Services, kind: str, *, reveal: bool = False) -> TableView:
    """The signed-in person's ``kind`` for reading; sensitive values masked unless ``reveal``."""
    _check_kind(services, kind)
    _signed_in(services)
    records = services.records
    columns = tuple(records.kind_fields(kind).values())

    def shown(field: FieldDef, value: str) -> str:
        if not value:
            return ""
        return field.display(value) if reveal or not field.sensitive else mask(value)

    if kind in records.record_kinds:
        names = {s.id: s.name for s in records.subjects()}
        found: list[Record] = records.records(kind=kind)
        return TableView(
            kind, columns, tuple(r.id for r in found),
            tuple(tuple(shown(c, r.values.get(c.key, "")) for c in columns) for r in found),
            tuple(names.get(r.subject_id or "", "") for r in found))
    subjects: list[Subject] = records.subjects(kind)
    return TableView(
        kind, columns, tuple(s.id for s in subjects),
        tuple(tuple(shown(c, s.values.get(c.key, "")) for c in columns) for s in subjects))


def mask(value: str) -> str:
    """A sensitive value for a screen anyone may look at: 138****5678, 110***********002X."""
    if len(value) >= 11:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    if len(value) > 2:
        return value[0] + "*" * (len(value) - 2) + value[-1]
    return "*" * len(value)


def save_subject(services: Services, kind: str, values: dict[str, str], *,
                 subject_id: str | None = None, owner: str | None = None) -> Subject:
    """Save a subject for the signed-in person (RecordError names a wrong field)."""
    subject = services.records.save_subject(kind, values, subject_id=subject_id, owner=owner)
    services.events.publish(RecordsChanged(kind, (subject.id,)))
    return subject


def delete_subject(services: Services, subject_id: str, *, owner: str | None = None) -> None:
    subject = services.records.subject(subject_id)
    services.records.delete_subject(subject_id, owner=owner)
    if subject is not None:
        services.events.publish(RecordsChanged(subject.kind, (subject_id,)))


def save_record(services: Services, kind: str, values: dict[str, str], *,
                subject_id: str | None = None, record_id: str | None = None,
                tasks: Iterable[str] = (), owner: str | None = None) -> Record:
    """Save a record for the signed-in person; a new version when anything changed."""
    record = services.records.save_record(kind, values, subject_id=subject_id,
                                          record_id=record_id, tasks=tasks, owner=owner)
    services.events.publish(RecordsChanged(kind, (record.id,)))
    return record


def delete_record(services: Services, record_id: str, *, owner: str | None = None) -> None:
    record = services.records.record(record_id)
    services.records.delete_record(record_id, owner=owner)
    if record is not None:
        services.events.publish(RecordsChanged(record.kind, (record_id,)))
