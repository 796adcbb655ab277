"""The PySide6 user interface: main window, tiles, inbox, profile editor, web tabs and dialogs.

Only this package imports Qt; it builds on launcher.core's Qt-free services.
"""
