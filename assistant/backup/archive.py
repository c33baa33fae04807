"""Writing a backup archive, and reading one back only after every member checked out.

Nothing of an archive is used before the whole of it has been read: each member is copied
into a private work folder while its SHA-256 is computed, and compared with the manifest.
A damaged archive (a flipped byte, a member missing, added or altered, another format
version) is refused with what is wrong, before anything is written anywhere else.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zlib
from collections.abc import Mapping
from pathlib import Path

from assistant.backup.manifest import (
    MANIFEST,
    Manifest,
    Member,
    backup_error,
    check_member_name,
    parse_manifest,
)
from assistant.errors import BackupError

__all__ = ["file_member", "read_archive", "write_archive"]

_CHUNK = 1024 * 1024
_MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def file_member(path: Path) -> Member:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return Member(sha256=digest.hexdigest(), size=path.stat().st_size)


def write_archive(target: Path, manifest: Manifest, files: Mapping[str, Path]) -> None:
    """``target`` appears whole or not at all: written beside it, then renamed into place."""
    partial = target.with_name(f".{target.name}.partial")
    raw = manifest.model_dump_json(indent=1).encode("utf-8")
    try:
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, MANIFEST, raw, manifest)
            for name, path in files.items():
                archive.add(path, arcname=name, recursive=False, filter=_plain)
        with partial.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes, manifest: Manifest) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(manifest.created_at.timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _plain(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o600
    return info


def read_archive(source: Path, workdir: Path) -> tuple[Manifest, dict[str, Path]]:
    """The manifest and each member as a file in ``workdir``, all checked; ``BackupError``
    for anything that does not match."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            return _read_members(archive, workdir)
    except FileNotFoundError:
        raise backup_error(
            f"找不到备份文件 {str(source)!r}。", f"No backup file at {str(source)!r}."
        ) from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise _damaged(source, error) from None


def _damaged(source: Path, error: Exception) -> BackupError:
    return backup_error(
        f"备份文件 {str(source)!r} 已损坏或不完整（{error}），未写入任何数据。",
        f"The backup file {str(source)!r} is damaged or incomplete ({error}); nothing was written.",
    )


def _read_members(archive: tarfile.TarFile, workdir: Path) -> tuple[Manifest, dict[str, Path]]:
    first = archive.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise backup_error(
            f"备份的第一个成员不是 {MANIFEST}：此文件不是本程序生成的备份，未写入任何数据。",
            f"The backup's first member is not {MANIFEST}: this file is not a backup made by "
            "this program; nothing was written.",
        )
    manifest = parse_manifest(_small(archive, first))
    files: dict[str, Path] = {}
    index = 0
    while (info := archive.next()) is not None:
        index += 1
        name = check_member_name(info.name)
        expected = manifest.members.get(name)
        if expected is None or name in files or not info.isfile():
            raise _unexpected(name)
        if info.size != expected.size:  # before copying: a forged size costs no disk
            raise _mismatch(name)
        files[name] = _copy_checked(archive, info, expected, workdir / f"{index:08d}")
    missing = sorted(set(manifest.members) - set(files))
    if missing:
        raise backup_error(
            f"备份缺少 {len(missing)} 个成员（如 {missing[0]!r}），未写入任何数据。",
            f"The backup lacks {len(missing)} members (e.g. {missing[0]!r}); nothing was written.",
        )
    return manifest, files


def _small(archive: tarfile.TarFile, info: tarfile.TarInfo) -> bytes:
    handle = archive.extractfile(info)
    if handle is None or info.size > _MAX_MANIFEST_BYTES:
        raise _unexpected(info.name)
    return handle.read()


def _unexpected(name: str) -> BackupError:
    return backup_error(
        f"备份中的成员 {name!r} 不在清单中或重复出现：此文件已被改动，未写入任何数据。",
        f"The backup member {name!r} is not in its manifest or appears twice: the file was "
        "altered; nothing was written.",
    )


def _copy_checked(
    archive: tarfile.TarFile, info: tarfile.TarInfo, expected: Member, target: Path
) -> Path:
    handle = archive.extractfile(info)
    assert handle is not None  # a regular file
    digest = hashlib.sha256()
    with target.open("wb") as out:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected.sha256 or target.stat().st_size != expected.size:
        raise _mismatch(info.name)
    return target


def _mismatch(name: str) -> BackupError:
    return backup_error(
        f"备份成员 {name!r} 的校验和与清单不符：此文件已损坏，未写入任何数据。",
        f"The checksum of backup member {name!r} does not match its manifest: the file is "
        "damaged; nothing was written.",
    )
