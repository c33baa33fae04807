"""The indicator catalog and the rule versions: public reference data."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from api.deps import PublicCaller, ServiceDep
from api.routers.common import errors
from api.schemas import CatalogPublic, CatalogVersions, Vocabulary
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import AreaCode
from assistant.vocabulary import payload

__all__ = ["router"]

router = APIRouter(tags=["catalog 指标目录"])


def _etag(service: InterviewService, area: AreaCode | None, level: int | None) -> str:
    catalog, rules = service.catalog, service.rules
    scope = f"{area.value if area else '*'}-{level or '*'}"
    return f'"{catalog.content_hash[-16:]}-{rules.content_hash[-16:]}-{scope}"'


@router.get(
    "/catalog",
    summary="指标目录 / The indicator catalog",
    description=(
        "能力域、能力项、星级特征、全部指标（含提问方式和证据要求）以及目录和评级规则的版本。"
        "可按能力域 `area` 和星级 `level` 筛选。\n\n"
        "Areas, capability items, level characteristics, every indicator (with its question "
        "and evidence requirements) and the catalog and rule versions; filter by `area` and "
        "`level`."
    ),
    response_model=CatalogPublic,
    responses={304: {"description": "未变化 / not modified"}, **errors(401, 403, 422, 429)},
)
def read_catalog(
    caller: PublicCaller,
    service: ServiceDep,
    response: Response,
    area: Annotated[AreaCode | None, Query(description="SS | SD | ST | SO | CSI")] = None,
    level: Annotated[int | None, Query(ge=1, le=5)] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> CatalogPublic | Response:
    etag = _etag(service, area, level)
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if if_none_match == etag:
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    catalog, rules = service.catalog, service.rules
    indicators = tuple(
        indicator
        for indicator in catalog.indicators
        if (area is None or indicator.area == area) and (level is None or indicator.level == level)
    )
    versions = CatalogVersions(
        standard=catalog.standard,
        catalog_version=catalog.version,
        catalog_hash=catalog.content_hash,
        rules_version=rules.version,
        rules_hash=rules.content_hash,
        threshold=rules.threshold,
    )
    return CatalogPublic(
        versions=versions, areas=catalog.areas, levels=catalog.levels, indicators=indicators
    )


@router.get(
    "/vocabulary",
    summary="代码与标签 / Codes and their labels",
    description=(
        "产品显示的每个代码（发现状态、证据类型、原因代码、机构类型、星级、能力域等）及其中英文"
        "标签；网页从这里取标签，不再自带一份。\n\n"
        "Every code the product shows (finding statuses, evidence kinds, reason codes, "
        "institution types, star levels, areas, …) with its zh and en label; the page takes "
        "its labels from here instead of keeping a copy."
    ),
    response_model=Vocabulary,
    responses={304: {"description": "未变化 / not modified"}, **errors(401, 403, 429)},
)
def read_vocabulary(
    caller: PublicCaller,
    service: ServiceDep,
    response: Response,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Vocabulary | Response:
    body = Vocabulary.model_validate(payload(service.catalog))
    digest = hashlib.sha256(body.model_dump_json().encode()).hexdigest()[:16]
    etag = f'"vocabulary-{digest}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=300"}
    if if_none_match == etag:
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return body
