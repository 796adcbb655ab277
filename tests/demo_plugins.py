"""The demo platforms' plugins (demo.anquan, demo.zhifa, ...) for the county files tests write.

The launcher has no plugin folder of its own: a county file names where its plugins are
(``plugin_dirs``, by default its own ``plugins/`` folder). A test county that uses the demo
platforms names their folder, as the demo county's own county file does."""

from __future__ import annotations

import json

from launcher_demo.plugin_dir import plugins_dir

PLUGIN_DIRS = f'plugin_dirs = ["plugins", {json.dumps(plugins_dir().as_posix())}]\n'
"""A county file's first line: its own plugins folder, then the demo platforms' folder."""
