"""``smecmm serve``: the HTTP API, the chat page and the widget (uvicorn)."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.app import app, console
from assistant.settings import get_settings

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

    settings = get_settings()
    console.print(
        f"聊天页面 / chat page: http://{host}:{port}/   接口文档 / API docs: "
        f"http://{host}:{port}/docs",
        highlight=False,
    )
    if settings.site_token_secret is not None:
        console.print(
            "[yellow]SMECMM_SITE_TOKEN_SECRET 已停用，不验证任何站点令牌：每个站点密钥有自己的密钥"
            "（smecmm keys rotate-secret <编号>），请删除该设置 / SMECMM_SITE_TOKEN_SECRET is "
            "retired and verifies nothing: each site key has its own secret (smecmm keys "
            "rotate-secret <id>); unset it[/yellow]"
        )
    if workers > 1 and not settings.redis_url:
        console.print(
            "[yellow]多进程时限流按进程分别计数，设置 SMECMM_REDIS_URL 可共享计数 / with several "
            "workers each counts its own rate limits; set SMECMM_REDIS_URL to share them[/yellow]"
        )
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        # The app itself believes X-Forwarded-For only from SMECMM_TRUSTED_PROXIES (api.app);
        # uvicorn's own step (FORWARDED_ALLOW_IPS) would be a second, different list.
        proxy_headers=False,
    )
