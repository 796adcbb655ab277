"""The field dictionary: what each profile value means, how it is shown and how it is checked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from launcher.core.schema import Reader, read_toml

FIELD_KINDS = ("text", "id_number", "phone", "date", "integer")
MAX_TEXT = 200

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, 7 or 8 digits, an optional extension: 0571-88888888, 010-12345678-123.
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class FieldGroup:
    key: str
    label: str
    label_en: str


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    label_en: str
    kind: str
    sensitive: bool
    group: str
    help: str

    def normalize(self, value: str) -> str:
        """The value as stored: trimmed, ID numbers with an upper-case X, phones without spaces."""
        value = value.strip()
        if self.kind == "id_number":
            return value.upper()
        if self.kind == "phone":
            value = re.sub(r"[\s\u3000]", "", value)
            return value[3:] if value.startswith("+86") and _MOBILE.match(value[3:]) else value
        return value

    def validate(self, value: str) -> str | None:
        """None when ``value`` is acceptable (empty means "no value"), else a Chinese message."""
        value = self.normalize(value)
        if not value:
            return None
        if _CONTROL.search(value):
            return "含有不可见的控制字符"
        if self.kind == "id_number":
            return _check_id_number(value)
        if self.kind == "phone":
            if _MOBILE.match(value) or _LANDLINE.match(value):
                return None
            return "联系电话格式不正确：手机号为 1 开头的 11 位数字，固定电话如 0571-88888888"
        if self.kind == "date":
            if not _DATE.match(value):
                return "日期格式应为 YYYY-MM-DD，如 2026-11-30"
            try:
                date.fromisoformat(value)
            except ValueError:
                return "日期不存在，请检查月份和日期"
            return None
        if self.kind == "integer":
            if value.startswith("-") and value[1:].isdigit():
                return "不能为负数"
            if not value.isascii() or not value.isdigit():
                return "应填写整数（阿拉伯数字）"
            return None
        if len(value) > MAX_TEXT:
            return f"内容过长（最多 {MAX_TEXT} 字）"
        return None


def _check_id_number(value: str) -> str | None:
    if len(value) != 18:
        return f"身份证号应为 18 位（现为 {len(value)} 位）"
    body, check = value[:17], value[17]
    if not (body.isascii() and body.isdigit()) or check not in "0123456789X":
        return "身份证号前 17 位应为数字，末位为数字或 X"
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期不正确"
    if born.year < 1900 or born > date.today():
        return "身份证号中的出生日期不正确"
    expected = _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    if check != expected:
        return "身份证号校验位不正确"
    return None


def default_fields_path() -> Path:
    from launcher.core.paths import resources_dir

    return resources_dir() / "fields.toml"


def load_fields(path: Path | None = None) -> dict[str, FieldDef]:
    """The field dictionary by key, in file order; raises ConfigError naming the file and key."""
    return _load(path)[0]


def load_field_groups(path: Path | None = None) -> dict[str, FieldGroup]:
    """The groups the profile editor shows fields under, in file order."""
    return _load(path)[1]


def _load(path: Path | None) -> tuple[dict[str, FieldDef], dict[str, FieldGroup]]:
    path = Path(path) if path is not None else default_fields_path()
    root = Reader(path, read_toml(path))
    root.unknown({"groups", "fields"})
    groups: dict[str, FieldGroup] = {}
    table = root.sub("groups", required=False)
    if table is not None:
        for name in table.table:
            group = table.sub(name)
            assert group is not None  # sub() of a present key always returns a Reader
            group.unknown({"label", "label_en"})
            label = group.text("label")
            groups[name] = FieldGroup(name, label, group.text("label_en", label))

    fields: dict[str, FieldDef] = {}
    for entry in root.tables("fields"):
        entry.unknown({"key", "label", "label_en", "kind", "sensitive", "group", "help"})
        key = entry.text("key")
        if not _KEY.match(key):
            raise entry.error("key", f"must look like \"group.name\" (lower case), not {key!r}")
        if key in fields:
            raise entry.error("key", f"{key!r} is defined twice")
        group_key = entry.text("group", key.split(".", 1)[0])
        if groups and group_key not in groups:
            raise entry.error("group", f"{group_key!r} is not one of [groups]: "
                              + ", ".join(groups))
        label = entry.text("label")
        fields[key] = FieldDef(
            key=key,
            label=label,
            label_en=entry.text("label_en", label),
            kind=entry.text("kind", "text", choices=FIELD_KINDS),
            sensitive=entry.flag("sensitive", False),
            group=group_key,
            help=entry.text("help", ""),
        )
    if not fields:
        raise root.error("fields", "must define at least one field ([[fields]])")
    return fields, groups
