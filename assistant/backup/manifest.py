"""The manifest of a backup archive: what it holds, and the SHA-256 of every member.

An archive (``.tar.gz``) holds ``manifest.json`` first, then its members:

- ``blobs/<sha256>``: evidence files, named by the hash of their bytes;
- ``documents/<path>``: documents an operator ingested (``smecmm ingest``);
- ``database/<table>.jsonl``: every row of every table, one JSON object a line, engine-neutral
  (a backup of SQLite restores into PostgreSQL and the other way round). The applicants'
  session tokens, resume codes and the assessor, admin and site keys with their site-token
  secrets are rows too (``sessions``, ``resume_codes``, ``api_keys``): only their hashes,
  except the site-token secrets, which a verifier needs as given. An archive is as secret as
  the database it came from.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, ValidationError

from assistant.errors import BackupError
from assistant.knowledge.schema import StrictModel

__all__ = [
    "BLOBS",
    "DATABASE",
    "DOCUMENTS",
    "FORMAT",
    "FORMAT_VERSION",
    "MANIFEST",
    "Manifest",
    "Member",
    "backup_error",
    "check_member_name",
    "parse_manifest",
]

FORMAT = "smecmm-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BLOBS = "blobs/"
DOCUMENTS = "documents/"
DATABASE = "database/"

_SHA256 = r"^[0-9a-f]{64}$"
_SAFE_NAME = re.compile(r"\w[\w\-.]{0,254}")


def backup_error(zh: str, en: str) -> BackupError:
    return BackupError(zh, en=en)


class Member(StrictModel):
    sha256: Annotated[str, Field(pattern=_SHA256)]
    size: Annotated[int, Field(ge=0)]


class Manifest(StrictModel):
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    created_at: datetime
    program_version: str
    schema_version: int = Field(description="The session store's schema the rows follow")
    source_engine: str = Field(description="sqlite or postgresql")
    catalog_version: str | None = None
    catalog_hash: str | None = None
    index_stamp: str | None = Field(
        default=None, description="The built retrieval index's stamp: corpus hash | embedder"
    )
    index_version: int | None = Field(
        default=None, description="The shared index version the workers serve (index_stamps)"
    )
    tables: tuple[str, ...] = Field(description="database members, in the order they load")
    counts: dict[str, int]
    missing_blobs: tuple[str, ...] = Field(
        default=(), description="Evidence files the database names but the store lacked"
    )
    members: dict[str, Member]

    def table_member(self, table: str) -> str:
        return f"{DATABASE}{table}.jsonl"


def parse_manifest(raw: bytes) -> Manifest:
    """The manifest, after its format and version were checked (so that a newer archive is
    refused for its version, not for a field this program does not know)."""
    try:
        data: Any = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise backup_error(
            f"{MANIFEST} 不是 smecmm 备份清单：此文件不是本程序生成的备份，未写入任何数据。",
            f"{MANIFEST} is not a smecmm backup manifest: this file is not a backup made by "
            "this program; nothing was written.",
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise backup_error(
            f"备份格式版本为 {version!r}，本程序只能恢复第 {FORMAT_VERSION} 版：请使用生成它的"
            "程序版本恢复；未写入任何数据。",
            f"The backup's format version is {version!r}; this program restores version "
            f"{FORMAT_VERSION} only: restore it with the program version that made it; nothing "
            "was written.",
        )
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as error:
        raise backup_error(
            f"备份清单不完整或已损坏（{_first(error)}），未写入任何数据。",
            f"The backup manifest is incomplete or damaged ({_first(error)}); nothing was written.",
        ) from None
    for name in manifest.members:
        check_member_name(name)
    return manifest


def _first(error: ValidationError) -> str:
    first = error.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"


def check_member_name(name: str) -> str:
    """A member name this program writes: one of its folders, then a plain file name (so no
    ``..``, no absolute path, no control characters); refused otherwise."""
    folder, _, file_name = name.partition("/")
    if f"{folder}/" not in (BLOBS, DOCUMENTS, DATABASE) or not _SAFE_NAME.fullmatch(file_name):
        raise backup_error(
            f"备份中有不认识的成员 {name!r}：此文件不是本程序生成的备份，或已被改动；"
            "未写入任何数据。",
            f"The backup holds an unknown member {name!r}: it was not made by this program, or "
            "it was altered; nothing was written.",
        )
    return name
