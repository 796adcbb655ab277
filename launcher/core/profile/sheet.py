"""Spreadsheets of the one table: the ledgers (台账) a township keeps, read, imported and exported.

A spreadsheet is outside data: it may be huge, damaged, a zip bomb, or hold formulas meant for
the next person who opens an export. So reading is bounded (file size, unpacked size, rows,
columns, cell length), every problem of a row is reported with the row number as the spreadsheet
shows it and the column's own header, and an import saves every row or none (one transaction).
Exported cells that a spreadsheet program would take for a formula (starting with = + - @) are
prefixed with a quote, and ID numbers and codes are written as text, never as numbers (which
would turn 110105194912310021 into 1.10105E+17 and lose its last digits).

Headers are matched by the dictionary's label or one of its synonyms (full-width and spacing
aside), so a township's own column names are understood; a column nothing matches is reported,
not guessed. ``.xlsx`` is read with openpyxl (read-only, cached values rather than formulas),
``.csv`` as UTF-8 (with or without a byte order mark) or else GB18030 (GBK), as Excel on Chinese
Windows saves it.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from launcher.core.profile.fields import FieldDef, fold
from launcher.core.profile.records import (
    PersonRecords,
    Record,
    RecordError,
    Subject,
    SubjectIndex,
)

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A spreadsheet larger than this on disk is refused unread."""
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""An .xlsx (a zip file) unpacking to more than this is refused (a zip bomb)."""
MAX_ROWS = 10_000
"""The most data rows of one import (a township's ledger has a few thousand)."""
MAX_COLUMNS = 100
MAX_CELL = 2_000
"""The longest cell accepted (the longest field, long_text, is as long)."""
MAX_ERRORS = 200
"""Row errors kept for the report; the count says how many there were in all."""
HEADER_ROWS = 10
"""A header row is looked for among the first rows (a title row often comes first)."""

SUBJECT_COLUMN = "检查对象"
"""In a records sheet, the column naming the subject (as a task names it)."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_TEXT_KINDS = {"id_number", "credit_code", "phone", "text", "long_text"}
_DATE_FORMS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class SheetError(RecordError):
    """The spreadsheet as a whole cannot be used (not readable, too large, no header row)."""


@dataclass(frozen=True)
class RowError:
    row: int
    """The row number as the spreadsheet shows it (1 is the first row)."""
    column: str
    """The column's header as the spreadsheet has it ('' for the whole row)."""
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" + (f"“{self.column}”" if self.column else "")
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class SheetRows:
    rows: list[dict[str, str]] = field(repr=False)
    """Each data row's values by dictionary key (checked and normalised; empty cells left out)."""
    errors: list[RowError] = field(default_factory=list)
    unknown_columns: tuple[str, ...] = ()
    """Headers that name no field of the kind: their cells were not read."""
    row_numbers: list[int] = field(default_factory=list)
    """The spreadsheet row number of each of ``rows``."""
    subjects: list[str] = field(default_factory=list, repr=False)
    """For a records sheet: each row's subject text (its 检查对象 column, or '')."""
    subject_keys: list[dict[str, str]] = field(default_factory=list, repr=False)
    """For a records sheet: each row's values of subject fields (户主姓名, 场所名称…)."""
    error_count: int = 0
    """Every row error, also those past MAX_ERRORS not kept in ``errors``."""


@dataclass(frozen=True)
class ImportResult:
    kind: str
    rows: int
    """Data rows read."""
    added: int = 0
    updated: int = 0
    """Rows that were a subject (or record) kept already (same 户号, ID number, credit code…),
    updated rather than added twice."""
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    unknown_columns: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Every row was saved (and nothing was, when not)."""
        return self.error_count == 0


# -- reading ------------------------------------------------------------------------------------


def read_sheet(path: Path, kind: str, fields: dict[str, FieldDef]) -> SheetRows:
    """The rows of a spreadsheet of ``kind`` (a group of the dictionary: household, inspection…).

    SheetError when the file as a whole cannot be used; problems of single rows are in
    ``errors``."""
    own = {k: f for k, f in fields.items() if f.group == kind}
    if not own:
        raise SheetError(f"不是可以导入的类型：{kind[:40]}")
    grid = _grid(Path(path))
    header_at, columns, unknown = _header(grid, own, fields, kind)
    rows: list[dict[str, str]] = []
    numbers: list[int] = []
    subjects: list[str] = []
    subject_keys: list[dict[str, str]] = []
    errors: list[RowError] = []
    count = 0
    data_rows = 0
    for number, cells in grid:
        if number <= header_at:
            continue
        if not any(_present(c) for c in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            raise SheetError(f"表格行数过多（最多 {MAX_ROWS} 行），请分成几个文件导入")
        values: dict[str, str] = {}
        subject_text = ""
        keys: dict[str, str] = {}
        row_errors: list[RowError] = []
        for index, (header, target) in columns.items():
            cell = cells[index] if index < len(cells) else None
            if target == SUBJECT_COLUMN:
                subject_text, problem = _text(cell)
                if problem:
                    row_errors.append(RowError(number, header, problem))
                continue
            fielddef = fields[target]
            value, problem = _cell(cell, fielddef)
            if not problem and value:
                problem = fielddef.validate(value) or ""
            if problem:
                row_errors.append(RowError(number, header, problem))
                continue
            value = fielddef.normalize(value)
            if not value:
                continue
            if fielddef.group == kind:
                values[target] = value
            else:
                keys[target] = value
        if not values and not row_errors and not subject_text and not keys:
            continue
        if row_errors:
            count += len(row_errors)
            errors.extend(row_errors[: max(0, MAX_ERRORS - len(errors))])
            continue
        if not values:
            count += 1
            if len(errors) < MAX_ERRORS:
                errors.append(RowError(number, "", "这一行没有可导入的内容"))
            continue
        rows.append(values)
        numbers.append(number)
        subjects.append(subject_text)
        subject_keys.append(keys)
    return SheetRows(rows, errors, unknown, numbers, subjects, subject_keys, count)


def _present(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _header(grid: list[tuple[int, list[object]]], own: dict[str, FieldDef],
            fields: dict[str, FieldDef], kind: str,
            ) -> tuple[int, dict[int, tuple[str, str]], tuple[str, ...]]:
    """The header row's number, its recognised columns (index -> (header, key)) and the headers
    nothing matched."""
    names = _header_names(own)
    subject_names: dict[str, str] = {}
    if _is_record_kind(kind):
        subject_names = _subject_columns(fields)
    best: tuple[int, int] = (0, 0)
    for number, cells in grid[:HEADER_ROWS]:
        found = sum(1 for c in cells if isinstance(c, str) and (
            fold(_unquote(c)) in names or fold(_unquote(c)) in subject_names))
        if found > best[1]:
            best = (number, found)
    if best[1] == 0:
        labels = "、".join(f.label for f in list(own.values())[:6])
        raise SheetError(f"表格前 {HEADER_ROWS} 行中找不到表头（应有如“{labels}”等列名）")
    header_at = best[0]
    cells = next(c for n, c in grid if n == header_at)
    columns: dict[int, tuple[str, str]] = {}
    unknown: list[str] = []
    taken: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if not _present(cell):
            continue
        header = str(cell).strip()[:80]
        folded = fold(_unquote(header))
        target = names.get(folded) or subject_names.get(folded)
        if target is None:
            unknown.append(header)
            continue
        if target in taken:
            raise SheetError(f"表头中“{taken[target]}”和“{header}”是同一项，请只保留一列")
        taken[target] = header
        columns[index] = (header, target)
    return header_at, columns, tuple(unknown)


_SUBJECT_GROUPS = ("household", "resident", "place", "organisation")


def _subject_columns(fields: dict[str, FieldDef]) -> dict[str, str]:
    """In a records sheet, the headers that name the subject: 检查对象, and the labels (then the
    synonyms) of the subjects' names, numbers and credit codes. A header that names such a field
    of two kinds (统一社会信用代码, 被检查单位) looks the subject up in every kind."""
    found: dict[str, set[str]] = {}
    for words in ("labels", "synonyms"):
        this_pass: dict[str, set[str]] = {}
        for key, fielddef in fields.items():
            if fielddef.group not in _SUBJECT_GROUPS or not key.endswith(
                    (".head_name", ".name", ".number", ".credit_code")):
                continue
            for word in ((fielddef.label,) if words == "labels" else fielddef.synonyms):
                this_pass.setdefault(fold(word), set()).add(key)
        for word, keys in this_pass.items():
            found.setdefault(word, keys)
    columns = {word: (next(iter(keys)) if len(keys) == 1 else SUBJECT_COLUMN)
               for word, keys in found.items()}
    columns.update({fold(SUBJECT_COLUMN): SUBJECT_COLUMN, "对象": SUBJECT_COLUMN,
                    "subject": SUBJECT_COLUMN})
    return columns


def _is_record_kind(kind: str) -> bool:
    """Records (inspections) name their subject; subjects and the person's own groups do not."""
    return kind not in _SUBJECT_GROUPS and kind not in ("person", "org")


def _header_names(own: dict[str, FieldDef]) -> dict[str, str]:
    """Folded header text -> key: labels first (they win over another field's synonym), then
    synonyms a single field of the kind uses, then the English labels and keys."""
    names: dict[str, str] = {}
    for key, fielddef in own.items():
        names.setdefault(fold(fielddef.label), key)
    seen: dict[str, set[str]] = {}
    for key, fielddef in own.items():
        for synonym in fielddef.synonyms:
            seen.setdefault(fold(synonym), set()).add(key)
    for name, keys in seen.items():
        if len(keys) == 1 and name not in names:
            names[name] = next(iter(keys))
    for key, fielddef in own.items():
        names.setdefault(fold(fielddef.label_en), key)
        names.setdefault(fold(key), key)
    return names


def _unquote(text: str) -> str:
    """A cell as exported: the quote that kept a formula-like text from being one is dropped."""
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_START else text


def _text(cell: object) -> tuple[str, str]:
    if cell is None:
        return "", ""
    text = _unquote(str(cell).strip()) if not isinstance(cell, float) else _number(cell)
    if len(text) > MAX_CELL:
        return "", f"内容过长（最多 {MAX_CELL} 字）"
    return text, ""


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _cell(cell: object, fielddef: FieldDef) -> tuple[str, str]:
    """A cell as the text of the field's value, or a problem."""
    if cell is None:
        return "", ""
    kind = fielddef.kind
    if isinstance(cell, bool):
        return ("true" if cell else "false"), ""
    if isinstance(cell, datetime | date):
        day = cell.date() if isinstance(cell, datetime) else cell
        return (day.isoformat(), "") if kind == "date" else (str(cell), "")
    if isinstance(cell, time):
        return "", "应为日期，不是时间"
    if isinstance(cell, int | float):
        if kind in ("id_number", "credit_code") or abs(cell) >= 1e15:
            # Excel keeps 15 significant digits: an 18-digit number lost its last ones.
            return "", (f"{fielddef.label}被表格存成了数字，末几位可能已经丢失："
                        "请把这一列设为“文本”格式后重新输入")
        if isinstance(cell, float) and not cell.is_integer() and kind == "integer":
            return "", "应填写整数（阿拉伯数字）"
        return _number(float(cell)) if isinstance(cell, float) else str(cell), ""
    text, problem = _text(cell)
    if problem:
        return "", problem
    if kind == "date":
        match = _DATE_FORMS.match(text)
        if match:
            year, month, day_ = match.groups()
            text = f"{year}-{int(month):02d}-{int(day_):02d}"
    if kind == "bool" and text in ("√", "✓"):
        text = "true"
    return text, ""


# -- the files ----------------------------------------------------------------------------------


def _grid(path: Path) -> list[tuple[int, list[object]]]:
    """Every row of the file (its number as the spreadsheet shows it, its cells), bounded."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SheetError(f"找不到文件：{path.name}") from None
    except (OSError, ValueError) as exc:
        raise SheetError(f"无法读取文件：{path.name}（{exc.__class__.__name__}）") from None
    if size > MAX_FILE_BYTES:
        raise SheetError(f"文件过大（最多 {MAX_FILE_BYTES // (1024 * 1024)} MB）")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx(path)
    if suffix == ".csv":
        return _csv(path)
    if suffix in (".xls", ".et", ".wps"):
        raise SheetError("不支持旧版 .xls 文件：请在表格软件中另存为 .xlsx 或 .csv 后再导入")
    raise SheetError("只能导入 .xlsx 或 .csv 文件")


def _xlsx(path: Path) -> list[tuple[int, list[object]]]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > 10_000 or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise SheetError("表格文件解压后过大，可能已损坏或被改动，未读取")
    except zipfile.BadZipFile:
        raise SheetError("不是有效的 .xlsx 文件（可能已损坏，或是改了扩展名的其他文件）") from None
    except OSError as exc:
        raise SheetError(f"无法读取文件：{path.name}（{exc.__class__.__name__}）") from None
    from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

    workbook = None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
        sheets = workbook.worksheets
        if not sheets:
            raise SheetError("表格文件中没有工作表")
        # The first sheet with something in it: a ledger's other sheets are notes or summaries.
        for sheet in sheets:
            rows = list(_sheet_rows(sheet))
            if rows:
                return rows
        return []
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged or hostile file
        log.warning("spreadsheet not readable: %s", exc.__class__.__name__)
        raise SheetError("表格文件无法读取（可能已损坏或格式不受支持）") from None
    finally:
        if workbook is not None:
            workbook.close()


def _sheet_rows(sheet: object) -> Iterator[tuple[int, list[object]]]:
    reset = getattr(sheet, "reset_dimensions", None)
    if callable(reset):
        reset()  # the recorded dimensions may be wrong: read what is there
    count = 0
    for number, row in enumerate(
            sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True),  # type: ignore[attr-defined]
            start=1):
        cells = list(row)
        while cells and not _present(cells[-1]):
            cells.pop()
        if not cells:
            if number > MAX_ROWS * 2 + HEADER_ROWS:
                break  # a run of empty rows far down: formatting, not data
            continue
        count += 1
        if count > MAX_ROWS + HEADER_ROWS:
            raise SheetError(f"表格行数过多（最多 {MAX_ROWS} 行），请分成几个文件导入")
        yield number, cells


def _csv(path: Path) -> list[tuple[int, list[object]]]:
    data = path.read_bytes()
    if b"\x00" in data:
        raise SheetError("不是文本格式的 .csv 文件（含有二进制内容）")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes nearly every byte string
        raise SheetError("无法识别 .csv 文件的编码（应为 UTF-8 或 GBK）")
    grid: list[tuple[int, list[object]]] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            number = reader.line_num  # the line a row ends on; rows span lines only when quoted
            if len(grid) > MAX_ROWS + HEADER_ROWS:
                raise SheetError(f"表格行数过多（最多 {MAX_ROWS} 行），请分成几个文件导入")
            row: list[object] = [c for c in cells[:MAX_COLUMNS]]
            while row and not _present(row[-1]):
                row.pop()
            if row:
                grid.append((number, row))
    except csv.Error as exc:
        raise SheetError(f".csv 文件格式有误（第 {reader.line_num} 行：{exc}）") from None
    return grid


# -- importing ----------------------------------------------------------------------------------


def import_subjects(records: PersonRecords, path: Path, kind: str, *,
                    owner: str | None = None) -> ImportResult:
    """Import a spreadsheet of subjects, all rows or none. A row naming a subject kept already
    (the same 户号 or 户主身份证号, ID number, credit code, or name and address) updates it,
    cells left empty keeping its values; two rows of one subject are an error."""
    if kind not in records.subject_kinds:
        raise SheetError(f"不是可以导入的对象类型：{kind[:40]}")
    sheet = read_sheet(path, kind, records.fields)
    index = _index(kind, records.subjects(kind))
    errors = list(sheet.errors)
    count = sheet.error_count
    plan: list[tuple[str | None, dict[str, str]]] = []
    claimed: dict[str, int] = {}
    added = updated = unchanged = 0
    for values, number in zip(sheet.rows, sheet.row_numbers, strict=True):
        found, problem = _same_subject(kind, values, index)
        if problem:
            count += 1
            errors.append(RowError(number, "", problem))
            continue
        key = found.id if found is not None else _identity(kind, values)
        if key and key in claimed:
            count += 1
            errors.append(RowError(number, "", f"与第 {claimed[key]} 行是同一{_KIND_WORD[kind]}"))
            continue
        if key:
            claimed[key] = number
        if found is None:
            plan.append((None, values))
            added += 1
            continue
        merged = {**found.values, **values}
        if merged == found.values:
            unchanged += 1
            continue
        plan.append((found.id, merged))
        updated += 1
    result = ImportResult(kind, len(sheet.rows), errors=errors[:MAX_ERRORS], error_count=count,
                          unknown_columns=sheet.unknown_columns)
    if count:
        return result  # nothing saved: the person fixes the rows and imports again
    records.save_subjects(kind, plan, owner=owner)
    return ImportResult(kind, len(sheet.rows), added, updated, unchanged,
                        unknown_columns=sheet.unknown_columns)


_KIND_WORD = {"household": "户", "resident": "人", "place": "场所", "organisation": "单位"}
_IDENTITY = {
    "household": (("household.number",), ("household.head_id_number",)),
    "resident": (("resident.id_number",),),
    "place": (("place.credit_code",), ("place.name", "place.address")),
    "organisation": (("organisation.credit_code",), ("organisation.name",)),
}


def _identity(kind: str, values: dict[str, str]) -> str:
    for keys in _IDENTITY.get(kind, ()):
        if all(values.get(k) for k in keys):
            return "|".join(f"{k}={fold(values[k])}" for k in keys)
    return ""


def _index(kind: str, existing: list[Subject]) -> dict[str, list[Subject]]:
    """The kept subjects by each of their identities (built once per import)."""
    index: dict[str, list[Subject]] = {}
    for subject in existing:
        for keys in _IDENTITY.get(kind, ()):
            if all(subject.values.get(k) for k in keys):
                identity = "|".join(f"{k}={fold(subject.values[k])}" for k in keys)
                index.setdefault(identity, []).append(subject)
    return index


def _same_subject(kind: str, values: dict[str, str],
                  index: dict[str, list[Subject]]) -> tuple[Subject | None, str]:
    """The kept subject this row names by one of the kind's identities, or a problem when they
    name different subjects."""
    found: dict[str, Subject] = {}
    for keys in _IDENTITY.get(kind, ()):
        if all(values.get(k) for k in keys):
            identity = "|".join(f"{k}={fold(values[k])}" for k in keys)
            found.update((s.id, s) for s in index.get(identity, ()))
    if len(found) > 1:
        return None, f"这一行的编号与证件号分别对应已有的两个{_KIND_WORD.get(kind, '对象')}，请核对"
    return (next(iter(found.values())) if found else None), ""


def import_records(records: PersonRecords, path: Path, kind: str, *,
                   owner: str | None = None) -> ImportResult:
    """Import a spreadsheet of records (inspections), all rows or none. Each row's subject is
    found by its 检查对象 column (or a subject column: 户主姓名, 场所名称, 统一社会信用代码…),
    exactly, never guessed; a row of a subject and date kept already updates that record."""
    if kind not in records.record_kinds:
        raise SheetError(f"不是可以导入的记录类型：{kind[:40]}")
    sheet = read_sheet(path, kind, records.fields)
    errors = list(sheet.errors)
    count = sheet.error_count
    date_key = f"{kind}.date"
    kept: dict[tuple[str, str], Record] = {}
    for record in records.records(kind=kind):
        if record.subject_id and record.values.get(date_key):
            kept.setdefault((record.subject_id, record.values[date_key]), record)
    subjects = SubjectIndex(records.subjects())  # once: every row is matched against them
    plan: list[tuple[str | None, str | None, dict[str, str]]] = []
    claimed: dict[tuple[str, str], int] = {}
    added = updated = unchanged = 0
    for values, number, text, keys in zip(sheet.rows, sheet.row_numbers, sheet.subjects,
                                          sheet.subject_keys, strict=True):
        subject_id: str | None = None
        named: list[tuple[str, str | None]] = [(text, None)] if text else []
        # A credit code may be a place's or an organisation's: it is unique either way.
        named += [(v, None if k.endswith(".credit_code") else k.split(".", 1)[0])
                  for k, v in keys.items()]
        if named:
            # Each column naming the subject may find it (or nothing, e.g. a name two share);
            # columns that find different subjects are an error, never a pick.
            matched = {s.id for s in (subjects.match(n, k) for n, k in named) if s is not None}
            if len(matched) > 1:
                count += 1
                errors.append(RowError(number, "", "这一行的几列指向不同的检查对象，请核对"))
                continue
            if not matched:
                count += 1
                errors.append(RowError(number, "", f"找不到检查对象“{named[0][0][:40]}”"
                                       "（或有同名的几个）：请先导入该户、场所或单位，或写明编号"))
                continue
            subject_id = matched.pop()
        same = None
        if subject_id is not None and values.get(date_key):
            claim = (subject_id, values[date_key])
            if claim in claimed:
                count += 1
                errors.append(RowError(number, "", f"与第 {claimed[claim]} 行是同一次检查"))
                continue
            claimed[claim] = number
            same = kept.get(claim)
        if same is None:
            plan.append((None, subject_id, values))
            added += 1
            continue
        merged = {**same.values, **values}
        if merged == same.values:
            unchanged += 1
            continue
        plan.append((same.id, subject_id, merged))
        updated += 1
    if count:
        return ImportResult(kind, len(sheet.rows), errors=errors[:MAX_ERRORS], error_count=count,
                            unknown_columns=sheet.unknown_columns)
    records.save_records(kind, plan, owner=owner)
    return ImportResult(kind, len(sheet.rows), added, updated, unchanged,
                        unknown_columns=sheet.unknown_columns)


def import_sheet(records: PersonRecords, path: Path, kind: str, *,
                 owner: str | None = None) -> ImportResult:
    """Subjects or records, by ``kind``."""
    if kind in records.record_kinds:
        return import_records(records, path, kind, owner=owner)
    return import_subjects(records, path, kind, owner=owner)


# -- exporting ----------------------------------------------------------------------------------


def export_subjects(records: PersonRecords, path: Path, kind: str) -> int:
    """Write the signed-in person's subjects of ``kind`` to ``path`` (.xlsx or .csv); returns
    how many rows. Sensitive values are included: the file is the person's own ledger."""
    if kind not in records.subject_kinds:
        raise SheetError(f"不是可以导出的对象类型：{kind[:40]}")
    own = records.kind_fields(kind)
    rows = [[s.values.get(k, "") for k in own] for s in records.subjects(kind)]
    _write(Path(path), list(own.values()), rows)
    return len(rows)


def export_records(records: PersonRecords, path: Path, kind: str) -> int:
    """Write the signed-in person's records of ``kind``, with each one's subject (检查对象)."""
    if kind not in records.record_kinds:
        raise SheetError(f"不是可以导出的记录类型：{kind[:40]}")
    own = records.kind_fields(kind)
    names = {s.id: s.name for s in records.subjects()}
    found: list[Record] = sorted(records.records(kind=kind),
                                 key=lambda r: (r.values.get(f"{kind}.date", ""), r.id))
    rows = [[names.get(r.subject_id or "", ""), *(r.values.get(k, "") for k in own)]
            for r in found]
    _write(Path(path), [SUBJECT_COLUMN, *own.values()], rows)
    return len(rows)


def export_sheet(records: PersonRecords, path: Path, kind: str) -> int:
    if kind in records.record_kinds:
        return export_records(records, path, kind)
    return export_subjects(records, path, kind)


def safe_cell(text: str) -> str:
    """A cell a spreadsheet program never takes for a formula (a quote before = + - @)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _write(path: Path, columns: Sequence[FieldDef | str], rows: list[list[str]]) -> None:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise SheetError("只能导出为 .xlsx 或 .csv 文件")
    headers = [c if isinstance(c, str) else c.label for c in columns]
    shown = [[safe_cell(c.display(v) if not isinstance(c, str) else v)
              for c, v in zip(columns, row, strict=True)] for row in rows]
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=".export-", suffix=suffix, dir=folder)
    except OSError as exc:
        raise SheetError(f"无法写入文件夹：{folder}（{exc.__class__.__name__}）") from None
    try:
        os.close(handle)
        if suffix == ".csv":
            with open(temporary, "w", encoding="utf-8-sig", newline="") as out:
                writer = csv.writer(out)
                writer.writerow(headers)
                writer.writerows(shown)
        else:
            _write_xlsx(Path(temporary), columns, headers, shown)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise SheetError(f"无法写入文件：{path.name}（{exc.__class__.__name__}）") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_xlsx(path: Path, columns: Sequence[FieldDef | str], headers: list[str],
                rows: list[list[str]]) -> None:
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped,unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped,unused-ignore]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("一张表")
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        cells = []
        for column, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            # Always a string (never a formula nor a number), and formatted as text, so that
            # editing it in Excel keeps an ID number whole.
            cell.data_type = "s"
            kind = column.kind if not isinstance(column, str) else "text"
            if kind in _TEXT_KINDS or kind == "integer":
                cell.number_format = "@"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)
