"""``launcher update``: check the county's pack repository now (docs/packs.md).

What the window does every few hours, at once: the repository named by this PC's
``updates.toml`` (machine-wide first) is checked through TUF, and a new pack is installed, or a
refusal is named. ``--machine`` installs into the machine-wide store (an administrator's, for
every Windows account of the PC); ``--from PATH`` reads the same repository from a folder (a USB
stick for a township without a connection). The result is said in the window's language
(``--lang``, else the one saved in the window, else Chinese). Exit status 0 when the PC is up to
date or updated, 1 when refused or the check failed, 2 when this PC gets no packs.
"""

from __future__ import annotations

import argparse
import sys

from launcher.app.vocabulary import Words
from launcher.cli_texts import say

NO_SETTINGS = Words(
    "本机没有县平台包的更新设置（updates.toml 和 root.json，见 docs/packs.md 第 5 步）",
    "this PC gets no county packs (no updates.toml and root.json: docs/packs.md, step 5)",
)
UP_TO_DATE = Words("县平台包已是最新：{version}", "the county pack is up to date: {version}")
NO_PACK = Words("仓库里还没有县平台包", "the repository has no county pack yet")
FAILED = Words("检查未能完成：{why}", "the check could not be made: {why}")
BAD_SOURCE = Words("--from {source} 不能使用：{why}", "--from {source} cannot be used: {why}")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """The ``update`` command's parser (the county and language options are added by cli.py)."""
    update = sub.add_parser(
        "update",
        help="check the county's pack repository now and install a new pack",
        description="Checks the repository this PC's updates.toml names (machine-wide first) "
        "and installs a new county pack, or says why one is refused. The installed pack keeps "
        "working whatever happens.",
    )
    update.add_argument(
        "--machine",
        action="store_true",
        help="install into the machine-wide store (an administrator's: every account of the PC)",
    )
    update.add_argument(
        "--from",
        dest="source",
        metavar="PATH",
        help="read the county's repository from this folder or URL (a USB stick, a share)",
    )
    return update


def update_command(args: argparse.Namespace, language: str) -> int:
    from launcher.app import packs
    from launcher.core.packs.client import UpdateStatus

    settings = packs.update_settings()
    if settings is None:
        for notice in packs.take_notices():  # a broken updates.toml is named
            print(notice.sentence(language), file=sys.stderr)
        print(say(NO_SETTINGS, language), file=sys.stderr)
        return 2
    try:
        outcome = packs.check(stage=False, machine=args.machine, source=args.source,
                              settings=settings)
    except ValueError as exc:
        print(say(BAD_SOURCE, language, source=args.source, why=exc), file=sys.stderr)
        return 1
    packs.take_notices()  # said here, from the outcome
    result = outcome.result
    assert result is not None
    for notice in outcome.notices:
        stream = sys.stdout if result.ok else sys.stderr
        print(notice.sentence(language), file=stream)
    if result.status == UpdateStatus.UP_TO_DATE:
        if result.version is None:
            print(say(NO_PACK, language))
        else:
            print(say(UP_TO_DATE, language, version=result.version))
    if result.status == UpdateStatus.FAILED:
        print(say(FAILED, language, why=result.message), file=sys.stderr)
    return 0 if result.ok else 1
