"""Where the demo platforms' plugins are: the repository's top-level ``plugins/`` folder.

The demo county points at it in its county file's ``plugin_dirs``, as any county points at its
own plugins: the launcher has no plugin folder of its own. In a checkout or an editable install the
folder is beside this package; a wheel ships it inside the package as ``launcher_demo/_plugins``
(pyproject.toml maps ``plugins/`` there).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def plugins_dir() -> Path:
    """The folder holding one folder per demo platform (manifest.toml, icon.svg)."""
    shipped = _PACKAGE_DIR / "_plugins"
    if shipped.is_dir():
        return shipped
    return _PACKAGE_DIR.parent / "plugins"
