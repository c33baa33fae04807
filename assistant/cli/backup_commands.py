"""``smecmm backup`` and ``smecmm restore``: the whole installation in one archive, and back."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from assistant.backup import (
    BackupSource,
    Manifest,
    RestoreReport,
    RestoreTarget,
    create_backup,
    restore_backup,
)
from assistant.cli.app import EXIT_BAD_INPUT, app, console
from assistant.errors import AssistantError
from assistant.interview.runtime import open_blobs
from assistant.knowledge.loader import load_catalog
from assistant.knowledge.schema import CatalogHeader
from assistant.knowledge.yamlio import load_model
from assistant.settings import Settings, get_settings
from assistant.storage import default_database_url

__all__ = ["backup", "restore"]

_errors = Console(stderr=True)


@app.command()
def backup(
    path: Annotated[
        Path, typer.Argument(help="归档文件（.tar.gz），不得已存在 / archive to write")
    ],
) -> None:
    """备份数据库、证据文件、导入的文档与密钥为一个归档 / Back up the database, evidence
    files, ingested documents and keys into one archive."""
    settings = get_settings()
    try:
        source = BackupSource(
            database_url=_database_url(settings),
            blobs=open_blobs(settings),
            documents_dir=settings.documents_dir,
            catalog=load_catalog(settings.rules_dir),
            index_stamp=_index_stamp(settings),
        )
        report = create_backup(path, source, now=datetime.now(UTC))
    except AssistantError as exc:
        raise _fail(exc) from exc
    zh, en = _totals(report.manifest.counts)
    _say(f"已备份到 {report.path}：{zh}", f"backed up to {report.path}: {en}")
    if report.manifest.missing_blobs:
        n = len(report.manifest.missing_blobs)
        _say(
            f"注意：数据库引用的 {n} 个证据文件在证据存储中找不到，未能备份",
            f"note: {n} evidence files the database names were missing from the store",
        )


@app.command()
def restore(
    path: Annotated[
        Path, typer.Argument(help="smecmm backup 生成的归档 / a smecmm backup archive")
    ],
    force: Annotated[
        bool,
        typer.Option("--force", help="替换目标中已有的数据 / replace what the target holds"),
    ] = False,
) -> None:
    """从归档恢复；先校验全部内容，目标非空时须加 --force / Restore an archive; everything
    is checked first, and a target that holds data needs --force."""
    settings = get_settings()
    try:
        target = RestoreTarget(
            database_url=_database_url(settings),
            blobs=open_blobs(settings),
            documents_dir=settings.documents_dir,
        )
        report = restore_backup(path, target, force=force)
    except AssistantError as exc:
        raise _fail(exc) from exc
    _report(report, settings)


def _database_url(settings: Settings) -> str:
    return settings.database_url or default_database_url(settings.data_dir)


def _index_stamp(settings: Settings) -> str | None:
    """The stamp of the built retrieval index (knowledge hash | embedder), if one is built."""
    local = settings.index_dir / "chroma"
    if not settings.chroma_url and not local.is_dir():
        return None
    from assistant.retrieval.store import chroma_client, collection_metadata

    try:
        stamp = collection_metadata(chroma_client(local, settings.chroma_url)).get("stamp")
    except Exception:  # the stamp only informs: an unreachable index must not stop a backup
        return None
    return stamp if isinstance(stamp, str) else None


def _report(report: RestoreReport, settings: Settings) -> None:
    zh, en = _totals(report.counts)
    _say(f"已恢复：{zh}", f"restored: {en}")
    if report.replaced:
        old_zh, old_en = _totals(report.replaced)
        _say(f"已替换原有数据：{old_zh}", f"replaced what was there: {old_en}")
    _catalog_note(report.manifest, settings)
    manifest = report.manifest
    if manifest.index_stamp or manifest.index_version:
        stamp = f"{manifest.index_stamp or '-'}, v{manifest.index_version or '-'}"
        _say(
            f"备份时的检索索引标记：{stamp}（服务启动时若知识库不同会重建索引）",
            f"index stamp at backup: {stamp} (the server rebuilds the index at start when the "
            "knowledge differs)",
        )


def _catalog_note(manifest: Manifest, settings: Settings) -> None:
    try:  # the header alone names the version: no need to load every indicator
        current = load_model(settings.rules_dir / "catalog.yaml", CatalogHeader).version
    except (OSError, ValueError):
        return
    if manifest.catalog_version and manifest.catalog_version != current:
        _say(
            f"备份时的指标目录为 {manifest.catalog_version}，当前为 {current}：可用 "
            "smecmm sessions migrate 迁移会话",
            f"the backup's catalog is {manifest.catalog_version}, this one {current}: "
            "smecmm sessions migrate brings the sessions over",
        )


def _totals(counts: dict[str, int]) -> tuple[str, str]:
    get = counts.get
    zh = (
        f"会话 {get('sessions', 0)} 个、发现 {get('findings', 0)} 条、对话 {get('turns', 0)} 轮、"
        f"证据记录 {get('evidence', 0)} 条、证据文件 {get('blobs', 0)} 个、"
        f"文档 {get('documents', 0)} 份、密钥 {get('api_keys', 0)} 个"
    )
    en = (
        f"{get('sessions', 0)} sessions, {get('findings', 0)} findings, {get('turns', 0)} "
        f"turns, {get('evidence', 0)} evidence records, {get('blobs', 0)} evidence files, "
        f"{get('documents', 0)} documents, {get('api_keys', 0)} keys"
    )
    return zh, en


def _say(zh: str, en: str) -> None:
    for line in (zh, en):
        console.print(line, highlight=False, soft_wrap=True, markup=False)


def _fail(error: AssistantError) -> typer.Exit:
    """错误 in both languages on stderr (code 2)."""
    _errors.print(f"错误：{error}", highlight=False, soft_wrap=True, markup=False)
    english = error.message("en")
    if english != str(error):
        _errors.print(f"Error: {english}", highlight=False, soft_wrap=True, markup=False)
    return typer.Exit(EXIT_BAD_INPUT)
