"""``smecmm serve``: the HTTP API, the chat page and the widget (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.app import app, console

__all__ = ["serve"]


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="监听地址 / address")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="端口 / port")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="进程数 / worker processes")
    ] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn 日志级别")] = "info",
) -> None:
    """启动 HTTP 接口与聊天页面 / Serve the HTTP API and the chat page."""
    import uvicorn  # the server and the api package only when serving

    console.print(
        f"聊天页面 / chat page: http://{host}:{port}/   接口文档 / API docs: "
        f"http://{host}:{port}/docs",
        highlight=False,
    )
    if workers > 1:
        console.print(
            "[yellow]多进程时限流按进程分别计数 / with several workers each counts its own rate "
            "limits[/yellow]"
        )
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        proxy_headers=True,
    )
