"""``launcher pack …``: the county IT team's commands for county packs (docs/packs.md).

``new`` scaffolds a plugin from resources/pack_templates, ``validate`` checks as ``launcher
validate`` does, ``build`` makes the pack file, ``inspect`` shows a pack or a repository; ``init``,
``sign``, ``block``, ``unblock``, ``timestamp``, ``renew``, ``rotate-key`` and ``publish`` keep the
county's TUF repository (launcher/core/packs/repo.py), and ``verify`` checks a repository or its
published copy as a launcher would.

What the commands say is in the person's language (``--lang``, as every command); their sentences
are the table below. The details inside (a file, a key, what the checks found) are the checks'
own words. Exit status: 0 done, 1 refused (the reason on standard error), 2 a usage mistake.
Passphrases of encrypted keys come from ``LAUNCHER_KEY_PASSPHRASE``, else a prompt on a
terminal; they are never an option (shell history keeps options).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launcher.app.vocabulary import Words
from launcher.cli_texts import say
from launcher.core.errors import LauncherError

if TYPE_CHECKING:
    from launcher.core.packs.archive import PackInfo
    from launcher.core.packs.client import UpdateResult
    from launcher.core.packs.keys import Passphrase

PASSPHRASE_ENV = "LAUNCHER_KEY_PASSPHRASE"
KINDS = ("rest", "password", "python")
KEY_ROLES = ("root", "targets", "online")
METADATA_ROLES = ("root", "targets", "snapshot", "timestamp")

# -- the sentences -------------------------------------------------------------------------------

REFUSED = {
    "new": Words("未创建插件：{why}", "the plugin was not created: {why}"),
    "build": Words("未生成数据包：{why}", "the pack was not built: {why}"),
    "inspect": Words("无法查看：{why}", "cannot inspect: {why}"),
    "init": Words("未创建仓库：{why}", "the repository was not created: {why}"),
    "sign": Words("未签名：{why}", "not signed: {why}"),
    "verify": Words("验证未通过：{why}", "verification failed: {why}"),
    "block": Words("未停用：{why}", "not blocked: {why}"),
    "unblock": Words("未解除停用：{why}", "not unblocked: {why}"),
    "timestamp": Words("未重签时间戳：{why}", "the timestamp was not signed: {why}"),
    "renew": Words("未续期：{why}", "not renewed: {why}"),
    "rotate-key": Words("未更换密钥：{why}", "the key was not replaced: {why}"),
    "publish": Words("未发布：{why}", "not published: {why}"),
}
CREATED_PLUGIN = Words(
    "已创建插件 {id}（{kind}）：{folder}\n下一步：修改 manifest.toml 中的地址、权限范围和字段，运行 "
    "`launcher pack validate {folder}`；在县配置文件中加入 [[platforms]] plugin = \"{id}\" 及其 "
    "base_url",
    "created plugin {id} ({kind}): {folder}\nnext: set the addresses, scopes and fields in "
    "manifest.toml, run `launcher pack validate {folder}`, and add [[platforms]] plugin = \"{id}\" "
    "with its base_url to the county file",
)
FOLDER_NOT_EMPTY = Words("{folder} 已存在且不为空", "{folder} exists and is not empty")
BUILT = Words("已生成数据包：{path}（{size}，sha256 {digest}）",
              "built {path} ({size}, sha256 {digest})")
BUILD_PROBLEMS = Words("发现 {count} 个问题，未生成数据包", "{count} problem(s) found: no pack built")
FIRST_PACK = Words("本县的第一个数据包：{summary}", "the county's first pack: {summary}")
SINCE_PREVIOUS = Words("与 {previous} 相比：{summary}", "since {previous}: {summary}")
NOTE = Words("说明：{note}", "note: {note}")
PACK_HEAD = Words("数据包 {file}：县 {county}，版本 {version}，生成于 {created}",
                  "pack {file}: county {county}, version {version}, built {created}")
PLATFORMS_HEAD = Words("平台（{count}）：", "platforms ({count}):")
FILES_HEAD = Words("文件（{count} 个，共 {size}）：", "files ({count}, {size} in all):")
CHANGES_FIRST = Words("变化（首个数据包）：{summary}", "changes (first pack): {summary}")
CHANGES_SINCE = Words("变化（与 {previous} 相比）：{summary}", "changes (since {previous}): {summary}")
PACK_REFUSED = Words("此数据包会被启动器拒绝：{why}", "launchers would refuse this pack: {why}")
NOT_A_PACK_OR_REPO = Words(
    "{path} 既不是数据包文件，也不是仓库文件夹（其中没有 metadata/）",
    "{path} is neither a pack file nor a repository folder (no metadata/ in it)",
)
REPO_HEAD = Words("仓库 {path}（县 {county}）", "repository {path} (county {county})")
ROLE_LINE = Words(
    "{role}：第 {version} 版，{expiry}；签名 {signed}/{threshold}（{keyids}）",
    "{role}: version {version}, {expiry}; signatures {signed}/{threshold} ({keyids})",
)
ROLE_MISSING = Words("{role}：缺失或无法读取（{why}）", "{role}: missing or unreadable ({why})")
EXPIRES_IN = Words("{when} 到期（{left}）", "expires {when} ({left})")
LEFT_DAYS = Words("还有 {count} 天", "in {count} days")
LEFT_HOURS = Words("还有 {count} 小时", "in {count} hours")
EXPIRED = Words("已于 {when} 过期", "EXPIRED {when}")
UNSIGNED_KEYS = Words("；未签名的密钥：{keyids}", "; keys that did not sign: {keyids}")
INDEX_PACK = Words("当前数据包：{version}（{target}）", "current pack: {version} ({target})")
INDEX_NO_PACK = Words("当前数据包：尚无（launcher pack sign）", "current pack: none yet (launcher pack sign)")
SIGNED_PACKS = Words("已签名的数据包：{packs}", "packs signed: {packs}")
NO_BLOCKS = Words("停用：无", "blocks: none")
BLOCK_LINE = Words("停用：{plugin} {version}（{level}）：{reason}；联系：{contact}",
                   "block: {plugin} {version} ({level}): {reason}; contact: {contact}")
LEVELS = {"hard": Words("禁止加载", "hard"), "soft": Words("警告", "soft")}
INIT_DONE = Words(
    "已创建县 {county} 的仓库：{repo}\n密钥在 {keys}：{root} 个根密钥（新根版本需要其中 {threshold} 个签名）、"
    "targets、online。\n请把根密钥（root-*.pem）分别转存到离线介质并从这台电脑删除；online.pem 放在县服务器上，"
    "每天运行 `launcher pack timestamp`。",
    "created county {county}'s repository: {repo}\nkeys in {keys}: {root} root keys (a new root "
    "needs {threshold} of them), targets, online.\nMove the root keys (root-*.pem) to separate "
    "offline media and delete them here; keep online.pem on the county server, which runs "
    "`launcher pack timestamp` daily.",
)
UNENCRYPTED = Words(
    "提示：私钥未加密（未设置 {env}，也没有终端可以询问口令）：请妥善保管密钥文件夹",
    "warning: the private keys are not encrypted ({env} is not set and there is no terminal to "
    "ask on): keep the keys folder safe",
)
SIGNED = Words(
    "已签名数据包 {version}：它现在是本县的当前数据包。请发布：launcher pack publish {repo} DEST",
    "signed pack {version}: it is the county's current pack now. Publish it: launcher pack "
    "publish {repo} DEST",
)
VERIFIED = Words(
    "验证通过（与启动器检查更新的方式相同）：{where}\n当前数据包 {version}，停用 {blocks} 条；"
    "元数据最早于 {expires} 到期（{left}）",
    "verified as a launcher checks it: {where}\ncurrent pack {version}, {blocks} block(s); the "
    "metadata's first expiry is {expires} ({left})",
)
VERIFIED_NO_PACK = Words("验证通过：{where}（尚无数据包）", "verified: {where} (no pack yet)")
VERIFY_PROBLEM = Words("问题：{problem}", "problem: {problem}")
ROOT_NEEDED = Words(
    "请用 --root ROOT.json 指定本县的信任根（随启动器安装的 root.json）",
    "give the county's root of trust with --root ROOT.json (the root.json installed with "
    "launchers)",
)
COUNTY_NEEDED = Words(
    "无法得知仓库所属的县：请用 --county ID 指定", "the repository's county is not known: give it "
    "with --county ID",
)
OWN_ROOT = Words(
    "提示：未给出 --root，使用仓库自己的 metadata/1.root.json 作为信任根",
    "note: no --root given: the repository's own metadata/1.root.json is the root of trust",
)
BLOCKED = Words(
    "已停用 {plugin} {version}（{level}）：各电脑下次检查更新时生效。请发布：launcher pack publish",
    "blocked {plugin} {version} ({level}): PCs apply it at their next check. Publish it: "
    "launcher pack publish",
)
UNBLOCKED = Words("已解除停用 {plugin} {version}。请发布：launcher pack publish",
                  "unblocked {plugin} {version}. Publish it: launcher pack publish")
TIMESTAMPED = Words("已重签时间戳，{when} 到期", "timestamp signed; it expires {when}")
RENEWED = Words("已重签 {role}，{when} 到期", "{role} signed again; it expires {when}")
ROTATED = Words(
    "已为 {role} 换上新密钥 {name}（{keys}）；新的根版本已签名。请发布：launcher pack publish",
    "{role} has a new key {name} (in {keys}); a new root version is signed. Publish it: "
    "launcher pack publish",
)
PUBLISHED = Words(
    "已发布到 {dest}（{files} 个文件）。没有网络的乡镇最晚可用到 {expires}（{left}）。\n"
    "安装启动器时把 {dest}/bootstrap/ 中的 root.json 和 updates.toml 放到本机配置文件夹",
    "published to {dest} ({files} files). A township without a connection can go until "
    "{expires} ({left}).\nWhen installing launchers, put root.json and updates.toml from "
    "{dest}/bootstrap/ in the machine-wide settings folder",
)
PASSPHRASE_PROMPT = Words("{path} 的口令：", "passphrase of {path}: ")
NEW_PASSPHRASE = Words("新私钥的口令（留空则不加密）：", "passphrase for the new private keys (empty: "
                       "not encrypted): ")
REPEAT_PASSPHRASE = Words("再输入一次：", "again: ")
PASSPHRASES_DIFFER = Words("两次输入的口令不同", "the two passphrases differ")
NOT_A_PLUGIN_ID = Words(
    "不是插件标识：{value}（小写字母、数字、_ 和 -，用点连接，如 anji.tasks）",
    "not a plugin id: {value} (lower-case words joined by dots, like anji.tasks)",
)


# -- the parser ----------------------------------------------------------------------------------


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``launcher pack`` and its actions, on the command line's sub-parsers."""
    pack = sub.add_parser(
        "pack",
        help="county packs for IT teams: scaffold, check, build, sign, publish and inspect "
        "(docs/packs.md)",
        description="County packs: a county file and its plugins as one signed, versioned pack, "
        "delivered to every PC through the county's TUF repository (docs/packs.md).",
    )
    _language(pack)
    actions = pack.add_subparsers(dest="pack_command", required=True, metavar="ACTION")

    new = _action(actions, "new", "scaffold a plugin folder from a template")
    new.add_argument("plugin_id", type=_plugin_id, metavar="PLUGIN_ID",
                     help="the plugin's id, like anji.tasks")
    new.add_argument("--dir", type=Path, required=True, metavar="FOLDER",
                     help="the folder of plugins: the plugin is made in FOLDER/PLUGIN_ID")
    new.add_argument("--kind", choices=KINDS, default="rest",
                     help="rest: a declared REST task list (default); password: a platform with "
                     "its own login form; python: a Python task source")
    new.add_argument("--name", type=_one_line, help="the tile's name (default: the id)")
    new.add_argument("--name-en", type=_one_line, help="the English name (default: --name)")

    validate = _action(actions, "validate", "check a county folder, plugin folder or county "
                       "file as loading does (as `launcher validate`)")
    validate.add_argument("folder", type=Path, metavar="FOLDER")
    validate.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                          help="how long importing one Python entry may take (default 20)")

    build = _action(actions, "build", "build the pack file of a county folder (county.toml and "
                    "the plugin folders it names)")
    build.add_argument("folder", type=Path, metavar="FOLDER")
    build.add_argument("--version", required=True, type=_pack_version, metavar="V",
                       help="the pack's version: whole numbers joined by dots, like 2026.12.1")
    build.add_argument("--out", type=Path, required=True, metavar="DIR",
                       help="where the pack file is written")
    build.add_argument("--previous", type=Path, metavar="PACK",
                       help="the previous pack file: what changed since is recorded")
    build.add_argument("--note", type=_one_line, default="", help="what changed, in Chinese")
    build.add_argument("--note-en", type=_one_line, default="", help="what changed, in English")
    build.add_argument("--retire", action="append", default=[], type=_plugin_id, metavar="ID",
                       help="a platform the county retires (三清 on every PC); platforms the "
                       "previous pack held and this one does not are retired anyway")
    build.add_argument("--timeout", type=_seconds, default=20.0, metavar="SECONDS",
                       help="how long importing one Python entry may take (default 20)")

    inspect = _action(actions, "inspect", "show a pack file (county, version, platforms, files, "
                      "changes) or a repository (roles, versions, expiry, keys, signatures, "
                      "index, blocks)")
    inspect.add_argument("path", type=Path, metavar="PACK_OR_REPO")
    inspect.add_argument("--json", action="store_true", help="a JSON object")

    init = _action(actions, "init", "create the county's repository and its keys")
    init.add_argument("repo", type=Path, metavar="REPO")
    _keys_option(init)
    init.add_argument("--county", required=True, metavar="ID", help="the county id of county.toml")
    init.add_argument("--root-keys", type=_count(1, 9), default=3, metavar="N",
                      help="how many root keys (default 3)")
    init.add_argument("--threshold", type=_count(1, 9), default=2, metavar="T",
                      help="how many root keys must sign a new root (default 2)")

    sign = _action(actions, "sign", "sign a pack into the repository: the county's current pack")
    sign.add_argument("repo", type=Path, metavar="REPO")
    sign.add_argument("pack", type=Path, metavar="PACK")
    _keys_option(sign)

    verify = _action(actions, "verify", "check a repository folder or its published address as "
                     "a launcher does: signatures, versions, expiry, the index and the pack")
    verify.add_argument("where", metavar="REPO_OR_URL")
    verify.add_argument("--root", type=Path, metavar="ROOT.json",
                        help="the root of trust launchers have (needed for an address)")
    verify.add_argument("--county", metavar="ID", help="the county the repository must be "
                        "(default: the one its bootstrap/updates.toml or repo.toml names)")

    block = _action(actions, "block", "block one plugin version on every PC, without a new pack")
    block.add_argument("repo", type=Path, metavar="REPO")
    block.add_argument("plugin", type=_plugin_id, metavar="PLUGIN")
    block.add_argument("version", metavar="VERSION", help="the manifest's version, or * for all")
    level = block.add_mutually_exclusive_group(required=True)
    level.add_argument("--hard", action="store_const", const="hard", dest="level",
                       help="not loaded: the tile says why and whom to call")
    level.add_argument("--soft", action="store_const", const="soft", dest="level",
                       help="loaded, the tile warns")
    block.add_argument("--reason", required=True, type=_one_line, help="why, in Chinese")
    block.add_argument("--reason-en", default="", type=_one_line, help="why, in English")
    block.add_argument("--contact", required=True, type=_one_line, help="whom to call")
    _keys_option(block)

    unblock = _action(actions, "unblock", "lift a block")
    unblock.add_argument("repo", type=Path, metavar="REPO")
    unblock.add_argument("plugin", type=_plugin_id, metavar="PLUGIN")
    unblock.add_argument("version", nargs="?", default="*", metavar="VERSION",
                         help="the version blocked (default *)")
    _keys_option(unblock)

    timestamp = _action(actions, "timestamp", "sign a new timestamp (daily, on the county "
                        "server, with the online key)")
    timestamp.add_argument("repo", type=Path, metavar="REPO")
    _keys_option(timestamp)
    timestamp.add_argument("--days", type=_count(1, 3650), metavar="N",
                           help="valid this many days (default: repo.toml's, 1)")

    renew = _action(actions, "renew", "sign a role's metadata again before it expires (root "
                    "yearly, targets every 90 days)")
    renew.add_argument("repo", type=Path, metavar="REPO")
    renew.add_argument("role", choices=METADATA_ROLES, metavar="ROLE",
                       help=" | ".join(METADATA_ROLES))
    _keys_option(renew)
    renew.add_argument("--days", type=_count(1, 3650), metavar="N",
                       help="valid this many days (default: repo.toml's)")

    rotate = _action(actions, "rotate-key", "replace a key (lost, or leaving with a person) by a "
                     "new one")
    rotate.add_argument("repo", type=Path, metavar="REPO")
    rotate.add_argument("role", choices=KEY_ROLES, metavar="ROLE", help=" | ".join(KEY_ROLES))
    _keys_option(rotate)
    rotate.add_argument("--old", metavar="NAME",
                        help="the key replaced, like root-2 (needed for a root key)")

    publish = _action(actions, "publish", "copy what launchers need into a folder a web server "
                      "serves, a share or a USB stick")
    publish.add_argument("repo", type=Path, metavar="REPO")
    publish.add_argument("dest", type=Path, metavar="DEST")
    publish.add_argument("--offline-days", type=_count(1, 3650), metavar="N",
                         help="sign snapshot and timestamp valid N days first (offline delivery; "
                         "needs --keys with the online key)")
    publish.add_argument("--keys", type=Path, metavar="KEYS", help="the keys folder")
    publish.add_argument("--url", metavar="URL",
                         help="where launchers will find DEST (written into bootstrap/updates."
                         "toml; default: DEST as a folder)")


def _action(actions: argparse._SubParsersAction[argparse.ArgumentParser], name: str,
            helptext: str) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=helptext, description=helptext)
    _language(parser)
    return parser


def _language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["zh_CN", "en"], default=argparse.SUPPRESS,
                        help="the language of the messages (default: the window's, else zh_CN)")


def _keys_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keys", type=Path, required=True, metavar="KEYS",
                        help="the keys folder (never inside the repository)")


def _plugin_id(value: str) -> str:
    from launcher.core.schema import MAX_ID_CHARS, PLUGIN_ID

    if len(value) > MAX_ID_CHARS or not PLUGIN_ID.match(value):
        raise argparse.ArgumentTypeError(f"not a plugin id (like anji.tasks): {value!r}")
    return value


def _pack_version(value: str) -> str:
    from launcher.core.packs.version import PackVersion

    try:
        return str(PackVersion.parse(value))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _one_line(value: str) -> str:
    from launcher.core.schema import bad_text

    problem = bad_text(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not 0 < seconds <= 600:
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 600 seconds, not {value}")
    return seconds


def _count(low: int, high: int) -> Callable[[str], int]:
    def whole(value: str) -> int:
        if not value.isdigit() or not low <= int(value) <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}, "
                                             f"not {value!r}")
        return int(value)

    return whole


# -- running -------------------------------------------------------------------------------------


def run(args: argparse.Namespace, language: str) -> int:
    """``launcher pack ACTION``: 0 done, 1 refused (LauncherError, printed by the process entry),
    2 a usage mistake found after parsing."""
    from launcher.core.packs.archive import PackError
    from launcher.core.packs.keys import KeyFileError
    from launcher.core.packs.repo import RepoError

    action = args.pack_command
    command = _COMMANDS[action]
    try:
        return command(args, language)
    except (PackError, RepoError, KeyFileError) as exc:
        raise LauncherError(say(REFUSED[action], language, why=exc)) from None


def _new(args: argparse.Namespace, language: str) -> int:
    from launcher.core.paths import resources_dir
    from launcher.core.plugins.check import check_paths

    folder: Path = args.dir / args.plugin_id
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise LauncherError(say(REFUSED["new"], language,
                                why=say(FOLDER_NOT_EMPTY, language, folder=folder)))
    name = args.name or args.plugin_id.rsplit(".", 1)[-1]
    name_en = args.name_en or name
    templates = resources_dir() / "pack_templates"
    fields = {
        "id": args.plugin_id,
        "id_toml": _toml_string(args.plugin_id),
        "name": name,
        "name_toml": _toml_string(name),
        "name_en_toml": _toml_string(name_en),
        "name_xml": _xml(name),
        "initial_xml": _xml(name[:1]),
        "name_py": name.replace("\\", "\\\\").replace('"', '\\"'),
    }
    files = {p.name: p for p in (templates / args.kind).iterdir() if p.is_file()}
    files["icon.svg"] = templates / "icon.svg"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for target, template in sorted(files.items()):
            text = template.read_text(encoding="utf-8")
            for key, value in fields.items():
                text = text.replace("{{" + key + "}}", value)
            (folder / target).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise LauncherError(say(REFUSED["new"], language, why=exc)) from None
    report = check_paths([folder])
    if report.problems:  # a template out of step with the checks: say so, plainly
        _print_problems(report.problems, language)
        return 1
    print(say(CREATED_PLUGIN, language, id=args.plugin_id, kind=args.kind, folder=folder))
    return 0


def _validate(args: argparse.Namespace, language: str) -> int:
    from launcher.cli import _validate as validate_command

    folder: Path = args.folder
    path = folder / "county.toml" if (folder / "county.toml").is_file() else folder
    return validate_command(argparse.Namespace(paths=[path], timeout=args.timeout), language)


def _build(args: argparse.Namespace, language: str) -> int:
    import hashlib
    import os

    from launcher.core.packs.archive import BuildRefused, build_pack, read_pack_info

    try:
        path = build_pack(args.folder, args.version, args.out, previous=args.previous,
                          note=args.note, note_en=args.note_en, retire=args.retire,
                          timeout=args.timeout)
    except BuildRefused as exc:
        _print_problems(exc.problems, language)
        print(say(BUILD_PROBLEMS, language, count=len(exc.problems)))
        if exc.hanging:  # a Python entry's import never returned: its thread cannot be stopped
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(1)
        return 1
    info = read_pack_info(path)
    data = path.read_bytes()
    print(say(BUILT, language, path=path, size=_size(len(data)),
              digest=hashlib.sha256(data).hexdigest()))
    _print_changes(info, _source_names(args.folder, language), language, built=True)
    return 0


def _source_names(folder: Path, language: str) -> dict[str, str]:
    """The platforms' names in ``language``, from the county folder's manifests."""
    from launcher.core.county import load_county
    from launcher.core.errors import ConfigError
    from launcher.core.registry import discover

    county_file = folder if folder.is_file() else folder / "county.toml"
    try:
        manifests, _ = discover(load_county(county_file).plugin_dirs)
    except ConfigError:
        return {}
    english = language.startswith("en")
    return {pid: (m.name_en if english else m.name) for pid, m in manifests.items()}


def _print_changes(info: PackInfo, names: Mapping[str, str], language: str, *,
                   built: bool = False) -> None:
    changes = info.changes
    summary = changes.summary(language, names)
    if built:
        words = SINCE_PREVIOUS if changes.previous else FIRST_PACK
    else:
        words = CHANGES_SINCE if changes.previous else CHANGES_FIRST
    print(say(words, language, previous=changes.previous, summary=summary))
    note = changes.note_in(language)
    if note:
        print(say(NOTE, language, note=note))


def _print_problems(problems: Iterable[Any], language: str) -> None:
    from launcher import cli_texts as texts

    for problem in problems:
        words = texts.VALIDATE_PROBLEM if problem.key else texts.VALIDATE_FILE_PROBLEM
        print(say(words, language, file=problem.file, key=problem.key, message=problem.message))


# -- inspect -------------------------------------------------------------------------------------


def _inspect(args: argparse.Namespace, language: str) -> int:
    path: Path = args.path
    if path.is_file():
        return _inspect_pack(path, args.json, language)
    if (path / "metadata").is_dir():
        return _inspect_repo(path, args.json, language)
    raise LauncherError(say(REFUSED["inspect"], language,
                            why=say(NOT_A_PACK_OR_REPO, language, path=path)))


def _inspect_pack(path: Path, as_json: bool, language: str) -> int:
    import tempfile

    from launcher.core.packs.archive import PackError, extract_pack, read_pack_info

    info = read_pack_info(path)
    refusal = ""
    files: list[tuple[str, int]] = []
    names: dict[str, tuple[str, str]] = {}
    with tempfile.TemporaryDirectory(prefix="pack-inspect-") as temp:
        folder = Path(temp) / "pack"
        try:
            extract_pack(path, folder)
        except PackError as exc:
            refusal = str(exc)
        else:
            files = sorted((p.relative_to(folder).as_posix(), p.stat().st_size)
                           for p in folder.rglob("*") if p.is_file())
            names = {pid: _manifest_names(folder / "plugins" / pid / "manifest.toml")
                     for pid in info.platforms}
    english = language.startswith("en")
    if as_json:
        import json

        document = {
            "file": str(path),
            "county": info.county,
            "version": str(info.version),
            "created": info.created,
            "platforms": [
                {"id": pid, "version": version, "name": names.get(pid, ("", ""))[0],
                 "name_en": names.get(pid, ("", ""))[1]}
                for pid, version in sorted(info.platforms.items())
            ],
            "files": [{"name": n, "size": s} for n, s in files],
            "changes": {
                "previous": info.changes.previous, "added": list(info.changes.added),
                "updated": list(info.changes.updated), "retired": list(info.changes.retired),
                "note": info.changes.note, "note_en": info.changes.note_en,
            },
            "refused": refusal,
        }
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 1 if refusal else 0
    print(say(PACK_HEAD, language, file=path.name, county=info.county, version=info.version,
              created=info.created))
    print(say(PLATFORMS_HEAD, language, count=len(info.platforms)))
    rows = [(pid, version, names.get(pid, ("", ""))[1 if english else 0])
            for pid, version in sorted(info.platforms.items())]
    _print_rows(rows)
    if files:
        print(say(FILES_HEAD, language, count=len(files), size=_size(sum(s for _, s in files))))
        _print_rows([(name, _size(size)) for name, size in files])
    shown = {pid: n[1 if english else 0] for pid, n in names.items() if n[0]}
    _print_changes(info, shown, language)
    if refusal:
        raise LauncherError(say(PACK_REFUSED, language, why=refusal))
    return 0


def _manifest_names(path: Path) -> tuple[str, str]:
    import tomllib

    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return "", ""
    name = document.get("name")
    name = name if isinstance(name, str) else ""
    name_en = document.get("name_en")
    return _plain(name), _plain(name_en if isinstance(name_en, str) and name_en else name)


def _inspect_repo(path: Path, as_json: bool, language: str) -> int:
    """The repository's metadata as TUF reads it: each role's version, expiry, keys and which of
    them signed; the index's pack and blocks. A published folder (no repo.toml) reads the same."""
    document = _repo_document(path)
    if as_json:
        import json

        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0 if not document["problems"] else 1
    print(say(REPO_HEAD, language, path=path, county=document["county"] or "?"))
    now = datetime.now(UTC)
    for role in METADATA_ROLES:
        entry = document["roles"].get(role)
        if entry is None or "error" in entry:
            why = entry["error"] if entry else "?"
            print("  " + say(ROLE_MISSING, language, role=role, why=why))
            continue
        expires = datetime.fromisoformat(entry["expires"])
        if expires <= now:
            expiry = say(EXPIRED, language, when=_when(expires))
        else:
            expiry = say(EXPIRES_IN, language, when=_when(expires),
                         left=_left(expires, language))
        line = say(ROLE_LINE, language, role=role, version=entry["version"], expiry=expiry,
                   signed=len(entry["signed_by"]), threshold=entry["threshold"],
                   keyids=", ".join(k[:12] for k in entry["signed_by"]) or "-")
        missing = [k[:12] for k in entry["keyids"] if k not in entry["signed_by"]]
        if missing:
            line += say(UNSIGNED_KEYS, language, keyids=", ".join(missing))
        print("  " + line)
    index = document["index"]
    if index is not None:
        if index["pack"]:
            print(say(INDEX_PACK, language, version=index["pack"]["version"],
                      target=index["pack"]["target"]))
        else:
            print(say(INDEX_NO_PACK, language))
        if document["packs"]:
            print(say(SIGNED_PACKS, language, packs=", ".join(document["packs"])))
        if not index["blocks"]:
            print(say(NO_BLOCKS, language))
        english = language.startswith("en")
        for block in index["blocks"]:
            level = LEVELS[block["level"]].in_(language) if block["level"] in LEVELS else "?"
            reason = block["reason_en"] if english and block["reason_en"] else block["reason"]
            print(say(BLOCK_LINE, language, plugin=block["plugin"], version=block["version"],
                      level=level, reason=reason, contact=block["contact"] or "-"))
    for problem in document["problems"]:
        print(say(VERIFY_PROBLEM, language, problem=problem), file=sys.stderr)
    return 0 if not document["problems"] else 1


def _repo_document(path: Path) -> dict[str, Any]:
    """What ``inspect`` shows of a repository, read with ``tuf.api.metadata`` (nothing trusted:
    signatures are checked against the root found there, and reported)."""
    from tuf.api.metadata import Metadata

    from launcher.core.packs.blocks import INDEX_TARGET, BadIndex, parse_index

    metadata = path / "metadata"
    problems: list[str] = []
    loaded: dict[str, Any] = {}

    def load(role: str, name: str) -> Any:
        file = metadata / name
        try:
            data = file.read_bytes()
            if len(data) > 4 * 2**20:
                raise ValueError("larger than 4 MB")
            found = Metadata.from_bytes(data)
        except Exception as exc:  # tuf's DeserializationError, OSError, a hostile file's
            problems.append(f"{file}: {type(exc).__name__}: {_plain(str(exc))[:300]}")
            return None
        if found.signed.type != role:
            problems.append(f"{file}: is {found.signed.type} metadata, not {role}")
            return None
        loaded[role] = found
        return found

    root = load("root", _latest_root(metadata))
    timestamp = load("timestamp", "timestamp.json")
    snapshot = targets = None
    if timestamp is not None:
        snapshot = load("snapshot", f"{timestamp.signed.snapshot_meta.version}.snapshot.json")
    if snapshot is not None:
        meta = snapshot.signed.meta.get("targets.json")
        if meta is not None:
            targets = load("targets", f"{meta.version}.targets.json")
    roles: dict[str, Any] = {}
    for role in METADATA_ROLES:
        found = loaded.get(role)
        if found is None:
            roles[role] = {"error": "not read"}
            continue
        entry: dict[str, Any] = {
            "version": found.signed.version,
            "expires": found.signed.expires.isoformat(),
            "keyids": [], "threshold": 0, "signed_by": [],
        }
        if root is not None:
            result = root.signed.get_verification_result(
                role, found.signed_bytes, found.signatures)
            entry["keyids"] = sorted(root.signed.roles[role].keyids)
            entry["threshold"] = root.signed.roles[role].threshold
            entry["signed_by"] = sorted(result.signed)
            if not result.verified:
                problems.append(f"{role}: {len(result.signed)} valid signature(s), "
                                f"{result.threshold} needed")
        roles[role] = entry
    index = None
    packs: list[str] = []
    if targets is not None:
        packs = sorted(n for n in targets.signed.targets if n != INDEX_TARGET)
        info = targets.signed.targets.get(INDEX_TARGET)
        if info is not None:
            folder, _, name = info.path.rpartition("/")
            file = path / "targets" / folder / f"{info.hashes.get('sha256', '')}.{name}"
            try:
                data = file.read_bytes()
                info.verify_length_and_hashes(data)
                parsed = parse_index(data, source=str(file))
            except (OSError, BadIndex, Exception) as exc:
                problems.append(f"{file}: {type(exc).__name__}: {_plain(str(exc))[:300]}")
            else:
                index = {
                    "county": parsed.county,
                    "pack": {"version": str(parsed.version), "target": parsed.target}
                    if parsed.version is not None else None,
                    "blocks": [b.to_json() for b in parsed.blocks],
                }
    county = index["county"] if index else ""
    return {"path": str(path), "county": county, "roles": roles, "index": index,
            "packs": packs, "problems": problems}


def _latest_root(metadata: Path) -> str:
    numbers = [int(p.name.split(".", 1)[0]) for p in metadata.glob("*.root.json")
               if p.name.split(".", 1)[0].isdigit()]
    return f"{max(numbers)}.root.json" if numbers else "root.json"


# -- the repository ------------------------------------------------------------------------------


def _passphrase(language: str) -> Passphrase:
    """Of existing keys: ``LAUNCHER_KEY_PASSPHRASE``, else asked for each encrypted key on a
    terminal, else none (an encrypted key is then refused, naming the file)."""
    import os

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        return None

    def ask(path: Path) -> str | None:
        import getpass

        return getpass.getpass(say(PASSPHRASE_PROMPT, language, path=path)) or None

    return ask


def _new_passphrase(language: str) -> Passphrase:
    """Of keys made now: ``LAUNCHER_KEY_PASSPHRASE``, else asked twice on a terminal (empty: not
    encrypted), else none, with a warning."""
    import getpass
    import os

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        print("launcher: " + say(UNENCRYPTED, language, env=PASSPHRASE_ENV), file=sys.stderr)
        return None
    first = getpass.getpass(say(NEW_PASSPHRASE, language))
    if first and getpass.getpass(say(REPEAT_PASSPHRASE, language)) != first:
        raise LauncherError(say(PASSPHRASES_DIFFER, language))
    return first or None


def _init(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    if args.threshold > args.root_keys:
        print(f"launcher pack init: error: --threshold {args.threshold} is more than --root-keys "
              f"{args.root_keys}", file=sys.stderr)
        return 2
    repo.init(args.repo, args.keys, args.county, root_keys=args.root_keys,
              threshold=args.threshold, passphrase=_new_passphrase(language))
    print(say(INIT_DONE, language, county=args.county, repo=args.repo, keys=args.keys,
              root=args.root_keys, threshold=args.threshold))
    return 0


def _sign(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    version = repo.add_pack(args.repo, args.keys, args.pack, passphrase=_passphrase(language))
    print(say(SIGNED, language, version=version, repo=args.repo))
    return 0


def _block(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    block = repo.block(args.repo, args.keys, args.plugin, args.version, args.level, args.reason,
                       reason_en=args.reason_en, contact=args.contact,
                       passphrase=_passphrase(language))
    print(say(BLOCKED, language, plugin=block.plugin, version=block.version,
              level=LEVELS[block.level].in_(language)))
    return 0


def _unblock(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    repo.unblock(args.repo, args.keys, args.plugin, args.version,
                 passphrase=_passphrase(language))
    print(say(UNBLOCKED, language, plugin=args.plugin, version=args.version))
    return 0


def _timestamp(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    expires = repo.timestamp(args.repo, args.keys, args.days, passphrase=_passphrase(language))
    print(say(TIMESTAMPED, language, when=_when(expires)))
    return 0


def _renew(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    expires = repo.renew(args.repo, args.keys, args.role, args.days,
                         passphrase=_passphrase(language))
    print(say(RENEWED, language, role=args.role, when=_when(expires)))
    return 0


def _rotate_key(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    passphrase = _passphrase(language)
    name = repo.rotate_key(args.repo, args.keys, args.role, args.old, passphrase=passphrase)
    print(say(ROTATED, language, role=args.role, name=name, keys=args.keys))
    return 0


def _publish(args: argparse.Namespace, language: str) -> int:
    from launcher.core.packs import repo

    passphrase = _passphrase(language) if args.offline_days is not None else None
    result = repo.publish(args.repo, args.dest, offline_days=args.offline_days,
                          keys_dir=args.keys, passphrase=passphrase, url=args.url)
    print(say(PUBLISHED, language, dest=result.dest, files=result.files,
              expires=_when(result.expires), left=_left(result.expires, language)))
    return 0


# -- verify --------------------------------------------------------------------------------------


def _verify(args: argparse.Namespace, language: str) -> int:
    """The launcher's own update check (launcher/core/packs/client.py) into a temporary pack
    store: TUF's refresh from the root of trust, the signed index, the pack downloaded, checked
    against its signed length and hash, unpacked and validated, as a PC does before installing
    it. A repository folder has every signed file checked too."""
    import logging

    from launcher.core.packs import repo

    # The refusal is said below, in the person's words: the check's own warning would say it
    # twice on standard error.
    logging.getLogger("launcher.core.packs.client").setLevel(logging.ERROR)
    where: str = args.where
    remote = "://" in where
    folder = None if remote else Path(where)
    if args.root is None:
        if folder is None:
            print(f"launcher pack verify: error: {say(ROOT_NEEDED, language)}", file=sys.stderr)
            return 2
        print("launcher: " + say(OWN_ROOT, language), file=sys.stderr)
    root_file: Path = args.root or Path(where) / "metadata" / "1.root.json"
    url = folder.resolve().as_uri() if folder is not None else where.rstrip("/")
    county = args.county or _county_of(where, folder)
    if county is None:
        print(f"launcher pack verify: error: {say(COUNTY_NEEDED, language)}", file=sys.stderr)
        return 2
    problems: list[str] = []
    if folder is not None:
        problems += repo.verify(folder, root_file=root_file).problems
    result = None if problems else _check_as_a_launcher(url, county, root_file)
    if result is not None and not result.ok:
        problems.append(result.message)
    if len(problems) > 1:
        for problem in problems:
            print(say(VERIFY_PROBLEM, language, problem=problem))
    if problems or result is None:
        raise LauncherError(say(REFUSED["verify"], language, why=problems[0]))
    if result.version is None:
        print(say(VERIFIED_NO_PACK, language, where=where))
        return 0
    expires = result.expiry or datetime.now(UTC)
    print(say(VERIFIED, language, where=where, version=result.version, blocks=len(result.blocks),
              expires=_when(expires), left=_left(expires, language)))
    return 0


def _county_of(where: str, folder: Path | None) -> str | None:
    """The county a repository says it is, for the check's county (the check itself then holds
    the signed index to it): a published folder's or address's bootstrap/updates.toml, a working
    folder's repo.toml."""
    import tomllib

    texts: list[bytes] = []
    if folder is not None:
        for name in ("bootstrap/updates.toml", "repo.toml"):
            try:
                texts.append((folder / name).read_bytes()[:65536])
            except OSError:
                continue
    else:
        from tuf.api import exceptions

        from launcher.core.packs.fetch import PackFetcher

        fetcher = PackFetcher()
        try:
            texts.append(fetcher.download_bytes(f"{where.rstrip('/')}/bootstrap/updates.toml",
                                                65536))
        except (exceptions.DownloadError, OSError, ValueError):  # then --county is asked for
            pass
        finally:
            fetcher.close()
    for data in texts:
        try:
            document = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
            continue
        for section in ("updates", "repo"):
            table = document.get(section)
            county = table.get("county") if isinstance(table, dict) else None
            if isinstance(county, str) and county:
                return county
    return None


def _check_as_a_launcher(url: str, county: str, root_file: Path) -> UpdateResult:
    """One update check of the launcher's, of ``url`` for ``county`` from ``root_file``, into a
    pack store in a temporary folder (removed after)."""
    import tempfile

    from launcher.core.packs.client import check
    from launcher.core.packs.settings import UpdateSettings
    from launcher.core.packs.store import PackStore

    with tempfile.TemporaryDirectory(prefix="pack-verify-") as temp:
        settings = UpdateSettings(county=county, url=url, root_file=root_file, path=root_file)
        return check(settings, PackStore(Path(temp) / "packs"))


# -- small things ----------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _left(moment: datetime, language: str) -> str:
    """How long until ``moment``: days, or hours within the last two days."""
    hours = max(0, int((moment - datetime.now(UTC)).total_seconds() // 3600))
    if hours < 48:
        return say(LEFT_HOURS, language, count=hours)
    return say(LEFT_DAYS, language, count=hours // 24)


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / 2**20:.1f} MB"


def _print_rows(rows: Sequence[tuple[str, ...]]) -> None:
    if not rows:
        return
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
        print("  " + "  ".join(cells).rstrip())


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _plain(text: str) -> str:
    """Outside text for a terminal: control characters shown as escapes, on one line."""
    import re

    return re.sub("[\x00-\x1f\x7f-\x9f]", lambda m: repr(m.group())[1:-1], text)


def _toml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _xml(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text, {'"': "&quot;"})


_COMMANDS: dict[str, Callable[[argparse.Namespace, str], int]] = {
    "new": _new,
    "validate": _validate,
    "build": _build,
    "inspect": _inspect,
    "init": _init,
    "sign": _sign,
    "verify": _verify,
    "block": _block,
    "unblock": _unblock,
    "timestamp": _timestamp,
    "renew": _renew,
    "rotate-key": _rotate_key,
    "publish": _publish,
}
