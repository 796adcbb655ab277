"""The county's network settings (``[network]`` of county.toml) and the ones in force.

Web pages (QtWebEngine) trust the certificate authorities the operating system trusts, so a county
that installs its own root CA on its PCs has its internal sites trusted by every page. The
launcher's own connections (sign-in, tokens, task APIs) trust the same store (launcher/core/http.py,
through ``truststore``); ``ca_file`` adds the county's CA for PCs where it is not installed in the
operating system (it is added to the system's store, never replacing it).

Kept apart from http.py, which imports requests: the county file is read at every start, before
anything needs requests.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from launcher.core.schema import Reader

MAX_CA_FILE_BYTES = 1024 * 1024
"""A CA file is a few PEM certificates (a few kB each); anything bigger is the wrong file."""


@dataclass(frozen=True)
class NetworkConfig:
    ca_file: Path | None = None
    """PEM certificate(s) of the county's own CA, trusted in addition to the system's store."""


def read_network(root: Reader) -> NetworkConfig:
    """The ``[network]`` table of a county file (all keys optional); ConfigError naming the key
    when the CA file is missing, unreadable or holds no certificate."""
    network = root.sub("network", required=False)
    if network is None:
        return NetworkConfig()
    network.unknown({"ca_file"})
    name = network.opt_text("ca_file")
    if name is None:
        return NetworkConfig()
    try:
        path = (root.path.parent / name).resolve()
        size = path.stat().st_size
    except (OSError, ValueError, RuntimeError) as exc:  # a NUL in the name; a symbolic link loop
        raise network.error("ca_file", f"cannot read {name!r} ({_why(exc)})") from None
    if not path.is_file() or size > MAX_CA_FILE_BYTES:
        raise network.error(
            "ca_file", f"{name!r} must be a PEM file of CA certificates (at most 1 MB)"
        )
    problem = _check_certificates(path)
    if problem:
        raise network.error("ca_file", f"{name!r} {problem}")
    return NetworkConfig(ca_file=path)


def _check_certificates(path: Path) -> str:
    """'' when ``path`` holds at least one certificate OpenSSL can load, else what is wrong."""
    import ssl  # only counties with a CA file need it while the county opens

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        context.load_verify_locations(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as exc:
        return f"holds no readable PEM certificate ({_why(exc)})"
    if not context.get_ca_certs(binary_form=True):
        return "holds no CA certificate"
    return ""


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


_lock = threading.Lock()
_current = NetworkConfig()


def use(config: NetworkConfig) -> None:
    """Make ``config`` the settings of every HTTP session made from now on (the county opened)."""
    global _current
    with _lock:
        _current = config


def current() -> NetworkConfig:
    """The settings in force (none until a county is opened)."""
    with _lock:
        return _current
