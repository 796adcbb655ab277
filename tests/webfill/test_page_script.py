"""The page scripts as text and their answers as data: values are always JavaScript literals,
never code; what a page answers is checked and bounded before anyone uses it; PageFill always
ends a call, even when the page never answers."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from launcher.core.profile.page_script import (
    fill_script,
    parse_poll,
    parse_scan,
    poll_script,
    scan_script,
)
from launcher.ui.page_fill import PageFill

HOSTILE = '"); alert(1); ("\u2028\u2029</script><script>x()</script>\\'


def payload(script: str) -> Any:
    """The request a script carries: the JSON after the engine's closing ``})(``."""
    head, _, tail = script.rpartition("})(")
    assert head and tail.endswith(");")
    return json.loads(tail[:-2])


def test_values_are_json_literals_not_code() -> None:
    script = fill_script("http://a.test:80", [{"ref": "0/1", "frame": "0",
                                                "selector": "#x", "widget": "text",
                                                "value": HOSTILE}], HOSTILE)
    assert "\u2028" not in script and "\u2029" not in script
    request = payload(script)
    assert request == {"op": "fill", "origin": "http://a.test:80", "token": HOSTILE,
                       "fields": [{"ref": "0/1", "frame": "0", "selector": "#x",
                                   "widget": "text", "value": HOSTILE}]}
    assert payload(scan_script(HOSTILE, [HOSTILE])) == {"op": "scan", "origin": HOSTILE,
                                                       "selectors": [HOSTILE]}
    assert payload(poll_script("t1")) == {"op": "poll", "token": "t1"}


def test_fill_script_passes_only_what_the_engine_uses_and_bounds_it() -> None:
    fields = [{"ref": str(i), "frame": "0", "selector": "#a", "widget": "cascader",
               "value": "x" * 10_000, "label": "not sent", "path": ["省", "市", 3]}
              for i in range(400)]
    request = payload(fill_script("http://a.test", fields, "t"))
    assert len(request["fields"]) == 300
    first = request["fields"][0]
    assert set(first) == {"ref", "frame", "selector", "widget", "value", "path"}
    assert len(first["value"]) == 4000
    assert first["path"] == ["省", "市", "3"]


def test_parse_scan_checks_types_and_bounds_texts() -> None:
    good = {"ref": "0/0", "frame": "0", "selector": "#a", "widget": "select",
            "label": "户" * 500, "options": [{"text": "t" * 300, "value": 1}] * 500,
            "required": "yes", "visible": True, "selectors": ["#a", 5]}
    answer = json.dumps({"origin": "http://a.test", "url": "http://a.test/f", "title": "t",
                         "refused": "", "mapped": {"#a": "0/0", "#b": "9/9", "#c": 3},
                         "fields": [good, {"ref": "0/1", "selector": "#b", "widget": "rocket"},
                                    "junk", {"widget": "text"}]})
    scan = parse_scan(answer)
    assert scan is not None
    assert [f["ref"] for f in scan["fields"]] == ["0/0"]
    field = scan["fields"][0]
    assert len(field["label"]) == 80
    assert len(field["options"]) == 200
    assert field["options"][0] == {"text": "t" * 80, "value": "1"}
    assert (field["required"], field["visible"], field["disabled"]) == (False, True, False)
    assert field["selectors"] == ["#a"]
    assert scan["mapped"] == {"#a": "0/0"}
    assert parse_scan("not json") is None
    assert parse_scan(json.dumps([1, 2])) is None
    assert parse_scan(None) is None


def test_parse_poll() -> None:
    assert parse_poll("null") is None
    assert parse_poll(json.dumps({"done": False})) is None
    done = parse_poll(json.dumps({"done": True, "refused": "",
                                  "results": {"0/1": "ok", "0/2": "<b>boom</b>",
                                              "0/3": "error: x"}}))
    assert done == {"done": True, "refused": "",
                    "results": {"0/1": "ok", "0/2": "error: <b>boom</b>", "0/3": "error: x"}}


class SilentTab:
    """A tab whose page never answers (closed, hung)."""

    def __init__(self) -> None:
        self.scripts: list[str] = []

    def url(self) -> str:
        return "http://a.test/f"

    def run_js(self, script: str, callback: Callable[[Any], None], *,
               isolated: bool = False) -> None:
        assert isolated
        self.scripts.append(script)


class ScriptedTab(SilentTab):
    """Answers each script with the next of ``answers`` (a callable gets the request)."""

    def __init__(self, answer: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__()
        self.answer = answer

    def run_js(self, script: str, callback: Callable[[Any], None], *,
               isolated: bool = False) -> None:
        super().run_js(script, callback, isolated=isolated)
        callback(self.answer(payload(script)))


def test_a_page_that_never_answers_still_ends_the_fill(qtbot: Any) -> None:
    import launcher.ui.page_fill as module

    got: list[Any] = []
    filler = PageFill(SilentTab())
    old = module.ANSWER_GRACE_MS
    module.ANSWER_GRACE_MS = 0
    try:
        filler.fill("http://a.test", [{"ref": "0/0", "frame": "0", "selector": "#a",
                                       "widget": "text", "value": "v"}], got.append,
                    timeout_ms=50)
        qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    finally:
        module.ANSWER_GRACE_MS = old
    assert got == [{"done": True, "results": {"0/0": "timeout"}, "refused": ""}]


def test_scan_rescans_until_fields_appear(qtbot: Any) -> None:
    calls: list[int] = []

    def answer(request: dict[str, Any]) -> str:
        calls.append(1)
        fields = [] if len(calls) < 3 else [{"ref": "0/0", "frame": "0", "selector": "#a",
                                             "widget": "text"}]
        return json.dumps({"origin": "http://a.test", "refused": "", "fields": fields})

    got: list[Any] = []
    PageFill(ScriptedTab(answer)).scan("http://a.test", got.append, wait_ms=60_000)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert len(calls) == 3
    assert [f["ref"] for f in got[0]["fields"]] == ["0/0"]


def test_fill_polls_until_done_and_gives_every_ref_a_result(qtbot: Any) -> None:
    polls: list[int] = []

    def answer(request: dict[str, Any]) -> Any:
        if request["op"] == "fill":
            return json.dumps({"started": request["token"]})
        polls.append(1)
        if len(polls) < 2:
            return "null"
        return json.dumps({"done": True, "refused": "", "results": {"0/0": "ok"}})

    got: list[Any] = []
    fields = [{"ref": r, "frame": "0", "selector": "#a", "widget": "text", "value": "v"}
              for r in ("0/0", "0/1")]
    PageFill(ScriptedTab(answer)).fill("http://a.test", fields, got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert got == [{"done": True, "results": {"0/0": "ok", "0/1": "timeout"}, "refused": ""}]


@pytest.mark.parametrize("started", ['{"started": "someone else"}', "", None, "[]"])
def test_a_start_that_is_not_ours_ends_with_none(qtbot: Any, started: Any) -> None:
    got: list[Any] = []
    PageFill(ScriptedTab(lambda request: started)).fill(
        "http://a.test", [{"ref": "0/0", "frame": "0", "selector": "#a", "widget": "text",
                           "value": "v"}], got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    assert got == [None]


def test_a_new_call_cancels_the_one_before(qtbot: Any) -> None:
    first: list[Any] = []
    second: list[Any] = []
    tab = SilentTab()
    filler = PageFill(tab)
    filler.scan("http://a.test", first.append, wait_ms=60_000)
    filler.cancel()
    filler = PageFill(ScriptedTab(lambda r: json.dumps({"refused": "origin", "fields": []})))
    filler.scan("http://a.test", second.append)
    qtbot.waitUntil(lambda: bool(second), timeout=10_000)
    assert first == []
    assert second[0]["refused"] == "origin"


def test_the_engine_ships_in_the_wheel() -> None:
    """Every part of the engine is in the resources folder and matched by the package data that
    ships it inside the wheel (launcher/_data/resources)."""
    import fnmatch
    import tomllib
    from pathlib import Path

    from launcher.core.paths import resources_dir
    from launcher.core.profile.page_script import ENGINE_DIR, ENGINE_PARTS

    root = Path(__file__).resolve().parents[2]
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = pyproject["tool"]["setuptools"]["package-data"]["launcher._data.resources"]
    for part in ENGINE_PARTS:
        assert (resources_dir() / ENGINE_DIR / part).is_file()
        relative = f"{ENGINE_DIR}/{part}"
        assert any(fnmatch.fnmatch(relative, g) and g.count("/") == relative.count("/")
                   for g in globs), f"{relative} is not in the package data {globs}"


def test_a_page_answering_after_its_filler_was_deleted_is_ignored(qtbot: Any) -> None:
    import shiboken6

    class LateTab(SilentTab):
        def __init__(self) -> None:
            super().__init__()
            self.callbacks: list[Callable[[Any], None]] = []

        def run_js(self, script: str, callback: Callable[[Any], None], *,
                   isolated: bool = False) -> None:
            super().run_js(script, callback, isolated=isolated)
            self.callbacks.append(callback)

    tab = LateTab()
    got: list[Any] = []
    filler = PageFill(tab)
    filler.fill("http://a.test", [{"ref": "0/0", "frame": "0", "selector": "#a",
                                   "widget": "text", "value": "v"}], got.append)
    token = payload(tab.scripts[0])["token"]
    shiboken6.delete(filler)
    tab.callbacks[0](json.dumps({"started": token}))  # must not raise
    qtbot.wait(10)
    assert got == []
