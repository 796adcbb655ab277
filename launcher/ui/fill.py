"""Fill: put profile values into the platform form of a web tab, only on its own page.

Which form the page is and the plan are the use case launcher/app/fill.py; this module runs the
page script in the tab and says the outcome in the person's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from launcher.app.fill import Fill, NotFilled, form_platform
from launcher.ui.executor import WorkersExecutor

if TYPE_CHECKING:
    from launcher.core.profile.autofill import FillPlan
    from launcher.core.registry import Platform
    from launcher.ui.web import WebTab
    from launcher.ui.window_context import WindowContext

translate = QCoreApplication.translate


def _join(items: list[str]) -> str:
    return translate("FormFiller", ", ").join(items)


class FormFiller(QObject):
    finished = Signal(dict)
    """The outcome: the page script's answer ({filled, missing, skipped, refused}, selectors) plus
    ``empty``: profile keys with no value; or {"error": message} when nothing was filled."""
    message = Signal(str)
    """A sentence for the status bar."""

    def __init__(self, context: WindowContext, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._executor = WorkersExecutor(context.workers, self)
        self._events = context.events
        self.english = context.english

    def platform_form(self, url: str, prefer: str = "") -> Platform | None:
        """The platform whose declared form the page at ``url`` is, if any (``prefer``: the
        platform the tab was opened for, when two declare the page equally)."""
        services = self._context.services
        return form_platform(services.registry, url, prefer) if services is not None else None

    def fill(self, tab: WebTab | None, is_open: Any = None) -> None:
        """Fill ``tab``'s form; ``is_open(tab)`` tells whether the tab still exists afterwards."""
        services = self._context.services
        if services is None or tab is None:
            self._refuse(
                translate("FormFiller", "Open a platform's form page first; nothing was filled.")
            )
            return
        use_case = Fill(services, self._executor, self._events)
        url = tab.url()
        platform, why = use_case.page(url, tab.platform_id)
        if platform is None or why is not None:
            self._refuse(self._why(why or NotFilled.NO_PLATFORM, platform))
            return

        def planned(plan: FillPlan, script: str) -> None:
            if (is_open is not None and not is_open(tab)) or tab.url() != url:
                self._refuse(self._why(NotFilled.CHANGED, platform))
                return
            # An isolated world: the page's own scripts cannot tamper with what the fill script uses
            # (JSON, querySelector), while the DOM it fills is the same one the page sees.
            tab.run_js(
                script, lambda answer: self._done(use_case, platform, plan, answer), isolated=True
            )

        use_case.plan(
            platform,
            url,
            planned,
            lambda why: self._refuse(self._why(why, platform)),
            lambda exc: self._refuse(str(exc)),
        )

    def _done(self, use_case: Fill, platform: Platform, plan: FillPlan, answer: object) -> None:
        from launcher.ui.web import parse_js_json

        result = parse_js_json(answer)
        outcome = use_case.answered(platform, plan, result)
        if isinstance(outcome, NotFilled):
            self._refuse(self._why(outcome, platform, result))
            return
        text = translate("FormFiller", "Filled {count} field(s)").format(count=len(outcome.filled))
        if plan.missing:
            text += translate("FormFiller", "; missing in your profile: {fields}").format(
                fields=_join([self._label(k) for k in plan.missing])
            )
        if outcome.not_filled:
            text += translate("FormFiller", "; not filled on the page: {fields}").format(
                fields=_join([self._label(k) for k in outcome.not_filled])
            )
        answered = dict(outcome.answer)
        answered["empty"] = list(plan.missing)
        self.message.emit(text)
        self.finished.emit(answered)

    def _why(
        self, why: NotFilled, platform: Platform | None, answer: dict[str, Any] | None = None
    ) -> str:
        """Why nothing was filled, in the person's words."""
        if why is NotFilled.NO_PLATFORM or platform is None:
            return translate(
                "FormFiller",
                "This page does not belong to any platform of the county; nothing was filled.",
            )
        if why is NotFilled.NOT_A_FORM:
            return translate(
                "FormFiller", "This page is not a form of {platform}; nothing was filled."
            ).format(platform=self._name(platform))
        if why is NotFilled.CHANGED:
            return translate(
                "FormFiller", "The page changed before it could be filled; please try again."
            )
        if why is NotFilled.REFUSED and answer:
            return translate("FormFiller", "The page refused to be filled ({why}).").format(
                why=answer["refused"]
            )
        return translate("FormFiller", "The page did not answer; nothing was filled.")

    def _refuse(self, text: str) -> None:
        self.message.emit(text)
        self.finished.emit({"error": text})

    def _name(self, platform: Platform) -> str:
        return platform.name_en if self.english else platform.name

    def _label(self, key: str) -> str:
        services = self._context.services
        field = services.fields.get(key) if services is not None else None
        if field is None:
            return key
        return field.label_en if self.english else field.label
