"""A county's pack repository for tests: a real county folder, real packs (archive.build_pack),
a real TUF repository (repo.py), and a real static web server serving the published folder.

Used by tests/integration/test_updates.py and the unit tests of tests/unit/packs.
"""

from __future__ import annotations

import contextlib
import functools
import shutil
import textwrap
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from launcher.core.packs import repo as packrepo
from launcher.core.packs.archive import build_pack
from launcher.core.packs.settings import UpdateSettings, load_settings

COUNTY = "anji"
PASSPHRASE = "测试口令 correct horse"

MANIFEST = """\
schema = 1
id = "{id}"
name = "平台 {id}"
version = "{version}"
home = "{{base_url}}/"
origins = ["{{base_url}}"]
{tasks}
[[forms]]
key = "k"
url = "{{base_url}}/form/new"
fields = {{ "#a" = "person.name" }}
"""

PYTHON_TASKS = """
[auth]
kind = "sso"
scopes = ["tasks"]

[tasks]
kind = "python"
entry = "tasks:make"
"""

PYTHON_SOURCE = """\
LAUNCHER_API = 1


class Source:
    def fetch(self, *, base_url, token, timeout):
        return []


def make(context):
    return Source()
"""


def write_county(
    folder: Path,
    plugins: Mapping[str, str],
    *,
    county: str = COUNTY,
    python: Mapping[str, str] | None = None,
    manifest_override: Mapping[str, str] | None = None,
) -> Path:
    """A county folder: county.toml listing ``plugins`` (id: manifest version), each a plugin
    folder under ``plugins/``; ``python`` gives a plugin Python tasks (id: the source of its
    tasks.py); ``manifest_override`` replaces a manifest's text. Returns the folder."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    python = python or {}
    manifest_override = manifest_override or {}
    for plugin_id, version in sorted(plugins.items()):
        plugin = folder / "plugins" / plugin_id.replace(".", "_")
        plugin.mkdir(parents=True)
        text = manifest_override.get(plugin_id) or MANIFEST.format(
            id=plugin_id, version=version, tasks=PYTHON_TASKS if plugin_id in python else "")
        (plugin / "manifest.toml").write_text(text, encoding="utf-8")
        if plugin_id in python:
            (plugin / "tasks.py").write_text(python[plugin_id], encoding="utf-8")
    entries = "".join(
        f'[[platforms]]\nplugin = "{p}"\nbase_url = "http://127.0.0.1:{9000 + i}"\n'
        for i, p in enumerate(sorted(plugins))
    )
    (folder / "county.toml").write_text(
        f'[county]\nid = "{county}"\nname = "测试县"\n[idp]\nissuer = "http://127.0.0.1:1"\n'
        + entries,
        encoding="utf-8",
    )
    return folder


@dataclass
class CountyRepo:
    """A county's TUF repository with its keys, and the packs built so far."""

    base: Path
    county: str = COUNTY
    passphrase: str | None = None
    packs: dict[str, Path] = field(default_factory=dict)

    @property
    def repo(self) -> Path:
        return self.base / "repo"

    @property
    def keys(self) -> Path:
        return self.base / "keys"

    @property
    def published(self) -> Path:
        return self.base / "www"

    def init(self, **kwargs: Any) -> CountyRepo:
        packrepo.init(self.repo, self.keys, self.county, passphrase=self.passphrase, **kwargs)
        return self

    def build(self, version: str, plugins: Mapping[str, str], **kwargs: Any) -> Path:
        """Build the pack ``version`` holding ``plugins`` (built against the previous one)."""
        source = write_county(self.base / "src" / version, plugins, county=self.county,
                              python=kwargs.pop("python", None),
                              manifest_override=kwargs.pop("manifest_override", None))
        previous = self.packs[max(self.packs, key=_version_key)] if self.packs else None
        pack = build_pack(source, version, self.base / "packs", previous=previous, **kwargs)
        self.packs[version] = pack
        return pack

    def sign(self, version: str, plugins: Mapping[str, str] | None = None,
             **kwargs: Any) -> Path:
        """Build (unless built) and sign the pack ``version`` into the repository, and publish."""
        pack = self.packs.get(version) or self.build(version, plugins or {"anji.tasks": "1.0.0"},
                                                     **kwargs)
        packrepo.add_pack(self.repo, self.keys, pack, passphrase=self.passphrase)
        self.publish()
        return pack

    def publish(self, **kwargs: Any) -> packrepo.PublishResult:
        if kwargs.get("offline_days") is not None:
            kwargs.setdefault("keys_dir", self.keys)
            kwargs.setdefault("passphrase", self.passphrase)
        return packrepo.publish(self.repo, self.published, **kwargs)

    def snapshot_of_published(self, name: str) -> Path:
        """A copy of the published folder as it is now (to serve it again later)."""
        copy = self.base / f"copy-{name}"
        if copy.exists():
            shutil.rmtree(copy)
        shutil.copytree(self.published, copy)
        return copy


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def install_settings(folder: Path, url: str, root_file: Path, *, county: str = COUNTY,
                     warn_days: int = 14, machine: bool = False) -> UpdateSettings:
    """Write updates.toml and root.json into ``folder`` (as an installer would) and read them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "updates.toml").write_text(textwrap.dedent(f"""\
        [updates]
        county = "{county}"
        url = "{url}"
        check_hours = 4
        warn_days = {warn_days}
        """), encoding="utf-8")
    shutil.copyfile(root_file, folder / "root.json")
    return load_settings(folder / "updates.toml", machine=machine)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[StaticServer]:
    """A static web server (the standard library's) serving ``folder`` on 127.0.0.1; the folder
    it serves may be changed while it runs (``server.folder = …``)."""
    server = StaticServer(Path(folder))
    try:
        yield server
    finally:
        server.close()


class StaticServer:
    """The standard library's ThreadingHTTPServer, serving a folder that may be swapped."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        handler = functools.partial(_Handler, server_folder=self)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
        self.requests: list[str] = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


class _Handler(_QuietHandler):
    def __init__(self, *args: Any, server_folder: StaticServer, **kwargs: Any) -> None:
        self._server_folder = server_folder
        super().__init__(*args, directory=str(server_folder.folder), **kwargs)

    def do_GET(self) -> None:
        self._server_folder.requests.append(self.path)
        super().do_GET()


def rewrite_pack(pack: Path, out: Path, changes: Mapping[str, bytes | None]) -> Path:
    """A copy of ``pack`` at ``out`` with members replaced (``None``: removed) or added: a pack
    that ``build_pack`` would never make (it checks the county first), as a careless or hostile
    county tool might."""
    import gzip
    import io
    import tarfile

    members: dict[str, tuple[tarfile.TarInfo, bytes | None]] = {}
    with tarfile.open(pack, "r:gz") as tar:
        for member in tar.getmembers():
            extracted = tar.extractfile(member) if member.isfile() else None
            members[member.name] = (member, extracted.read() if extracted else None)
    for name, data in changes.items():
        if data is None:
            members.pop(name, None)
        else:
            info = tarfile.TarInfo(name)
            info.mode = 0o644
            members[name] = (info, data)
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(members):
            info, data = members[name]
            if data is None:
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out
