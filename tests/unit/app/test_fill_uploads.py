"""A record's photo into a page's file input (launcher/app/fill.py): the plan reads the file on the
worker, only an image or a PDF of at most 10 MB told by its first bytes; the preview's value is its
name and size, never its folders; the page engine gets the bytes for that field alone; a file
refused is not sent and the outcome says why; a path never goes into a text box."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest

from launcher.app.fill import (
    MAX_UPLOAD_BYTES,
    Fill,
    FillContext,
    FillOutcome,
    Planned,
    file_size,
    read_upload,
    sniff,
)
from launcher.app.refresh import Inline
from launcher.core.registry import Platform
from tests.unit.app.test_fill import (
    BASE,
    FORM,
    FakeServices,
    OneRegistry,
    Profile,
    Record,
    records,
    scanned,
)
from tests.unit.core._platforms import FORMS, make_platform

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 1500
TASK = "demo.anquan/T-7"


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return make_platform(tmp_path, BASE, forms=FORMS)


@pytest.fixture
def services(platform: Platform) -> Any:
    return FakeServices(OneRegistry(platform), Profile(), records())


def photo_scan(*more: dict[str, Any]) -> dict[str, Any]:
    """安全排查's scan with a file input labelled 现场照片 (and ``more`` fields)."""
    scan = scanned()
    base = dict(scan["fields"][0])
    scan["fields"].append({**base, "ref": "0/9", "selector": "#xczp", "id": "xczp",
                           "widget": "file", "label": "现场照片"})
    scan["fields"].extend({**base, **f} for f in more)
    return scan


def plan_with_photo(services: Any, platform: Platform, path: str,
                    scan: dict[str, Any] | None = None) -> tuple[Fill, Planned]:
    record = services.records.record("r1")
    services.records.all_records.remove(record)
    services.records.all_records.append(
        Record(record.id, record.kind, record.subject_id,
               {**record.values, "inspection.photo": path}, record.updated))
    fill = Fill(services, Inline())
    got: list[Any] = []
    fill.plan(platform, FORM, scan or photo_scan(), FillContext(task_key=TASK), got.append,
              got.append, got.append)
    [planned] = got
    assert isinstance(planned, Planned), planned
    return fill, planned


def test_the_photo_goes_into_the_file_input_with_its_bytes(
    services: Any, platform: Platform, tmp_path: Path
) -> None:
    folder = tmp_path / "张伟的照片"
    folder.mkdir()
    photo = folder / "现场1.png"
    photo.write_bytes(PNG)
    fill, planned = plan_with_photo(services, platform, str(photo))
    [field] = [f for f in planned.plan.fields if f.key == "inspection.photo"]
    assert (field.ref, field.widget, field.source) == ("0/9", "file", "record")
    # The preview shows the name and size; no folder of this PC ever reaches the page or a label.
    assert field.value == "现场1.png · 1 KB"
    assert "张伟的照片" not in repr(planned.plan)
    [sent] = [f for f in fill.fields_to_fill(planned, [field.ref, "0/0"])
              if f["ref"] == field.ref]
    assert sent["file"] == {"name": "现场1.png", "type": "image/png",
                            "data": base64.b64encode(PNG).decode()}
    others = fill.fields_to_fill(planned, ["0/0"])
    assert [f["ref"] for f in others] == ["0/0"] and "file" not in others[0]
    outcome = fill.answered(planned, [field.ref], {"done": True, "results": {field.ref: "ok"}})
    assert isinstance(outcome, FillOutcome) and outcome.keys == ("inspection.photo",)


def test_a_path_never_goes_into_a_text_box(
    services: Any, platform: Platform, tmp_path: Path
) -> None:
    photo = tmp_path / "a.png"
    photo.write_bytes(PNG)
    scan = scanned()  # 现场照片 as a text input only
    base = dict(scan["fields"][0])
    scan["fields"].append({**base, "ref": "0/9", "selector": "#xczp", "label": "现场照片"})
    _, planned = plan_with_photo(services, platform, str(photo), scan)
    assert all(f.key != "inspection.photo" for f in planned.plan.fields)
    assert all(str(tmp_path) not in f.value for f in planned.plan.fields)


@pytest.mark.parametrize(("make", "refused"), [
    (lambda d: d / "gone.png", "file-missing"),
    (lambda d: "relative/现场1.png", "file-missing"),
    (lambda d: d, "file-missing"),  # a folder
    (lambda d: _write(d / "看着像.png", b"<html>not an image</html>"), "file-type"),
    (lambda d: _sparse(d / "big.jpg", MAX_UPLOAD_BYTES + 1), "file-too-big"),
])
def test_a_file_refused_is_not_sent_and_the_outcome_says_why(
    services: Any, platform: Platform, tmp_path: Path, make: Any, refused: str
) -> None:
    fill, planned = plan_with_photo(services, platform, str(make(tmp_path)))
    [field] = [f for f in planned.plan.fields if f.key == "inspection.photo"]
    assert str(tmp_path) not in field.value
    assert field.ref not in {f["ref"] for f in fill.fields_to_fill(planned, [field.ref])}
    outcome = fill.answered(planned, [field.ref], {"done": True, "results": {}})
    assert isinstance(outcome, FillOutcome)
    assert [(f.key, code) for f, code in outcome.failed] == [("inspection.photo", refused)]


def test_a_file_is_known_by_its_first_bytes(tmp_path: Path) -> None:
    assert sniff(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"XXXX\x00\x00\x00\x00WEBPVP8 ") == ""
    assert sniff(b"%PDF-1.7") == "application/pdf"
    assert sniff(b"MZ\x90\x00") == ""
    pdf = _write(tmp_path / "报告.PNG", b"%PDF-1.4\n%%EOF\n")  # its name says nothing
    upload = read_upload(str(pdf))
    assert (upload.name, upload.type, upload.refused) == ("报告.PNG", "application/pdf", "")
    # A Windows path names its file after the last backslash.
    assert read_upload("C:\\照片\\现场.png").name == "现场.png"
    assert [file_size(n) for n in (830, 12 * 1024, 1468006)] == ["830 B", "12 KB", "1.4 MB"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.write(b"\xff\xd8\xff")
        handle.truncate(size)
    return path
