"""Plugins' Python code, imported under packages of their own and run on threads of their own.

``loader`` imports a plugin folder as ``yiduantong_plugins.<name>`` without touching
``sys.path``; ``host`` runs every call of a plugin's code on the plugin's thread, with a
time-out and a guard, and turns off a plugin that keeps failing (see docs/manifest.md).
"""

from launcher.core.plugins.host import GRACE, MAX_FAILURES, Plugin, PluginError, PluginHost

__all__ = ["GRACE", "MAX_FAILURES", "Plugin", "PluginError", "PluginHost"]
