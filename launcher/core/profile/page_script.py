"""The page engine's scripts: scan a form page, fill it, poll the fill (contract C3).

Each script is the engine (``resources/autofill/*.js``, joined in order) wrapped in one function
that receives its request serialised by ``json.dumps``, to run with ``runJavaScript`` in the
launcher's isolated world. Each evaluates to a JSON string:

- :func:`scan_script` — ``{"origin", "url", "title", "refused", "fields": [...]}``; ``refused``
  is ``"origin"`` when the page is not of the given origin (then no field is read).
- :func:`fill_script` — ``{"started": token}`` at once (plus ``"refused": "origin"`` when the
  page is not of the given origin: nothing is touched); the fill goes on in the page.
- :func:`poll_script` — ``null`` while the fill runs, then ``{"done": true, "results": {ref:
  code}, "refused": ""}``; ``refused`` is ``"gone"`` when the document the fill started in is no
  longer there (the page navigated away).

The scripts act only when ``location.origin`` is the given origin, and descend only into frames
of that same origin.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from typing import Any

ENGINE_DIR = "autofill"
ENGINE_PARTS = ("core.js", "scan.js", "files.js", "drivers.js", "main.js")

RESULT_CODES = frozenset({
    "ok", "unchanged", "missing", "no-option", "readonly", "password", "rejected", "timeout",
    "frame",
})
"""The fill results of C3 (besides ``"error: ..."``)."""

_FIELD_KEYS = ("ref", "frame", "selector", "widget", "value", "multiple")
MAX_FIELDS = 300
MAX_VALUE = 4000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_FILE_DATA = -(-MAX_FILE_BYTES // 3) * 4
"""A file's data in base64 (an upload of at most :data:`MAX_FILE_BYTES`)."""
MAX_FILES = 8
FILE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp",
                        "application/pdf"})


def scan_script(origin: str, selectors: Iterable[str] = ()) -> str:
    """The script that scans the page (and its frames of ``origin``) for fillable fields.

    ``selectors`` (a manifest's mapped selectors, optional): the answer then also has
    ``"mapped": {selector: ref}``, the field each selector finds in the page (in any frame of
    the origin; a selector inside a widget finds the widget's field)."""
    chosen = [str(s)[:1000] for s in list(selectors)[:MAX_FIELDS]]
    return _wrap({"op": "scan", "origin": origin, "selectors": chosen})


def fill_script(origin: str, fields: Iterable[Mapping[str, Any]], token: str) -> str:
    """The script that starts filling ``fields`` (C3 field dicts) and answers at once.

    Only the keys the engine uses are passed on; values are bounded. A field may carry ``file``
    ({name, type, data in base64}: an image or PDF the launcher read, for a file input the plan
    names); at most :data:`MAX_FILES` of them."""
    clean: list[dict[str, Any]] = []
    files = 0
    for field in list(fields)[:MAX_FIELDS]:
        item: dict[str, Any] = {}
        for key in _FIELD_KEYS:
            if key in field:
                value = field[key]
                item[key] = value if isinstance(value, bool) else str(value)[:MAX_VALUE]
        path = field.get("path")
        if isinstance(path, (list, tuple)):
            item["path"] = [str(p)[:200] for p in path[:10]]
        upload = _file(field.get("file"))
        if upload is not None and files < MAX_FILES:
            item["file"] = upload
            files += 1
        clean.append(item)
    return _wrap({"op": "fill", "origin": origin, "fields": clean, "token": str(token)})


def _file(given: Any) -> dict[str, str] | None:
    """A field's ``file`` ({name, type, data: base64}) when it is one the engine takes: an image
    or a PDF of at most :data:`MAX_FILE_BYTES`; else None (the page engine then refuses the field
    and touches nothing)."""
    if not isinstance(given, Mapping):
        return None
    name, kind, data = (given.get(k) for k in ("name", "type", "data"))
    if not (isinstance(name, str) and isinstance(kind, str) and isinstance(data, str)):
        return None
    if not name.strip() or kind not in FILE_TYPES or not data or len(data) > MAX_FILE_DATA:
        return None
    return {"name": name[:200], "type": kind, "data": data}


def poll_script(token: str) -> str:
    """The script that tells how the fill ``token`` went (``null`` while it runs)."""
    return _wrap({"op": "poll", "token": str(token)})


def _wrap(args: dict[str, Any]) -> str:
    # json.dumps escapes every quote, backslash and line separator (ensure_ascii also turns U+2028
    # and U+2029 into escapes), so each value is one JavaScript literal and never code.
    payload = json.dumps(args, ensure_ascii=True)
    return f"(function (ARGS) {{\n\"use strict\";\n{_engine()}\n}})({payload});"


@functools.cache
def _engine() -> str:
    from launcher.core.paths import resources_dir

    folder = resources_dir() / ENGINE_DIR
    return "\n".join((folder / part).read_text(encoding="utf-8") for part in ENGINE_PARTS)


_TEXT_KEYS = {"label": 80, "placeholder": 80, "name": 80, "id": 80, "autocomplete": 40,
              "nearby": 80, "section": 80, "value": 200, "ref": 40, "frame": 40,
              "selector": 1000, "widget": 20, "framework": 20, "layui": 8}
_BOOL_KEYS = ("multiple", "required", "disabled", "readonly", "visible", "search")
WIDGETS = frozenset({"text", "textarea", "number", "date", "datetime", "select", "radio",
                     "checkbox", "switch", "cascader", "file", "password"})


def parse_scan(answer: Any) -> dict[str, Any] | None:
    """The scan script's answer as a checked dict (page text is hostile: types checked, texts
    bounded, at most :data:`MAX_FIELDS` fields), or None when it is not a scan answer."""
    data = _decode(answer)
    if not isinstance(data, dict) or not isinstance(data.get("fields", []), list):
        return None
    fields: list[dict[str, Any]] = []
    for raw in data.get("fields", [])[:MAX_FIELDS]:
        if not isinstance(raw, dict):
            continue
        field: dict[str, Any] = {}
        for key, size in _TEXT_KEYS.items():
            value = raw.get(key, "")
            field[key] = (value if isinstance(value, str) else "")[:size]
        for key in _BOOL_KEYS:
            field[key] = raw.get(key) is True
        if field["widget"] not in WIDGETS or not field["ref"] or not field["selector"]:
            continue
        selectors = raw.get("selectors")
        field["selectors"] = [s[:1000] for s in selectors[:4] if isinstance(s, str)] if (
            isinstance(selectors, list)) else [field["selector"]]
        options = raw.get("options")
        field["options"] = [
            {"text": str(o.get("text", ""))[:80], "value": str(o.get("value", ""))[:80]}
            for o in (options if isinstance(options, list) else [])[:200]
            if isinstance(o, dict)
        ]
        fields.append(field)
    refs = {f["ref"] for f in fields}
    mapped_raw = data.get("mapped")
    mapped = {str(k)[:1000]: v for k, v in (mapped_raw.items() if isinstance(mapped_raw, dict)
                                           else []) if isinstance(v, str) and v in refs}
    return {
        "mapped": mapped,
        "origin": str(data.get("origin", ""))[:200],
        "url": str(data.get("url", ""))[:2000],
        "title": str(data.get("title", ""))[:80],
        "refused": str(data.get("refused", ""))[:200],
        "fields": fields,
    }


def parse_poll(answer: Any) -> dict[str, Any] | None:
    """The poll script's answer: None while the fill runs, else ``{"done": True, "results":
    {ref: code}, "refused": str}`` with codes checked (anything else becomes ``"error: ..."``)."""
    data = _decode(answer)
    if not isinstance(data, dict) or data.get("done") is not True:
        return None
    results: dict[str, str] = {}
    raw = data.get("results")
    for ref, code in (raw.items() if isinstance(raw, dict) else []):
        text = str(code)[:200]
        results[str(ref)[:40]] = text if text in RESULT_CODES or text.startswith("error: ") else (
            "error: " + text)
    return {"done": True, "results": results, "refused": str(data.get("refused", ""))[:200]}


def _decode(answer: Any) -> Any:
    if isinstance(answer, str):
        try:
            return json.loads(answer)
        except ValueError:
            return None
    return answer
