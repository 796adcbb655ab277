"""Fill: put profile values into the platform form of a web tab, only on its own page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from launcher.ui.workers import Workers

if TYPE_CHECKING:
    from launcher.app.services import Services
    from launcher.core.profile.autofill import FillPlan
    from launcher.core.registry import Platform
    from launcher.ui.web import WebTab

translate = QCoreApplication.translate


def _join(items: list[str]) -> str:
    return translate("FormFiller", ", ").join(items)


class FormFiller(QObject):
    finished = Signal(dict)
    """The outcome: the page script's answer ({filled, missing, skipped, refused}, selectors) plus
    ``empty``: profile keys with no value; or {"error": message} when nothing was filled."""
    message = Signal(str)
    """A sentence for the status bar."""

    def __init__(
        self, workers: Workers, *, english: bool = False, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.workers = workers
        self.english = english
        self.services: Services | None = None

    def platform_form(self, url: str, prefer: str = "") -> Platform | None:
        """The platform whose declared form the page at ``url`` is, if any (``prefer``: the
        platform the tab was opened for, when two declare the page equally)."""
        if self.services is None or not url:
            return None
        platform = self.services.registry.platform_for_url(url, prefer)
        if platform is None or platform.form_for(url) is None:
            return None
        return platform

    def fill(self, tab: WebTab | None, is_open: Any = None) -> None:
        """Fill ``tab``'s form; ``is_open(tab)`` tells whether the tab still exists afterwards."""
        services = self.services
        if services is None or tab is None:
            self._refuse(
                translate("FormFiller", "Open a platform's form page first; nothing was filled.")
            )
            return
        url = tab.url()
        # By origin and path, the longest declared match: two platforms behind one gateway each
        # fill their own forms. On a tie, the platform the tab was opened for.
        platform = services.registry.platform_for_url(url, tab.platform_id)
        if platform is None:
            self._refuse(
                translate(
                    "FormFiller",
                    "This page does not belong to any platform of the county; nothing was filled.",
                )
            )
            return
        if platform.form_for(url) is None:
            self._refuse(
                translate(
                    "FormFiller", "This page is not a form of {platform}; nothing was filled."
                ).format(platform=self._name(platform))
            )
            return

        def work() -> tuple[FillPlan | None, str | None]:
            from launcher.core.profile.autofill import fill_script, plan_fill

            plan = plan_fill(platform, url, services.profile.values())
            return plan, (fill_script(plan) if plan is not None else None)

        def returned(value: tuple[FillPlan | None, str | None]) -> None:
            plan, script = value
            if plan is None or script is None:
                self._refuse(
                    translate(
                        "FormFiller", "This page is not a form of {platform}; nothing was filled."
                    ).format(platform=self._name(platform))
                )
                return
            if (is_open is not None and not is_open(tab)) or tab.url() != url:
                self._refuse(
                    translate(
                        "FormFiller",
                        "The page changed before it could be filled; please try again.",
                    )
                )
                return
            # An isolated world: the page's own scripts cannot tamper with what the fill script uses
            # (JSON, querySelector), while the DOM it fills is the same one the page sees.
            tab.run_js(script, lambda answer: self._done(platform, plan, answer), isolated=True)

        self.workers.submit("plan fill", work, returned, lambda exc: self._refuse(str(exc)))

    def _done(self, platform: Platform, plan: FillPlan, answer: object) -> None:
        from launcher.ui.web import parse_js_json

        result = parse_js_json(answer)
        if not result:
            self._refuse(translate("FormFiller", "The page did not answer; nothing was filled."))
            return
        if result.get("refused"):
            self._refuse(
                translate("FormFiller", "The page refused to be filled ({why}).").format(
                    why=result["refused"]
                )
            )
            return
        form = platform.form_for(plan.origin) or next(
            (f for f in platform.manifest.forms if f.key == plan.form_key), None
        )
        by_selector = dict(form.fields) if form is not None else {}
        filled = list(result.get("filled") or [])
        not_filled = [*(result.get("missing") or []), *dict(result.get("skipped") or {})]
        text = translate("FormFiller", "Filled {count} field(s)").format(count=len(filled))
        if plan.missing:
            text += translate("FormFiller", "; missing in your profile: {fields}").format(
                fields=_join([self._label(k) for k in plan.missing])
            )
        if not_filled:
            text += translate("FormFiller", "; not filled on the page: {fields}").format(
                fields=_join([self._label(by_selector.get(s, s)) for s in not_filled])
            )
        result["empty"] = list(plan.missing)
        self.message.emit(text)
        self.finished.emit(result)

    def _refuse(self, text: str) -> None:
        self.message.emit(text)
        self.finished.emit({"error": text})

    def _name(self, platform: Platform) -> str:
        return platform.name_en if self.english else platform.name

    def _label(self, key: str) -> str:
        field = self.services.fields.get(key) if self.services else None
        if field is None:
            return key
        return field.label_en if self.english else field.label
