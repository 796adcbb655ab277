"""Spreadsheets of the one table (issue 14): .xlsx and .csv read by Chinese headers, errors per row as
the spreadsheet numbers them, nothing half-imported, the same household updated not doubled,
exports safe from formulas with ID numbers kept as text, and hostile files refused clearly."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from launcher.core.profile.fields import load_fields
from launcher.core.profile.records import PersonRecords
from launcher.core.profile.sheet import (
    MAX_ROWS,
    SheetError,
    export_sheet,
    import_sheet,
    read_sheet,
    safe_cell,
)
from launcher.core.secrets import SecretStore

FIELDS = load_fields()
HEAD_ID = "11010519491231002X"
OTHER_ID = "440524198001010013"


@pytest.fixture
def records(tmp_path: Path) -> Iterator[PersonRecords]:
    opened = PersonRecords(tmp_path / "records", SecretStore("test/sheet"), FIELDS,
                           lambda: "sub-zhangwei")
    yield opened
    opened.close()


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def csv_file(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


LEDGER = [
    ["李家村低保户台账（2026 年 11 月）"],  # a title row above the header, as ledgers have
    ["序号", "户主", "户号", "户主身份证号码", "家庭人口", "低保类型", "家庭住址", "联系电话"],
    [1, "王建国", "0012", HEAD_ID, 4, "农村低保", "李家村3组12号", "13800138000"],
    [2, "李秀英", "0013", OTHER_ID, 2, "特困", "李家村3组15号", None],
]


# -- reading ----------------------------------------------------------------------------------------


def test_an_xlsx_ledger_is_read_by_its_chinese_headers(tmp_path: Path) -> None:
    sheet = read_sheet(xlsx(tmp_path / "台账.xlsx", LEDGER), "household", FIELDS)
    assert sheet.errors == [] and sheet.row_numbers == [3, 4]
    assert sheet.unknown_columns == ("序号",)
    assert sheet.rows[0] == {
        "household.head_name": "王建国", "household.number": "0012",
        "household.head_id_number": HEAD_ID, "household.size": "4", "household.dibao": "2",
        "household.address": "李家村3组12号", "household.phone": "13800138000"}
    assert sheet.rows[1]["household.dibao"] == "3"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk"])
def test_a_csv_ledger_is_read_in_the_encodings_excel_saves(tmp_path: Path, encoding: str) -> None:
    rows = [[str(c) if c is not None else "" for c in row] for row in LEDGER]
    sheet = read_sheet(csv_file(tmp_path / "台账.csv", rows, encoding), "household", FIELDS)
    assert sheet.errors == [] and [r["household.head_name"] for r in sheet.rows] == ["王建国",
                                                                                      "李秀英"]


def test_errors_name_the_row_as_the_spreadsheet_numbers_it_and_the_column(tmp_path: Path) -> None:
    rows = [*LEDGER[:2],
            [1, "王建国", "0012", "110105194912310021", "四", "农村低保", "x", "12345"],
            [],  # an empty row is skipped, yet counted by the spreadsheet
            [2, "李秀英", "0013", OTHER_ID, 2, "城镇低保", "y", None]]
    sheet = read_sheet(xlsx(tmp_path / "bad.xlsx", rows), "household", FIELDS)
    found = {(e.row, e.column): e.message for e in sheet.errors}
    assert set(found) == {(3, "户主身份证号码"), (3, "家庭人口"), (3, "联系电话"), (5, "低保类型")}
    assert "校验位" in found[(3, "户主身份证号码")]
    assert "城市低保" in found[(5, "低保类型")]
    assert str(sheet.errors[0]).startswith("第 3 行“")
    assert sheet.rows == [] and sheet.error_count == 4


def test_an_id_number_kept_as_a_number_is_refused_not_rounded(tmp_path: Path) -> None:
    rows = [["户主姓名", "户主身份证号"], ["王建国", 110105194912310021]]
    sheet = read_sheet(xlsx(tmp_path / "n.xlsx", rows), "household", FIELDS)
    assert len(sheet.errors) == 1 and "文本" in sheet.errors[0].message


def test_dates_flags_and_cells_of_other_types(tmp_path: Path) -> None:
    rows = [["检查对象", "检查日期", "是否整改", "整改期限", "整改情况"],
            ["王建国", datetime(2026, 11, 30, 9, 30), True, "2026年12月1日", "更换灭火器"],
            ["王建国", "2026/11/3", "否", date(2026, 12, 5), None]]
    sheet = read_sheet(xlsx(tmp_path / "i.xlsx", rows), "inspection", FIELDS)
    assert sheet.errors == []
    assert sheet.rows[0] == {"inspection.date": "2026-11-30", "inspection.rectified": "true",
                             "inspection.deadline": "2026-12-01",
                             "inspection.rectification": "更换灭火器"}
    assert sheet.rows[1]["inspection.date"] == "2026-11-03"
    assert sheet.subjects == ["王建国", "王建国"]


def test_a_sheet_without_a_header_or_with_a_column_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="找不到表头"):
        read_sheet(xlsx(tmp_path / "a.xlsx", [["甲", "乙"], ["1", "2"]]), "household", FIELDS)
    with pytest.raises(SheetError, match="同一项"):
        read_sheet(xlsx(tmp_path / "b.xlsx", [["户主", "户主姓名"], ["王", "王"]]), "household",
                   FIELDS)


# -- importing ----------------------------------------------------------------------------------


def test_an_import_is_every_row_or_none(tmp_path: Path, records: PersonRecords) -> None:
    rows = [*LEDGER, [3, "赵六", "0014", "110105194912310021", 1, "无", "z", None]]
    result = import_sheet(records, xlsx(tmp_path / "h.xlsx", rows), "household")
    assert not result.ok and result.added == 0
    assert [(e.row, e.column) for e in result.errors] == [(5, "户主身份证号码")]
    assert records.subjects() == []  # the good rows were not saved either
    fixed = import_sheet(records, xlsx(tmp_path / "h.xlsx", LEDGER), "household")
    assert fixed.ok and (fixed.rows, fixed.added, fixed.updated) == (2, 2, 0)
    assert sorted(s.name for s in records.subjects("household")) == ["李秀英", "王建国"]


def test_the_same_household_imported_again_is_updated_not_doubled(
        tmp_path: Path, records: PersonRecords) -> None:
    import_sheet(records, xlsx(tmp_path / "h.xlsx", LEDGER), "household")
    again = [["户号", "户主身份证号", "家庭人口数", "联系电话"],
             ["0012", "", 5, ""],                      # by 户号; empty cells keep values
             ["", OTHER_ID, 2, ""],                    # by the head's ID number: unchanged
             ["0099", "", 1, ""]]                      # a new one
    result = import_sheet(records, xlsx(tmp_path / "again.xlsx", again), "household")
    assert result.ok and (result.added, result.updated, result.unchanged) == (1, 1, 1)
    households = {s.values.get("household.number"): s for s in records.subjects("household")}
    assert len(households) == 3
    wang = households["0012"]
    assert wang.values["household.size"] == "5"
    assert wang.values["household.phone"] == "13800138000"
    assert wang.values["household.head_id_number"] == HEAD_ID


def test_two_rows_of_one_household_in_a_file_are_an_error(tmp_path: Path,
                                                          records: PersonRecords) -> None:
    rows = [["户主", "户号"], ["王建国", "0012"], ["王建国", "００１２"]]
    result = import_sheet(records, xlsx(tmp_path / "d.xlsx", rows), "household")
    assert not result.ok and "与第 2 行是同一户" in result.errors[0].message
    conflicting = [["户号", "户主身份证号"], ["0012", OTHER_ID]]
    import_sheet(records, xlsx(tmp_path / "h.xlsx", LEDGER), "household")
    result = import_sheet(records, xlsx(tmp_path / "c.xlsx", conflicting), "household")
    assert not result.ok and "两个户" in result.errors[0].message


def test_inspections_import_onto_their_subjects_never_a_guess(tmp_path: Path,
                                                              records: PersonRecords) -> None:
    import_sheet(records, xlsx(tmp_path / "h.xlsx", LEDGER), "household")
    rows = [["户主姓名", "检查日期", "隐患类型", "检查结论"],
            ["王建国", "2026-11-30", "消防安全", "限期整改"],
            ["王建", "2026-11-30", "消防安全", "合格"]]
    result = import_sheet(records, xlsx(tmp_path / "i.xlsx", rows), "inspection")
    assert not result.ok and result.errors[0].row == 3 and "找不到检查对象" in result.errors[0].message
    assert records.records() == []
    result = import_sheet(records, xlsx(tmp_path / "i.xlsx", rows[:2]), "inspection")
    assert result.ok and result.added == 1
    wang = records.find_subject("王建国")
    assert wang is not None
    [record] = records.records(subject_id=wang.id)
    assert record.values["inspection.hazard_type"] == "1"
    # The same subject and date again: that record is updated.
    again = [["检查对象", "检查日期", "检查结论"], ["0012", "2026-11-30", "合格"]]
    result = import_sheet(records, xlsx(tmp_path / "j.xlsx", again), "inspection")
    assert result.ok and result.updated == 1
    [record] = records.records(subject_id=wang.id)
    assert record.version == 2 and record.values["inspection.result"] == "1"


# -- exporting ----------------------------------------------------------------------------------


def test_an_export_keeps_id_numbers_as_text_and_formulas_inert(tmp_path: Path,
                                                               records: PersonRecords) -> None:
    records.save_subject("household", {"household.head_name": "=HYPERLINK(\"http://x\",\"点\")",
                                       "household.head_id_number": HEAD_ID,
                                       "household.number": "0012",
                                       "household.address": "@SUM(A1)", "household.size": "3",
                                       "household.dibao": "农村低保"})
    assert export_sheet(records, tmp_path / "out.xlsx", "household") == 1
    book = load_workbook(tmp_path / "out.xlsx")
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    row = {h: c for h, c in zip(headers, sheet[2], strict=True)}
    assert row["户主身份证号"].value == HEAD_ID and row["户主身份证号"].data_type == "s"
    assert row["户主身份证号"].number_format == "@"
    assert row["户号"].value == "0012"
    assert row["户主姓名"].value.startswith("'=") and row["户主姓名"].data_type == "s"
    assert row["家庭住址"].value == "'@SUM(A1)"
    assert row["低保类别"].value == "农村低保"  # the text people read, not the code
    export_sheet(records, tmp_path / "out.csv", "household")
    text = (tmp_path / "out.csv").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert lines[1][0].startswith("'=") and HEAD_ID in lines[1]
    # What was exported imports back as the same household, unchanged (the quotes dropped).
    for name in ("out.xlsx", "out.csv"):
        result = import_sheet(records, tmp_path / name, "household")
        assert result.ok and result.unchanged == 1, name
    assert records.subjects()[0].values["household.head_name"].startswith("=HYPERLINK")


def test_inspections_export_with_their_subject(tmp_path: Path, records: PersonRecords) -> None:
    wang = records.save_subject("household", {"household.head_name": "王建国"})
    records.save_record("inspection", {"inspection.date": "2026-11-30",
                                       "inspection.rectified": "true"}, subject_id=wang.id)
    export_sheet(records, tmp_path / "i.xlsx", "inspection")
    rows = list(load_workbook(tmp_path / "i.xlsx").active.iter_rows(values_only=True))
    assert rows[0][:3] == ("检查对象", "检查日期", "隐患类型")
    assert rows[1][0] == "王建国" and "是" in rows[1]


def test_safe_cell() -> None:
    assert [safe_cell(t) for t in ("=1+1", "+1", "-1", "@A", "\tx", "王", "1-2")] == [
        "'=1+1", "'+1", "'-1", "'@A", "'\tx", "王", "1-2"]


# -- hostile files ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "words"), [
    ("a.xlsx", b"not a zip at all", "不是有效的 .xlsx"),
    ("a.xlsx", b"PK\x03\x04" + b"\x00" * 200, "不是有效的 .xlsx"),
    ("a.csv", b"\x00\x01\x02binary", "二进制"),
    ("a.xls", b"\xd0\xcf\x11\xe0", ".xls"),
    ("a.txt", b"hello", ".xlsx 或 .csv"),
    ("a.csv", b"\"unterminated,\n" * 3, "找不到表头"),
])
def test_a_broken_file_gets_a_clear_message(tmp_path: Path, name: str, data: bytes,
                                            words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(SheetError) as caught:
        read_sheet(path, "household", FIELDS)
    assert words in caught.value.message


def test_a_zip_bomb_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launcher.core.profile import sheet

    monkeypatch.setattr(sheet, "MAX_UNPACKED_BYTES", 1024 * 1024)  # the same check, smaller
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (2 * 1024 * 1024))
    assert path.stat().st_size < 20 * 1024
    with pytest.raises(SheetError, match="解压后过大"):
        read_sheet(path, "household", FIELDS)


def test_too_many_rows_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["户主姓名"] + [f"人{i}" for i in range(MAX_ROWS + 20)]
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SheetError, match="行数过多"):
        read_sheet(path, "household", FIELDS)


def test_too_long_a_cell_is_a_row_error(tmp_path: Path) -> None:
    path = csv_file(tmp_path / "long.csv", [["户主姓名", "家庭住址"], ["王", "址" * 5000]])
    sheet = read_sheet(path, "household", FIELDS)
    assert sheet.errors[0].row == 2 and "过长" in sheet.errors[0].message


def test_fuzzed_spreadsheets_give_a_clear_error_or_rows(tmp_path: Path) -> None:
    """Bytes of a real ledger changed at random: reading either works or says the file cannot
    be used (SheetError); it never raises anything else."""
    good = xlsx(tmp_path / "good.xlsx", LEDGER).read_bytes()
    good_csv = "\n".join(",".join(str(c or "") for c in row) for row in LEDGER).encode("gbk")
    rng = random.Random(14)
    for round_ in range(60):
        source, suffix = (good, ".xlsx") if round_ % 2 == 0 else (good_csv, ".csv")
        data = bytearray(source)
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if round_ % 7 == 0:
            data = data[: rng.randrange(len(data))]
        path = tmp_path / f"fuzz{round_}{suffix}"
        path.write_bytes(bytes(data))
        try:
            sheet = read_sheet(path, "household", FIELDS)
        except SheetError as exc:
            assert exc.message
        else:
            assert all(isinstance(v, str) for row in sheet.rows for v in row.values())


def test_an_inspection_names_its_subject_by_any_of_its_columns_never_by_a_pick(
        tmp_path: Path, records: PersonRecords) -> None:
    import_sheet(records, xlsx(tmp_path / "h.xlsx", LEDGER), "household")
    records.save_subject("household", {"household.head_name": "王建国", "household.number": "0099"})
    shop = records.save_subject("place", {"place.name": "李家村便民超市",
                                          "place.credit_code": "91350100M000100Y43"})
    rows = [["户主", "户号", "统一社会信用代码", "检查日期"],
            ["王建国", "0012", "", "2026-11-01"],      # the name is two households': the number
            ["", "", "91350100M000100Y43", "2026-11-02"],  # a place's code, found in any kind
            ["李秀英", "0012", "", "2026-11-03"]]      # two columns, two households: an error
    result = import_sheet(records, xlsx(tmp_path / "i.xlsx", rows), "inspection")
    assert [(e.row, "不同的检查对象" in e.message) for e in result.errors] == [(4, True)]
    result = import_sheet(records, xlsx(tmp_path / "i.xlsx", rows[:3]), "inspection")
    assert result.ok and result.added == 2
    [wang] = [s for s in records.subjects("household") if s.values.get("household.number") == "0012"]
    assert len(records.records(subject_id=wang.id)) == 1
    assert len(records.records(subject_id=shop.id)) == 1
