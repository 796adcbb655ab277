"""The ``launcher`` command line: its options, and the headless commands for IT staff and scripts
(``inbox``, ``login``, ``status``, ``logout``, ``forget``, ``table``, ``retire``), which drive the same use cases as the window
(launcher/app/). The process entry (launcher/main.py) starts the window when no command is given.

The commands speak the window's language: ``--lang``, else the one saved in the window, else
Chinese. Their sentences are in launcher/cli_texts.py, the words for states and failures the
window's own (launcher/app/vocabulary.py); what scripts read (JSON, CSV, iCalendar, the sign-in
URL, ``user_code:``, exit codes) is the same in every language."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from launcher import __version__
from launcher import cli_texts as texts
from launcher.app.county_file import county_file
from launcher.cli_texts import say
from launcher.core.errors import AuthError, LauncherError
from launcher.core.states import AuthReason

# The window's start parses its options here: what only the headless commands use (json, dataclasses
# and the inspect module it brings, about 5 ms) is imported in them.
if TYPE_CHECKING:
    from datetime import datetime

    from launcher.app.services import Services
    from launcher.app.vocabulary import Words
    from launcher.core.auth.identity import LogoutReport
    from launcher.core.auth.session import UserInfo
    from launcher.core.auth.status import SessionStatus
    from launcher.core.inbox.service import PlatformState

log = logging.getLogger("launcher")


def _parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The command line; without ``commands``, only the window's options (see ``arguments``)."""
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
    _language_option(parser, default=None)
    if not commands:
        return parser
    sub = parser.add_subparsers(dest="command")
    inbox = sub.add_parser("inbox", help="print the merged inbox (headless)")
    _county_options(inbox)
    _language_option(inbox)
    fmt = inbox.add_mutually_exclusive_group()
    fmt.add_argument(
        "--json",
        action="store_const",
        const="json",
        dest="format",
        help="a JSON array (the default)",
    )
    fmt.add_argument("--csv", action="store_const", const="csv", dest="format", help="CSV")
    fmt.add_argument(
        "--ics",
        action="store_const",
        const="ics",
        dest="format",
        help="an iCalendar file of to-do items (VTODO) that calendar apps import",
    )
    when = inbox.add_mutually_exclusive_group()
    when.add_argument(
        "--refresh",
        action="store_const",
        const="refresh",
        dest="source",
        help="ask every platform first (the default; needs a session)",
    )
    when.add_argument(
        "--cached",
        action="store_const",
        const="cached",
        dest="source",
        help="print the tasks kept from the last refresh, without any network (no session needed)",
    )
    inbox.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write to FILE instead of standard output",
    )

    login = sub.add_parser(
        "login",
        help="sign in at the county identity service (headless)",
        description="Sign in once; the other commands and the window then use the session kept "
        "in the OS keyring. The login mode comes from county.toml unless an option picks one.",
    )
    _county_option(login)
    _language_option(login)
    mode = login.add_mutually_exclusive_group()
    mode.add_argument(
        "--no-browser",
        action="store_true",
        help="print the sign-in URL as the first line of output and wait for the browser's "
        "answer on a 127.0.0.1 port, without opening a browser",
    )
    mode.add_argument(
        "--device",
        action="store_true",
        help="device sign-in: print an address and a code to approve on a phone or any browser",
    )
    login.add_argument(
        "--timeout",
        type=_seconds,
        default=300.0,
        metavar="SECONDS",
        help="give up after this long without an answer (default 300; a device code may "
        "expire sooner)",
    )

    status = sub.add_parser("status", help="who is signed in, and each platform's state")
    _county_option(status)
    _language_option(status)
    status.add_argument("--json", action="store_true", help="a JSON object instead of a table")

    logout = sub.add_parser(
        "logout", help="sign out: revoke the tokens, delete them from the keyring"
    )
    _county_option(logout)
    _language_option(logout)

    forget = sub.add_parser(
        "forget",
        help="a person leaves the office: sign out and delete everything this computer keeps "
        "for the account signed in (profile, saved passwords, sign-in, tasks)",
    )
    _county_option(forget)
    _language_option(forget)
    forget.add_argument("--yes", action="store_true", help="confirm the deletion")

    _table_parser(sub)

    from launcher.cli_retire import add_parser as add_retire

    retire = add_retire(sub)
    _county_option(retire)
    _language_option(retire)

    validate = sub.add_parser(
        "validate",
        help="check county files and plugin folders as loading does, and import Python entries",
        description="Each PATH is a county file, a plugin folder (with manifest.toml) or a folder "
        "of plugin folders; without one, the county file --county names (or the configured "
        "one). Every problem is printed with its file and key; the exit status is 1 when there "
        "is any, else 0.",
    )
    validate.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    _county_option(validate)
    _language_option(validate)
    validate.add_argument(
        "--timeout",
        type=_seconds,
        default=20.0,
        metavar="SECONDS",
        help="how long importing one Python entry may take (default 20)",
    )
    from launcher.cli_audit import add_parser as add_audit

    for audit in add_audit(sub):
        _county_option(audit)
        _language_option(audit)
    from launcher.cli_update import add_parser as add_update

    update = add_update(sub)
    _language_option(update)
    from launcher import cli_pack  # county packs for IT teams: their own module and sentences

    cli_pack.add_parsers(sub)
    return parser


TABLE_KINDS = ("household", "resident", "place", "organisation", "inspection")


def _table_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``launcher table import|export|list``: the one table's spreadsheets, for the person
    signed in."""
    table = sub.add_parser(
        "table",
        help="the one table (一张表): import or export a spreadsheet of households, residents, "
        "places, organisations or inspections, or list them, for the person signed in",
    )
    actions = table.add_subparsers(dest="table_command", required=True)
    for name, helptext in (
        ("import", "import FILE (.xlsx or .csv): every row or none; errors name row and column"),
        ("export", "write FILE (.xlsx or .csv); it holds sensitive values (ID numbers, phones)"),
        ("list", "print the kind's rows (sensitive values masked)"),
    ):
        action = actions.add_parser(name, help=helptext)
        if name != "list":
            action.add_argument("file", type=Path, metavar="FILE")
        action.add_argument("--kind", required=True, choices=TABLE_KINDS,
                            help="what the rows are")
        if name == "list":
            action.add_argument("--json", action="store_true", help="a JSON object")
            action.add_argument("--reveal", action="store_true",
                                help="show sensitive values in full")
        _county_options(action)
        _language_option(action)


def _language_option(
    parser: argparse.ArgumentParser, default: str | None = argparse.SUPPRESS
) -> None:
    """``--lang``: before a command or after it (a command's own is suppressed when absent, so it
    does not undo one given before the command)."""
    parser.add_argument(
        "--lang",
        choices=["zh_CN", "en"],
        default=default,
        help="the language of the window and the commands' messages (default: the one saved in "
        "the window, else zh_CN)",
    )


def _county_option(parser: argparse.ArgumentParser | argparse._MutuallyExclusiveGroup) -> None:
    parser.add_argument(
        "--county",
        type=Path,
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="the county file (county.toml) to use",
    )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, not {value}")
    return seconds


def _county_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    _county_option(where)
    where.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="start the built-in demo county on 127.0.0.1 and use it",
    )
    parser.add_argument(
        "--demo-platforms",
        type=_platform_count,
        metavar="N",
        default=argparse.SUPPRESS,
        help="with --demo: N platforms with a task list (default 7; beyond 7 generated ones, "
        "for trying a county of many)",
    )
    parser.add_argument(
        "--demo-latency",
        type=_milliseconds,
        metavar="MS",
        default=argparse.SUPPRESS,
        help="with --demo: every platform's task list answers after MS milliseconds (default 0)",
    )


def _platform_count(value: str) -> int:
    from launcher.core.demo import load_demo

    try:
        most = load_demo().max_platforms
    except LauncherError as exc:  # the demo county is not installed: say so, as --demo does
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {most}, not {value!r}")
    return int(value)


def _milliseconds(value: str) -> float:
    try:
        milliseconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of milliseconds: {value!r}") from None
    if not 0 <= milliseconds <= 60_000:
        raise argparse.ArgumentTypeError(f"must be 0 to 60000 milliseconds, not {value}")
    return milliseconds


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The parsed command line. The window's start (no command) is parsed by the top-level
    options alone: making the commands' parsers costs about 3 ms, a noticeable part of start-up.
    Anything those options do not take (a command, a mistake) and any help request are parsed by
    the whole command line, which gives its usual messages."""
    words = list(sys.argv[1:] if argv is None else argv)
    # ``--version`` too: the window's own prints the launcher's version, ``pack build``'s is a value.
    if not {"-h", "--help", "--version"} & set(words):
        window, rest = _parser(commands=False).parse_known_args(words)
        if not rest:
            window.command = None
            return window
    return _parser().parse_args(words)


def run(args: argparse.Namespace) -> int:
    """A headless command (``args.command``): ``inbox``, ``login``, ``status``, ``logout``,
    ``forget``, ``table`` or ``validate``.

    The window is not started from here: the process entry (launcher/main.py) picks the window
    or a command, and the command line and the window never import each other."""
    from launcher.app.language import chosen_language

    language = chosen_language(args.lang)
    if args.command == "inbox":
        return _inbox(args, language)
    if args.command in ("login", "status", "logout", "forget"):
        return _session_command(args, language)
    if args.command == "validate":
        return _validate(args, language)
    if args.command == "table":
        return _table(args, language)
    if args.command == "pack":
        from launcher import cli_pack

        return cli_pack.run(args, language)
    if args.command == "update":
        from launcher.cli_update import update_command

        return update_command(args, language)
    if args.command == "retire":
        from launcher.cli_retire import retire_command

        return retire_command(args, language)
    if args.command == "audit":
        from launcher.cli_audit import audit_command

        return audit_command(args, language)
    raise LauncherError(say(texts.NOT_A_COMMAND, language, command=args.command))


def _inbox(args: argparse.Namespace, language: str) -> int:
    from launcher.app.export import export_groups
    from launcher.app.refresh import refresh_now
    from launcher.app.session import restore, signed_in

    cached = args.source == "cached"
    if cached and getattr(args, "demo", False):
        raise LauncherError(say(texts.CACHED_NEEDS_COUNTY, language))
    with county_file(args) as (county_path, demo):
        services = _open_county(county_path, language)
        try:
            if cached:
                result = services.inbox.cached()
                if not services.cache.fetched_at():
                    raise LauncherError(
                        say(texts.NO_CACHED_TASKS, language, county=services.county.name)
                    )
            else:
                if demo is not None:  # its default user, through the provider's own form
                    signed_in(services, demo.sign_in(services.auth))
                    # … and its session-bound platform's web app, as the window's hidden page.
                    demo.sign_in_web_apps(services.registry.platforms, services.web_sessions)
                elif restore(services) is None:
                    raise LauncherError(
                        say(texts.NOT_SIGNED_IN_RUN_LOGIN, language)
                        + (say(texts.OR_CACHED, language) if services.cache.fetched_at() else "")
                    )
                result, _groups = refresh_now(services)  # the window's refresh use case
            _print_states(result.states.values(), language)
            if not cached:
                _window_only_note(services, result.states.values(), language)
            groups = services.grouping.group(result.tasks)
            names = {p.id: p.name for p in services.registry.platforms}
            if demo is not None:
                services.logout()
        finally:
            services.close()
    exported = export_groups(groups, names, args.format or "json")  # JSON by default
    data, text = exported.data, exported.text
    if args.output is not None:
        try:
            args.output.write_bytes(data)
        except OSError as exc:
            raise LauncherError(
                say(texts.CANNOT_WRITE, language, path=args.output, why=exc.strerror or exc)
            ) from None
    elif text is not None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    return 0


def _print_states(states: Iterable[PlatformState], language: str) -> None:
    """A note on standard error for each platform whose tasks are not fresh from this run, in the
    window's words for its state (its tile says 失败：无法连接, 离线数据)."""
    from launcher.core.states import PlatformStatus

    for state in states:
        since = _local_time(state.updated) if state.updated else None
        if state.state == PlatformStatus.FAILED:
            kept = (
                say(texts.TASKS_KEPT, language, count=state.count, since=since)
                if since
                else say(texts.NO_TASKS_KEPT, language)
            )
            note = (
                say(
                    texts.FAILED_NOTE,
                    language,
                    state=_state_words(state, language),
                    detail=state.message,
                )
                + kept
            )
        elif state.state == PlatformStatus.STALE:
            note = say(
                texts.STALE_NOTE,
                language,
                state=_state_words(state, language),
                since=since,
                count=state.count,
            )
        elif state.state == PlatformStatus.UNKNOWN:
            note = say(texts.UNKNOWN_NOTE, language, state=_state_words(state, language))
        else:
            continue
        print(f"launcher: {state.platform_id}: {note}", file=sys.stderr)


def _window_only_note(services: Services, states: Iterable[PlatformState], language: str) -> None:
    """One note naming the single sign-on platforms signed out here because their tokens come from
    the window's web profile (``[idp] tokens = "web"``, or an expired sign-in made on a web page),
    which the command line does not have."""
    from launcher.core.auth.session import IN_THE_WINDOW
    from launcher.core.states import FailureReason, PlatformStatus

    web = services.county.idp.tokens == "web"
    sso = {p.id for p in services.registry.platforms if p.manifest.auth.sso}
    names = [
        s.platform_id for s in states
        if s.platform_id in sso and s.state == PlatformStatus.FAILED
        and s.reason == FailureReason.SIGNED_OUT and (web or IN_THE_WINDOW in s.message)
    ]
    if names:
        print(f"launcher: {say(texts.SIGN_IN_IN_THE_WINDOW, language, platforms=', '.join(names))}",
              file=sys.stderr)


def _state_words(state: PlatformState, language: str) -> str:
    """The window's words for a platform's state: its kind (需重新登录 for a platform signed
    out), with the reason after a failure's (失败：无法连接)."""
    from launcher.app.vocabulary import failure_words, platform_kind_label
    from launcher.core.states import PlatformKind, platform_kind

    kind = platform_kind(state.state, state.reason)
    label = platform_kind_label(kind, language)
    if kind != PlatformKind.FAILED:
        return label
    return say(
        texts.FAILED_STATE, language, kind=label, reason=failure_words(state.reason, language)
    )


def _local_time(moment: datetime) -> str:
    """A time as staff read it: China time, to the minute."""
    from launcher.core.inbox.timestamps import CHINA

    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M CST")


# -- login, status, logout ---------------------------------------------------------------------


def _session_command(args: argparse.Namespace, language: str) -> int:
    from launcher.app.session import restore, signed_in

    if getattr(args, "demo", False):
        raise LauncherError(say(texts.KEEPS_A_SESSION, language, command=args.command))
    if args.command == "forget" and not args.yes:
        raise LauncherError(say(texts.FORGET_NEEDS_YES, language))
    with county_file(args) as (county_path, _):
        services = _open_county(county_path, language)
        try:
            # The same use cases as the window's (launcher/app/session.py): a sign-in here by
            # another person than the one whose data this computer holds closes that data first.
            if args.command == "login":
                code = _login(services, args, language)
                if services.auth.user is not None:
                    signed_in(services, services.auth.user)
                return code
            if args.command == "status":
                restore(services)
                return _status(services, args.json, language)
            if args.command == "forget":
                return _forget(services, language)
            return _logout(services, language)
        finally:
            services.close()


def _login(services: Services, args: argparse.Namespace, language: str) -> int:
    from launcher.core.auth.identity import LoginMode, chosen_mode

    idp, auth = services.county.idp, services.auth
    if LoginMode.SYSTEM_BROWSER not in auth.login_modes:  # e.g. CAS: its page in the window only
        raise LauncherError(
            say(
                texts.WINDOW_ONLY,
                language,
                path=services.county.path,
                provider=auth.provider_name,
                url=idp.url,
            )
        )
    device = args.device or (chosen_mode(auth) == LoginMode.DEVICE and not args.no_browser)
    try:
        if device:
            user = _login_device(services, args.timeout, language)
        else:
            user = services.auth.login_system_browser(
                lambda url: _show_login_url(url, language, open_browser=not args.no_browser),
                timeout=args.timeout,
            )
    except AuthError as exc:
        _say_why_sign_in_failed(exc, language)
        raise
    print(
        say(texts.SIGNED_IN_AS, language, name=user.name, username=user.username, idp=idp.url),
        flush=True,
    )
    return 0


def _say_why_sign_in_failed(error: AuthError, language: str) -> None:
    """The window's sentence for why signing in failed (what to do next), on standard error
    before the error's own line (launcher/main.py prints that, with the provider's detail)."""
    from launcher.app.vocabulary import sign_in_text

    print(f"launcher: {sign_in_text(error.reason, language)}", file=sys.stderr, flush=True)


def _show_login_url(url: str, language: str, *, open_browser: bool) -> None:
    """The authorization URL goes first on stdout (scripts read it); hints go to stderr."""
    print(url, flush=True)
    if not open_browser:
        _note(texts.OPEN_IN_A_BROWSER, language)
        return
    import webbrowser

    _note(texts.CONTINUE_IN_THE_BROWSER if webbrowser.open(url) else texts.NO_BROWSER, language)


def _note(words: Words, language: str, **fields: object) -> None:
    """A hint for the person on standard error (standard output is for what scripts read)."""
    print(f"launcher: {say(words, language, **fields)}", file=sys.stderr, flush=True)


def _login_device(services: Services, timeout: float, language: str) -> UserInfo:
    import time

    flow = services.auth.begin_device()
    print(f"verification_uri: {flow.verification_uri}")
    print(f"user_code: {flow.user_code}")
    if flow.verification_uri_complete:
        print(f"verification_uri_complete: {flow.verification_uri_complete}")
    if sys.stdout.isatty():
        import segno

        segno.make(flow.qr_uri).terminal(compact=True)
    sys.stdout.flush()
    minutes = max(1, round((flow.expires_at - time.time()) / 60))
    _note(texts.ENTER_THE_CODE, language, minutes=minutes)
    cut_short = flow.expires_at > time.time() + timeout
    if cut_short:
        import dataclasses

        flow = dataclasses.replace(flow, expires_at=time.time() + timeout)
    try:
        return services.auth.poll_device(flow)
    except AuthError as exc:
        if cut_short and exc.reason is AuthReason.EXPIRED:
            raise AuthError(
                say(texts.NOT_APPROVED_IN_TIME, language, seconds=f"{timeout:g}"),
                AuthReason.EXPIRED,
            ) from None
        raise


def _open_county(county_path: Path, language: str) -> Services:
    """The county's services (a county pack that does not load rolled back), and what its packs
    did meanwhile said on standard error (a rollback, platforms retired and cleared)."""
    from launcher.app.packs import open_services, take_notices

    services = open_services(county_path)
    names = {p.id: p.name_en if language.startswith("en") else p.name
             for p in services.registry.platforms}
    for notice in take_notices():
        print(_sentence(notice.sentence(language, names)), file=sys.stderr)
    return services


def _status(services: Services, as_json: bool, language: str) -> int:
    status = services.auth.status(has_password=services.vault.has)
    if as_json:
        import json

        from launcher.core.plugins.check import problem_of

        shown = status.to_json()
        # What did not load (a broken manifest, a platform entry skipped): file, key, message.
        shown["problems"] = [problem_of(line).to_json() for line in services.registry.errors]
        # The county's kill switch: blocked (not loaded) and warned platform versions.
        shown["blocked"] = [
            {"id": pid, "name": b.platform.name, "version": b.platform.manifest.version,
             "level": b.block.level, "reason": b.block.reason, "reason_en": b.block.reason_en,
             "contact": b.block.contact}
            for pid, b in services.registry.blocked.items()
        ]
        json.dump(shown, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if status.user is None:
        print(say(texts.NOT_SIGNED_IN_AT, language, idp=status.idp, kind=status.kind))
    else:
        user = status.user
        print(
            say(
                texts.SIGNED_IN_AS, language, name=user.name, username=user.username, idp=status.idp
            )
        )
    _print_table(_status_rows(status, language))
    from launcher.app.vocabulary import block_sentence

    for blocked in services.registry.blocked.values():  # the county's kill switch
        print(f"{_one_line(blocked.platform.name)}: "
              f"{_sentence(block_sentence(blocked.block, language))}")
    return 0


def _status_rows(status: SessionStatus, language: str) -> list[tuple[str, ...]]:
    """The status table: its headings, and a row per platform in the window's words for its
    sign-in and its state (the token's expiry as JSON gives it)."""
    from launcher.app.vocabulary import auth_kind_label, sign_in_state_label

    rows = [tuple(heading.in_(language) for heading in texts.STATUS_HEADINGS)]
    expiry = {p["id"]: p["expires_at"] for p in status.to_json()["platforms"]}
    for platform in status.platforms:
        rows.append(
            (
                platform.id,
                platform.name,
                auth_kind_label(platform.auth_kind, language),
                sign_in_state_label(platform.state, language),
                expiry[platform.id] or "-",
            )
        )
    return rows


def _print_table(rows: list[tuple[str, ...]]) -> None:
    """Rows in columns as wide as their widest cell (in terminal columns)."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        print("  ".join(cells).rstrip())


def _width(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _logout(services: Services, language: str) -> int:
    from launcher.app.session import logout_report, restore, sign_out

    signed_in = restore(services) is not None
    end_url = sign_out(services)
    if not signed_in:
        print(say(texts.NOTHING_TO_SIGN_OUT, language))
        return 0
    print(_signed_out_sentence(logout_report(services), language))
    if end_url:
        print(say(texts.BROWSER_MAY_STILL_BE_SIGNED_IN, language, url=_without_token(end_url)))
    return 0


def _signed_out_sentence(report: LogoutReport | None, language: str) -> str:
    """What the sign-out did, truthfully: every token revoked, some not (and why), or only the
    local wipe (``report`` None: a CAS session, whose logout ends it at the server)."""
    if report is None:
        return say(texts.SIGNED_OUT_LOCALLY, language)
    if report.complete:
        return say(texts.SIGNED_OUT, language, revoked=len(report.revoked))
    if not report.revoked and not report.not_revoked:
        return say(texts.SIGNED_OUT_LOCALLY, language)
    reasons = dict.fromkeys(why for _, why in report.not_revoked)
    why = "; ".join(
        texts.WHY_NOT_REVOKED[r].in_(language) if r in texts.WHY_NOT_REVOKED else r
        for r in reasons
    )
    return say(
        texts.SIGNED_OUT_NOT_ALL_REVOKED,
        language,
        revoked=len(report.revoked),
        kept=len(report.not_revoked),
        why=why,
    )


def _forget(services: Services, language: str) -> int:
    from launcher.app.session import forget_person

    user = forget_person(services)
    if user is None:
        print(say(texts.NOBODY_TO_FORGET, language), file=sys.stderr)
        return 1
    print(say(texts.FORGOTTEN, language, name=user.name, username=user.username))
    return 0


# -- table -------------------------------------------------------------------------------------


def _table(args: argparse.Namespace, language: str) -> int:
    """``launcher table import|export|list --kind K``: for the person signed in (``launcher
    login``; the demo county's own user with ``--demo``); 1 when nothing was imported."""
    from launcher.app.session import restore, signed_in

    with county_file(args) as (county_path, demo):
        services = _open_county(county_path, language)
        try:
            if demo is not None:
                signed_in(services, demo.sign_in(services.auth))
            elif restore(services) is None:
                raise LauncherError(say(texts.NOT_SIGNED_IN_RUN_LOGIN, language))
            try:
                return _table_command(services, args, language)
            finally:
                if demo is not None:
                    services.logout()
        finally:
            services.close()


def _table_command(services: Services, args: argparse.Namespace, language: str) -> int:
    from launcher.app import table

    kinds = {k.key: k for k in table.table_kinds(services)}
    if args.kind not in kinds:
        raise LauncherError(say(texts.TABLE_NO_KIND, language, kind=args.kind))
    kind = kinds[args.kind]
    kind_name = kind.label if language.startswith("zh") else kind.label_en
    if args.table_command == "import":
        result = table.import_table(services, args.file, args.kind)
        if result.unknown_columns:
            print("launcher: " + say(texts.TABLE_UNKNOWN_COLUMNS, language,
                                     columns="、".join(result.unknown_columns)), file=sys.stderr)
        if not result.ok:
            for error in result.errors:
                words = texts.TABLE_ROW_ERROR if error.column else texts.TABLE_ROW_ERROR_WHOLE
                print(say(words, language, row=error.row, column=error.column,
                          message=error.message), file=sys.stderr)
            print("launcher: " + say(texts.TABLE_NOTHING_IMPORTED, language,
                                     count=result.error_count), file=sys.stderr)
            return 1
        print(say(texts.TABLE_IMPORTED, language, rows=result.rows, kind=kind_name,
                  added=result.added, updated=result.updated, unchanged=result.unchanged))
        return 0
    if args.table_command == "export":
        try:
            rows = table.export_table(services, args.file, args.kind)
        except OSError as exc:
            raise LauncherError(say(texts.CANNOT_WRITE, language, path=args.file,
                                    why=exc.strerror or exc)) from None
        print(say(texts.TABLE_EXPORTED, language, rows=rows, kind=kind_name, path=args.file))
        return 0
    view = table.list_table(services, args.kind, reveal=args.reveal)
    if args.json:
        import json

        shown = {"kind": args.kind, "rows": [
            {"id": row_id, "values": {c.key: v for c, v in zip(view.columns, row, strict=True)
                                      if v},
             **({"subject": view.subjects[i]} if view.subjects else {})}
            for i, (row_id, row) in enumerate(zip(view.ids, view.rows, strict=True))]}
        json.dump(shown, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not view.rows:
        print(say(texts.TABLE_EMPTY, language, kind=kind_name))
        return 0
    chinese = language.startswith("zh")
    headers = tuple(c.label if chinese else c.label_en for c in view.columns)
    lines: list[tuple[str, ...]] = list(view.rows)
    if view.subjects:
        headers = (table.SUBJECT_COLUMN if chinese else table.SUBJECT_COLUMN_EN, *headers)
        lines = [(subject, *row) for subject, row in zip(view.subjects, lines, strict=True)]
    _print_table([headers, *(tuple(_one_line(c) for c in row) for row in lines)])
    return 0


def _sentence(text: str) -> str:
    """Outside words in a sentence for the terminal: one line, bounded."""
    text = " ".join(text.split())
    return text if len(text) <= 500 else text[:499] + "…"


def _one_line(text: str) -> str:
    """A cell for a terminal table: one line, at most 40 characters."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


# -- validate ----------------------------------------------------------------------------------


def _validate(args: argparse.Namespace, language: str) -> int:
    """``launcher validate``: every problem on standard output, a summary last; 1 on any problem.

    A Python entry whose import hangs is given up after ``--timeout``; its thread cannot be
    stopped, so the command then ends without waiting for it (``os._exit``)."""
    import logging
    import os

    from launcher.core.plugins.check import check_paths

    # Every problem is printed below, with its file and key: the registry's own warning of a
    # skipped plugin would say it a second time on standard error.
    logging.getLogger("launcher.core.registry").setLevel(logging.ERROR)

    paths = list(args.paths)
    if not paths:
        with county_file(args) as (county_path, _):
            paths = [county_path]
    report = check_paths(paths, timeout=args.timeout)
    for problem in report.problems:
        words = texts.VALIDATE_PROBLEM if problem.key else texts.VALIDATE_FILE_PROBLEM
        print(say(words, language, file=problem.file, key=problem.key, message=problem.message))
    for warning in report.warnings:
        print(say(texts.VALIDATE_WARNING, language, file=warning.file, key=warning.key,
                  message=warning.message))
    if report.problems:
        print(say(texts.VALIDATE_FAILED, language, count=len(report.problems),
                  counties=report.counties, plugins=report.plugins))
    else:
        print(say(texts.VALIDATE_PASSED, language, counties=report.counties,
                  plugins=report.plugins, entries=report.entries))
    code = 1 if report.problems else 0
    if report.hanging:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _without_token(url: str) -> str:
    """The end-session URL without its id_token_hint: a token value is never printed."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "id_token_hint"]
    return urlunsplit(parts._replace(query=urlencode(query)))
