"""What the person is told about the county's packs, in Chinese or English (no Qt): a new pack
and what changed, one waiting for the next start, a rollback, a refusal (naming the problem),
metadata about to expire, platforms retired (三清)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from launcher.app.vocabulary import Words

if TYPE_CHECKING:
    from launcher.app.packs import PackNotice

MAX_DETAIL = 300
"""Characters of a technical reason shown (it may quote a county's file)."""

PROBLEMS: dict[str, Words] = {
    "signature": Words("签名不是本县信任的密钥", "it is not signed by a key the county trusts"),
    "unsigned": Words("包没有签名", "the pack is not signed"),
    "expired": Words("更新信息已过期", "the county's update information has expired"),
    "rolled_back": Words("版本比正在使用的旧（版本回退）",
                         "it is older than the one in use (rolled back)"),
    "tampered": Words("文件被改动过，与签名不符", "a file was altered after it was signed"),
    "mixed": Words("更新信息新旧混杂，前后不一致",
                   "the update information is mixed from different versions"),
    "wrong_county": Words("这是别的县的包", "it is another county's pack"),
    "bad_pack": Words("包加载出错（县配置、平台清单或插件有误）",
                      "it does not load (a county file, manifest or plugin error)"),
    "unreachable": Words("连不上县里的更新服务器", "the county's update server cannot be reached"),
    "settings": Words("本机的更新设置有误", "this PC's update settings are wrong"),
    "busy": Words("另一个一端通正在更新", "another launcher is updating"),
    "disk": Words("无法写入本机磁盘", "this PC's disk cannot be written"),
}
UNKNOWN_PROBLEM = Words("未知问题", "an unknown problem")


def notice_sentence(notice: PackNotice, language: str, names: Mapping[str, str]) -> str:
    """One notice as the person reads it (names: platform id → name, for what changed)."""
    from launcher.app.packs import NoticeKind

    english = language.startswith("en")
    kind = notice.kind
    if kind in (NoticeKind.UPDATED, NoticeKind.STAGED):
        changed = notice.changes.sentence(language, names) if notice.changes is not None else ""
        if kind == NoticeKind.UPDATED:
            head = (f"The county's platform pack is now version {notice.version}"
                    if english else f"县平台包已更新到 {notice.version}")
        else:
            head = (f"County platform pack {notice.version} is ready and applies at the next "
                    "start" if english else f"县平台包 {notice.version} 已下载，下次启动时生效")
        if not changed:
            return head + ("." if english else "。")
        return f"{head}: {changed}" if english else f"{head}：{changed}"
    if kind == NoticeKind.ROLLED_BACK:
        back = notice.previous or ("the county file" if english else "县配置文件")
        if english:
            return (f"County platform pack {notice.version} did not load, so {back} is used "
                    f"again. Please tell the county's IT team. ({_detail(notice.detail)})")
        return (f"县平台包 {notice.version} 加载出错，已自动退回 {back}。请告知县信息化部门。"
                f"（{_detail(notice.detail)}）")
    if kind == NoticeKind.REFUSED:
        why = PROBLEMS.get(notice.problem, UNKNOWN_PROBLEM).in_(language)
        version = f" {notice.version}" if notice.version else ""
        if english:
            return (f"A county platform pack{version} was refused: {why}. The installed one "
                    "keeps working.")
        return f"县平台包{version}未被接受：{why}。已安装的包照常使用。"
    if kind == NoticeKind.EXPIRING:
        days = notice.days_left if notice.days_left is not None else 0
        date = notice.expiry.astimezone().strftime("%Y-%m-%d") if notice.expiry else ""
        if english:
            return (f"The county's update information expires on {date}: without a connection "
                    f"this PC can go {days} more days without updates. Connect, or ask the "
                    "county's IT team for a new copy.")
        return (f"县里的更新信息将于 {date} 过期：不联网还可以用 {days} 天。"
                "请联网，或向县信息化部门索取新的更新包。")
    # RETIRED
    shown = [names.get(p) or p for p in notice.platforms]
    report = str(notice.report) if notice.report else ""
    if english:
        where = f" The report: {report}" if report else ""
        return f"Retired and cleared from this PC (三清): {', '.join(shown)}.{where}"
    where = f"报告：{report}" if report else ""
    return f"已停用并从本机清除（三清）：{'、'.join(shown)}。{where}"


def _detail(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= MAX_DETAIL else one_line[: MAX_DETAIL - 1] + "…"
