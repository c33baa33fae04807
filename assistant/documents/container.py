"""The ZIP around a DOCX or XLSX, checked before any member is read.

Refused: too many members, a member path that climbs out (``..``, ``/etc``, ``C:``), an
encrypted member, a member that inflates absurdly (ratio over 200 for members over 1 MB),
more unpacked bytes than allowed in all (sizes as declared: zipfile never reads past them).
The kind comes from the main part that ``[Content_Types].xml`` declares.
"""

from __future__ import annotations

import io
import re
import zipfile

from assistant.documents.limits import Limits
from assistant.documents.policy import Format, Policy
from assistant.documents.refusal import DocumentRefused, Reason, bomb, corrupt, encrypted

__all__ = ["open_office", "unsafe_path"]

_MAX_RATIO = 200  # uncompressed / compressed, for members over _RATIO_FLOOR
_RATIO_FLOOR = 1024 * 1024
_CONTENT_TYPES_BYTES = 256 * 1024
_OOXML_MAIN: dict[bytes, Format] = {
    b"wordprocessingml.document.main+xml": "docx",
    b"spreadsheetml.sheet.main+xml": "xlsx",
}
_NAMES: dict[Format, tuple[str, str]] = {
    "docx": ("Word（DOCX）文档", "a Word (DOCX) document"),
    "xlsx": ("Excel（XLSX）表格", "an Excel (XLSX) workbook"),
}
_DRIVE = re.compile(r"^[A-Za-z]:")


def open_office(data: bytes, limits: Limits, policy: Policy) -> tuple[zipfile.ZipFile, Format]:
    """The checked archive (the caller closes it) and whether it is a DOCX or an XLSX."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # zipfile fed hostile bytes fails in many ways (zlib, struct, …)
        raise corrupt("ZIP/Office", exc) from exc
    try:
        _check_members(archive.infolist(), limits)
        fmt = _main_format(_content_types(archive))
    except DocumentRefused:
        archive.close()
        raise
    except MemoryError:  # the child answers that it ran out
        raise
    except Exception as exc:  # as above
        archive.close()
        raise corrupt("ZIP/Office", exc) from exc
    if fmt is None or fmt not in policy.formats:
        archive.close()
        raise _not_office(fmt, policy)
    return archive, fmt


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.max_members:
        raise bomb(f"包含 {len(members)} 个文件", f"it holds {len(members)} files")
    for member in members:
        if unsafe_path(member.filename):
            raise DocumentRefused(
                Reason.ZIP_BOMB,
                f"压缩包内含不安全的路径 {member.filename!r}，已拒绝",
                f"refused: the archive holds the unsafe path {member.filename!r}",
            )
        if member.flag_bits & 0x1:
            raise encrypted(
                "文件内容已加密；请提供未加密的文件",
                "the content is encrypted; supply an unencrypted copy",
            )
        if member.file_size > _RATIO_FLOOR and member.file_size > _MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise bomb(
                f"其中 {member.filename!r} 压缩比异常（{member.compress_size} 字节解压为 "
                f"{member.file_size} 字节）",
                f"{member.filename!r} inflates from {member.compress_size} to "
                f"{member.file_size} bytes",
            )
    total = sum(member.file_size for member in members)
    if total > limits.max_unpacked:
        raise bomb(
            f"解压后共 {total} 字节（上限 {limits.max_unpacked} 字节）",
            f"it unpacks to {total} bytes (limit {limits.max_unpacked})",
        )


def unsafe_path(path: str) -> bool:
    """A member name that would land outside the folder it is unpacked into."""
    parts = path.replace("\\", "/").split("/")
    return path.startswith(("/", "\\")) or bool(_DRIVE.match(path)) or ".." in parts


def _content_types(archive: zipfile.ZipFile) -> bytes:
    try:
        member = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return b""
    with archive.open(member) as handle:  # reads no more than the bytes asked for
        return handle.read(_CONTENT_TYPES_BYTES)


def _main_format(types: bytes) -> Format | None:
    return next((fmt for marker, fmt in _OOXML_MAIN.items() if marker in types), None)


def _not_office(fmt: Format | None, policy: Policy) -> DocumentRefused:
    if fmt is not None:
        what = _NAMES[fmt]
    else:
        wanted = sorted(policy.office_formats)
        what = (
            f"ZIP 压缩包，但不是 {' 或 '.join(f.upper() for f in wanted)} 文档",
            f"a ZIP archive but not a {' or '.join(f.upper() for f in wanted)} document",
        )
    return DocumentRefused(
        Reason.UNSUPPORTED_TYPE,
        f"不支持的文件类型（内容是{what[0]}）；{policy.supported_zh}",
        f"unsupported file type (the content is {what[1]}); {policy.supported_en}",
    )
