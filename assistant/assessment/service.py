"""The assessor's work on one assessment, around the interview service: evidence checks, notes,
interview and observation records, sign-off and reopening, and the review view.

Every write first checks the lock (``assistant.assessment.lock``); a refused call writes
nothing. A record, a sign-off and a reopening are also turns of the session (a notice in the
applicant's chat, written like any turn), so a sign-off freezes exactly the version it read:
an answer that lands in between makes the sign-off read again.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from assistant.assessment.lock import ensure_unlocked
from assistant.assessment.models import MAX_NOTE_CHARS, AssessorNote, EvidenceCheck, SignOff
from assistant.assessment.problems import AssessmentError
from assistant.assessment.records import add_record
from assistant.assessment.review import ReviewInputs, build_view
from assistant.assessment.review_models import AssessorView
from assistant.assessment.signoff import (
    build_signoff,
    confirmed_reading,
    signed_notice,
    signed_snapshot,
)
from assistant.errors import ConcurrentUpdate, FindingsError
from assistant.evidence.models import EvidenceRecord
from assistant.interview.manager import Outcome
from assistant.interview.rated import rate_session
from assistant.interview.readings import session_readings
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import EvidenceKind
from assistant.rating.models import RatingResult
from assistant.session.models import Language
from assistant.storage.base import SessionRecord
from assistant.verdict import Verdicts, present

__all__ = ["AssessmentError", "AssessmentService"]


class AssessmentService:
    def __init__(self, interview: InterviewService) -> None:
        self.interview = interview
        self.store = interview.store
        self.catalog = interview.catalog
        self.rules = interview.rules

    # ------------------------------------------------------------------ reads

    def confirmed(self, session_id: str, *, as_of: date | None = None) -> RatingResult:
        record = self.store.get(session_id)
        return confirmed_reading(
            self.catalog,
            self.rules,
            record.findings,
            self.store.evidence(session_id),
            self.store.evidence_checks(session_id),
            as_of or self.interview.now().date(),
        )

    def signoffs(self, session_id: str) -> list[SignOff]:
        self.store.head(session_id)  # SessionNotFound for an unknown id
        return self.store.signoffs(session_id)

    def signoff(self, session_id: str, version: int) -> SignOff:
        for signoff in self.signoffs(session_id):
            if signoff.version == version:
                return signoff
        raise AssessmentError(
            f"会话 {session_id!r} 没有第 {version} 版签署。",
            en=f"Session {session_id!r} has no sign-off version {version}.",
            problem="signoff_not_found",
        )

    def notes(self, session_id: str) -> list[AssessorNote]:
        self.store.head(session_id)
        return self.store.notes(session_id)

    def assessor_view(self, session_id: str, *, language: Language | None = None) -> AssessorView:
        record = self.store.get(session_id)
        turns = self.store.turns(session_id)
        evidence = self.store.evidence(session_id)
        checks = self.store.evidence_checks(session_id)
        as_of = self.interview.now().date()
        rating = rate_session(self.catalog, self.rules, record.findings, evidence, as_of)
        confirmed = confirmed_reading(
            self.catalog, self.rules, record.findings, evidence, checks, as_of
        )
        words = language or record.state.language
        return build_view(
            ReviewInputs(
                catalog=self.catalog,
                session_id=session_id,
                language=record.state.language,
                stage=record.state.stage,
                profile=record.state.profile,
                owner=record.owner,
                created_at=record.created_at,
                updated_at=record.updated_at,
                as_of=as_of,
                findings=record.findings,
                scope=self.interview.scope.in_scope(record.state, record.findings),
                turns=turns,
                readings=session_readings(turns, record.findings),
                history=self.store.history(session_id),
                evidence=evidence,
                checks=checks,
                notes=self.store.notes(session_id),
                signoffs=self.store.signoffs(session_id),
                rating=rating,
                confirmed=confirmed,
                verdict=self._verdict(record, rating, words),
                confirmed_verdict=self._verdict(record, confirmed, words),
            )
        )

    def _verdict(self, record: SessionRecord, rating: RatingResult, language: Language) -> Verdicts:
        scope = self.interview.scope
        return present(
            rating,
            self.catalog,
            language,
            scope=scope.in_scope(record.state, record.findings),
            pending=scope.still_open(record.state, record.findings),
        )

    # ------------------------------------------------------------------ writes

    def check_evidence(
        self,
        session_id: str,
        evidence_id: str,
        *,
        sampled: bool,
        verified: bool | None,
        note: str | None,
        assessor: str,
    ) -> EvidenceCheck:
        """Mark a file sampled, verified or rejected (the latest check of a file wins)."""
        self.store.head(session_id)
        ensure_unlocked(self.store, session_id)
        if not any(record.id == evidence_id for record in self.store.evidence(session_id)):
            raise AssessmentError(
                f"会话中没有证据 {evidence_id!r}。",
                en=f"The session has no evidence {evidence_id!r}.",
                problem="evidence_not_found",
            )
        check = EvidenceCheck(
            session_id=session_id,
            evidence_id=evidence_id,
            sampled=sampled,
            verified=verified,
            note=(note or "").strip() or None,
            assessor=assessor,
            at=self.interview.now(),
        )
        self.store.set_evidence_check(check)
        return check

    def add_note(
        self, session_id: str, text: str, *, indicator_id: str | None, assessor: str
    ) -> AssessorNote:
        self.store.head(session_id)
        ensure_unlocked(self.store, session_id)
        body = text.strip()
        if not body or len(body) > MAX_NOTE_CHARS:
            raise AssessmentError(
                f"备注须为 1 至 {MAX_NOTE_CHARS} 个字符。",
                en=f"A note takes 1 to {MAX_NOTE_CHARS} characters.",
                problem="invalid",
            )
        if indicator_id is not None:
            self._known(indicator_id)
        note = AssessorNote(
            id=uuid.uuid4().hex,
            session_id=session_id,
            indicator_id=indicator_id,
            text=body,
            assessor=assessor,
            at=self.interview.now(),
        )
        self.store.add_note(note)
        return note

    def add_record(
        self,
        session_id: str,
        kind: EvidenceKind,
        text: str,
        indicator_ids: Sequence[str],
        dated: date,
        assessor: str,
    ) -> EvidenceRecord:
        """An interview or on-site observation record (``assistant.assessment.records``)."""
        return add_record(self.interview, session_id, kind, text, indicator_ids, dated, assessor)

    def _known(self, indicator_id: str) -> None:
        if indicator_id not in self.interview.scope.by_id:
            raise FindingsError(
                f"未知指标 {indicator_id!r}", en=f"unknown indicator {indicator_id!r}"
            )

    def sign_off(self, session_id: str, assessor: str) -> SignOff:
        """Freeze the session as it stands and lock it: the snapshot, its hash and the three
        readings' stars (version 1, then one more after each reopening)."""
        self.store.head(session_id)
        ensure_unlocked(self.store, session_id)
        built: list[SignOff] = []

        def step(record: SessionRecord, now: datetime) -> Outcome:
            built.clear()
            built.append(self._build(record, assessor, now))
            signed = built[0]
            zh, en = signed_notice(signed)
            return Outcome(
                state=record.state,
                findings=record.findings,
                messages=[zh if record.state.language == "zh" else en],
                show_rating=True,
            )

        self.interview.assessor_turn(session_id, step, ask=False)
        self.store.add_signoff(built[0])
        return built[0]

    def _build(self, record: SessionRecord, assessor: str, now: datetime) -> SignOff:
        session_id = record.id
        evidence = self.store.evidence(session_id)
        checks = self.store.evidence_checks(session_id)
        as_of = now.date()
        rating = rate_session(self.catalog, self.rules, record.findings, evidence, as_of)
        snapshot = signed_snapshot(
            profile=record.state.profile,
            findings=record.findings,
            evidence=evidence,
            checks=checks,
            notes=self.store.notes(session_id),
            rating=rating,
            confirmed=confirmed_reading(
                self.catalog, self.rules, record.findings, evidence, checks, as_of
            ),
            history=self.store.history(session_id),
        )
        version = max((s.version for s in self.store.signoffs(session_id)), default=0) + 1
        return build_signoff(
            snapshot, session_id=session_id, version=version, signed_by=assessor, signed_at=now
        )

    def reopen(
        self, session_id: str, version: int, assessor: str, reason: str, *, admin: bool = False
    ) -> SignOff:
        """Unlock: the live sign-off is marked reopened (its snapshot stays as signed). Only
        the assessor who signed it, or an admin, may reopen another's signed work."""
        why = reason.strip()
        if not why:
            raise AssessmentError(
                "重新开启须写明理由。", en="Reopening needs a reason.", problem="invalid"
            )
        live = self.store.live_signoff(session_id)
        if live is None or live.version != version:
            self.signoff(session_id, version)  # signoff_not_found when there is no such one
            raise AssessmentError(
                f"第 {version} 版签署不是当前生效的签署（已重新开启，或已有更新的版本）。",
                en=f"Sign-off version {version} is not the live one (reopened already, or a "
                "later version exists).",
                problem="not_live",
            )
        if not admin and live.signed_by != assessor:
            raise AssessmentError(
                f"第 {version} 版由评估人员 {live.signed_by} 签署，"
                "只有签署人或管理员可以重新开启。",
                en=f"Version {version} was signed off by {live.signed_by}: only the signer or an "
                "admin may reopen it.",
                problem="not_signer",
            )
        try:
            reopened = self.store.reopen_signoff(
                session_id, version, by=assessor, reason=why, at=self.interview.now()
            )
        except ConcurrentUpdate:
            raise AssessmentError(
                f"第 {version} 版签署已被重新开启。",
                en=f"Sign-off version {version} was reopened already.",
                problem="not_live",
            ) from None
        zh = f"评估人员 {assessor} 重新开启了评估（第 {version} 版签署保留可查）：{why}"
        en = (
            f"Assessor {assessor} reopened the assessment (sign-off {version} stays "
            f"readable): {why}"
        )

        def step(record: SessionRecord, _now: datetime) -> Outcome:
            language = record.state.language
            return Outcome(
                state=record.state,
                findings=record.findings,
                messages=[zh if language == "zh" else en],
            )

        self.interview.assessor_turn(session_id, step)
        return reopened
