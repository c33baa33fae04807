"""Assessors' work: list sessions, review one indicator (with its scoring guidance), override a
finding with a reason, read the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query

from api import examples
from api.assessment_schemas import QueueQuery
from api.console import StaffOrConsole
from api.deps import ServiceDep, SessionId
from api.routers.common import errors
from api.schemas import AuditTrail, FindingOverride, FindingReview, SessionList
from assistant.errors import FindingsError
from assistant.rating import RatingResult

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["assessor 评估人员"])

IndicatorId = Annotated[str, Path(description="指标编号，如 SO-4-03 / e.g. SO-4-03", max_length=16)]


@router.get(
    "",
    summary="会话列表 / List sessions",
    description=(
        "评估人员的待办队列：最近更新的在前，可按申报或证据星级、是否已签署、访谈阶段、机构类型、"
        "更新日期和文字（机构名称或会话编号）筛选并分页；`total` 为符合条件的总数。\n\n"
        "The assessor queue, most recently updated first, filtered by declared or evidenced "
        "stars, signed or not, stage, institution type, update dates and text (institution "
        "name or session id), paged; `total` counts every match (staff keys)."
    ),
    responses=errors(401, 403, 422, 429),
)
def list_sessions(staff: StaffOrConsole, service: ServiceDep, query: QueueQuery) -> SessionList:
    sessions, total = service.store.query_sessions(query)
    return SessionList(
        sessions=tuple(sessions), limit=query.limit, offset=query.offset, total=total
    )


@router.get(
    "/{session_id}/findings/{indicator_id}",
    summary="核查一项指标 / Review one indicator",
    description=(
        "评估人员核查某项指标：指标全文及其评分细则（满足、基本满足、部分满足分别是什么样，"
        "评估时抽查什么）、当前认定、已关联的证据和审计记录。\n\n"
        "An assessor's view of one indicator: its text with the scoring guidance (what met, "
        "largely met and partly met look like, and what the assessor samples), the current "
        "finding, the linked evidence and the audit trail."
    ),
    responses=errors(401, 403, 404, 429),
)
def review_finding(
    staff: StaffOrConsole,
    service: ServiceDep,
    session_id: SessionId,
    indicator_id: IndicatorId,
) -> FindingReview:
    try:
        indicator = service.catalog.indicator(indicator_id)
    except KeyError:
        raise FindingsError(
            f"未知指标 {indicator_id!r}", en=f"unknown indicator {indicator_id!r}"
        ) from None
    view = service.view(session_id)
    return FindingReview(
        session_id=session_id,
        indicator=indicator,
        finding=view.findings.get(indicator_id),
        evidence=tuple(e for e in view.evidence if indicator_id in e.indicator_ids),
        changes=tuple(service.store.history(session_id, indicator_id)),
    )


@router.put(
    "/{session_id}/findings/{indicator_id}",
    summary="评估人员认定 / Override a finding",
    description=(
        "评估人员给出某项指标的认定，必须写明理由；认定以密钥的名称记入审计记录，评级中视为已"
        "确认。返回新的评级。\n\n"
        "An assessor's finding for one indicator, with a required reason; recorded in the "
        "audit trail under the key's label and counted as confirmed by the rating. Returns "
        "the new rating."
    ),
    responses=errors(400, 401, 403, 404, 409, 422, 429),
)
def override_finding(
    staff: StaffOrConsole,
    service: ServiceDep,
    session_id: SessionId,
    indicator_id: IndicatorId,
    body: Annotated[FindingOverride, Body(openapi_examples=examples.OVERRIDE_REQUESTS)],
) -> RatingResult:
    return service.override(
        session_id,
        indicator_id,
        body.status,
        reason=body.reason,
        assessor=staff.label or staff.id,
    )


@router.get(
    "/{session_id}/audit",
    summary="审计记录 / Audit trail",
    description=(
        "发现的全部变更：谁、何时、由什么改为什么、理由。可按指标筛选。\n\n"
        "Every change of a finding: who, when, from what to what, why; filter by indicator."
    ),
    responses=errors(401, 403, 404, 429),
)
def read_audit(
    staff: StaffOrConsole,
    service: ServiceDep,
    session_id: SessionId,
    indicator_id: Annotated[str | None, Query(max_length=16)] = None,
) -> AuditTrail:
    changes = service.store.history(session_id, indicator_id)
    return AuditTrail(session_id=session_id, changes=tuple(changes))
