"""Fuzzing the county file and manifest loaders with seeded mutations of the real files.

Each case mutates a real county file (the demo county's, OIDC and CAS) or a shipped manifest:
byte flips, truncation, lines deleted, duplicated or swapped, values swapped for other types,
deep nesting, NUL characters, huge numbers, nan and inf, odd Unicode, paths with ``..``,
absolute paths, hostile URLs. Loading it must either succeed with values the launcher can use
as they are, or raise ConfigError naming the file: never any other exception (issue 11, item 7:
before, 154 of 1,000 fuzzed county files and 79 of 1,000 manifests gave tracebacks).

The seed is fixed, so a failure is reproduced by running the test again; the failing case's
number and text are in the message.
"""

from __future__ import annotations

import math
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from launcher.core.county import County, load_county
from launcher.core.errors import ConfigError
from launcher.core.manifest import Manifest, load_manifest
from launcher.core.registry import discover
from launcher.core.schema import COUNTY_ID, MAX_ID_CHARS, PLUGIN_ID
from launcher_demo.county import county_toml
from launcher_demo.plugin_dir import plugins_dir

SEED = 20_240_611
CASES = 1200
"""Cases per loader (the issue asks for at least 1,000)."""

# Values put in place of a real value: other types, hostile strings, extreme numbers.
VALUES = [
    "0", "-1", "1", "40000", "9" * 30, "9" * 5000, "-" + "9" * 30, "1e999", "-1e999",
    "nan", "inf", "-inf", "+nan", "0.0", "1.5", "true", "false",
    "[]", "[1, 2]", '["a", 1]', "[[]]", "{}", "{ a = 1 }", '{ "" = "" }',
    "1979-05-27", "1979-05-27T07:32:00Z", "07:32:00",
    '""', '" "', '"\\u0000"', '"a\\u0000b"', '"\\u001b[31m"', '"\\n"', '"\\t"',
    '"../../etc/passwd"', '"../icon.svg"', '"/etc/passwd"', '"C:\\\\Windows\\\\win.ini"',
    '"\\\\\\\\host\\\\share\\\\x"', '"/dev/zero"', '"."', '".."', '"con"', '"nul.svg"',
    '"file:///etc/passwd"', '"javascript:alert(1)"', '"data:text/html,<b>x</b>"',
    '"{base_url}.evil.example"', '"{base_url}@evil.example"', '"http://[::1"',
    '"http://h:99999"', '"http://h:0/"', '"http://u:p@h/"', '"https://"', '"//h/x"',
    '"{nope}/x"', '"{base_url}"', '"{id}"', '"<img src=\\"/dev/zero\\">"',
    '"\\u202eevil"', '"😀"', '"\\ufeff"', '"ｆｕｌｌ"', '"e\\u0301"', '"安吉"',
    '"' + "x" * 5000 + '"', "'literal \\ no escape'", '"""multi\nline"""',
]
# Whole lines inserted somewhere.
LINES = [
    "x = " + "[" * 2000 + "]" * 2000,
    "x = " + "{a=" * 1500 + "1" + "}" * 1500,
    "x = " + "[" * 30 + "]" * 30,
    "[x]", "[[x]]", "[county]", "[[platforms]]", "[tasks]", "[tasks.done]", "[[forms]]",
    '"\\u0000" = 1', "'' = 1", "a.b.c = 1", "= 1", "x =", "[", "]]", '"', "'''",
    'icon = "../../etc/passwd"', 'icon = "/etc/passwd"', 'plugin_dirs = ["/", ".."]',
    "timeout = nan", "timeout = inf", "refresh_minutes = 40000", 'id = "../../evil"',
    'home = "javascript:alert(1)"', 'base_url = "file:///srv"', "background_refresh = false",
]


def mutate(rng: random.Random, text: str) -> bytes:
    """``text`` with one to three random mutations, as the bytes of a file."""
    data = text.encode("utf-8")
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(MUTATIONS)(rng, data)
    return data


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def delete_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return b"\n".join(lines)


def swap_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def swap_value(rng: random.Random, data: bytes) -> bytes:
    """A ``key = value`` line's value (or one entry of an inline value) replaced."""
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if b" = " in line and not line.startswith(b"#")]
    if not keyed:
        return data
    i = rng.choice(keyed)
    key, _, value = lines[i].partition(b" = ")
    new = rng.choice(VALUES).encode("utf-8")
    if value.startswith((b"{", b"[")) and b'"' in value and rng.random() < 0.5:
        # Inside an inline table or array: replace one quoted string.
        parts = value.split(b'"')
        k = rng.randrange(1, len(parts), 2) if len(parts) > 2 else 0
        if k:
            parts[k] = new.strip(b'"')
            lines[i] = key + b" = " + b'"'.join(parts)
            return b"\n".join(lines)
    lines[i] = key + b" = " + new
    return b"\n".join(lines)


def insert_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(LINES).encode("utf-8"))
    return b"\n".join(lines)


def insert_characters(rng: random.Random, data: bytes) -> bytes:
    """NUL, controls, odd Unicode or invalid UTF-8 at a random place (often inside a string)."""
    extra = rng.choice(
        [b"\x00", b"\x1b", b"\r", b"\x7f", b"\xff\xfe", b"\xc0\x80", b"\xed\xa0\x80",
         "\u202e".encode(), "\u0000".encode(), "\U0001f600".encode(), "\ufeff".encode(),
         b"\\u0000", b"\\ud800", b"\\U0010ffff", b"\\x00", b"..", b"/", b"\\"]
    )
    at = rng.randrange(len(data) + 1)
    return data[:at] + extra + data[at:]


def huge_file(rng: random.Random, data: bytes) -> bytes:
    # Rarely: writing megabytes is what would make the fuzzer slow.
    return data + b"\n# " + b"x" * (2_000_000 if rng.random() < 0.1 else 10)


MUTATIONS: list[Callable[[random.Random, bytes], bytes]] = [
    flip_bytes, truncate, delete_line, duplicate_line, swap_lines, swap_value, swap_value,
    swap_value, insert_line, insert_line, insert_characters, huge_file,
]


# -- what a file that loads must hold ------------------------------------------------------------


def _web_url(url: str, *, base: bool = False) -> None:
    parts = urlsplit(url)
    assert parts.scheme in ("http", "https") and parts.hostname, url
    assert parts.username is None and parts.password is None, url
    assert 0 < (parts.port or 80) < 65536, url
    assert not any(ord(c) < 33 or 0x7F <= ord(c) <= 0x9F for c in url), url
    if base:
        assert not parts.query and not parts.fragment, url


def check_county(county: County) -> None:
    assert COUNTY_ID.match(county.id) and len(county.id) <= MAX_ID_CHARS, county.id
    assert county.refresh_minutes is None or 1 <= county.refresh_minutes <= 1440
    _web_url(county.idp.url, base=True)
    for entry in county.platforms:
        assert PLUGIN_ID.match(entry.plugin) and len(entry.plugin) <= MAX_ID_CHARS, entry.plugin
        _web_url(entry.base_url, base=True)


BASES = ("http://127.0.0.1:9101", "https://gw.example:8443/app")


def check_manifest(manifest: Manifest) -> None:
    assert PLUGIN_ID.match(manifest.id) and len(manifest.id) <= MAX_ID_CHARS, manifest.id
    if manifest.icon is not None:
        assert manifest.icon.is_relative_to(manifest.folder.resolve()), manifest.icon
        assert manifest.icon.is_file() and manifest.icon.stat().st_size <= 256 * 1024
    templates = [manifest.home, *manifest.origins, *(f.url for f in manifest.forms)]
    auth, tasks = manifest.auth, manifest.tasks
    templates += [t for t in (auth.resource, auth.service) if t]
    if auth.login is not None:
        templates.append(auth.login.url)
    if tasks is not None:
        assert math.isfinite(tasks.timeout) and 0 < tasks.timeout <= 300, tasks.timeout
        if tasks.url:
            templates.append(tasks.url)
        if tasks.done is not None:
            templates.append(tasks.done.url.replace("{id}", "T-1"))
    for base in BASES:  # whatever base URL a county gives, every address is a web address
        for template in templates:
            _web_url(template.replace("{base_url}", base))


# -- the fuzzers ---------------------------------------------------------------------------------


def county_sources() -> list[str]:
    urls = {"demo.anquan": "http://127.0.0.1:9101", "demo.zhifa": "http://127.0.0.1:9102",
            "demo.laji": "http://127.0.0.1:9103"}
    oidc = county_toml("http://127.0.0.1:9000", urls)
    cas = county_toml("http://127.0.0.1:9000", urls, cas_server="http://127.0.0.1:9200/cas")
    return [oidc + "\n[inbox]\nrefresh_minutes = 5\n", cas]


def manifest_sources() -> list[Path]:
    found = sorted(plugins_dir().glob("*/manifest.toml"))
    assert len(found) >= 8
    return found


def run_cases(
    sources: list[bytes], target: Path, load: Callable[[Path], object],
    check: Callable[[object], None], seed: int,
) -> tuple[int, int, list[bytes]]:
    """(loaded, refused, refused files' bytes); fails on the first case that raised anything but
    ConfigError, or loaded a value the launcher must not use."""
    rng = random.Random(seed)
    loaded = refused = 0
    broken: list[bytes] = []
    for case in range(CASES):
        data = mutate(rng, rng.choice(sources).decode("utf-8"))
        target.write_bytes(data)
        try:
            result = load(target)
        except ConfigError as exc:
            message = str(exc)
            assert str(target) in message, f"case {case}: {message}"
            assert len(message) < 4000 and "\n" not in message, f"case {case}: {message[:500]}"
            refused += 1
            broken.append(data)
            continue
        except Exception as exc:
            pytest.fail(f"case {case} (seed {seed}): {type(exc).__name__}: {exc}\n"
                        f"{data[:2000]!r}")
        try:
            check(result)
        except AssertionError as exc:
            pytest.fail(f"case {case} (seed {seed}) loaded a value it must not: {exc}\n"
                        f"{data[:2000]!r}")
        loaded += 1
    return loaded, refused, broken


def test_fuzzed_county_files_load_or_name_the_file(tmp_path: Path) -> None:
    sources = [s.encode("utf-8") for s in county_sources()]
    target = tmp_path / "county.toml"
    loaded, refused, _ = run_cases(sources, target, load_county, check_county, SEED)  # type: ignore[arg-type]
    # Both outcomes are exercised: the mutations neither all break nor all miss the loader.
    assert loaded > CASES // 10 and refused > CASES // 3, (loaded, refused)


def test_fuzzed_manifests_load_or_name_the_file(tmp_path: Path) -> None:
    plugins = manifest_sources()
    folder = tmp_path / "fuzzed"
    folder.mkdir()
    shutil.copy(plugins[0].parent / "icon.svg", folder / "icon.svg")
    sources = [p.read_bytes() for p in plugins]
    target = folder / "manifest.toml"
    loaded, refused, broken = run_cases(
        sources, target, load_manifest, check_manifest, SEED + 1  # type: ignore[arg-type]
    )
    assert loaded > CASES // 20 and refused > CASES // 3, (loaded, refused)

    # A registry with one broken manifest still loads every other plugin.
    rng = random.Random(SEED + 2)
    shipped = {load_manifest(p).id for p in plugins}
    for data in rng.sample(broken, 40):
        target.write_bytes(data)
        found, errors = discover([tmp_path, plugins_dir()])
        assert set(found) == shipped
        assert len(errors) == 1 and str(target) in errors[0]
