"""The field dictionary: the shipped fields, their checks and the errors of a broken file."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.errors import ConfigError
from launcher.core.profile.fields import FieldDef, load_field_groups, load_fields

FIELDS = load_fields()


def field(kind: str) -> FieldDef:
    return FieldDef(key=f"t.{kind}", label=kind, label_en=kind, kind=kind, sensitive=False,
                    group="t", help="")


def test_the_shipped_dictionary_has_the_fields_forms_ask_for():
    expected = {
        "person.name": ("姓名", "text", False),
        "person.id_number": ("身份证号", "id_number", True),
        "person.phone": ("联系电话", "phone", True),
        "person.position": ("职务", "text", False),
        "person.party_branch": ("所在党支部", "text", False),
        "org.township": ("所属乡镇(街道)", "text", False),
        "org.village": ("所属村/社区", "text", False),
        "org.households": ("户数", "integer", False),
        "org.population": ("人口数", "integer", False),
        "inspection.date": ("检查日期", "date", False),
    }
    for key, (label, kind, sensitive) in expected.items():
        assert (FIELDS[key].label, FIELDS[key].kind, FIELDS[key].sensitive) == (label, kind,
                                                                                 sensitive)
        assert FIELDS[key].label_en
    groups = load_field_groups()
    assert all(f.group in groups for f in FIELDS.values())
    assert groups["person"].label == "个人信息"


def test_every_form_of_the_builtin_plugins_asks_only_for_known_fields():
    import tomllib

    from launcher_demo.plugin_dir import plugins_dir

    for manifest in plugins_dir().glob("*/manifest.toml"):
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        for form in data.get("forms", []):
            unknown = set(form.get("fields", {}).values()) - set(FIELDS)
            assert not unknown, f"{manifest}: {unknown}"


@pytest.mark.parametrize("value", ["11010519491231002X", "11010519491231002x",
                                   "440524198001010013", " 11010519491231002X "])
def test_valid_id_numbers(value):
    assert FIELDS["person.id_number"].validate(value) is None


@pytest.mark.parametrize(("value", "message"), [
    ("110105194912310021", "身份证号校验位不正确"),
    ("11010519491231002", "身份证号应为 18 位"),
    ("1101051949123100AX", "前 17 位应为数字"),
    ("110105194902300023", "出生日期不正确"),
    ("110105299901010011", "出生日期不正确"),
])
def test_invalid_id_numbers_say_what_is_wrong(value, message):
    problem = FIELDS["person.id_number"].validate(value)
    assert problem is not None and message in problem


@pytest.mark.parametrize("value", ["13812345678", "199 1234 5678", "+8613812345678",
                                   "0571-88888888", "01012345678", "0571-8888888-123"])
def test_valid_phones(value):
    assert FIELDS["person.phone"].validate(value) is None


@pytest.mark.parametrize("value", ["12812345678", "1381234567", "88888888", "phone",
                                   "138123456789"])
def test_invalid_phones(value):
    assert "联系电话格式不正确" in (FIELDS["person.phone"].validate(value) or "")


def test_dates_integers_and_text():
    date = FIELDS["inspection.date"]
    assert date.validate("2026-11-30") is None
    assert "YYYY-MM-DD" in (date.validate("2026/11/30") or "")
    assert "日期不存在" in (date.validate("2026-02-30") or "")
    integer = field("integer")
    assert integer.validate("326") is None
    assert "负数" in (integer.validate("-3") or "")
    assert "整数" in (integer.validate("3.5") or "")
    assert "整数" in (integer.validate("３２") or "")
    text = field("text")
    assert text.validate("幸福村") is None
    assert "过长" in (text.validate("字" * 201) or "")
    assert "控制字符" in (text.validate("a\x00b") or "")
    # Empty means "no value", which is allowed everywhere.
    assert all(f.validate("  ") is None for f in FIELDS.values())


def test_values_are_normalised_before_they_are_kept():
    assert FIELDS["person.id_number"].normalize(" 11010519491231002x ") == "11010519491231002X"
    assert FIELDS["person.phone"].normalize("+86 138 1234 5678") == "13812345678"


@pytest.mark.parametrize(("text", "key"), [
    ('[[fields]]\nkey = "Person"\nlabel = "x"', "fields[0].key"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nkind = "colour"', "fields[0].kind"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\n[[fields]]\nkey = "a.b"\nlabel = "y"',
     "fields[1].key"),
    ('[[fields]]\nkey = "a.b"\nlabel = "x"\nsensitiv = true', "fields[0].sensitiv"),
    ('[groups.a]\nlabel = "A"\n[[fields]]\nkey = "b.c"\nlabel = "x"', "fields[0].group"),
    ("", "fields"),
])
def test_a_broken_dictionary_names_the_key(tmp_path: Path, text, key):
    path = tmp_path / "fields.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_fields(path)
    assert caught.value.key == key
