"""plan_page on the real framework pages of the form corpus, declared by their URL alone.

Each page is loaded in a real QtWebEngine page and scanned by the launcher's own scan (asked
where the truth's mapped selectors are, so every field's true key is known by its ref); the plan
made from labels, placeholders, names and headings alone must give no field a key other than its
true one, and miss none. The values are a task's: the
person's own, the record's and those of the one subject kind the page is about. Filling and
reading back the framework's model is tests/webfill's and the benchmark's (benchmarks/autofill.py).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from launcher.core.manifest import load_manifest
from launcher.core.profile.autofill import FillValues, plan_page
from launcher.core.profile.fields import load_field_groups, load_fields
from launcher.core.registry import Platform
from tests.form_corpus import harness
from tests.form_corpus.server import PAGES, CorpusServer, corpus_server

FIELDS = load_fields()
GROUPS = load_field_groups()
PAGE_NAMES = sorted(path.stem for path in PAGES.glob("*.json"))

VALUES = {
    "person.name": "王建国", "person.id_number": "330102198503154318",
    "person.phone": "13812345678", "person.position": "网格员", "org.township": "城关镇",
    "org.village": "幸福村", "org.households": "326", "org.population": "1185",
    "household.head_name": "李大山", "household.head_id_number": "330102196207120036",
    "household.number": "3301020012", "household.address": "幸福村三组15号",
    "household.size": "4", "household.phone": "13900001111", "household.dibao": "2",
    "resident.name": "张秀英", "resident.id_number": "33010219790301002X",
    "resident.phone": "13700002222", "resident.address": "幸福村五组8号",
    "place.name": "幸福便利店", "place.credit_code": "92330102MA2B3C4D5G",
    "place.address": "幸福村商业街12号", "place.owner": "赵明", "place.phone": "13600003333",
    "place.kind": "10", "organisation.name": "城关镇幸福村股份经济合作社",
    "organisation.credit_code": "91330102MA27XY3128", "organisation.address": "幸福村村委大楼",
    "inspection.date": "2026-11-30", "inspection.hazard_type": "1", "inspection.result": "2",
    "inspection.rectified": "true", "inspection.deadline": "2026-12-15",
    "inspection.rectification": "已更换灭火器", "inspection.notes": "通道杂物已清理",
}

def role(key: str) -> str:
    return GROUPS[FIELDS[key].group].role


def task_values(truth: dict[str, Any]) -> FillValues:
    """The values a task about the page's subject gives; a choice whose dictionary options are
    none of the page's holds the page's first option (the platform's own words)."""
    subjects = {FIELDS[k].group for k in truth["truth"].values() if k and role(k) == "subject"}
    values = {k: v for k, v in VALUES.items()
              if role(k) != "subject" or FIELDS[k].group in subjects}
    for key, options in truth.get("choices", {}).items():
        choice = FIELDS[key].choice(values.get(key, ""))
        if FIELDS[key].kind == "choice" and options and not (
                choice and (choice.text in options or choice.code in options)):
            values[key] = next(iter(options))
    sources = {k: {"self": "profile", "subject": "subject"}.get(role(k), "record") for k in values}
    return FillValues(values, sources)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[CorpusServer, Platform]]:
    with corpus_server() as server, tempfile.TemporaryDirectory() as folder:
        plugin = Path(folder) / "corpus"
        plugin.mkdir()
        forms = "".join(f'\n[[forms]]\nkey = "{name}"\nurl = "{{base_url}}/{name}.html"\n'
                        for name in PAGE_NAMES)
        (plugin / "manifest.toml").write_text(
            'schema = 1\nid = "test.corpus"\nname = "语料"\nversion = "1.0.0"\n'
            'home = "{base_url}/"\norigins = ["{base_url}"]\n[auth]\nkind = "sso"\n'
            f'scopes = ["tasks"]\n{forms}', encoding="utf-8")
        yield server, Platform(load_manifest(plugin / "manifest.toml"), server.origin)


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_labels_alone_give_each_field_its_true_key_or_nothing(qapp, served, name):
    server, platform = served
    truth = harness.truth(name)
    mapping: dict[str, str] = truth["mapping"]
    tab = harness.PageTab()
    try:
        harness.mount(tab, server.url(name))
        scan = harness.scan(tab, server.origin, selectors=tuple(mapping))
        url = tab.url()
    finally:
        tab.close()
    assert scan is not None and scan["fields"]
    # The true key of each field, by where the page found each mapped selector; a key the
    # mapping gives a field that is not that key (truth's mapped_props) is no truth here.
    not_props = set(truth.get("mapped_props") or {})
    true_key = {ref: mapping[selector] for selector, ref in scan["mapped"].items()
                if ref and not any(selector == f"#{prop}" or f'[name="{prop}"]' in selector
                                   for prop in not_props)}
    values = task_values(truth)
    plan = plan_page(platform, url, scan, values, FIELDS)
    assert plan is not None and plan.form_key == name
    wrong = [(f.label, f.key, true_key.get(f.ref)) for f in plan.fields
             if true_key.get(f.ref) != f.key]
    assert wrong == []
    planned = {f.ref for f in plan.fields}
    by_ref = {f["ref"]: f for f in scan["fields"]}
    missed = sorted((name, key) for ref, key in true_key.items()
                    if ref not in planned and key in values.values
                    and by_ref[ref]["widget"] not in ("file", "password"))
    # A held-out page may name the fields the matcher leaves empty on purpose (it cannot tell,
    # precision first), each with its reason: exactly those, no more and no fewer.
    known = sorted((name, mapping[selector]) for selector in truth.get("known_misses", {}))
    assert missed == known, json.dumps(missed, ensure_ascii=False)
