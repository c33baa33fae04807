"""``smecmm catalog``: show the catalog, export it to Excel, import it back, lint it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.app import EXIT_BAD_INPUT, app, console, fail
from assistant.cli.render import render_catalog
from assistant.errors import AssistantError, KnowledgeError
from assistant.knowledge.lint import lint_catalog
from assistant.knowledge.loader import load_catalog, load_rules
from assistant.knowledge.schema import Catalog
from assistant.knowledge.standard import load_standard
from assistant.knowledge.workbook import (
    MAX_BYTES,
    WorkbookError,
    export_workbook,
    import_workbook,
)
from assistant.settings import get_settings

__all__ = ["catalog_app", "catalog_json", "export_command", "import_command", "lint_command"]

catalog_app = typer.Typer(
    help="指标目录：概览、导出/导入 Excel、检查 / The catalog: summary, Excel round trip, lint",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(catalog_app, name="catalog")


def catalog_json(catalog: Catalog) -> dict[str, object]:
    counts = Counter(f"{i.area.value}-{int(i.level)}" for i in catalog.indicators)
    return {
        "standard": catalog.standard,
        "version": catalog.version,
        "content_hash": catalog.content_hash,
        "cells": dict(sorted(counts.items())),
        "areas": [a.model_dump(mode="json") for a in catalog.areas],
        "levels": [level.model_dump(mode="json") for level in catalog.levels],
        "indicators": [i.model_dump(mode="json", by_alias=True) for i in catalog.indicators],
    }


@catalog_app.callback()
def show(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """指标目录概览：能力域 × 等级 / Catalog summary: areas × levels."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        loaded = load_catalog(get_settings().rules_dir)
    except AssistantError as exc:
        raise fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(catalog_json(loaded), ensure_ascii=False, indent=2))
    else:
        render_catalog(console, loaded)


@catalog_app.command("export")
def export_command(
    path: Annotated[Path, typer.Argument(help="写入的 .xlsx 文件 / the .xlsx file to write")],
) -> None:
    """导出指标目录和评级规则到 Excel 工作簿 / Export the catalog and rules to a workbook."""
    rules_dir = get_settings().rules_dir
    try:
        data = export_workbook(load_catalog(rules_dir), load_rules(rules_dir))
    except AssistantError as exc:
        raise fail(exc) from exc
    path.write_bytes(data)
    typer.echo(f"已导出 / exported: {path} ({len(data)} bytes)")


@catalog_app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(help="要导入的 .xlsx 文件 / the .xlsx file to import")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只校验，不写入 / validate only, write nothing")
    ] = False,
) -> None:
    """校验工作簿并写入 YAML；有任何错误则不写入 / Validate a workbook and write the YAML."""
    rules_dir = get_settings().rules_dir
    try:
        if path.stat().st_size > MAX_BYTES:
            raise KnowledgeError(f"文件过大 {path} / file too large")
        result = import_workbook(path.read_bytes(), rules_dir, dry_run=dry_run)
    except WorkbookError as exc:
        typer.echo(f"工作簿有 {len(exc.errors)} 处错误，未写入任何文件", err=True)
        count = len(exc.errors)
        noun = "error" if count == 1 else "errors"
        typer.echo(f"The workbook has {count} {noun}; nothing was written", err=True)
        for error in exc.errors:
            typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    except (AssistantError, OSError) as exc:
        raise fail(exc if isinstance(exc, AssistantError) else KnowledgeError(str(exc))) from exc
    catalog = result.catalog
    typer.echo(
        f"工作簿有效 / valid: {len(catalog.indicators)} 条指标 indicators, 目录版本 catalog "
        f"{catalog.version}, 规则版本 rules {result.rules.version}, {catalog.content_hash}",
    )
    if not result.changed:
        typer.echo("与现有文件相同，无需写入 / identical to the files in place")
    for relative in result.changed:
        verb = "已写入 / written" if result.written else "将改动 / would change"
        typer.echo(f"{verb}: {rules_dir / relative}")


@catalog_app.command("lint")
def lint_command(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    top: Annotated[
        int, typer.Option(help="列出最相近的指标对数 / closest pairs to list", min=0, max=500)
    ] = 10,
) -> None:
    """检查指标目录：重复、核心覆盖、事件表述、证据规则 / Lint the catalog."""
    settings = get_settings()
    try:
        catalog = load_catalog(settings.rules_dir)
        documents = load_standard(settings.standard_dir)
    except AssistantError as exc:
        raise fail(exc) from exc
    report = lint_catalog(catalog, documents, top=top)
    if as_json:
        payload = {
            "ok": report.ok,
            "problems": [
                {"code": p.code, "subject": p.subject, "text": p.text} for p in report.problems
            ],
            "closest": [
                {
                    "first": p.first,
                    "second": p.second,
                    "similarity": p.similarity,
                    "both_core": p.both_core,
                    "same_area": p.same_area,
                    "linked": p.linked,
                }
                for p in report.closest
            ],
        }
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        typer.echo("最相近的指标对 / closest indicator pairs:")
        for pair in report.closest:
            mark = " 核心/core" if pair.both_core else ""
            mark += " 已交叉引用/linked" if pair.linked else ""
            typer.echo(f"  {pair.similarity:.3f}  {pair.first} ~ {pair.second}{mark}")
        for problem in report.problems:
            typer.echo(f"问题 / problem {problem}")
        verdict = "通过 / passed" if report.ok else f"{len(report.problems)} 个问题 / problems"
        typer.echo(f"检查结果 / lint: {verdict}")
    if not report.ok:
        raise typer.Exit(1)
