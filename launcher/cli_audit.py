"""``launcher audit export --out FILE``: the signed-in person's audit log (操作记录) for the county.

The file (``.xlsx``, else CSV) holds what the log holds: times, actions, platforms, field names
and counts, never a value; and whether the log is complete (an entry removed, changed or moved is
named). ``launcher audit show`` prints the same, newest first. For the person signed in
(``launcher login``, or the window's sign-in); in the window's language (``--lang``, else the one
saved in the window, else Chinese). Exit status 0, or 1 when the log is not complete.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from launcher.app.county_file import county_file
from launcher.app.vocabulary import Words
from launcher.cli_texts import say
from launcher.core.errors import LauncherError

NOT_SIGNED_IN = Words(
    "未登录：请先运行 launcher login（或在窗口中登录），操作记录属于登录的人",
    "not signed in: run `launcher login` (or sign in in the window) first; the log is the "
    "signed-in person's",
)
EXPORTED = Words("已导出 {count} 条操作记录（不含任何填写的内容）：{path}",
                 "{count} audit log entries exported (no values): {path}")
NOT_WRITTEN = Words("无法写入 {path}：{why}", "{path} could not be written: {why}")
EMPTY = Words("还没有操作记录", "no entries yet")
INCOMPLETE = Words("操作记录不完整：", "the audit log is not complete:")


def add_parser(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
) -> list[argparse.ArgumentParser]:
    """The parsers of ``audit export`` and ``audit show`` (their --county and --lang options are
    the caller's)."""
    audit = sub.add_parser(
        "audit",
        help="the signed-in person's audit log (操作记录): show it, or export it for the county "
        "(no values)",
    )
    actions = audit.add_subparsers(dest="audit_command", required=True)
    export = actions.add_parser(
        "export", help="write the log to FILE (.xlsx, else CSV): times, actions, platforms, "
        "field names and counts, never values; and whether it is complete")
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    show = actions.add_parser("show", help="print the log, newest first, and whether it is "
                              "complete")
    return [export, show]


def audit_command(args: argparse.Namespace, language: str) -> int:
    from launcher.app.audit import export_log, integrity, rows
    from launcher.app.packs import open_services
    from launcher.app.session import restore

    with county_file(args) as (county_path, _):
        services = open_services(county_path)
        try:
            if restore(services) is None:
                raise LauncherError(say(NOT_SIGNED_IN, language))
            reading = services.audit.read()
            names = {p.id: p.name_en if language.startswith("en") else p.name
                     for p in services.registry.platforms}

            def name(platform_id: str) -> str:
                return names.get(platform_id, platform_id)

            if args.audit_command == "export":
                out = Path(args.out)
                try:
                    count = export_log(reading, out, language, name)
                except OSError as exc:
                    raise LauncherError(say(NOT_WRITTEN, language, path=out,
                                            why=exc.strerror or exc)) from None
                print(say(EXPORTED, language, count=count, path=out))
            else:
                shown = rows(reading, language, name)
                for row in reversed(shown):
                    print("\t".join(str(cell) for cell in row if cell != ""))
                if not shown:
                    print(say(EMPTY, language))
        finally:
            services.close()
    if not reading.intact:
        print(say(INCOMPLETE, language), file=sys.stderr)
        for line in integrity(reading, language):
            print(f"  {line}", file=sys.stderr)
        return 1
    return 0
