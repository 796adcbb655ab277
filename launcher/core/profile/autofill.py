"""Planning which profile values go into which fields of a platform's form, and the page script.

The plan is made only for a page on the platform's own origins that is one of its declared forms;
the script checks the origin again inside the page, so a page that navigated away meanwhile gets
nothing.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from launcher.core.model import web_origin

if TYPE_CHECKING:  # a type only: the window imports this module before any county is read
    from launcher.core.registry import Platform

SCRIPT_NAME = "autofill.js"


@dataclass(frozen=True)
class FillPlan:
    platform_id: str
    form_key: str
    origin: str
    """The page's origin as the browser writes it, e.g. ``http://127.0.0.1:43211``."""
    values: dict[str, str]
    """CSS selector -> value to put there."""
    missing: tuple[str, ...]
    """Profile keys the form asks for that the profile has no value for."""


def plan_fill(platform: Platform, page_url: str, profile: Mapping[str, str]) -> FillPlan | None:
    """The fill plan for the page at ``page_url``, or None when the launcher must not fill it."""
    origin = web_origin(page_url)
    if origin is None or not platform.owns(page_url):
        return None
    form = platform.form_for(page_url)
    if form is None:
        return None
    values: dict[str, str] = {}
    missing: list[str] = []
    for selector, profile_key in form.fields.items():
        value = profile.get(profile_key)
        if value is None or not value.strip():
            if profile_key not in missing:
                missing.append(profile_key)
            continue
        values[selector] = value
    return FillPlan(platform.id, form.key, origin, values, tuple(missing))


def fill_script(plan: FillPlan) -> str:
    """JavaScript for ``QWebEnginePage.runJavaScript`` in the page's main frame.

    It fills nothing unless ``location.origin`` is the plan's origin, never touches password fields
    or frames, and evaluates to ``JSON.stringify({filled, missing, skipped, refused})``.
    """
    # json.dumps escapes every quote, backslash and line separator (ensure_ascii also turns U+2028
    # and U+2029 into escapes), so a value is always one JavaScript string literal.
    payload = json.dumps({"origin": plan.origin, "values": plan.values}, ensure_ascii=True)
    return f"{_script_source()}({payload});"


@functools.cache
def _script_source() -> str:
    from launcher.core.paths import resources_dir

    return (resources_dir() / SCRIPT_NAME).read_text(encoding="utf-8").strip().rstrip(";")
