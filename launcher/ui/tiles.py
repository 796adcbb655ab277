"""Platform tiles: one button per platform with icon, name, pending-count badge and state.

The state is written out in two short lines: what the tile is (已登录, 出错, 需重新登录 …) and how
current its tasks are (已更新 09:30, 离线数据，截至 08:12, 失败：无法连接); colour repeats it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QSize, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from launcher.core.states import TileState
from launcher.ui.plain_text import PlainLabel, bounded, tooltip

# The window's first frame shows the panel without tiles (they come when the county is open):
# what only tiles use (QPainter, QPixmap, QSizePolicy, the ``Qt`` namespace) is imported when the
# first tile is made, as making those Python types and their enums costs start-up time.
if TYPE_CHECKING:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QImage, QPaintEvent, QPixmap, QResizeEvent

ICON_SIZE = 36

FULL_PANEL_WIDTH = 260
"""The tiles panel's width with names and states shown (the window gives it this when wide)."""
COMPACT_BELOW = 170
"""A panel narrower than this shows icon-only tiles (names in tooltips and accessible names)."""
COMPACT_TILE_WIDTH = 72
COMPACT_TILE_HEIGHT = 52

# A tile's states (launcher/core/states.py; their words are in launcher/app/vocabulary.py).
SIGNED_OUT, SIGNED_IN = TileState.SIGNED_OUT, TileState.SIGNED_IN
FAILED, STALE = TileState.FAILED, TileState.STALE
# Platforms with only their own login form, signed in to by the password vault.
PASSWORD_SAVED, PASSWORD_MISSING = TileState.PASSWORD_SAVED, TileState.PASSWORD_MISSING
NEEDS_SIGN_IN = TileState.NEEDS_SIGN_IN
"""Signed in, but this platform's token could not be renewed: the user must sign in again."""
BLOCKED, WARNED = TileState.BLOCKED, TileState.WARNED
"""The county's kill switch: a hard block (not loaded) or a soft one (works, with a warning)."""


class TileInfo(NamedTuple):
    """What a tile shows about one platform, assembled by the main window from the services.

    (A NamedTuple rather than a dataclass: this module is on the window's start path, and making
    a dataclass costs about ten times as much.)"""

    plugin_id: str
    name: str
    home: str
    icon_data: bytes | None = None
    """The icon file's bytes, read on a worker so the GUI thread never touches the disk."""
    icon_image: QImage | None = None
    """The icon decoded and scaled to the tile's size (``tile_icon``, on that worker too); when
    set, ``icon_data`` is not decoded again."""


def tile_icon(data: bytes | None) -> QImage | None:
    """The icon in ``data`` at the tile's size, or None when it is not an image Qt reads. Safe
    on any thread (a QImage, not a QPixmap): the window's start-up worker decodes the icons."""
    if not data:
        return None
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    image = QImage.fromData(data)
    if image.isNull():
        return None
    return image.scaled(
        ICON_SIZE,
        ICON_SIZE,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class ElidedLabel(PlainLabel):
    """A one-line label that ends in "…" when narrower than its text (the full text stays in
    ``text()``, the tile's tooltip and its accessible name). Plain text: it shows platform names
    from manifests, and in the status bar the user's name and the platforms' words."""

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        rect = self.contentsRect()
        if self.fontMetrics().horizontalAdvance(self.text()) <= rect.width():
            # It fits: painted as any label (and without the Qt namespace, so a label of the
            # window's first frame costs nothing more: see launcher/ui/gl_sharing.py).
            super().paintEvent(event)
            return
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QPainter

        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            rect,
            int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )


class PlatformTile(QPushButton):
    """A big, keyboard-focusable button: Enter, Space or a click opens the platform.

    Compact (``set_compact``, when the window is narrow): the icon alone, with the count badge on
    its corner; the name and state stay in the tooltip and the accessible name."""

    def __init__(self, info: TileInfo, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSizePolicy

        super().__init__(parent)
        self.info = info
        self.setObjectName("platformTile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self._icon = QLabel(self)
        self._icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        self._icon.setPixmap(_pixmap(info))
        self._shown_name = bounded(info.name)  # a manifest's: outside text
        self._name = ElidedLabel(self._shown_name, self)
        self._name.setObjectName("tileName")
        self._state = QLabel(self)
        self._state.setObjectName("tileState")
        self._detail = ElidedLabel(self)
        self._detail.setObjectName("tileDetail")
        self._detail.hide()
        self._badge = QLabel(self)
        self._badge.setObjectName("tileBadge")
        self._badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._badge.setMinimumWidth(28)
        self._badge.setFixedHeight(24)
        for label in (self._icon, self._name, self._state, self._detail, self._badge):
            # Clicks on the labels must reach the button.
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)

        text = self._text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self._name)
        text.addWidget(self._state)
        text.addWidget(self._detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.setSpacing(10)
        row.addWidget(self._icon)
        row.addLayout(text, 1)
        row.addWidget(self._badge, 0, Qt.AlignmentFlag.AlignVCenter)

        self._row = row
        self.compact = False
        self.count = 0
        self.state: TileState | str = ""
        self.reason = ""
        self.detail = ""
        self.set_state(SIGNED_OUT, 0, "")

    def set_compact(self, compact: bool) -> None:
        """Icon only (the badge on the icon's corner), or icon, name, state and badge."""
        if compact == self.compact:
            return
        self.compact = compact
        for label in (self._name, self._state):
            label.setVisible(not compact)
        self._detail.setVisible(bool(self.detail) and not compact)
        if compact:
            self._row.removeWidget(self._badge)  # placed by hand on the icon's corner
        else:
            from PySide6.QtCore import Qt

            self._row.addWidget(self._badge, 0, Qt.AlignmentFlag.AlignVCenter)
        self._badge.setVisible(self.count > 0)
        self.updateGeometry()
        self._place_badge()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_badge()

    def _place_badge(self) -> None:
        if not self.compact:
            return
        badge = self._badge
        badge.adjustSize()
        icon = self._icon.geometry()
        # Over the icon's top-right corner, inside the tile.
        x = min(icon.right() - badge.width() // 2, self.width() - badge.width() - 3)
        badge.move(max(0, x), 3)
        badge.raise_()

    def set_state(self, state: TileState | str, count: int, reason: str, detail: str = "") -> None:
        """Show ``state`` (a ``TileState``), ``count`` open tasks, a reason (the
        tooltip) and ``detail``, the short line on how current the tasks are (已更新 09:30).
        What is already shown is not set again (each refresh sets every tile)."""
        if (state, count, reason, detail) == (self.state, self.count, self.reason, self.detail):
            return
        repolish = state != self.state
        self.state, self.count, self.reason, self.detail = state, count, reason, detail
        # The words are imported with the first tile, after the window's first frame.
        from launcher.app.vocabulary import tile_state_label
        from launcher.ui import language

        label = tile_state_label(TileState(state), language.current())
        self._state.setText(label)
        self._detail.setText(detail)
        self._detail.setVisible(bool(detail) and not self.compact)
        if repolish:
            for part in (self._state, self._detail):
                part.setProperty("state", str(state))  # the style sheet's [state="failed"]
                # Re-polished so the style sheet picks up the new property (colour per state).
                part.style().unpolish(part)
                part.style().polish(part)
        spoken = (
            self.tr("{state}, {detail}").format(state=label, detail=detail) if detail else label
        )
        self._badge.setText(str(count) if count else "")
        self._badge.setVisible(count > 0)
        self._place_badge()
        # The name comes from a manifest and the reason may quote the platform: outside text.
        tip = self.tr("{name}: {state}").format(name=self._shown_name, state=spoken)
        self.setToolTip(tooltip(tip, reason))
        if count:
            accessible = self.tr("{name}, {count} pending, {state}").format(
                name=self._shown_name, count=count, state=spoken
            )
        else:
            accessible = self.tr("{name}, {state}").format(name=self._shown_name, state=spoken)
        self.setAccessibleName(accessible)
        if state == PASSWORD_MISSING:
            description = self.tr("Opens the platform; the launcher asks for its password once.")
        elif state == PASSWORD_SAVED:
            description = self.tr("Opens the platform, signed in with the saved password.")
        elif state == BLOCKED:
            description = self.tr("Says why the county blocked this platform and whom to call.")
        else:
            description = self.tr("Opens the platform in a new tab, signed in.")
        self.setAccessibleDescription(reason or description)

    def state_text(self) -> str:
        return self._state.text()

    def detail_text(self) -> str:
        return self._detail.text()

    def badge_text(self) -> str:
        return self._badge.text()

    def text_height(self) -> int:
        """64 px, the tile's height with its name in 12 pt, grown in proportion with larger text
        (View menu): its lines then keep the room they have at the normal size."""
        points = self._name.font().pointSizeF()
        return max(64, round(64 * points / 12))

    def sizeHint(self) -> QSize:
        if self.compact:
            return QSize(COMPACT_TILE_WIDTH, COMPACT_TILE_HEIGHT)
        return QSize(220, self.text_height())

    def minimumSizeHint(self) -> QSize:
        if self.compact:
            return QSize(COMPACT_TILE_WIDTH, COMPACT_TILE_HEIGHT)
        return QSize(super().minimumSizeHint().width(), self.text_height())

    def event(self, event: QEvent) -> bool:
        from PySide6.QtCore import QEvent

        done = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            # A label's font changed (larger text, applied while the window is open): the tile's
            # height follows.
            self.updateGeometry()
        return done


def _pixmap(info: TileInfo) -> QPixmap:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QIcon, QPixmap

    if info.icon_image is not None:
        return QPixmap.fromImage(info.icon_image)
    pixmap = QPixmap()
    if info.icon_data:
        pixmap.loadFromData(info.icon_data)
    if pixmap.isNull():
        pixmap = QIcon.fromTheme("applications-internet").pixmap(ICON_SIZE, ICON_SIZE)
    if pixmap.isNull():
        return pixmap
    return pixmap.scaled(
        ICON_SIZE,
        ICON_SIZE,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


class TilePanel(QScrollArea):
    """The column of platform tiles on the left of the main window.

    Narrower than COMPACT_BELOW (a small screen, large scaling, or the splitter dragged), its
    tiles show their icons only: ``compact``."""

    open_requested = Signal(str)
    """The plugin id of the tile the user activated."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tilePanel")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.compact = False
        self._box = QWidget(self)
        self._box.setObjectName("tileBox")
        self._layout = QVBoxLayout(self._box)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(6)
        self._heading = QLabel(self.tr("Platforms"), self._box)
        self._heading.setObjectName("tileHeading")
        self._layout.addWidget(self._heading)
        self._layout.addStretch(1)
        self.setWidget(self._box)
        self.setAccessibleName(self.tr("Platforms"))
        self.tiles: dict[str, PlatformTile] = {}
        self.setMinimumWidth(self.compact_width())

    def compact_width(self) -> int:
        """The width of the panel with icon-only tiles and room for its scroll bar."""
        margins = self._layout.contentsMargins()
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return COMPACT_TILE_WIDTH + margins.left() + margins.right() + scroll_bar

    def set_compact(self, compact: bool) -> None:
        """Icon-only tiles (and no heading), or tiles with names and states."""
        if compact == self.compact:
            return
        self.compact = compact
        self._heading.setVisible(not compact)
        for tile in self.tiles.values():
            tile.set_compact(compact)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.set_compact(self.width() < COMPACT_BELOW)

    def set_platforms(self, infos: list[TileInfo]) -> None:
        from PySide6.QtCore import Qt

        # Long names are elided, never scrolled to (set here, with the first tiles: the first
        # frame, which has none, needs nothing of the Qt namespace).
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for tile in self.tiles.values():
            tile.deleteLater()
        self.tiles.clear()
        for info in infos:
            tile = PlatformTile(info, self._box)
            tile.set_compact(self.compact)
            tile.clicked.connect(lambda _=False, pid=info.plugin_id: self.open_requested.emit(pid))
            # Insert above the stretch at the end.
            self._layout.insertWidget(self._layout.count() - 1, tile)
            self.tiles[info.plugin_id] = tile

    def tile(self, plugin_id: str) -> PlatformTile | None:
        return self.tiles.get(plugin_id)
