"""Each framework page of the corpus, filled through its manifest mapping in a real Chromium page:
every widget's value reaches the framework's own model, the fields nobody mapped stay as they
were, and the framework's own validation passes (the form submits)."""

from __future__ import annotations

import pytest

from tests.form_corpus.harness import (
    PageTab,
    expected,
    mapping_planner,
    run_page,
    same_value,
    truth,
)
from tests.form_corpus.server import CorpusServer
from tests.form_corpus.values import VALUES

pytestmark = pytest.mark.webengine

# The widgets each page must have filled (what the page is there to prove).
WIDGETS = {
    "element_ui": {"text", "textarea", "number", "radio", "select", "date", "switch", "checkbox"},
    "element_plus": {"text", "textarea", "select", "date", "radio", "checkbox"},
    "layui26": {"text", "number", "select", "checkbox", "radio", "switch", "textarea", "date"},
    "layui29": {"text", "number", "select", "checkbox", "radio", "switch", "textarea", "date"},
    "antd": {"text", "textarea", "select", "date", "radio", "checkbox", "switch"},
    "table_html": {"text", "select", "date", "radio", "checkbox", "textarea"},
    "iframe_same": {"text", "number", "select", "date", "textarea"},
    "iframe_element": {"text", "textarea", "number", "radio", "select", "date", "switch",
                       "checkbox"},
    "frameset": {"text", "date", "select", "textarea"},
}
FRAMEWORKS = {"element_ui": "element-ui", "iframe_element": "element-ui", "element_plus": "element-plus", "layui26": "layui",
              "layui29": "layui", "antd": "antd"}


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_mapped_fields_reach_the_model_and_the_form_submits(
    corpus: CorpusServer, tab: PageTab, name: str
) -> None:
    result = run_page(corpus, name, mapping_planner(name, VALUES), tab=tab)
    page = truth(name)

    # Every mapped selector was found in the page, and every fill went through.
    assert set(result.scan["mapped"]) == {s for s in page["mapping"] if "other_" not in s}
    assert result.planned
    assert result.results == {f["ref"]: "ok" for f in result.planned}, result.console
    assert {f["widget"] for f in result.planned} >= WIDGETS[name]
    assert result.popups == 0  # no dropdown or picker left open over the form
    if name in FRAMEWORKS:
        assert {f["framework"] for f in result.scan["fields"]} >= {FRAMEWORKS[name]}

    mapped_keys = set(page["mapping"].values())
    # A prop the mapping fills though it is not that key's field (a manifest may map anything).
    props = {**page["truth"], **page.get("mapped_props", {})}
    for prop, key in props.items():
        if key is not None and key in mapped_keys:
            want = expected(name, key, VALUES[key])
            assert same_value(result.model[prop], want), (prop, result.model[prop], want)
        elif key is None:
            assert result.model[prop] == result.model_before[prop], prop
    assert result.submit.get("ok") is True, result.submit


@pytest.mark.parametrize("name", ["element_ui", "layui26", "antd", "table_html"])
def test_a_second_fill_changes_nothing(corpus: CorpusServer, tab: PageTab, name: str) -> None:
    """Checkboxes and switches already right are left alone: a second fill is all "unchanged"
    and the model is what the first fill made it."""
    planner = mapping_planner(name, VALUES)
    first = run_page(corpus, name, planner, tab=tab, submit_form=False)
    from tests.form_corpus.harness import fill, read_model

    again = fill(tab, corpus.origin, first.planned)
    assert again is not None
    assert set(again["results"].values()) == {"unchanged"}, again["results"]
    assert read_model(tab) == first.model
