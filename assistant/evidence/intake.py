"""Accept or refuse an uploaded file, before a byte of it is stored.

The type is sniffed from the content, never from the name: ``%PDF-`` is a PDF; a ZIP whose
``[Content_Types].xml`` declares a Word or Excel main part is a DOCX or XLSX; PNG and JPEG by
their signatures, then decoded by Pillow; text is anything that decodes as UTF-8 or GB18030
without control characters and is not HTML, SVG or XML. A PNG named ``scan.pdf`` is accepted
as the PNG it is; a program named ``report.pdf`` is refused. The uploaded name is cleaned
for display and never used as a path.

Refusals are ``EvidenceRejected`` with a stable ``reason`` (see ``RejectReason``) and a
message in Chinese, with English beside it.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from assistant.errors import EvidenceRejected
from assistant.evidence.formats import (
    IMAGE_FORMATS,
    MEDIA_TYPES,
    SUPPORTED_EN,
    SUPPORTED_ZH,
    FileFormat,
    RejectReason,
    rejected,
)
from assistant.evidence.models import MediaType
from assistant.evidence.text import decode_text, document_text

if TYPE_CHECKING:
    from assistant.evidence.blobs import BlobStore

__all__ = [
    "MAX_MEMBERS",
    "MAX_NAME_CHARS",
    "MAX_PIXELS",
    "MAX_UNPACKED",
    "Upload",
    "accept_upload",
    "display_name",
    "receive_upload",
    "sniff",
]

MAX_UNPACKED = 128 * 1024 * 1024  # a DOCX/XLSX may unpack to this much in all
MAX_MEMBERS = 2_000
MAX_PIXELS = 50_000_000  # a long scrolling screenshot is ~25 megapixels
MAX_NAME_CHARS = 100
_MAX_RATIO = 200  # uncompressed / compressed, for ZIP members over _RATIO_FLOOR
_RATIO_FLOOR = 1024 * 1024
_CONTENT_TYPES_BYTES = 256 * 1024
_OOXML_MAIN: dict[bytes, FileFormat] = {
    b"wordprocessingml.document.main+xml": "docx",
    b"spreadsheetml.sheet.main+xml": "xlsx",
}
_SIGNATURES: tuple[tuple[bytes, FileFormat], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
)
_KNOWN_BINARIES = (  # (magic, 中文, English) for the refusal message
    (b"MZ", "Windows 可执行文件", "a Windows executable"),
    (b"\x7fELF", "可执行文件", "an executable"),
    (b"GIF8", "GIF 图片", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件，请另存为 DOCX/XLSX", "a legacy Office file"),
    (b"{\\rtf", "RTF 文件，请另存为 DOCX", "an RTF file"),
    (b"PK", "ZIP 压缩包", "a ZIP archive"),
    (b"Rar!", "RAR 压缩包", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包", "a 7z archive"),
    (b"\x1f\x8b", "gzip 压缩包", "a gzip archive"),
)
_MARKUP_START = ("<!doctype", "<html", "<?xml", "<svg", "<head", "<body", "<script", "<iframe")
_MARKUP_ANYWHERE = re.compile(r"<\s*(?:script|iframe|object|embed)\b", re.IGNORECASE)
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1a")
_DRIVE = re.compile(r"^[A-Za-z]:")


@dataclass(frozen=True)
class Upload:
    """An upload that passed every check. Nothing of it has been written anywhere yet."""

    filename: str  # sanitised, for display only
    format: FileFormat
    media_type: MediaType
    sha256: str
    text: str  # extracted text; empty for images and scans
    title: str | None  # the title the document declares, if any
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.format in IMAGE_FORMATS


def accept_upload(
    filename: str, data: bytes, *, max_bytes: int, max_unpacked: int = MAX_UNPACKED
) -> Upload:
    """Validate an upload: size, type from the content, structure, readability."""
    name = display_name(filename)
    _check_size(name, data, max_bytes)
    fmt = sniff(name, data, max_unpacked=max_unpacked)
    if fmt in IMAGE_FORMATS:
        _verify_image(name, data, fmt)
    document = document_text(data, fmt, label=name, max_unpacked=max_unpacked)
    return Upload(
        filename=name,
        format=fmt,
        media_type=MEDIA_TYPES[fmt],
        sha256=hashlib.sha256(data).hexdigest(),
        text=document.text,
        title=document.title,
        data=data,
    )


def receive_upload(
    filename: str,
    data: bytes,
    store: BlobStore,
    *,
    max_bytes: int,
    max_unpacked: int = MAX_UNPACKED,
) -> Upload:
    """Accept the upload, then keep its bytes in ``store``; a refused file leaves no trace."""
    upload = accept_upload(filename, data, max_bytes=max_bytes, max_unpacked=max_unpacked)
    store.put(upload.data)
    return upload


# --- the name ---------------------------------------------------------------------------------


def display_name(filename: str) -> str:
    """The name without directories, control or invisible characters, capped in length."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C")
    name = " ".join(re.sub(r"\.{2,}", ".", name).split()).lstrip(". ")
    if not name:
        return "upload"
    if len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, suffix = name.rpartition(".")
    if dot and 0 < len(suffix) <= 10:
        return stem[: MAX_NAME_CHARS - len(suffix) - 2] + "…." + suffix
    return name[: MAX_NAME_CHARS - 1] + "…"


# --- size and type ----------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def _check_size(name: str, data: bytes, max_bytes: int) -> None:
    if not data:
        raise rejected(RejectReason.EMPTY, name, "文件是空的", "the file is empty")
    if len(data) > max_bytes:
        size, limit = _megabytes(len(data)), _megabytes(max_bytes)
        raise rejected(
            RejectReason.TOO_LARGE,
            name,
            f"文件过大（{size} MB），上限为 {limit} MB",
            f"the file is too large ({size} MB); the limit is {limit} MB",
        )


def sniff(name: str, data: bytes, *, max_unpacked: int = MAX_UNPACKED) -> FileFormat:
    """The format the content has; ``EvidenceRejected`` for anything not accepted."""
    if data.lstrip(b" \t\r\n\x00")[:5] == b"%PDF-":
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_format(name, data, max_unpacked)
    for signature, fmt in _SIGNATURES:
        if data.startswith(signature):
            return fmt
    if data.startswith(b"\xd0\xcf\x11\xe0") and "EncryptedPackage".encode("utf-16-le") in data:
        raise rejected(
            RejectReason.ENCRYPTED,
            name,
            "Office 文件设置了打开密码；请上传未加密的文件",
            "the Office file is password-protected; upload an unencrypted copy",
        )
    text_format = _text_format(name, data)
    if text_format is not None:
        return text_format
    raise _unsupported(name, data)


def _unsupported(name: str, data: bytes, what: tuple[str, str] | None = None) -> Exception:
    if what is None:
        known = next((entry for entry in _KNOWN_BINARIES if data.startswith(entry[0])), None)
        what = (known[1], known[2]) if known else None
    zh, en = (f"（内容是{what[0]}）", f" (the content is {what[1]})") if what else ("", "")
    return rejected(
        RejectReason.UNSUPPORTED_TYPE,
        name,
        f"不支持的文件类型{zh}；{SUPPORTED_ZH}",
        f"unsupported file type{en}; {SUPPORTED_EN} are accepted",
    )


def _text_format(name: str, data: bytes) -> FileFormat | None:
    if b"\x00" in data:
        return None
    text = decode_text(data)
    if text is None or any(_is_control(c) for c in text):
        return None
    head = text.lstrip("\ufeff \t\n").lower()
    if head.startswith(_MARKUP_START) or _MARKUP_ANYWHERE.search(text):
        raise _unsupported(name, data, ("HTML/XML 网页或标记文件", "HTML/XML markup"))
    return "markdown" if name.lower().endswith((".md", ".markdown")) else "text"


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS


# --- DOCX and XLSX ----------------------------------------------------------------------------


def _zip_format(name: str, data: bytes, max_unpacked: int) -> FileFormat:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(name, members, max_unpacked)
            types = _content_types(archive)
    except EvidenceRejected:
        raise
    except Exception as exc:  # zipfile fed hostile bytes fails in many ways (zlib, struct, …)
        raise _corrupt(name, "ZIP/Office", exc) from exc
    for marker, fmt in _OOXML_MAIN.items():
        if marker in types:
            return fmt
    raise _unsupported(name, data)


def _check_members(name: str, members: list[zipfile.ZipInfo], max_unpacked: int) -> None:
    if len(members) > MAX_MEMBERS:
        raise _bomb(name, f"包含 {len(members)} 个文件", f"it holds {len(members)} files")
    for member in members:
        if _unsafe_path(member.filename):
            raise rejected(
                RejectReason.ZIP_BOMB,
                name,
                f"压缩包内含不安全的路径 {member.filename!r}，已拒绝",
                f"refused: the archive holds the unsafe path {member.filename!r}",
            )
        if member.flag_bits & 0x1:
            raise rejected(
                RejectReason.ENCRYPTED,
                name,
                "文件内容已加密；请上传未加密的文件",
                "the content is encrypted; upload an unencrypted copy",
            )
        if member.file_size > _RATIO_FLOOR and member.file_size > _MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise _bomb(
                name,
                f"其中 {member.filename!r} 压缩比异常（{member.compress_size} 字节解压为 "
                f"{member.file_size} 字节）",
                f"{member.filename!r} inflates from {member.compress_size} to "
                f"{member.file_size} bytes",
            )
    total = sum(member.file_size for member in members)
    if total > max_unpacked:
        raise _bomb(
            name,
            f"解压后共 {total} 字节（上限 {max_unpacked} 字节）",
            f"it unpacks to {total} bytes (limit {max_unpacked})",
        )


def _unsafe_path(path: str) -> bool:
    parts = path.replace("\\", "/").split("/")
    return path.startswith(("/", "\\")) or bool(_DRIVE.match(path)) or ".." in parts


def _content_types(archive: zipfile.ZipFile) -> bytes:
    try:
        member = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return b""
    with archive.open(member) as handle:  # reads no more than the bytes asked for
        return handle.read(_CONTENT_TYPES_BYTES)


def _bomb(name: str, zh: str, en: str) -> Exception:
    return rejected(
        RejectReason.ZIP_BOMB,
        name,
        f"{zh}，疑似压缩炸弹，已拒绝",
        f"{en}: refused as a possible zip bomb",
    )


def _corrupt(name: str, kind: str, exc: Exception) -> Exception:
    return rejected(
        RejectReason.CORRUPT,
        name,
        f"{kind} 文件已损坏或无法解析（{type(exc).__name__}）",
        f"corrupt or unreadable {kind} file ({type(exc).__name__}: {exc})",
    )


# --- images -----------------------------------------------------------------------------------


def _verify_image(name: str, data: bytes, fmt: FileFormat) -> None:
    """Decode the image fully (JPEG at 1/8 scale), refusing decompression bombs."""
    from PIL import Image

    pillow_format = "PNG" if fmt == "png" else "JPEG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                _check_pixels(name, *image.size)
                image.verify()
            with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
                image.draft("RGB", (max(image.width // 8, 1), max(image.height // 8, 1)))
                image.load()
    except EvidenceRejected:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise _image_bomb(name, None) from exc
    except Exception as exc:  # a decoder fed hostile bytes can fail in any way
        raise _corrupt(name, pillow_format, exc) from exc


def _check_pixels(name: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        raise _image_bomb(name, (width, height))


def _image_bomb(name: str, size: tuple[int, int] | None) -> Exception:
    detail = f"{size[0]} x {size[1]}，" if size else ""
    return rejected(
        RejectReason.ZIP_BOMB,
        name,
        f"图片像素过多（{detail}上限 {MAX_PIXELS} 像素），疑似解压炸弹，已拒绝",
        f"the image has too many pixels ({detail.rstrip('，')}{'; ' if size else ''}limit "
        f"{MAX_PIXELS}): refused as a possible decompression bomb",
    )
