"""Which version of ``launcher.api`` a plugin was written for, checked when it is loaded.

A plugin declares it in its entry's module: ``LAUNCHER_API = 1`` (a plain number written in the
plugin, never ``launcher.api.API_VERSION``, which is this launcher's and would always match). A
module without it was written before API 1 (``LEGACY``): it still loads, called as plugins were
then (docs/plugins.md), and the log says so once.
"""

from __future__ import annotations

import logging
from types import ModuleType

from launcher.api import API_VERSION, SUPPORTED_API_VERSIONS

log = logging.getLogger(__name__)

__all__ = ["DECLARATION", "LEGACY", "ApiVersionError", "declared_api"]

DECLARATION = "LAUNCHER_API"
"""The name of the module attribute that declares the version."""
LEGACY = 0
"""The version of a plugin that declares none: written before API 1."""


class ApiVersionError(ValueError):
    """A plugin this launcher cannot run: its declared version is not one it provides."""


def declared_api(module: ModuleType, plugin_id: str, entry: str) -> int:
    """The API version ``module`` (the entry's module of plugin ``plugin_id``) declares; raises
    ApiVersionError naming the plugin and both versions when this launcher cannot run it. Call it on
    the plugin's thread: reading a module's attribute may run the plugin's code."""
    if DECLARATION not in vars(module):
        log.info("plugin %s (%s) declares no %s: called as a plugin written before API %d",
                 plugin_id, entry, DECLARATION, API_VERSION)
        return LEGACY
    declared = vars(module)[DECLARATION]
    if isinstance(declared, bool) or not isinstance(declared, int):
        raise ApiVersionError(f"plugin {plugin_id} ({entry}): {DECLARATION} must be a whole number "
                          f"such as {API_VERSION}, not {type(declared).__name__}")
    version = int.__int__(declared)
    if version in SUPPORTED_API_VERSIONS:
        return version
    if version > API_VERSION:
        advice = "update the launcher, or use a version of the plugin written for API " \
                 f"{API_VERSION}"
    else:
        advice = f"update the plugin to API {API_VERSION} (docs/plugins.md)"
    raise ApiVersionError(f"plugin {plugin_id} ({entry}) was written for launcher API {version}; "
                      f"this launcher provides API {API_VERSION}: {advice}")
