"""Fill as a use case: which platform's declared form a page is, the plan of which profile values
go where (core/profile/autofill.py), and what the page's answer means; ``Filled`` announced.

The window (launcher/ui/fill.py) runs the page script and says the outcome in words; nothing here
touches a page. A page is filled only on a platform's own declared form: by origin and path, the
longest declared match (two platforms behind one gateway each fill their own forms), on a tie the
platform the tab was opened for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from launcher.app.events import Events, Filled

if TYPE_CHECKING:
    from launcher.app.refresh import Executor
    from launcher.app.services import Services
    from launcher.core.profile.autofill import FillPlan
    from launcher.core.registry import Platform, Registry


class NotFilled(StrEnum):
    """Why nothing was filled."""

    NO_PAGE = "no-page"
    """No web page is shown (or no county is open)."""
    NO_PLATFORM = "no-platform"
    """The page belongs to no platform of the county."""
    NOT_A_FORM = "not-a-form"
    """The page is a platform's, but none of its declared forms."""
    CHANGED = "changed"
    """The page was closed or went elsewhere while the plan was made."""
    NO_ANSWER = "no-answer"
    """The page script did not answer."""
    REFUSED = "refused"
    """The page script refused (its origin was not the plan's)."""


def form_platform(registry: Registry, url: str, prefer: str = "") -> Platform | None:
    """The platform whose declared form the page at ``url`` is, if any (``prefer``: the platform
    the tab was opened for, when two declare the page equally)."""
    if not url:
        return None
    platform = registry.platform_for_url(url, prefer)
    if platform is None or platform.form_for(url) is None:
        return None
    return platform


@dataclass
class FillOutcome:
    """What the page script did with a plan."""

    platform: Platform
    plan: FillPlan
    answer: dict[str, Any]
    """The script's answer: {filled, missing, skipped, refused}, by CSS selector."""
    filled: list[str] = field(default_factory=list)
    """Selectors filled."""
    not_filled: list[str] = field(default_factory=list)
    """The form's fields not filled on the page: their profile keys (selectors where unknown)."""


class Fill:
    """Fill planning for the county open in ``services``."""

    def __init__(
        self, services: Services, executor: Executor, events: Events | None = None
    ) -> None:
        self._services = services
        self._executor = executor
        self._events = events

    def page(self, url: str, prefer: str = "") -> tuple[Platform | None, NotFilled | None]:
        """The platform whose form the page at ``url`` is, or why it is none."""
        platform = self._services.registry.platform_for_url(url, prefer) if url else None
        if platform is None:
            return None, NotFilled.NO_PLATFORM
        if platform.form_for(url) is None:
            return platform, NotFilled.NOT_A_FORM
        return platform, None

    def plan(
        self,
        platform: Platform,
        url: str,
        on_planned: Callable[[FillPlan, str], None],
        on_refused: Callable[[NotFilled], None],
        on_failed: Callable[[BaseException], None],
    ) -> None:
        """Plan the fill with the person's profile values (on the executor: the profile is read
        from disk), then ``on_planned(plan, page script)``."""
        services = self._services

        def work() -> tuple[FillPlan | None, str | None]:
            from launcher.core.profile.autofill import fill_script, plan_fill

            plan = plan_fill(platform, url, services.profile.values())
            return plan, (fill_script(plan) if plan is not None else None)

        def returned(value: tuple[FillPlan | None, str | None]) -> None:
            plan, script = value
            if plan is None or script is None:
                on_refused(NotFilled.NOT_A_FORM)
            else:
                on_planned(plan, script)

        self._executor.submit("plan fill", work, returned, on_failed)

    def answered(
        self, platform: Platform, plan: FillPlan, answer: dict[str, Any] | None
    ) -> FillOutcome | NotFilled:
        """What the page script's ``answer`` means; a fill is announced as ``Filled`` (the form
        and the profile keys filled, never their values)."""
        if not answer:
            return NotFilled.NO_ANSWER
        if answer.get("refused"):
            return NotFilled.REFUSED
        form = platform.form_for(plan.origin) or next(
            (f for f in platform.manifest.forms if f.key == plan.form_key), None
        )
        by_selector = dict(form.fields) if form is not None else {}
        filled = list(answer.get("filled") or [])
        not_filled = [*(answer.get("missing") or []), *dict(answer.get("skipped") or {})]
        if self._events is not None:
            keys = tuple(dict.fromkeys(by_selector.get(s, s) for s in filled))
            self._events.publish(Filled(platform.id, plan.form_key, keys))
        return FillOutcome(
            platform, plan, answer, filled, [by_selector.get(s, s) for s in not_filled]
        )
