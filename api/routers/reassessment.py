"""Re-assessment: next year's assessment started from a signed one, and what changed since."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from api.auth import Caller
from api.console import ConsoleCaller, ConsoleReadableSession
from api.deps import ServiceDep
from api.errors import ApiError
from api.reassessment_schemas import Comparison, ReassessmentCreated
from api.routers.common import errors
from assistant.assessment.reassess import (
    NotReassessment,
    NotSigned,
    Reassessment,
    comparison,
    start_reassessment,
)
from assistant.interview.service import InterviewService
from assistant.session.state import Actor

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["assessor 评估人员"])


def _starter(caller: Caller) -> tuple[Actor, str | None]:
    """The applicant with its token; otherwise the assessor (or admin) named by its key."""
    if caller.bearer is None and caller.staff is not None:
        return Actor.ASSESSOR, caller.staff.label or caller.staff.id
    return Actor.APPLICANT, None


def _created(started: Reassessment) -> ReassessmentCreated:
    plan = started.plan
    return ReassessmentCreated(
        session_id=started.started.session_id,
        token=started.started.token,
        reply=started.started.reply,
        previous_session_id=plan.previous_session_id,
        version=plan.version,
        carried=len(plan.findings),
        carried_ids=tuple(plan.findings),
        carried_evidence=len(plan.evidence),
        asked_again=plan.asked_again,
        to_renew=plan.renew,
    )


def _reassess(service: InterviewService, session_id: str, caller: Caller) -> ReassessmentCreated:
    actor, name = _starter(caller)
    try:
        return _created(start_reassessment(service, session_id, actor, name=name))
    except NotSigned as error:
        raise ApiError(409, NotSigned.code, str(error), error.message("en")) from None


@router.post(
    "/{session_id}/reassess",
    status_code=201,
    summary="开始复评 / Start a re-assessment",
    description=(
        "从已签署的评估开始下一年的复评：新建会话（令牌只返回这一次，同 `POST /sessions`），"
        "上次满足、基本满足或不适用且证据在今天仍然有效的认定记为“沿用待确认”，不再提问；"
        "仍在有效期内的证据连同关联一并沿用；过期的证据列出需要更新的内容。申请机构凭该会话"
        "的令牌、评估人员和管理员凭密钥调用；从未签署的会话返回 409 `not_signed`。\n\n"
        "Starts next year's assessment from a signed one: a new session (its token shown once, "
        "as `POST /sessions` returns one); findings that were met, largely met or not "
        "applicable and whose evidence still holds today are carried (carried, to be "
        "confirmed) and not asked again; evidence still fresh is carried with its links; "
        "expired evidence is listed with what to renew. The applicant calls it with that "
        "session's token, assessors and admins with their key; a session never signed off "
        "answers 409 `not_signed`."
    ),
    responses=errors(401, 403, 404, 409),
)
async def reassess(
    session_id: ConsoleReadableSession, caller: ConsoleCaller, service: ServiceDep
) -> ReassessmentCreated:
    return await run_in_threadpool(_reassess, service, session_id, caller)


def _compare(service: InterviewService, session_id: str) -> Comparison:
    try:
        return comparison(service, session_id)
    except NotReassessment as error:
        raise ApiError(409, NotReassessment.code, str(error), error.message("en")) from None


@router.get(
    "/{session_id}/comparison",
    summary="与上次评估对比 / Compare with the last assessment",
    description=(
        "复评会话与其所依据会话的最新签署版本对比：各能力域在申报、证据、评估确认三种口径下"
        "的等级（上次 → 现在），变化的认定（状态与认定人，含上次评估人员改定的认定），证据的"
        "沿用、更新、过期与新增，以及合计。不是复评的会话返回 409 `not_reassessment`。\n\n"
        "The re-assessment against its previous session's latest sign-off: per area the "
        "level then → now on the declared, evidenced and assessor-confirmed readings; the "
        "findings that changed (status and who set it, with every finding an assessor set "
        "last time); evidence carried, renewed, expired and new; totals. A session that is not "
        "a re-assessment answers 409 `not_reassessment`."
    ),
    responses=errors(401, 403, 404, 409),
)
def read_comparison(session_id: ConsoleReadableSession, service: ServiceDep) -> Comparison:
    return _compare(service, session_id)
