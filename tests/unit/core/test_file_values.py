"""County files and manifests that are broken or hostile: each gets a ConfigError naming the file
and the key (never another exception), and values that parse but must not be used are refused."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from launcher.core.county import load_county
from launcher.core.errors import ConfigError
from launcher.core.manifest import load_manifest
from launcher.core.registry import build_registry, discover
from launcher.core.schema import MAX_FILE_BYTES

COUNTY = """
[county]
id = "anji"
name = "安吉县"

[idp]
issuer = "https://id.anji.example"

[[platforms]]
plugin = "acme.tasks"
base_url = "https://aq.anji.example"
"""

MANIFEST = """
schema = 1
id = "acme.tasks"
name = "测试平台"
version = "1.2.0"
icon = "icon.svg"
home = "{base_url}/"
origins = ["{base_url}"]

[auth]
kind = "sso"
scopes = ["acme.tasks"]
resource = "{base_url}/api"
service = "{base_url}/cas"

[tasks]
kind = "rest-json"
url = "{base_url}/api/todo"
timeout = 10

[tasks.done]
url = "{base_url}/api/todo/{id}"

[[forms]]
key = "safety_check"
url = "{base_url}/check"
fields = { "#name" = "person.name" }
"""

PASSWORD_AUTH = (
    '[auth]\nkind = "password"\n[auth.login]\nurl = "{base_url}/login"\nusername = "#u"\n'
    'password = "#p"\n'
)


def county_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "county.toml"
    path.write_text(text, encoding="utf-8")
    return path


def manifest_file(tmp_path: Path, text: str, folder: str = "acme") -> Path:
    plugin = tmp_path / folder
    plugin.mkdir(parents=True, exist_ok=True)
    (plugin / "icon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    path = plugin / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(load: object, path: Path, key: str) -> ConfigError:
    """The ConfigError ``load(path)`` raises, checked to name ``path`` and ``key``."""
    with pytest.raises(ConfigError) as info:
        load(path)  # type: ignore[operator]
    error = info.value
    assert error.path == path
    assert str(path) in str(error)
    assert error.key == key, str(error)
    return error


def test_the_good_files_load(tmp_path: Path) -> None:
    county = load_county(county_file(tmp_path, COUNTY))
    assert county.id == "anji" and county.refresh_minutes == 10
    manifest = load_manifest(manifest_file(tmp_path, MANIFEST))
    assert manifest.tasks is not None and manifest.tasks.timeout == 10.0


# -- item 7: whatever the file holds, a ConfigError naming the file ------------------------------


@pytest.mark.parametrize("nesting", ["[" * 3000 + "]" * 3000, "{a=" * 3000 + "1" + "}" * 3000])
def test_deep_nesting_is_a_config_error(tmp_path: Path, nesting: str) -> None:
    # Before: tomllib's RecursionError went through every caller (a traceback, no plugins).
    refused(load_county, county_file(tmp_path, COUNTY + f"x = {nesting}\n"), "")
    refused(load_manifest, manifest_file(tmp_path, f"x = {nesting}\n" + MANIFEST), "")


def test_nesting_that_parses_but_is_too_deep_is_refused(tmp_path: Path) -> None:
    path = manifest_file(tmp_path, MANIFEST.replace('kind = "sso"', 'kind = "sso"\nx = ' +
                                                    "[" * 40 + "]" * 40))
    with pytest.raises(ConfigError) as info:
        load_manifest(path)
    assert info.value.key.startswith("auth.x[0][0]") and "too deeply" in info.value.problem


def test_a_nul_in_the_icon_path_is_a_config_error(tmp_path: Path) -> None:
    # Before: Path.resolve raised ValueError ("embedded null byte").
    path = manifest_file(tmp_path, MANIFEST.replace('"icon.svg"', '"icon\\u0000.svg"'))
    assert "NUL" in refused(load_manifest, path, "icon").problem


def test_undecodable_bytes_and_huge_files_and_numbers(tmp_path: Path) -> None:
    path = tmp_path / "county.toml"
    path.write_bytes(COUNTY.encode() + b'\nname_en = "\xff\xfe"\n')
    assert "not UTF-8" in refused(load_county, path, "").problem
    path.write_bytes(COUNTY.encode() + b"#" * MAX_FILE_BYTES)
    assert "larger than" in refused(load_county, path, "").problem
    # More digits than Python turns into an int (ValueError before).
    path.write_text(COUNTY.replace("[[platforms]]", "[inbox]\nrefresh_minutes = " + "9" * 5000
                                   + "\n[[platforms]]"), encoding="utf-8")
    refused(load_county, path, "")
    path.write_text(COUNTY.replace("[[platforms]]", "[inbox]\nrefresh_minutes = " + "9" * 40
                                   + "\n[[platforms]]"), encoding="utf-8")
    refused(load_county, path, "inbox.refresh_minutes")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "county.toml"
    path.write_bytes(b"\xef\xbb\xbf" + COUNTY.encode())
    assert load_county(path).id == "anji"


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('name = "安吉县"', "name = 3.5", "county.name"),
        ('name = "安吉县"', "name = [1, 2]", "county.name"),
        ('issuer = "https://id.anji.example"', "issuer = 1979-05-27", "idp.issuer"),
        ('issuer = "https://id.anji.example"', 'issuer = "http://[::1"', "idp.issuer"),
        ('issuer = "https://id.anji.example"', 'issuer = "http://h:99999"', "idp.issuer"),
        ('name = "安吉县"', 'name = "安吉\\u001b[31m县"', "county.name"),
    ],
)
def test_wrong_types_anywhere_are_config_errors(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    refused(load_county, county_file(tmp_path, COUNTY.replace(old, new, 1)), key)


def test_a_table_that_is_a_number_is_a_config_error(tmp_path: Path) -> None:
    text = "idp = 3\n" + COUNTY.replace('[idp]\nissuer = "https://id.anji.example"\n', "")
    assert "must be a table" in refused(load_county, county_file(tmp_path, text), "idp").problem


def test_messages_are_one_bounded_line(tmp_path: Path) -> None:
    hostile = "\\u001b]0;owned\\u0007" + "x" * 100_000
    error = refused(
        load_county, county_file(tmp_path, COUNTY.replace('"anji"', f'"{hostile}"')), "county.id"
    )
    text = str(error)
    assert len(text) < 2000
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text), text


def test_a_broken_manifest_of_any_kind_hides_no_other_plugin(tmp_path: Path) -> None:
    manifest_file(tmp_path, MANIFEST.replace('"acme.tasks"', '"acme.one"'), "one")
    manifest_file(tmp_path, "x = " + "[" * 3000 + "]" * 3000 + "\n", "deep")
    manifest_file(tmp_path, MANIFEST.replace('"icon.svg"', '"icon\\u0000.svg"'), "nul")
    manifest_file(tmp_path, MANIFEST.replace('"acme.tasks"', '"acme.two"'), "two")
    found, errors = discover([tmp_path])
    assert sorted(found) == ["acme.one", "acme.two"]
    assert len(errors) == 2
    assert any(str(tmp_path / "deep" / "manifest.toml") in e for e in errors)
    assert any(str(tmp_path / "nul" / "manifest.toml") in e and ": icon:" in e for e in errors)


def test_discovery_survives_a_loader_failure_it_did_not_foresee(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guard at the boundary: even an exception the loader lets through (a bug) costs only
    its own plugin, named with its file."""
    manifest_file(tmp_path, MANIFEST.replace('"acme.tasks"', '"acme.one"'), "one")
    bad = manifest_file(tmp_path, MANIFEST.replace('"acme.tasks"', '"acme.two"'), "two")

    def load(path: Path) -> object:
        if path == bad:
            raise TypeError("a bug")
        return load_manifest(path)

    monkeypatch.setattr("launcher.core.registry.load_manifest", load)
    found, errors = discover([tmp_path])
    assert list(found) == ["acme.one"]
    assert len(errors) == 1 and str(bad) in errors[0]


def test_an_unreadable_plugin_folder_hides_no_other(tmp_path: Path) -> None:
    good = tmp_path / "good"
    manifest_file(good, MANIFEST)
    found, errors = discover([tmp_path / "nul\0dir", tmp_path / "missing", good])
    assert list(found) == ["acme.tasks"] and errors == []


# -- item 8: values that parse but must not be used --------------------------------------------


@pytest.mark.parametrize(
    "icon", ["../../etc/passwd", "/etc/passwd", "..", ".", "sub/../../acme2/icon.svg"]
)
def test_an_icon_outside_the_plugin_folder_is_refused(tmp_path: Path, icon: str) -> None:
    (tmp_path / "acme2").mkdir()
    (tmp_path / "acme2" / "icon.svg").write_text("<svg/>")
    path = manifest_file(tmp_path, MANIFEST.replace('"icon.svg"', f'"{icon}"'))
    assert "inside the plugin's folder" in refused(load_manifest, path, "icon").problem


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_an_icon_link_pointing_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    path = manifest_file(tmp_path, MANIFEST.replace('"icon.svg"', '"link.svg"'))
    secret = tmp_path / "secret.txt"
    secret.write_text("not an icon")
    (path.parent / "link.svg").symlink_to(secret)
    assert "inside the plugin's folder" in refused(load_manifest, path, "icon").problem
    # A link inside the folder is fine, a link to a device is not a file.
    (path.parent / "link.svg").unlink()
    (path.parent / "link.svg").symlink_to(path.parent / "icon.svg")
    assert load_manifest(path).icon == (path.parent / "icon.svg").resolve()
    (path.parent / "icon.svg").unlink()
    os.mkfifo(path.parent / "icon.svg")
    assert "not a regular file" in refused(load_manifest, path, "icon").problem


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="symbolic links")
def test_an_icon_in_a_link_loop_is_a_config_error(tmp_path: Path) -> None:
    # Path.resolve raises RuntimeError on a loop (Python 3.11).
    path = manifest_file(tmp_path, MANIFEST.replace('"icon.svg"', '"loop.svg"'))
    (path.parent / "loop.svg").symlink_to(path.parent / "loop.svg")
    refused(load_manifest, path, "icon")


def test_a_huge_icon_is_refused(tmp_path: Path) -> None:
    path = manifest_file(tmp_path, MANIFEST)
    (path.parent / "icon.svg").write_bytes(b" " * (1024 * 1024))
    assert "larger than" in refused(load_manifest, path, "icon").problem


BAD_URLS = [
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "ftp://files.example/x",
    "javascript:{base_url}",
    "{base_url}.elsewhere.example/",
    "{base_url}@elsewhere.example/",
    "http://user:pw@platform.example/",
    "//platform.example/x",
    "/relative/path",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize(
    ("old", "key"),
    [
        ('home = "{base_url}/"', "home"),
        ('origins = ["{base_url}"]', "origins[0]"),
        ('url = "{base_url}/api/todo"', "tasks.url"),
        ('url = "{base_url}/check"', "forms[0].url"),
        ('resource = "{base_url}/api"', "auth.resource"),
        ('service = "{base_url}/cas"', "auth.service"),
    ],
)
def test_manifest_urls_must_be_web_addresses(tmp_path: Path, url: str, old: str, key: str) -> None:
    name = old.split(" = ")[0]
    value = f'["{url}"]' if name == "origins" else f'"{url}"'
    path = manifest_file(tmp_path, MANIFEST.replace(old, f"{name} = {value}", 1))
    refused(load_manifest, path, key)


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_login_and_done_urls_must_be_web_addresses(tmp_path: Path, url: str) -> None:
    login = MANIFEST.replace('[auth]\nkind = "sso"\nscopes = ["acme.tasks"]\n'
                             'resource = "{base_url}/api"\nservice = "{base_url}/cas"\n',
                             PASSWORD_AUTH.replace('"{base_url}/login"', f'"{url}"'))
    refused(load_manifest, manifest_file(tmp_path, login), "auth.login.url")
    done = MANIFEST.replace('"{base_url}/api/todo/{id}"', f'"{url}/{{id}}"')
    refused(load_manifest, manifest_file(tmp_path, done), "tasks.done.url")


def test_full_http_urls_and_templates_still_load(tmp_path: Path) -> None:
    text = (
        MANIFEST.replace('home = "{base_url}/"', 'home = "https://portal.example/app?x=1#top"')
        .replace('origins = ["{base_url}"]', 'origins = ["{base_url}", "https://sso.example"]')
        .replace('"{base_url}/check"', '"{base_url}?page=check"')
    )
    manifest = load_manifest(manifest_file(tmp_path, text))
    assert manifest.origins == ("{base_url}", "https://sso.example")


@pytest.mark.parametrize(
    "base_url",
    ["file:///srv", "javascript:alert(1)", "data:,x", "http://h/?q=1", "http://h/#x",
     "http://u@h", "http:///nohost", "http://h:0"],
)
def test_a_base_url_must_be_a_plain_web_address(tmp_path: Path, base_url: str) -> None:
    text = COUNTY.replace('"https://aq.anji.example"', f'"{base_url}"')
    county = load_county(county_file(tmp_path, text))
    assert county.platforms == ()  # the entry is skipped, named in the problems
    assert len(county.errors) == 1 and "platforms[0].base_url" in county.errors[0]


@pytest.mark.parametrize("timeout", ["nan", "inf", "-inf", "-1", "0", "1e9", "301"])
def test_a_task_timeout_must_be_a_sensible_number(tmp_path: Path, timeout: str) -> None:
    path = manifest_file(tmp_path, MANIFEST.replace("timeout = 10", f"timeout = {timeout}"))
    assert "at most 300" in refused(load_manifest, path, "tasks.timeout").problem


def test_a_done_body_has_no_number_json_lacks(tmp_path: Path) -> None:
    text = MANIFEST.replace('url = "{base_url}/api/todo/{id}"',
                            'url = "{base_url}/api/todo/{id}"\nbody = { n = nan }')
    refused(load_manifest, manifest_file(tmp_path, text), "tasks.done.body")


@pytest.mark.parametrize(
    "county_id",
    ["/tmp/evil", "../../evil", "..", ".", "a/b", "a\\\\b", "C:evil", "Anji", "con", "nul.x",
     "-x", "x-", "x" * 65, "安吉", ""],
)
def test_a_county_id_is_one_safe_folder_name(tmp_path: Path, county_id: str) -> None:
    # Before: "../../evil" put the task cache outside the data folder.
    path = county_file(tmp_path, COUNTY.replace('"anji"', f'"{county_id}"'))
    refused(load_county, path, "county.id")


@pytest.mark.parametrize("county_id", ["anji", "demo-cas", "demo-op-cli-offline", "x", "a.b_c-9"])
def test_usual_county_ids_load(tmp_path: Path, county_id: str) -> None:
    assert load_county(county_file(tmp_path, COUNTY.replace('"anji"', f'"{county_id}"'))).id == (
        county_id
    )


@pytest.mark.parametrize("plugin", ["../x.y", "a/b.c", "/abs.x", "noseparator", "x." * 40 + "x"])
def test_plugin_ids_are_checked_where_they_are_named(tmp_path: Path, plugin: str) -> None:
    county = load_county(county_file(tmp_path, COUNTY.replace('"acme.tasks"', f'"{plugin}"')))
    assert county.platforms == () and "platforms[0].plugin" in county.errors[0]
    path = manifest_file(tmp_path, MANIFEST.replace('"acme.tasks"', f'"{plugin}"', 1))
    refused(load_manifest, path, "id")


@pytest.mark.parametrize("minutes", ["40000", "1441", "0", "-5", "nan", "2.5", "true"])
def test_refresh_minutes_are_bounded(tmp_path: Path, minutes: str) -> None:
    # Before: 40000 minutes overflowed Qt's timer to 0 ms, a refresh loop.
    text = COUNTY.replace("[[platforms]]", f"[inbox]\nrefresh_minutes = {minutes}\n[[platforms]]")
    error = refused(load_county, county_file(tmp_path, text), "inbox.refresh_minutes")
    assert "from 1 to 1440" in error.problem


def test_no_background_refresh_is_said_explicitly(tmp_path: Path) -> None:
    text = COUNTY.replace("[[platforms]]", "[inbox]\nbackground_refresh = false\n[[platforms]]")
    assert load_county(county_file(tmp_path, text)).refresh_minutes is None
    both = text.replace("background_refresh = false", "background_refresh = false\n"
                        "refresh_minutes = 5")
    refused(load_county, county_file(tmp_path, both), "inbox.refresh_minutes")
    daily = text.replace("background_refresh = false", "refresh_minutes = 1440")
    assert load_county(county_file(tmp_path, daily)).refresh_minutes == 1440


def test_a_plugin_dir_with_a_nul_is_named(tmp_path: Path) -> None:
    path = county_file(tmp_path, 'plugin_dirs = ["plug\\u0000ins"]\n' + COUNTY)
    refused(load_county, path, "plugin_dirs[0]")


def test_the_registry_loads_around_every_kind_of_broken_manifest(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    manifest_file(plugins, MANIFEST, "good")
    for i, text in enumerate([
        MANIFEST.replace('"{base_url}/"', '"javascript:alert(1)"').replace("acme.tasks", "b.a"),
        MANIFEST.replace('"icon.svg"', '"../../etc/passwd"').replace("acme.tasks", "b.b"),
        MANIFEST.replace("timeout = 10", "timeout = nan").replace("acme.tasks", "b.c"),
    ]):
        manifest_file(plugins, text, f"bad{i}")
    entries = "".join(f'[[platforms]]\nplugin = "b.{x}"\nbase_url = "https://{x}.example"\n'
                      for x in "abc")
    registry = build_registry(load_county(county_file(tmp_path, COUNTY + entries)))
    assert [p.id for p in registry.platforms] == ["acme.tasks"]
    for i, key in enumerate(["home", "icon", "tasks.timeout"]):
        assert any(str(plugins / f"bad{i}" / "manifest.toml") in e and f": {key}:" in e
                   for e in registry.errors), registry.errors


@pytest.mark.parametrize("name", ["..", ".", "", "../x", "a/b", "/abs", "a\\b", "C:x", "a\0b"])
def test_a_data_folder_is_never_outside_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Behind the county id's check: paths.folder takes single folder names only."""
    from launcher.core import paths

    monkeypatch.setenv("LAUNCHER_HOME", str(tmp_path / "home"))
    with pytest.raises(ValueError, match="single folder name"):
        paths.folder("counties", name)
    assert not (tmp_path / "x").exists() and not (tmp_path / "home" / "a").exists()
    assert paths.folder("counties", "anji") == tmp_path / "home" / "counties" / "anji"
