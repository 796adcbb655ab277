"""The one table's field dictionary (issue 14): group roles, the new kinds and their checks (GB 32100
统一社会信用代码 with its check character, choices, flags, files, long text), the words that
recognise a field on a page, and a dictionary file's mistakes named by file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.errors import ConfigError
from launcher.core.profile.fields import (
    CREDIT_CODE_CHARS,
    FIELD_KINDS,
    Choice,
    FieldDef,
    check_credit_code,
    fields_of_role,
    fold,
    group_fields,
    load_field_groups,
    load_fields,
)
from launcher.core.profile.store import ProfileStore
from launcher.core.secrets import SecretStore

FIELDS = load_fields()
GROUPS = load_field_groups()

# Published 统一社会信用代码 of well-known organisations (from their business licences and the
# national enterprise credit information system); GB 32100's own example first.
REAL_CODES = [
    "91350100M000100Y43",  # the standard's example
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
    "91110000710925462X",  # 中国石油天然气股份有限公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
    "12100000400000624D",  # 中国科学院 (a public institution: 1 + 2)
]


def field(kind: str, **extra: object) -> FieldDef:
    return FieldDef(key=f"t.{kind}", label=kind, label_en=kind, kind=kind, sensitive=False,
                    group="t", help="", **extra)  # type: ignore[arg-type]


# -- the shipped dictionary ---------------------------------------------------------------------


CONTRACT = {
    "household.head_name": ("text", False), "household.head_id_number": ("id_number", True),
    "household.number": ("text", False), "household.address": ("text", False),
    "household.size": ("integer", False), "household.phone": ("phone", True),
    "household.dibao": ("choice", False),
    "resident.name": ("text", False), "resident.id_number": ("id_number", True),
    "resident.phone": ("phone", True), "resident.address": ("text", False),
    "place.name": ("text", False), "place.credit_code": ("credit_code", False),
    "place.address": ("text", False), "place.owner": ("text", False),
    "place.phone": ("phone", True), "place.kind": ("choice", False),
    "organisation.name": ("text", False), "organisation.credit_code": ("credit_code", False),
    "organisation.address": ("text", False),
    "inspection.date": ("date", False), "inspection.hazard_type": ("choice", False),
    "inspection.result": ("choice", False), "inspection.rectified": ("bool", False),
    "inspection.deadline": ("date", False), "inspection.rectification": ("long_text", False),
    "inspection.notes": ("long_text", False), "inspection.photo": ("file", False),
}


def test_the_dictionary_has_the_keys_the_one_table_needs_with_their_kinds() -> None:
    for key, (kind, sensitive) in CONTRACT.items():
        assert (FIELDS[key].kind, FIELDS[key].sensitive) == (kind, sensitive), key
    assert {k: g.role for k, g in GROUPS.items()} == {
        "person": "self", "org": "self", "household": "subject", "resident": "subject",
        "place": "subject", "organisation": "subject", "inspection": "record"}
    assert set(fields_of_role(FIELDS, GROUPS, "self")) == {
        k for k in FIELDS if k.startswith(("person.", "org."))}
    assert next(iter(group_fields(FIELDS, "inspection"))) == "inspection.date"
    # Every choice field has its options; the 低保 and 结论 ones as the issue names them.
    assert [c.text for c in FIELDS["household.dibao"].choices] == ["城市低保", "农村低保", "特困",
                                                                  "无"]
    assert [c.text for c in FIELDS["inspection.result"].choices] == ["合格", "限期整改",
                                                                    "停业整改"]
    assert all(f.choices for f in FIELDS.values() if f.kind == "choice")


def test_the_words_that_recognise_a_field_keep_the_persons_own_apart() -> None:
    assert {"户主", "户主名称", "户主名字"} <= set(FIELDS["household.head_name"].synonyms)
    # "a wrong value is worse than none": 户主姓名 is not the person's own 姓名.
    for word in ("户主", "法人", "负责人", "联系人"):
        assert word in FIELDS["person.name"].excludes
    assert "xm" in FIELDS["person.name"].names and "name" in FIELDS["person.name"].autocomplete
    assert "tel" in FIELDS["person.phone"].autocomplete
    assert "hzxm" in FIELDS["household.head_name"].names
    # No synonym of a field is another field's label in the same group (the label would lose).
    for group in GROUPS:
        own = group_fields(FIELDS, group)
        labels = {fold(f.label): k for k, f in own.items()}
        for key, fielddef in own.items():
            for synonym in fielddef.synonyms:
                assert labels.get(fold(synonym), key) == key, (key, synonym)


def test_an_old_profile_keeps_its_inspection_date_readable(tmp_path: Path) -> None:
    """检查日期 moved from the profile to the inspection record: a profile that kept one still
    reads it (nothing lost, nothing crashes)."""
    store = ProfileStore(tmp_path / "p.sqlite3", SecretStore("test/fields-old"), FIELDS)
    store.set("inspection.date", "2026-11-30")
    store.set("person.name", "张伟")
    store.close()
    again = ProfileStore(tmp_path / "p.sqlite3", SecretStore("test/fields-old"), FIELDS)
    try:
        assert again.values()["inspection.date"] == "2026-11-30"
        assert again.unreadable() == {}
    finally:
        again.close()


# -- GB 32100 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass(code: str) -> None:
    assert check_credit_code(code) is None
    assert FIELDS["place.credit_code"].validate(code) is None
    # Lower case and spaces (typed, pasted) are kept as the code itself.
    spaced = " ".join([code[:6].lower(), code[6:12], code[12:]])
    assert FIELDS["organisation.credit_code"].normalize(spaced) == code


@pytest.mark.parametrize("code", REAL_CODES)
def test_every_single_character_typo_of_a_real_code_is_caught(code: str) -> None:
    """The check character catches any one wrong character (31 is prime)."""
    for position in range(18):
        for char in CREDIT_CODE_CHARS:
            if char == code[position]:
                continue
            typo = code[:position] + char + code[position + 1:]
            if position in range(2, 8) and not char.isdigit():
                continue  # caught as a non-digit area code, checked below
            assert check_credit_code(typo) == "统一社会信用代码校验位不正确", typo


@pytest.mark.parametrize(("value", "message"), [
    ("91350100M000100Y4", "应为 18 位"),
    ("91350100M000100Y433", "应为 18 位"),
    ("91350100M000100I43", "不含 I、O、Z、S、V"),
    ("91350100O000100Y43", "不含 I、O、Z、S、V"),
    ("91350100M000100S43", "不含 I、O、Z、S、V"),
    ("9135A100M000100Y43", "行政区划代码"),
    ("91350100M000100Y44", "校验位不正确"),
    ("913501００M000100Y4３", None),  # full-width digits are the same digits
])
def test_wrong_credit_codes_say_what_is_wrong(value: str, message: str | None) -> None:
    problem = FIELDS["place.credit_code"].validate(value)
    if message is None:
        assert FIELDS["place.credit_code"].normalize(value) == "91350100M000100Y43"
        assert problem is None
    else:
        assert problem is not None and message in problem


def test_the_credit_code_alphabet_leaves_out_the_letters_gb_32100_excludes() -> None:
    assert len(CREDIT_CODE_CHARS) == 31
    assert not set("IOZSV") & set(CREDIT_CODE_CHARS)


# -- choices, flags, files, long text ------------------------------------------------------------


def test_a_choice_is_stored_as_its_code_whichever_way_it_is_written() -> None:
    dibao = FIELDS["household.dibao"]
    for written in ("农村低保", " 农村低保 ", "2", "２"):
        assert dibao.validate(written) is None
        assert dibao.normalize(written) == "2"
    assert dibao.display("2") == "农村低保"
    problem = dibao.validate("城镇低保")
    assert problem is not None and "城市低保" in problem
    assert dibao.choice("特困") == Choice("3", "特困")


@pytest.mark.parametrize(("written", "stored"), [
    ("是", "true"), ("否", "false"), ("true", "true"), ("FALSE", "false"), ("1", "true"),
    ("0", "false"), ("已整改", "true"), ("未整改", "false"), (" 是 ", "true"),
])
def test_a_flag_accepts_the_ways_people_write_yes_and_no(written: str, stored: str) -> None:
    flag = FIELDS["inspection.rectified"]
    assert flag.validate(written) is None
    assert flag.normalize(written) == stored
    assert flag.display(stored) in ("是", "否")


def test_a_flag_refuses_what_is_neither() -> None:
    assert "是" in (FIELDS["inspection.rectified"].validate("大概") or "")


def test_a_file_is_a_full_local_path() -> None:
    photo = FIELDS["inspection.photo"]
    assert photo.validate("/home/zw/照片/现场1.jpg") is None
    assert photo.validate(r"C:\Users\zw\Pictures\现场1.jpg") is None
    assert "完整路径" in (photo.validate("现场1.jpg") or "")
    assert "过长" in (photo.validate("/" + "a" * 1200) or "")


def test_long_text_keeps_lines_and_text_refuses_them() -> None:
    notes = FIELDS["inspection.notes"]
    assert notes.validate("灭火器过期\r\n已更换") is None
    assert notes.normalize("灭火器过期\r\n已更换") == "灭火器过期\n已更换"
    assert notes.validate("字" * 2000) is None and "过长" in (notes.validate("字" * 2001) or "")
    assert "换行" in (FIELDS["household.head_name"].validate("张\n三") or "")
    assert "控制字符" in (notes.validate("a\x00b") or "")


def test_every_kind_accepts_empty_as_no_value() -> None:
    for kind in FIELD_KINDS:
        extra = {"choices": (Choice("1", "一"),)} if kind == "choice" else {}
        assert field(kind, **extra).validate("  ") is None, kind


@pytest.mark.parametrize(("kind", "good", "bad"), [
    ("text", "幸福村", "字" * 201),
    ("long_text", "第一行\n第二行", "字" * 2001),
    ("id_number", "11010519491231002X", "110105194912310021"),
    ("credit_code", "91350100M000100Y43", "91350100M000100Y44"),
    ("phone", "13812345678", "12812345678"),
    ("date", "2026-11-30", "2026-02-30"),
    ("integer", "326", "3.5"),
    ("bool", "是", "也许"),
    ("file", "/tmp/a.jpg", "a.jpg"),
])
def test_every_kind_checks_its_values(kind: str, good: str, bad: str) -> None:
    assert field(kind).validate(good) is None
    assert field(kind).validate(bad) is not None


def test_fold_compares_as_people_mean_it() -> None:
    assert fold("　户主　姓名 ") == "户主 姓名"
    assert fold("ＡＢＣ１２３") == "abc123"


# -- a broken dictionary -------------------------------------------------------------------------

CHOICE = '[[fields]]\nkey = "a.b"\nlabel = "x"\nkind = "choice"\n'


@pytest.mark.parametrize(("text", "key"), [
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nsynonym = ["y"]', "fields[0].synonym"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nsynonyms = "y"', "fields[0].synonyms"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nnames = ["x m"]', "fields[0].names[0]"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nautocomplete = ["<tel>"]', "fields[0].autocomplete[0]"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nexcludes = [" 户主"]', "fields[0].excludes[0]"),
    (CHOICE, "fields[0].choices"),
    (CHOICE + '[[fields.choices]]\ncode = "1"\n', "fields[0].choices[0].text"),
    (CHOICE + '[[fields.choices]]\ncode = "1"\ntext = "一"\nlabel = "x"',
     "fields[0].choices[0].label"),
    (CHOICE + '[[fields.choices]]\ncode = "1"\ntext = "一"\n[[fields.choices]]\ncode = "1"\n'
     'text = "二"', "fields[0].choices[1].code"),
    (CHOICE + '[[fields.choices]]\ncode = "1"\ntext = "一"\n[[fields.choices]]\ncode = "2"\n'
     'text = "一"', "fields[0].choices[1].text"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nkind = "text"\n[[fields.choices]]\ncode = "1"\n'
     'text = "一"', "fields[0].choices"),
    ('[groups.a]\nlabel = "A"\nrole = "boss"\n[[fields]]\nkey = "a.b"\nlabel = "x"',
     "groups.a.role"),
    ('[groups.a]\nlabel = "A"\nkind = "x"\n[[fields]]\nkey = "a.b"\nlabel = "x"',
     "groups.a.kind"),
])
def test_a_broken_dictionary_names_the_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "fields.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_fields(path)
    assert caught.value.key == key
    assert str(path) in str(caught.value)


def test_a_dictionary_with_the_new_attributes_loads(tmp_path: Path) -> None:
    path = tmp_path / "fields.toml"
    path.write_text(
        '[groups.a]\nlabel = "A"\nrole = "subject"\n'
        '[[fields]]\nkey = "a.b"\nlabel = "类别"\nkind = "choice"\nsynonyms = ["类型"]\n'
        'excludes = ["户主"]\nnames = ["lb"]\nautocomplete = ["off"]\n'
        '[[fields.choices]]\ncode = "x"\ntext = "甲"\n[[fields.choices]]\ncode = "y"\ntext = "y"\n',
        encoding="utf-8")
    loaded = load_fields(path)["a.b"]
    assert (loaded.synonyms, loaded.excludes, loaded.names, loaded.autocomplete) == (
        ("类型",), ("户主",), ("lb",), ("off",))
    assert loaded.choices == (Choice("x", "甲"), Choice("y", "y"))
    assert loaded.labels == ("类别", "类型")
    assert load_field_groups(path)["a"].role == "subject"


def test_the_builtin_plugins_forms_name_only_known_keys() -> None:
    """Mapped fields, submit templates ({inspection.date}) and a form's record and subject kinds
    are all the dictionary's (a form declared by URL alone maps none)."""
    import re
    import tomllib

    from launcher_demo.plugin_dir import plugins_dir

    kinds = {k for k, g in GROUPS.items() if g.role in ("subject", "record")}
    seen = 0
    for manifest in plugins_dir().glob("*/manifest.toml"):
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        for form in data.get("forms", []):
            keys = set(form.get("fields", {}).values())
            body = (form.get("submit") or {}).get("body", {})
            keys |= {m for v in body.values() if isinstance(v, str)
                     for m in re.findall(r"\{([a-z_]+\.[a-z_.]+)\}", v)}
            assert keys <= set(FIELDS), f"{manifest}: {keys - set(FIELDS)}"
            for kind in (form.get("record", ""), form.get("subject", "")):
                assert not kind or kind in kinds, f"{manifest}: {kind}"
            seen += len(keys)
    assert seen > 10
