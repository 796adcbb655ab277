"""The ``launcher`` command: the GUI, and headless commands for IT staff and scripts."""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launcher import __version__
from launcher.core import paths
from launcher.core.errors import LauncherError
from launcher.core.logmask import setup_logging

if TYPE_CHECKING:
    from launcher.api import TaskGroup
    from launcher.core.services import Services
    from launcher.demo import DemoCounty

log = logging.getLogger("launcher")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="launcher",
        description="一端通: one entry, one login, one inbox for township staff.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _county_options(parser)
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="sign in as the demo user, load the inbox, save the window as PNG, exit",
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="user interface language")
    sub = parser.add_subparsers(dest="command")
    inbox = sub.add_parser("inbox", help="print the merged inbox (headless)")
    _county_options(inbox)
    fmt = inbox.add_mutually_exclusive_group()
    fmt.add_argument(
        "--json",
        action="store_const",
        const="json",
        dest="format",
        help="a JSON array (the default)",
    )
    fmt.add_argument("--csv", action="store_const", const="csv", dest="format", help="CSV")
    return parser


def _county_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--county",
        type=Path,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the county file (county.toml) to use",
    )
    where.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="start the built-in demo county on 127.0.0.1 and use it",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(paths.home() / "logs" / "launcher.log")
    try:
        if args.command == "inbox":
            return _inbox(args)
        return _gui(args)
    except LauncherError as exc:
        print(f"launcher: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


@contextlib.contextmanager
def _county(args: argparse.Namespace) -> Iterator[tuple[Path, DemoCounty | None]]:
    """The county file to use, with the demo county running for the duration when asked for."""
    if getattr(args, "demo", False):
        from launcher.demo import DemoCounty

        with DemoCounty(directory=paths.home() / "demo") as demo:
            yield demo.county_path, demo
        return
    county = getattr(args, "county", None)
    if county is None:
        county = paths.config_file()
        if not county.is_file():
            raise LauncherError(
                f"no county is configured ({county} does not exist); "
                "use --county PATH, or --demo to try the built-in demo county"
            )
    yield county, None


def _gui(args: argparse.Namespace) -> int:
    from launcher.ui.app import run_gui

    if args.screenshot is not None and not getattr(args, "demo", False):
        raise LauncherError("--screenshot signs in as the demo user: use it with --demo")
    wants_demo = getattr(args, "demo", False)
    if (
        not wants_demo
        and getattr(args, "county", None) is None
        and not paths.config_file().is_file()
    ):
        from launcher.ui.first_run import offer_demo

        if not offer_demo(args.lang):
            return 0
        args.demo = True
    with _county(args) as (county_path, demo):
        return run_gui(county_path, screenshot=args.screenshot, lang=args.lang, demo=demo)


def _inbox(args: argparse.Namespace) -> int:
    from launcher.core.inbox.grouping import group_tasks
    from launcher.core.services import Services

    with _county(args) as (county_path, demo):
        services = Services.open(county_path)
        try:
            if demo is not None:
                _demo_sign_in(services, demo)
            elif services.auth.restore() is None:
                raise LauncherError("not signed in: sign in with the launcher first")
            result = services.inbox.refresh()
            for state in result.states.values():
                if state.state == "failed":
                    print(f"launcher: {state.platform_id}: {state.message}", file=sys.stderr)
            rows = [_task_row(group) for group in group_tasks(result.tasks)]
            if demo is not None:
                services.logout()
        finally:
            services.close()
    if args.format == "csv":
        columns = ["platform", "id", "title", "due", "url", "status", "subject", "platforms"]
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "platforms": ";".join(row["platforms"])})
    else:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 0


def _demo_sign_in(services: Services, demo: DemoCounty) -> None:
    """Sign in as the demo county's default user through the provider's own login form."""
    from launcher.demo import DEMO_USERS, sign_in_scripted

    user = DEMO_USERS[0]
    flow = services.auth.begin_login()
    callback = sign_in_scripted(flow.auth_uri, user.username, user.password)
    services.auth.complete_login(flow, callback)


def _task_row(group: TaskGroup) -> dict[str, Any]:
    first = group.first
    return {
        "platform": first.platform,
        "id": first.id,
        "title": first.title,
        "due": first.due.isoformat() if first.due else None,
        "url": first.url,
        "status": first.status,
        "subject": first.subject,
        "form": first.form,
        "platforms": list(group.platforms),
        "items": [
            {
                "platform": i.platform,
                "id": i.id,
                "title": i.title,
                "url": i.url,
                "due": i.due.isoformat() if i.due else None,
            }
            for i in group.items
        ],
    }
