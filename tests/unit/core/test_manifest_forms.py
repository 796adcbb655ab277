"""[[forms]] in manifest.toml: optional field mappings, purpose, record, subject, [forms.submit]."""

from __future__ import annotations

from pathlib import Path

import pytest

from launcher.core.errors import ConfigError
from launcher.core.manifest import SubmitSpec, load_manifest

HEAD = """
schema = 1
id = "acme.tasks"
name = "测试平台"
version = "1.0.0"
home = "{base_url}/"
origins = ["{base_url}", "https://api.acme.example/v1"]

[auth]
kind = "sso"
"""

FORM = """
[[forms]]
key = "safety_check"
name = "消防安全检查"
url = "{base_url}/check"
record = "inspection"
subject = "place"

[forms.submit]
method = "post"
url = "{base_url}/api/inspections"
body = { date = "{inspection.date}", result = "{inspection.result|text}", deadline = "{inspection.deadline|text?}", place = { name = "{place.name}", note = "{place.name}: {inspection.notes}" }, task = "{id}", source = "launcher", count = 1 }
headers = { "X-Token" = "{token}" }
success = "code"
success_values = [0, "200"]
review_values = ["202"]
message = "msg"
"""


def write(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "acme"
    folder.mkdir(exist_ok=True)
    path = folder / "manifest.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_form_with_its_submit_api(tmp_path: Path) -> None:
    form = load_manifest(write(tmp_path, HEAD + FORM)).forms[0]
    assert (form.key, form.name, form.url) == ("safety_check", "消防安全检查", "{base_url}/check")
    assert form.fields == {}  # declared by URL alone: the page is filled by its labels
    assert (form.purpose, form.record, form.subject) == ("record", "inspection", "place")
    submit = form.submit
    assert isinstance(submit, SubmitSpec)
    assert (submit.method, submit.url, submit.body_format) == (
        "POST", "{base_url}/api/inspections", "json")
    assert submit.body["place"]["name"] == "{place.name}" and submit.body["count"] == 1
    assert submit.headers == {"X-Token": "{token}"}
    assert (submit.success, submit.success_values, submit.review_values, submit.message) == (
        "code", ("0", "200"), ("202",), "msg")
    assert submit.template_keys() == ("inspection.date", "inspection.result",
                                      "inspection.deadline", "place.name", "inspection.notes")
    assert submit.required_keys() == ("inspection.date", "inspection.result", "place.name",
                                      "inspection.notes")


def test_defaults_of_a_plain_form(tmp_path: Path) -> None:
    text = HEAD + '[[forms]]\nkey = "k"\nurl = "{base_url}/f"\nfields = { "#n" = "person.name" }\n'
    form = load_manifest(write(tmp_path, text)).forms[0]
    assert form.fields == {"#n": "person.name"} and form.name == "k"
    assert (form.submit, form.purpose, form.record, form.subject) == (None, "record", "", "")


def test_an_account_page(tmp_path: Path) -> None:
    text = HEAD + '[[forms]]\nkey = "me"\nurl = "{base_url}/me"\npurpose = "account"\n'
    form = load_manifest(write(tmp_path, text)).forms[0]
    assert form.purpose == "account" and form.submit is None


def test_submit_on_a_declared_full_origin(tmp_path: Path) -> None:
    text = HEAD + FORM.replace('"{base_url}/api/inspections"',
                               '"https://api.acme.example/v1/records"')
    submit = load_manifest(write(tmp_path, text)).forms[0].submit
    assert submit is not None and submit.url == "https://api.acme.example/v1/records"


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('method = "post"', 'method = "DELETE"', "forms[0].submit.method", "must be one of"),
        ('url = "{base_url}/api/inspections"', 'url = "https://evil.example/collect"',
         "forms[0].submit.url", "platform's own origins"),
        ('url = "{base_url}/api/inspections"', 'url = "https://api.acme.example/v2/records"',
         "forms[0].submit.url", "platform's own origins"),
        ('url = "{base_url}/api/inspections"', 'url = "javascript:alert(1)"',
         "forms[0].submit.url", "full http(s) URL"),
        ('url = "{base_url}/api/inspections"', 'url = "{base_url}/api/{task}"',
         "forms[0].submit.url", "unknown placeholder {task}"),
        ('date = "{inspection.date}"', 'date = "{Inspection Date}"', "forms[0].submit.body.date",
         "no dictionary key"),
        ('date = "{inspection.date}"', 'date = "{username}"', "forms[0].submit.body.date",
         "no dictionary key"),
        ('note = "{place.name}: {inspection.notes}"', 'note = "{x}"',
         "forms[0].submit.body.place.note", "{x}"),
        ('date = "{inspection.date}"', 'date = "{inspection.date|code}"',
         "forms[0].submit.body.date", "after | comes text"),
        ('date = "{inspection.date}"', 'date = "{inspection.date?x}"',
         "forms[0].submit.body.date", "no dictionary key"),
        ("count = 1", "when = 1979-05-27", "forms[0].submit.body", "JSON"),
        ('message = "msg"', 'body_format = "xml"', "forms[0].submit.body_format",
         "must be one of"),
        ('message = "msg"', 'body_format = "form"', "forms[0].submit.body", "only strings"),
        ('"X-Token" = "{token}"', '"Content-Type" = "text/plain"',
         'forms[0].submit.headers.Content-Type', "set by the launcher"),
        ('"X-Token" = "{token}"', '"X-Name" = "{person.name}"', "forms[0].submit.headers.X-Name",
         "unknown placeholder"),
        ('success = "code"\n', "", "forms[0].submit.success_values", "only with success"),
        ('review_values = ["202"]', 'review_values = ["200"]', "forms[0].submit.review_values",
         "a success code too"),
        ('success_values = [0, "200"]\n', "", "forms[0].submit.success_values", "at least one"),
        ('message = "msg"', 'mesage = "msg"', "forms[0].submit.mesage", "not a known key"),
        ('record = "inspection"', 'record = "Inspection Record"', "forms[0].record",
         "record group"),
        ('subject = "place"', 'subject = "shop"', "forms[0].subject", "must be one of"),
        ('subject = "place"', 'purpose = "minutes"', "forms[0].purpose", "must be one of"),
        ('subject = "place"', 'purpose = "account"', "forms[0].record", "does not apply"),
        ('name = "消防安全检查"', 'fields = { "#n" = "name" }', 'forms[0].fields.#n',
         "dictionary key"),
    ],
)
def test_bad_forms_name_file_key_and_problem(
    tmp_path: Path, old: str, new: str, key: str, problem: str
) -> None:
    text = HEAD + FORM.replace(old, new, 1)
    assert text != HEAD + FORM
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_manifest(path)
    assert info.value.key == key, str(info.value)
    assert problem in info.value.problem, info.value.problem
    assert info.value.path == path


def test_a_submit_needs_a_body(tmp_path: Path) -> None:
    lines = [line for line in FORM.splitlines() if not line.startswith("body = ")]
    with pytest.raises(ConfigError) as info:
        load_manifest(write(tmp_path, HEAD + "\n".join(lines)))
    assert info.value.key == "forms[0].submit.body" and "required" in info.value.problem


def test_the_shipped_plugins_still_load() -> None:
    paths = sorted(Path("plugins").glob("*/manifest.toml"))
    assert len(paths) > 5
    assert sum(bool(load_manifest(path).forms) for path in paths) > 5
