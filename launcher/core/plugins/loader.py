"""Importing a plugin's code under a package name of its own, never through ``sys.path``.

A plugin folder is imported as the package ``yiduantong_plugins.<name>`` (``demo.anquan`` becomes
``yiduantong_plugins.demo_anquan``), and its ``entry`` module as a module of that package. So:

- nothing is put on ``sys.path``: a plugin's ``json.py`` or ``requests.py`` is
  ``yiduantong_plugins.demo_anquan.json``, never the ``json`` everybody else imports;
- two plugins may both have a ``helper.py``: each package has its own;
- the plugin's modules import each other relatively (``from . import helper``,
  ``from .helper import parse``), as modules of any package do.

Each load gets a name no other load of this process had (``…demo_anquan_2`` for the second):
a plugin loaded again (another session, or after a failed load) never finds modules of an
earlier load in ``sys.modules``.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import re
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = ["PACKAGE_ROOT", "entry_module", "forget", "load_entry", "package_name"]

PACKAGE_ROOT = "yiduantong_plugins"
"""The package every plugin's package is put under. It finds no modules of its own."""

_lock = threading.Lock()
_taken: set[str] = set()


def package_name(plugin_id: str) -> str:
    """A package name for one load of the plugin ``plugin_id``, unused so far in this process."""
    base = re.sub(r"[^a-z0-9_]", "_", plugin_id.lower()) or "plugin"
    with _lock:
        name, number = base, 1
        while name in _taken:
            number += 1
            name = f"{base}_{number}"
        _taken.add(name)
    return f"{PACKAGE_ROOT}.{name}"


def load_entry(folder: Path, entry: str, package: str) -> Any:
    """Import ``folder`` as the package ``package`` (from ``package_name``), then the module of
    ``entry`` (``module:attribute``) under it, and return the attribute.

    Runs the plugin's code (its ``__init__.py``, the module and whatever it imports): call it on
    the plugin's own thread. What the plugin raises is raised; the modules of a load that
    failed are forgotten.
    """
    module_name, _, attribute = entry.partition(":")
    _root()
    folder = folder.resolve()
    init = folder / "__init__.py"
    spec: importlib.machinery.ModuleSpec | None
    if init.is_file():
        spec = importlib.util.spec_from_file_location(
            package, init, submodule_search_locations=[str(folder)])
    else:  # a folder of modules without __init__.py: a package that has only its path
        spec = importlib.machinery.ModuleSpec(package, None, is_package=True)
        spec.submodule_search_locations = [str(folder)]
    if spec is None:  # pragma: no cover - spec_from_file_location knows .py files
        raise ImportError(f"cannot import {folder} as a package")
    module = importlib.util.module_from_spec(spec)
    sys.modules[package] = module
    setattr(sys.modules[PACKAGE_ROOT], package.rpartition(".")[2], module)
    try:
        if spec.loader is not None:
            spec.loader.exec_module(module)
        try:
            found = importlib.import_module(f"{package}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name is None or not f"{package}.{module_name}".startswith(exc.name):
                raise  # a module the plugin imports is missing: its own error says which
            raise ModuleNotFoundError(
                f"no module {module_name!r} in the plugin's folder {folder}") from None
        return getattr(found, attribute)
    except BaseException:
        forget(package)
        raise


def entry_module(package: str, entry: str) -> ModuleType:
    """The module of ``entry`` (``module:attribute``) as ``load_entry`` imported it under
    ``package``."""
    return sys.modules[f"{package}.{entry.partition(':')[0]}"]


def forget(package: str) -> None:
    """Drop ``package`` and its modules from ``sys.modules`` (a load that failed)."""
    for name in [n for n in sys.modules if n == package or n.startswith(package + ".")]:
        sys.modules.pop(name, None)
    root = sys.modules.get(PACKAGE_ROOT)
    if root is not None:
        root.__dict__.pop(package.rpartition(".")[2], None)


def _root() -> None:
    """Make ``yiduantong_plugins`` once: a package with an empty path, so that only the plugin
    packages put under it by ``load_entry`` are found there."""
    with _lock:
        if PACKAGE_ROOT in sys.modules:
            return
        spec = importlib.machinery.ModuleSpec(PACKAGE_ROOT, None, is_package=True)
        spec.submodule_search_locations = []
        root = importlib.util.module_from_spec(spec)
        root.__doc__ = "The launcher's plugins, each imported as a package of its own."
        sys.modules[PACKAGE_ROOT] = root
