"""Starting the window from the command line's options: the county file, the first-start offer of
the demo county, and the window itself (launcher/main.py calls it when no command is given)."""

from __future__ import annotations

import argparse
import logging
from typing import TYPE_CHECKING

from launcher.app.county_file import county_file
from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from pathlib import Path

    from launcher.core.demo import Demo

log = logging.getLogger(__name__)


def start_window(args: argparse.Namespace) -> int:
    """The window, for the county the options name (or the demo county, offered at a first start
    with no county configured)."""
    from launcher.ui.app import run_gui

    if args.screenshot is not None and not getattr(args, "demo", False):
        raise LauncherError("--screenshot signs in as the demo user: use it with --demo")
    wants_demo = getattr(args, "demo", False)
    demo: Demo | None = None
    if not wants_demo and getattr(args, "county", None) is None:
        # Chosen once: the county file below opens it as if it had been named.
        args.county = _configured_county()
    if not wants_demo and getattr(args, "county", None) is None:
        from launcher.ui.first_run import offer_demo

        demo = _installed_demo()
        if not offer_demo(args.lang, available=demo is not None):
            return 0
        args.demo = True
    elif wants_demo:
        demo = _installed_demo()
        if demo is None:
            if args.screenshot is None:  # the window: said there too, in the person's language
                from launcher.ui.first_run import say_demo_not_installed

                say_demo_not_installed(args.lang)
            from launcher.core.demo import DemoNotInstalled

            raise DemoNotInstalled()
    with county_file(args, demo) as (county_path, demo):
        return run_gui(county_path, screenshot=args.screenshot, lang=args.lang, demo=demo)


def _configured_county() -> Path | None:
    """The county set up on this PC: an installed county pack's (or, at the first start of a PC
    that gets packs, fetched now, before the window), else a county file; None when none is."""
    from launcher.app import packs

    found = packs.configured_county()
    if found is not None or not packs.has_settings():
        return found
    # The first start after the county's settings were installed: no pack yet. Nothing is on
    # screen to block; the check is bounded by its own time-outs.
    outcome = packs.check(stage=False)
    result = outcome.result
    if result is not None and not result.ok:
        log.warning("the county's first pack could not be installed: %s", result.message)
    return packs.configured_county()


def _installed_demo() -> Demo | None:
    """The demo county, or None when it is not installed."""
    from launcher.core.demo import DemoNotInstalled, load_demo

    try:
        return load_demo()
    except DemoNotInstalled:
        return None
