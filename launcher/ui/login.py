"""The embedded sign-in dialog: the county provider's own login page, on the shared web profile."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from launcher.ui.plain_text import plain_label
from launcher.ui.sign_in_errors import detail_label, show_detail
from launcher.ui.web import LoginPage
from launcher.ui.window_size import fit_to_screen


class LoginDialog(QDialog):
    """Shows the provider's login page; the redirect back is caught, never loaded."""

    callback_reached = Signal(str)
    """The callback URL the provider redirected to after the user signed in."""
    retry_requested = Signal()
    """The user wants to try again after an error (needs a new login flow)."""

    def __init__(
        self,
        profile: QWebEngineProfile,
        auth_uri: str,
        redirect_uri: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign in"))
        self.setObjectName("loginDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # Never taller than the screen (1366×768 at 200 % leaves 384 px): the page scrolls
        # itself, and the buttons below it stay in reach.
        fit_to_screen(self, 600, 720, limit=True)

        # Plain text: an error names the county IT team, from the county file (outside text).
        self.message = plain_label(QLabel(self))
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setText(self.tr("Sign in with your county account."))
        self.message.setAccessibleName(self.tr("Sign-in status"))
        self.detail = detail_label(self)

        self.view = QWebEngineView(self)
        self.page = LoginPage(profile, redirect_uri, self.view)
        self.view.setPage(self.page)
        self.view.setAccessibleName(self.tr("County sign-in page"))
        self.page.callback_reached.connect(self._caught)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        buttons.rejected.connect(self.reject)
        self.retry_button = buttons.addButton(
            self.tr("Try again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.retry_button.setAccessibleName(self.tr("Try signing in again"))
        self.retry_button.hide()
        self.retry_button.clicked.connect(self.retry_requested.emit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.detail)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        # The page's sign-in field takes the keyboard as soon as it shows (its autofocus acts
        # only in a view that has the focus).
        self.view.setFocus()
        self.view.load(QUrl(auth_uri))

    def _caught(self, url: str) -> None:
        self.message.setText(self.tr("Checking the sign-in…"))
        self._set_error_style(False)
        self.view.setEnabled(False)
        self.callback_reached.emit(url)

    def show_error(self, text: str, detail: str = "") -> None:
        """``text``: what happened and what to do next; ``detail``: the technical detail."""
        self.message.setText(text)
        show_detail(self.detail, detail)
        self._set_error_style(True)
        self.retry_button.show()
        self.retry_button.setFocus()

    def restart(self, auth_uri: str, redirect_uri: str) -> None:
        """Start over with a new flow, after an error."""
        self.page.redirect_uri = redirect_uri
        self.page.caught = False
        self.retry_button.hide()
        self._set_error_style(False)
        show_detail(self.detail, "")
        self.message.setText(self.tr("Sign in with your county account."))
        self.view.setEnabled(True)
        self.view.load(QUrl(auth_uri))

    def _set_error_style(self, error: bool) -> None:
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def done(self, result: int) -> None:
        # The dialog is deleted after it closes (the main window sees to it), and its page with it:
        # the shared profile must never be released while a page still uses it.
        self.view.stop()
        super().done(result)
