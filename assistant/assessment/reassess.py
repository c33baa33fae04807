"""Next year's assessment, started from a signed one, and its comparison with it.

``start_reassessment`` reads the signed session's latest sign-off (live or reopened: a signed
version stays what it was), works out what it carries (``assistant.assessment.carry``) at the
service's date, and starts a new session through ``InterviewService.start``: same language,
profile and owner, the carried findings recorded and audited as carried by whoever started it,
the fresh evidence records taken over. The signed session is only read, so its lock does not
stand in the way. ``comparison`` compares a re-assessment with its previous session's latest
sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.assessment.carry import Carry, RenewItem, carry
from assistant.assessment.compare import Comparison, NowState, compare
from assistant.assessment.models import SignOff
from assistant.assessment.signoff import confirmed_reading
from assistant.errors import AssistantError
from assistant.interview.carried import CarriedStart
from assistant.interview.service import InterviewService, StartedSession
from assistant.session.state import Actor

__all__ = [
    "NotReassessment",
    "NotSigned",
    "Reassessment",
    "comparison",
    "latest_signoff",
    "start_reassessment",
]


class NotSigned(AssistantError):
    """A re-assessment starts only from an assessment an assessor signed off (API: 409)."""

    code = "not_signed"


class NotReassessment(AssistantError):
    """A comparison needs a session started as a re-assessment (API: 409)."""

    code = "not_reassessment"


@dataclass(frozen=True)
class Reassessment:
    started: StartedSession
    plan: Carry

    @property
    def renew(self) -> tuple[RenewItem, ...]:
        return self.plan.renew


def latest_signoff(service: InterviewService, session_id: str) -> SignOff:
    """The session's latest sign-off, reopened or not (``NotSigned`` when there is none)."""
    service.store.get(session_id)  # SessionNotFound first: 404, not 409
    signoffs = service.store.signoffs(session_id)
    if not signoffs:
        raise NotSigned(
            f"会话 {session_id!r} 尚未由评估人员签署，不能据此开始复评；请先完成评估并签署。",
            en=f"Session {session_id!r} was never signed off by an assessor, so no "
            "re-assessment can start from it; finish and sign the assessment first.",
        )
    return signoffs[-1]


def start_reassessment(
    service: InterviewService, signed_session_id: str, by: Actor, *, name: str | None = None
) -> Reassessment:
    """A new session carrying what still holds of ``signed_session_id``'s latest sign-off.

    ``by`` is who starts it (the applicant, or an assessor named ``name``): the audit trail
    records each carried finding as carried by them."""
    signoff = latest_signoff(service, signed_session_id)
    previous = service.store.get(signed_session_id)
    now = service.now()
    plan = carry(signoff, service.catalog, now.date(), at=now)
    started = service.start(
        language=previous.state.language,
        profile=signoff.snapshot.profile,
        owner=previous.owner,
        carried=CarriedStart(plan=plan, actor=by, actor_name=name),
    )
    return Reassessment(started=started, plan=plan)


def comparison(service: InterviewService, session_id: str) -> Comparison:
    """Re-assessment ``session_id`` against its previous session's latest sign-off."""
    record = service.store.get(session_id)
    if record.previous_session_id is None:
        raise NotReassessment(
            f"会话 {session_id!r} 不是复评，没有可对比的上次评估。",
            en=f"Session {session_id!r} is not a re-assessment: there is no earlier "
            "assessment to compare it with.",
        )
    signoff = latest_signoff(service, record.previous_session_id)
    evidence = tuple(service.store.evidence(session_id))
    as_of = service.now().date()
    checks = service.store.evidence_checks(session_id)
    now = NowState(
        session_id=session_id,
        findings=record.findings,
        evidence=evidence,
        rating=service.rating(session_id, as_of=as_of),
        confirmed=confirmed_reading(
            service.catalog, service.rules, record.findings, evidence, checks, as_of
        ),
    )
    return compare(signoff, now, service.catalog)
