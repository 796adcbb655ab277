"""The narrow surface that platform plugins may import: API version 1.

Everything a plugin needs is re-exported here; nothing else under ``launcher`` is public, and no
type of the launcher's core is ever handed to a plugin. A plugin says which version of this
surface it was written for with ``LAUNCHER_API = 1`` in its entry's module (docs/plugins.md);
the launcher checks it when it loads the plugin.
"""

from launcher.api._context import Credentials, PluginContext
from launcher.api._errors import Refused, SignedOut
from launcher.api._tasks import CompletableTaskSource, TaskGroup, TaskItem, TaskSource

API_VERSION = 1
"""The version of this surface. A new version is made only for a change that would break a plugin
written for the one before; additions (a new field, a new optional argument) keep the version."""

SUPPORTED_API_VERSIONS = (1,)
"""The versions a plugin may declare and still be loaded by this launcher."""

__all__ = ["API_VERSION", "SUPPORTED_API_VERSIONS", "CompletableTaskSource", "Credentials",
           "PluginContext", "Refused", "SignedOut", "TaskGroup", "TaskItem", "TaskSource"]
