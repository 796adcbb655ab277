"""PySide6 reads the source file of every module imported after it (its ``__feature__`` support
looks for the word "PySide6" in it, to know which modules might switch on ``snake_case`` or
``true_property``). At the launcher's start that is some 300 modules, about a fifth of the time
its worker spends opening the county, and part of the first frame's imports too.

The launcher selects no feature anywhere, so every module would get PySide6's default behaviour
either way: ``skip()`` answers "does not use PySide6" for modules imported from then on, which
PySide6 records as "ignore this module" (select id -1) instead of "no feature" (0); the two
behave the same while no module selects a feature. Where PySide6 is a version without this hook,
nothing is changed. tests/unit/ui/test_feature_scan.py checks both the effect and that Qt's
names stay as they are.
"""

from __future__ import annotations

import sys


def skip() -> bool:
    """Stop PySide6's source scan of modules imported from now on; whether it was stopped."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_no_feature  # type: ignore[attr-defined]
    return True


def _uses_no_feature(module: object) -> bool:
    return False
