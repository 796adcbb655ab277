from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.errors import ConfigError
from launcher.core.manifest import load_manifest

GOOD = """
schema = 1
id = "acme.tasks"
name = "测试平台"
name_en = "Test platform"
version = "1.2.0"
icon = "icon.svg"
home = "{base_url}/"
origins = ["{base_url}"]

[auth]
kind = "sso"
scopes = ["acme.tasks"]

[tasks]
kind = "rest-json"
url = "{base_url}/api/todo"
items = "result.list"
fields = { id = "taskId", title = "name", due = "endTime" }

[[forms]]
key = "safety_check"
url = "{base_url}/check"
fields = { "#name" = "person.name" }
"""


def write(tmp_path: Path, text: str, icon: bool = True) -> Path:
    folder = tmp_path / "acme"
    folder.mkdir(exist_ok=True)
    if icon:
        (folder / "icon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    path = folder / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_manifest(tmp_path: Path) -> None:
    m = load_manifest(write(tmp_path, GOOD))
    assert (m.id, m.name, m.name_en, m.version) == (
        "acme.tasks",
        "测试平台",
        "Test platform",
        "1.2.0",
    )
    assert m.auth.kind == "sso" and m.auth.scopes == ("acme.tasks",)
    assert m.tasks is not None and m.tasks.items == "result.list"
    assert m.tasks.fields == {"id": "taskId", "title": "name", "due": "endTime"}
    assert m.forms[0].key == "safety_check" and m.forms[0].fields == {"#name": "person.name"}
    assert m.icon == (tmp_path / "acme" / "icon.svg").resolve()


def test_required_task_fields_default_to_their_names(tmp_path: Path) -> None:
    m = load_manifest(write(tmp_path, GOOD.replace('id = "taskId", title = "name", ', "")))
    assert m.tasks is not None
    assert m.tasks.fields["id"] == "id" and m.tasks.fields["title"] == "title"


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ("schema = 1", "schema = 2", "schema", "does not read 2"),
        ('id = "acme.tasks"', 'id = "Acme Tasks"', "id", "county.platform"),
        ('kind = "sso"', 'kind = "kerberos"', "auth.kind", "must be one of"),
        ('kind = "rest-json"', 'kind = "soap"', "tasks.kind", "must be one of"),
        ('due = "endTime"', 'deadline = "endTime"', "tasks.fields.deadline", "not a task field"),
        ('home = "{base_url}/"', 'home = "{base}/"', "home", "unknown placeholder {base}"),
        ('origins = ["{base_url}"]', "origins = []", "origins", "at least one origin"),
        ('fields = { "#name" = "person.name" }', 'fields = { "#name" = 3 }', "forms[0].fields",
         "table of strings"),
        ('icon = "icon.svg"', 'icon = "missing.svg"', "icon", "does not exist"),
        ('version = "1.2.0"', "version = 3", "version", "non-empty string"),
        ("[auth]", "[auth]\nscope = 1", "auth.scope", "not a known key"),
    ],
)
def test_bad_manifest_names_file_key_and_problem(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    text = GOOD.replace(old, new, 1)
    assert text != GOOD
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_manifest(path)
    assert info.value.key == key, str(info.value)
    assert problem in info.value.problem
    assert info.value.path == path


def test_python_source_needs_module_attr(tmp_path: Path) -> None:
    text = GOOD.replace('kind = "rest-json"', 'kind = "python"\nentry = "not an entry"')
    with pytest.raises(ConfigError, match="module:attribute"):
        load_manifest(write(tmp_path, text))


def test_password_and_sso_auth(tmp_path: Path) -> None:
    text = GOOD.replace(
        'kind = "sso"\nscopes = ["acme.tasks"]',
        'kind = "password"\n[auth.login]\nurl = "{base_url}/login"\nusername = "#u"\npassword = "#p"',
    )
    m = load_manifest(write(tmp_path, text))
    assert m.auth.kind == "password" and m.auth.login is not None
    assert m.auth.login.url == "{base_url}/login" and m.auth.login.submit == ""

    sso = GOOD.replace(
        'scopes = ["acme.tasks"]',
        'scopes = ["acme.tasks"]\nresource = "{base_url}/api"\nservice = "{base_url}/cas"',
    )
    m = load_manifest(write(tmp_path, sso))
    assert (m.auth.resource, m.auth.service) == ("{base_url}/api", "{base_url}/cas")


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('kind = "sso"\nscopes = ["acme.tasks"]', 'kind = "password"', "auth.login"),
        ('kind = "sso"\nscopes = ["acme.tasks"]', 'kind = "none"\nscopes = ["x"]', "auth.scopes"),
        ('scopes = ["acme.tasks"]', 'resource = "{host}/api"', "auth.resource"),
    ],
)
def test_auth_errors_name_the_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_manifest(write(tmp_path, GOOD.replace(old, new)))
    assert key in str(err.value)
