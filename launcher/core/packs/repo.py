"""The county IT team's pack repository: The Update Framework's metadata, made with python-tuf.

The working folder (``REPO``) holds::

    metadata/1.root.json … N.root.json, root.json     every root version, the last one again
    metadata/N.targets.json, N.snapshot.json          versioned (consistent snapshots are on)
    metadata/timestamp.json
    targets/<sha256>.index.json                       the county's index (current pack, blocks)
    targets/packs/<sha256>.<county>-<version>.pack.tar.gz
    repo.toml                                         the county, expiries, which keys sign what

Keys live in another folder (``keys_dir``), never under REPO: ``root-1`` … ``root-N`` (offline,
with a threshold), ``targets`` (signs the index and the packs) and ``online`` (signs snapshot and
timestamp; kept on the county server, which re-signs the timestamp daily). See keys.py.

Every change writes the new files first and ``timestamp.json`` last: a web server serving REPO
while it changes shows the old state or the new one, never a mix. Every function raises
``RepoError`` naming the file and the problem.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from securesystemslib.signer import CryptoSigner  # type: ignore[attr-defined]
from tuf.api.exceptions import RepositoryError
from tuf.api.metadata import (  # type: ignore[attr-defined]
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from launcher.core.errors import ConfigError, LauncherError
from launcher.core.packs import keys
from launcher.core.packs.blocks import (
    ANY_VERSION,
    INDEX_TARGET,
    LEVELS,
    BadIndex,
    Block,
    Index,
    pack_target,
    parse_block,
    parse_index,
)
from launcher.core.packs.version import PackVersion
from launcher.core.schema import Reader, read_toml

__all__ = [
    "DEFAULT_EXPIRY",
    "ROLES",
    "PublishResult",
    "RepoError",
    "RepoStatus",
    "VerifyReport",
    "add_pack",
    "block",
    "init",
    "publish",
    "renew",
    "rotate_key",
    "status",
    "timestamp",
    "unblock",
    "verify",
]

DEFAULT_EXPIRY: Mapping[str, int] = {"root": 365, "targets": 90, "snapshot": 14, "timestamp": 1}
"""Days each role's metadata stays valid when signed."""
MAX_EXPIRY_DAYS = 3650
ROLES = ("root", "targets", "online")
"""The key roles: ``online`` signs both snapshot and timestamp."""
CONFIG_FILE = "repo.toml"
MAX_PACK_BYTES = 80 * 1024 * 1024
_SERIALIZER = JSONSerializer(compact=False)
_ONLINE_ROLES = (Snapshot.type, Timestamp.type)

M = TypeVar("M", Root, Targets, Snapshot, Timestamp)


class RepoError(LauncherError):
    """The repository, a key or a pack cannot be used as asked: names the file and the problem."""


# -- the configuration -----------------------------------------------------------------------


@dataclass
class _Config:
    county: str
    expiry: dict[str, int]
    keys: dict[str, list[str]]

    def text(self) -> str:
        def names(items: Iterable[str]) -> str:
            return "[" + ", ".join(f'"{n}"' for n in items) + "]"

        lines = [
            "# The county's pack repository (launcher pack …; docs/packs.md). Keys are never here.",
            "[repo]",
            "format = 1",
            f'county = "{self.county}"',
            "",
            "[expiry]  # days each role's metadata stays valid when signed",
            *(f"{role} = {self.expiry[role]}" for role in DEFAULT_EXPIRY),
            "",
            "[keys]  # key files (in the keys folder) of each role; online signs snapshot and "
            "timestamp",
            *(f"{role} = {names(self.keys[role])}" for role in ROLES),
        ]
        return "\n".join(lines) + "\n"


def _read_config(repo: Path) -> _Config:
    path = repo / CONFIG_FILE
    if not path.is_file():
        raise RepoError(f"{path}: not found: {repo} is not a pack repository (launcher pack init)")
    try:
        root = Reader(path, read_toml(path))
        root.unknown({"repo", "expiry", "keys"})
        section = root.sub("repo")
        assert section is not None
        section.unknown({"format", "county"})
        if section.integer("format", 1, minimum=1, maximum=1) != 1:
            raise section.error("format", "must be 1")
        county = section.county_id("county")
        expiry_section = root.sub("expiry", required=False) or Reader(path, {}, "expiry")
        expiry_section.unknown(set(DEFAULT_EXPIRY))
        expiry = {role: expiry_section.integer(role, days, minimum=1, maximum=MAX_EXPIRY_DAYS)
                  for role, days in DEFAULT_EXPIRY.items()}
        keys_section = root.sub("keys")
        assert keys_section is not None
        keys_section.unknown(set(ROLES))
        names = {role: keys_section.str_list(role) for role in ROLES}
        for role, listed in names.items():
            for name in listed:
                if not keys.key_name_ok(name):
                    raise keys_section.error(role, f"{name!r} is not a key name")
    except ConfigError as exc:
        raise RepoError(str(exc)) from None
    return _Config(county, expiry, names)


# -- files -----------------------------------------------------------------------------------


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file and a rename: a reader (the web server) sees the
    old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temp, 0o644)  # public files: the web server (another account) serves them
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _load(path: Path, cls: type[M]) -> Metadata[M]:
    try:
        metadata = Metadata[cls].from_bytes(path.read_bytes())  # type: ignore[valid-type]
    except FileNotFoundError:
        raise RepoError(f"{path}: not found") from None
    except OSError as exc:
        raise RepoError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except RepositoryError as exc:
        raise RepoError(f"{path}: is not TUF metadata ({exc})") from None
    if not isinstance(metadata.signed, cls):
        raise RepoError(f"{path}: is {metadata.signed.type} metadata, not {cls.type}")
    return metadata


def _expires(days: int) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) + timedelta(days=days)


def _check_days(days: int, what: str) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_EXPIRY_DAYS:
        raise RepoError(f"{what}: {days!r} days: must be a whole number from 1 to "
                        f"{MAX_EXPIRY_DAYS}")
    return days


@dataclass
class _Repo:
    """The repository as loaded: the latest metadata of each role."""

    path: Path
    config: _Config
    root: Metadata[Root]
    targets: Metadata[Targets]
    snapshot: Metadata[Snapshot]
    timestamp: Metadata[Timestamp]

    @property
    def metadata_dir(self) -> Path:
        return self.path / "metadata"

    @property
    def targets_dir(self) -> Path:
        return self.path / "targets"

    def index(self) -> Index:
        info = self.targets.signed.targets.get(INDEX_TARGET)
        if info is None:
            raise RepoError(f"{self.metadata_dir}: the targets list has no {INDEX_TARGET}")
        path = self.target_path(info)
        try:
            data = path.read_bytes()
            info.verify_length_and_hashes(data)
            return parse_index(data, source=str(path))
        except OSError as exc:
            raise RepoError(f"{path}: cannot be read ({exc.strerror or exc})") from None
        except RepositoryError:
            raise RepoError(f"{path}: differs from what the targets metadata signed") from None
        except BadIndex as exc:
            raise RepoError(str(exc)) from None

    def target_path(self, info: TargetFile) -> Path:
        digest = info.hashes["sha256"]
        folder, _, name = info.path.rpartition("/")
        return self.targets_dir / folder / f"{digest}.{name}"


def _open(repo: Path) -> _Repo:
    repo = Path(repo)
    config = _read_config(repo)
    metadata = repo / "metadata"
    timestamp = _load(metadata / "timestamp.json", Timestamp)
    snapshot_version = timestamp.signed.snapshot_meta.version
    snapshot = _load(metadata / f"{snapshot_version}.snapshot.json", Snapshot)
    targets_meta = snapshot.signed.meta.get("targets.json")
    if targets_meta is None:
        raise RepoError(f"{metadata / f'{snapshot_version}.snapshot.json'}: lists no targets.json")
    targets = _load(metadata / f"{targets_meta.version}.targets.json", Targets)
    root = _load(metadata / "root.json", Root)
    newer = metadata / f"{root.signed.version + 1}.root.json"
    while newer.exists():
        # A new root was written but not yet copied to root.json (the rotation was cut short
        # there): it was checked against both thresholds before it was written.
        root = _load(newer, Root)
        _write_atomic(metadata / "root.json", newer.read_bytes())
        newer = metadata / f"{root.signed.version + 1}.root.json"
    return _Repo(repo, config, root, targets, snapshot, timestamp)


# -- keys ------------------------------------------------------------------------------------


def _signer(keys_dir: Path, name: str, passphrase: keys.Passphrase) -> CryptoSigner:
    try:
        return keys.load_signer(keys_dir, name, passphrase)
    except keys.KeyFileError as exc:
        raise RepoError(str(exc)) from None


def _check_keys_dir(repo: Path, keys_dir: Path) -> None:
    with contextlib.suppress(OSError):
        if Path(keys_dir).resolve().is_relative_to(Path(repo).resolve()):
            raise RepoError(f"{keys_dir}: the keys folder must not be inside the repository "
                            f"{repo} (everything there may be published)")


def _role_signers(r: _Repo, keys_dir: Path, role: str, passphrase: keys.Passphrase
                  ) -> list[CryptoSigner]:
    """The signers of ``role`` (``targets`` or ``online``): every key repo.toml lists."""
    names = r.config.keys[role]
    if not names:
        raise RepoError(f"{r.path / CONFIG_FILE}: keys.{role} lists no key")
    return [_signer(keys_dir, name, passphrase) for name in names]


def _root_signers(r: _Repo, keys_dir: Path, passphrase: keys.Passphrase,
                  names: Iterable[str] | None = None) -> list[CryptoSigner]:
    """The root keys found in ``keys_dir`` (root keys are offline: only some may be plugged in)."""
    listed = list(r.config.keys["root"] if names is None else names)
    found = [n for n in listed if keys.private_path(keys_dir, n).exists()]
    return [_signer(keys_dir, name, passphrase) for name in found]


def _sign(metadata: Metadata[Any], signers: Iterable[CryptoSigner]) -> None:
    metadata.signatures.clear()
    for signer in signers:
        metadata.sign(signer, append=True)


def _check_threshold(root: Root, role: str, metadata: Metadata[Any], what: str) -> None:
    payload = metadata.signed_bytes
    result = root.get_verification_result(role, payload, metadata.signatures)
    if not result.verified:
        threshold = root.roles[role].threshold
        raise RepoError(
            f"{what}: {len(result.signed)} of the {threshold} signatures needed "
            f"(keys of {role} found: {len(result.signed)}); plug in more of its keys"
        )


# -- writing the state -------------------------------------------------------------------------


def _bump_targets(r: _Repo, targets_signers: list[CryptoSigner], *, days: int | None = None
                  ) -> None:
    signed = r.targets.signed
    signed.version += 1
    signed.expires = _expires(days or r.config.expiry["targets"])
    _sign(r.targets, targets_signers)
    _check_threshold(r.root.signed, Targets.type, r.targets, "targets")
    _write_atomic(r.metadata_dir / f"{signed.version}.targets.json",
                  r.targets.to_bytes(_SERIALIZER))


def _bump_online(r: _Repo, online: list[CryptoSigner], *, snapshot: bool = True,
                 snapshot_days: int | None = None, timestamp_days: int | None = None) -> None:
    """A new snapshot (when asked) naming the current targets, then a new timestamp; valid the
    days given, else repo.toml's."""
    if snapshot:
        s = r.snapshot.signed
        s.version += 1
        s.expires = _expires(snapshot_days or r.config.expiry["snapshot"])
        s.meta["targets.json"] = MetaFile(version=r.targets.signed.version)
        _sign(r.snapshot, online)
        _check_threshold(r.root.signed, Snapshot.type, r.snapshot, "snapshot")
        _write_atomic(r.metadata_dir / f"{s.version}.snapshot.json",
                      r.snapshot.to_bytes(_SERIALIZER))
    t = r.timestamp.signed
    t.version += 1
    t.expires = _expires(timestamp_days or r.config.expiry["timestamp"])
    t.snapshot_meta = MetaFile(version=r.snapshot.signed.version)
    _sign(r.timestamp, online)
    _check_threshold(r.root.signed, Timestamp.type, r.timestamp, "timestamp")
    _write_atomic(r.metadata_dir / "timestamp.json", r.timestamp.to_bytes(_SERIALIZER))


def _add_target(r: _Repo, name: str, data: bytes) -> TargetFile:
    info = TargetFile.from_data(name, data, ["sha256"])
    path = r.target_path(info)
    if not path.exists():
        _write_atomic(path, data)
    r.targets.signed.targets[name] = info
    return info


def _write_index(r: _Repo, index: Index, keys_dir: Path, passphrase: keys.Passphrase,
                 pack: tuple[str, bytes] | None = None) -> None:
    targets_signers = _role_signers(r, keys_dir, "targets", passphrase)
    online = _role_signers(r, keys_dir, "online", passphrase)
    if pack is not None:
        _add_target(r, *pack)
    _add_target(r, INDEX_TARGET, index.to_bytes())
    _bump_targets(r, targets_signers)
    _bump_online(r, online)


# -- creating --------------------------------------------------------------------------------


def init(
    repo: Path,
    keys_dir: Path,
    county: str,
    *,
    root_keys: int = 3,
    threshold: int = 2,
    passphrase: keys.Passphrase = None,
    expiry: Mapping[str, int] | None = None,
) -> None:
    """Create the repository ``repo`` for ``county`` and its keys in ``keys_dir``: ``root_keys``
    root keys of which ``threshold`` must sign a new root, one targets key, one online key
    (snapshot and timestamp); every private key encrypted with ``passphrase`` when given.
    Version 1 of each role's metadata is signed, with an index that names no pack yet.

    Refuses (RepoError) a folder that is already a repository or holds metadata, a keys folder
    inside the repository or holding keys of these names, and a threshold that cannot be met."""
    repo, keys_dir = Path(repo), Path(keys_dir)
    reader = Reader(Path("county"), {"id": county})
    try:
        county = reader.county_id("id")
    except ConfigError as exc:
        raise RepoError(f"county {exc.problem}") from None
    if not 1 <= root_keys <= 9:
        raise RepoError(f"root keys: {root_keys}: must be from 1 to 9")
    if not 1 <= threshold <= root_keys:
        raise RepoError(f"threshold: {threshold}: must be from 1 to the number of root keys "
                        f"({root_keys})")
    days = dict(DEFAULT_EXPIRY)
    for role, value in (expiry or {}).items():
        if role not in days:
            raise RepoError(f"expiry: {role!r} is not a role ({', '.join(DEFAULT_EXPIRY)})")
        days[role] = _check_days(value, f"expiry of {role}")
    for existing in (repo / CONFIG_FILE, repo / "metadata"):
        if existing.exists():
            raise RepoError(f"{existing}: already exists: {repo} is a repository already")
    _check_keys_dir(repo, keys_dir)
    names = {"root": [f"root-{i}" for i in range(1, root_keys + 1)],
             "targets": ["targets"], "online": ["online"]}
    for name in (n for listed in names.values() for n in listed):
        for path in (keys.private_path(keys_dir, name), keys.public_path(keys_dir, name)):
            if path.exists():
                raise RepoError(f"{path}: already exists: use another keys folder")

    try:
        signers = {name: keys.generate_key(keys_dir, name, passphrase)
                   for listed in names.values() for name in listed}
    except keys.KeyFileError as exc:
        raise RepoError(str(exc)) from None
    config = _Config(county, days, names)

    root = Root(expires=_expires(days["root"]), consistent_snapshot=True)
    for role, key_role in ((Root.type, "root"), (Targets.type, "targets"),
                           (Snapshot.type, "online"), (Timestamp.type, "online")):
        for name in names[key_role]:
            root.add_key(signers[name].public_key, role)
    root.roles[Root.type].threshold = threshold

    r = _Repo(
        repo,
        config,
        Metadata(root),
        Metadata(Targets(expires=_expires(days["targets"]))),
        Metadata(Snapshot(expires=_expires(days["snapshot"]))),
        Metadata(Timestamp(expires=_expires(days["timestamp"]))),
    )
    _sign(r.root, [signers[n] for n in names["root"]])
    (repo / "targets" / "packs").mkdir(parents=True, exist_ok=True)
    root_bytes = r.root.to_bytes(_SERIALIZER)
    _write_atomic(r.metadata_dir / "1.root.json", root_bytes)
    _write_atomic(r.metadata_dir / "root.json", root_bytes)
    # Version 1 of targets, snapshot and timestamp: _bump_* add one to the version.
    r.targets.signed.version = r.snapshot.signed.version = r.timestamp.signed.version = 0
    _add_target(r, INDEX_TARGET, Index(county).to_bytes())
    _bump_targets(r, [signers["targets"]])
    _bump_online(r, [signers["online"]])
    _write_atomic(repo / CONFIG_FILE, config.text().encode("utf-8"))


# -- packs and blocks --------------------------------------------------------------------------


def add_pack(
    repo: Path,
    keys_dir: Path,
    pack_file: Path,
    *,
    passphrase: keys.Passphrase = None,
    validate: bool = True,
) -> PackVersion:
    """Sign ``pack_file`` into the repository and make it the county's current pack; returns its
    version. Refuses (RepoError) a pack of another county, a version not higher than the index's
    current one, a file that is not a pack and, with ``validate``, a pack whose county file,
    manifests or Python entries do not load (as a PC would refuse it)."""
    from launcher.core.packs.archive import PackError, read_pack_info

    r = _open(repo)
    _check_keys_dir(r.path, keys_dir)
    pack_file = Path(pack_file)
    try:
        size = pack_file.stat().st_size
    except OSError as exc:
        raise RepoError(f"{pack_file}: cannot be read ({exc.strerror or exc})") from None
    if size > MAX_PACK_BYTES:
        raise RepoError(f"{pack_file}: larger than {MAX_PACK_BYTES // 2**20} MB")
    try:
        info = read_pack_info(pack_file)
    except PackError as exc:
        raise RepoError(str(exc)) from None
    if info.county != r.config.county:
        raise RepoError(f"{pack_file}: is a pack of county {info.county!r}; this repository is "
                        f"county {r.config.county!r}")
    index = r.index()
    if index.version is not None and not info.version > index.version:
        raise RepoError(f"{pack_file}: version {info.version} is not higher than "
                        f"{index.version}, the pack already signed (build it with a higher "
                        "version)")
    if validate:
        _validate_pack(pack_file, info.county, info.version)
    data = pack_file.read_bytes()
    target = pack_target(info.county, info.version)
    new_index = Index(r.config.county, info.version, target, index.blocks)
    _write_index(r, new_index, keys_dir, passphrase, pack=(target, data))
    return info.version


def _validate_pack(pack_file: Path, county: str, version: PackVersion) -> None:
    from launcher.core.packs.archive import PackError, extract_pack
    from launcher.core.packs.store import validate_pack

    with tempfile.TemporaryDirectory(prefix="pack-check-") as temp:
        folder = Path(temp) / "pack"
        try:
            extract_pack(pack_file, folder, county=county, version=version)
        except PackError as exc:
            raise RepoError(str(exc)) from None
        problems = validate_pack(folder)
    if problems:
        raise RepoError(f"{pack_file}: would be refused by every PC: " + "; ".join(problems[:5])
                        + (f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""))


def block(
    repo: Path,
    keys_dir: Path,
    plugin: str,
    version: str,
    level: str,
    reason: str,
    *,
    reason_en: str = "",
    contact: str = "",
    passphrase: keys.Passphrase = None,
) -> Block:
    """Block ``plugin`` at ``version`` (``*``: every version) on every PC at its next check,
    without a new pack: ``hard`` (not loaded) or ``soft`` (loaded with a warning). A block of the
    same plugin and version is replaced. Returns the block; RepoError for a bad entry."""
    if level not in LEVELS:
        raise RepoError(f"level {level!r}: must be one of {', '.join(LEVELS)}")
    try:
        new = parse_block({"plugin": plugin, "version": version, "level": level,
                           "reason": reason, "reason_en": reason_en, "contact": contact})
    except ValueError as exc:
        raise RepoError(f"block: {exc}") from None
    r = _open(repo)
    _check_keys_dir(r.path, keys_dir)
    index = r.index()
    kept = [b for b in index.blocks if (b.plugin, b.version) != (new.plugin, new.version)]
    updated = Index(index.county, index.version, index.target, (*kept, new))
    _write_index(r, updated, keys_dir, passphrase)
    return new


def unblock(
    repo: Path,
    keys_dir: Path,
    plugin: str,
    version: str = ANY_VERSION,
    *,
    passphrase: keys.Passphrase = None,
) -> None:
    """Lift the block of ``plugin`` at ``version``; RepoError when there is none."""
    r = _open(repo)
    _check_keys_dir(r.path, keys_dir)
    index = r.index()
    kept = tuple(b for b in index.blocks if (b.plugin, b.version) != (plugin, version))
    if len(kept) == len(index.blocks):
        listed = ", ".join(f"{b.plugin} {b.version}" for b in index.blocks) or "none"
        raise RepoError(f"{plugin} {version} is not blocked (blocks: {listed})")
    _write_index(r, Index(index.county, index.version, index.target, kept), keys_dir, passphrase)


# -- expiry and keys ---------------------------------------------------------------------------


def timestamp(repo: Path, keys_dir: Path, days: int | None = None, *,
              passphrase: keys.Passphrase = None) -> datetime:
    """Sign a new timestamp (the county server does it daily: without it, PCs refuse the
    repository as frozen once the old one expires). Returns its expiry."""
    r = _open(repo)
    _check_keys_dir(r.path, keys_dir)
    if days is not None:
        _check_days(days, "timestamp days")
    online = _role_signers(r, keys_dir, "online", passphrase)
    # The snapshot changes only with the targets: when a quiet month would let it expire before
    # the next pack, this daily run signs it again too (the online key signs both).
    timestamp_days = days or r.config.expiry["timestamp"]
    snapshot_days = max(r.config.expiry["snapshot"], timestamp_days)
    margin = timedelta(days=max(timestamp_days, snapshot_days / 2))
    stale = r.snapshot.signed.expires < datetime.now(UTC) + margin
    _bump_online(r, online, snapshot=stale, snapshot_days=snapshot_days,
                 timestamp_days=timestamp_days)
    return r.timestamp.signed.expires


def renew(repo: Path, keys_dir: Path, role: str, days: int | None = None, *,
          passphrase: keys.Passphrase = None) -> datetime:
    """Sign ``role``'s metadata again (``root``, ``targets``, ``snapshot`` or ``timestamp``) with a
    new expiry (``days``, else repo.toml's), and whatever must name the new version. Returns the
    new expiry. The root needs its threshold of root keys plugged in."""
    r = _open(repo)
    _check_keys_dir(r.path, keys_dir)
    if days is not None:
        _check_days(days, f"{role} days")
    if role == Root.type:
        signers = _root_signers(r, keys_dir, passphrase)
        new = _next_root(r)
        new.signed.expires = _expires(days or r.config.expiry["root"])
        _write_root(r, new, signers, signers)
        return new.signed.expires
    online = _role_signers(r, keys_dir, "online", passphrase)
    if role == Targets.type:
        _bump_targets(r, _role_signers(r, keys_dir, "targets", passphrase), days=days)
        _bump_online(r, online)
        return r.targets.signed.expires
    if role == Snapshot.type:
        _bump_online(r, online, snapshot_days=days)
        return r.snapshot.signed.expires
    if role == Timestamp.type:
        _bump_online(r, online, snapshot=False, timestamp_days=days)
        return r.timestamp.signed.expires
    raise RepoError(f"role {role!r}: must be root, targets, snapshot or timestamp")


def _next_root(r: _Repo) -> Metadata[Root]:
    new = Metadata[Root].from_bytes(r.root.to_bytes())
    new.signed.version += 1
    new.signed.expires = _expires(r.config.expiry["root"])
    return new


def _write_root(r: _Repo, new: Metadata[Root], old_signers: list[CryptoSigner],
                new_signers: list[CryptoSigner]) -> None:
    """Sign the new root with the old root's keys and its own, check both thresholds (a PC
    trusts a new root only when both are met), and write it."""
    signers: dict[str, CryptoSigner] = {}
    for signer in [*old_signers, *new_signers]:
        signers.setdefault(signer.public_key.keyid, signer)
    _sign(new, signers.values())
    version = new.signed.version
    _check_threshold(r.root.signed, Root.type, new, f"root version {version} (old root keys)")
    _check_threshold(new.signed, Root.type, new, f"root version {version} (new root keys)")
    data = new.to_bytes(_SERIALIZER)
    _write_atomic(r.metadata_dir / f"{version}.root.json", data)
    _write_atomic(r.metadata_dir / "root.json", data)
    r.root = new


def _next_key_name(r: _Repo, keys_dir: Path, base: str) -> str:
    taken = {n for listed in r.config.keys.values() for n in listed}
    number = 2
    while True:
        name = f"{base}-{number}"
        if name not in taken and not keys.private_path(keys_dir, name).exists() \
                and not keys.public_path(keys_dir, name).exists():
            return name
        number += 1


def rotate_key(
    repo: Path,
    keys_dir: Path,
    role: str,
    old_key: str | None = None,
    *,
    passphrase: keys.Passphrase = None,
    new_passphrase: keys.Passphrase = None,
) -> str:
    """Replace a key of ``role`` (``root``, ``targets`` or ``online``) by a new one made in
    ``keys_dir``, and return the new key's name.

    ``old_key`` names the key replaced (one lost or leaving with a person); for ``targets`` and
    ``online`` it may be omitted (their one key is replaced). A new root version lists the new
    key; it is signed by the threshold of the old root keys and, for a root key, by the new key
    set too (a PC accepts a new root only with both). Root keys needed must be plugged in (their
    files in ``keys_dir``); a lost key is simply absent. The metadata the replaced key signed is
    signed again with the new key. ``new_passphrase`` encrypts the new key (default:
    ``passphrase``)."""
    if role not in ROLES:
        raise RepoError(f"role {role!r}: must be one of {', '.join(ROLES)}")
    r = _open(repo)
    _check_keys_dir(r.path, keys_dir)
    listed = r.config.keys[role]
    if old_key is None:
        if len(listed) != 1:
            raise RepoError(f"role {role} has keys {', '.join(listed)}: name the one to replace")
        old_key = listed[0]
    if old_key not in listed:
        raise RepoError(f"{old_key!r} is not a key of {role} (its keys: {', '.join(listed)})")
    tuf_roles = {"root": [Root.type], "targets": [Targets.type], "online": list(_ONLINE_ROLES)}
    old_keyid = _keyid_of(r, keys_dir, role, old_key, tuf_roles[role][0])
    old_root_signers = _root_signers(r, keys_dir, passphrase)
    # Refuse before a new key is made when the old root's threshold cannot be met.
    _check_root_signers(r, old_root_signers)
    new_name = _next_key_name(r, keys_dir, role)
    try:
        new_signer = keys.generate_key(
            keys_dir, new_name, passphrase if new_passphrase is None else new_passphrase)
    except keys.KeyFileError as exc:
        raise RepoError(str(exc)) from None
    new_root = _next_root(r)
    for tuf_role in tuf_roles[role]:
        if old_keyid in new_root.signed.roles[tuf_role].keyids:
            new_root.signed.revoke_key(old_keyid, tuf_role)
        new_root.signed.add_key(new_signer.public_key, tuf_role)
    kept = [s for s in old_root_signers if s.public_key.keyid != old_keyid]
    _write_root(r, new_root, old_root_signers,
                [*kept, new_signer] if role == "root" else old_root_signers)
    r.config.keys[role] = [n for n in listed if n != old_key] + [new_name]
    _write_atomic(r.path / CONFIG_FILE, r.config.text().encode("utf-8"))
    if role != "root":
        others = [_signer(keys_dir, n, passphrase) for n in listed if n != old_key]
        if role == "targets":
            _bump_targets(r, [*others, new_signer])
            _bump_online(r, _role_signers(r, keys_dir, "online", passphrase))
        else:
            _bump_online(r, [*others, new_signer])
    return new_name


def _keyid_of(r: _Repo, keys_dir: Path, role: str, name: str, tuf_role: str) -> str:
    """The key id of the key ``name`` of ``role``: from its public file, else (the file went
    with a lost key) the one key of the role that no other listed key's public file names."""
    try:
        return keys.load_public_key(keys.public_path(keys_dir, name)).keyid
    except keys.KeyFileError:
        pass
    others = set()
    for other in r.config.keys[role]:
        if other != name:
            with contextlib.suppress(keys.KeyFileError):
                others.add(keys.load_public_key(keys.public_path(keys_dir, other)).keyid)
    left = [k for k in r.root.signed.roles[tuf_role].keyids if k not in others]
    if len(left) != 1:
        raise RepoError(f"{keys.public_path(keys_dir, name)}: not found, and the key to replace "
                        "cannot be told from the others: copy the public files (*.pub.json) of "
                        "the role's other keys into the keys folder")
    return left[0]


def _check_root_signers(r: _Repo, signers: list[CryptoSigner]) -> None:
    role = r.root.signed.roles[Root.type]
    have = {s.public_key.keyid for s in signers} & set(role.keyids)
    if len(have) < role.threshold:
        raise RepoError(f"a new root version needs {role.threshold} root keys; "
                        f"{len(have)} found (plug in the root keys' media)")


# -- looking -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepoStatus:
    """What the repository holds now (``launcher pack verify`` and ``inspect`` show it)."""

    county: str
    pack: PackVersion | None
    packs: tuple[str, ...]
    """Every pack target signed so far."""
    blocks: tuple[Block, ...]
    versions: Mapping[str, int]
    expires: Mapping[str, datetime]
    threshold: int
    """Root keys that must sign a new root."""
    keys: Mapping[str, tuple[str, ...]]
    """The key files of each key role (repo.toml)."""
    keyids: Mapping[str, tuple[str, ...]]
    """The key ids the root lists for each TUF role."""

    @property
    def earliest_expiry(self) -> datetime:
        return min(self.expires.values())


def status(repo: Path) -> RepoStatus:
    """The repository's current state (RepoError when it cannot be read)."""
    r = _open(repo)
    index = r.index()
    roles = {"root": r.root.signed, "targets": r.targets.signed,
             "snapshot": r.snapshot.signed, "timestamp": r.timestamp.signed}
    return RepoStatus(
        county=r.config.county,
        pack=index.version,
        packs=tuple(sorted(p for p in r.targets.signed.targets if p != INDEX_TARGET)),
        blocks=index.blocks,
        versions={role: s.version for role, s in roles.items()},
        expires={role: s.expires for role, s in roles.items()},
        threshold=r.root.signed.roles[Root.type].threshold,
        keys={role: tuple(names) for role, names in r.config.keys.items()},
        keyids={role: tuple(r.root.signed.roles[role].keyids)
                for role in (Root.type, Targets.type, Snapshot.type, Timestamp.type)},
    )


@dataclass
class VerifyReport:
    """What ``verify`` found: problems (each naming a file) and the state read."""

    problems: list[str] = field(default_factory=list)
    status: RepoStatus | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(repo: Path, *, root_file: Path | None = None) -> VerifyReport:
    """Check the repository (or a published copy) as a PC would: TUF's client walks it from
    ``root_file`` (default: its ``metadata/1.root.json``), then every target's file is checked
    against its signed length and hash. Nothing is raised for what is wrong: it is reported."""
    from tuf.api import exceptions
    from tuf.ngclient.updater import Updater

    from launcher.core.packs.fetch import PackFetcher

    repo = Path(repo)
    report = VerifyReport()
    bootstrap_file = root_file or repo / "metadata" / "1.root.json"
    try:
        bootstrap = bootstrap_file.read_bytes()
    except OSError as exc:
        report.problems.append(f"{bootstrap_file}: cannot be read ({exc.strerror or exc})")
        return report
    with tempfile.TemporaryDirectory(prefix="pack-verify-") as temp:
        base = repo.resolve().as_uri()
        try:
            updater = Updater(
                metadata_dir=temp,
                metadata_base_url=f"{base}/metadata/",
                target_dir=temp,
                target_base_url=f"{base}/targets/",
                fetcher=PackFetcher(),
                bootstrap=bootstrap,
            )
            updater.refresh()
        except (exceptions.RepositoryError, exceptions.DownloadError, OSError, ValueError) as exc:
            report.problems.append(f"{repo / 'metadata'}: {type(exc).__name__}: {exc}")
            return report
        with contextlib.suppress(OSError):
            targets = Metadata[Targets].from_file(os.path.join(temp, "targets.json"))
            for name, info in sorted(targets.signed.targets.items()):
                folder, _, base_name = name.rpartition("/")
                path = repo / "targets" / folder / f"{info.hashes['sha256']}.{base_name}"
                try:
                    with path.open("rb") as file:
                        info.verify_length_and_hashes(file)
                except OSError:
                    report.problems.append(f"{path}: missing (target {name})")
                except exceptions.LengthOrHashMismatchError:
                    report.problems.append(f"{path}: differs from what was signed (target {name})")
    if (repo / CONFIG_FILE).is_file():
        try:
            report.status = status(repo)
        except RepoError as exc:
            report.problems.append(str(exc))
    return report


# -- publishing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishResult:
    dest: Path
    files: int
    expires: datetime
    """The earliest expiry of the published metadata: a township without a connection can go
    until then."""


def publish(
    repo: Path,
    dest: Path,
    *,
    offline_days: int | None = None,
    keys_dir: Path | None = None,
    passphrase: keys.Passphrase = None,
    url: str | None = None,
) -> PublishResult:
    """Copy what PCs need into ``dest``: ``metadata/`` and ``targets/`` (never keys nor
    repo.toml), plus ``bootstrap/root.json`` (the current root, installed with launchers) and
    ``bootstrap/updates.toml`` (its ``url`` is ``url``, else ``dest`` itself as a folder: edit it
    for a web server). ``offline_days`` first signs snapshot and timestamp valid that long (the
    online key, in ``keys_dir``, is needed), for a USB stick or share a township uses without a
    connection. Targets are copied before metadata and the timestamp last."""
    r = _open(repo)
    dest = Path(dest)
    with contextlib.suppress(OSError):
        if dest.resolve() == r.path.resolve() or dest.resolve().is_relative_to(r.path.resolve()):
            raise RepoError(f"{dest}: must be outside the repository {r.path}")
    if offline_days is not None:
        _check_days(offline_days, "offline days")
        if keys_dir is None:
            raise RepoError("offline days: the online key is needed (give the keys folder)")
        _check_keys_dir(r.path, keys_dir)
        _bump_online(r, _role_signers(r, keys_dir, "online", passphrase),
                     snapshot_days=offline_days, timestamp_days=offline_days)
    files = 0
    for source in sorted((r.targets_dir).rglob("*")):
        if source.is_file() and not source.name.startswith("."):
            _copy(source, dest / "targets" / source.relative_to(r.targets_dir))
            files += 1
    metadata = sorted(p for p in r.metadata_dir.glob("*.json") if p.name != "timestamp.json")
    for source in [*metadata, r.metadata_dir / "timestamp.json"]:
        _copy(source, dest / "metadata" / source.name)
        files += 1
    _write_atomic(dest / "bootstrap" / "root.json", r.root.to_bytes(_SERIALIZER))
    location = url or dest.resolve().as_uri()
    updates = (
        "# Where this county's packs come from (docs/packs.md): install beside root.json in\n"
        "# the launcher's machine-wide folder (or the data folder of one account).\n"
        "[updates]\n"
        f'county = "{r.config.county}"\n'
        f"url = {_toml_string(location)}\n"
        "check_hours = 4\n"
        "warn_days = 14\n"
    )
    _write_atomic(dest / "bootstrap" / "updates.toml", updates.encode("utf-8"))
    expires = min(r.root.signed.expires, r.targets.signed.expires, r.snapshot.signed.expires,
                  r.timestamp.signed.expires)
    return PublishResult(dest, files + 2, expires)


def _copy(source: Path, target: Path) -> None:
    try:
        if target.is_file() and target.stat().st_size == source.stat().st_size \
                and target.read_bytes() == source.read_bytes():
            return
        _write_atomic(target, source.read_bytes())
    except OSError as exc:
        raise RepoError(f"{target}: cannot be written ({exc.strerror or exc})") from None


def _toml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)
