"""The command line's own sentences, in Chinese and English: one table, so ``launcher`` speaks the
chosen language everywhere (launcher/cli.py picks it: ``--lang``, else the window's saved one).

The words for states, failure reasons and sign-in kinds are not here: they are the window's, in
launcher/app/vocabulary.py. Machine-readable output (JSON, the sign-in URL, ``user_code:``) has no
words to translate and never passes through this table. Each sentence is a ``str.format``
template; the ``launcher:`` prefix of a note on standard error is the caller's.
"""

from __future__ import annotations

from launcher.app.vocabulary import Words

# -- launcher inbox ----------------------------------------------------------------------------

CACHED_NEEDS_COUNTY = Words(
    "--cached 输出为县配置文件保存的待办：请使用 --county PATH（--demo 演示县在每条命令结束时退出登录，"
    "不保存待办）",
    "--cached prints the tasks kept for a county file: use --county PATH (the --demo county signs "
    "out at the end of each command and keeps no tasks)",
)
NO_CACHED_TASKS = Words(
    "{county}还没有保存的待办：请在登录后运行 `launcher inbox`（或打开窗口）获取一次",
    "no cached tasks for {county} yet: run `launcher inbox` while signed in (or open the window) "
    "to fetch them once",
)
NOT_SIGNED_IN_RUN_LOGIN = Words(
    "未登录：请先运行 `launcher login`（或在窗口中登录）",
    "not signed in: run `launcher login` (or sign in in the window) first",
)
OR_CACHED = Words(
    "，或使用 --cached 查看上次刷新时保存的待办",
    ", or use --cached for the tasks kept from the last refresh",
)
CANNOT_WRITE = Words("无法写入 {path}：{why}", "cannot write {path}: {why}")

# A platform whose tasks are not fresh from this run, after ``launcher: <platform id>: ``; {state}
# is the window's word for it (失败：无法连接, 离线数据).
FAILED_STATE = Words("{kind}：{reason}", "{kind}: {reason}")
FAILED_NOTE = Words("{state}（{detail}）", "{state} ({detail})")
TASKS_KEPT = Words("；显示 {since} 时的 {count} 条待办", "; showing its {count} tasks of {since}")
NO_TASKS_KEPT = Words("；没有保存的待办", "; no tasks kept")
STALE_NOTE = Words(
    "{state}，截至 {since}（{count} 条待办）", "{state}, as of {since} ({count} tasks)"
)
UNKNOWN_NOTE = Words("{state}，没有保存的待办", "{state}, no tasks kept")
SIGN_IN_IN_THE_WINDOW = Words(
    "{platforms}：这些平台的令牌只能在一端通窗口的网页环境中获取（本县 [idp] tokens = \"web\"，或登录是在"
    "网页上完成的且已到期）：请打开窗口并在其中登录，窗口取得的令牌在有效期内命令行也可使用",
    "{platforms}: these platforms' tokens can only be had in the 一端通 window's web profile (this "
    "county's [idp] tokens = \"web\", or the sign-in was made on a web page and has expired): open "
    "the window and sign in there; the tokens it gets serve the command line too while they last",
)

# -- launcher login ----------------------------------------------------------------------------

KEEPS_A_SESSION = Words(
    "`launcher {command}` 为县配置文件保存登录：请使用 --county PATH（--demo 演示县只在一条命令运行期间存在）",
    "`launcher {command}` keeps a session for a county file: use --county PATH (the --demo county "
    "lives only as long as one command)",
)
WINDOW_ONLY = Words(
    "{path}：本县在 {url} 通过 {provider} 登录，只能在窗口中登录：请运行 `launcher --county PATH` 并在"
    "窗口中登录；之后 `launcher status`、`inbox` 和 `logout` 使用该登录",
    "{path}: this county signs in with {provider} at {url}, which works in the window only: run "
    "`launcher --county PATH` and sign in there; `launcher status`, `inbox` and `logout` then use "
    "that session",
)
SIGNED_IN_AS = Words(
    "已登录：{name}（{username}），统一身份认证服务 {idp}",
    "signed in as {name} ({username}) at {idp}",
)
OPEN_IN_A_BROWSER = Words("请在浏览器中打开此地址登录", "open this address in a browser to sign in")
CONTINUE_IN_THE_BROWSER = Words("请在浏览器中继续登录", "continue signing in in your browser")
NO_BROWSER = Words(
    "无法启动浏览器：请在浏览器中打开此地址登录",
    "no browser could be started: open this address in one to sign in",
)
ENTER_THE_CODE = Words(
    "请在手机或任意浏览器中打开该地址并输入验证码；正在等待确认（验证码约 {minutes} 分钟后过期）",
    "open the address on a phone or any browser and enter the code; waiting for approval (the "
    "code expires in about {minutes} min)",
)
NOT_APPROVED_IN_TIME = Words(
    "验证码未在 {seconds} 秒内得到确认", "the code was not approved within {seconds} s"
)

# -- launcher status ---------------------------------------------------------------------------

NOT_SIGNED_IN_AT = Words(
    "未登录统一身份认证服务 {idp}（{kind}）：请运行 `launcher login`",
    "not signed in at {idp} ({kind}): run `launcher login`",
)
STATUS_HEADINGS = (
    Words("平台", "PLATFORM"),
    Words("名称", "NAME"),
    Words("登录方式", "LOGIN"),
    Words("状态", "STATE"),
    Words("令牌到期", "TOKEN EXPIRES"),
)

# -- launcher logout ---------------------------------------------------------------------------

NOTHING_TO_SIGN_OUT = Words(
    "未登录；密钥环中没有留下登录信息", "not signed in; nothing was left in the keyring"
)
SIGNED_OUT = Words(
    "已退出登录：令牌已在统一身份认证服务吊销（{revoked} 个），并已从本机删除",
    "signed out: the tokens are revoked at the identity service ({revoked}) and deleted from "
    "this computer",
)
SIGNED_OUT_NOT_ALL_REVOKED = Words(
    "已退出登录：登录信息已从本机删除；已吊销 {revoked} 个令牌，另有 {kept} 个未能吊销（{why}），"
    "它们到期后失效",
    "signed out: the sign-in is deleted from this computer; {revoked} tokens were revoked, {kept} "
    "could not be ({why}) and stay valid until they expire",
)
SIGNED_OUT_LOCALLY = Words(
    "已退出登录：登录信息已从本机删除（统一身份认证服务未被告知）",
    "signed out: the sign-in is deleted from this computer (the identity service was not told)",
)
WHY_NOT_REVOKED = {
    "no-endpoint": Words(
        "统一身份认证服务未提供吊销地址，可由县信息化团队在 county.toml 的 [idp] "
        "revocation_endpoint 中填写",
        "the identity service names no revocation endpoint; the county can set [idp] "
        "revocation_endpoint",
    ),
    "unsupported": Words("统一身份认证服务不能吊销此类令牌", "the identity service cannot revoke "
                         "this kind of token"),
    "failed": Words("统一身份认证服务无法连接或拒绝了吊销", "the identity service could not be "
                    "reached or refused"),
}
"""Why tokens were not revoked at logout, by ``oidc.Revocation`` code."""
BROWSER_MAY_STILL_BE_SIGNED_IN = Words(
    "您登录时用过的浏览器可能仍在统一身份认证服务保持登录；如需一并退出，请打开：{url}",
    "a web browser you signed in with may still be signed in at the identity service; to end "
    "that too, open: {url}",
)

# -- launcher forget ---------------------------------------------------------------------------

FORGET_NEEDS_YES = Words(
    "launcher forget 会删除本机为当前登录人员保存的一切（个人信息、保存的密码、登录信息、待办）："
    "确认请加 --yes",
    "launcher forget deletes everything this computer keeps for the person signed in (profile, "
    "saved passwords, sign-in, tasks): add --yes to confirm",
)
NOBODY_TO_FORGET = Words(
    "未登录，没有删除任何数据：请先以要删除其数据的人员身份登录（launcher login）",
    "not signed in, nothing was deleted: sign in as the person to forget first (launcher login)",
)
FORGOTTEN = Words(
    "已删除本机为 {name}（{username}）保存的一切：个人信息、保存的密码、登录信息和待办；"
    "其他人员的数据保留",
    "everything this computer kept for {name} ({username}) is deleted: profile, saved "
    "passwords, sign-in and tasks; other people's data stays",
)

# -- launcher validate ---------------------------------------------------------------------------

# One problem a line: the file, the key inside it, what is wrong (the checks' own words).
VALIDATE_PROBLEM = Words("问题：{file}：{key}：{message}", "problem: {file}: {key}: {message}")
VALIDATE_FILE_PROBLEM = Words("问题：{file}：{message}", "problem: {file}: {message}")
VALIDATE_WARNING = Words("提示：{file}：{key}：{message}", "warning: {file}: {key}: {message}")
VALIDATE_PASSED = Words(
    "全部通过：{counties} 个县配置文件，{plugins} 个插件，{entries} 个 Python 入口已导入并检查",
    "all good: {counties} county file(s), {plugins} plugin(s), {entries} Python entry(ies) "
    "imported and checked",
)
VALIDATE_FAILED = Words(
    "发现 {count} 个问题（已检查 {counties} 个县配置文件，{plugins} 个插件）",
    "problems found: {count} ({counties} county file(s), {plugins} plugin(s) checked)",
)

# -- launcher table ------------------------------------------------------------------------------

TABLE_NO_KIND = Words("一张表中没有这一类：{kind}", "the one table keeps no {kind}")
TABLE_IMPORTED = Words(
    "已导入 {rows} 行（{kind}）：新增 {added}，更新 {updated}（已有的同一户号、证件号或信用代码），"
    "未变 {unchanged}",
    "imported {rows} rows ({kind}): {added} added, {updated} updated (the same number, ID number "
    "or credit code kept already), {unchanged} unchanged",
)
TABLE_ROW_ERROR = Words("第 {row} 行“{column}”：{message}", "row {row}, column “{column}”: {message}")
TABLE_ROW_ERROR_WHOLE = Words("第 {row} 行：{message}", "row {row}: {message}")
TABLE_NOTHING_IMPORTED = Words(
    "共 {count} 处错误，没有导入任何一行：请改正后重新导入",
    "{count} error(s): no row was imported; correct them and import again",
)
TABLE_UNKNOWN_COLUMNS = Words(
    "以下列未识别，未导入：{columns}", "these columns were not recognised and not imported: {columns}"
)
TABLE_EXPORTED = Words(
    "已导出 {rows} 行（{kind}）到 {path}；文件含身份证号、电话等敏感信息，请妥善保管",
    "exported {rows} rows ({kind}) to {path}; the file holds sensitive values (ID numbers, "
    "phones): keep it safe",
)
TABLE_EMPTY = Words("还没有{kind}的记录", "no {kind} yet")

NOT_A_COMMAND = Words("没有这条命令：{command}", "not a command: {command}")


def say(words: Words, language: str, **fields: object) -> str:
    """``words`` in ``language``, with ``fields`` filled in."""
    return words.in_(language).format(**fields)
