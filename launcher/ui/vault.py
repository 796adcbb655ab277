"""The password vault in the window: signing in to legacy platforms that have only their own login
form, asking for their account once, and the list of saved passwords.

When a web tab finishes loading a password platform's login page (its ``[auth.login] url``, on its
own origin, in the top frame) and someone is signed in to the county, the saved account is filled in
and submitted from the launcher's isolated script world; the page script checks origin and frame
again. Without a saved account the user is asked for it. If the login page comes back after the
launcher submitted, the password was refused: the user is told so and asked to update it, and that
password is never submitted again by itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from launcher.core.auth.vault import Credentials, is_login_page, login_script, plan_login
from launcher.core.logmask import remember_secret
from launcher.ui import i18n
from launcher.ui.tiles import PASSWORD_MISSING, PASSWORD_SAVED

if TYPE_CHECKING:
    from launcher.core.registry import Platform
    from launcher.core.services import Services
    from launcher.ui.main_window import MainWindow
    from launcher.ui.web import WebTab

log = logging.getLogger(__name__)
translate = QCoreApplication.translate

RETRIES = 4
"""How often a login page whose form is not there yet (drawn by its scripts) is looked at again."""
RETRY_MS = 500


@dataclass
class _TabState:
    pending: tuple[str, bool, str] | None = None
    """(platform id, saved, user name) after the launcher submitted an account in this tab, until
    the next page: the login page again means the password was refused."""
    busy: bool = False
    declined: bool = False
    """The user closed the account dialog for this tab: do not ask again in it."""
    signed_in: bool = False
    """The launcher signed in in this tab before: the login page again (the user signed out of
    the platform, or its session ended) gets the account filled in, not submitted."""


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
        self.intro = QLabel(intro.format(platform=platform_name), self)
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
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Platform"), self.tr("Account")])
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

    def show_accounts(self, accounts: list[tuple[str, str, str]]) -> None:
        """(platform id, name, saved user name or '') for every password platform."""
        selected = self.selected()
        self.platform_ids = [pid for pid, _name, _user in accounts]
        self.table.setRowCount(len(accounts))
        for row, (_pid, name, username) in enumerate(accounts):
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(username or self.tr("(not saved)")))
        if selected in self.platform_ids:
            self.table.selectRow(self.platform_ids.index(selected))
        elif accounts:
            self.table.selectRow(0)
        self._update()

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


class VaultController(QObject):
    """Watches the window's web tabs for password platforms' login pages and signs in there."""

    attempted = Signal(str)
    """A platform id: an account was just filled in and submitted on its login page."""
    succeeded = Signal(str)
    """A platform id: the page after the submitted account was not the login page again."""
    refused = Signal(str, str)
    """A platform id and the message shown: the login page came back after the launcher submitted."""
    asked = Signal(str)
    """A platform id: the dialog asking for its account opened (``dialog``)."""
    saved_changed = Signal()
    """Which platforms have a saved password may have changed (tiles show it)."""
    accounts_loaded = Signal(list)
    """(platform id, name, saved user name or '') of every password platform."""
    message = Signal(str)
    """A sentence for the status bar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.workers = window.workers
        self.saved: dict[str, bool] = {}
        """Password platform id -> a password is saved for the signed-in county account."""
        self.dialog: PasswordDialog | None = None
        self.notice: QMessageBox | None = None
        self.manager: SavedPasswordsDialog | None = None
        self._tabs: dict[WebTab, _TabState] = {}
        self._refused: set[str] = set()
        self._generation = 0
        """Counts keyring reads of the saved state: only the latest one's answer is shown."""
        window.web_tab_opened.connect(self.watch)
        window.services_ready.connect(lambda _services: self.reload())
        window.signed_in.connect(lambda _user: self._account_changed())
        window.signed_out.connect(self._account_changed)
        self.message.connect(lambda text: window.statusBar().showMessage(text, 20000))

    # -- state for tiles ----------------------------------------------------------------------

    def tile_state(self, plugin_id: str) -> str | None:
        """PASSWORD_SAVED or PASSWORD_MISSING for a password platform; None for the others."""
        if plugin_id not in self.saved:
            return None
        return PASSWORD_SAVED if self.saved[plugin_id] else PASSWORD_MISSING

    def reload(self) -> None:
        """Read from the keyring (on a worker) which password platforms have a saved password."""
        services = self.window.services
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
        # Refusals and saved passwords belong to the county account that was signed in.
        self._refused.clear()
        for state in self._tabs.values():
            state.pending = None
        self.reload()

    # -- web tabs -----------------------------------------------------------------------------

    def watch(self, tab: WebTab) -> None:
        self._tabs[tab] = _TabState()
        tab.load_finished.connect(lambda ok, t=tab: self._page_loaded(t, ok))
        tab.destroyed.connect(lambda _obj=None, t=tab: self._tabs.pop(t, None))

    def _page_loaded(self, tab: WebTab, ok: bool) -> None:
        state = self._tabs.get(tab)
        services = self.window.services
        if state is None or services is None:
            return
        url = tab.url()
        platform = services.registry.platform_for_url(url)
        on_login = platform is not None and is_login_page(platform, url)
        if state.pending is not None:
            platform_id, saved, username = state.pending
            state.pending = None
            if on_login and platform is not None and platform.id == platform_id:
                self._was_refused(tab, platform, saved, username)
                return
            state.signed_in = True
            self.succeeded.emit(platform_id)
        if not ok or not on_login or platform is None or self.window.user is None:
            return
        if platform.id in self._refused:
            self.message.emit(
                translate(
                    "Vault",
                    "The saved password for {platform} was refused; it is not tried again "
                    "until you update it (Account → Saved passwords…).",
                ).format(platform=self._name(platform))
            )
            return
        others = (s for t, s in self._tabs.items() if t is not tab)
        if state.busy or any(s.pending and s.pending[0] == platform.id for s in others):
            return  # one attempt at a time per platform
        state.busy = True

        def returned(credentials: Credentials | None) -> None:
            state.busy = False
            if not self._still_on_login(tab, platform):
                return
            if credentials is None:
                if state.declined:
                    self.message.emit(
                        translate(
                            "Vault",
                            "Sign in to {platform} on its page; Account → Saved passwords… "
                            "saves the password for next time.",
                        ).format(platform=self._name(platform))
                    )
                else:
                    self._ask(tab, platform)
                return
            self._submit(tab, platform, credentials, saved=True, submit=not state.signed_in)

        def errored(exc: BaseException) -> None:
            state.busy = False
            self._keyring_failed(exc)

        self.workers.submit(
            "read saved password", lambda: services.vault.get(platform.id), returned, errored
        )

    def _still_on_login(self, tab: WebTab, platform: Platform) -> bool:
        return tab in self._tabs and is_login_page(platform, tab.url())

    def _submit(
        self,
        tab: WebTab,
        platform: Platform,
        credentials: Credentials,
        *,
        saved: bool,
        submit: bool = True,
        tries: int = 0,
    ) -> None:
        """Fill the account into the tab's login page and, with ``submit``, send it."""
        from launcher.ui.web import parse_js_json

        plan = plan_login(platform, tab.url())
        state = self._tabs.get(tab)
        if plan is None or state is None:
            return
        # Marked before the script runs: the next page load in this tab is the platform's answer.
        pending = (platform.id, saved, credentials.username)
        if submit:
            state.pending = pending
        url = tab.url()

        def again() -> None:
            if self._still_on_login(tab, platform) and tab.url() == url:
                self._submit(
                    tab, platform, credentials, saved=saved, submit=submit, tries=tries + 1
                )

        def answered(answer: object) -> None:
            result = parse_js_json(answer)
            log.debug("vault: login script on %s answered %s", platform.id, result)
            if result.get("submitted"):
                self.attempted.emit(platform.id)
                return
            if result.get("filled"):
                self.message.emit(
                    translate(
                        "Vault",
                        "Your saved account for {platform} is filled in; press its sign-in "
                        "button to continue.",
                    ).format(platform=self._name(platform))
                )
                return
            if state.pending is pending:
                state.pending = None
            if result.get("refused"):
                log.warning(
                    "vault: %s's login page refused the fill (%s)", platform.id, result["refused"]
                )
            elif result.get("missing") and tries < RETRIES:
                # The form may still be drawn by the page's scripts: look again shortly.
                QTimer.singleShot(RETRY_MS, again)
            elif result.get("missing"):
                self.message.emit(
                    translate(
                        "Vault", "The login form of {platform} was not found on its login page."
                    ).format(platform=self._name(platform))
                )

        # The isolated world: the page's scripts cannot see or replace what the script uses.
        tab.run_js(login_script(plan, credentials, submit=submit), answered, isolated=True)

    def _was_refused(self, tab: WebTab, platform: Platform, saved: bool, username: str) -> None:
        name = self._name(platform)
        if saved:
            self._refused.add(platform.id)
            text = translate(
                "Vault",
                "The saved password for {platform} was refused. It will not be tried again "
                "until you update it.",
            ).format(platform=name)
        else:
            text = translate("Vault", "The password for {platform} was refused.").format(
                platform=name
            )
        self.message.emit(text)
        if self.notice is not None:
            self.notice.close()
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            translate("Vault", "Password refused"),
            text,
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setObjectName("vaultRefusedNotice")
        update = box.addButton(
            translate("Vault", "Update password…"), QMessageBox.ButtonRole.AcceptRole
        )
        box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(update)

        def clicked(button: object) -> None:
            if button is update:
                self._ask(tab, platform, username=username, refused=True)

        box.buttonClicked.connect(clicked)
        box.finished.connect(lambda _result: self._notice_closed(box))
        self.notice = box
        self.refused.emit(platform.id, text)
        box.open()

    def _notice_closed(self, box: QMessageBox) -> None:
        if self.notice is box:
            self.notice = None
        box.deleteLater()

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
        """The account dialog; with ``tab``, the account is then submitted on its login page."""
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        dialog = PasswordDialog(
            self._name(platform),
            username=username,
            refused=refused,
            manage=tab is None,
            parent=parent or self.window,
        )
        self.dialog = dialog

        def accepted() -> None:
            credentials = dialog.credentials()
            remember_secret(credentials.password)
            if tab is None or dialog.save.isChecked():
                self._save(platform, credentials, then_tab=tab)
            elif self._still_on_login(tab, platform):
                self._submit(tab, platform, credentials, saved=False)

        def rejected() -> None:
            state = self._tabs.get(tab) if tab is not None else None
            if state is not None:
                state.declined = True

        dialog.accepted.connect(accepted)
        dialog.rejected.connect(rejected)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.asked.emit(platform.id)
        dialog.open()

    def _dialog_closed(self, dialog: PasswordDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _save(
        self, platform: Platform, credentials: Credentials, *, then_tab: WebTab | None
    ) -> None:
        services = self.window.services
        if services is None:
            return

        def saved(_none: object) -> None:
            self._refused.discard(platform.id)
            self.load_accounts()
            self.message.emit(
                translate("Vault", "The password for {platform} is saved.").format(
                    platform=self._name(platform)
                )
            )
            if then_tab is not None and self._still_on_login(then_tab, platform):
                self._submit(then_tab, platform, credentials, saved=True)

        def failed(exc: BaseException) -> None:
            self._keyring_failed(exc)
            # Not saved, but the user asked to sign in: use it this once.
            if then_tab is not None and self._still_on_login(then_tab, platform):
                self._submit(then_tab, platform, credentials, saved=False)

        self.workers.submit(
            "save password",
            lambda: services.vault.set(platform.id, credentials.username, credentials.password),
            saved,
            failed,
        )

    # -- the saved-passwords list -------------------------------------------------------------

    def open_manager(self) -> None:
        """Account → Saved passwords…: list, change and delete saved passwords."""
        if self.window.services is None or self.window.user is None:
            QMessageBox.information(
                self.window,
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
        manager = SavedPasswordsDialog(self, self.window)
        manager.finished.connect(lambda _result: self._manager_closed(manager))
        self.manager = manager
        manager.open()

    def _manager_closed(self, manager: SavedPasswordsDialog) -> None:
        if self.manager is manager:
            self.manager = None
        manager.deleteLater()

    def load_accounts(self) -> None:
        services = self.window.services
        if services is None:
            return
        platforms = [(p.id, self._name(p)) for p in self._platforms(services)]
        self._generation += 1
        generation = self._generation

        def work() -> list[tuple[str, str, str]]:
            rows = []
            for pid, name in platforms:
                credentials = services.vault.get(pid)
                rows.append((pid, name, credentials.username if credentials else ""))
            return rows

        def returned(rows: list[tuple[str, str, str]]) -> None:
            if generation == self._generation:
                self.saved = {pid: bool(user) for pid, _name, user in rows}
                self.saved_changed.emit()
            self.accounts_loaded.emit(rows)

        self.workers.submit("read saved passwords", work, returned, self._keyring_failed)

    def change(self, platform_id: str, *, parent: QWidget | None = None) -> None:
        services = self.window.services
        platform = services.registry.get(platform_id) if services else None
        if platform is not None:
            self._ask(None, platform, parent=parent)

    def delete(self, platform_id: str) -> None:
        services = self.window.services
        platform = services.registry.get(platform_id) if services else None
        if services is None or platform is None:
            return

        def deleted(_none: object) -> None:
            self._refused.discard(platform_id)
            self.message.emit(
                translate("Vault", "The saved password for {platform} is deleted.").format(
                    platform=self._name(platform)
                )
            )
            self.load_accounts()

        self.workers.submit(
            "delete password",
            lambda: services.vault.delete(platform_id),
            deleted,
            self._keyring_failed,
        )

    # -- helpers ------------------------------------------------------------------------------

    def _platforms(self, services: Services) -> list[Platform]:
        return [p for p in services.registry.platforms if p.auth_kind == "password"]

    def _name(self, platform: Platform) -> str:
        return platform.name_en if self.window.language == i18n.ENGLISH else platform.name

    def _keyring_failed(self, exc: BaseException) -> None:
        self.message.emit(
            translate("Vault", "The system keyring could not be used: {error}").format(error=exc)
        )
