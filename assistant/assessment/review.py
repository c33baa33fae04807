"""What an assessor reviews of one assessment, built from stored data by pure functions.

Per indicator: the finding and who set it, the applicant's own words (the user text of the
turn that recorded it) with the reading's rationale and confidence, each direct evidence
requirement met or not and why (the rating engine's own matching, via
``assistant.evidence.sufficiency``), the linked files with the assessor's checks, how the
evidenced and the confirmed readings count it, the scoring guidance and the notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from assistant.assessment.models import AssessorNote, EvidenceCheck, SignOff
from assistant.assessment.review_models import (
    ApplicantReading,
    AssessorView,
    CheckedFile,
    LockState,
    ReviewedFinding,
    SignOffSummary,
)
from assistant.assessment.signoff import latest_checks
from assistant.evidence.models import EvidenceRecord
from assistant.evidence.sufficiency import indicator_materials
from assistant.interview.readings import ReadingView
from assistant.knowledge.schema import Catalog, FindingStatus, Indicator
from assistant.rating.models import IndicatorResult, RatingResult
from assistant.session.models import Language, Profile, ProposedFinding, UserTurn
from assistant.session.state import FindingChange, RecordedFinding, Stage
from assistant.storage.base import TurnRecord
from assistant.verdict import Verdicts

__all__ = ["ReviewInputs", "build_view", "lock_state", "user_words"]

Via = Literal["text", "quick_reply", "answers"]


@dataclass(frozen=True)
class ReviewInputs:
    """Everything the view is built from, read by the service."""

    catalog: Catalog
    session_id: str
    language: Language
    stage: Stage
    profile: Profile
    owner: str | None
    created_at: datetime
    updated_at: datetime
    as_of: date
    findings: Mapping[str, RecordedFinding]
    scope: Sequence[str]
    turns: Sequence[TurnRecord]
    readings: Sequence[ReadingView]
    history: Sequence[FindingChange]
    evidence: Sequence[EvidenceRecord]
    checks: Sequence[EvidenceCheck]
    notes: Sequence[AssessorNote]
    signoffs: Sequence[SignOff]
    rating: RatingResult
    confirmed: RatingResult
    verdict: Verdicts
    confirmed_verdict: Verdicts


def user_words(user: UserTurn | None) -> tuple[str | None, Via | None]:
    """What the applicant sent in one turn, as text, and how."""
    if user is None:
        return None, None
    if user.text is not None:
        return user.text, "text"
    if user.quick_reply is not None:
        return user.quick_reply, "quick_reply"
    answers = user.answers or {}
    return "; ".join(f"{key}: {status.value}" for key, status in answers.items()), "answers"


def _proposal(turn: TurnRecord | None, indicator_id: str) -> ProposedFinding | None:
    if turn is None:
        return None
    return next((p for p in turn.reply.proposed_findings if p.indicator_id == indicator_id), None)


def _applicant_reading(
    indicator_id: str, readings: Sequence[ReadingView], turns: Mapping[int, TurnRecord]
) -> ApplicantReading | None:
    """The latest reading of the indicator that was not undone, with its turn's words."""
    latest = max(
        (r for r in readings if r.indicator_id == indicator_id and r.state != "undone"),
        key=lambda r: r.turn,
        default=None,
    )
    if latest is None:
        return None
    turn = turns.get(latest.turn)
    words, via = user_words(turn.user if turn else None)
    proposal = _proposal(turn, indicator_id)
    asked = None
    before = _proposal(turns.get(latest.turn - 1), indicator_id)
    if proposal is not None and before is not None and not before.recorded:
        asked = user_words(turns[latest.turn - 1].user)[0]  # the confirm question's answer
    return ApplicantReading(
        turn=latest.turn,
        words=words,
        via=via,
        asked_words=asked,
        rationale=proposal.rationale if proposal else None,
        confidence=proposal.confidence if proposal else None,
        quote=proposal.quote if proposal else None,
    )


def _files(
    indicator_id: str | None,
    evidence: Sequence[EvidenceRecord],
    checks: Mapping[str, EvidenceCheck],
) -> tuple[CheckedFile, ...]:
    return tuple(
        CheckedFile(
            evidence=record,
            check=checks.get(record.id),
            counted=bool(checks.get(record.id) and checks[record.id].verified),
        )
        for record in evidence
        if indicator_id is None or indicator_id in record.indicator_ids
    )


def _finding(
    indicator: Indicator,
    inputs: ReviewInputs,
    checks: Mapping[str, EvidenceCheck],
    context: _Context,
) -> ReviewedFinding:
    finding = inputs.findings.get(indicator.id)
    last = context.changes.get(indicator.id)
    return ReviewedFinding(
        indicator_id=indicator.id,
        title_zh=indicator.title.zh,
        title_en=indicator.title.en,
        area=indicator.area,
        level=int(indicator.level),
        core=indicator.core,
        status=finding.status if finding else FindingStatus.NOT_RATED,
        actor=finding.actor if finding else None,
        actor_name=last.actor_name if last else None,
        reason=finding.reason if finding else None,
        assessor_confirmed=finding.assessor_confirmed if finding else False,
        carried=finding.carried if finding else False,
        updated_at=finding.updated_at if finding else None,
        reading=_applicant_reading(indicator.id, inputs.readings, context.turns),
        evidenced=context.evidenced[indicator.id],
        confirmed=context.confirmed[indicator.id],
        requirements=tuple(indicator_materials(indicator, inputs.evidence, as_of=inputs.as_of)),
        files=_files(indicator.id, inputs.evidence, checks),
        scoring=indicator.scoring,
        scoring_en=indicator.scoring_en,
        notes=tuple(n for n in inputs.notes if n.indicator_id == indicator.id),
    )


@dataclass(frozen=True)
class _Context:
    turns: Mapping[int, TurnRecord]
    changes: Mapping[str, FindingChange]  # the latest change of each indicator
    evidenced: Mapping[str, IndicatorResult]
    confirmed: Mapping[str, IndicatorResult]


def lock_state(signoffs: Iterable[SignOff]) -> LockState:
    """Locked when the latest sign-off was not reopened."""
    latest = max(signoffs, key=lambda s: s.version, default=None)
    if latest is None or latest.reopened_at is not None:
        return LockState(locked=False)
    return LockState(
        locked=True, version=latest.version, signed_by=latest.signed_by, signed_at=latest.signed_at
    )


def build_view(inputs: ReviewInputs) -> AssessorView:
    """The assessor's view: every indicator in scope or with a finding, in catalog order."""
    checks = latest_checks(inputs.checks)
    context = _Context(
        turns={turn.index: turn for turn in inputs.turns},
        changes={change.indicator_id: change for change in inputs.history},
        evidenced={r.indicator_id: r for r in inputs.rating.indicators},
        confirmed={r.indicator_id: r for r in inputs.confirmed.indicators},
    )
    shown = set(inputs.scope) | set(inputs.findings)
    return AssessorView(
        session_id=inputs.session_id,
        language=inputs.language,
        stage=inputs.stage,
        profile=inputs.profile,
        owner=inputs.owner,
        created_at=inputs.created_at,
        updated_at=inputs.updated_at,
        as_of=inputs.as_of,
        rating=inputs.rating,
        confirmed=inputs.confirmed,
        verdict=inputs.verdict,
        confirmed_verdict=inputs.confirmed_verdict,
        findings=tuple(
            _finding(indicator, inputs, checks, context)
            for indicator in inputs.catalog.indicators
            if indicator.id in shown
        ),
        evidence=_files(None, inputs.evidence, checks),
        notes=tuple(inputs.notes),
        signoffs=tuple(SignOffSummary.of(s) for s in inputs.signoffs),
        lock=lock_state(inputs.signoffs),
    )
