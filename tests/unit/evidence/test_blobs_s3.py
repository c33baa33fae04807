"""The S3 evidence store on a real S3 API (moto's server on loopback): layout, renewal on a
second put, the pruner's guard, and failures that name the fix or say to retry."""

from __future__ import annotations

import hashlib
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import ConfigurationError, StorageUnavailable
from assistant.evidence.blobs import FileBlobStore, open_blob_store
from assistant.evidence.blobs_s3 import S3BlobStore, S3Options, open_s3_store, parse_s3_url
from assistant.interview.runtime import open_blobs
from assistant.settings import Settings
from tests.utils.s3 import S3Server

DATA = "服务台账 2025".encode()
DIGEST = hashlib.sha256(DATA).hexdigest()


class Recording:
    """The real client, with the names of the calls made through it."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        return getattr(self.client, name)


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    return s3_server.make_bucket()


def keys(server: S3Server, bucket: str) -> list[str]:
    listed = server.client().list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def test_blobs_are_objects_under_the_prefix_laid_out_by_hash(
    s3_server: S3Server, bucket: str
) -> None:
    store = open_s3_store(f"s3://{bucket}/var/evidence/", s3_server.options())
    store.put(DATA)
    assert keys(s3_server, bucket) == [f"var/evidence/{DIGEST[:2]}/{DIGEST[2:4]}/{DIGEST}"]
    stored = s3_server.client().get_object(Bucket=bucket, Key=store.key(DIGEST))
    assert stored["Body"].read() == DATA


def test_putting_again_renews_the_object_instead_of_sending_the_bytes(
    s3_server: S3Server, bucket: str
) -> None:
    recording = Recording(s3_server.client())
    store = S3BlobStore(recording, bucket, "e/")
    store.put(DATA)
    first = [call for call in recording.calls if call != "head_object"]
    recording.calls.clear()
    store.put(DATA)
    assert first == ["put_object"]
    assert [call for call in recording.calls if call != "head_object"] == ["copy_object"]
    assert store.read(DIGEST) == DATA and len(keys(s3_server, bucket)) == 1


def test_remove_leaves_a_blob_put_since_the_guard(s3_server: S3Server, bucket: str) -> None:
    store = open_s3_store(f"s3://{bucket}", s3_server.options())
    store.put(DATA)
    assert store.remove(DIGEST, unless_put_since=time.time() - 3600) is False  # put lately
    assert store.exists(DIGEST)
    assert store.remove(DIGEST, unless_put_since=time.time() + 3600) is True
    assert not store.exists(DIGEST)


def test_an_object_altered_in_the_bucket_is_not_served(s3_server: S3Server, bucket: str) -> None:
    store = open_s3_store(f"s3://{bucket}/p", s3_server.options())
    store.put(DATA)
    s3_server.client().put_object(Bucket=bucket, Key=store.key(DIGEST), Body=DATA[:5])
    with pytest.raises(StorageUnavailable):
        store.read(DIGEST)


def test_a_missing_bucket_names_the_settings_to_fix(s3_server: S3Server) -> None:
    store = open_s3_store("s3://no-such-bucket-here/e", s3_server.options())
    with pytest.raises(ConfigurationError) as raised:
        store.put(DATA)
    assert "SMECMM_BLOB_URL" in str(raised.value)
    assert "no-such-bucket-here" in raised.value.message("en")


@pytest.fixture
def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A loopback port that accepts connections and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def _options(port: int) -> S3Options:
    return S3Options(
        endpoint_url=f"http://127.0.0.1:{port}",
        region="us-east-1",
        access_key_id="k",
        secret_access_key="s",
        connect_timeout=0.3,
        read_timeout=0.3,
        max_attempts=2,
    )


@pytest.mark.parametrize("where", ["closed", "silent"])
def test_a_store_that_does_not_answer_is_unavailable_within_the_bounds(
    where: str, request: pytest.FixtureRequest
) -> None:
    port = request.getfixturevalue(f"{where}_port")
    store = open_s3_store("s3://evidence-bucket/e", _options(port))
    with pytest.raises(StorageUnavailable) as saving:
        store.put(DATA)
    with pytest.raises(StorageUnavailable) as reading:
        store.read(DIGEST)
    assert "未保存" in str(saving.value) and "not saved" in saving.value.message("en")
    assert "稍后重试" in str(reading.value) and "Try again" in reading.value.message("en")


def test_the_store_comes_back_after_an_outage(s3_server: S3Server) -> None:
    """An upload during the outage fails whole; after it, puts and reads work again."""
    bucket = s3_server.make_bucket()
    store = open_s3_store(f"s3://{bucket}/e", s3_server.options(read_timeout=1.0))
    s3_server.stop()
    try:
        with pytest.raises(StorageUnavailable):
            store.put(DATA)
    finally:
        s3_server.start()  # same port, empty: moto keeps nothing
    s3_server.client().create_bucket(Bucket=bucket)
    assert not store.exists(DIGEST)
    assert store.put(DATA) == DIGEST and store.read(DIGEST) == DATA


@pytest.mark.parametrize(
    ("url", "bucket", "prefix"),
    [
        ("s3://evidence", "evidence", ""),
        ("s3://evidence/", "evidence", ""),
        ("s3://my.evidence-1/a/b/", "my.evidence-1", "a/b/"),
    ],
)
def test_s3_urls(url: str, bucket: str, prefix: str) -> None:
    assert parse_s3_url(url) == (bucket, prefix)


@pytest.mark.parametrize("url", ["s3://", "s3://Evidence/x", "s3://a/x", "s3://bad_name/x"])
def test_a_bad_s3_url_is_refused_with_the_setting_named(url: str) -> None:
    with pytest.raises(ConfigurationError, match="SMECMM_BLOB_URL"):
        parse_s3_url(url)


def test_the_store_is_chosen_from_the_url(tmp_path: Path, s3_server: S3Server) -> None:
    default = open_blob_store("", default_root=tmp_path / "d")
    elsewhere = open_blob_store(f"file://{tmp_path}/other", default_root=tmp_path / "d")
    bucket = s3_server.make_bucket()
    shared = open_blob_store(f"s3://{bucket}/x", default_root=tmp_path, s3=s3_server.options())
    assert isinstance(default, FileBlobStore) and default.root == tmp_path / "d"
    assert isinstance(elsewhere, FileBlobStore) and elsewhere.root == tmp_path / "other"
    assert isinstance(shared, S3BlobStore) and (shared.bucket, shared.prefix) == (bucket, "x/")
    with pytest.raises(ConfigurationError, match="SMECMM_BLOB_URL"):
        open_blob_store("ftp://host/evidence", default_root=tmp_path)


def test_the_settings_reach_the_store(
    tmp_path: Path, s3_server: S3Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = s3_server.make_bucket()
    for name, value in s3_server.env(bucket, "ev").items():
        monkeypatch.setenv(name, value)
    store = open_blobs(Settings(data_dir=tmp_path))
    assert isinstance(store, S3BlobStore) and store.prefix == "ev/"
    store.put(DATA)
    assert keys(s3_server, bucket) == [f"ev/{DIGEST[:2]}/{DIGEST[2:4]}/{DIGEST}"]


def test_a_blob_url_of_another_scheme_is_refused_by_the_settings(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="s3://"):
        Settings(data_dir=tmp_path, blob_url="http://example.com/bucket")
