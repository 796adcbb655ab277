"""Fill planning: only the platform's own form pages get a plan, and values reach the script intact.

The script itself runs in a real Chromium page in test_autofill_page.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _platforms import FORMS, make_platform

from launcher.core.profile.autofill import FillPlan, fill_script, plan_fill, web_origin
from launcher.core.registry import Platform

PROFILE = {"person.name": "王小明", "person.id_number": "11010519491231002X",
           "org.village": "幸福村", "inspection.date": "2026-11-30"}


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return make_platform(tmp_path, "http://127.0.0.1:43211", forms=FORMS)


def test_a_form_page_of_the_platform_gets_a_plan(platform):
    plan = plan_fill(platform, "http://127.0.0.1:43211/inspections/new?task=17#top", PROFILE)
    assert plan == FillPlan(
        platform_id="demo.anquan",
        form_key="safety_check",
        origin="http://127.0.0.1:43211",
        values={"#inspector": "王小明", "input[name=idno]": "11010519491231002X",
                "#village": "幸福村", "#check_date": "2026-11-30"},
        missing=("person.phone",),
    )


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:43212/inspections/new",     # another port is another origin
    "https://127.0.0.1:43211/inspections/new",    # and so is another scheme
    "http://localhost:43211/inspections/new",     # and another host name for the same machine
    "http://127.0.0.1:43211/inspections/list",    # the platform's, but not a form
    "http://127.0.0.1:43211/",
    "file:///inspections/new",
    "not a url",
])
def test_no_plan_for_other_origins_or_pages_that_are_not_forms(platform, url):
    assert plan_fill(platform, url, PROFILE) is None


def test_an_empty_profile_value_counts_as_missing(platform):
    plan = plan_fill(platform, "http://127.0.0.1:43211/inspections/new",
                     {**PROFILE, "org.village": "  "})
    assert plan is not None
    assert "#village" not in plan.values
    assert plan.missing == ("person.phone", "org.village")


def test_origins_are_written_as_the_browser_writes_them():
    assert web_origin("http://Example.GOV.cn:80/a?b") == "http://example.gov.cn"
    assert web_origin("https://example.gov.cn:443/") == "https://example.gov.cn"
    assert web_origin("https://example.gov.cn:8443/x") == "https://example.gov.cn:8443"
    assert web_origin("http://[::1]:9101/") == "http://[::1]:9101"
    assert web_origin("http://127.0.0.1:99999/") is None
    assert web_origin("about:blank") is None


def test_values_reach_the_script_as_json_and_nothing_else():
    hostile = 'x"); alert(document.cookie); ("\u2028</script>\\'
    plan = FillPlan("demo.anquan", "safety_check", "http://127.0.0.1:43211",
                    {"#inspector": hostile, "input[name='idno']": "甲"}, ())
    script = fill_script(plan)
    assert script.startswith("// ")
    head, _, call = script.rpartition("})(")
    assert head.rstrip().endswith("return finish();")
    payload = json.loads(call.removesuffix(");"))
    assert payload == {"origin": "http://127.0.0.1:43211", "values": plan.values}
    # The value appears only escaped: no raw quote, line separator or non-ASCII in the script.
    assert hostile not in script
    assert "\u2028" not in script and "甲" not in script
