"""Qt::AA_ShareOpenGLContexts, which QtWebEngine needs set before the QApplication exists.

PySide6 builds the Python enums of the whole ``Qt`` namespace (about 95 of them) on the first use of
``QtCore.Qt``: about 14 ms, a tenth of the window's start-up, and nothing the window's first frame
shows needs one of them (benchmarks/startup.py). So the attribute is set through Qt's C++ function
itself, found by its exported name, and through PySide6's enum only where that name is not found
(another platform's name mangling, another Qt build).
"""

from __future__ import annotations

import logging
import os
import sys

log = logging.getLogger(__name__)

AA_SHARE_OPENGL_CONTEXTS = 18
"""The value of Qt::AA_ShareOpenGLContexts (qnamespace.h; the same in every Qt 6)."""

_SET_ATTRIBUTE = {
    # static void QCoreApplication::setAttribute(Qt::ApplicationAttribute, bool)
    "win32": "?setAttribute@QCoreApplication@@SAXW4ApplicationAttribute@Qt@@_N@Z",
    "itanium": "_ZN16QCoreApplication12setAttributeEN2Qt20ApplicationAttributeEb",
}


def share_opengl_contexts() -> None:
    """Set Qt::AA_ShareOpenGLContexts; call it before the QApplication is created."""
    try:
        _set_through_qt_core()
    except (OSError, AttributeError) as exc:
        log.debug("QCoreApplication::setAttribute not found by name (%s); using the enum", exc)
        from PySide6.QtCore import QCoreApplication, Qt

        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


def _set_through_qt_core() -> None:
    import ctypes

    from PySide6 import QtCore

    if sys.platform == "win32":
        # Already loaded from PySide6's folder; a loaded DLL is found by its name.
        library: ctypes.CDLL = ctypes.WinDLL("Qt6Core.dll")
        name = _SET_ATTRIBUTE["win32"]
    else:
        # The binding module's handle finds the symbols of the Qt library it links.
        library = ctypes.CDLL(os.fspath(QtCore.__file__))
        name = _SET_ATTRIBUTE["itanium"]
    set_attribute = library[name]
    set_attribute.argtypes = [ctypes.c_int, ctypes.c_bool]
    set_attribute.restype = None
    set_attribute(AA_SHARE_OPENGL_CONTEXTS, True)
