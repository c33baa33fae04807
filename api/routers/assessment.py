"""The assessor's work on one assessment: the review view, evidence checks, notes, interview
and observation records, sign-off and reopening. A signed-off session is locked: every write
here (and every write of the applicant) answers 409 ``session_locked`` until it is reopened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path

from api.assessment_schemas import (
    CheckRequest,
    NoteList,
    NoteRequest,
    RecordAdded,
    RecordRequest,
    ReopenRequest,
    SignOffList,
)
from api.console import ConsoleReadableSession, StaffOrConsole
from api.deps import ServiceDep, SessionId
from api.errors import ApiError, preferred_language
from api.routers.common import errors
from assistant.assessment.models import AssessorNote, EvidenceCheck, SignOff
from assistant.assessment.problems import AssessmentError
from assistant.assessment.review import lock_state
from assistant.assessment.review_models import AssessorView, SignOffSummary
from assistant.assessment.service import AssessmentService
from assistant.knowledge.schema import EvidenceKind
from assistant.storage import ApiKeyRecord, KeyRole

__all__ = ["router"]

router = APIRouter(prefix="/sessions", tags=["assessor 评估人员"])

EvidenceId = Annotated[str, Path(description="证据编号 / evidence id", max_length=64)]
Version = Annotated[int, Path(description="签署版本 / sign-off version", ge=1, le=1_000_000)]

_STATUS = {
    "evidence_not_found": 404,
    "signoff_not_found": 404,
    "not_live": 409,
    "invalid": 422,
    "not_signer": 403,
}
_CODES = {"not_live": "signoff_not_live", "invalid": "assessment_invalid"}


def _assessment(service: ServiceDep) -> AssessmentService:
    return AssessmentService(service)


Assessment = Annotated[AssessmentService, Depends(_assessment)]


def _name(staff: ApiKeyRecord) -> str:
    return staff.label or staff.id


@contextmanager
def _refusals() -> Iterator[None]:
    """An assessor action the service refused, with its own status and code."""
    try:
        yield
    except AssessmentError as error:
        raise ApiError(
            _STATUS[error.problem],
            _CODES.get(error.problem, error.problem),
            str(error),
            error.message("en"),
        ) from None


@router.get(
    "/{session_id}/assessor-view",
    summary="评估人员审阅视图 / The assessor's review",
    description=(
        "评估人员审阅一份申请所需的全部内容：机构画像；各能力域的星级与阻碍项（申报、证据、"
        "评估人员确认三种口径，文字按 `Accept-Language`）；每项指标的认定及认定人、申请机构的"
        "原话、解读的理由和把握、每项直接证据要求是否满足及原因、关联的文件及其核查、评分细则、"
        "备注；全部证据及核查；签署记录和锁定状态。\n\n"
        "Everything an assessor reviews of one application: the profile; each area's level "
        "and blockers on the declared, evidenced and assessor-confirmed readings (words by "
        "`Accept-Language`); per indicator the finding and who set it, the applicant's own "
        "words, the reading's rationale and confidence, each direct evidence requirement met "
        "or not and why, the linked files with their checks, the scoring guidance and the "
        "notes; all evidence with its checks; the sign-offs and the lock."
    ),
    responses=errors(401, 403, 404, 429),
)
def assessor_view(
    staff: StaffOrConsole,
    assessment: Assessment,
    session_id: SessionId,
    accept_language: Annotated[str | None, Header(max_length=200)] = None,
) -> AssessorView:
    return assessment.assessor_view(session_id, language=preferred_language(accept_language))


@router.put(
    "/{session_id}/evidence/{evidence_id}/check",
    summary="核查证据 / Check a file",
    description=(
        "标记一份证据已抽查、核验属实或不予采信，可附说明；以最新一次为准。只有核验属实的证据"
        "计入评估人员确认口径。未知证据 404 `evidence_not_found`；已签署锁定 409 "
        "`session_locked`。\n\n"
        "Mark a file sampled, verified or rejected, with a note; the latest check counts. "
        "Only verified files count in the assessor-confirmed reading. Unknown file 404 "
        "`evidence_not_found`; a signed-off session 409 `session_locked`."
    ),
    responses=errors(400, 401, 403, 404, 409, 422, 429),
)
def check_evidence(
    staff: StaffOrConsole,
    assessment: Assessment,
    session_id: SessionId,
    evidence_id: EvidenceId,
    body: CheckRequest,
) -> EvidenceCheck:
    with _refusals():
        return assessment.check_evidence(
            session_id,
            evidence_id,
            sampled=body.sampled,
            verified=body.verified,
            note=body.note,
            assessor=_name(staff),
        )


@router.post(
    "/{session_id}/notes",
    status_code=201,
    summary="添加备注 / Add a note",
    description=(
        "评估人员对整个评估或某项指标的备注（1–4000 字），记下作者和时间。已签署锁定 409。\n\n"
        "An assessor's note on the whole assessment or one indicator (1–4000 characters), "
        "kept with its author and time. 409 when signed off and locked."
    ),
    responses=errors(400, 401, 403, 404, 409, 422, 429),
)
def add_note(
    staff: StaffOrConsole, assessment: Assessment, session_id: SessionId, body: NoteRequest
) -> AssessorNote:
    with _refusals():
        return assessment.add_note(
            session_id, body.text, indicator_id=body.indicator_id, assessor=_name(staff)
        )


@router.get(
    "/{session_id}/notes",
    summary="备注 / Notes",
    description="评估人员的全部备注，最早的在前。\n\nEvery assessor's note, oldest first.",
    responses=errors(401, 403, 404, 429),
)
def list_notes(staff: StaffOrConsole, assessment: Assessment, session_id: SessionId) -> NoteList:
    return NoteList(session_id=session_id, notes=tuple(assessment.notes(session_id)))


@router.post(
    "/{session_id}/records",
    status_code=201,
    summary="添加访谈或现场查看记录 / Add an interview or observation record",
    description=(
        "评估人员的访谈记录（interview）或现场查看记录（observation）：全文作为文本证据保存，"
        "关联所列指标，日期为访谈或查看当天（不得晚于今天），并视为已核验，计入评估人员确认"
        "口径。会话对话中记下一条说明。已签署锁定 409。\n\n"
        "An assessor's interview or on-site observation record: its text is kept as a text "
        "file of evidence, linked to the indicators named, dated the day of the interview or "
        "visit (not after today) and counted as verified in the assessor-confirmed reading. "
        "The session's chat notes it. 409 when signed off and locked."
    ),
    responses=errors(400, 401, 403, 404, 409, 413, 415, 422, 429),
)
def add_record(
    staff: StaffOrConsole, assessment: Assessment, session_id: SessionId, body: RecordRequest
) -> RecordAdded:
    with _refusals():
        record = assessment.add_record(
            session_id,
            EvidenceKind(body.kind),
            body.text,
            body.indicator_ids,
            body.dated,
            _name(staff),
        )
    return RecordAdded(evidence=record)


@router.post(
    "/{session_id}/signoff",
    status_code=201,
    summary="签署 / Sign off",
    description=(
        "冻结当前结果并锁定会话：保存机构画像、认定、证据、核查、备注，申报、证据和评估人员确认"
        "三种口径的星级，签署人、时间、目录与规则的版本和哈希，以及快照（键排序、无空白的 UTF-8 "
        "JSON）的 SHA-256。锁定后申请机构只能查看和下载，任何修改 409 `session_locked`；"
        "再次签署前须重新开启（新签署为下一版本）。\n\n"
        "Freezes the result and locks the session: the profile, findings, evidence, checks, "
        "notes, the stars on the declared, evidenced and assessor-confirmed readings, the "
        "signer, the time, the catalog and rule versions and hashes, and the SHA-256 of the "
        "snapshot (UTF-8 JSON, keys sorted, no whitespace). Once locked the applicant can read "
        "and download only; any change is 409 `session_locked`. Reopen before signing again "
        "(the next sign-off is the next version)."
    ),
    responses=errors(401, 403, 404, 409, 429),
)
def sign_off(staff: StaffOrConsole, assessment: Assessment, session_id: SessionId) -> SignOff:
    return assessment.sign_off(session_id, _name(staff))


@router.get(
    "/{session_id}/signoffs",
    summary="签署记录 / Sign-offs",
    description=(
        "本会话的全部签署（不含快照），按版本排列，以及当前是否锁定。申请机构可凭本会话令牌"
        "读取。\n\n"
        "Every sign-off of the session (without snapshots), by version, and whether it is "
        "locked now. The applicant may read it with the session token."
    ),
    responses=errors(401, 403, 404, 429),
)
def list_signoffs(session_id: ConsoleReadableSession, service: ServiceDep) -> SignOffList:
    found = AssessmentService(service).signoffs(session_id)
    return SignOffList(
        session_id=session_id,
        signoffs=tuple(SignOffSummary.of(s) for s in found),
        lock=lock_state(found),
    )


@router.get(
    "/{session_id}/signoffs/{version}",
    summary="一次签署 / One sign-off",
    description=(
        "某一版签署的全部内容，含冻结的快照及其哈希；重新开启后旧版本仍可读取，内容不变。"
        "申请机构可凭本会话令牌读取。没有该版本 404 `signoff_not_found`。\n\n"
        "One sign-off in full, with its frozen snapshot and hash; after a reopening the old "
        "version stays readable, unchanged. The applicant may read it with the session token. "
        "404 `signoff_not_found` when there is no such version."
    ),
    responses=errors(401, 403, 404, 429),
)
def read_signoff(
    session_id: ConsoleReadableSession, service: ServiceDep, version: Version
) -> SignOff:
    with _refusals():
        return AssessmentService(service).signoff(session_id, version)


@router.post(
    "/{session_id}/signoffs/{version}/reopen",
    summary="重新开启 / Reopen",
    description=(
        "解除锁定以便修改，须写明理由；该版签署标记为已重新开启（谁、何时、为何），其快照不变、"
        "仍可读取。只能重新开启当前生效的签署，否则 409 `signoff_not_live`；没有该版本 404。"
        "只有签署人或管理员可以重新开启，否则 403 `not_signer`。\n\n"
        "Unlocks the session for changes; a reason is required. The sign-off is marked "
        "reopened (who, when, why); its snapshot stays as signed and readable. Only the live "
        "sign-off can be reopened (else 409 `signoff_not_live`); 404 for no such version. "
        "Only the assessor who signed it or an admin may reopen it (else 403 `not_signer`)."
    ),
    responses=errors(400, 401, 403, 404, 409, 422, 429),
)
def reopen(
    staff: StaffOrConsole,
    assessment: Assessment,
    session_id: SessionId,
    version: Version,
    body: ReopenRequest,
) -> SignOffSummary:
    with _refusals():
        reopened = assessment.reopen(
            session_id, version, _name(staff), body.reason, admin=staff.role is KeyRole.ADMIN
        )
    return SignOffSummary.of(reopened)
