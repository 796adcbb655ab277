"""The ``launcher`` process: the window (launcher.ui.start) or a headless command (launcher.cli).

Above the layers (docs/architecture.md): the window and the command line are independent
siblings that never import each other, and only this entry picks one of them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Sequence

from launcher.cli import arguments
from launcher.core import paths
from launcher.core.errors import LauncherError
from launcher.core.logmask import setup_logging

log = logging.getLogger("launcher")


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    setup_logging(paths.home() / "logs" / "launcher.log")
    try:
        if args.command is None:
            from launcher.ui.start import start_window

            return start_window(args)
        from launcher.cli import run

        return run(args)
    except LauncherError as exc:
        print(f"launcher: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``launcher pack inspect --json REPO | head``): nothing to say.
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - no flush error at exit
        return 1
    except Exception as exc:
        # A failure nobody foresaw (a bug): the person gets one line, not a traceback; the log
        # file keeps the traceback (logged at INFO: the terminal's handler shows warnings only).
        log.info("unexpected error", exc_info=True)
        what = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
        print(f"launcher: unexpected error ({what}); the details are in "
              f"{paths.home() / 'logs' / 'launcher.log'}", file=sys.stderr)
        return 1
