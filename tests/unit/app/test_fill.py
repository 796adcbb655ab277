"""Fill planning as a use case without Qt: which platform's form a page is (or why none), the plan
with the person's values, what the page's answer means, and Filled naming fields, never values."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from launcher.app.events import Events, Filled
from launcher.app.fill import Fill, FillOutcome, NotFilled, form_platform
from launcher.app.refresh import Inline
from launcher.core.registry import Platform
from tests.unit.core._platforms import FORMS, make_platform

BASE = "http://127.0.0.1:43211"
FORM = f"{BASE}/inspections/new"
PROFILE = {"person.name": "王小明", "org.village": "幸福村"}


@dataclass
class OneRegistry:
    platform: Platform

    def platform_for_url(self, url: str, prefer: str = "") -> Platform | None:
        return self.platform if self.platform.owns(url) else None


@dataclass
class Profile:
    def values(self) -> dict[str, str]:
        return dict(PROFILE)


@dataclass
class FakeServices:
    registry: OneRegistry
    profile: Profile


@pytest.fixture
def platform(tmp_path: Path) -> Platform:
    return make_platform(tmp_path, BASE, forms=FORMS)


def test_which_page_is_a_form(platform: Platform) -> None:
    services: Any = FakeServices(OneRegistry(platform), Profile())
    fill = Fill(services, Inline())
    assert fill.page(FORM) == (platform, None)
    assert fill.page(f"{BASE}/inbox") == (platform, NotFilled.NOT_A_FORM)
    assert fill.page("http://127.0.0.1:9/elsewhere") == (None, NotFilled.NO_PLATFORM)
    assert fill.page("") == (None, NotFilled.NO_PLATFORM)
    assert form_platform(services.registry, FORM) is platform
    assert form_platform(services.registry, f"{BASE}/inbox") is None


def test_the_plan_the_answer_and_the_event_without_values(platform: Platform) -> None:
    services: Any = FakeServices(OneRegistry(platform), Profile())
    events = Events()
    seen: list[Filled] = []
    events.subscribe(Filled, seen.append)
    fill = Fill(services, Inline(), events)
    planned: list[Any] = []
    fill.plan(platform, FORM, lambda plan, script: planned.append((plan, script)),
              planned.append, planned.append)
    [(plan, script)] = planned
    assert plan.values == {"#inspector": "王小明", "#village": "幸福村"}
    assert "person.id_number" in plan.missing and "fill" in script.lower()
    outcome = fill.answered(platform, plan, {"filled": ["#inspector", "#village"],
                                            "missing": ["#phone"], "skipped": {}})
    assert isinstance(outcome, FillOutcome)
    assert outcome.filled == ["#inspector", "#village"]
    assert outcome.not_filled == ["person.phone"]
    assert seen == [Filled("demo.anquan", "safety_check", ("person.name", "org.village"))]
    assert "王小明" not in repr(seen)


def test_a_page_that_refused_or_did_not_answer_fills_nothing(platform: Platform) -> None:
    services: Any = FakeServices(OneRegistry(platform), Profile())
    events = Events()
    seen: list[Filled] = []
    events.subscribe(Filled, seen.append)
    fill = Fill(services, Inline(), events)
    planned: list[Any] = []
    fill.plan(platform, FORM, lambda plan, script: planned.append(plan), planned.append,
              planned.append)
    assert fill.answered(platform, planned[0], None) is NotFilled.NO_ANSWER
    assert fill.answered(platform, planned[0], {"refused": "origin"}) is NotFilled.REFUSED
    assert seen == []
    refused: list[Any] = []
    fill.plan(platform, f"{BASE}/inbox", lambda plan, script: refused.append(plan),
              refused.append, refused.append)
    assert refused == [NotFilled.NOT_A_FORM]
