"""The Typer application and its shared consoles; commands live in sibling modules."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from assistant import __version__
from assistant.errors import AssistantError

__all__ = ["EXIT_BAD_INPUT", "app", "console", "fail"]

EXIT_BAD_INPUT = 2

app = typer.Typer(
    help="中小企业服务机构能力成熟度评估助手（T/ZXGJXH 002—2023）/ SME service maturity assistant",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
_errors = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        console.print(f"smecmm {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本 / version")
    ] = False,
) -> None:
    """评估助手命令行 / The assistant's command line."""


def fail(error: AssistantError) -> typer.Exit:
    """Print a user-facing error and return the exit to raise (code 2)."""
    _errors.print(f"[red]错误 / Error:[/red] {error}", markup=True, highlight=False)
    return typer.Exit(EXIT_BAD_INPUT)
