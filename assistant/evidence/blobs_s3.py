"""Evidence blobs in an S3-compatible object store (DESIGN §9: every worker sees every file).

Objects are keyed as the files are laid out, ``<prefix>ab/cd/<sha256>``. S3 stores an object
whole or not at all, and ``Content-MD5`` makes the store refuse bytes damaged on the way, so a
reader never sees half a blob. Putting bytes that are already there copies the object onto
itself, which renews its time as ``os.utime`` renews a file's: the pruner leaves it alone.

Every call is bounded (connect and read timeouts, a few attempts with backoff). A store that
does not answer in time raises ``StorageUnavailable`` (HTTP 503; nothing was saved); one that
refuses the bucket or the credentials raises ``ConfigurationError`` naming the settings.
boto3 is imported only when an ``s3://`` store is opened.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from assistant.errors import ConfigurationError, StorageUnavailable
from assistant.evidence.blobs import BlobStore, blob_path

__all__ = ["S3BlobStore", "S3Options", "open_s3_store", "parse_s3_url", "s3_client"]

log = logging.getLogger(__name__)

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_MISSING = frozenset({"404", "NoSuchKey", "NotFound"})
# The store answered, and refused us: a wrong bucket, key or region, not a passing outage.
_REFUSED = frozenset(
    {
        "301",
        "403",
        "AccessDenied",
        "AllAccessDisabled",
        "AuthorizationHeaderMalformed",
        "InvalidAccessKeyId",
        "InvalidBucketName",
        "NoSuchBucket",
        "PermanentRedirect",
        "SignatureDoesNotMatch",
    }
)
_STAMP_RESOLUTION_S = 1.0  # S3 keeps an object's time in whole seconds


@dataclass(frozen=True, slots=True)
class S3Options:
    """How to reach the store; empty strings leave the choice to boto3 (AWS_* variables)."""

    endpoint_url: str = ""
    region: str = ""
    access_key_id: str = ""
    secret_access_key: str = field(default="", repr=False)
    addressing_style: str = ""  # "path", "virtual"; empty: path with an endpoint URL
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    max_attempts: int = 3  # in all, the first one included


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` → ("bucket", "some/prefix/")."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not _BUCKET.match(parts.netloc):
        raise ConfigurationError(
            f"证据存储地址 {url!r} 无效：应为 s3://存储桶/前缀（环境变量 SMECMM_BLOB_URL）。",
            en=f"Invalid evidence store URL {url!r}: use s3://bucket/prefix "
            "(environment variable SMECMM_BLOB_URL).",
        )
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


@lru_cache(maxsize=8)
def s3_client(options: S3Options) -> Any:
    """A boto3 S3 client (thread-safe; made once per options: making one takes a while)."""
    try:
        import boto3
        from botocore.config import Config
    except ImportError:  # pragma: no cover - boto3 is a declared dependency
        raise ConfigurationError(
            "使用 S3 证据存储需要 boto3：pip install boto3",
            en="An S3 evidence store needs boto3: pip install boto3",
        ) from None
    style = options.addressing_style or ("path" if options.endpoint_url else "auto")
    config = Config(
        connect_timeout=options.connect_timeout,
        read_timeout=options.read_timeout,
        retries={"max_attempts": options.max_attempts, "mode": "standard"},
        s3={"addressing_style": style},
        # Many S3-compatible stores reject the newer default checksums; Content-MD5 is sent.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    return boto3.session.Session().client(
        "s3",
        endpoint_url=options.endpoint_url or None,
        region_name=options.region or None,
        aws_access_key_id=options.access_key_id or None,
        aws_secret_access_key=options.secret_access_key or None,
        config=config,
    )


def open_s3_store(url: str, options: S3Options) -> S3BlobStore:
    bucket, prefix = parse_s3_url(url)
    return S3BlobStore(s3_client(options), bucket, prefix)


class S3BlobStore(BlobStore):
    """Blobs as objects ``<prefix>ab/cd/<sha256>`` of one bucket, through a boto3 S3 client."""

    def __init__(self, client: Any, bucket: str, prefix: str = "") -> None:
        self._client = client
        self.bucket = bucket
        self.prefix = prefix

    def key(self, sha256: str) -> str:
        return self.prefix + blob_path(sha256)

    def _save(self, sha256: str, data: bytes) -> None:
        key = self.key(sha256)
        with self._calls("save"):
            if self._head(key) is not None and self._renew(key):
                return
            digest = hashlib.md5(data, usedforsecurity=False).digest()
            self._client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentMD5=base64.b64encode(digest).decode("ascii"),
                ContentType="application/octet-stream",
            )

    def _renew(self, key: str) -> bool:
        """Copy the object onto itself (a new time); False when it went in the meantime."""
        try:
            self._client.copy_object(
                Bucket=self.bucket,
                Key=key,
                CopySource={"Bucket": self.bucket, "Key": key},
                MetadataDirective="REPLACE",
                ContentType="application/octet-stream",
            )
        except Exception as error:
            if _code(error) in _MISSING:
                return False
            raise
        return True

    def _load(self, sha256: str) -> bytes | None:
        with self._calls("read"):
            try:
                answer = self._client.get_object(Bucket=self.bucket, Key=self.key(sha256))
            except Exception as error:
                if _code(error) in _MISSING:
                    return None
                raise
            with answer["Body"] as body:
                data: bytes = body.read()
        if hashlib.sha256(data).hexdigest() != sha256:  # a truncated or altered object
            raise self._unavailable("read", "content does not match its SHA-256")
        return data

    def exists(self, sha256: str) -> bool:
        with self._calls("read"):
            return self._head(self.key(sha256)) is not None

    def _remove(self, sha256: str, unless_put_since: float | None) -> bool:
        key = self.key(sha256)
        with self._calls("remove"):
            put_at = self._head(key)
            if put_at is None:
                return False
            if unless_put_since is not None and (
                put_at.timestamp() + _STAMP_RESOLUTION_S > unless_put_since
            ):
                return False
            self._client.delete_object(Bucket=self.bucket, Key=key)
        return True

    def _head(self, key: str) -> datetime | None:
        """When the object was last put, or None when there is none."""
        try:
            answer = self._client.head_object(Bucket=self.bucket, Key=key)
        except Exception as error:
            if _code(error) in _MISSING:
                return None
            raise
        put_at: datetime = answer["LastModified"]
        return put_at

    @contextmanager
    def _calls(self, action: str) -> Iterator[None]:
        """Translate boto3's failures into the project's errors."""
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        try:
            yield
        except NoCredentialsError as error:
            raise self._refused("NoCredentials") from error
        except ClientError as error:
            code = _code(error)
            if code in _REFUSED:
                raise self._refused(code) from error
            raise self._unavailable(action, code) from error
        except BotoCoreError as error:
            raise self._unavailable(action, type(error).__name__) from error

    def _refused(self, code: str) -> ConfigurationError:
        where = f"s3://{self.bucket}/{self.prefix}"
        return ConfigurationError(
            f"证据存储 {where!r} 拒绝访问（{code}）：请检查 SMECMM_BLOB_URL 的存储桶、"
            "SMECMM_S3_ENDPOINT_URL、SMECMM_S3_REGION 与访问凭据。",
            en=f"The evidence store {where!r} refused access ({code}): check the bucket in "
            "SMECMM_BLOB_URL, SMECMM_S3_ENDPOINT_URL, SMECMM_S3_REGION and the credentials.",
        )

    def _unavailable(self, action: str, reason: str) -> StorageUnavailable:
        log.warning("evidence store s3://%s: %s failed: %s", self.bucket, action, reason)
        if action == "save":
            zh, en = "本次上传未保存", "this upload was not saved"
        else:
            zh, en = "未做任何改动", "nothing was changed"
        return StorageUnavailable(
            f"证据存储暂时无法访问，{zh}，请稍后重试。",
            en=f"The evidence store cannot be reached right now; {en}. Try again shortly.",
        )


def _code(error: Exception) -> str:
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return ""
    return str(response.get("Error", {}).get("Code", ""))
