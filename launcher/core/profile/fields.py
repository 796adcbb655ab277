"""The field dictionary: what each value means, how it is shown, checked and recognised on a page.

Fields come in groups, and each group has a role: ``self`` (the signed-in person and their
village: the profile), ``subject`` (what work is about: a household 户, a resident 人, a place
场所, an organisation 单位) or ``record`` (a record of work about a subject: an inspection
检查记录). Besides its label, a field lists the other labels platforms use for it (``synonyms``),
the words that in a page's label mean it is *not* this field (``excludes``: 户主姓名 is not the
person's own 姓名), the name/id tokens forms give its input (``names``) and the HTML
``autocomplete`` tokens that mean it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath

from launcher.core.schema import Reader, read_toml

FIELD_KINDS = ("text", "long_text", "id_number", "credit_code", "phone", "date", "integer",
               "choice", "bool", "file")
GROUP_ROLES = ("self", "subject", "record")
MAX_TEXT = 200
MAX_LONG_TEXT = 2000
MAX_PATH = 1000
MAX_CHOICES = 200
MAX_WORDS = 60
"""The most synonyms, excludes, names or autocomplete tokens of one field."""

TRUE = "true"
FALSE = "false"
_TRUE_WORDS = frozenset({"true", "1", "是", "y", "yes", "已整改", "√", "✓"})
_FALSE_WORDS = frozenset({"false", "0", "否", "n", "no", "未整改", "×", "✗"})

_KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_NAME_TOKEN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, 7 or 8 digits, an optional extension: 0571-88888888, 010-12345678-123.
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_LINE_BREAKS = re.compile(r"[\n\r]")
_SPACES = re.compile(r"[\s\u3000]+")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# GB 32100-2015: 统一社会信用代码 uses digits and upper-case letters without I, O, Z, S, V.
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@dataclass(frozen=True)
class Choice:
    """One option of a ``choice`` field: ``code`` is what is stored (and what platforms often
    send), ``text`` what people read and most pages show."""

    code: str
    text: str


@dataclass(frozen=True)
class FieldGroup:
    key: str
    label: str
    label_en: str
    role: str = "self"
    """``self`` (the person's own profile), ``subject`` (households, residents, places,
    organisations) or ``record`` (records of work, such as inspections)."""


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    label_en: str
    kind: str
    sensitive: bool
    group: str
    help: str
    synonyms: tuple[str, ...] = ()
    """Other labels platforms use for this field (Chinese first)."""
    excludes: tuple[str, ...] = ()
    """Words that, in a page's label, mean it is NOT this field."""
    names: tuple[str, ...] = ()
    """name/id attribute tokens forms use (matched case-insensitively on word boundaries)."""
    autocomplete: tuple[str, ...] = ()
    """HTML autocomplete tokens that mean this field."""
    choices: tuple[Choice, ...] = ()
    """The options of a ``choice`` field."""

    @property
    def labels(self) -> tuple[str, ...]:
        """The label, then its synonyms."""
        return (self.label, *self.synonyms)

    def choice(self, value: str) -> Choice | None:
        """The choice whose code or text is ``value`` (compared after normalising width, case
        and spaces), or None."""
        wanted = fold(value)
        if not wanted:
            return None
        for choice in self.choices:
            if wanted == fold(choice.code) or wanted == fold(choice.text):
                return choice
        return None

    def display(self, value: str) -> str:
        """A stored value as people read it: a choice's text, 是/否 for a flag."""
        if self.kind == "choice":
            found = self.choice(value)
            return found.text if found is not None else value
        if self.kind == "bool":
            return {TRUE: "是", FALSE: "否"}.get(value, value)
        return value

    def normalize(self, value: str) -> str:
        """The value as stored: trimmed, ID numbers and credit codes in upper case, phones without
        spaces, a choice's code, ``true``/``false`` for a flag (values that cannot be read that
        way are returned trimmed, for :meth:`validate` to refuse)."""
        value = value.strip()
        if self.kind == "id_number":
            return value.upper()
        if self.kind == "credit_code":
            return _SPACES.sub("", unicodedata.normalize("NFKC", value)).upper()
        if self.kind == "phone":
            value = re.sub(r"[\s\u3000]", "", value)
            return value[3:] if value.startswith("+86") and _MOBILE.match(value[3:]) else value
        if self.kind == "choice":
            found = self.choice(value)
            return found.code if found is not None else value
        if self.kind == "bool":
            word = fold(value)
            if word in _TRUE_WORDS:
                return TRUE
            if word in _FALSE_WORDS:
                return FALSE
            return value
        if self.kind == "long_text":
            # Line breaks of Windows and old Macs kept as one kind.
            return value.replace("\r\n", "\n").replace("\r", "\n")
        return value

    def validate(self, value: str) -> str | None:
        """None when ``value`` is acceptable (empty means "no value"), else a Chinese message."""
        value = self.normalize(value)
        if not value:
            return None
        if _CONTROL.search(value):
            return "含有不可见的控制字符"
        if self.kind != "long_text" and _LINE_BREAKS.search(value):
            return "不能包含换行符"
        if self.kind == "id_number":
            return _check_id_number(value)
        if self.kind == "credit_code":
            return check_credit_code(value)
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
            if len(value) > 12:
                return "数字过大"
            return None
        if self.kind == "choice":
            if self.choice(value) is None:
                shown = "、".join(c.text for c in self.choices[:12])
                return f"应为以下之一：{shown}"
            return None
        if self.kind == "bool":
            if value not in (TRUE, FALSE):
                return "应填写“是”或“否”"
            return None
        if self.kind == "file":
            if len(value) > MAX_PATH:
                return f"文件路径过长（最多 {MAX_PATH} 字）"
            if not (PurePosixPath(value).is_absolute() or PureWindowsPath(value).is_absolute()):
                return "应为本机文件的完整路径"
            return None
        limit = MAX_LONG_TEXT if self.kind == "long_text" else MAX_TEXT
        if len(value) > limit:
            return f"内容过长（最多 {limit} 字）"
        return None


def fold(text: str) -> str:
    """Text compared as people mean it: full-width forms as half-width (NFKC), runs of white
    space (including the ideographic space) as none at the ends and one inside, lower case."""
    text = unicodedata.normalize("NFKC", text)
    return _SPACES.sub(" ", text).strip().casefold()


def check_credit_code(value: str) -> str | None:
    """None when ``value`` is a well-formed 统一社会信用代码 (GB 32100-2015), else a Chinese
    message. The check character is the 18th: 31 minus the weighted sum of the first 17 (values
    of CREDIT_CODE_CHARS, weights 3^i mod 31) modulo 31."""
    if len(value) != 18:
        return f"统一社会信用代码应为 18 位（现为 {len(value)} 位）"
    bad = sorted({c for c in value if c not in CREDIT_CODE_CHARS})
    if bad:
        return "统一社会信用代码只含数字和大写字母（不含 I、O、Z、S、V）"
    if not value[2:8].isdigit():
        return "统一社会信用代码第 3 至 8 位应为行政区划代码（数字）"
    total = sum(CREDIT_CODE_CHARS.index(c) * w
                for c, w in zip(value[:17], _CREDIT_WEIGHTS, strict=True))
    if CREDIT_CODE_CHARS[(31 - total % 31) % 31] != value[17]:
        return "统一社会信用代码校验位不正确"
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
    """The groups fields are shown under, in file order."""
    return _load(path)[1]


def group_fields(fields: dict[str, FieldDef], group: str) -> dict[str, FieldDef]:
    """The fields of one group (``household``, ``inspection``…), in dictionary order."""
    return {k: f for k, f in fields.items() if f.group == group}


def fields_of_role(fields: dict[str, FieldDef], groups: dict[str, FieldGroup],
                   role: str) -> dict[str, FieldDef]:
    """The fields whose group has ``role`` (``self`` for the profile editor)."""
    return {k: f for k, f in fields.items()
            if (groups[f.group].role if f.group in groups else "self") == role}


_FIELD_KEYS = {"key", "label", "label_en", "kind", "sensitive", "group", "help", "synonyms",
               "excludes", "names", "autocomplete", "choices"}


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
            group.unknown({"label", "label_en", "role"})
            label = group.text("label")
            groups[name] = FieldGroup(name, label, group.text("label_en", label),
                                      group.text("role", "self", choices=GROUP_ROLES))

    fields: dict[str, FieldDef] = {}
    for entry in root.tables("fields"):
        entry.unknown(_FIELD_KEYS)
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
        kind = entry.text("kind", "text", choices=FIELD_KINDS)
        choices = _choices(entry, kind)
        fields[key] = FieldDef(
            key=key,
            label=label,
            label_en=entry.text("label_en", label),
            kind=kind,
            sensitive=entry.flag("sensitive", False),
            group=group_key,
            help=entry.text("help", ""),
            synonyms=_words(entry, "synonyms"),
            excludes=_words(entry, "excludes"),
            names=_words(entry, "names", token=True),
            autocomplete=_words(entry, "autocomplete", token=True),
            choices=choices,
        )
    if not fields:
        raise root.error("fields", "must define at least one field ([[fields]])")
    return fields, groups


def _words(entry: Reader, key: str, *, token: bool = False) -> tuple[str, ...]:
    words = entry.str_list(key, [])
    if len(words) > MAX_WORDS:
        raise entry.error(key, f"has more than {MAX_WORDS} entries")
    for i, word in enumerate(words):
        if word != word.strip() or len(word) > 80:
            raise entry.error(f"{key}[{i}]", "must be trimmed and at most 80 characters")
        if token and not _NAME_TOKEN.match(word):
            raise entry.error(f"{key}[{i}]", f"must be a name token (letters, digits, _ and -, "
                              f"starting with a letter), not {word!r}")
    return tuple(words)


def _choices(entry: Reader, kind: str) -> tuple[Choice, ...]:
    readers = entry.tables("choices")
    if kind != "choice":
        if readers:
            raise entry.error("choices", f'only a field of kind = "choice" has choices, '
                              f"not kind = {kind!r}")
        return ()
    if not readers:
        raise entry.error("choices", 'a field of kind = "choice" needs [[fields.choices]] '
                          '(code = "…", text = "…")')
    if len(readers) > MAX_CHOICES:
        raise entry.error("choices", f"has more than {MAX_CHOICES} entries")
    choices: list[Choice] = []
    seen: set[str] = set()
    for reader in readers:
        reader.unknown({"code", "text"})
        code = reader.text("code")
        text = reader.text("text")
        for name, word in (("code", code), ("text", text)):
            if len(word) > 80 or word != word.strip():
                raise reader.error(name, "must be trimmed and at most 80 characters")
            if fold(word) in seen and (name == "code" or fold(word) != fold(code)):
                raise reader.error(name, f"{word!r} is used by another choice of this field")
        seen.update({fold(code), fold(text)})
        choices.append(Choice(code, text))
    return tuple(choices)
