"""What the engine must never do, in real pages: touch a password, a file input, a read-only or
disabled field, a frame of another origin, or any page that is not of the origin it was given."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.form_corpus.harness import PageTab, fill, mount, read_model, scan, wait_until
from tests.form_corpus.server import CorpusServer

pytestmark = pytest.mark.webengine


def field_by(scan_: dict[str, Any], **match: str) -> dict[str, Any]:
    found = [f for f in scan_["fields"] if all(f.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, [(f["ref"], f["label"], f["id"]) for f in scan_["fields"]])
    return found[0]


def planned(field: dict[str, Any], value: str) -> dict[str, Any]:
    return {"ref": field["ref"], "frame": field["frame"], "selector": field["selector"],
            "widget": field["widget"], "value": value}


@pytest.mark.parametrize(("name", "ids"), [
    ("element_ui", {"password": "mm", "file": "zp", "readonly": "dabh"}),
    ("element_plus", {"password": "pwd", "readonly": "status"}),
    ("antd", {"password": "rent_pwd", "readonly": "rent_serial"}),
])
def test_password_file_and_read_only_fields_are_left_alone(
    corpus: CorpusServer, tab: PageTab, name: str, ids: dict[str, str]
) -> None:
    mount(tab, corpus.url(name))
    before = read_model(tab)
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    fields = {why: field_by(scanned, id=ident) for why, ident in ids.items()}
    assert fields["password"]["widget"] == "password"
    assert fields["password"]["value"] == ""  # a password's value is never read either
    if "file" in fields:
        assert fields["file"]["widget"] == "file"
    assert fields["readonly"]["readonly"] or fields["readonly"]["disabled"]

    result = fill(tab, corpus.origin, [planned(f, "hunter2") for f in fields.values()])
    assert result is not None
    assert result["results"] == {
        fields[why]["ref"]: {"password": "password", "file": "rejected",
                             "readonly": "readonly"}[why] for why in fields}
    assert read_model(tab) == before


def test_native_table_page_skips_what_a_person_could_not_type(
    corpus: CorpusServer, tab: PageTab
) -> None:
    mount(tab, corpus.url("table_html"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    kl = field_by(scanned, name="kl")
    zp = field_by(scanned, name="xczp")
    dw = field_by(scanned, name="dwbh")
    ty = field_by(scanned, name="ty")
    assert (dw["readonly"], ty["disabled"]) == (True, True)
    result = fill(tab, corpus.origin, [planned(kl, "x"), planned(zp, "/etc/passwd"),
                                       planned(dw, "x"), planned(ty, "x")])
    assert result is not None
    assert result["results"] == {kl["ref"]: "password", zp["ref"]: "rejected",
                                 dw["ref"]: "readonly", ty["ref"]: "readonly"}
    model = read_model(tab)
    assert (model["kl"], model["dwbh"], model["ty"]) == ("", "DW-7", "")
    assert tab.run("document.querySelector('input[name=xczp]').files.length") == 0


def other_frame_values(tab: PageTab) -> list[str]:
    """What the other origin's frame holds, asked by message (the only way across origins)."""
    tab.run("window.__otherValues = null; window.__model(); true")
    answer = wait_until(lambda: tab.run("JSON.stringify(window.__otherValues)") != "null"
                        and tab.run("JSON.stringify(window.__otherValues)"), 30_000,
                        "the other frame's answer")
    values: list[str] = json.loads(answer)
    return values


def test_a_frame_of_another_origin_is_never_read_or_filled(
    corpus: CorpusServer, tab: PageTab
) -> None:
    mount(tab, corpus.url("iframe_cross"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    # Only the page's own two fields: nothing of the other origin's frame.
    assert [(f["frame"], f["id"]) for f in scanned["fields"]] == [("0", "name"), ("0", "phone")]
    # A plan that names the other frame anyway (a forged or stale plan) reaches nothing.
    forged = [{"ref": "0.0/0", "frame": "0.0", "selector": "#other_name", "widget": "text",
               "value": "张建国"},
              {"ref": "0/9", "frame": "0", "selector": "#other", "widget": "text",
               "value": "x"}]
    result = fill(tab, corpus.origin, forged)
    assert result is not None
    assert result["results"]["0.0/0"] == "frame"
    assert result["results"]["0/9"] != "ok"
    assert other_frame_values(tab) == ["", ""]
    # The same-origin fields still fill.
    own = [planned(field_by(scanned, id="name"), "王小明")]
    assert fill(tab, corpus.origin, own) == {"done": True, "results": {"0/0": "ok"},
                                             "refused": ""}
    assert read_model(tab)["name"] == "王小明"


def test_a_same_origin_frame_in_a_page_with_another_origins_frame(
    corpus: CorpusServer, tab: PageTab
) -> None:
    """iframe_same's form frame itself holds a frame of another origin: the form fills, that
    frame is not scanned."""
    mount(tab, corpus.url("iframe_same"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    assert {f["frame"] for f in scanned["fields"]} == {"0.0"}
    assert "other_name" not in {f["id"] for f in scanned["fields"]}


def test_a_page_of_another_origin_is_refused(corpus: CorpusServer, tab: PageTab) -> None:
    """The plan was made for one origin; the tab shows another (it navigated away, or was sent
    elsewhere): the scan reads nothing and the fill touches nothing, even where the same
    selectors exist."""
    tab.load(f"{corpus.other_origin}/other_origin.html")
    scanned = scan(tab, corpus.origin, wait_ms=0)
    assert scanned is not None
    assert (scanned["refused"], scanned["fields"]) == ("origin", [])
    fields = [{"ref": "0/0", "frame": "0", "selector": "#other_name", "widget": "text",
               "value": "张建国"}]
    result = fill(tab, corpus.origin, fields)
    assert result == {"done": True, "results": {"0/0": "frame"}, "refused": "origin"}
    assert tab.run("document.querySelector('#other_name').value") == ""
    # The very same plan on its own origin does fill: the refusal was the origin's.
    result = fill(tab, corpus.other_origin, fields)
    assert result is not None and result["results"] == {"0/0": "ok"}
    assert tab.run("document.querySelector('#other_name').value") == "张建国"


def test_a_page_that_fakes_its_globals_is_still_refused(corpus: CorpusServer,
                                                        tab: PageTab) -> None:
    """A hostile page replaces the built-ins a naive script would use to read its origin: the
    engine runs in the launcher's isolated world, where the page's replacements do not exist."""
    tab.load(f"{corpus.other_origin}/other_origin.html")
    host, port = corpus.origin.rsplit("/", 1)[1].split(":")
    tab.run(f"RegExp.prototype.exec = () => ['', 'http', '{host}', '{port}'];"
            "String.prototype.toLowerCase = function () { return 'x'; };"
            "URL = function () { return {origin: '" + corpus.origin + "'}; };"
            "JSON.parse = () => ({}); true")
    fields = [{"ref": "0/0", "frame": "0", "selector": "#other_name", "widget": "text",
               "value": "张建国"}]
    scanned = scan(tab, corpus.origin, wait_ms=0)
    assert scanned is not None and scanned["refused"] == "origin"
    result = fill(tab, corpus.origin, fields)
    assert result is not None and result["refused"] == "origin"
    assert tab.run("document.querySelector('#other_name').value") == ""


def test_a_page_that_navigated_away_during_the_fill_gets_nothing_more(
    corpus: CorpusServer, tab: PageTab
) -> None:
    """The fill's state lives in the document it started in: once the tab shows another page
    (here of another origin, with a field the plan names too), nothing more is filled there and
    the call ends with every field given a result."""
    from launcher.ui.page_fill import PageFill

    mount(tab, corpus.url("element_ui"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    fields = [planned(f, "13812345678") for f in scanned["fields"] if f["widget"] == "text"
              and not f["readonly"]]
    fields.append({"ref": "0/99", "frame": "0", "selector": "#other_name", "widget": "text",
                   "value": "张建国"})
    got: list[dict[str, Any] | None] = []
    PageFill(tab).fill(corpus.origin, fields, got.append)
    tab.load(f"{corpus.other_origin}/other_origin.html")
    wait_until(lambda: bool(got), 60_000, "the fill to end")
    result = got[0]
    assert result is not None
    assert set(result["results"]) == {f["ref"] for f in fields}
    assert result["results"]["0/99"] != "ok"
    assert tab.run("document.querySelector('#other_name').value") == ""
