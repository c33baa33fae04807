"""``smecmm index``, ``smecmm ask`` and ``smecmm ingest``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markdown import Markdown
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.cli.app import app, console, fail
from assistant.errors import AssistantError
from assistant.retrieval.index import BuildReport
from assistant.retrieval.index import Progress as ProgressCallback
from assistant.retrieval.runtime import open_answerer, open_index
from assistant.settings import Settings, get_settings

__all__ = ["ask", "index", "ingest"]


@contextmanager
def _progress_bar(label: str) -> Iterator[ProgressCallback]:
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _announce(settings: Settings, report: BuildReport) -> None:
    """Stamp the rebuild in the database: running servers reopen the index at their next
    check (``SMECMM_INDEX_CHECK_SECONDS``) instead of serving vectors that are gone."""
    from assistant.interview.runtime import open_session_store

    open_session_store(settings).bump_index_stamp(report.content_hash, datetime.now(UTC))


@app.command()
def index(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="强制重建 / force a rebuild")] = False,
) -> None:
    """建立检索索引（知识内容变化时自动重建）/ Build the retrieval index."""
    settings = get_settings()
    try:
        with _progress_bar("向量化 / embedding") as progress:
            _, report = open_index(settings, rebuild=rebuild, progress=progress)
        if report.rebuilt:
            _announce(settings, report)
    except AssistantError as exc:
        raise fail(exc) from exc
    state = "已重建 / rebuilt" if report.rebuilt else "已是最新 / up to date"
    console.print(f"检索索引{state}：{report.chunks} 个片段，用时 {report.seconds:.1f} 秒")


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="问题 / the question")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    k: Annotated[int, typer.Option("-k", min=1, max=20, help="引用条数 / citations")] = 5,
) -> None:
    """解读标准：引用条款和指标作答 / Ask how the standard reads."""
    settings = get_settings()
    try:
        with _progress_bar("准备索引 / preparing the index") as progress:
            answerer = open_answerer(settings, open_index(settings, progress=progress)[0])
        answer = answerer.ask(question, k=k)
    except AssistantError as exc:
        raise fail(exc) from exc
    if as_json:
        typer.echo(answer.model_dump_json(indent=2))
    else:
        console.print(Markdown(answer.text))


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF/DOCX/MD/TXT 文件 / files")],
) -> None:
    """导入标准正式文本等文件并重建索引 / Ingest official documents and reindex."""
    from assistant.documents import document_limits
    from assistant.knowledge.segment import ingest_document
    from assistant.retrieval.corpus import store_document

    settings = get_settings()
    try:
        for path in paths:
            document = ingest_document(path, limits=document_limits(settings))
            store_document(document, settings.documents_dir)
            console.print(f"已导入 {path.name}：{len(document.clauses)} 个条款 / clauses")
        with _progress_bar("向量化 / embedding") as progress:
            _, report = open_index(settings, progress=progress)
        if report.rebuilt:
            _announce(settings, report)
    except AssistantError as exc:
        raise fail(exc) from exc
    console.print(f"检索索引已更新：{report.chunks} 个片段 / index updated")
