"""Fill: put the person's values into a platform page of a web tab, only on the platform's own
origins, and only what the person confirmed.

scan (the page engine, launcher/ui/page_fill.py) → plan on a worker (the use case,
launcher/app/fill.py) → preview (launcher/ui/fill_preview.py: each field, its value, where it came
from, how sure; sensitive ones unticked) → fill the ticked fields → the outcome in words (what
could not be filled and why, the page's fields nothing matched). Nothing is filled without the
person's 填入: 填表 (Alt+F) shows the preview; ``prefill`` (a tab opened for a task's record) shows
it by itself once the page has loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication

from launcher.app.fill import (
    SOURCES,
    Fill,
    FillContext,
    FillOutcome,
    NotFilled,
    Planned,
    confidence_words,
    form_platform,
    result_words,
)
from launcher.core.model import web_origin
from launcher.ui.executor import WorkersExecutor
from launcher.ui.plain_text import bounded

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from launcher.core.registry import Platform
    from launcher.ui.fill_chooser import FillChooser
    from launcher.ui.fill_preview import FillPreview
    from launcher.ui.web import WebTab
    from launcher.ui.window_context import WindowContext

translate = QCoreApplication.translate

Done = Callable[[dict[str, Any]], None]


def _join(items: list[str]) -> str:
    return translate("FormFiller", ", ").join(items)


@dataclass(eq=False)
class _Run:
    """One fill, from the scan to its outcome."""

    tab: WebTab
    url: str
    origin: str
    platform: Platform
    use_case: Fill
    context: FillContext | None
    is_open: Callable[[WebTab], bool]
    on_done: Done | None
    preview: bool
    engine: Any = None
    planned: Planned | None = None
    refs: list[str] = field(default_factory=list)
    scan: dict[str, Any] | None = None
    """The page's scan, planned again when the person chooses another subject or record."""
    rows: list[Any] = field(default_factory=list)
    """The preview's rows shown now (``PreviewRow``)."""
    replans: int = 0
    """Bumped by each choice in the chooser: only the latest one's plan is shown."""

    def alive(self) -> bool:
        """The tab is still there, on the page the plan was made for."""
        try:
            return self.is_open(self.tab) and self.tab.url() == self.url
        except RuntimeError:  # its C++ object is gone
            return False


class FormFiller(QObject):
    finished = Signal(dict)
    """The outcome: {"filled": keys, "failed": {key: result code}, "skipped": keys not ticked,
    "unknown": the page's labels nothing matched, "empty": keys with no value, "results": {ref:
    code}, "platform", "form"}; or {"error": message, "why": NotFilled} when nothing was filled."""
    message = Signal(str)
    """A sentence for the status bar."""
    previewed = Signal()
    """The preview shows a plan, waiting for the person."""

    def __init__(
        self,
        context: WindowContext,
        *,
        host: QMainWindow | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._host = host
        self._executor = WorkersExecutor(context.workers, self)
        self._events = context.events
        self.english = context.english
        self._run: _Run | None = None
        self._preview: FillPreview | None = None
        self._chooser: FillChooser | None = None

    # -- what may be filled --------------------------------------------------------------------

    def platform_form(self, url: str, prefer: str = "") -> Platform | None:
        """The platform whose page ``url`` is, where 填表 may plan (``prefer``: the platform the
        tab was opened for, when two declare the page equally)."""
        services = self._context.services
        return form_platform(services.registry, url, prefer) if services is not None else None

    @property
    def preview(self) -> FillPreview:
        """The preview panel (a dock of the window), made on first use."""
        if self._preview is None:
            from launcher.ui.fill_preview import FillPreview

            host = self._host
            preview = self._preview = FillPreview(host)
            preview.hide()
            if host is not None:
                host.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, preview)
                preview.hide()
            preview.confirmed.connect(self._confirmed)
            preview.cancelled.connect(self._cancelled)
            from launcher.ui.fill_chooser import FillChooser

            chooser = self._chooser = FillChooser(self._executor, preview)
            preview.chooser_slot.addWidget(chooser)
            preview.chooser_focus = chooser.focus_chain()
            chooser.choosing.connect(self._choosing)
            chooser.chosen.connect(self._rechoose)
        return self._preview

    @property
    def chooser(self) -> FillChooser:
        """The preview's 对象 / 记录 chooser (launcher/ui/fill_chooser.py)."""
        chooser = self._chooser
        if chooser is None:
            self.preview  # noqa: B018  (makes it)
            chooser = self._chooser
        assert chooser is not None
        return chooser

    def shown_preview(self) -> FillPreview | None:
        """The preview panel while it is shown (for the window's Tab order), else None."""
        preview = self._preview
        return preview if preview is not None and preview.isVisible() else None

    # -- starting ------------------------------------------------------------------------------

    def fill(
        self, tab: WebTab | None, is_open: Any = None, *, auto_preview: bool = True
    ) -> None:
        """填表 on ``tab``: scan, plan, show the preview; ``is_open(tab)`` tells whether the tab
        still exists afterwards. ``auto_preview=False`` fills the non-sensitive fields of the plan
        without the preview (the person asked for exactly that; sensitive ones never)."""
        context = getattr(tab, "fill_context", None) if tab is not None else None
        self._start(tab, is_open, context, None, preview=auto_preview)

    def prefill(
        self, tab: WebTab, context: FillContext | None = None, on_done: Done | None = None
    ) -> None:
        """For a tab opened for a task's record: once its page has loaded, scan and plan it and
        show the preview with every field ticked but the sensitive ones; the person confirms
        (填入) and then submits on the page. ``on_done`` gets what ``finished`` gets."""
        if context is not None:
            tab.fill_context = context
        context = tab.fill_context if context is None else context

        def start() -> None:
            self._start(tab, None, context, on_done, preview=True)

        if _loaded(tab) and self.platform_form(tab.url(), tab.platform_id) is not None:
            start()
            return

        def loaded(ok: bool) -> None:
            # A task's page may pass through the sign-in service first: wait for a page of a
            # platform (a failed load may be followed by another; the tab closing ends it).
            if not ok or self.platform_form(tab.url(), tab.platform_id) is None:
                return
            tab.load_finished.disconnect(loaded)
            start()

        tab.load_finished.connect(loaded)

    def _start(
        self,
        tab: WebTab | None,
        is_open: Any,
        context: FillContext | None,
        on_done: Done | None,
        *,
        preview: bool,
    ) -> None:
        services = self._context.services
        self._drop_run()
        if services is None or tab is None:
            self._refuse(None, NotFilled.NO_PAGE, on_done=on_done)
            return
        use_case = Fill(services, self._executor, self._events)
        url = tab.url()
        platform, why = use_case.page(url, tab.platform_id)
        origin = web_origin(url)
        if platform is None or why is not None or origin is None:
            self._refuse(None, why or NotFilled.NO_PLATFORM, on_done=on_done, platform=platform)
            return
        run = self._run = _Run(
            tab, url, origin, platform, use_case, context,
            is_open if is_open is not None else (lambda _tab: True), on_done, preview,
        )
        from launcher.ui.page_fill import PageFill

        run.engine = PageFill(tab, parent=self)
        self.message.emit(translate("FormFiller", "Reading the page's fields…"))
        run.engine.scan(origin, lambda scan: self._scanned(run, scan))

    # -- scanned, planned ------------------------------------------------------------------------

    def _scanned(self, run: _Run, scan: dict[str, Any] | None) -> None:
        if run is not self._run:
            return
        if not run.alive():
            self._refuse(run, NotFilled.CHANGED)
        elif not scan:
            self._refuse(run, NotFilled.NO_ANSWER)
        elif scan.get("refused"):
            why = bounded(str(scan["refused"]), 80, lines=1)
            self._refuse(run, NotFilled.REFUSED, {"refused": why})
        else:
            run.scan = scan
            run.use_case.plan(
                run.platform,
                run.url,
                scan,
                run.context,
                lambda planned: self._planned(run, planned),
                lambda why: self._refuse(run, why) if run is self._run else None,
                lambda exc: self._failed(run, exc),
            )

    def _planned(self, run: _Run, planned: Planned) -> None:
        if run is not self._run:
            return
        if not run.alive():
            self._refuse(run, NotFilled.CHANGED)
            return
        run.planned = planned
        plan = planned.plan
        if not run.preview:
            if not plan.fields:
                self._refuse(run, NotFilled.NO_FIELDS)
                return
            refs = [f.ref for f in plan.fields if not f.sensitive]
            if refs:
                self._fill(run, refs)
            else:
                self._refuse(run, NotFilled.NOTHING_CHOSEN)
            return
        from launcher.ui.fill_chooser import make_job

        job = make_job(self._context.services, run.use_case, run.platform, run.url, run.context,
                       plan, planned.owner, english=self.english)
        if not plan.fields and job is None:
            # Nothing to fill, and no household or place to choose that could give something.
            self._refuse(run, NotFilled.NO_FIELDS)
            return
        if not plan.fields:
            # Nothing to fill yet: the preview is worth showing only if the person has a
            # household, place or record to choose that could give something.
            assert job is not None

            def listed(choices: bool) -> None:
                if run is not self._run:
                    return
                if not choices:
                    self.chooser.end()
                    self._refuse(run, NotFilled.NO_FIELDS)
                    return
                self._show_rows(run, planned)
                self._previewing()

            self.chooser.begin(job, listed)
            return
        self._show_rows(run, planned)
        if job is not None:
            self.chooser.begin(job)
        else:
            self.chooser.end()
        self._previewing()

    def _previewing(self) -> None:
        """The preview shows a plan: say so."""
        self.message.emit(
            translate("FormFiller", "Check the fields in the fill panel, then press Fill (Enter).")
        )
        self.previewed.emit()

    def _show_rows(self, run: _Run, planned: Planned) -> None:
        """Show the plan's rows in the preview."""
        from launcher.ui.fill_preview import PreviewRow

        plan = planned.plan
        language = "en" if self.english else "zh_CN"
        rows = [
            PreviewRow(
                f.ref,
                f.label or self._label(f.key),
                f.value,
                f.sensitive,
                SOURCES[f.source].in_(language) if f.source in SOURCES else f.source,
                confidence_words(f.how, f.confidence).in_(language),
            )
            for f in plan.fields
        ]
        notes: list[str] = []
        if plan.missing:
            notes.append(
                translate("FormFiller", "No value in the one table for: {fields}").format(
                    fields=_join([self._label(k) for k in plan.missing])
                )
            )
        preview = self.preview
        preview.show_plan(self._name(run.platform), rows, notes)
        run.rows = rows

    # -- the chooser: what the form is for -----------------------------------------------------

    def _choosing(self) -> None:
        """The person chose another subject or record: 填入 waits for the new plan."""
        if self._run is not None and self._preview is not None and self._preview.waiting():
            self._preview.fill_button.setEnabled(False)
            self.message.emit(translate("FormFiller", "Planning the fields again…"))

    def _rechoose(self, context: FillContext) -> None:
        """Plan the same scan again for the subject and record chosen (no new scan)."""
        run = self._run
        preview = self._preview
        if run is None or run.planned is None or run.scan is None or preview is None:
            return
        if not preview.waiting():
            return
        if not run.alive():
            self._refuse(run, NotFilled.CHANGED)
            return
        run.replans += 1
        replan = run.replans
        run.context = context
        preview.fill_button.setEnabled(False)
        run.use_case.plan(
            run.platform,
            run.url,
            run.scan,
            context,
            lambda planned: self._replanned(run, replan, planned),
            lambda why: self._refuse(run, why) if run is self._run else None,
            lambda exc: self._failed(run, exc),
        )

    def _replanned(self, run: _Run, replan: int, planned: Planned) -> None:
        if run is not self._run or replan != run.replans or run.planned is None:
            return
        preview = self._preview
        if preview is None or not preview.waiting():
            return
        if not run.alive() or planned.owner != run.planned.owner:
            # The page moved, or someone else signed in meanwhile: none of this plan is shown.
            self._refuse(run, NotFilled.CHANGED)
            return
        before = {
            row.ref: (row.value, preview.boxes[row.ref].isChecked())
            for row in run.rows
            if row.ref in preview.boxes
        }
        from launcher.ui.fill_chooser import kept_ticks

        focused = QApplication.focusWidget()
        chooser = self._chooser
        in_chooser = chooser is not None and focused is not None and chooser.isAncestorOf(focused)
        showing = preview.show_sensitive.isChecked()
        run.planned = planned
        self._show_rows(run, planned)
        # A field whose value did not change keeps the person's tick; the others start as the
        # preview starts them (sensitive ones unticked).
        for ref, ticked in kept_ticks(before, run.rows).items():
            preview.boxes[ref].setChecked(ticked)
        preview.show_sensitive.setChecked(showing)
        if in_chooser and focused is not None:
            # The new rows are shown by a queued call (a shown layout's new widgets), the first
            # one taking the focus show_plan gave it: after them, the chooser keeps the focus
            # for the person's next key.
            def keep_focus() -> None:
                if focused.isVisible() and preview.waiting():
                    focused.setFocus(Qt.FocusReason.OtherFocusReason)

            QTimer.singleShot(0, focused, keep_focus)
        self.message.emit(
            translate("FormFiller", "Check the fields in the fill panel, then press Fill (Enter).")
        )
        self.previewed.emit()

    def _confirmed(self, refs: list[str]) -> None:
        run = self._run
        if run is None or run.planned is None:
            return
        if not refs:
            self._refuse(run, NotFilled.NOTHING_CHOSEN)
            return
        if not run.alive():
            self._refuse(run, NotFilled.CHANGED)
            return
        self._fill(run, refs)

    def _cancelled(self) -> None:
        run = self._run
        if run is not None:
            self._refuse(run, NotFilled.CANCELLED)

    # -- filling -----------------------------------------------------------------------------------

    def _fill(self, run: _Run, refs: list[str]) -> None:
        assert run.planned is not None
        run.refs = refs
        fields = run.use_case.fields_to_fill(run.planned, refs)
        if self._chooser is not None:
            self._chooser.end()
        if self._preview is not None and run.preview:
            self._preview.show_filling()
        # The page engine runs in the launcher's isolated world and checks the origin again in
        # every frame it touches: the page's own scripts cannot replace what it uses.
        run.engine.fill(run.origin, fields, lambda answer: self._filled(run, answer))

    def _filled(self, run: _Run, answer: dict[str, Any] | None) -> None:
        if run is not self._run or run.planned is None:
            return
        outcome = run.use_case.answered(run.planned, run.refs, answer)
        if isinstance(outcome, NotFilled):
            self._refuse(run, outcome, answer)
            return
        self._end_run()
        text = translate("FormFiller", "Filled {count} field(s)").format(
            count=len(outcome.filled)
        )
        failed = [self._field_name(f.label, f.key) for f, _code in outcome.failed]
        if failed:
            text += translate("FormFiller", "; not filled on the page: {fields}").format(
                fields=_join(failed)
            )
        self.message.emit(text)
        if run.preview:
            self._show_outcome(text, outcome)
        result = self._result(outcome)
        self.finished.emit(result)
        if run.on_done is not None:
            run.on_done(result)

    def _show_outcome(self, summary: str, outcome: FillOutcome) -> None:
        from launcher.ui.fill_preview import OutcomeLine

        language = "en" if self.english else "zh_CN"
        lines = [
            OutcomeLine(self._field_name(f.label, f.key), result_words(code).in_(language))
            for f, code in outcome.failed
        ]
        unmatched = [label for _ref, label in outcome.plan.unknown if label]
        self.preview.show_outcome(summary, lines, unmatched)

    @staticmethod
    def _result(outcome: FillOutcome) -> dict[str, Any]:
        plan = outcome.plan
        return {
            "platform": plan.platform_id,
            "form": plan.form_key,
            "filled": list(outcome.keys),
            "failed": {f.key: code for f, code in outcome.failed},
            "skipped": [f.key for f in outcome.skipped],
            "unknown": [label for _ref, label in plan.unknown],
            "empty": list(plan.missing),
            "results": dict(outcome.results),
        }

    # -- nothing filled ------------------------------------------------------------------------

    def _failed(self, run: _Run, exc: BaseException) -> None:
        if run is not self._run:
            return
        self._end_run()
        text = translate("FormFiller", "The fill could not be planned; nothing was filled.")
        self._emit_refusal(text, NotFilled.NO_ANSWER, run.on_done, detail=type(exc).__name__)

    def _refuse(
        self,
        run: _Run | None,
        why: NotFilled,
        answer: dict[str, Any] | None = None,
        on_done: Done | None = None,
        platform: Platform | None = None,
    ) -> None:
        if run is not None:
            if run is not self._run:
                return
            self._end_run()
            platform, on_done = run.platform, run.on_done
            if self._preview is not None and self._preview.waiting():
                self._preview.hide()
        self._emit_refusal(self._why(why, platform, answer), why, on_done)

    def _emit_refusal(
        self, text: str, why: NotFilled, on_done: Done | None, *, detail: str = ""
    ) -> None:
        self.message.emit(text)
        result: dict[str, Any] = {"error": text, "why": str(why)}
        if detail:
            result["detail"] = detail
        self.finished.emit(result)
        if on_done is not None:
            on_done(result)

    def _end_run(self) -> None:
        """The run ends: its page engine goes (a late answer of the page reaches nobody), and
        the chooser's lists with it."""
        if self._chooser is not None:
            self._chooser.end()
        run, self._run = self._run, None
        if run is not None and run.engine is not None:
            run.engine.cancel()
            run.engine.deleteLater()
            run.engine = None

    def _drop_run(self) -> None:
        """A new fill replaces one still waiting in the preview (which then fills nothing), and
        the outcome of the one before leaves the panel."""
        self._end_run()
        if self._preview is not None:
            self._preview.hide()

    def follow(self, tab: WebTab | None) -> None:
        """The window shows ``tab`` now (or its page moved): a preview waiting for another tab,
        or for a page this one left, ends and fills nothing."""
        run = self._run
        if run is None or run.planned is None:
            return
        if tab is not run.tab or not run.alive():
            self._refuse(run, NotFilled.CHANGED)

    def clear(self) -> None:
        """Sign-out: the preview (which may show the person's values) goes, nothing is filled."""
        self._end_run()
        if self._preview is not None:
            self._preview.reset()

    def _why(
        self, why: NotFilled, platform: Platform | None, answer: dict[str, Any] | None = None
    ) -> str:
        """Why nothing was filled, in the person's words."""
        if why is NotFilled.NO_PAGE:
            return translate(
                "FormFiller", "Open a platform's form page first; nothing was filled."
            )
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
        if why is NotFilled.NO_FIELDS:
            return translate(
                "FormFiller",
                "No field on this page of {platform} matches a value in the one table; nothing "
                "was filled.",
            ).format(platform=self._name(platform))
        if why is NotFilled.CANCELLED:
            return translate("FormFiller", "Fill cancelled; nothing was filled.")
        if why is NotFilled.NOTHING_CHOSEN:
            return translate("FormFiller", "No field was ticked; nothing was filled.")
        if why is NotFilled.REFUSED and answer:
            return translate("FormFiller", "The page refused to be filled ({why}).").format(
                why=answer["refused"]
            )
        return translate("FormFiller", "The page did not answer; nothing was filled.")

    def _name(self, platform: Platform) -> str:
        return platform.name_en if self.english else platform.name

    def _field_name(self, label: str, key: str) -> str:
        return bounded(label, 40, lines=1) if label else self._label(key)

    def _label(self, key: str) -> str:
        services = self._context.services
        definition = services.fields.get(key) if services is not None else None
        if definition is None:
            return key
        return definition.label_en if self.english else definition.label


def _loaded(tab: WebTab) -> bool:
    """The tab's page has finished loading (not about:blank before its first load)."""
    url = tab.url()
    return bool(url) and url != "about:blank" and not tab.page.isLoading()
