"""The bundle's programs (packaging/yiduantong.spec): one script, told apart by the executable's name.

- ``yiduantong``: the launcher (``launcher.main:main``), its window or a command. On Windows it is
  a windowed program (no console opens beside the window), where ``sys.stdout`` and
  ``sys.stderr`` are None: they go to the null device instead, so nothing fails writing to them.
- ``yiduantong-cli``: the same, as a console program on Windows, for the commands (``validate``,
  ``update --machine``, ``pack`` …) whose output the county IT team reads.
- ``yiduantong-check``: checks the bundle on this PC (packaging/bundle_check.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _run() -> int:
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
    if Path(sys.executable).stem.lower().endswith("-check"):
        from bundle_check import main as check

        return check()
    from launcher.main import main

    return main()


if __name__ == "__main__":
    sys.exit(_run())
