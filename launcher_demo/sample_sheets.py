"""The demo county's sample spreadsheets (launcher_demo/samples/): the households and places a
township keeps in Excel, for the one table's import (``launcher table import``). Made-up people:
the ID numbers and credit codes are well-formed (their check characters are right) and belong to
no one. ``python -m launcher_demo.sample_sheets`` writes them again.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

SAMPLES = Path(__file__).with_name("samples")

HOUSEHOLD_HEADERS = ("户主姓名", "户主身份证号", "户号", "家庭住址", "家庭人口数", "户主联系电话",
                     "低保类别")
HOUSEHOLDS = (
    # The first is the household the seeded tasks name (王建国户 on 基层智治, 李家村3组王建国户 on
    # 安全排查 and 执法检查).
    ("王建国", "330102196503120017", "330102003001", "李家村3组12号", "4", "13905710001", "无"),
    ("王秀英", "330102195807230028", "330102003002", "李家村3组21号", "2", "13905710002",
     "农村低保"),
    ("刘春花", "330102197011050046", "330102003015", "红旗村1组6号", "3", "13905710003",
     "农村低保"),
    ("赵德顺", "330102194402280033", "330102004007", "新河村2组11号", "1", "", "特困"),
    ("陈建军", "330102198109170052", "330102005021", "东风社区8幢2单元301", "3", "13905710005",
     "城市低保"),
    ("李桂兰", "330102196206300069", "330102005034", "城南社区3幢101", "2", "13905710006", "无"),
)
PLACE_HEADERS = ("场所名称", "统一社会信用代码", "场所地址", "负责人", "负责人电话", "场所类型")
PLACES = (
    # The shared inspections' places (张记小吃店, 红星五金店) come first.
    ("张记小吃店", "92330102MA2J8Q5R1M", "城关镇解放路12号", "张秀梅", "13905720001", "小餐饮"),
    ("红星五金店", "92330102MA2K3L7P2X", "城关镇人民路3号", "陈红星", "13905720002", "小商店"),
    # 王建国's rented farm house (李家村3组王建国户's inspections are about it): no credit code.
    ("王建国出租房", "", "李家村3组12号", "王建国", "13905710001", "出租房"),
    ("清溪旅馆", "92330102MA2M5N8Q3D", "清溪镇老街45号", "周建平", "13905720003", "小旅馆"),
    ("东风网吧", "91330102MA2P6R9T4B", "东风社区商业街7号", "吴磊", "13905720004", "小网吧"),
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CREDIT = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _id_number(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def _credit_code(first17: str) -> str:
    total = sum(_CREDIT.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return first17 + _CREDIT[(31 - total % 31) % 31]


def _rows(
    rows: tuple[tuple[str, ...], ...], column: int, fix: Callable[[str], str]
) -> list[list[str]]:
    """The rows with the check character of ``column`` computed (the tables above give 18
    characters; the last is replaced)."""
    fixed = []
    for row in rows:
        cells = list(row)
        if cells[column]:
            cells[column] = fix(cells[column][:17])
        fixed.append(cells)
    return fixed


def household_rows() -> list[list[str]]:
    return _rows(HOUSEHOLDS, 1, _id_number)


def place_rows() -> list[list[str]]:
    return _rows(PLACES, 1, _credit_code)


def write_samples(folder: Path = SAMPLES) -> list[Path]:
    """households.xlsx / .csv and places.xlsx / .csv under ``folder``."""
    from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, title, headers, rows in (
        ("households", "户籍信息", HOUSEHOLD_HEADERS, household_rows()),
        ("places", "九小场所", PLACE_HEADERS, place_rows()),
    ):
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = title
        sheet.append(list(headers))
        for row in rows:
            sheet.append(row)
        for column in "ABCDEFG":
            sheet.column_dimensions[column].width = 20
        xlsx = folder / f"{name}.xlsx"
        book.save(xlsx)
        text = folder / f"{name}.csv"
        with text.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(headers)
            writer.writerows(rows)
        written += [xlsx, text]
    return written


if __name__ == "__main__":
    for path in write_samples():
        print(path)
