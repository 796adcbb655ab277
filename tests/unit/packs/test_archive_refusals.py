"""Unpacking refuses every crafted pack file of docs/packs-design.md with a ``PackError`` naming the
member and why, leaves nothing behind, writes nothing outside its folder; and a few hundred
mangled packs give ``PackError`` (or unpack, when what changed was only a file's content), never
another exception."""

from __future__ import annotations

import gzip
import io
import random
import tarfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pytest

from launcher.core.packs.archive import (
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    PackError,
    extract_pack,
    read_pack_info,
)

PACK_TOML = """\
[pack]
format = 1
county = "anji"
version = "2026.12.1"
created = "2026-12-07T13:00:00Z"

[platforms]
"anji.a" = "1.0.0"

[changes]
previous = ""
added = ["anji.a"]
updated = []
retired = []
note = "首个版本"
note_en = ""
"""
COUNTY_TOML = 'plugin_dirs = ["plugins"]\n[county]\nid = "anji"\nname = "安吉县"\n'
MANIFEST = 'schema = 1\nid = "anji.a"\nname = "甲"\nversion = "1.0.0"\n'

Member = tuple[tarfile.TarInfo, bytes | None]


def file(name: str, data: bytes | str = b"x") -> Member:
    content = data.encode("utf-8") if isinstance(data, str) else data
    info = tarfile.TarInfo(name)
    info.size, info.mode = len(content), 0o644
    return info, content


def folder(name: str) -> Member:
    info = tarfile.TarInfo(name)
    info.type, info.mode = tarfile.DIRTYPE, 0o755
    return info, None


def special(name: str, kind: bytes, target: str = "") -> Member:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info, None


def good(pack_toml: str = PACK_TOML, county: str = COUNTY_TOML) -> list[Member]:
    return [
        file("pack.toml", pack_toml),
        file("county.toml", county),
        folder("plugins"),
        folder("plugins/anji.a"),
        file("plugins/anji.a/manifest.toml", MANIFEST),
        file("plugins/anji.a/icon.svg", "<svg/>"),
    ]


def craft(path: Path, members: Iterable[Member], *, fmt: int = tarfile.PAX_FORMAT) -> Path:
    """A gzip-compressed tar of exactly ``members``, whatever they are."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=fmt) as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    path.write_bytes(gzip.compress(raw.getvalue(), mtime=0))
    return path


def refused(tmp_path: Path, members: Iterable[Member], said: str, member: str | None = None,
            **target: str) -> PackError:
    pack = craft(tmp_path / "crafted.pack.tar.gz", members)
    dest = tmp_path / "dest"
    with pytest.raises(PackError, match=said) as caught:
        extract_pack(pack, dest, **target)
    assert not dest.exists(), "a refused pack leaves nothing behind"
    if member is not None:
        assert caught.value.member == member
    assert "\n" not in str(caught.value) and "\x00" not in str(caught.value)
    return caught.value


def test_the_crafted_good_pack_unpacks(tmp_path: Path) -> None:
    pack = craft(tmp_path / "good.pack.tar.gz", good())
    info = extract_pack(pack, tmp_path / "dest", county="anji", version="2026.12.1")
    assert info.platforms == {"anji.a": "1.0.0"}
    assert info.changes.note == "首个版本"
    assert (tmp_path / "dest" / "plugins" / "anji.a" / "icon.svg").read_text() == "<svg/>"
    assert read_pack_info(pack) == info


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("/etc/passwd", "absolute name"),
        ("plugins/anji.a/../../../outside", r"'\.\.' in its name"),
        ("../outside", r"'\.\.' in its name"),
        ("plugins/anji.a/a\\b", "backslash"),
        ("plugins/anji.a/c:x", "colon"),
        ("C:/windows/x", "colon"),
        ("plugins/anji.a/" + "x" * 250, "longer than 255 bytes"),
        ("plugins/anji.a/" + "汉" * 90, "longer than 255 bytes"),
        ("plugins//anji.a/x", "not a plain relative name"),
        ("./pack.toml", "not a plain relative name"),
        ("plugins/anji.a/con.txt", "Windows cannot hold"),
        ("plugins/anji.a/trailing.", "Windows cannot hold"),
        ("plugins/anji.a/a\x1b[2Jb", "character Windows file names cannot hold"),
    ],
)
def test_names_outside_the_folder_or_no_pc_can_hold_are_refused(
    tmp_path: Path, name: str, said: str
) -> None:
    error = refused(tmp_path, [*good(), file(name)], said, name)
    assert "\x1b" not in str(error)


def test_outside_files_stay_untouched(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    refused(tmp_path, [*good(), file("plugins/anji.a/../../../outside", "owned")], r"\.\.")
    assert not outside.exists()


@pytest.mark.parametrize(
    ("member", "said"),
    [
        (special("plugins/anji.a/link", tarfile.SYMTYPE, "/etc/passwd"), "is a link"),
        (special("plugins/anji.a/rel", tarfile.SYMTYPE, "icon.svg"), "is a link"),
        (special("plugins/anji.a/hard", tarfile.LNKTYPE, "pack.toml"), "is a link"),
        (special("plugins/anji.a/tty", tarfile.CHRTYPE), "is a device"),
        (special("plugins/anji.a/disk", tarfile.BLKTYPE), "is a device"),
        (special("plugins/anji.a/fifo", tarfile.FIFOTYPE), "is a device"),
        (special("plugins/anji.a/cont", tarfile.CONTTYPE), "not a regular file or folder"),
    ],
)
def test_links_and_devices_are_refused(tmp_path: Path, member: Member, said: str) -> None:
    refused(tmp_path, [*good(), member], said, member[0].name)


def test_a_link_first_then_a_file_through_it_is_refused_at_the_link(tmp_path: Path) -> None:
    members = [special("plugins/anji.a/up", tarfile.SYMTYPE, "../../.."),
               file("plugins/anji.a/up/owned", "x"), *good()]
    refused(tmp_path, members, "is a link", "plugins/anji.a/up")
    assert not (tmp_path / "owned").exists()


def test_too_many_members_are_refused(tmp_path: Path) -> None:
    members = [*good(), *(folder(f"plugins/anji.a/d{i}") for i in range(MAX_MEMBERS))]
    refused(tmp_path, members, f"more than {MAX_MEMBERS} members")


def test_a_member_too_large_is_refused(tmp_path: Path) -> None:
    big = file("plugins/anji.a/big.bin", bytes(MAX_MEMBER_BYTES + 1))
    refused(tmp_path, [*good(), big], "larger than 16 MB", "plugins/anji.a/big.bin")


def test_too_much_in_all_is_refused(tmp_path: Path) -> None:
    blocks = [file(f"plugins/anji.a/part{i}.bin", bytes(MAX_MEMBER_BYTES)) for i in range(5)]
    # four of 16 MB and the good pack's few bytes: over 64 MB at the fourth
    refused(tmp_path, [*good(), *blocks], "larger than 64 MB in all", "plugins/anji.a/part3.bin")


def test_a_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    """A PAX header claiming 80 MB (tarfile reads a header whole): the stream's bound stops it."""
    header = tarfile.TarInfo("PaxHeaders/x")
    header.type, header.size = tarfile.XHDTYPE, 80 * 2**20
    raw = io.BytesIO()
    raw.write(header.tobuf(tarfile.USTAR_FORMAT))
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    pack = tmp_path / "bomb.pack.tar.gz"
    with pack.open("wb") as out:
        out.write(compressor.compress(raw.getvalue()))
        chunk = b"9" * 2**20
        for _ in range(80):
            out.write(compressor.compress(chunk))
        out.write(compressor.flush())
    assert pack.stat().st_size < 2**20
    with pytest.raises(PackError, match="unpacks to more than 64 MB with its headers"):
        read_pack_info(pack)
    with pytest.raises(PackError):
        extract_pack(pack, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


@pytest.mark.parametrize(
    ("member", "said"),
    [
        (file("other/x"), "is not pack.toml, county.toml or under plugins/"),
        (file("README"), "is not pack.toml, county.toml or under plugins/"),
        (folder("metadata"), "is not pack.toml, county.toml or under plugins/"),
        (file("plugins/stray.txt"), "a file outside any plugin's folder"),
    ],
)
def test_a_member_outside_the_three_top_names_is_refused(tmp_path: Path, member: Member,
                                                        said: str) -> None:
    refused(tmp_path, [*good(), member], said, member[0].name)


def test_the_three_top_names_have_their_kinds(tmp_path: Path) -> None:
    members = [m for m in good() if m[0].name != "pack.toml"]
    refused(tmp_path, [folder("pack.toml"), *members], "must be a file", "pack.toml")
    plugins = [m for m in good() if not m[0].name.startswith("plugins")]
    refused(tmp_path, [*plugins, file("plugins")], "must be a folder", "plugins")


def test_a_member_twice_or_twice_but_for_case_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, [*good(), file("plugins/anji.a/icon.svg", "<svg>2</svg>")], "appears twice",
            "plugins/anji.a/icon.svg")
    refused(tmp_path, [*good(), file("plugins/anji.a/ICON.svg")], "only in case",
            "plugins/anji.a/ICON.svg")


@pytest.mark.parametrize(
    ("pack_toml", "said"),
    [
        ("not toml [", "is not valid TOML"),
        (b"\xff\xfe".decode("latin-1"), "not valid TOML|not UTF-8"),
        (PACK_TOML.replace("format = 1", "format = 2"), "this launcher reads packs of format 1"),
        (PACK_TOML.replace('"2026.12.1"', '"latest"'), "pack.version"),
        (PACK_TOML.replace('county = "anji"', 'county = "../x"'), "pack.county"),
        (PACK_TOML.replace('"2026-12-07T13:00:00Z"', '"yesterday"'), "pack.created"),
        (PACK_TOML.replace('"anji.a" = "1.0.0"', '"../../x" = "1.0.0"'), "platforms"),
        (PACK_TOML.replace('added = ["anji.a"]', 'added = ["a/b"]'), r"changes\.added\[0\]"),
        (PACK_TOML.replace('previous = ""', 'previous = "x"'), "changes.previous"),
        (PACK_TOML + "surprise = 1\n", "surprise"),
        (PACK_TOML.replace("[pack]", "[pak]"), "pak"),
        (PACK_TOML.replace('note = "首个版本"', 'note = "a\\u001b[2J"'), "control characters"),
        ("x = " + "[" * 3000 + "]" * 3000, "not valid TOML"),
    ],
)
def test_a_bad_pack_toml_is_refused(tmp_path: Path, pack_toml: str, said: str) -> None:
    members = [m for m in good() if m[0].name != "pack.toml"]
    refused(tmp_path, [file("pack.toml", pack_toml), *members], said, "pack.toml")
    with pytest.raises(PackError, match=said):
        read_pack_info(tmp_path / "crafted.pack.tar.gz")


def test_a_pack_without_pack_toml_or_county_toml_is_refused(tmp_path: Path) -> None:
    refused(tmp_path, good()[1:], "holds no pack.toml", "pack.toml")
    with pytest.raises(PackError, match=r"holds no pack\.toml"):
        read_pack_info(tmp_path / "crafted.pack.tar.gz")
    refused(tmp_path, [m for m in good() if m[0].name != "county.toml"], "holds no county.toml")


@pytest.mark.parametrize(
    ("county", "said"),
    [
        (COUNTY_TOML.replace('"anji"', '"deqing"'), "county.toml is county 'deqing'"),
        (COUNTY_TOML.replace('["plugins"]', '["plugins", "/usr/share"]'),
         "plugin_dirs must be"),
        (COUNTY_TOML.replace('["plugins"]', '["../.."]'), "plugin_dirs must be"),
        ("not toml [", "county.toml"),
    ],
)
def test_a_county_file_that_is_not_the_packs_own_is_refused(tmp_path: Path, county: str,
                                                            said: str) -> None:
    refused(tmp_path, good(county=county), said, "county.toml")


@pytest.mark.parametrize(
    ("target", "said"),
    [({"county": "deqing"}, "names county 'anji', not 'deqing'"),
     ({"version": "2026.12.2"}, "names version 2026.12.1, not 2026.12.2")],
)
def test_a_pack_that_is_not_the_target_is_refused(tmp_path: Path, target: dict[str, str],
                                                  said: str) -> None:
    refused(tmp_path, good(), said, "pack.toml", **target)


def test_plugins_must_be_the_ones_pack_toml_lists(tmp_path: Path) -> None:
    extra = [folder("plugins/anji.b"), file("plugins/anji.b/manifest.toml",
                                            MANIFEST.replace("anji.a", "anji.b"))]
    refused(tmp_path, [*good(), *extra], "a plugin pack.toml does not list", "plugins/anji.b")
    renamed = [(m[0], m[1]) for m in good()]
    renamed[4] = file("plugins/anji.a/manifest.toml", MANIFEST.replace('"anji.a"', '"anji.z"'))
    refused(tmp_path, renamed, "its id is 'anji.z'", "plugins/anji.a")
    older = good()
    older[4] = file("plugins/anji.a/manifest.toml", MANIFEST.replace("1.0.0", "0.9.0"))
    refused(tmp_path, older, "pack.toml says '1.0.0'", "plugins/anji.a")
    missing = [m for m in good() if not m[0].name.startswith("plugins/")]
    refused(tmp_path, missing, "lists anji.a, not in plugins/", "plugins/anji.a")


@pytest.mark.parametrize(
    "data",
    [b"", b"not gzip at all", gzip.compress(b"not a tar" * 100), gzip.compress(b"")[:10],
     b"\x1f\x8b" + bytes(50)],
)
def test_what_is_not_a_pack_is_refused(tmp_path: Path, data: bytes) -> None:
    pack = tmp_path / "x.pack.tar.gz"
    pack.write_bytes(data)
    with pytest.raises(PackError):
        read_pack_info(pack)
    with pytest.raises(PackError):
        extract_pack(pack, tmp_path / "dest")
    assert not (tmp_path / "dest").exists()


def test_a_missing_pack_file_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(PackError, match="cannot be read"):
        read_pack_info(tmp_path / "nowhere.pack.tar.gz")


def test_a_truncated_pack_is_refused(tmp_path: Path) -> None:
    data = craft(tmp_path / "good.pack.tar.gz", good()).read_bytes()
    for cut in (len(data) // 3, len(data) // 2, len(data) - 9):
        pack = tmp_path / f"cut{cut}.pack.tar.gz"
        pack.write_bytes(data[:cut])
        with pytest.raises(PackError):
            extract_pack(pack, tmp_path / f"dest{cut}")


def _mutations(base: bytes, rng: random.Random) -> bytes:
    data = bytearray(base)
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        at = rng.randrange(len(data))
        if kind < 0.6:
            data[at] = rng.randrange(256)
        elif kind < 0.8:
            del data[at : at + rng.randint(1, 64)]
        else:
            data[at:at] = rng.randbytes(rng.randint(1, 64))
    return bytes(data)


@pytest.mark.parametrize("layer", ["gzip", "tar"])
def test_mangled_packs_give_pack_errors_only(tmp_path: Path, layer: str) -> None:
    """Seeded mutations of a good pack: of its compressed bytes (mostly gzip's own checks), and of
    the tar inside, compressed again (headers, PAX records, pack.toml, names, sizes)."""
    rng = random.Random(f"packs-{layer}")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for info, data in [*good(), file("plugins/anji.a/汉字.txt", "名")]:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    tar_bytes = raw.getvalue()
    compressed = gzip.compress(tar_bytes, mtime=0)
    outcomes = {"refused": 0, "unpacked": 0}
    for i in range(200):
        if layer == "gzip":
            mangled = _mutations(compressed, rng)
        else:
            mangled = gzip.compress(_mutations(tar_bytes, rng), mtime=0)
        pack = tmp_path / f"m{i}.pack.tar.gz"
        pack.write_bytes(mangled)
        dest = tmp_path / f"d{i}"
        try:
            read_pack_info(pack)
            extract_pack(pack, dest)
        except PackError as exc:
            outcomes["refused"] += 1
            assert not dest.exists()
            assert "\n" not in str(exc) and len(str(exc)) < 2000
        else:
            outcomes["unpacked"] += 1
            assert all(p.resolve().is_relative_to(dest.resolve()) for p in dest.rglob("*"))
        pack.unlink()
    assert outcomes["refused"] > 100
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith("d")} == set()
