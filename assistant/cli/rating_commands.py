"""``smecmm rate`` (``smecmm catalog`` lives in ``catalog_commands``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.app import app, console, fail
from assistant.cli.render import render_rating
from assistant.errors import AssistantError
from assistant.findings_file import load_findings_file
from assistant.knowledge.loader import load_catalog, load_rules
from assistant.rating import rate
from assistant.settings import get_settings

__all__ = ["rate_command"]


@app.command("rate")
def rate_command(
    path: Annotated[Path, typer.Argument(help="发现项文件 YAML/JSON / findings file")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
    as_of: Annotated[
        str | None, typer.Option(help="评估基准日 YYYY-MM-DD（默认取文件或今天）/ as-of date")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="输出语言 zh 或 en / output language")] = "zh",
) -> None:
    """对发现项评级：星级、各能力域等级与阻碍项 / Rate a findings file."""
    settings = get_settings()
    try:
        loaded = load_findings_file(path)
        catalog_ = load_catalog(settings.rules_dir)
        rules = load_rules(settings.rules_dir)
        day = _as_of(as_of) or loaded.as_of or date.today()
        result = rate(catalog_, rules, loaded.findings, day)
    except AssistantError as exc:
        raise fail(exc) from exc
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        render_rating(console, result, catalog_, loaded.institution, "en" if lang == "en" else "zh")


def _as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise fail(AssistantError(f"日期 {text!r} 应为 YYYY-MM-DD / bad date")) from exc
