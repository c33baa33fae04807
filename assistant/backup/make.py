"""``smecmm backup``: one archive of the database, the evidence files and the documents.

The database is read in one consistent snapshot: SQLite is first copied with the ``sqlite3``
backup API (the live file keeps serving while it runs), PostgreSQL is read in one
REPEATABLE READ, read-only transaction. Evidence files are read through the ``BlobStore``
interface, so any backend (files, S3) is backed up the same way; only the files the
database names are kept.
"""

from __future__ import annotations

import contextlib
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from assistant import __version__
from assistant.backup.archive import file_member, write_archive
from assistant.backup.manifest import BLOBS, DATABASE, DOCUMENTS, Manifest, backup_error
from assistant.backup.tables import BACKED_UP, dump_table
from assistant.evidence.blobs import BlobStore
from assistant.knowledge.schema import Catalog
from assistant.storage.engine import (
    ensure_schema,
    make_engine,
    parse_url,
    redacted,
    transaction_options,
)
from assistant.storage.sql_stamps import read_index_stamp
from assistant.storage.tables import SCHEMA_VERSION, evidence, schema_version

__all__ = ["BackupReport", "BackupSource", "create_backup", "document_files"]


@dataclass(frozen=True)
class BackupSource:
    database_url: str
    blobs: BlobStore
    documents_dir: Path
    catalog: Catalog | None = None
    index_stamp: str | None = None  # the built retrieval index's stamp, when there is one


@dataclass(frozen=True)
class BackupReport:
    path: Path
    manifest: Manifest


def create_backup(target: Path, source: BackupSource, *, now: datetime) -> BackupReport:
    """Write the archive ``target`` (refused when it exists); returns what it holds."""
    if target.exists():
        raise backup_error(
            f"{str(target)!r} 已存在：请另选文件名，备份不会覆盖已有文件。",
            f"{str(target)!r} already exists: choose another name; a backup never overwrites "
            "a file.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".smecmm-backup-", dir=target.parent) as work:
        staged = Path(work)
        files: dict[str, Path] = {}
        with _snapshot(source.database_url, staged) as (conn, engine_name):
            counts = _dump(conn, staged, files)
            sha256s = sorted(set(conn.scalars(sa.select(evidence.c.sha256).distinct())))
            shared = read_index_stamp(conn)
        missing = _stage_blobs(source.blobs, sha256s, staged, files)
        counts["blobs"] = len(sha256s) - len(missing)
        counts["documents"] = _stage_documents(source.documents_dir, staged, files)
        manifest = Manifest(
            created_at=now,
            program_version=__version__,
            schema_version=SCHEMA_VERSION,
            source_engine=engine_name,
            catalog_version=source.catalog.version if source.catalog else None,
            catalog_hash=source.catalog.content_hash if source.catalog else None,
            index_stamp=source.index_stamp,
            index_version=shared.version if shared else None,
            tables=tuple(t.name for t in BACKED_UP),
            counts=counts,
            missing_blobs=tuple(missing),
            members={name: file_member(path) for name, path in files.items()},
        )
        write_archive(target, manifest, files)
    return BackupReport(target, manifest)


def _dump(conn: Connection, staged: Path, files: dict[str, Path]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in BACKED_UP:
        path = staged / f"{table.name}.jsonl"
        counts[table.name] = dump_table(conn, table, path)
        files[f"{DATABASE}{table.name}.jsonl"] = path
    return counts


def _stage_blobs(
    blobs: BlobStore, sha256s: list[str], staged: Path, files: dict[str, Path]
) -> list[str]:
    """Copy each named blob; returns the hashes the store did not have."""
    folder = staged / "blobs"
    folder.mkdir()
    missing: list[str] = []
    for sha256 in sha256s:
        try:
            data = blobs.read(sha256)
        except KeyError:
            missing.append(sha256)
            continue
        path = folder / sha256
        path.write_bytes(data)
        files[f"{BLOBS}{sha256}"] = path
    return missing


def document_files(directory: Path) -> list[Path]:
    """The regular files directly in the documents folder (where ``ingest`` keeps them)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.is_symlink())


def _stage_documents(directory: Path, staged: Path, files: dict[str, Path]) -> int:
    folder = staged / "documents"
    folder.mkdir()
    found = document_files(directory)
    for path in found:
        copy = folder / path.name
        shutil.copyfile(path, copy)  # a copy: the archive holds what was hashed
        files[f"{DOCUMENTS}{path.name}"] = copy
    return len(found)


@contextlib.contextmanager
def _snapshot(url: str, staged: Path) -> Iterator[tuple[Connection, str]]:
    """One read transaction over a consistent state of the database, and its engine name."""
    parsed = parse_url(_database_url(url))
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_copy(Path(str(parsed.database)), staged / "snapshot.db")
        read: dict[str, object] = {}
    else:
        engine = make_engine(url)
        _check_schema(engine)
        read = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    try:
        with engine.connect() as conn:
            conn.execution_options(**read)
            with conn.begin():
                yield conn, engine.dialect.name
    finally:
        engine.dispose()


def _database_url(url: str) -> str:
    if url.strip() and not url.startswith("memory:"):
        return url
    raise backup_error(
        "会话存放在内存中（memory://），没有可备份的数据库：请设置 SMECMM_DATABASE_URL。",
        "Sessions are kept in memory (memory://): there is no database to back up; set "
        "SMECMM_DATABASE_URL.",
    )


def _sqlite_copy(source: Path, copy: Path) -> Engine:
    """A copy made by SQLite's online backup (consistent while the server writes), brought
    to the current schema (an older database is migrated in the copy, never in place)."""
    if not source.is_file():
        raise backup_error(
            f"找不到数据库文件 {str(source)!r}：请检查 SMECMM_DATA_DIR 或 SMECMM_DATABASE_URL。",
            f"No database file at {str(source)!r}: check SMECMM_DATA_DIR or SMECMM_DATABASE_URL.",
        )
    with (
        contextlib.closing(sqlite3.connect(source)) as live,
        contextlib.closing(sqlite3.connect(copy)) as target,
    ):
        live.backup(target)
    engine = make_engine(f"sqlite:///{copy}")
    ensure_schema(engine, transaction_options(engine)[1])
    return engine


def _check_schema(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            stored = conn.scalar(sa.select(sa.func.max(schema_version.c.version)))
    except sa.exc.SQLAlchemyError as error:
        raise backup_error(
            f"无法读取数据库 {redacted(engine.url)!r}：{type(error).__name__}。",
            f"Cannot read the database {redacted(engine.url)!r}: {type(error).__name__}.",
        ) from None
    if stored != SCHEMA_VERSION:
        raise backup_error(
            f"数据库的结构版本为 {stored!r}，本程序使用第 {SCHEMA_VERSION} 版：请先用本版本"
            "启动一次服务（自动迁移），再备份。",
            f"The database has schema version {stored!r}; this program uses version "
            f"{SCHEMA_VERSION}: start the server of this version once (it migrates), then back up.",
        )
