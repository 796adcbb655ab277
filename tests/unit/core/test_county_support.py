"""``[support]`` of county.toml: the county IT team people call, outside text checked for its form
and length (launcher/core/support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.county import load_county
from launcher.core.errors import ConfigError
from launcher.core.support import MAX_NAME_CHARS, MAX_NOTE_CHARS, SupportContact

COUNTY = """
[county]
id = "anji"
name = "安吉县"

[idp]
issuer = "https://id.anji.example"
"""

SUPPORT = """
[support]
name = "安吉县大数据发展中心运维组"
phone = "0572-5123456 转 8001"
email = "it-help@anji.example.gov.cn"
hours = "工作日 8:30–12:00，13:30–17:30"
note = "打电话时请说明乡镇、平台和看到的提示。"
"""


def county_with(tmp_path: Path, support: str) -> Path:
    path = tmp_path / "county.toml"
    path.write_text(COUNTY + support, encoding="utf-8")
    return path


def test_the_support_table_is_read(tmp_path: Path) -> None:
    county = load_county(county_with(tmp_path, SUPPORT))
    assert county.support == SupportContact(
        name="安吉县大数据发展中心运维组",
        phone="0572-5123456 转 8001",
        email="it-help@anji.example.gov.cn",
        hours="工作日 8:30–12:00，13:30–17:30",
        note="打电话时请说明乡镇、平台和看到的提示。",
    )


def test_a_county_without_one_names_nobody(tmp_path: Path) -> None:
    assert load_county(county_with(tmp_path, "")).support is None


@pytest.mark.parametrize(
    "support",
    [
        '[support]\nname = "运维组"\nphone = "12345"\n',
        '[support]\nname = "运维组"\nphone = "+86 (572) 512-3456 ext 12"\n',
        '[support]\nname = "运维组"\nemail = "a.b+c@x-y.example"\n',
    ],
)
def test_a_phone_or_an_e_mail_is_enough(tmp_path: Path, support: str) -> None:
    assert load_county(county_with(tmp_path, support)).support is not None


@pytest.mark.parametrize(
    ("support", "key", "problem"),
    [
        ('[support]\nphone = "12345"\n', "support.name", "is required"),
        ('[support]\nname = "运维组"\n', "support.phone", "is required when there is no email"),
        ('[support]\nname = "运维组"\nphone = "tel:12345"\n', "support.phone",
         "must be a phone number"),
        ('[support]\nname = "运维组"\nphone = "<a href=x>1</a>"\n', "support.phone",
         "must be a phone number"),
        ('[support]\nname = "运维组"\nphone = "1-2"\n', "support.phone", "must be a phone number"),
        ('[support]\nname = "运维组"\nemail = "mailto:it@x.example"\n', "support.email",
         "must be an e-mail address"),
        ('[support]\nname = "运维组"\nemail = "it@localhost"\n', "support.email",
         "must be an e-mail address"),
        (f'[support]\nname = "{"组" * (MAX_NAME_CHARS + 1)}"\nphone = "12345"\n', "support.name",
         f"is longer than {MAX_NAME_CHARS} characters"),
        (f'[support]\nname = "组"\nphone = "12345"\nnote = "{"说" * (MAX_NOTE_CHARS + 1)}"\n',
         "support.note", f"is longer than {MAX_NOTE_CHARS} characters"),
        ('[support]\nname = "运维组\\n第二行"\nphone = "12345"\n', "support.name",
         "control characters"),
        ('[support]\nname = "运维组"\nphone = "12345"\nurl = "https://x.example"\n',
         "support.url", "is not a known key"),
        ('[support]\nname = "运维组"\nphone = 12345\n', "support.phone",
         "must be a non-empty string"),
    ],
)
def test_a_bad_value_names_its_key(tmp_path: Path, support: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_county(county_with(tmp_path, support))
    assert key in str(caught.value) and problem in str(caught.value)
