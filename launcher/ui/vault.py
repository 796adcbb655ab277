"""The password vault in the window: signing in to legacy platforms that have only their own login
form, asking for their account once, and the list of saved passwords.

The vault works only in web tabs the person opened for a password platform, from its tile or from
one of its tasks (``WebTab.opened_by_person`` and ``WebTab.platform_id``), never in a window a page
script opened. When such a tab shows the platform's login page (``[auth.login] url``, on its own
origin, in the top frame or in a frame of the platform's own frameset) while someone is signed in to
the county, the saved account is filled in from the launcher's isolated script world; the page
script checks origin, path and frames again.

It never locks an account. It submits by itself only while the saved account is ``ready`` (see
launcher/core/auth/vault.py), at most once per tab, and writes ``trying`` before it does. A form
with a captcha is filled and never submitted. After a submission it reads the tab until the answer
has settled (core/auth/vault_outcome.py): only a clear success keeps it submitting by itself; a
refused or unclear answer (another page, an error, no answer in time) stops it, in the keyring, so
reopening the tile or restarting the launcher does not submit again, and the tab shows a bar with the
person's choices (fill in only, update the password, try once more).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from launcher.core.auth.vault import (
    MAX_FRAME_DEPTH,
    PASSWORD_KIND,
    AutoSubmit,
    Credentials,
    LoginPlan,
    SavedAccount,
    login_script,
    plan_login,
)
from launcher.core.auth.vault_outcome import (
    Outcome,
    Seen,
    SubmitOutcome,
    judge,
    outcome_script,
    parse_seen,
    refusal_shown,
)
from launcher.core.logmask import remember_secret
from launcher.ui.plain_text import bounded, plain_label
from launcher.ui.tiles import PASSWORD_MISSING, PASSWORD_SAVED
from launcher.ui.vault_notice import NoticeChoice, VaultNotice

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from launcher.app.services import Services
    from launcher.core.registry import Platform
    from launcher.ui.web import WebTab
    from launcher.ui.window_context import WindowContext

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

RETRIES = 4
"""How often a login page whose form is not there yet (drawn by its scripts) is looked at again."""
RETRY_MS = 500
POLL_MS = 400
"""How often a tab is read after a submission, until its answer has settled."""
OUTCOME_TIMEOUT_MS = 20_000
"""A submission without a settled answer by then is an unknown outcome."""
INTENT_SECONDS = 30.0
"""A choice made in the bar (fill, try once more) waits this long for the login page to load."""
APPLICATION_WORLD = 1
"""QWebEngineScript.ScriptWorldId.ApplicationWorld: the launcher's isolated world (the page's
scripts cannot see or replace what the vault's scripts use). An int: QtWebEngine is imported
only with the first page."""


class NotSubmitted(StrEnum):
    """Why the vault only filled an account in (the ``filled`` signal)."""

    CAPTCHA = "captcha"
    """The form asks for a captcha: never submitted."""
    FILL = "fill"
    """Filling in is what is due: the person chose it (or set the account to fill in only),
    this tab had its one automatic submission, or the vault signed in in it before."""
    MANIFEST = "manifest"
    """The platform's manifest says ``autosubmit = false``."""


class _Intent(StrEnum):
    """The person's choice in the bar (or in the account dialog), done when the login page
    shows."""

    FILL = "fill"
    SUBMIT = "submit"


@dataclass
class _Attempt:
    """One submission of an account on a login page, until its answer is judged."""

    platform: Platform
    credentials: Credentials
    saved: bool
    """The saved account (its state is kept in the keyring), not one typed in for once."""
    automatic: bool
    """Submitted by the vault itself, not because the person chose to."""
    previous: AutoSubmit
    """The saved account's state before, put back if the submission did not happen."""
    mark: str
    """Left on the login form's document by the fill script: while it is there, no answer yet."""
    before: Seen | None = None
    submitted: bool = False
    deadline: float = 0.0
    last_key: tuple[str, ...] | None = None
    looking: bool = False


@dataclass
class _TabState:
    attempt: _Attempt | None = None
    busy: bool = False
    declined: bool = False
    """The person closed the account dialog for this tab: do not ask again in it."""
    auto_used: bool = False
    """This tab (one opening of a tile or task) had its one automatic submission."""
    signed_in: bool = False
    """The vault signed in in this tab before: the login page again (the person signed out of
    the platform, or its session ended) gets the account filled in, not submitted."""
    intent: _Intent | None = None
    """The person's choice in the bar, done when the login page shows (until ``intent_until``)."""
    intent_until: float = 0.0
    notice: VaultNotice | None = None


class PasswordDialog(QDialog):
    """Asks for the account of a platform with its own login: user name, password, keep it?"""

    def __init__(
        self,
        platform_name: str,
        *,
        username: str = "",
        refused: bool = False,
        manage: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(
            self.tr("Password for {platform}").format(platform=platform_name)
            if manage
            else self.tr("Sign in to {platform}").format(platform=platform_name)
        )
        if refused:
            intro = self.tr(
                "{platform} refused the saved password. Enter your current user name and "
                "password for it."
            )
        else:
            intro = self.tr(
                "{platform} has its own login, separate from the county sign-in. Enter your "
                "user name and password for it; the launcher fills in its login page for you."
            )
        # The platform's name comes from its manifest: shown as plain text, whatever it holds.
        self.intro = plain_label(QLabel(bounded(intro.format(platform=platform_name)), self))
        self.intro.setWordWrap(True)
        self.username = QLineEdit(username, self)
        self.username.setObjectName("vaultUsername")
        self.username.setAccessibleName(self.tr("User name"))
        self.password = QLineEdit(self)
        self.password.setObjectName("vaultPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.save = QCheckBox(self.tr("Save in the system keyring"), self)
        self.save.setChecked(True)
        self.save.setToolTip(
            self.tr(
                "Kept for your county account only; signing out keeps it. "
                "Account → Saved passwords… deletes it."
            )
        )
        self.save.setVisible(not manage)
        form = QFormLayout()
        form.addRow(self.tr("&User name:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Save") if manage else self.tr("Sign in"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.save)
        layout.addWidget(self.buttons)
        for edit in (self.username, self.password):
            edit.textChanged.connect(self._update)
        self._update()
        (self.password if username else self.username).setFocus()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.username.text().strip() and self.password.text()))

    def credentials(self) -> Credentials:
        return Credentials(self.username.text().strip(), self.password.text())


class SavedPasswordsDialog(QDialog):
    """The platforms with their own login and the account saved for each: change or delete."""

    def __init__(self, vault: VaultController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setObjectName("savedPasswordsDialog")
        self.setWindowTitle(self.tr("Saved passwords"))
        self.resize(560, 320)
        note = QLabel(
            self.tr(
                "Platforms with their own login. Their passwords are kept in the system keyring "
                "for your county account; signing out keeps them."
            ),
            self,
        )
        note.setWordWrap(True)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Platform"), self.tr("Account"), self.tr("Signs in by itself")]
        )
        self.table.setAccessibleName(self.tr("Saved passwords"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.change_button = QPushButton(self.tr("Change…"), self)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        self.change_button.clicked.connect(self._change)
        self.delete_button.clicked.connect(self._delete)
        self.table.itemSelectionChanged.connect(self._update)
        row = QHBoxLayout()
        row.addWidget(self.change_button)
        row.addWidget(self.delete_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.platform_ids: list[str] = []
        self._update()
        vault.accounts_loaded.connect(self.show_accounts)
        vault.load_accounts()

    def show_accounts(self, accounts: list[tuple[str, str, str, AutoSubmit | None]]) -> None:
        """(platform id, name, saved user name or '', its ``AutoSubmit`` or None) for every
        password platform."""
        selected = self.selected()
        self.platform_ids = [row[0] for row in accounts]
        self.table.setRowCount(len(accounts))
        for row, (_pid, name, username, auto) in enumerate(accounts):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(username or self.tr("(not saved)")))
            shown = self._auto_text(auto) if username and auto is not None else ""
            self.table.setItem(row, 2, QTableWidgetItem(shown))
        if selected in self.platform_ids:
            self.table.selectRow(self.platform_ids.index(selected))
        elif accounts:
            self.table.selectRow(0)
        self._update()

    def _auto_text(self, auto: AutoSubmit) -> str:
        if auto is AutoSubmit.READY:
            return self.tr("Yes")
        if auto is AutoSubmit.FILL_ONLY:
            return self.tr("No: fills in only")
        return self.tr("Paused after an unsuccessful attempt")

    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self.platform_ids[rows[0].row()] if rows else None

    def _update(self) -> None:
        chosen = self.selected()
        self.change_button.setEnabled(chosen is not None)
        self.delete_button.setEnabled(chosen is not None and self.vault.saved.get(chosen, False))

    def _change(self) -> None:
        if (pid := self.selected()) is not None:
            self.vault.change(pid, parent=self)

    def _delete(self) -> None:
        if (pid := self.selected()) is not None:
            self.vault.delete(pid)


def _page(tab: WebTab) -> Any:
    """The tab's page (after ``close_page`` a blank stand-in, which shows no login page)."""
    return tab.view.page()


class VaultController(QObject):
    """Watches the window's web tabs for password platforms' login pages and signs in there."""

    attempted = Signal(str, bool)
    """A platform id, and True when the vault submitted by itself (False: the person chose to):
    an account was just filled in and submitted on its login page."""
    succeeded = Signal(str)
    """A platform id: the answer to a submission was a clear success."""
    refused = Signal(str, str)
    """A platform id and the sentence shown: the answer to a submission was a refusal or unclear;
    the vault does not submit by itself again until the person acts."""
    filled = Signal(str, str)
    """A platform id and why it was only filled in, a ``NotSubmitted`` (its value: the signal
    carries a ``str``)."""
    stopped = Signal(str)
    """A platform id: its login page showed while the vault is stopped for it (nothing filled;
    the bar with the choices is shown)."""
    asked = Signal(str)
    """A platform id: the dialog asking for its account opened (``dialog``)."""
    saved_changed = Signal()
    """Which platforms have a saved password may have changed (tiles show it)."""
    accounts_loaded = Signal(list)
    """(platform id, name, saved user name or '', its ``AutoSubmit`` or None) of every password
    platform."""
    message = Signal(str)
    """A sentence for the status bar."""

    def __init__(
        self,
        context: WindowContext,
        *,
        signed_in: Callable[[], bool],
        tab_opened: SignalInstance,
        services_ready: SignalInstance,
        user_signed_in: SignalInstance,
        user_signed_out: SignalInstance,
        dialog_parent: QWidget,
        parent: QObject | None = None,
    ) -> None:
        """``context.services`` is None until the county is open, and once it closes;
        ``signed_in`` says whether someone is signed in to the county. The vault watches every
        tab ``tab_opened`` announces and reads the saved passwords again when the county opens
        and when someone signs in or out."""
        super().__init__(parent)
        self._context = context
        self.workers = context.workers
        self._signed_in, self._english = signed_in, context.english
        self._dialog_parent = dialog_parent
        self.saved: dict[str, bool] = {}
        """Password platform id -> a password is saved for the signed-in county account."""
        self.dialog: PasswordDialog | None = None
        self.notice: VaultNotice | None = None
        """The bar shown last (in the tab where the vault stopped)."""
        self.manager: SavedPasswordsDialog | None = None
        self.outcome_timeout_ms = OUTCOME_TIMEOUT_MS
        self._tabs: dict[WebTab, _TabState] = {}
        self._trying: set[str] = set()
        """Platforms with a submission under way: no second one anywhere meanwhile."""
        self._auto: dict[str, tuple[Credentials, AutoSubmit]] = {}
        """Platform id -> the saved account's state last recorded: newer than a keyring read
        that raced with its write."""
        self._writes: list[tuple[str, Callable[[], Any], Callable[[Any], None],
                                 Callable[[BaseException], None]]] = []
        self._poller = QTimer(self)
        self._poller.setInterval(POLL_MS)
        self._poller.timeout.connect(self._poll)
        self._generation = 0
        """Counts keyring reads of the saved state: only the latest one's answer is shown."""
        tab_opened.connect(self.watch)
        services_ready.connect(lambda _services: self.reload())
        user_signed_in.connect(lambda _user: self._account_changed())
        user_signed_out.connect(self._account_changed)

    # -- state for tiles ----------------------------------------------------------------------

    def tile_state(self, plugin_id: str) -> str | None:
        """PASSWORD_SAVED or PASSWORD_MISSING for a password platform; None for the others."""
        if plugin_id not in self.saved:
            return None
        return PASSWORD_SAVED if self.saved[plugin_id] else PASSWORD_MISSING

    def reload(self) -> None:
        """Read from the keyring (on a worker) which password platforms have a saved password."""
        services = self._context.services
        if services is None:
            return
        ids = [p.id for p in self._platforms(services)]
        self._generation += 1
        generation = self._generation

        def work() -> dict[str, bool]:
            return {pid: services.vault.has(pid) for pid in ids}

        def returned(saved: dict[str, bool]) -> None:
            if generation == self._generation:
                self.saved = saved
                self.saved_changed.emit()

        self.workers.submit("read saved passwords", work, returned, self._keyring_failed)

    def _account_changed(self) -> None:
        # Attempts and saved passwords belong to the county account that was signed in.
        self._trying.clear()
        self._auto.clear()
        for tab, state in self._tabs.items():
            state.attempt = None
            state.intent = None
            self._drop_notice(tab)
        self._poller.stop()
        self.reload()

    # -- web tabs -----------------------------------------------------------------------------

    def watch(self, tab: WebTab) -> None:
        self._tabs[tab] = _TabState()
        tab.load_finished.connect(lambda ok, t=tab: self._page_loaded(t, ok))
        tab.destroyed.connect(lambda _obj=None, t=tab: self._tab_gone(t))

    def _tab_gone(self, tab: WebTab) -> None:
        state = self._tabs.pop(tab, None)
        if state is not None and state.attempt is not None:
            # The answer is never seen: the saved state stays "trying", which the next opening
            # reads as an unknown outcome.
            self._trying.discard(state.attempt.platform.id)

    def _platform_of(self, tab: WebTab) -> Platform | None:
        """The password platform the person opened ``tab`` for, or None (not a tab the vault
        fills: a page script's window, another platform's tab, nobody signed in)."""
        services = self._context.services
        if services is None or not self._signed_in():
            return None
        # Until every WebTab carries them: a tab that does not say it was opened by the person
        # for this platform is never filled.
        if getattr(tab, "opened_by_person", False) is not True:
            return None
        platform_id = getattr(tab, "platform_id", "")
        platform = services.registry.get(platform_id) if platform_id else None
        if platform is None or platform.auth_kind != PASSWORD_KIND:
            return None
        return platform

    def _login_frame(self, tab: WebTab, platform: Platform) -> tuple[Any, LoginPlan] | None:
        """The frame of ``tab`` that shows the platform's login page (the top one first, then
        frames of the platform's own pages, breadth first) with its plan, or None."""
        if tab not in self._tabs:
            return None
        queue: list[tuple[Any, tuple[str, ...]]] = [(_page(tab).mainFrame(), ())]
        while queue:
            frame, above = queue.pop(0)
            url = frame.url().toString()
            plan = plan_login(platform, url, ancestors=above)
            if plan is not None:
                return frame, plan
            if len(above) < MAX_FRAME_DEPTH and platform.owns(url):
                queue.extend((child, (*above, url)) for child in frame.children())
        return None

    def _page_loaded(self, tab: WebTab, ok: bool) -> None:
        state = self._tabs.get(tab)
        if state is None:
            return
        if state.attempt is not None:
            if state.attempt.submitted:
                self._look(tab)  # the answer (or part of it) has come
            else:
                self._cancel(tab, state.attempt)  # the page changed before the vault submitted
            return
        platform = self._platform_of(tab)
        if platform is None or state.busy:
            return
        if self._login_frame(tab, platform) is None:
            return
        services = self._context.services
        assert services is not None
        state.busy = True

        def returned(account: SavedAccount | None) -> None:
            state.busy = False
            if self._login_frame(tab, platform) is not None:
                self._decide(tab, state, platform, account)

        def errored(exc: BaseException) -> None:
            state.busy = False
            self._keyring_failed(exc)

        self.workers.submit(
            "read saved password", lambda: services.vault.account(platform.id), returned, errored
        )

    def _decide(
        self, tab: WebTab, state: _TabState, platform: Platform, account: SavedAccount | None
    ) -> None:
        """The login page shows in ``tab``: fill, submit, ask or show the bar."""
        intent = state.intent if time.monotonic() < state.intent_until else None
        state.intent = None
        name = self._name(platform)
        if account is None:
            if intent is None and state.declined:
                self.message.emit(
                    translate(
                        "Vault",
                        "Sign in to {platform} on its page; Account → Saved passwords… "
                        "saves the password for next time.",
                    ).format(platform=name)
                )
            else:
                self._ask(tab, platform)
            return
        credentials = account.credentials
        auto = account.auto
        known = self._auto.get(platform.id)
        if known is not None and known[0] == credentials:
            auto = known[1]
        if intent is not None:
            submit = intent is _Intent.SUBMIT
            self._fill(tab, platform, credentials, submit=submit, automatic=False, saved=True,
                       previous=auto, over_failure=True)
            return
        if platform.id in self._trying:
            return  # another tab's submission is under way: its answer decides
        if auto is AutoSubmit.TRYING:
            # An automatic submission whose answer was never seen (the tab closed, the launcher
            # stopped): as unclear as any other.
            auto = AutoSubmit.UNKNOWN
            self._set_auto(platform, credentials, auto)
        if auto.stopped:
            self._stopped(tab, platform, auto, credentials.username)
            return
        login = platform.manifest.auth.login
        submit = (
            auto is AutoSubmit.READY
            and not state.auto_used
            and not state.signed_in
            and (login is None or login.autosubmit)
        )
        why = (
            NotSubmitted.FILL
            if auto is AutoSubmit.FILL_ONLY or state.auto_used or state.signed_in
            else NotSubmitted.MANIFEST
        )
        self._fill(tab, platform, credentials, submit=submit, automatic=submit, saved=True,
                   previous=auto, why=why)

    # -- filling and submitting ---------------------------------------------------------------

    def _fill(
        self,
        tab: WebTab,
        platform: Platform,
        credentials: Credentials,
        *,
        submit: bool,
        automatic: bool,
        saved: bool,
        previous: AutoSubmit = AutoSubmit.READY,
        over_failure: bool = False,
        why: NotSubmitted = NotSubmitted.FILL,
        tries: int = 0,
    ) -> None:
        """Fill ``credentials`` into the tab's login form; with ``submit``, submit it once (unless
        the form has a captcha), after looking at the form and writing "trying" first."""
        from launcher.ui.web import parse_js_json

        found = self._login_frame(tab, platform)
        state = self._tabs.get(tab)
        if found is None or state is None or state.attempt is not None:
            return
        frame, plan = found
        url = frame.url().toString()

        def again() -> None:
            found_again = self._login_frame(tab, platform)
            if found_again is not None and found_again[0].url().toString() == url:
                self._fill(tab, platform, credentials, submit=submit, automatic=automatic,
                           saved=saved, previous=previous, over_failure=over_failure, why=why,
                           tries=tries + 1)

        def looked(answer: object) -> None:
            result = parse_js_json(answer)
            log.debug("vault: login form of %s: %s", platform.id, result)
            if result.get("refused"):
                log.warning("vault: %s's login page refused the fill (%s)", platform.id,
                            str(result["refused"])[:80])
            elif result.get("missing") and tries < RETRIES:
                # The form may still be drawn by the page's scripts: look again shortly.
                QTimer.singleShot(RETRY_MS, again)
            elif result.get("missing"):
                self.message.emit(
                    translate(
                        "Vault", "The login form of {platform} was not found on its login page."
                    ).format(platform=self._name(platform))
                )
            elif result.get("failure"):
                pass  # the page shows someone's refused attempt: never typed over
            elif submit and result.get("captcha"):
                # Never submitted: filled, the captcha focused, the person does the rest.
                self._fill(tab, platform, credentials, submit=False, automatic=False,
                           saved=saved, over_failure=over_failure, why=NotSubmitted.CAPTCHA)
            elif submit:
                self._begin(tab, platform, credentials, automatic=automatic, saved=saved,
                            previous=previous, over_failure=over_failure)
            else:
                self._filled(platform, result, why)

        if submit:
            # Look first: nothing is written to the keyring for a form that is not submitted.
            script = login_script(plan, None, over_failure=over_failure)
        else:
            script = login_script(plan, credentials, submit=False, over_failure=over_failure)
        frame.runJavaScript(script, APPLICATION_WORLD, looked)

    def _filled(self, platform: Platform, result: dict[str, Any], why: NotSubmitted) -> None:
        if not result.get("filled"):
            return
        name = self._name(platform)
        if result.get("captcha"):
            self.message.emit(
                translate(
                    "Vault",
                    "The login page of {platform} asks for a captcha: your user name and "
                    "password are filled in. Type the captcha and press its login button.",
                ).format(platform=name)
            )
            self.filled.emit(platform.id, NotSubmitted.CAPTCHA)
            return
        self.message.emit(
            translate(
                "Vault",
                "Your saved account for {platform} is filled in; press its sign-in "
                "button to continue.",
            ).format(platform=name)
        )
        self.filled.emit(platform.id, why)

    def _begin(
        self,
        tab: WebTab,
        platform: Platform,
        credentials: Credentials,
        *,
        automatic: bool,
        saved: bool,
        previous: AutoSubmit,
        over_failure: bool,
    ) -> None:
        """Submit once: what the tab shows now, "trying" in the keyring, then the fill script."""
        state = self._tabs.get(tab)
        services = self._context.services
        if state is None or services is None or platform.id in self._trying:
            return
        if automatic:
            state.auto_used = True  # one automatic submission per opening, whatever happens
        attempt = _Attempt(platform, credentials, saved, automatic, previous, secrets.token_hex(8))
        state.attempt = attempt
        self._trying.add(platform.id)

        def trying_saved(recorded: bool) -> None:
            if state.attempt is not attempt:
                return
            if not recorded:
                # Another password was saved meanwhile: this one is not submitted.
                self._cancel(tab, attempt, restore=False)
                return
            found = self._login_frame(tab, platform)
            if found is None:
                self._cancel(tab, attempt)
                return
            frame, plan = found
            script = login_script(plan, credentials, mark=attempt.mark, over_failure=over_failure)
            frame.runJavaScript(script, APPLICATION_WORLD, lambda answer: submitted(answer))

        def submitted(answer: object) -> None:
            from launcher.ui.web import parse_js_json

            result = parse_js_json(answer)
            if state.attempt is not attempt:
                return
            if not result.get("submitted"):
                # The form changed between the look and the fill (a captcha appeared): nothing
                # was sent, so the saved account's state goes back.
                self._cancel(tab, attempt)
                self._filled(platform, result, NotSubmitted.FILL)
                return
            attempt.submitted = True
            attempt.deadline = time.monotonic() + self.outcome_timeout_ms / 1000
            self.attempted.emit(platform.id, automatic)
            self._poller.start()

        def write_trying(answer: object) -> None:
            if state.attempt is not attempt:
                return
            attempt.before = parse_seen(answer)
            if not saved:
                trying_saved(True)
                return
            self._set_auto(platform, credentials, AutoSubmit.TRYING, then=trying_saved,
                           failed=not_written)

        def not_written(exc: BaseException) -> None:
            # Without "trying" in the keyring a restart could submit again: never submit then.
            if state.attempt is attempt:
                self._cancel(tab, attempt, restore=False)
            self._keyring_failed(exc)

        # What the tab shows before: a banner's failure words are not the platform's answer.
        _page(tab).runJavaScript(outcome_script(platform, ""), APPLICATION_WORLD, write_trying)

    def _cancel(self, tab: WebTab, attempt: _Attempt, *, restore: bool = True) -> None:
        """The submission did not happen: forget it; the saved state goes back to what it was."""
        state = self._tabs.get(tab)
        if state is not None and state.attempt is attempt:
            state.attempt = None
        self._trying.discard(attempt.platform.id)
        if restore and attempt.saved and not attempt.submitted:
            self._set_auto(attempt.platform, attempt.credentials, attempt.previous)

    # -- the answer ---------------------------------------------------------------------------

    def _poll(self) -> None:
        active = [t for t, s in self._tabs.items() if s.attempt and s.attempt.submitted]
        if not active:
            self._poller.stop()
        for tab in active:
            self._look(tab)

    def _look(self, tab: WebTab) -> None:
        """Read the tab after a submission; judge once the answer has settled (or time is up)."""
        state = self._tabs.get(tab)
        attempt = state.attempt if state else None
        if state is None or attempt is None or attempt.looking:
            return
        attempt.looking = True
        platform = attempt.platform

        def answered(answer: object) -> None:
            attempt.looking = False
            if state.attempt is not attempt:
                return
            seen = parse_seen(answer)
            timed_out = time.monotonic() > attempt.deadline
            if seen is None:
                if timed_out:
                    unknown = Outcome(SubmitOutcome.UNKNOWN, "no answer in time")
                    self._answered(tab, attempt, unknown)
                return
            settled = seen.answered and seen.key == attempt.last_key
            attempt.last_key = seen.key if seen.answered else None
            if settled or timed_out or refusal_shown(seen, attempt.before):
                outcome = judge(
                    platform, seen, before=attempt.before, timed_out=timed_out and not settled
                )
                self._answered(tab, attempt, outcome)

        _page(tab).runJavaScript(outcome_script(platform, attempt.mark), APPLICATION_WORLD,
                                 answered)

    def _answered(self, tab: WebTab, attempt: _Attempt, outcome: Outcome) -> None:
        state = self._tabs.get(tab)
        if state is not None and state.attempt is attempt:
            state.attempt = None
        platform = attempt.platform
        self._trying.discard(platform.id)
        log.info("vault: sign-in to %s: %s (%s)", platform.id, outcome.kind, outcome.reason)
        if outcome.kind is SubmitOutcome.SUCCESS:
            if state is not None:
                state.signed_in = True
            if attempt.saved:
                self._set_auto(platform, attempt.credentials, outcome.kind.auto)
            for other, other_state in list(self._tabs.items()):
                if other_state.notice and other_state.notice.platform_id == platform.id:
                    self._drop_notice(other)
            self.succeeded.emit(platform.id)
            return
        auto = outcome.kind.auto
        if attempt.saved:
            self._set_auto(platform, attempt.credentials, auto)
        # (An account typed in without saving it was for that one submission only.)
        text = self._stopped_text(platform, auto, saved=attempt.saved)
        self.message.emit(text)
        if state is not None:
            self._show_notice(tab, platform, text, attempt.credentials.username)
        self.refused.emit(platform.id, text)

    def _stopped(self, tab: WebTab, platform: Platform, auto: AutoSubmit, username: str) -> None:
        """The login page shows while the vault is stopped for the platform: the bar, no fill."""
        self.message.emit(
            translate(
                "Vault",
                "The launcher does not sign in to {platform} by itself after an attempt that was "
                "refused or not confirmed: choose what to do in the bar above the page.",
            ).format(platform=self._name(platform))
        )
        self._show_notice(tab, platform, self._stopped_text(platform, auto, saved=True), username)
        self.stopped.emit(platform.id)

    def _stopped_text(self, platform: Platform, auto: AutoSubmit, *, saved: bool) -> str:
        name = self._name(platform)
        if not saved and auto is AutoSubmit.REFUSED:
            return translate("Vault", "The password for {platform} was refused.").format(
                platform=name
            )
        if not saved:
            return translate(
                "Vault", "The launcher could not confirm that signing in to {platform} worked."
            ).format(platform=name)
        if auto is AutoSubmit.REFUSED:
            return translate(
                "Vault",
                "{platform} refused the sign-in with the saved password (or asked for a "
                "captcha). So that the account is not locked, the launcher does not submit it "
                "again by itself.",
            ).format(platform=name)
        return translate(
            "Vault",
            "The launcher could not confirm that signing in to {platform} worked. So that the "
            "account is not locked, it does not submit the saved password again by itself.",
        ).format(platform=name)

    # -- the bar and the person's choices ---------------------------------------------------------

    def _show_notice(self, tab: WebTab, platform: Platform, text: str, username: str) -> None:
        state = self._tabs.get(tab)
        if state is None:
            return
        self._drop_notice(tab)
        notice = VaultNotice(platform.id, text, tab)
        layout = tab.layout()
        if isinstance(layout, QBoxLayout):
            # Right above the page (below whatever else the tab shows there).
            layout.insertWidget(max(layout.indexOf(tab.view), 0), notice)
        notice.chosen.connect(
            lambda choice, t=tab, p=platform, u=username: self._chosen(
                t, p, NoticeChoice(choice), u
            )
        )
        state.notice = notice
        self.notice = notice
        notice.show()

    def _drop_notice(self, tab: WebTab) -> None:
        state = self._tabs.get(tab)
        notice = state.notice if state else None
        if state is None or notice is None:
            return
        state.notice = None
        if self.notice is notice:
            self.notice = None
        notice.hide()
        notice.deleteLater()

    def _chosen(
        self, tab: WebTab, platform: Platform, choice: NoticeChoice, username: str
    ) -> None:
        state = self._tabs.get(tab)
        services = self._context.services
        if state is None or services is None:
            return
        self._drop_notice(tab)
        if choice is NoticeChoice.UPDATE:
            self._ask(tab, platform, username=username, refused=True)
            return
        intent = _Intent.FILL if choice is NoticeChoice.FILL_ONLY else _Intent.SUBMIT

        def go(account: SavedAccount | None) -> None:
            if account is None:
                self._act(tab, platform, intent, None)
                return
            if choice is NoticeChoice.FILL_ONLY:
                self._set_auto(platform, account.credentials, AutoSubmit.FILL_ONLY)
            self._act(tab, platform, intent, account)

        self.workers.submit(
            "read saved password", lambda: services.vault.account(platform.id), go,
            self._keyring_failed,
        )

    def _act(
        self, tab: WebTab, platform: Platform, intent: _Intent, account: SavedAccount | None
    ) -> None:
        """Do the person's choice on the login page now, or once the tab shows it again."""
        state = self._tabs.get(tab)
        if state is None:
            return
        if self._login_frame(tab, platform) is None or state.attempt is not None:
            state.intent, state.intent_until = intent, time.monotonic() + INTENT_SECONDS
            if state.attempt is None:
                tab.load(platform.home)  # the platform's own way back to its login page
            return
        if account is None:
            self._ask(tab, platform)
            return
        self._fill(tab, platform, account.credentials, submit=intent is _Intent.SUBMIT,
                   automatic=False, saved=True, previous=account.auto, over_failure=True)

    def _set_auto(
        self,
        platform: Platform,
        credentials: Credentials,
        auto: AutoSubmit,
        *,
        then: Callable[[bool], None] | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Record the saved account's state, in memory now (what the next page load decides
        with) and in the keyring in order."""
        services = self._context.services
        if services is None:
            return
        self._auto[platform.id] = (credentials, auto)
        self._serial(
            "save sign-in state",
            lambda: services.vault.set_auto(platform.id, credentials, auto),
            then or (lambda _recorded: None),
            failed or self._keyring_failed,
        )

    def _serial(
        self,
        name: str,
        work: Callable[[], Any],
        returned: Callable[[Any], None],
        errored: Callable[[BaseException], None],
    ) -> None:
        """Keyring writes one after another, in the order asked: "trying" never lands after the
        "ready" that followed it, and a state never overwrites a password saved after it."""
        self._writes.append((name, work, returned, errored))
        if len(self._writes) == 1:
            self._write_next()

    def _write_next(self) -> None:
        if not self._writes:
            return
        name, work, returned, errored = self._writes[0]

        def done(call: Callable[[Any], None], value: Any) -> None:
            self._writes.pop(0)
            try:
                call(value)
            finally:
                self._write_next()

        self.workers.submit(
            name, work, lambda value: done(returned, value), lambda exc: done(errored, exc)
        )

    # -- asking for an account ----------------------------------------------------------------

    def _ask(
        self,
        tab: WebTab | None,
        platform: Platform,
        *,
        username: str = "",
        refused: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """The account dialog; with ``tab``, the account is then submitted on its login page (the
        person asked for it: once, and never with a captcha)."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = PasswordDialog(
            self._name(platform),
            username=username,
            refused=refused,
            manage=tab is None,
            parent=parent or self._dialog_parent,
        )
        self.dialog = dialog

        def accepted() -> None:
            credentials = dialog.credentials()
            remember_secret(credentials.password)
            if tab is None or dialog.save.isChecked():
                self._save(platform, credentials, then_tab=tab)
            else:
                self._submit_for_person(tab, platform, credentials, saved=False)

        def rejected() -> None:
            state = self._tabs.get(tab) if tab is not None else None
            if state is not None:
                state.declined = True

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(rejected)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.asked.emit(platform.id)
        dialog.open()

    def _submit_for_person(
        self, tab: WebTab, platform: Platform, credentials: Credentials, *, saved: bool
    ) -> None:
        state = self._tabs.get(tab)
        if state is None:
            return
        if self._login_frame(tab, platform) is None:
            if saved:  # the saved account is used when the login page shows again
                state.intent = _Intent.SUBMIT
                state.intent_until = time.monotonic() + INTENT_SECONDS
                tab.load(platform.home)
            return
        self._fill(tab, platform, credentials, submit=True, automatic=False, saved=saved,
                   over_failure=True)

    def _dialog_closed(self, dialog: PasswordDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _save(
        self, platform: Platform, credentials: Credentials, *, then_tab: WebTab | None
    ) -> None:
        services = self._context.services
        if services is None:
            return

        def saved(_none: object) -> None:
            self.load_accounts()
            self.message.emit(
                translate("Vault", "The password for {platform} is saved.").format(
                    platform=self._name(platform)
                )
            )
            if then_tab is not None:
                self._submit_for_person(then_tab, platform, credentials, saved=True)

        def failed(exc: BaseException) -> None:
            self._keyring_failed(exc)
            # Not saved, but the person asked to sign in: use it this once.
            if then_tab is not None:
                self._submit_for_person(then_tab, platform, credentials, saved=False)

        self._serial(
            "save password",
            lambda: services.vault.set(platform.id, credentials.username, credentials.password),
            saved,
            failed,
        )

    # -- the saved-passwords list -------------------------------------------------------------

    def open_manager(self) -> None:
        """Account → Saved passwords…: list, change and delete saved passwords."""
        if self._context.services is None or not self._signed_in():
            QMessageBox.information(
                self._dialog_parent,
                translate("Vault", "Saved passwords"),
                translate(
                    "Vault",
                    "Sign in first: saved passwords belong to the county account signed in.",
                ),
            )
            return
        if self.manager is not None:
            self.manager.raise_()
            return
        manager = SavedPasswordsDialog(self, self._dialog_parent)
        manager.finished.connect(lambda _result: self._manager_closed(manager))
        self.manager = manager
        manager.open()

    def _manager_closed(self, manager: SavedPasswordsDialog) -> None:
        if self.manager is manager:
            self.manager = None
        manager.deleteLater()

    def load_accounts(self) -> None:
        services = self._context.services
        if services is None:
            return
        platforms = [(p.id, self._name(p)) for p in self._platforms(services)]
        self._generation += 1
        generation = self._generation

        def work() -> list[tuple[str, str, str, AutoSubmit | None]]:
            rows: list[tuple[str, str, str, AutoSubmit | None]] = []
            for pid, name in platforms:
                account = services.vault.account(pid)
                if account is None:
                    rows.append((pid, name, "", None))
                else:
                    rows.append((pid, name, account.credentials.username, account.auto))
            return rows

        def returned(rows: list[tuple[str, str, str, AutoSubmit | None]]) -> None:
            if generation == self._generation:
                self.saved = {row[0]: bool(row[2]) for row in rows}
                self.saved_changed.emit()
            self.accounts_loaded.emit(rows)

        self.workers.submit("read saved passwords", work, returned, self._keyring_failed)

    def change(self, platform_id: str, *, parent: QWidget | None = None) -> None:
        services = self._context.services
        platform = services.registry.get(platform_id) if services else None
        if platform is not None:
            self._ask(None, platform, parent=parent)

    def delete(self, platform_id: str) -> None:
        services = self._context.services
        platform = services.registry.get(platform_id) if services else None
        if services is None or platform is None:
            return

        def deleted(_none: object) -> None:
            self.message.emit(
                translate("Vault", "The saved password for {platform} is deleted.").format(
                    platform=self._name(platform)
                )
            )
            self.load_accounts()

        self._serial(
            "delete password",
            lambda: services.vault.delete(platform_id),
            deleted,
            self._keyring_failed,
        )

    # -- helpers ------------------------------------------------------------------------------

    def _platforms(self, services: Services) -> list[Platform]:
        return [p for p in services.registry.platforms if p.auth_kind == "password"]

    def _name(self, platform: Platform) -> str:
        return platform.name_en if self._english else platform.name

    def _keyring_failed(self, exc: BaseException) -> None:
        self.message.emit(
            translate("Vault", "The system keyring could not be used: {error}").format(error=exc)
        )
