"""Photos into real upload widgets (resources/autofill/files.js): a native file input, Element UI's
and Element Plus's el-upload, Ant Design Vue's a-upload and layui's upload each take a small PNG
made here, and the framework's own file list shows it; a field the plan does not name, a file
the input does not accept and a page of another origin get nothing; no file dialog is opened."""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import Any

import pytest

from tests.form_corpus.harness import PageTab, fill, mount, read_model, scan
from tests.form_corpus.server import CorpusServer

pytestmark = pytest.mark.webengine


def png(width: int = 3, height: int = 2) -> bytes:
    """A real PNG image (red pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0,
                                                             0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png()
PHOTO = {"name": "现场1.png", "type": "image/png", "data": base64.b64encode(PNG).decode()}
SHOWN = f"现场1.png:image/png:{len(PNG)}"


def only(scan_: dict[str, Any], **match: Any) -> dict[str, Any]:
    found = [f for f in scan_["fields"] if all(f.get(k) == v for k, v in match.items())]
    assert len(found) == 1, (match, [(f["ref"], f["widget"], f["label"], f["selector"])
                                     for f in scan_["fields"]])
    return found[0]


def plan(field: dict[str, Any], file: dict[str, str] | None = PHOTO) -> dict[str, Any]:
    planned = {"ref": field["ref"], "frame": field["frame"], "selector": field["selector"],
               "widget": field["widget"], "value": "现场1.png"}
    if file is not None:
        planned["file"] = file
    return planned


PDF = {"name": "整改报告.pdf", "type": "application/pdf",
       "data": base64.b64encode(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n").decode()}


def listed(tab: PageTab, selector: str) -> list[str]:
    """The texts of the framework's file list items (what the person sees)."""
    query = json.dumps(selector)
    answer = tab.run(f"JSON.stringify([...document.querySelectorAll({query})]"
                     ".map(e => e.textContent.trim()))")
    return list(json.loads(answer))


UPLOADS = [
    ("uploads", "现场照片", "native", ""),
    ("uploads", "隐患照片", "eui", ".el-upload-list__item"),
    ("uploads", "整改照片", "layui", "#layList .lay-file"),
    ("uploads_vue3", "现场照片", "ep", ".el-upload-list__item"),
    ("uploads_vue3", "整改照片", "antd", ".ant-upload-list-item"),
]


@pytest.mark.parametrize(("page", "label", "prop", "items"), UPLOADS)
def test_each_upload_takes_the_photo_and_nothing_else_is_touched(
    corpus: CorpusServer, tab: PageTab, page: str, label: str, prop: str, items: str
) -> None:
    mount(tab, corpus.url(page))
    before = read_model(tab)
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    field = only(scanned, label=label, widget="file")
    result = fill(tab, corpus.origin, [plan(field)])
    assert result is not None and result["results"] == {field["ref"]: "ok"}
    model = read_model(tab)
    # layui's own choose callback sees the file's name only.
    assert model[prop] == (["现场1.png"] if prop == "layui" else [SHOWN])
    # The fields the plan does not name are untouched, and no file input was ever clicked.
    assert {k: v for k, v in model.items() if k != prop} == {
        k: v for k, v in before.items() if k != prop}
    assert model["fileClicks"] == 0
    if items:
        assert [text for text in listed(tab, items) if "现场1.png" in text], listed(tab, items)

    # Filled again: the page already holds it, nothing is added twice.
    again = fill(tab, corpus.origin, [plan(field)])
    assert again is not None and again["results"] == {field["ref"]: "unchanged"}
    assert read_model(tab)[prop] == model[prop]


def test_a_pdf_goes_only_where_the_input_accepts_it(corpus: CorpusServer, tab: PageTab) -> None:
    mount(tab, corpus.url("uploads"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    photo = only(scanned, label="现场照片")  # accept="image/*"
    report = only(scanned, label="检查报告（PDF）")  # accept=".pdf"
    result = fill(tab, corpus.origin, [plan(photo, PDF), plan(report, PDF)])
    assert result is not None
    assert result["results"] == {photo["ref"]: "rejected", report["ref"]: "ok"}
    model = read_model(tab)
    assert model["native"] == []
    assert model["pdf"] == [f"整改报告.pdf:application/pdf:{len(base64.b64decode(PDF['data']))}"]


def test_without_a_file_of_the_plan_nothing_is_put_in(corpus: CorpusServer, tab: PageTab) -> None:
    mount(tab, corpus.url("uploads"))
    before = read_model(tab)
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    photo = only(scanned, label="现场照片")
    proof = only(scanned, label="整改证明")
    eui = only(scanned, label="隐患照片")
    page_html = dict(PHOTO, type="text/html", name="x.html")
    result = fill(tab, corpus.origin, [
        plan(photo, None),  # a path as the value, no file: never read by the page
        plan(proof, page_html),  # not an image or a PDF
        plan(eui, dict(PHOTO, data="not base64!")),
    ])
    assert result is not None
    assert result["results"] == {photo["ref"]: "rejected", proof["ref"]: "rejected",
                                 eui["ref"]: "rejected"}
    assert read_model(tab) == before


def test_a_page_of_another_origin_gets_nothing(corpus: CorpusServer, tab: PageTab) -> None:
    other = corpus.other_origin + "/uploads.html"
    mount(tab, other)
    before = read_model(tab)
    scanned = scan(tab, corpus.other_origin)
    assert scanned is not None
    planned = [plan(f) for f in scanned["fields"] if f["widget"] == "file"]
    assert len(planned) == 5
    # The plan was made for the corpus's origin: this page is another's.
    result = fill(tab, corpus.origin, planned)
    assert result is not None and result["refused"] == "origin"
    assert set(result["results"].values()) <= {"frame"}
    assert read_model(tab) == before


def test_the_matcher_puts_the_photo_into_its_upload_only(corpus: CorpusServer, tab: PageTab,
                                                         tmp_path: Any) -> None:
    from launcher.app.fill import _with_uploads
    from launcher.core.manifest import load_manifest
    from launcher.core.profile.autofill import FillValues, fill_fields, plan_page
    from launcher.core.profile.fields import load_fields
    from launcher.core.registry import Platform

    photo = tmp_path / "现场1.png"
    photo.write_bytes(PNG)
    mount(tab, corpus.url("uploads"))
    scanned = scan(tab, corpus.origin)
    assert scanned is not None
    fields = load_fields()
    values = FillValues({"inspection.photo": str(photo), "person.name": "王建国"},
                        {"inspection.photo": "record", "person.name": "profile"})
    plugin = tmp_path / "corpus"
    plugin.mkdir()
    (plugin / "manifest.toml").write_text(
        'schema = 1\nid = "test.uploads"\nname = "上传"\nversion = "1.0.0"\n'
        'home = "{base_url}/"\norigins = ["{base_url}"]\n[auth]\nkind = "sso"\n',
        encoding="utf-8")
    platform = Platform(load_manifest(plugin / "manifest.toml"), corpus.origin)
    plan = plan_page(platform, tab.url(), scanned, values, fields)
    assert plan is not None
    # 现场照片 is the key's own label; 隐患照片 and 整改照片 are other photos of the page.
    [field] = [f for f in plan.fields if f.key == "inspection.photo"]
    assert only(scanned, label="现场照片")["ref"] == field.ref
    plan, uploads = _with_uploads(plan, fields)
    assert str(tmp_path) not in repr(plan)
    sent = [{**f, "file": uploads[f["ref"]].payload()} if f["ref"] in uploads else f
            for f in fill_fields(plan)]
    result = fill(tab, corpus.origin, sent)
    assert result is not None and result["results"][field.ref] == "ok"
    assert read_model(tab)["native"] == [SHOWN]
