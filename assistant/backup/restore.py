"""``smecmm restore``: an archive back into the configured database, evidence store and
documents folder.

Order of work: the whole archive is read and every checksum, row and name checked (nothing
written yet); the target is checked to be empty (unless ``force``); then the evidence files
(content-addressed, so writing one twice is harmless) and documents are written, and last the
database rows, in one transaction: a failure there leaves the database as it was.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from assistant.backup.archive import read_archive
from assistant.backup.make import document_files
from assistant.backup.manifest import BLOBS, DATABASE, DOCUMENTS, Manifest, backup_error
from assistant.backup.tables import BACKED_UP, check_table, count_rows, load_table, reset_sequences
from assistant.evidence.blobs import BlobStore, FileBlobStore
from assistant.storage.engine import ensure_schema, make_engine, transaction_options
from assistant.storage.tables import SCHEMA_VERSION

__all__ = ["RestoreReport", "RestoreTarget", "restore_backup"]


@dataclass(frozen=True)
class RestoreTarget:
    database_url: str
    blobs: BlobStore
    documents_dir: Path


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    counts: dict[str, int]  # rows per table restored, and "blobs", "documents"
    replaced: dict[str, int]  # what the target held before (only with ``force``)


def restore_backup(source: Path, target: RestoreTarget, *, force: bool = False) -> RestoreReport:
    with tempfile.TemporaryDirectory(prefix="smecmm-restore-") as work:
        manifest, files = read_archive(source, Path(work))
        _check_contents(manifest, files)
        engine = make_engine(target.database_url)
        try:
            write = transaction_options(engine)[1]
            ensure_schema(engine, write)
            replaced = _occupied(engine, target)
            if replaced and not force:
                raise _not_empty(replaced)
            counts = {
                "blobs": _put_blobs(target.blobs, files),
                "documents": _put_documents(target.documents_dir, files),
            }
            with engine.connect() as conn:
                conn.execution_options(**write)
                with conn.begin():
                    counts.update(_load(conn, manifest, files))
        finally:
            engine.dispose()
    return RestoreReport(manifest, counts, replaced)


def _check_contents(manifest: Manifest, files: dict[str, Path]) -> None:
    """Everything the writes will rely on, checked before any of them."""
    if manifest.schema_version != SCHEMA_VERSION or set(manifest.tables) != {
        t.name for t in BACKED_UP
    }:
        raise backup_error(
            f"备份的数据库结构为第 {manifest.schema_version} 版，本程序使用第 {SCHEMA_VERSION} "
            "版：请用生成备份的程序版本恢复。",
            f"The backup's database schema is version {manifest.schema_version}; this program "
            f"uses version {SCHEMA_VERSION}: restore it with the program version that made it.",
        )
    for table in BACKED_UP:
        rows = check_table(table, files[manifest.table_member(table.name)])
        listed = manifest.counts.get(table.name, 0)
        if rows != listed:
            raise backup_error(
                f"备份中表 {table.name!r} 有 {rows} 行，清单记为 {listed} 行。",
                f"Table {table.name!r} in the backup has {rows} rows; its manifest says {listed}.",
            )
    tables = {manifest.table_member(t.name) for t in BACKED_UP}
    for name, member in manifest.members.items():
        if name.startswith(DATABASE) and name not in tables:
            raise backup_error(
                f"备份中有本程序不认识的表 {name!r}，未写入任何数据。",
                f"The backup holds a table this program does not know, {name!r}; nothing was "
                "written.",
            )
        if name.startswith(BLOBS) and name.removeprefix(BLOBS) != member.sha256:
            raise backup_error(
                f"备份中的证据文件 {name!r} 与其内容的哈希不符。",
                f"The evidence file {name!r} in the backup does not match its content's hash.",
            )


def _occupied(engine: Engine, target: RestoreTarget) -> dict[str, int]:
    """What the target already holds: rows per table, files in the evidence and documents
    folders."""
    with engine.connect() as conn:
        held = count_rows(conn)
    if document_files(target.documents_dir):
        held["documents"] = len(document_files(target.documents_dir))
    if isinstance(target.blobs, FileBlobStore) and target.blobs.root.is_dir():
        blobs = sum(1 for p in target.blobs.root.rglob("*") if p.is_file())
        if blobs:
            held["blobs"] = blobs
    return held


def _not_empty(held: dict[str, int]) -> Exception:
    listed = "、".join(f"{name} {n}" for name, n in sorted(held.items()))
    listed_en = ", ".join(f"{name} {n}" for name, n in sorted(held.items()))
    return backup_error(
        f"目标已有数据（{listed}），恢复会替换其中的数据库内容：确需覆盖请加 --force；"
        "未写入任何数据。",
        f"The target already holds data ({listed_en}) whose database content a restore "
        "would replace: add --force if that is meant; nothing was written.",
    )


def _put_blobs(blobs: BlobStore, files: dict[str, Path]) -> int:
    names = sorted(n for n in files if n.startswith(BLOBS))
    for name in names:
        blobs.put(files[name].read_bytes())
    return len(names)


def _put_documents(directory: Path, files: dict[str, Path]) -> int:
    names = sorted(n for n in files if n.startswith(DOCUMENTS))
    if names:
        directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        final = directory / name.removeprefix(DOCUMENTS)
        partial = directory / f".{final.name}.partial"
        partial.write_bytes(files[name].read_bytes())
        os.replace(partial, final)
    return len(names)


def _load(conn: Connection, manifest: Manifest, files: dict[str, Path]) -> dict[str, int]:
    for table in reversed(BACKED_UP):  # children first; empty already unless forced
        conn.execute(sa.delete(table))
    counts = {
        table.name: load_table(conn, table, files[manifest.table_member(table.name)])
        for table in BACKED_UP
    }
    reset_sequences(conn)
    return counts
