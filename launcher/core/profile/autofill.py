"""Planning which values go into which fields of a platform's page (C4).

``plan_page`` plans a scanned page (``page_script.scan_script``) of the platform's own origins: the
manifest's mapping first (a mapped selector found in the scan wins whatever the heuristics think),
then, for every other field, the heuristics of ``matching.py`` (labels, placeholders, names, the
autocomplete attribute, table-cell neighbours, section headings, with the dictionary's synonyms
and exclusions). ``fill_fields`` turns a plan into the field list of ``page_script.fill_script``.
The page scripts check the origin again inside the page, so a page that navigated away meanwhile
gets nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from launcher.core.model import web_origin
from launcher.core.profile import matching

if TYPE_CHECKING:  # a type only: the window imports this module before any county is read
    from launcher.core.profile.fields import FieldDef
    from launcher.core.registry import Platform


@dataclass(frozen=True)
class FillValues:
    values: dict[str, str]
    """Dictionary key -> value (the profile, the task's subject, the record)."""
    sources: dict[str, str]
    """Key -> "profile" | "subject" | "record"."""


@dataclass(frozen=True)
class PlannedField:
    ref: str
    frame: str
    selector: str
    widget: str
    key: str
    value: str
    """The value as the page needs it (a choice: the option's text; a date: YYYY-MM-DD)."""
    how: str
    """"manifest" | "label" | "placeholder" | "name" | "autocomplete" | "nearby"."""
    confidence: float
    """1.0 for the manifest's mapping."""
    source: str
    """"profile" | "subject" | "record"."""
    sensitive: bool
    label: str
    """The page's own label for the preview: plain, one line, at most 80 characters."""


@dataclass(frozen=True)
class PagePlan:
    platform_id: str
    form_key: str
    """The declared form's key; "" for a page of the platform that is no declared form."""
    origin: str
    url: str
    fields: tuple[PlannedField, ...]
    missing: tuple[str, ...]
    """Keys the page asks for (mapped, or clearly recognised) that have no value."""
    unknown: tuple[tuple[str, str], ...]
    """(ref, label) of the page's fields nothing was planned for."""


def plan_page(platform: Platform, page_url: str, scan: Mapping[str, Any], values: FillValues,
              fields: Mapping[str, FieldDef]) -> PagePlan | None:
    """The plan for the scanned page at ``page_url``; None when it is not the platform's own page
    or the scan is of another origin (the page navigated meanwhile) or was refused."""
    origin = web_origin(page_url)
    if origin is None or not platform.owns(page_url):
        return None
    if not isinstance(scan, Mapping) or scan.get("origin") != origin or scan.get("refused"):
        return None
    listed = scan.get("fields")
    scanned = [f for f in (listed if isinstance(listed, list) else [])[:MAX_SCANNED]
               if isinstance(f, Mapping) and isinstance(f.get("ref"), str) and f.get("ref")]
    form = platform.form_for(page_url)
    terms = matching.terms_by_key(fields)
    planned: list[PlannedField] = []
    missing: list[str] = []
    used: set[str] = set()
    mapped_keys: set[str] = set()

    def plan(scan_field: Mapping[str, Any], key: str, how: str, confidence: float) -> None:
        value = values.values.get(key, "")
        if not value or not value.strip():
            if key not in missing:
                missing.append(key)
            return
        term = terms.get(key)
        page_value = (matching.page_value(scan_field, term, value, mapped=how == "manifest")
                      if term is not None else value.strip())
        if page_value is None:
            return  # the widget cannot take this value (no such option): left for the person
        fd = fields.get(key)
        planned.append(PlannedField(
            ref=str(scan_field.get("ref")), frame=_text(scan_field, "frame") or "0",
            selector=_text(scan_field, "selector"), widget=_text(scan_field, "widget") or "text",
            key=key, value=page_value, how=how, confidence=confidence,
            source=values.sources.get(key, "profile"),
            sensitive=bool(getattr(fd, "sensitive", False)),
            label=matching.plain_label(scan_field) or (getattr(fd, "label", "") or key)[:80],
        ))

    given = scan.get("mapped")
    resolved: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    by_ref = {str(f["ref"]): f for f in scanned}
    for selector, key in (form.fields.items() if form is not None else ()):
        mapped_keys.add(key)
        # Where the page itself found the selector (scan_script with the mapped selectors),
        # else the scan's own selectors, ids, names and placeholders.
        found = by_ref.get(str(resolved.get(selector, "")))
        if found is None or str(found["ref"]) in used:
            found = _by_selector(scanned, selector, used)
        if found is None:  # not in the scan: the fill script looks for the selector itself
            found = {"ref": f"manifest:{selector}", "frame": "0", "selector": selector,
                     "widget": "text"}
        used.add(str(found["ref"]))
        plan(found, key, "manifest", 1.0)

    subjects = {getattr(fields.get(key), "group", key.split(".", 1)[0])
                for key, source in values.sources.items()
                if source == "subject" and values.values.get(key, "").strip()}
    context = matching.page_context(getattr(form, "subject", "") if form is not None else "",
                                    _text(scan, "title"), subjects)
    matches = matching.match_page(scanned, fields, skip_refs=used, skip_keys=mapped_keys,
                                  page_context=context, values=values.values)
    for ref, match in matches.items():
        used.add(ref)
        plan(by_ref[ref], match.key, match.how, match.confidence)
    unknown = tuple((str(f["ref"]), matching.plain_label(f)) for f in scanned
                    if str(f["ref"]) not in {p.ref for p in planned})
    return PagePlan(platform.id, form.key if form is not None else "", origin, page_url,
                    tuple(planned), tuple(missing), unknown)


def fill_fields(plan: PagePlan, refs: Iterable[str] | None = None) -> list[dict[str, str]]:
    """The plan's fields (all, or those of ``refs``) as ``page_script.fill_script`` takes them."""
    wanted = None if refs is None else set(refs)
    return [{"ref": f.ref, "frame": f.frame, "selector": f.selector, "widget": f.widget,
             "value": f.value} for f in plan.fields if wanted is None or f.ref in wanted]


MAX_SCANNED = 300
_SIMPLE = re.compile(
    r"^(?P<tag>[a-z]+)?(?:#(?P<id>[\w-]+)|\[(?P<attr>name|id|placeholder)\s*=\s*"
    r"(?P<q>['\"]?)(?P<value>[^'\"\]]+)(?P=q)\])$")


def _text(field: Mapping[str, Any], name: str) -> str:
    value = field.get(name)
    return value if isinstance(value, str) else ""


def _by_selector(scanned: list[Mapping[str, Any]], selector: str, used: set[str]
                 ) -> Mapping[str, Any] | None:
    """The scanned field a manifest selector names: the scan's own selector (or one of the other
    selectors it lists for the field, or one inside the mapped element), else a plain ``#id`` / ``[name=x]`` / ``[placeholder="x"]``
    (with or without a tag) compared with its id, name or placeholder."""
    selector = selector.strip()
    free = [f for f in scanned if str(f.get("ref")) not in used]
    for field in free:
        others = field.get("selectors")
        if _text(field, "selector") == selector or (
                isinstance(others, list) and selector in others[:8]):
            return field
    for field in free:  # the mapped element wraps the input (an Element input-number's div)
        listed = [_text(field, "selector"), *[x for x in (field.get("selectors") or [])[:8]
                                              if isinstance(x, str)]]
        if any(x.startswith(selector + " ") for x in listed):
            return field
    simple = _SIMPLE.match(selector)
    if simple is None:
        return None
    attribute, value = ("id", simple["id"]) if simple["id"] else (simple["attr"], simple["value"])
    for field in free:
        if (not simple["tag"] or simple["tag"] in ("input", "textarea", "select")) and _text(
                field, attribute) == value:
            return field
    return None
