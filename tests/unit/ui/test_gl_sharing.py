"""Qt::AA_ShareOpenGLContexts is set before the QApplication exists, through Qt's own C++ function
where its exported name is known (not PySide6's Qt namespace, which costs start-up time), and
through the enum otherwise. Each check runs in a fresh process: the suite's own QApplication
exists long before."""

from __future__ import annotations

import sys
import textwrap

import pytest

from tests.fresh_process import run_fresh

CHILD = textwrap.dedent(
    """
    import json, sys
    from PySide6 import QtCore
    import launcher.ui.gl_sharing as gl_sharing

    if sys.argv[1] == "unknown-name":
        gl_sharing._SET_ATTRIBUTE = dict.fromkeys(gl_sharing._SET_ATTRIBUTE, "no_such_symbol")
    gl_sharing.share_opengl_contexts()
    namespace_built = "Qt" in vars(QtCore)
    attribute = QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts
    print("RESULT " + json.dumps({
        "set": QtCore.QCoreApplication.testAttribute(attribute),
        "value": attribute.value,
        "namespace_built": namespace_built,
    }))
    """
)


@pytest.mark.skipif(sys.platform == "darwin", reason="the name lookup is tried on Linux and Windows")
def test_the_attribute_is_set_through_qt_core_without_the_qt_namespace() -> None:
    result = run_fresh(CHILD, "known-name")
    assert result == {"set": True, "value": 18, "namespace_built": False}


def test_an_unknown_name_falls_back_to_the_enum() -> None:
    result = run_fresh(CHILD, "unknown-name")
    assert result == {"set": True, "value": 18, "namespace_built": True}
