"""Which county file the window or a command opens: the one named, the configured one, or the demo
county running for the duration (the options ``--county``, ``--demo``, ``--demo-platforms`` and
``--demo-latency``, shared by the window and the command line). No Qt."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launcher.core import paths
from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from launcher.core.demo import Demo


@contextlib.contextmanager
def county_file(args: Any, demo: Demo | None = None) -> Iterator[tuple[Path, Demo | None]]:
    """The county file to use, with the demo county running for the duration when asked for
    (``demo``: the one already loaded, else it is loaded here). ``args`` has the options above
    as attributes (an ``argparse.Namespace``); a missing one is not given."""
    platforms = getattr(args, "demo_platforms", None)
    latency = getattr(args, "demo_latency", None)
    if getattr(args, "demo", False):
        if demo is None:
            from launcher.core.demo import load_demo

            demo = load_demo()
        directory = paths.folder("demo")
        with demo.county(
            directory, platform_count=platforms or 7, latency=(latency or 0.0) / 1000
        ) as county_path:
            paths.tighten(directory)  # the files it wrote there are the owner's alone too
            yield county_path, demo
        return
    if platforms is not None or latency is not None:
        option = "--demo-platforms" if platforms is not None else "--demo-latency"
        raise LauncherError(f"{option} shapes the built-in demo county: use it with --demo")
    county = getattr(args, "county", None)
    if county is None:
        from launcher.app.packs import configured_county

        # An installed county pack, else a machine-wide county.toml, else the person's own.
        county = configured_county()
        if county is None:
            raise LauncherError(
                f"no county is configured ({paths.config_file()} does not exist and no county "
                "pack is installed); use --county PATH, or --demo to try the built-in demo county"
            )
    yield county, None
