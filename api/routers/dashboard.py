"""The association's dashboard: totals as JSON, its charts as SVG, everything as Excel, and
the ``/admin`` page that shows them. Admin key or an admin's console cookie only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.exceptions import HTTPException

from api.console import AdminOrConsole
from api.deps import ServiceDep, SettingsDep
from api.errors import ApiError, preferred_language
from api.routers.common import errors
from api.routers.pages import page_policy
from assistant.dashboard import (
    XLSX_MEDIA_TYPE,
    Dashboard,
    DashboardFilter,
    chart,
    export_xlsx,
    from_store,
)
from assistant.dashboard.models import MAX_STARS
from assistant.dashboard.stats import ContributionCache
from assistant.knowledge.schema import InstitutionType
from assistant.rating.models import Basis
from assistant.vocabulary import Language

__all__ = ["pages", "router"]

router = APIRouter(prefix="/admin", tags=["admin 管理"])
pages = APIRouter(include_in_schema=False)

SVG_MEDIA_TYPE = "image/svg+xml"
_NO_STORE = {"Cache-Control": "no-store"}
_PAGE_HEADERS = {
    "Content-Security-Policy": page_policy("'none'"),
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class ChartName(StrEnum):
    STARS = "stars"
    MONTHS = "months"
    BLOCKERS = "blockers"


def _filters(
    created_from: Annotated[
        date | None,
        Query(alias="from", description="创建日期起（含，UTC）/ created on or after (UTC)"),
    ] = None,
    created_to: Annotated[
        date | None,
        Query(alias="to", description="创建日期止（含，UTC）/ created on or before (UTC)"),
    ] = None,
    institution_type: Annotated[
        InstitutionType | None, Query(description="机构类型 / institution type")
    ] = None,
    basis: Annotated[
        Basis, Query(description="阻碍项按哪一口径统计 / whose blockers: declared or evidenced")
    ] = Basis.EVIDENCED,
) -> DashboardFilter:
    if created_from and created_to and created_from > created_to:
        raise ApiError(
            422,
            "validation_error",
            "起始日期（from）晚于结束日期（to）。",
            "The start date (from) is after the end date (to).",
            field="from",
        )
    return DashboardFilter(
        created_from=created_from,
        created_to=created_to,
        institution_type=institution_type,
        basis=basis,
    )


Filters = Annotated[DashboardFilter, Depends(_filters)]
Top = Annotated[
    int, Query(ge=1, le=50, description="每一星级列出的阻碍项数 / blockers listed per level")
]


def _cache(request: Request) -> ContributionCache:
    """This app's cache of what each session's rating adds (see ``ContributionCache``)."""
    state = request.app.state
    cache: ContributionCache | None = getattr(state, "dashboard_cache", None)
    if cache is None:
        cache = state.dashboard_cache = ContributionCache()
    return cache


def _language(request: Request, lang: str | None) -> Language:
    if lang in ("zh", "en"):
        return "en" if lang == "en" else "zh"
    return preferred_language(request.headers.get("accept-language"))


@router.get(
    "/dashboard",
    summary="协会统计看板 / The association's dashboard",
    description=(
        "所有申请按星级（申报、证据、签署三种口径）、机构类型和创建月份的机构数，以及每一星级"
        "最常见的阻碍项（各申请最新评级中，使其停在下一星级之前的指标，与结论展示一致）。"
        "可按创建日期和机构类型筛选。只统计数量，不含任何申请的内容。\n\n"
        "How many applications stand at each star on the declared, evidenced and signed "
        "readings, by institution type and by month created, and the commonest blockers per "
        "level (from each application's latest rating: the indicators that hold it below its "
        "next star, as the verdict shows them). Filter by creation date and institution type. "
        "Counts only, never an application's content."
    ),
    response_model=Dashboard,
    responses=errors(401, 403, 422, 429),
)
def dashboard(
    request: Request,
    admin: AdminOrConsole,
    service: ServiceDep,
    filters: Filters,
    response: Response,
    top: Top = 10,
) -> Dashboard:
    response.headers.update(_NO_STORE)
    return from_store(service.store, service.catalog, filters, top=top, cache=_cache(request))


@router.get(
    "/dashboard/charts/{name}.svg",
    summary="看板图表 SVG / A dashboard chart (SVG)",
    description=(
        "服务器绘制的 SVG 图：`stars` 各星级机构数（三种口径并列）、`months` 每月新建申请、"
        "`blockers` 某一星级最常见的阻碍项（`level`）。每张图有标题和文字说明（`<title>`、"
        "`<desc>`），柱上标有数字。筛选条件同看板；语言按 `lang` 或 Accept-Language。\n\n"
        "A chart drawn by the server: `stars` (applications at each star, the three readings "
        "side by side), `months` (applications by month created), `blockers` (the commonest "
        "blockers of one `level`). Each has a title and a text alternative (`<title>`, "
        "`<desc>`) and numbers on its bars. Filters as the dashboard; language by `lang` or "
        "Accept-Language."
    ),
    response_class=Response,
    responses={
        200: {"content": {SVG_MEDIA_TYPE: {}}, "description": "svg"},
        **errors(401, 403, 422, 429),
    },
)
def dashboard_chart(
    request: Request,
    admin: AdminOrConsole,
    service: ServiceDep,
    filters: Filters,
    name: Annotated[ChartName, Path(description="stars | months | blockers")],
    level: Annotated[
        int, Query(ge=1, le=MAX_STARS, description="blockers 图的星级 / the blockers' level")
    ] = 1,
    lang: Annotated[
        str | None, Query(pattern="^(zh|en)$", max_length=2, description="zh | en")
    ] = None,
    top: Top = 10,
) -> Response:
    board = from_store(service.store, service.catalog, filters, top=top, cache=_cache(request))
    svg = chart(name.value, board, _language(request, lang), level=level)
    # Opened on its own, the image is a document: it may run and load nothing.
    headers = {**_NO_STORE, "Content-Security-Policy": "default-src 'none'"}
    return Response(svg, media_type=SVG_MEDIA_TYPE, headers=headers)


@router.get(
    "/export.xlsx",
    summary="导出申请、认定和阻碍项 Excel / Export applications, findings, blockers (Excel)",
    description=(
        "Excel 工作簿，三张表：申请 Applications（每个会话一行：机构、类型、时间、阶段、三种星级、"
        "签署人和时间、是否锁定）、指标认定 Findings（会话 × 指标：认定、认定人、评估人员确认、"
        "沿用待确认、更新时间）、阻碍项 Blockers（星级、指标、阻碍的申请数、原因代码）。"
        "表头中英两行。"
        "以 = + - @ 开头的文本前加 ' ，不会被当作公式。筛选条件同看板。\n\n"
        "An Excel workbook of three sheets: Applications (one row per session: institution, "
        "type, times, stage, the three readings' stars, who signed and when, locked), "
        "Findings (session × indicator: status, actor, assessor confirmed, carried, updated) "
        "and Blockers (level, indicator, applications blocked, reason codes). Headers in two "
        "rows, Chinese then English. Text starting with = + - @ gets a leading ' so no cell "
        "runs as a formula. Filters as the dashboard."
    ),
    response_class=Response,
    responses={
        200: {"content": {XLSX_MEDIA_TYPE: {}}, "description": "xlsx"},
        **errors(401, 403, 422, 429),
    },
)
def export(
    request: Request, admin: AdminOrConsole, service: ServiceDep, filters: Filters
) -> Response:
    data = export_xlsx(service.store, service.catalog, filters, cache=_cache(request))
    name = f"smecmm-dashboard-{datetime.now(UTC).date().isoformat()}.xlsx"
    headers = {"Content-Disposition": f'attachment; filename="{name}"', **_NO_STORE}
    return Response(data, media_type=XLSX_MEDIA_TYPE, headers=headers)


@pages.get("/admin")
def admin_page(settings: SettingsDep) -> FileResponse:
    path = settings.web_dir / "admin.html"
    if not path.is_file():
        raise HTTPException(404)
    return FileResponse(path, media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)
