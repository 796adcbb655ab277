"""The plugin SDK: what a county IT team needs to test its plugins (docs/plugins.md).

``launcher.testing.pytest_plugin`` holds the pytest fixtures (the ``pytest11`` entry point
``yiduantong``); ``server`` a local platform with faults on demand; ``contract`` the plugin's
task source run as the launcher runs it, and the contract it must keep; ``county`` the demo county
with its identity provider. Tests may import these; a plugin itself imports only ``launcher.api``.
"""

from launcher.testing.contract import ContractBroken, PluginRun, check_task_source
from launcher.testing.server import PlatformServer, platform_server

__all__ = ["ContractBroken", "PlatformServer", "PluginRun", "check_task_source",
           "platform_server"]
