"""``smecmm sessions``: revoke an applicant's session token, prune abandoned sessions
(``migrate`` lives in ``session_migrate_commands``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from rich.table import Table

from assistant.cli.app import app, console, fail
from assistant.errors import AssistantError
from assistant.interview.runtime import open_blobs, open_session_store
from assistant.settings import get_settings
from assistant.storage.pruning import PruneReport, prune_sessions

__all__ = ["prune", "revoke", "sessions_app"]

sessions_app = typer.Typer(
    help="会话：令牌、清理、目录迁移 / Sessions: tokens, pruning, catalog migration",
    no_args_is_help=True,
)
app.add_typer(sessions_app, name="sessions")


@sessions_app.command()
def revoke(session_id: Annotated[str, typer.Argument(help="会话编号 / session id")]) -> None:
    """停用会话令牌及其恢复码，立即生效 / Revoke a session's token and resume code, at once."""
    try:
        store = open_session_store(get_settings())
        store.revoke_token(session_id, datetime.now(UTC), drop_resume_code=True)
    except AssistantError as exc:
        raise fail(exc) from exc
    _say(
        f"已停用会话 {session_id} 的令牌与恢复码；会话内容保留",
        f"revoked the token and resume code of session {session_id}; the session is kept",
    )


@sessions_app.command()
def prune(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出，不删除 / list only, delete nothing")
    ] = False,
    older_than: Annotated[
        int | None,
        typer.Option(
            "--older-than",
            min=1,
            metavar="DAYS",
            help="不活动天数，默认 SMECMM_SESSION_PRUNE_AFTER_DAYS / days inactive (default: "
            "SMECMM_SESSION_PRUNE_AFTER_DAYS)",
        ),
    ] = None,
) -> None:
    """删除长期不活动的未完成会话 / Delete unfinished sessions inactive for long.

    已完成的会话和评估人员改动过的会话一律保留 / finished sessions and sessions an assessor
    changed are always kept.
    """
    settings = get_settings()
    days = older_than or settings.session_prune_after_days
    if days == 0:
        _say(
            "SMECMM_SESSION_PRUNE_AFTER_DAYS=0：不清理会话（可用 --older-than 指定天数）",
            "SMECMM_SESSION_PRUNE_AFTER_DAYS=0: pruning is off (--older-than prunes once)",
        )
        return
    try:
        report = prune_sessions(
            open_session_store(settings),
            open_blobs(settings),
            now=datetime.now(UTC),
            older_than=timedelta(days=days),
            dry_run=dry_run,
        )
    except AssistantError as exc:
        raise fail(exc) from exc
    _print(report, days)


def _print(report: PruneReport, days: int) -> None:
    if report.sessions:
        table = Table(
            "id", "institution 机构", "stage 阶段", "answered 已答", "last active 最后活动"
        )
        for summary in report.sessions:
            table.add_row(
                summary.id,
                summary.institution or "",
                summary.stage,
                str(summary.answered),
                summary.updated_at.strftime("%Y-%m-%d %H:%M"),
            )
        console.print(table)
    n, records, files = len(report.sessions), report.evidence_records, len(report.blobs)
    if report.dry_run:
        _say(
            f"将删除 {n} 个超过 {days} 天不活动的会话、{records} 条证据记录、{files} 个证据文件"
            "（试运行，未改动任何数据）",
            f"would remove {n} sessions inactive for over {days} days, {records} evidence "
            f"records, {files} evidence files (dry run, nothing changed)",
        )
        return
    _say(
        f"已删除 {n} 个超过 {days} 天不活动的会话、{records} 条证据记录、{files} 个证据文件，"
        f"清除过期的恢复码与站点令牌记录 {report.expired} 条",
        f"removed {n} sessions inactive for over {days} days, {records} evidence records, "
        f"{files} evidence files, and {report.expired} expired resume codes and site-token "
        "claims",
    )


def _say(zh: str, en: str) -> None:
    """One line in each language, Chinese first, never wrapped (scripts read them)."""
    for line in (zh, en):
        console.print(line, highlight=False, soft_wrap=True)
