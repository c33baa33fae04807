"""``smecmm chat``: the whole interview in a terminal; ``smecmm report``: write a report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.markdown import Markdown
from rich.markup import escape
from rich.prompt import Prompt

from assistant.cli.app import app, console, fail
from assistant.errors import AssistantError
from assistant.interview.runtime import open_service
from assistant.interview.service import InterviewService
from assistant.session.models import MAX_TEXT_CHARS, Language, Reply, UserTurn
from assistant.settings import get_settings

__all__ = ["chat", "report"]

ReportFormat = Literal["pdf", "docx", "md", "json"]
_EXIT = {"/quit", "/exit", "/q", "退出"}


def _sources(reply: Reply) -> str:
    """The answer's citations by number and label: [n] in the text is the n-th."""
    labels = [f"[{n}] {c.label or c.clause}" for n, c in enumerate(reply.citations, 1)]
    head = "来源：" if reply.language == "zh" else "Sources: "
    return head + ("；" if reply.language == "zh" else "; ").join(labels) if labels else ""


def _show(reply: Reply) -> None:
    console.print(Markdown(reply.text))
    if reply.citations:
        console.print(f"[dim]{escape(_sources(reply))}[/dim]", highlight=False)
    question = reply.question
    if question is not None and question.quick_replies:
        choices = "  ".join(
            f"[bold][{n}][/bold] {q.label}" for n, q in enumerate(question.quick_replies, 1)
        )
        console.print(choices, highlight=False)
    progress = reply.progress
    label = "进度" if reply.language == "zh" else "progress"
    console.print(f"[dim]{label} {progress.answered}/{progress.total}[/dim]", highlight=False)


_TYPED_FIELDS = ("name", "service_fields", "smes_served_per_year")


def _turn(line: str, reply: Reply) -> UserTurn:
    question = reply.question
    typed = question is not None and question.field in _TYPED_FIELDS
    if question is not None and line.isdigit() and not typed:
        number = int(line)
        if 1 <= number <= len(question.quick_replies):
            return UserTurn(quick_reply=question.quick_replies[number - 1].value)
    return UserTurn(text=line)


def _hint(language: Language) -> str:
    if language == "en":
        return "Type a number for a choice, your own words, /upload PATH, /report pdf, or /quit."
    return (
        "输入数字选择，或直接用自己的话回答；"
        "/upload 路径 上传证据，/report pdf 导出报告，/quit 退出。"
    )


def _command(service: InterviewService, session_id: str, line: str, reply: Reply) -> Reply:
    verb, _, rest = line.partition(" ")
    if verb == "/upload":
        path = Path(rest.strip()).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            console.print(f"[red]无法读取 / cannot read {str(path)!r}: {exc.strerror}[/red]")
            return reply
        return service.upload(session_id, path.name, data)
    if verb == "/report":
        fmt, _, target = rest.strip().partition(" ")
        _write_report(service, session_id, fmt or "pdf", target.strip() or None)
        return reply
    console.print(_hint(reply.language))
    return reply


def _write_report(service: InterviewService, session_id: str, fmt: str, target: str | None) -> None:
    if fmt not in ("pdf", "docx", "md", "json"):
        console.print("[red]格式应为 pdf、docx、md 或 json / format: pdf, docx, md or json[/red]")
        return
    rendered = service.report(session_id, fmt)  # type: ignore[arg-type]
    path = Path(target or rendered.filename)
    path.write_bytes(rendered.content)
    console.print(f"已写入 / written: {path}")


def _too_long(language: Language, length: int) -> str:
    if language == "en":
        return (
            f"That answer has {length:,} characters; at most {MAX_TEXT_CHARS:,} fit in one turn. "
            "Please shorten it, or upload the text as a file (/upload PATH)."
        )
    return (
        f"这段回答有 {length:,} 个字符，每轮最多 {MAX_TEXT_CHARS:,} 个。"
        "请精简后再发，或把全文作为文件上传（/upload 路径）。"
    )


def _loop(service: InterviewService, session_id: str, reply: Reply) -> None:
    while True:
        try:
            line = Prompt.ask("[bold cyan]›[/bold cyan]", console=console).strip()
        except (EOFError, KeyboardInterrupt):
            line = "/quit"
        if not line:
            continue
        if len(line) > MAX_TEXT_CHARS:
            console.print(f"[red]{_too_long(reply.language, len(line))}[/red]")
            continue
        if line in _EXIT:
            console.print(
                f"会话已保存，继续请运行 / saved; resume with: smecmm chat --session {session_id}"
            )
            return
        try:
            if line.startswith("/"):
                reply = _command(service, session_id, line, reply)
                if line.startswith(("/report", "/help")):
                    continue
            else:
                reply = service.send(session_id, _turn(line, reply))
        except AssistantError as exc:
            console.print(f"[red]{exc.message(reply.language)}[/red]")
            continue
        _show(reply)


@app.command()
def chat(
    session: Annotated[
        str | None, typer.Option("--session", help="继续已有会话 / resume a session")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="zh 或 en / zh or en")] = "zh",
    no_retrieval: Annotated[
        bool, typer.Option("--no-retrieval", help="不加载检索索引 / skip the index")
    ] = False,
) -> None:
    """在终端完成自评访谈 / The guided self-assessment in a terminal."""
    language: Language = "en" if lang == "en" else "zh"
    try:
        service = open_service(get_settings(), retrieval=not no_retrieval)
        if session:
            reply = service.view(session).reply
        else:
            started = service.start(language=language)
            session, reply = started.session_id, started.reply
    except AssistantError as exc:
        raise fail(exc) from exc
    console.print(f"[dim]会话 / session {session}[/dim]  {_hint(language)}", highlight=False)
    _show(reply)
    _loop(service, session, reply)


@app.command()
def report(
    session: Annotated[str, typer.Argument(help="会话编号 / session id")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="pdf|docx|md|json")] = "pdf",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件")] = None,
) -> None:
    """导出自评报告与申报材料清单 / Write the self-assessment report and application pack."""
    try:
        service = open_service(get_settings(), retrieval=False)
        if fmt not in ("pdf", "docx", "md", "json"):
            raise AssistantError("格式应为 pdf、docx、md 或 json", en="format: pdf, docx, md, json")
        rendered = service.report(session, fmt)  # type: ignore[arg-type]
    except AssistantError as exc:
        raise fail(exc) from exc
    path = output or Path(rendered.filename)
    path.write_bytes(rendered.content)
    console.print(f"已写入 / written: {path}（{len(rendered.content):,} 字节 / bytes）")
