"""How a demo platform checks what a form or its submit API sent: the server's own validation,
whatever the page's framework already checked (a platform never trusts its page)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from launcher_demo.platforms import FormField

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PHONE = re.compile(r"^1[3-9]\d{9}$")
"""A mainland mobile number, as the platforms' pages check it."""
ID_FORMAT = re.compile(r"^\d{17}[\dXx]$")
"""layui's ``identity`` rule (18 characters), which checks no check character."""
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
MAX_VALUE = 2000
"""Characters one field may carry."""
MULTI_SEPARATOR = ","
"""How a multiple choice is stored in a submission (option texts joined)."""


def id_number_ok(value: str) -> bool:
    """GB 11643: 17 digits, a valid birth date and the check character."""
    value = value.upper()
    if not ID_FORMAT.match(value):
        return False
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def credit_code_ok(value: str) -> bool:
    """GB 32100 统一社会信用代码: 18 characters of its alphabet and the check character."""
    value = value.upper()
    if len(value) != 18 or any(c not in CREDIT_CHARS for c in value):
        return False
    total = sum(
        CREDIT_CHARS.index(c) * w for c, w in zip(value[:17], _CREDIT_WEIGHTS, strict=True)
    )
    return CREDIT_CHARS[(31 - total % 31) % 31] == value[17]


def date_ok(value: str) -> bool:
    if not DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def validate(fields: tuple[FormField, ...], values: Mapping[str, str]) -> list[str]:
    """The platform's messages for what is wrong (empty: acceptable)."""
    errors: list[str] = []
    for f in fields:
        value = values.get(f.name, "")
        if len(value) > MAX_VALUE:
            errors.append(f"内容过长：{f.label}")
            continue
        if not value:
            if f.required or (f.required_if and values.get(f.required_if[0]) == f.required_if[1]):
                errors.append(f"请填写：{f.label}")
            continue
        message = _check(f, value)
        if message:
            errors.append(f"{message}：{f.label}")
    return errors


def _check(f: FormField, value: str) -> str:
    if f.kind in ("select", "radio") and value not in f.options:
        return "请从列表中选择"
    if f.kind == "multi" and any(v not in f.options for v in value.split(MULTI_SEPARATOR)):
        return "请从列表中选择"
    if f.kind == "date" and not date_ok(value):
        return "日期格式应为 年-月-日"
    if f.kind == "number" and not value.isdigit():
        return "请填写整数"
    if f.kind == "tel" and not PHONE.match(value):
        return "请填写正确的手机号码"
    if f.kind == "id_number" and not id_number_ok(value):
        return "身份证号码不正确"
    if f.kind == "id_format" and not ID_FORMAT.match(value):
        return "请输入正确的身份证号"
    if f.kind == "credit_code" and not credit_code_ok(value):
        return "统一社会信用代码不正确"
    if f.kind == "bool" and value not in ("true", "false"):
        return "取值不正确"
    return ""


def from_form(fields: tuple[FormField, ...], form: Any) -> dict[str, str]:
    """A posted HTML form's values (``request.form``): several checked boxes of one name are a
    multiple choice, a checkbox switch is ``true`` when sent at all."""
    values: dict[str, str] = {}
    for f in fields:
        if f.kind == "multi":
            values[f.name] = MULTI_SEPARATOR.join(v.strip() for v in form.getlist(f.name) if v)
        elif f.kind == "bool":
            values[f.name] = "true" if form.get(f.name) else "false"
        else:
            values[f.name] = str(form.get(f.name, "")).strip()
    return values


def from_json(fields: tuple[FormField, ...], body: Mapping[str, Any]) -> dict[str, str]:
    """A JSON body's values as the platform stores them: lists of options joined, booleans as
    ``true``/``false``, numbers as text, an option's code (``aliases``) as the option. Raises
    ValueError (the platform's message) for a value that is an object."""
    values: dict[str, str] = {}
    for f in fields:
        raw = body.get(f.name)
        if raw is None:
            text = ""
        elif isinstance(raw, bool):
            text = "true" if raw else "false"
        elif isinstance(raw, list):
            text = MULTI_SEPARATOR.join(str(v) for v in raw[:50])
        elif isinstance(raw, str | int | float):
            text = str(raw).strip()
        else:
            raise ValueError(f"字段格式不正确：{f.label}")
        codes = dict(f.aliases)
        if f.kind == "multi":
            items = text.replace("\n", MULTI_SEPARATOR).split(MULTI_SEPARATOR)
            text = MULTI_SEPARATOR.join(codes.get(v.strip(), v.strip()) for v in items if v.strip())
        values[f.name] = codes.get(text, text)
    return values
