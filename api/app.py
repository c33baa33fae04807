"""The FastAPI application: ``create_app()`` for uvicorn (``--factory``), tests inject fakes."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.auth import allowed_origins
from api.errors import CatchAllMiddleware, install_error_handlers
from api.index_watch import IndexWatch, watching
from api.limits import BodyLimitMiddleware
from api.middleware import (
    CorsMiddleware,
    OriginAllowList,
    SecurityHeadersMiddleware,
    ServerTimingMiddleware,
)
from api.query_params import single_query_values
from api.ratelimit import RateLimitMiddleware, client_limits
from api.routers import (
    admin,
    ask,
    assessment,
    assessor,
    assessor_reports,
    catalog,
    console,
    dashboard,
    evidence,
    health,
    messages,
    pages,
    preview,
    ratings,
    readings,
    reassessment,
    sessions,
)
from api.routers.evidence import MULTIPART_OVERHEAD
from api.runtime import IndexMaintenance, Maintenance, Runtime, RuntimeBox, open_runtime
from api.upkeep import upkeep
from assistant import __version__
from assistant.documents import start_readers
from assistant.interview.ports import Answerer
from assistant.interview.service import InterviewService
from assistant.settings import Settings, get_settings

__all__ = ["API_PREFIX", "create_app"]

API_PREFIX = "/api/v1"
_BODY_LIMIT = 1024 * 1024  # JSON bodies; uploads have their own limit
_UPLOAD_PATHS = (
    re.compile(rf"{API_PREFIX}/sessions/[^/]+/evidence"),
    re.compile(rf"{API_PREFIX}/admin/documents"),
)

_DESCRIPTION = """\
中小企业服务机构通用能力成熟度（T/ZXGJXH 002—2023）自评助手的 HTTP 接口。
The HTTP API of the SME service-institution maturity self-assessment assistant.

**凭据 / Credentials**

- 申请机构 / applicant: `Authorization: Bearer <session token>` — 只能访问签发它的会话，
  超过 `SMECMM_SESSION_TOKEN_IDLE_DAYS` 天未使用、退出或被吊销即失效（401 说明原因）/
  opens only the session it was issued with, until unused for that many days, signed out or
  revoked (a 401 says which).
- 评估人员、管理员 / assessor, admin: `X-API-Key: <key>` (`smecmm keys create`)，或在
  /assessor、/admin 页面登录后的 Cookie（仅限本站页面，写操作须带 `X-CSRF-Token`）/ or the
  console pages' sign-in cookie (same-origin only; writes need `X-CSRF-Token`).
- 网站 / website: `X-Site-Key: <key>` — 跨站调用必须携带，且请求的 `Origin` 须在该密钥允许的来源中 /
  required on every call from another origin, whose `Origin` the key must allow.

错误统一为 / every error is `{"error": {"code": "…", "message": "…"}}`；`message` 按
`Accept-Language` 为中文（默认）或英文 / in Chinese (default) or English by `Accept-Language`.
"""

_TAGS = [
    {"name": "sessions 会话", "description": "开始与读取自评会话 / start and read sessions"},
    {"name": "messages 对话", "description": "访谈中的每一轮 / the interview's turns"},
    {"name": "evidence 证据", "description": "证据上传与列表 / evidence files"},
    {"name": "ratings 评级与报告", "description": "临时星级与报告 / rating and reports"},
    {"name": "ask 标准问答", "description": "引用条款解答标准 / questions about the standard"},
    {"name": "catalog 指标目录", "description": "指标与规则版本 / indicators and versions"},
    {"name": "assessor 评估人员", "description": "复核与审计 / review and audit"},
    {"name": "console 控制台", "description": "控制台登录 / console sign-in"},
    {"name": "admin 管理", "description": "知识库维护 / knowledge maintenance"},
    {"name": "health 健康检查", "description": "负载均衡与监控 / load balancers, monitors"},
]


def create_app(
    settings: Settings | None = None,
    *,
    service: InterviewService | None = None,
    answerer: Answerer | None = None,
    maintenance: Maintenance | None = None,
) -> FastAPI:
    """The app. Without ``service`` the embedded runtime (store, index) opens at start-up."""
    settings = settings or get_settings()
    box = RuntimeBox(Runtime(service, answerer)) if service is not None else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if box is None:
            app.state.runtime = RuntimeBox(await run_in_threadpool(open_runtime, settings))
            app.state.index_watch = IndexWatch(settings, app.state.runtime)
        if app.state.maintenance is None:
            app.state.maintenance = IndexMaintenance(settings, app.state.runtime)
        await run_in_threadpool(start_readers)  # the document readers' forkserver, warm
        async with (
            upkeep(settings, lambda: app.state.runtime.current.service.store),
            watching(app.state.index_watch, settings.index_check_seconds),
        ):
            yield

    app = FastAPI(
        title="中小企业服务机构能力成熟度评估助手 API / SME service maturity assistant API",
        version=__version__,
        description=_DESCRIPTION,
        openapi_tags=_TAGS,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.runtime = box
    app.state.maintenance = maintenance
    app.state.index_watch = None  # follows other workers' reindexes; only for its own runtime
    if box is not None and maintenance is None:
        app.state.maintenance = IndexMaintenance(settings, box)
    install_error_handlers(app)
    _mount(app, settings)
    _middleware(app, settings)
    return app


def _mount(app: FastAPI, settings: Settings) -> None:
    for router in (
        sessions.router,
        messages.router,
        readings.router,
        evidence.router,
        preview.router,
        ratings.router,
        ask.router,
        catalog.router,
        assessor.router,
        assessment.router,
        assessor_reports.router,
        reassessment.router,
        admin.router,
        dashboard.router,
    ):
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(single_query_values)])
    app.include_router(pages.router)
    app.include_router(console.router)  # /console/*: sign-in for the console pages
    app.include_router(console.pages)
    app.include_router(dashboard.pages)  # /admin: the association's dashboard
    app.include_router(health.router)  # outside /api/: no rate limit
    static = StaticFiles(directory=settings.web_dir / "static", check_dir=False)
    app.mount("/static", static, name="static")


def _middleware(app: FastAPI, settings: Settings) -> None:
    def origins() -> frozenset[str]:
        return allowed_origins(app.state.runtime.current.service.store)

    allow_list = OriginAllowList(origins)
    # Added innermost first: a request meets the trusted-proxy step (the client's address
    # and scheme), security headers, rate limits (before anything reads the store), CORS,
    # body limits, then the catch-all around the routes. The proxy step is done here, not by
    # uvicorn (``smecmm serve`` turns uvicorn's off), so every server and the tests agree.
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(
        BodyLimitMiddleware,
        default_bytes=_BODY_LIMIT,
        upload_bytes=settings.max_upload_mb * 1024 * 1024 + MULTIPART_OVERHEAD,
        upload_paths=_UPLOAD_PATHS,
    )
    app.add_middleware(CorsMiddleware, origins=allow_list)
    limits = client_limits(settings)
    app.add_middleware(RateLimitMiddleware, limits=limits, readable_by=allow_list.known)
    # The console's sign-in counts against the same per-address limit as the API.
    app.add_middleware(RateLimitMiddleware, limits=limits, prefix="/console/")
    app.add_middleware(SecurityHeadersMiddleware)
    proxies = [proxy for proxy in settings.trusted_proxies.split(",") if proxy]
    app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    app.add_middleware(ServerTimingMiddleware)  # outermost: the whole of the server's time
