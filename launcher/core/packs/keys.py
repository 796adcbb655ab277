"""Key files of a county's pack repository: ed25519 keys made and used through securesystemslib.

A key named ``targets`` is two files in the keys folder: ``targets.pem``, the private key (PKCS#8
PEM, encrypted with the passphrase when one is given, readable by its owner only) and
``targets.pub.json``, the public key in securesystemslib's dict form plus its key id. The public
file is what a repository lists in its root; the private one never leaves the keys folder (the
root keys are meant for offline media, see docs/packs.md).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

# securesystemslib and tuf re-export their classes without __all__: mypy's strict mode wants an
# explicit export, the names are the packages' documented API all the same.
from securesystemslib.signer import CryptoSigner, SSlibKey  # type: ignore[attr-defined]

from launcher.core.errors import LauncherError

__all__ = [
    "KeyFileError",
    "Passphrase",
    "generate_key",
    "is_encrypted",
    "key_name_ok",
    "load_public_key",
    "load_signer",
    "load_signer_file",
    "private_path",
    "public_path",
]

Passphrase = str | Callable[[Path], str | None] | None
"""The passphrase of private keys: one for every key, or a function asked for each key file
(a prompt), or None for unencrypted keys."""

MAX_KEY_FILE_BYTES = 64 * 1024
_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


class KeyFileError(LauncherError):
    """A key file is missing, unreadable, not a key, or its passphrase is wrong: names the file."""


def key_name_ok(name: str) -> bool:
    """True for a key name that makes a safe file name (``root-1``, ``targets``, ``online-2``)."""
    return bool(_NAME.match(name))


def private_path(keys_dir: Path, name: str) -> Path:
    return Path(keys_dir) / f"{name}.pem"


def public_path(keys_dir: Path, name: str) -> Path:
    return Path(keys_dir) / f"{name}.pub.json"


def _passphrase_for(passphrase: Passphrase, path: Path) -> str | None:
    if callable(passphrase):
        return passphrase(path)
    return passphrase


def generate_key(keys_dir: Path, name: str, passphrase: Passphrase = None) -> CryptoSigner:
    """Make a new ed25519 key ``name`` in ``keys_dir`` (``name.pem`` owner-only, and
    ``name.pub.json``) and return its signer. Never overwrites: a key of that name already there
    raises KeyFileError."""
    if not key_name_ok(name):
        raise KeyFileError(f"{name!r}: not a key name (lower-case letters, digits, - and _)")
    keys_dir = Path(keys_dir)
    keys_dir.mkdir(parents=True, exist_ok=True)
    private, public = private_path(keys_dir, name), public_path(keys_dir, name)
    for path in (private, public):
        if path.exists():
            raise KeyFileError(f"{path}: already exists (a key is never overwritten)")
    signer = CryptoSigner.generate_ed25519()
    secret = _passphrase_for(passphrase, private)
    key = load_pem_private_key(signer.private_bytes, None)
    encryption = BestAvailableEncryption(secret.encode("utf-8")) if secret else NoEncryption()
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, encryption)
    # O_EXCL and mode 0600 at creation: the private key is never readable by others, not even
    # for a moment, and an existing file (or a link planted there) is never written through.
    try:
        fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
    except OSError as exc:
        raise KeyFileError(f"{private}: cannot be created ({exc.strerror or exc})") from None
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
        file.flush()
        os.fsync(file.fileno())
    public_key = signer.public_key
    document = {"keyid": public_key.keyid, **public_key.to_dict()}
    public.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return signer


def load_public_key(path: Path) -> SSlibKey:
    """The public key of a ``*.pub.json`` file; KeyFileError naming the file otherwise."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            data = file.read(MAX_KEY_FILE_BYTES + 1)
        if len(data) > MAX_KEY_FILE_BYTES:
            raise KeyFileError(f"{path}: too large to be a public key")
        document: Any = json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise KeyFileError(f"{path}: not found") from None
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"{path}: cannot be read as a public key ({exc})") from None
    if not isinstance(document, dict) or not isinstance(document.get("keyid"), str):
        raise KeyFileError(f"{path}: not a public key file (no keyid)")
    fields = {k: v for k, v in document.items() if k != "keyid"}
    try:
        key = SSlibKey.from_dict(document["keyid"], fields)
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"{path}: not a public key file ({exc})") from None
    if key.keytype != "ed25519":
        raise KeyFileError(f"{path}: an {key.keytype} key, not ed25519")
    return key


def is_encrypted(keys_dir: Path, name: str) -> bool:
    """True when the private key ``name`` needs a passphrase."""
    try:
        head = private_path(keys_dir, name).read_bytes()[:64]
    except OSError:
        return False
    return b"ENCRYPTED" in head


def load_signer(keys_dir: Path, name: str, passphrase: Passphrase = None) -> CryptoSigner:
    """The signer of the key ``name`` in ``keys_dir``: its private key, checked against its public
    key file. KeyFileError names the file when either is missing, unreadable, does not match, or the
    passphrase is missing or wrong."""
    private = private_path(keys_dir, name)
    public_key = load_public_key(public_path(keys_dir, name))
    try:
        with private.open("rb") as file:
            pem = file.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileError(f"{private}: not found (is the key's medium plugged in?)") from None
    except OSError as exc:
        raise KeyFileError(f"{private}: cannot be read ({exc.strerror or exc})") from None
    secret = _passphrase_for(passphrase, private) if b"ENCRYPTED" in pem else None
    if b"ENCRYPTED" in pem and not secret:
        raise KeyFileError(f"{private}: is encrypted: a passphrase is needed")
    try:
        key = load_pem_private_key(pem, secret.encode("utf-8") if secret else None)
    except (TypeError, ValueError):
        raise KeyFileError(f"{private}: the passphrase is wrong, or the file is not a private key"
                        ) from None
    probe = b"yiduantong key check"
    try:
        signer = CryptoSigner(key, public_key)
        public_key.verify_signature(signer.sign(probe), probe)
    except Exception:  # securesystemslib's KeyMismatchError, verification errors, another kind
        raise KeyFileError(f"{private}: does not match {public_path(keys_dir, name).name}") from None
    return signer


def load_signer_file(private_key: Path, passphrase: Passphrase = None) -> CryptoSigner:
    """``load_signer`` for a private key file named by its path (``…/targets.pem``), whose public
    key file is beside it."""
    private_key = Path(private_key)
    if private_key.suffix != ".pem":
        raise KeyFileError(f"{private_key}: not a private key file (*.pem)")
    return load_signer(private_key.parent, private_key.stem, passphrase)
