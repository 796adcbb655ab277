"""The PySide6 user interface: main window, tiles, inbox, profile editor, web tabs and dialogs.

Only this package imports Qt; it builds on launcher.core's Qt-free services.
"""

import PySide6.QtCore  # noqa: F401  (loads PySide6's import hook, which the next line trims)

from launcher.ui import feature_scan

feature_scan.skip()
