"""PySide6's per-import source scan (its ``__feature__`` support) is off once launcher.ui is
imported, and Qt's names are what they always were (no feature selected anywhere). Each case is
a fresh process: the scan is PySide6's import hook, set up once per process."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.fresh_process import run_fresh

CHILD = textwrap.dedent(
    """
    import json, linecache, sys
    sys.path.insert(0, sys.argv[1])
    import PySide6.QtCore
    if sys.argv[2] == "launcher":
        import launcher.ui
    read = []
    real = linecache.getlines
    linecache.getlines = lambda name, *rest: (read.append(name), real(name, *rest))[1]
    import scan_probe
    from PySide6.QtWidgets import QApplication, QLabel
    app = QApplication([])
    label = QLabel("x")
    label.setText("一端通")  # the usual camelCase API, not snake_case
    print("RESULT " + json.dumps({
        "select": sys.modules["shibokensupport.feature"].pyside_feature_dict.get("scan_probe"),
        "read": any(name.endswith("scan_probe.py") for name in read),
        "text": label.text(),
        "snake_case": hasattr(label, "set_text"),
        "method": callable(label.windowTitle),
    }))
    """
)


def test_modules_imported_after_the_launcher_ui_are_not_read(tmp_path: Path) -> None:
    # Its source names PySide6: PySide6's own scan reads it and records 0 ("no feature").
    (tmp_path / "scan_probe.py").write_text("import PySide6.QtCore\n", encoding="utf-8")
    env = {"QT_QPA_PLATFORM": "offscreen"}
    plain = run_fresh(CHILD, str(tmp_path), "plain", env=env)
    assert plain["select"] == 0 and plain["read"]  # what PySide6 does on its own
    trimmed = run_fresh(CHILD, str(tmp_path), "launcher", env=env)
    assert trimmed["select"] == -1 and not trimmed["read"]  # "ignore", recorded without reading
    for result in (plain, trimmed):  # Qt's names as always
        assert result["text"] == "一端通" and not result["snake_case"] and result["method"]
