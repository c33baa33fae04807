"""Blobs by content hash: idempotent, atomic, and never named after the upload."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.evidence.blobs import BlobStore, FileBlobStore, MemoryBlobStore
from assistant.evidence.blobs_s3 import open_s3_store
from tests.utils.s3 import S3Server

DATA = "服务台账 2025".encode()
DIGEST = hashlib.sha256(DATA).hexdigest()


def files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture(params=["file", "memory", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    """Each contract test runs on the three backends; s3 is a real S3 API (moto on loopback)."""
    if request.param == "s3":
        server: S3Server = request.getfixturevalue("s3_server")
        return open_s3_store(f"s3://{server.make_bucket()}/evidence", server.options())
    return FileBlobStore(tmp_path) if request.param == "file" else MemoryBlobStore()


def test_put_returns_the_sha256_and_read_gives_the_bytes_back(store: BlobStore) -> None:
    assert store.put(DATA) == DIGEST
    assert store.read(DIGEST) == DATA
    with store.open(DIGEST) as handle:
        assert handle.read() == DATA
    assert store.exists(DIGEST)


def test_an_unknown_hash_is_a_key_error(store: BlobStore) -> None:
    missing = "0" * 64
    assert not store.exists(missing)
    with pytest.raises(KeyError):
        store.read(missing)
    with pytest.raises(KeyError):
        store.open(missing)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", "g" * 64, DIGEST.upper(), ""])
def test_only_hex_digests_are_accepted(store: BlobStore, bad: str) -> None:
    with pytest.raises(ValueError, match="SHA-256"):
        store.read(bad)
    with pytest.raises(ValueError, match="SHA-256"):
        store.exists(bad)


def test_putting_twice_keeps_one_copy_and_remove_takes_it(store: BlobStore) -> None:
    assert store.put(DATA) == store.put(DATA) == DIGEST
    other = store.put(b"another file")
    assert store.remove(DIGEST) is True
    assert not store.exists(DIGEST) and store.exists(other)
    assert store.remove(DIGEST) is False  # already gone
    with pytest.raises(KeyError):
        store.read(DIGEST)
    with pytest.raises(ValueError, match="SHA-256"):
        store.remove("../" + DIGEST)


def test_files_are_laid_out_by_hash(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    store.put(DATA)
    assert files(tmp_path) == [tmp_path / DIGEST[:2] / DIGEST[2:4] / DIGEST]


def test_putting_the_same_content_twice_keeps_one_file(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    store.put(DATA)
    first = (tmp_path / DIGEST[:2] / DIGEST[2:4] / DIGEST).stat()
    assert store.put(DATA) == DIGEST
    assert len(files(tmp_path)) == 1
    again = (tmp_path / DIGEST[:2] / DIGEST[2:4] / DIGEST).stat()
    assert again.st_ino == first.st_ino  # not written again; only its time is refreshed
    assert again.st_mtime_ns >= first.st_mtime_ns


def test_remove_deletes_a_blob_unless_it_was_put_again_lately(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    path = tmp_path / DIGEST[:2] / DIGEST[2:4] / DIGEST
    store.put(DATA)
    os.utime(path, (1_000_000, 1_000_000))  # put long ago

    assert store.remove(DIGEST, unless_put_since=2_000_000) is True
    assert not store.exists(DIGEST)
    assert store.remove(DIGEST) is False  # already gone
    store.put(DATA)  # put just now
    assert store.remove(DIGEST, unless_put_since=2_000_000) is False
    assert store.exists(DIGEST)
    store.put(DATA)
    os.utime(path, (1_000_000, 1_000_000))
    store.put(DATA)  # put again: the pruner must leave it
    assert store.remove(DIGEST, unless_put_since=2_000_000) is False


def test_the_memory_store_removes_too() -> None:
    store = MemoryBlobStore()
    digest = store.put(DATA)
    assert store.remove(digest) is True and not store.exists(digest)
    assert store.remove(digest) is False


def test_different_content_gets_different_files(tmp_path: Path) -> None:
    store = FileBlobStore(tmp_path)
    assert store.put(b"a") != store.put(b"b")
    assert len(files(tmp_path)) == 2


def _failing(where: str) -> Callable[..., None]:
    def fail(*args: object) -> None:
        raise OSError(28, f"No space left on device ({where})")

    return fail


def test_a_failed_write_leaves_neither_the_blob_nor_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = FileBlobStore(tmp_path)
    monkeypatch.setattr(os, "replace", _failing("rename"))
    with pytest.raises(OSError, match="No space"):
        store.put(DATA)
    assert files(tmp_path) == []
    assert not store.exists(DIGEST)


def test_a_reader_never_sees_a_partial_blob(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the bytes are being written the final name does not exist yet."""
    store = FileBlobStore(tmp_path)
    seen: list[bool] = []
    real_fsync = os.fsync

    def spy(descriptor: int) -> None:
        seen.append(store.exists(DIGEST))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", spy)
    store.put(DATA)
    assert seen == [False]
    assert store.read(DIGEST) == DATA


def test_memory_store_keeps_the_first_copy() -> None:
    store = MemoryBlobStore()
    store.put(DATA)
    store.put(DATA)
    assert list(store.blobs) == [DIGEST]
