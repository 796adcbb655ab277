from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.county import load_county
from launcher.core.errors import ConfigError

GOOD = """
[county]
id = "anji"
name = "安吉县"

[idp]
kind = "oidc"
issuer = "https://id.anji.example/"
client_id = "launcher"
scopes = ["openid", "profile", "offline_access"]
login = "embedded"

[inbox]
refresh_minutes = 5

[[platforms]]
plugin = "demo.anquan"
base_url = "https://aq.anji.example/"

[[platforms]]
plugin = "demo.zhifa"
base_url = "https://zf.anji.example"
enabled = false
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "county.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_county_loads(tmp_path: Path) -> None:
    county = load_county(write(tmp_path, GOOD))
    assert county.id == "anji"
    assert county.name == "安吉县" and county.name_en == "安吉县"
    assert county.idp.issuer == "https://id.anji.example"  # trailing slash normalised
    assert county.idp.login == "embedded"
    assert county.refresh_minutes == 5
    assert [p.plugin for p in county.platforms] == ["demo.anquan", "demo.zhifa"]
    assert county.platforms[0].base_url == "https://aq.anji.example"
    assert county.platforms[1].enabled is False
    assert county.plugin_dirs == ((tmp_path / "plugins").resolve(),)
    assert county.errors == ()


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('kind = "oidc"', 'kind = "saml"', "idp.kind", "must be one of oidc, cas"),
        (
            'issuer = "https://id.anji.example/"',
            'issuer = "id.anji.example"',
            "idp.issuer",
            "http(s) URL",
        ),
        ('login = "embedded"', 'login = "popup"', "idp.login", "embedded, system-browser, device"),
        (
            'scopes = ["openid", "profile", "offline_access"]',
            'scopes = ["profile"]',
            "idp.scopes",
            "openid",
        ),
        ('id = "anji"', "", "county.id", "is required"),
        ("refresh_minutes = 5", "refresh_minutes = 0", "inbox.refresh_minutes", "from 1 to 1440"),
        ("[inbox]", "[inbx]", "inbx", "not a known key"),
        (
            'client_id = "launcher"',
            'client_id = "launcher"\nclient_secret = "x"',
            "idp.client_secret",
            "not a known key",
        ),
    ],
)
def test_bad_county_names_file_key_and_problem(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ConfigError) as info:
        load_county(path)
    assert info.value.key == key
    assert problem in info.value.problem
    assert str(path) in str(info.value)


def test_not_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[county\nid=")
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        load_county(path)
    assert info.value.path == path


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_county(tmp_path / "nope.toml")


def test_bad_platform_entry_is_skipped_and_the_rest_load(tmp_path: Path) -> None:
    text = (
        GOOD + '\n[[platforms]]\nplugin = "demo.laji"\nbase_url = "ftp://x"\n'
        '\n[[platforms]]\nplugin = "demo.anquan"\nbase_url = "https://again.example"\n'
    )
    county = load_county(write(tmp_path, text))
    assert [p.plugin for p in county.platforms] == ["demo.anquan", "demo.zhifa"]
    assert len(county.errors) == 2
    assert "platforms[2].base_url" in county.errors[0] and "http(s) URL" in county.errors[0]
    assert "platforms[3].plugin" in county.errors[1] and "listed twice" in county.errors[1]


def test_cas_county(tmp_path: Path) -> None:
    path = tmp_path / "county.toml"
    path.write_text(
        '[county]\nid = "x"\nname = "某县"\n[idp]\nkind = "cas"\n'
        'server = "https://sso.example.gov.cn/cas/"\nversion = 2\n',
        encoding="utf-8",
    )
    idp = load_county(path).idp
    assert (idp.kind, idp.server, idp.cas_version) == ("cas", "https://sso.example.gov.cn/cas", 2)
    assert idp.url == idp.server and idp.service.startswith("http://127.0.0.1/")
    path.write_text(path.read_text().replace("version = 2", "version = 4"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"idp\.version"):
        load_county(path)


def test_office_says_how_the_county_s_pcs_are_used(tmp_path: Path) -> None:
    from launcher.core.county import OfficeConfig

    assert load_county(write(tmp_path, GOOD)).office == OfficeConfig()  # one person's own PC
    shared = load_county(write(tmp_path, GOOD + "\n[office]\nshared = true\n")).office
    assert shared == OfficeConfig(shared=True, lock_after_minutes=10, sign_out_on_quit=True)
    tuned = load_county(write(tmp_path, GOOD + "\n[office]\nshared = true\n"
                              "lock_after_minutes = 0\nsign_out_on_quit = false\n")).office
    assert tuned == OfficeConfig(shared=True, lock_after_minutes=None, sign_out_on_quit=False)
    for bad, key in (("lock_after_minutes = 400", "lock_after_minutes"),
                     ("lock_after_minutes = -1", "lock_after_minutes"),
                     ('shared = "yes"', "shared"), ("idle = 3", "idle")):
        with pytest.raises(ConfigError, match=key):
            load_county(write(tmp_path, GOOD + f"\n[office]\n{bad}\n"))


def test_office_says_when_hidden_pages_are_frozen_discarded_and_tabs_reopened(
    tmp_path: Path,
) -> None:
    office = load_county(write(tmp_path, GOOD)).office
    assert (office.freeze_pages_after_minutes, office.discard_pages_after_minutes) == (5, 30)
    assert office.reopen_tabs is False  # only where the county allows it
    tuned = load_county(write(tmp_path, GOOD + "\n[office]\nfreeze_pages_after_minutes = 2\n"
                              "discard_pages_after_minutes = 0\nreopen_tabs = true\n")).office
    assert (tuned.freeze_pages_after_minutes, tuned.discard_pages_after_minutes) == (2, None)
    assert tuned.reopen_tabs is True
    for bad, key in (("freeze_pages_after_minutes = 2000", "freeze_pages_after_minutes"),
                     ("discard_pages_after_minutes = -1", "discard_pages_after_minutes"),
                     ("freeze_pages_after_minutes = 10\ndiscard_pages_after_minutes = 10",
                      "discard_pages_after_minutes.*more than"),
                     ('reopen_tabs = "yes"', "reopen_tabs")):
        with pytest.raises(ConfigError, match=key):
            load_county(write(tmp_path, GOOD + f"\n[office]\n{bad}\n"))
