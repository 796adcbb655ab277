"""``launcher retire PLATFORM_ID --yes``: a person removes a platform from this computer (三清).

Everything the launcher keeps of the platform goes, for every county account of this Windows
account (launcher/app/sanqing.py): its tokens revoked and deleted, saved passwords, web sessions,
cached tasks, notices, splits, outcomes and fill history; the platform is no longer shown. The
report's path and a summary are printed, in the window's language (``--lang``, else the one saved
in the window, else Chinese); the report itself is JSON for the IT team. Exit status 0 when
nothing stays here, 1 otherwise (sign-out tries again).
"""

from __future__ import annotations

import argparse
import sys

from launcher.app.county_file import county_file
from launcher.app.vocabulary import Words
from launcher.cli_texts import say
from launcher.core.errors import LauncherError

NEEDS_YES = Words(
    "launcher retire 会为当前 Windows 账号移除平台 {platform}，并删除此账号下为每个县账号保存的该平台数据"
    "（令牌、保存的密码、网页会话、待办、通知、拆分、填报历史）：确认请加 --yes",
    "launcher retire removes the platform {platform} for this Windows account and deletes what "
    "it keeps of it for every county account (tokens, saved passwords, web sessions, tasks, "
    "notices, splits, fill history): add --yes to confirm",
)
NOT_A_PLATFORM = Words(
    "{platform} 不是本县的平台；可移除的平台：{known}",
    "{platform} is not a platform of this county; these are: {known}",
)
RETIRED = Words(
    "已移除平台 {platform}，并清除了本机保存的该平台数据（三清）",
    "platform {platform} removed, and what this computer kept of it cleared (三清)",
)
REPORT_AT = Words("三清报告：{path}", "三清 report: {path}")
NO_REPORT = Words("三清报告未能写入（原因见日志）", "the 三清 report could not be written (the log says why)")
NOT_ALL = Words(
    "部分数据未能清除（见上）：下次退出登录时将再次尝试",
    "some of it could not be cleared (see above): the next sign-out tries again",
)
LINE = Words("  {kind}：{state}{held}", "  {kind}: {state}{held}")
HELD = Words("（{count}）", " ({count})")
NOTE = Words("    - {note}", "    - {note}")

KINDS = {
    "web data": Words("网页数据", "web data"),
    "session": Words("令牌", "tokens"),
    "tasks": Words("缓存的待办", "cached tasks"),
    "notices": Words("通知记录", "notification memory"),
    "splits": Words("拆分的分组", "split groups"),
    "profile": Words("个人信息", "profile"),
    "passwords": Words("保存的密码", "saved passwords"),
    "platform sessions": Words("平台网页会话", "platform web sessions"),
    "records": Words("记录的提交结果、关联和填报历史", "records' outcomes, task links and fill history"),
    "log": Words("日志中提及该平台的行", "log lines naming it"),
    "audit": Words("操作记录", "audit log"),
    "ledger": Words("减负账本中的计数", "burden ledger counts"),
}
STATES = {
    "cleared": Words("已清除", "cleared"),
    "partly": Words("本机已清除，另有未完成之处", "cleared here, with something left undone"),
    "kept": Words("保留（属于人员本人，不属于平台）", "kept (the person's, not the platform's)"),
    "failed": Words("未能清除", "not cleared"),
}
NOTES = {
    "not-revoked-no-endpoint": Words(
        "令牌未吊销：统一身份认证服务没有吊销接口，到期后失效",
        "a token was not revoked: the identity service has no revocation endpoint; it lapses "
        "when it expires"),
    "not-revoked-unsupported": Words(
        "令牌未吊销：统一身份认证服务不能吊销此类令牌，到期后失效",
        "a token was not revoked: the identity service cannot revoke this kind; it lapses when "
        "it expires"),
    "not-revoked-failed": Words(
        "令牌未吊销：无法连接统一身份认证服务或被拒绝，到期后失效",
        "a token was not revoked: the identity service could not be reached or refused; it "
        "lapses when it expires"),
    "no-revocation": Words(
        "令牌未吊销：本县的统一身份认证服务不提供吊销，到期后失效",
        "a token was not revoked: this county's identity service revokes none; it lapses when it "
        "expires"),
    "grant": Words(
        "本机保存的县统一登录仍含该平台的权限范围，下次登录时不再申请",
        "the county sign-in kept here still holds the platform's scopes; the next sign-in no "
        "longer asks for them"),
    "no-web-profile-here": Words(
        "命令行没有网页环境：正在运行的一端通窗口仍在内存中保留该平台的网页数据，退出登录或关闭窗口时清除",
        "the command line has no web profile: a 一端通 window running now keeps the platform's "
        "web data in memory until it signs out or closes"),
}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """The ``retire`` command's parser (its --county and --lang options are the caller's)."""
    retire = sub.add_parser(
        "retire",
        help="remove a platform from this computer and delete everything kept of it, for every "
        "person (三清), with a report for the IT team",
    )
    retire.add_argument("platform", metavar="PLATFORM_ID", help="the platform's id (plugin id)")
    retire.add_argument("--yes", action="store_true", help="confirm the deletion")
    return retire


def retire_command(args: argparse.Namespace, language: str) -> int:
    from launcher.app import sanqing
    from launcher.app.packs import open_services

    platform = str(args.platform)
    if not args.yes:
        raise LauncherError(say(NEEDS_YES, language, platform=platform))
    with county_file(args) as (county_path, _):
        services = open_services(county_path)
        try:
            known = sanqing.known_platforms(services)
            if platform not in known and platform not in sanqing.removed_by_person(
                    services.data_dir):
                raise LauncherError(say(NOT_A_PLATFORM, language, platform=platform,
                                        known=", ".join(known) or "-"))
            report = sanqing.retire(services, [platform], why=sanqing.BY_PERSON, web=None)
        finally:
            services.close()
    print(say(RETIRED, language, platform=platform))
    for item in report.items:
        kind = KINDS.get(item.kind)
        print(say(LINE, language, kind=kind.in_(language) if kind else item.kind,
                  state=STATES[str(item.state)].in_(language),
                  held=say(HELD, language, count=item.held) if item.held else ""))
        for note in item.notes:
            if not note.done:
                words = NOTES.get(note.code)
                print(say(NOTE, language, note=words.in_(language) if words else note.detail))
    if report.path is not None:
        print(say(REPORT_AT, language, path=report.path))
    else:
        print(f"launcher: {say(NO_REPORT, language)}", file=sys.stderr)
    if not report.complete:
        print(f"launcher: {say(NOT_ALL, language)}", file=sys.stderr)
        return 1
    return 0
