"""The narrow surface that platform plugins may import: API version 1.

Everything a plugin needs is re-exported here; nothing else under ``launcher`` is public, and no
type of the launcher's core is ever handed to a plugin. A plugin says which version of this
surface it was written for with ``LAUNCHER_API = 1`` in its entry's module (docs/plugins.md);
the launcher checks it when it loads the plugin.
"""

from typing import TYPE_CHECKING, Any

from launcher.api._errors import Refused, SignedOut
from launcher.api._tasks import CompletableTaskSource, TaskGroup, TaskItem, TaskSource

if TYPE_CHECKING:
    from launcher.api._context import Credentials, PluginContext

API_VERSION = 1
"""The version of this surface. A new version is made only for a change that would break a plugin
written for the one before; additions (a new field, a new optional argument) keep the version."""

SUPPORTED_API_VERSIONS = (1,)
"""The versions a plugin may declare and still be loaded by this launcher."""

__all__ = ["API_VERSION", "SUPPORTED_API_VERSIONS", "CompletableTaskSource", "Credentials",
           "PluginContext", "Refused", "SignedOut", "TaskGroup", "TaskItem", "TaskSource"]


def __getattr__(name: str) -> Any:
    # The plugin context (and requests with it) is imported when a plugin first asks for it: the
    # window's task table and the inbox's grouping use the task types alone, at start-up.
    if name in ("Credentials", "PluginContext"):
        from launcher.api import _context

        return getattr(_context, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
