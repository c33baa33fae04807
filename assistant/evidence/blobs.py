"""Evidence bytes kept by content hash (DESIGN §9): the same file is stored once.

A blob's only name is the SHA-256 of its bytes; the uploaded file name never reaches the
file system. ``FileBlobStore`` lays blobs out as ``root/ab/cd/<sha256>`` and writes each one
to a temporary file in the same directory first, then renames it into place, so a reader
never sees half a blob and a crash leaves at most a stray temporary file. ``S3BlobStore``
(``blobs_s3``) keeps the same layout as object keys in a bucket that every worker shares;
``open_blob_store`` picks the backend from ``SMECMM_BLOB_URL``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from urllib.parse import unquote, urlsplit

from assistant.errors import ConfigurationError

if TYPE_CHECKING:
    from assistant.evidence.blobs_s3 import S3Options

__all__ = ["BlobStore", "FileBlobStore", "MemoryBlobStore", "blob_path", "open_blob_store"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TEMP_PREFIX = ".tmp-"


def _checked(sha256: str) -> str:
    if not _SHA256.match(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


def blob_path(sha256: str) -> str:
    """Where a blob goes under its store's root: ``ab/cd/<sha256>``."""
    _checked(sha256)
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


def open_blob_store(url: str, *, default_root: Path, s3: S3Options | None = None) -> BlobStore:
    """Empty: files under ``default_root``; ``file:///path``: files there; ``s3://bucket/prefix``:
    objects in that bucket, reached with ``s3`` (``S3Options``)."""
    if not url:
        return FileBlobStore(default_root)
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.netloc in ("", "localhost") and parts.path:
        return FileBlobStore(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        from assistant.evidence.blobs_s3 import S3Options, open_s3_store

        return open_s3_store(url, s3 or S3Options())
    raise ConfigurationError(
        f"不支持的证据存储地址 {url!r}：请使用 s3://存储桶/前缀 或 file:///目录"
        "（环境变量 SMECMM_BLOB_URL），或留空以使用数据目录。",
        en=f"Unsupported evidence store URL {url!r}: use s3://bucket/prefix or file:///directory "
        "(environment variable SMECMM_BLOB_URL), or leave it unset to use the data directory.",
    )


class BlobStore(ABC):
    """Bytes by their SHA-256. ``put`` is idempotent; ``read`` of an unknown hash: KeyError."""

    @abstractmethod
    def _save(self, sha256: str, data: bytes) -> None:
        """Keep ``data`` under ``sha256`` unless it is already there."""

    @abstractmethod
    def _load(self, sha256: str) -> bytes | None: ...

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its SHA-256 (hex)."""
        sha256 = hashlib.sha256(data).hexdigest()
        self._save(sha256, data)
        return sha256

    def read(self, sha256: str) -> bytes:
        data = self._load(_checked(sha256))
        if data is None:
            raise KeyError(sha256)
        return data

    def open(self, sha256: str) -> BinaryIO:
        """A readable binary stream of the blob (for downloads)."""
        return io.BytesIO(self.read(sha256))

    def exists(self, sha256: str) -> bool:
        return self._load(_checked(sha256)) is not None

    def remove(self, sha256: str, *, unless_put_since: float | None = None) -> bool:
        """Delete the blob (pruning: no session names it any more); False when it was not
        there, or was put again at or after ``unless_put_since`` (POSIX seconds), as an
        upload of the same bytes racing the pruner would."""
        return self._remove(_checked(sha256), unless_put_since)

    @abstractmethod
    def _remove(self, sha256: str, unless_put_since: float | None) -> bool: ...


class FileBlobStore(BlobStore):
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / blob_path(sha256)

    def _save(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if target.is_file():
            with contextlib.suppress(FileNotFoundError):
                os.utime(target)  # put again: the pruner must not remove it now
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=target.parent)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise

    def _load(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise KeyError(sha256) from None

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def _remove(self, sha256: str, unless_put_since: float | None) -> bool:
        target = self.path(sha256)
        try:
            if unless_put_since is not None and target.stat().st_mtime >= unless_put_since:
                return False
            target.unlink()
        except FileNotFoundError:
            return False
        return True


class MemoryBlobStore(BlobStore):
    """A dict-backed store for tests and for running without a disk."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def _save(self, sha256: str, data: bytes) -> None:
        self.blobs.setdefault(sha256, data)

    def _load(self, sha256: str) -> bytes | None:
        return self.blobs.get(sha256)

    def _remove(self, sha256: str, unless_put_since: float | None) -> bool:
        return self.blobs.pop(sha256, None) is not None
