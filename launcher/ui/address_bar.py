"""The slim bar above every web page: the page's origin, and whose page it is.

Any page a platform links to can draw a copy of the county's sign-in page; only the address tells
them apart. So every web tab shows the origin of the page it shows (scheme written out, the host
in bold, "not encrypted" for plain http off this machine) and whose page that is: the tab's own
platform, the county's sign-in service, another platform of the county, or none of these, the
last two in a warning style and words (colour never carries meaning alone).

Pages are matched as Fill and the password vault match them: by origin and path, the longest
declared match (``Registry.platform_for_url``); the sign-in service by its address in the county
file (``[idp]`` issuer or CAS server, the path under it included).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from launcher.core.url_scope import DEFAULT_PORTS, page_location, scope_of
from launcher.ui.plain_text import bounded, plain_label, tooltip

if TYPE_CHECKING:
    from launcher.core.registry import Platform, Registry

translate = QCoreApplication.translate

OWN = "own"
"""The tab's own platform (or, in a tab opened for none, a platform of the county)."""
SIGN_IN = "sign-in"
"""The county's identity service."""
OTHER = "other"
"""Another platform of the county than the tab's."""
FOREIGN = "foreign"
"""Neither a platform of the county nor its sign-in service."""
NONE = "none"
"""No page yet."""

MAX_HOST_CHARS = 80
MAX_NAME_CHARS = 40

_STYLE = """
QFrame#addressBar { background: #ffffff; border-bottom: 1px solid #d0d5dd; }
QLabel#addressScheme { color: #5b6470; }
QLabel#addressHost { font-weight: bold; }
QLabel#addressPlace { color: #176b2c; padding-left: 8px; }
QLabel#addressPlace[warning="true"], QLabel#addressInsecure {
    color: #a4000f; font-weight: bold; padding-left: 8px;
}
"""


@dataclass(frozen=True)
class Place:
    """Where a page is and whose it is."""

    kind: str
    """OWN, SIGN_IN, OTHER, FOREIGN or NONE."""
    scheme: str
    """``https://``, ``http://``, or the whole address of a page that has no origin
    (``about:blank``)."""
    host: str
    """The host, with the port when it is not the scheme's default; bounded."""
    encrypted: bool
    """False for plain http to another machine."""
    platform: str = ""
    """The name of the platform the page belongs to (OWN, OTHER)."""
    expected: str = ""
    """The name of the tab's platform ('' for a tab opened for none)."""

    @property
    def warning(self) -> bool:
        return self.kind in (OTHER, FOREIGN)

    def words(self) -> str:
        """Whose page this is, in a few words."""
        if self.kind == OWN:
            return translate("AddressBar", "Part of {platform}").format(platform=self.platform)
        if self.kind == SIGN_IN:
            return translate("AddressBar", "County sign-in service")
        if self.kind == OTHER:
            return translate("AddressBar", "Part of {platform}, not of {expected}").format(
                platform=self.platform, expected=self.expected
            )
        if self.kind == FOREIGN and self.expected:
            return translate("AddressBar", "Not part of {expected}").format(
                expected=self.expected
            )
        if self.kind == FOREIGN:
            return translate("AddressBar", "Not a platform of the county")
        return ""

    def sentence(self) -> str:
        """The whole bar as one sentence, for its accessible description and tooltip."""
        if self.kind == NONE:
            return translate("AddressBar", "No page yet")
        parts = [self.scheme + self.host]
        if not self.encrypted:
            parts.append(translate("AddressBar", "Not encrypted"))
        parts.append(self.words())
        return translate("AddressBar", ", ").join(parts)


class PageOwners:
    """Tells whose a page is: the county's platforms, its sign-in service, or neither."""

    def __init__(self, registry: Registry, sign_in_url: str, *, english: bool = False) -> None:
        self.registry = registry
        self.sign_in = scope_of(sign_in_url)
        self.english = english

    def place(self, url: str, platform_id: str = "") -> Place:
        """Where the page at ``url`` is, in a tab opened for ``platform_id`` ('' for none)."""
        if not url:
            return Place(NONE, "", "", True)
        expected = self.registry.get(platform_id) if platform_id else None
        expected_name = self._name(expected) if expected is not None else ""
        # A blob: page is its creator's: blob:https://host/uuid is https://host's.
        target = url[len("blob:") :] if url.lower().startswith("blob:") else url
        location = page_location(target)
        if location is None:
            # about:blank, data:… have no origin: whatever wrote them could have written anything.
            shown = bounded(url, MAX_HOST_CHARS, lines=1)
            return Place(FOREIGN, shown, "", True, expected=expected_name)
        (scheme, host, port), _readings = location
        shown_host = f"[{host}]" if ":" in host else host
        if DEFAULT_PORTS.get(scheme) != port:
            shown_host += f":{port}"
        shown_host = bounded(shown_host, MAX_HOST_CHARS, lines=1)
        # Chromium too counts plain http to this machine as secure: nothing crosses a network.
        encrypted = scheme == "https" or _loopback(host)
        where = (f"{scheme}://", shown_host, encrypted)
        owner = self.registry.platform_for_url(target, prefer=platform_id)
        depth = owner.match(target) if owner is not None else -1
        # The sign-in service may share an origin with platforms: the deeper declaration wins.
        if self.sign_in is not None and self.sign_in.covers(target) and self.sign_in.depth > depth:
            return Place(SIGN_IN, *where, expected=expected_name)
        if owner is None:
            return Place(FOREIGN, *where, expected=expected_name)
        kind = OWN if expected is None or owner.id == expected.id else OTHER
        return Place(kind, *where, platform=self._name(owner), expected=expected_name)

    def _name(self, platform: Platform) -> str:
        name = platform.name_en if self.english else platform.name
        return bounded(name, MAX_NAME_CHARS, lines=1)


class AddressBar(QFrame):
    """One line above a web page: scheme, host (bold), "not encrypted", whose page it is."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressBar")
        self.setStyleSheet(_STYLE)
        self.setAccessibleName(self.tr("Page address"))
        self.place = Place(NONE, "", "", True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(0)
        self.scheme = self._label("addressScheme", self.tr("Scheme"))
        self.host = self._label("addressHost", self.tr("Host"))
        # The host can be selected and copied, and reached with the keyboard (screen readers).
        self.host.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.insecure = self._label("addressInsecure", self.tr("Connection"))
        self.whose = self._label("addressPlace", self.tr("Whose page"))
        for label in (self.scheme, self.host, self.insecure, self.whose):
            layout.addWidget(label)
        layout.addStretch(1)
        self.show_place(self.place)

    def _label(self, name: str, accessible: str) -> QLabel:
        label = plain_label(QLabel(self))
        label.setObjectName(name)
        label.setAccessibleName(accessible)
        return label

    def show_place(self, place: Place) -> None:
        self.place = place
        self.scheme.setText(place.scheme)
        self.host.setText(place.host)
        self.insecure.setText("" if place.encrypted else self.tr("Not encrypted"))
        self.insecure.setVisible(not place.encrypted)
        words = place.words()
        self.whose.setText(("⚠ " if place.warning else "") + words)
        self.whose.setVisible(bool(words))
        if self.whose.property("warning") != place.warning:
            self.whose.setProperty("warning", place.warning)
            self.whose.style().unpolish(self.whose)
            self.whose.style().polish(self.whose)
        sentence = place.sentence()
        self.setAccessibleDescription(sentence)
        self.host.setAccessibleDescription(sentence)
        self.setToolTip(tooltip(sentence))  # a platform's name is outside text


def _loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
