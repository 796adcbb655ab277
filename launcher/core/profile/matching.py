"""Which dictionary key a field of a scanned page asks for: labels, placeholders, names, hints.

The page's fields come from the page scan (``page_script.scan_script``: label, placeholder, name,
id, autocomplete, the table cell before it, the section heading above it, its widget and options);
the keys from the field dictionary (``fields.toml``: label, synonyms, excludes, names, autocomplete,
kind, choices). Every page text is outside data: it is only compared, never trusted.

Precision before recall (a wrong value is worse than none): a field gets a key only when the best
key's score is over ``THRESHOLD`` and no other key is within ``MARGIN`` of it; an exclusion word in
the field's texts vetoes a key (户主姓名 is never the person's own name); the section heading (or a
group word in the label itself) tells whose value a plain label asks for (姓名 under 户主信息 is the
household head's, under 填报人信息 the person's own); a key goes to one field of a section only
(unless the labels are the same); a key whose kind the widget cannot take is not a candidate (a
date only into a date or text input, a choice only where an option is one of its choices).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

THRESHOLD = 0.72
"""The lowest score that gives a field its key."""
MARGIN = 0.1
"""A second key this close to the best one makes the field ambiguous: it gets nothing."""

PAGE_CONTEXT = 0.16
"""What the page's own subject adds to its group's keys for a field no heading qualifies."""

MAX_TEXT = 80
"""Page texts are compared on their first 80 characters."""

LONG_LIST = 10
"""A select listing this many options may have more than the scan saw (a virtual list)."""
TEXT_WIDGETS = frozenset({"text", "textarea", "number"})
CHOICE_WIDGETS = frozenset({"select", "radio", "checkbox"})

# Words that say whose value a label or a section heading is about, by dictionary group. They are
# ordinary Chinese form vocabulary, not any one platform's; the longest word found wins (检查人 is
# the person, 检查日期 the inspection).
GROUP_WORDS: dict[str, tuple[str, ...]] = {
    "person": ("填报人", "填表人", "检查人", "排查人", "巡查人", "经办人", "申报人", "登记人",
               "采集人", "录入人", "走访人", "操作人", "本人", "网格员", "工作人员", "个人信息",
               "填报信息", "上报人", "核查人", "您的", "你的", "检查人员", "排查人员", "巡查人员", "走访人员",
               "受理人", "承办人", "办理人", "记录人", "调查人", "随访人", "随访人员", "执法人员",
               "执法人", "调解员", "调解人"),
    "org": ("所在村社", "所属村", "所属社区", "村社信息", "所在村", "所属乡镇"),
    "household": ("户主", "家庭", "户籍", "住户", "农户", "户信息", "家庭成员", "本户"),
    "resident": ("居民", "服务对象", "走访对象", "被走访人", "当事人", "对象信息",
                 "群众"),
    "place": ("场所", "商户", "店铺", "门店", "经营户", "九小场所", "经营场所", "沿街商铺",
              "负责人", "经营者", "业主", "店主", "房东", "房主", "出租人"),
    "organisation": ("单位", "企业", "机构", "组织", "公司", "法人", "法定代表人"),
    "inspection": ("检查", "排查", "巡查", "隐患", "整改", "检查记录", "检查情况", "排查情况"),
    # People no key is about: a household's members, relatives, contacts, tenants.
    "others": ("家庭成员", "成员", "家属", "亲属", "子女", "配偶", "联系人", "紧急联系人",
               "监护人", "共同生活人员", "承租人", "租户", "同住人",
               # Someone acting for, vouching for or accompanying the subject: not the subject,
               # and not the person filling the form either.
               "代办人", "代理人", "委托人", "受托人", "担保人", "证明人", "见证人", "陪同人",
               # The other side of a case (a dispute's other party).
               "对方", "对方当事人", "另一方", "另一方当事人", "被申请人"),
}
ROLE_WORDS = frozenset(w for words in GROUP_WORDS.values() for w in words if w[-1] in "人员")
"""Words naming a person by their role (填报人, 检查人员, 当事人): as a whole label, their name."""
BUSINESS_TWINS = {"organisation": "place", "place": "organisation"}
"""Subject kinds whose words name either (a shop is a 单位 too): on a page about one, a word of
the other in a label is only a word."""
# Groups naming who a value belongs to: a label under one of them never takes another one's key.
ENTITY_GROUPS = frozenset({"person", "household", "resident", "place", "organisation",
                           "others"})

_PLACEHOLDER_LEADS = ("请输入", "请选择", "请填写", "请录入", "请填入", "请上传", "输入", "选择",
                      "填写", "录入", "例如", "如")
_STRIP = re.compile(r"[\s*:()\[\]【】<>《》,.;!?'\"`~_/\\|\-+=#@$%^&{}\u3000、。，；！？“”‘’·]")
_PARENS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_TOKEN = re.compile(r"[A-Za-z]+|\d+")
_GENERATED_ID = re.compile(r"^(el|rc|ant|layui|lay|van|ivu|form_item|__)[-_]|\d{3,}|[-_]\d+$")
_DATE_PARTS = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_LENGTH_NOTE = re.compile(r"^\d+位(?:的)?")
_DATE_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")

TRUE_WORDS = frozenset({"是", "有", "已", "yes", "y", "true", "1", "对", "已整改", "已完成", "完成",
                        "开", "开启", "启用"})
FALSE_WORDS = frozenset({"否", "无", "未", "没有", "no", "n", "false", "0", "未整改", "未完成", "不",
                         "关", "关闭", "停用"})


_SYMBOLS = re.compile("[\u2460-\u24ff\u2776-\u2793]")
"""Enclosed letters and numbers (ⓘ ①): icons in a label, never its words."""


def normalise(text: str) -> str:
    """A page or dictionary text as compared: half-width, lower case, without spaces, stars,
    colons, brackets, punctuation and symbols (a tooltip's ⓘ, an arrow)."""
    text = "".join(c for c in _SYMBOLS.sub("", text[: MAX_TEXT * 2])
                   if unicodedata.category(c) not in ("So", "Sm", "Sk"))
    text = unicodedata.normalize("NFKC", text).lower()
    return _STRIP.sub("", text)[:MAX_TEXT]


def variants(text: str) -> tuple[str, ...]:
    """The forms of a label compared: as written, without a bracketed note (姓名（必填）), and
    each of the alternatives it lists (场所名称/户主姓名: either)."""
    whole = normalise(text)
    if not whole:
        return ()
    text = unicodedata.normalize("NFKC", text[: MAX_TEXT * 2])
    forms = [whole]
    for form in (_PARENS.sub("", text), *(text.split("/")[:4] if "/" in text else ())):
        form = normalise(form)
        if len(form) >= 2 and form not in forms:
            forms.append(form)
    return tuple(forms)


def placeholder_text(text: str) -> str:
    """A placeholder without its 请输入 / 请选择 lead and a length note (18位): the label it
    names, or "". A bracketed note (经营地址（街道门牌）) is left out."""
    bare = _PARENS.sub("", unicodedata.normalize("NFKC", text[: MAX_TEXT * 2]))
    text = normalise(bare) or normalise(text)
    for lead in _PLACEHOLDER_LEADS:
        if text.startswith(lead):
            text = text[len(lead):]
            break
    return _LENGTH_NOTE.sub("", text)


def name_tokens(attribute: str) -> tuple[str, ...]:
    """An id or name attribute split into lower-case words: ``realName`` → real, name;
    ``form.hz_xm`` → form, hz, xm. Generated ids (``el-id-1024-7``) give nothing."""
    attribute = attribute[:MAX_TEXT]
    if not attribute or _GENERATED_ID.search(attribute):
        return ()
    words = _TOKEN.findall(_CAMEL.sub(" ", attribute))
    return tuple(w.lower() for w in words if not w.isdigit())


def group_of(text: str) -> str:
    """The dictionary group a heading or label names by its words, or "".

    Whose value it is comes first: of the groups naming an entity (the person, a household, a
    resident, a place, an organisation), the one with the longest word found (检查人 is the
    person, not the inspection); two such groups with words of one length (企业（场所）) name
    neither. Without an entity, the longest word of the other groups (检查情况: the inspection)."""
    text = normalise(text)
    longest: dict[str, int] = {}
    for group, words in GROUP_WORDS.items():
        found = [len(word) for word in words if word in text]
        if found:
            longest[group] = max(found)
    entities = {g: n for g, n in longest.items() if g in ENTITY_GROUPS}
    pool = entities or longest
    if not pool:
        return ""
    best = max(pool.values())
    top = [g for g, n in pool.items() if n == best]
    return top[0] if len(top) == 1 else ""


def normalise_date(value: str) -> str | None:
    """``value`` as YYYY-MM-DD (from 2026/11/30, 2026年11月30日, 20261130 …), or None."""
    value = unicodedata.normalize("NFKC", value)
    found = _DATE_PARTS.match(value) or _DATE_COMPACT.match(value)
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3])).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------- the dictionary side


@dataclass(frozen=True)
class KeyTerms:
    """One dictionary key's words, normalised once per plan."""

    key: str
    group: str
    kind: str
    labels: tuple[str, ...]
    """The label and its synonyms, normalised."""
    bare: tuple[str, ...]
    """Labels without the word naming their group (户主姓名 → 姓名): they name the key only under
    a heading of that group."""
    excludes: tuple[str, ...]
    names: tuple[tuple[str, ...], ...]
    autocomplete: frozenset[str]
    choices: tuple[tuple[str, str], ...]
    """(code, text) of a choice key."""


# Words forms use for one another in a label of a key of this kind: a phone is a 电话 or a 手机
# (联系电话, 联系手机, 负责人手机号), a date a 日期 or a 时间 (检查日期, 检查时间, 走访时间).
# Verbs forms use for one another at the start of a label of an inspection record's key: an
# inspection is a 检查, 排查, 巡查, 核查 or 巡检 (检查结果, 巡查结果, 核查日期).
GROUP_TWINS: dict[str, tuple[str, ...]] = {
    "inspection": ("检查", "排查", "巡查", "核查", "巡检"),
}
KIND_TWINS: dict[str, tuple[tuple[str, str], ...]] = {
    "phone": (("电话", "手机"),),
    "date": (("日期", "时间"), ("时间", "日期")),
}


def _twins(label: str, kind: str, group: str = "") -> list[str]:
    """The label with each word of its kind's twins in place of the other (at its end for a
    date: 检查时间 for 检查日期, never 时间段 for 日期段), and with its group's verb in place of
    another (巡查结果 for 检查结果)."""
    out = []
    verbs = GROUP_TWINS.get(group, ())
    for verb in verbs:
        if label.startswith(verb) and len(label) > len(verb):
            out += [other + label[len(verb):] for other in verbs if other != verb]
            break
    for word, twin in KIND_TWINS.get(kind, ()):
        if kind == "date":
            if label.endswith(word) and len(label) > len(word):
                out.append(label[: -len(word)] + twin)
        elif word in label:
            out.append(label.replace(word, twin))
    return out


def key_terms(fields: Mapping[str, Any]) -> list[KeyTerms]:
    """The dictionary's keys as the matcher compares them (fields: key -> FieldDef)."""
    terms = []
    for key, fd in fields.items():
        group = getattr(fd, "group", "") or key.split(".", 1)[0]
        labels: list[str] = []
        for text in (getattr(fd, "label", ""), *getattr(fd, "synonyms", ())):
            for form in variants(text):
                if len(form) >= 2 and form not in labels:
                    labels.append(form)
        for label in list(labels):
            for twin in _twins(label, getattr(fd, "kind", "text"), group):
                if twin not in labels:
                    labels.append(twin)
        bare: list[str] = []
        for label in labels:
            for word in sorted(GROUP_WORDS.get(group, ()), key=len, reverse=True):
                rest = label[len(word):]
                if label.startswith(word) and len(rest) >= 2:
                    if rest not in bare and rest not in labels:
                        bare.append(rest)
                    break
        names = tuple(t for t in (name_tokens(n) or (n.lower(),) for n in getattr(fd, "names", ())
                                  if n) if t)
        choices = tuple((str(getattr(c, "code", "")), str(getattr(c, "text", "")))
                        for c in getattr(fd, "choices", ()))
        terms.append(KeyTerms(
            key=key, group=group, kind=getattr(fd, "kind", "text"), labels=tuple(labels),
            bare=tuple(bare),
            excludes=tuple(e for e in (normalise(x) for x in getattr(fd, "excludes", ())) if e),
            names=names,
            autocomplete=frozenset(a.strip().lower() for a in getattr(fd, "autocomplete", ())),
            choices=choices,
        ))
    return terms


# ---------------------------------------------------------------- the page side


@dataclass(frozen=True)
class PageField:
    """One scanned field's texts, normalised once."""

    ref: str
    widget: str
    label: tuple[str, ...]
    placeholder: tuple[str, ...]
    nearby: tuple[str, ...]
    tokens: tuple[tuple[str, ...], ...]
    """Words of the name attribute and of the id attribute."""
    autocomplete: frozenset[str]
    context: str
    """The group the label's own words, else the section heading, name ("" when neither does)."""
    heading: str
    """The group the section heading names ("" when none)."""
    rest: tuple[str, ...]
    """The label without the word naming its group (房东姓名 → 姓名), when its words name one."""
    rest_group: str
    """That group."""
    section: str
    options: tuple[tuple[str, str], ...]
    """(normalised text, value) of the options."""
    named_by: str = "label"
    """What ``label`` was taken from: "label", or "placeholder" when the field has no label."""

    @property
    def texts(self) -> tuple[str, ...]:
        return (*self.label, *self.placeholder, *self.nearby)


def _text(scan_field: Mapping[str, Any], name: str) -> str:
    value = scan_field.get(name)
    return value[: MAX_TEXT * 2] if isinstance(value, str) else ""


def page_field(scan_field: Mapping[str, Any]) -> PageField:
    label = _text(scan_field, "label")
    placeholder = placeholder_text(_text(scan_field, "placeholder"))
    nearby = _text(scan_field, "nearby")
    section = _text(scan_field, "section")
    own = group_of(label) or (group_of(placeholder) if not label else "")
    options_in = scan_field.get("options")
    options: list[tuple[str, str]] = []
    if isinstance(options_in, list):
        for option in options_in[:200]:
            if isinstance(option, Mapping):
                text, value = option.get("text"), option.get("value")
                options.append((normalise(text) if isinstance(text, str) else "",
                                value[:MAX_TEXT] if isinstance(value, str) else ""))
    named_by = "label"
    label_forms = variants(label)
    if not label_forms and placeholder:
        # No label at all (a form of placeholders only): the placeholder is what names the
        # field, as a label would, with the same weight (采集人, 身份证号).
        label_forms, named_by, label = variants(placeholder), "placeholder", placeholder
    if label_forms and label_forms[0] in ROLE_WORDS:  # 走访人 alone asks for the visitor's name
        label_forms = (*label_forms, label_forms[0] + "姓名")
    return PageField(
        ref=str(scan_field.get("ref", "")),
        widget=_text(scan_field, "widget") or "text",
        label=label_forms,
        placeholder=variants(placeholder) if placeholder and named_by == "label" else (),
        nearby=variants(nearby) if not label and nearby else (),
        tokens=tuple(t for t in (name_tokens(_text(scan_field, "name")),
                                 name_tokens(_text(scan_field, "id"))) if t),
        autocomplete=frozenset(_text(scan_field, "autocomplete").lower().split()),
        context=own or ("others" if _someone_else(label_forms) else group_of(section)),
        heading=group_of(section),
        rest=_rest(label_forms, group_of(label)),
        rest_group=group_of(label),
        section=normalise(section),
        options=tuple(options),
        named_by=named_by,
    )


_SOMEONE = re.compile(r"^(.{1,6}?)(人员|人)(.{2,})$")


def _someone_else(forms: tuple[str, ...]) -> bool:
    """Whether the label is about a person by a role no group word knows (随访人电话, 收件人姓名,
    申请人身份证号): someone, but neither the person filling the form nor the subject for sure.
    (A role word of a group is found before this: 填报人电话 is the person's.)"""
    found = _SOMEONE.match(forms[0]) if forms else None
    return found is not None and found[1] not in ("个", "本", "他", "法", "家", "老", "病", "商")


def _rest(forms: tuple[str, ...], group: str) -> tuple[str, ...]:
    """Each label form without the longest word of ``group`` it starts with, for a group naming
    who a value belongs to (检查日期 is not 检查 + 日期 of anyone)."""
    rest: list[str] = []
    if group not in ENTITY_GROUPS:
        return ()
    for form in forms:
        for word in sorted(GROUP_WORDS.get(group, ()), key=len, reverse=True):
            if form.startswith(word) and len(form) - len(word) >= 2:
                rest.append(form[len(word):])
                break
    return tuple(rest)


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Match:
    ref: str
    key: str
    how: str
    """"label" | "placeholder" | "nearby" | "name" | "autocomplete"."""
    confidence: float


# What may follow a label inside a longer one and leave it the same thing: 身份证号 → 身份证号码.
_TAILS = frozenset({"", "号", "码", "号码", "全称", "名称", "信息", "名"})
_NUMBER_TAILS = frozenset({"号", "码", "号码"})
"""A number's label without them names the same number (身份证, 手机)."""


def _heads(text: str, label: str, labels: tuple[str, ...]) -> bool:
    """Whether ``label`` is what ``text`` names, not a word qualifying something else: a Chinese
    noun phrase ends with its head (户主性别 is a sex, not the household head; 详细地址 in
    经营场所详细地址 is the address), so the label must end the text, up to a filler (号码) or
    another label of the same key (手机号码/电话)."""
    start = text.find(label)
    while start >= 0:
        tail = text[start + len(label):]
        if tail in _TAILS or tail in labels:
            return True
        start = text.find(label, start + 1)
    return False


def _text_score(texts: tuple[str, ...], terms: KeyTerms, context: str) -> float:
    """How well one page text (its variants) names the key."""
    best = 0.0
    for text in texts:
        for label in terms.labels:
            if text == label:
                score = 1.0
            elif (len(text) >= 2 and label.startswith(text)
                  and label[len(text):] in _NUMBER_TAILS):
                score = 0.97  # 身份证 for 身份证号, 手机 for 手机号
            elif label in text and _heads(text, label, terms.labels):
                score = 0.55 + 0.4 * len(label) / len(text)
            elif text in label and len(text) >= 2:
                score = 0.35 + 0.3 * len(text) / len(label)
            else:
                continue
            best = max(best, score)
        if context == terms.group and text in terms.bare:
            best = max(best, 0.95)  # the plain word only: 日期 in 检查日期 is not 整改日期
    return best


# Words that, in any label, make it about something other than a person's, a subject's or a
# record's value (附件说明 is not the notes, 审核日期 not the inspection date, 备用电话 not the
# phone), unless the key's own label has them.
GLOBAL_EXCLUDES = ("附件", "审核", "审批", "复核", "上传", "图片", "视频", "文件", "上级", "下级",
                   "备用", "曾用", "历史", "旧", "办公")


def _excluded(field: PageField, terms: KeyTerms) -> bool:
    """An exclusion word of the key in the field's texts, outside the key's own label."""
    own_words = sorted(GROUP_WORDS.get(terms.group, ()), key=len, reverse=True)
    for text in field.texts:
        for own in own_words:  # 法人 inside 执法人员 (the person's word) is no exclusion
            if len(own) >= 3 and own in text:
                text = text.replace(own, "|")
        for word in (*terms.excludes, *GLOBAL_EXCLUDES):
            if word in text and not any(word in label and label in text
                                        for label in terms.labels):
                return True
    return False


def _name_score(field: PageField, terms: KeyTerms) -> float:
    best = 0.0
    for tokens in field.tokens:
        joined = "".join(tokens)
        for name in terms.names:
            if tokens == name or joined == "".join(name):
                best = max(best, 0.85)
                continue
            n = len(name)
            for i in range(len(tokens) - n + 1):
                if tokens[i:i + n] == name:
                    best = max(best, 0.5 + 0.3 * len("".join(name)) / len(joined))
                    break
    return best


def choice_option(field: PageField, terms: KeyTerms, value: str) -> int | None:
    """The index of the field's option that is the choice ``value`` (a code or a text), or None."""
    wanted: list[tuple[str, str]] = []
    norm_value = normalise(value)
    for code, text in terms.choices:
        if value == code or (norm_value and norm_value == normalise(text)):
            wanted.append((code, normalise(text)))
    if not wanted:
        wanted.append((value, norm_value))
    for code, text in wanted:
        for i, (option_text, option_value) in enumerate(field.options):
            if (code and option_value == code) or (text and option_text == text):
                return i
        norm_code = normalise(code)
        for i, (option_text, _option_value) in enumerate(field.options):
            if norm_code and option_text == norm_code:
                return i
        near = [i for i, (option_text, _v) in enumerate(field.options)
                if len(text) >= 2 and len(option_text) >= 2
                and (text in option_text or option_text in text)]
        if len(near) == 1:
            return near[0]
    return None


def bool_option(field: PageField, value: bool) -> int | None:
    """The index of the option meaning yes (or no), or None."""
    words = TRUE_WORDS if value else FALSE_WORDS
    lead = "已" if value else "未"
    exact = [i for i, (text, option_value) in enumerate(field.options)
             if text in words or option_value.lower() in words]
    if len(exact) == 1:
        return exact[0]
    led = [i for i, (text, _v) in enumerate(field.options) if text.startswith(lead)]
    return led[0] if len(led) == 1 else None


def single_checkbox(field: PageField) -> bool:
    """A checkbox on its own (at most one option: its own value), a yes or a no."""
    return field.widget == "checkbox" and len(field.options) <= 1


def unlisted_select(field: PageField) -> bool:
    """A custom select whose options the scan could not see (rendered only when it opens)."""
    return field.widget == "select" and not field.options


def compatible(field: PageField, terms: KeyTerms) -> bool:
    """Whether the widget can take a value of the key's kind at all (value aside)."""
    widget, kind = field.widget, terms.kind
    if widget == "file" or kind == "file":  # a photo only into a file input, and nothing else
        return widget == "file" and kind == "file"
    if widget in ("password", "cascader"):
        return False
    if kind == "date":
        return widget in ("date", "datetime", "text")
    if widget in ("date", "datetime"):
        return False
    if kind == "bool":
        if widget == "switch" or single_checkbox(field):
            return True
        if widget in ("radio", "select") and field.options:
            return bool_option(field, True) is not None and bool_option(field, False) is not None
        return False
    if widget == "switch" or single_checkbox(field):
        return False
    if unlisted_select(field):  # the page picks the option by its text, or reports none
        return kind in ("choice", "text", "integer")
    if kind == "choice":
        if widget in CHOICE_WIDGETS:
            return any(choice_option(field, terms, code) is not None for code, _ in terms.choices)
        return widget in ("text", "textarea")
    if widget in CHOICE_WIDGETS:
        return kind in ("text", "integer") and bool(field.options)  # a value-matched option only
    if widget == "number":
        return kind in ("integer", "phone")
    if kind == "long_text":
        return widget in ("textarea", "text")
    return widget in ("text", "textarea")


def label_score(field: PageField, terms: KeyTerms) -> float:
    """How well the field's own label names the key (0: not at all, or vetoed)."""
    return score(field, terms, label_only=True)[0]


def _usable(field: PageField, terms: KeyTerms, scanned: Mapping[str, Any],
            values: Mapping[str, str] | None) -> bool:
    """Whether the key may go into the field at all: its widget can take the key's kind, and a
    list of options has the key's value (when the values are known)."""
    if values is None or not _needs_value(field, terms):
        return compatible(field, terms)
    if field.widget in ("password", "file", "cascader"):
        return compatible(field, terms)
    return page_value(scanned, terms, values.get(terms.key, ""), page=field) is not None


def _needs_value(field: PageField, terms: KeyTerms) -> bool:
    """A key into a list of options: only where an option is its value (a choice key's value may
    be a text of the platform's own words when no choice of the dictionary is on the page)."""
    return field.widget in CHOICE_WIDGETS and terms.kind != "bool" and not single_checkbox(field)


def score(field: PageField, terms: KeyTerms, page_context: str = "", *,
          label_decides: bool = False, label_only: bool = False) -> tuple[float, str]:
    """The key's score for the field and the evidence that gave it (0 when none or vetoed).

    ``page_context`` is the group the whole page is about (the form's declared subject, or its
    title's words): it decides a plain label (联系电话) that no heading qualifies.
    ``label_decides``: the field's label clearly names some key, so other evidence (a generic
    placeholder such as 选择日期, a name attribute) only confirms the keys the label names."""
    if _excluded(field, terms):
        return 0.0, ""
    # Whose a plain word is (日期, 身份证号): the heading's or the label's group, else, on a page
    # about a subject, the subject's (身份证号码 on a form about a household is the head's).
    whose = field.context or (page_context if page_context not in ("person", "org") else "")
    label = _text_score(field.label, terms, whose)
    if field.rest_group == terms.group and any(r in terms.bare or r in terms.labels
                                               for r in field.rest):
        label = max(label, 0.95)  # 房东电话: the phone of the place's own person, 负责人电话
    if label_only:
        return label, field.named_by
    if label_decides and label <= 0:
        return 0.0, ""
    others = [
        (_text_score(field.placeholder, terms, whose) * 0.95, "placeholder"),
        (_text_score(field.nearby, terms, whose) * 0.9, "nearby"),
        (_name_score(field, terms), "name"),
        (0.85 if field.autocomplete & terms.autocomplete else 0.0, "autocomplete"),
    ]
    if field.label and label <= 0:
        # The page's label names something the key is not (经度 with the name "jd"): other
        # evidence alone stays under the threshold.
        others = [(value * 0.8, how) for value, how in others]
    found = sorted([(label, field.named_by), *others], key=lambda item: item[0], reverse=True)
    best, how = found[0]
    if best <= 0:
        return 0.0, ""
    if found[1][0] >= 0.5:  # two kinds of evidence agree
        best += 0.05
    if field.context:
        if field.context == terms.group:
            best += 0.1
        elif field.context in ENTITY_GROUPS and terms.group in ENTITY_GROUPS:
            best *= 0.5  # 姓名 under 户主信息 is not the person's own name
    elif page_context and page_context == terms.group:
        best += PAGE_CONTEXT
    return best, how


def match_page(scan_fields: Sequence[Mapping[str, Any]], fields: Mapping[str, Any], *,
               skip_refs: Collection[str] = (), skip_keys: Collection[str] = (),
               page_context: str = "", values: Mapping[str, str] | None = None
               ) -> dict[str, Match]:
    """The key each scanned field asks for (ref -> Match), for the fields it is clear for.

    ``page_context``: the dictionary group the page is about ("place"…), or "". ``values``
    (key -> value), when given, lets a list of options take a key only when one of its options
    is that key's value, and leaves out the groups none of whose keys has a value (the subject
    kinds the task is not about)."""
    terms = [t for t in key_terms(fields) if t.key not in skip_keys]
    page = [page_field(f) for f in scan_fields
            if isinstance(f, Mapping) and str(f.get("ref", "")) not in skip_refs
            and not f.get("disabled") and f.get("search") is not True]
    by_ref = {str(f.get("ref", "")): f for f in scan_fields if isinstance(f, Mapping)}
    # The groups in play: with the values known, a group none of whose keys has a value (a
    # resident's, when the task is about a place) is no candidate for any field.
    valued = None if values is None else {
        t.group for t in key_terms(fields) if values.get(t.key, "").strip()}
    chosen: dict[str, Match] = {}
    for field in page:
        if not field.ref:
            continue
        twin = BUSINESS_TWINS.get(field.context, "")
        if valued is not None and field.context not in valued and twin in valued:
            # 单位 and 企业 name any business, a shop too (单位名称 on a page about a shop): the
            # heading says whose it is, if anything.
            # With no heading, the page's subject is the one the word names (单位名称 on a
            # page about a shop is the shop's name).
            field = dataclasses.replace(
                field, context=field.heading or twin,
                rest_group=twin if field.rest_group == field.context else field.rest_group)
        candidates: list[tuple[float, str, str]] = []
        # Only keys some text of the field names at all are worth the widget checks.
        named = [t for t in terms if (valued is None or t.group in valued)
                 and score(field, t, page_context)[0] > 0]
        usable = [t for t in named if _usable(field, t, by_ref[field.ref], values)]
        decides = any(label_score(field, t) >= THRESHOLD for t in usable)
        for t in usable:
            value, how = score(field, t, page_context, label_decides=decides)
            if value > 0:
                candidates.append((value, t.key, how))
        if not candidates:
            continue
        candidates.sort(reverse=True)
        best, key, how = candidates[0]
        if best < THRESHOLD:
            continue
        if len(candidates) > 1 and candidates[1][0] > best - MARGIN:
            continue  # two keys too close: nothing
        chosen[field.ref] = Match(field.ref, key, how, round(min(best, 1.0), 3))
    kept = _one_field_per_key(chosen, {f.ref: f for f in page})
    return _one_upload_per_key(kept, {f.ref: f for f in page}, {t.key: t for t in terms})


def _one_upload_per_key(chosen: dict[str, Match], page: Mapping[str, PageField],
                        terms: Mapping[str, KeyTerms]) -> dict[str, Match]:
    """A file key (a record's one photo) goes into one upload of the whole page: the one its own
    label names (现场照片), else the only one a label names, else the only one named at all; when
    several are named alike (隐患照片 and 整改照片 by 照片), none: which one is meant is the
    person's to say."""
    by_key: dict[str, list[tuple[int, Match]]] = {}
    for match in chosen.values():
        term = terms.get(match.key)
        if term is None or term.kind != "file":
            continue
        label = page[match.ref].label
        rank = 2 if term.labels and label and label[0] == term.labels[0] else (
            1 if match.how == "label" else 0)
        by_key.setdefault(match.key, []).append((rank, match))
    dropped: set[str] = set()
    for ranked in by_key.values():
        ranked.sort(key=lambda r: r[0], reverse=True)
        best = ranked[0][0]
        winners = [m for rank, m in ranked if rank == best]
        dropped.update(m.ref for rank, m in ranked if rank < best or len(winners) > 1)
    return {ref: m for ref, m in chosen.items() if ref not in dropped}


def _one_field_per_key(chosen: dict[str, Match], page: Mapping[str, PageField]
                       ) -> dict[str, Match]:
    """A key goes to one field of a section: the clearly best one, and a second field with the same
    label (a repeated input); when two differently labelled fields are too close, or three or more
    share the label (a table of people, one row each), to none."""
    by_key: dict[tuple[str, str], list[Match]] = {}
    for match in chosen.values():
        by_key.setdefault((match.key, page[match.ref].section), []).append(match)
    kept: dict[str, Match] = {}
    for matches in by_key.values():
        matches.sort(key=lambda m: m.confidence, reverse=True)
        best = matches[0]
        label = page[best.ref].label[:1]
        same = [m for m in matches[1:] if page[m.ref].label[:1] == label]
        others = [m for m in matches[1:] if page[m.ref].label[:1] != label]
        if (others and others[0].confidence > best.confidence - MARGIN) or len(same) > 1:
            continue
        for match in (best, *same):
            kept[match.ref] = match
    return {ref: kept[ref] for ref in chosen if ref in kept}


def page_value(field: Mapping[str, Any], terms: KeyTerms, value: str, *,
               mapped: bool = False, page: PageField | None = None) -> str | None:
    """``value`` as the page's widget takes it (C3 fill values), or None when it cannot take it:
    a choice as the page's option text, a yes/no as the switch state or the option text, a date as
    YYYY-MM-DD.

    A select whose listed options do not have the value still gets its text (the choice's text)
    when the list may be longer than the scan saw (a long, virtual list renders only the options
    in view), or when the manifest maps it (``mapped``): the page picks the option by that text
    or reports that it has none. ``page``: the field's texts already normalised."""
    value = value.strip()
    if not value:
        return None
    pf = page if page is not None else page_field(field)
    widget, kind = pf.widget, terms.kind
    if (widget == "file") != (kind == "file"):
        return None  # a local path is never typed into a text box, nor a text into an upload
    given = field.get("options")
    options: list[Any] = given if isinstance(given, list) else []
    if kind == "date":
        return normalise_date(value)
    if kind == "bool":
        state = value.lower() in ("true", "1", "是", "yes")
        if widget == "switch" or single_checkbox(pf):
            return "true" if state else "false"
        index = bool_option(pf, state)
        return _option_text(options, index)
    if widget in CHOICE_WIDGETS and not unlisted_select(pf):
        chosen = _option_text(options, choice_option(pf, terms, value))
        if chosen is not None or not (mapped or (widget == "select"
                                                 and len(pf.options) >= LONG_LIST)):
            return chosen
    if kind == "choice":  # into a text input, or a select that shows its options later
        for code, text in terms.choices:
            if value == code:
                return text
        return value
    if widget == "number" and not value.replace("-", "").isdigit():
        return None
    return value


def _option_text(options: list[Any], index: int | None) -> str | None:
    if index is None or index >= len(options):
        return None
    option = options[index]
    text = option.get("text") if isinstance(option, Mapping) else None
    return text if isinstance(text, str) and text.strip() else None


def page_context(subject: str, title: str, subjects: Collection[str] = ()) -> str:
    """The group a page is about: the form's declared subject, else the one subject kind the
    values are of (``subjects``: the groups of the task's subject), else the one its title names
    (a subject or a record group, never the person's own)."""
    if subject:
        return subject
    if len(set(subjects)) == 1:
        return next(iter(subjects))
    group = group_of(title)
    return group if group not in ("person", "org") else ""


def terms_by_key(fields: Mapping[str, Any]) -> dict[str, KeyTerms]:
    return {t.key: t for t in key_terms(fields)}


def plain_label(scan_field: Mapping[str, Any]) -> str:
    """The page's own label for a preview: the label, else the placeholder, else the neighbouring
    text, else the name; one line, without control characters, at most 80 characters."""
    for name in ("label", "placeholder", "nearby", "name"):
        text = _text(scan_field, name)
        text = " ".join("".join(" " if unicodedata.category(c)[0] == "C" else c
                                for c in text).split())
        if text:
            return text[:MAX_TEXT]
    return ""


def refs(matches: Iterable[Match]) -> set[str]:
    return {m.ref for m in matches}
