"""``smecmm sessions migrate``: carry stored sessions onto a new catalog version."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

from assistant.cli.app import fail
from assistant.cli.session_commands import sessions_app
from assistant.errors import AssistantError, KnowledgeError
from assistant.interview.migration import SessionMigration, migrate_sessions
from assistant.interview.runtime import open_session_store
from assistant.knowledge.loader import load_catalog, load_rules
from assistant.knowledge.migration import check_migration, find_migration
from assistant.knowledge.standard import load_standard
from assistant.settings import get_settings

__all__ = ["migrate_command"]


def _payload(result: SessionMigration) -> dict[str, object]:
    return {
        "session_id": result.session_id,
        "outcome": result.outcome,
        "note": result.note,
        "carried": result.carried,
        "merged": list(result.merged),
        "retired": list(result.retired),
        "reopened": list(result.reopened),
        "old_stars": list(result.old_stars) if result.old_stars else None,
        "new_stars": list(result.new_stars) if result.new_stars else None,
    }


@sessions_app.command("migrate")
def migrate_command(
    to: Annotated[str, typer.Option("--to", help="目标目录版本 / target catalog version")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只报告，不写入 / report only, write nothing")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """按迁移文件把会话转到新目录并重新评级 / Carry sessions onto a new catalog and re-rate."""
    settings = get_settings()
    try:
        catalog = load_catalog(settings.rules_dir)
        rules = load_rules(settings.rules_dir)
        if catalog.version != to:
            raise KnowledgeError(
                f"当前目录版本为 {catalog.version!r}，不是 {to!r}",
                en=f"the installed catalog is version {catalog.version!r}, not {to!r}",
            )
        migration = find_migration(settings.rules_dir, to)
        problems = check_migration(migration, catalog, load_standard(settings.standard_dir))
        if problems:
            raise KnowledgeError(
                "迁移文件有误 / the migration file is wrong:\n" + "\n".join(problems)
            )
        store = open_session_store(settings)
        results = migrate_sessions(
            store, migration, catalog, rules, now=datetime.now(UTC), dry_run=dry_run
        )
    except AssistantError as exc:
        raise fail(exc) from exc
    if as_json:
        typer.echo(json.dumps([_payload(r) for r in results], ensure_ascii=False, indent=2))
        return
    for r in results:
        if r.outcome != "migrated":
            typer.echo(f"{r.session_id}  {r.outcome} {r.note}")
            continue
        stars = f"{r.old_stars} → {r.new_stars}" if r.old_stars else f"→ {r.new_stars}"
        typer.echo(
            f"{r.session_id}  转入 carried {r.carried}  合并 merged {len(r.merged)}  "
            f"撤销 retired {len(r.retired)}  重答 reopened {len(r.reopened)}  星级 stars {stars}"
        )
    done = sum(r.outcome == "migrated" for r in results)
    verb = "将迁移 / would migrate" if dry_run else "已迁移 / migrated"
    typer.echo(f"{verb}: {done} / {len(results)}")
