"""The interview as a service: sessions in, replies out, every turn persisted at once.

The API and ``smecmm chat`` both drive this class; it wires the dialogue manager to the
store, the evidence desk, the rating engine and the reports.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from assistant.assessment.lock import ensure_unlocked
from assistant.documents import Limits
from assistant.errors import ConcurrentUpdate, FindingsError
from assistant.evidence import EvidenceRecord
from assistant.interview.carried import CarriedStart, CarryingManager, offer_confirm
from assistant.interview.manager import Outcome
from assistant.interview.ports import Answerer, AnswerMapper, QuestionPhraser
from assistant.interview.rated import rate_session
from assistant.interview.readings import ReadingView, readings_of, session_readings, undoable
from assistant.interview.render import QuestionRenderer
from assistant.interview.scope import Scope
from assistant.interview.summary import rating_summary
from assistant.interview.texts import say
from assistant.interview.tokens import (
    SessionTokens,
    TokenPolicy,
    TokenState,
    new_session_token,
)
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet, StrictModel
from assistant.rating import RatingResult
from assistant.reports import RenderedReport, ReportData, ReportFormat, ReportPart, render_report
from assistant.security import hash_token
from assistant.session.models import (
    AnswerReading,
    Language,
    Profile,
    QuestionKind,
    Reply,
    UserTurn,
)
from assistant.session.state import Actor, FindingChange, InterviewState, RecordedFinding, Stage
from assistant.storage.base import SessionRecord, SessionStore, TurnRecord
from assistant.verdict import Verdicts, present
from assistant.vocabulary import status_label

__all__ = ["EvidenceDesk", "InterviewService", "SessionView", "StartedSession"]

Clock = Callable[[], datetime]
# What a committed turn recorded: (its finding changes, its number) -> the readings it shows
ReadingsOf = Callable[[Sequence[FindingChange], int], tuple[AnswerReading, ...]]


class EvidenceDesk(Protocol):
    """Receives an upload: validates, stores the bytes, reads and describes it, suggests links."""

    def receive(
        self,
        session_id: str,
        filename: str,
        data: bytes,
        *,
        now: datetime,
        context_ids: Sequence[str] = (),
    ) -> EvidenceRecord: ...

    def read(self, sha256: str) -> bytes:
        """The stored bytes of an upload (``KeyError`` when gone)."""
        ...

    @property
    def limits(self) -> Limits:
        """The document reader's caps for uploads (also what a preview may cost)."""
        ...


@dataclass(frozen=True)
class StartedSession:
    session_id: str
    token: str  # shown once; only its hash is stored
    reply: Reply


class SessionView(StrictModel):
    id: str
    language: Language
    stage: Stage
    profile: Profile
    full_gap_analysis: bool
    findings: dict[str, RecordedFinding]
    evidence: tuple[EvidenceRecord, ...]
    reply: Reply  # the last reply: what the user was looking at
    created_at: datetime
    updated_at: datetime
    owner: str | None


def _utcnow() -> datetime:
    return datetime.now(UTC)


class InterviewService:
    def __init__(
        self,
        catalog: Catalog,
        rules: RuleSet,
        store: SessionStore,
        *,
        desk: EvidenceDesk | None = None,
        mapper: AnswerMapper | None = None,
        answerer: Answerer | None = None,
        phraser: QuestionPhraser | None = None,
        clock: Clock = _utcnow,
        token_policy: TokenPolicy | None = None,
    ) -> None:
        self.catalog = catalog
        self.rules = rules
        self.store = store
        self.scope = Scope(catalog, rules)
        self.renderer = QuestionRenderer(catalog, phraser)
        self.manager = CarryingManager(self.scope, self.renderer, mapper=mapper, answerer=answerer)
        self._desk = desk
        self._answerer = answerer
        self._clock = clock
        self.tokens = SessionTokens(store, token_policy or TokenPolicy(), clock)

    @property
    def desk(self) -> EvidenceDesk | None:
        """Where uploads are kept (None when evidence storage is not configured)."""
        return self._desk

    def now(self) -> datetime:
        """The service's clock (a test or a benchmark may move it)."""
        return self._clock()

    @property
    def answerer(self) -> Answerer | None:
        """Who answers questions asked mid-interview (None without a retrieval index)."""
        return self._answerer

    # ---------------------------------------------------------------- sessions

    def start(
        self,
        *,
        language: Language = "zh",
        profile: Profile | None = None,
        owner: str | None = None,
        carried: CarriedStart | None = None,
    ) -> StartedSession:
        """A new interview; with ``carried``, a re-assessment that starts from a signed one."""
        now = self._clock()
        session_id = uuid.uuid4().hex
        token = new_session_token()
        state = InterviewState(language=language, profile=profile or Profile())
        outcome = self.manager.greet(state, carried.findings if carried else {}, now)
        outcome.messages[1:1] = carried.messages(language) if carried else []
        evidence = carried.records(session_id) if carried else ()
        reply = self._reply(session_id, outcome, evidence).model_copy(update={"turn": 0})
        record = SessionRecord(
            id=session_id,
            token_hash=hash_token(token),
            created_at=now,
            updated_at=now,
            state=outcome.state,
            findings=outcome.findings,
            owner=owner,
            token_seen_at=now,
            previous_session_id=carried.previous_session_id if carried else None,
        )
        greeting = TurnRecord(session_id=session_id, index=0, at=now, user=None, reply=reply)
        self.store.create(record, greeting)
        if carried is not None:  # its records and audit lines need a turn: the opening again
            reply = reply.model_copy(update={"turn": 1})
            opened = TurnRecord(session_id=session_id, index=1, at=now, user=None, reply=reply)
            self.store.commit_turn(record, opened, changes=carried.changes(now), evidence=evidence)
        return StartedSession(session_id, token, reply)

    def verify_token(self, session_id: str, token: str) -> bool:
        """Whether ``token`` opens the session now (see ``tokens.check`` for why not)."""
        return self.tokens.check(session_id, token) is TokenState.VALID

    def view(self, session_id: str) -> SessionView:
        record = self.store.get(session_id)
        return SessionView(
            id=record.id,
            language=record.state.language,
            stage=record.state.stage,
            profile=record.state.profile,
            full_gap_analysis=record.state.full_gap_analysis,
            findings=record.findings,
            evidence=tuple(self.store.evidence(session_id)),
            reply=self.store.last_turn(session_id).reply,
            created_at=record.created_at,
            updated_at=record.updated_at,
            owner=record.owner,
        )

    # ---------------------------------------------------------------- turns

    def send(self, session_id: str, user: UserTurn) -> Reply:
        return self._commit(
            session_id,
            lambda record, now: self.manager.handle(record.state, record.findings, user, now),
            user=user,
            readings=readings_of,
        )

    def readings(self, session_id: str) -> list[ReadingView]:
        """Every finding the applicant's turns recorded, each with whether it still stands."""
        record = self.store.get(session_id)
        return session_readings(self.store.turns(session_id), record.findings)

    def undo(self, session_id: str, turn: int, indicator_id: str) -> Reply:
        """Revert the finding ``turn`` recorded for ``indicator_id`` (``ReadingError`` when
        there is none, or it changed since); the interview asks that indicator again."""

        def apply(record: SessionRecord, now: datetime) -> Outcome:
            turns = self.store.turns(session_id)
            reading = undoable(turns, record.findings, turn, indicator_id)
            return self.manager.undo(record.state, record.findings, reading, now)

        def reverted(_changes: Sequence[FindingChange], index: int) -> tuple[AnswerReading, ...]:
            return (
                AnswerReading(
                    turn=index,
                    indicator_id=indicator_id,
                    status=FindingStatus.NOT_RATED,
                    undo_of=turn,
                ),
            )

        return self._commit(session_id, apply, readings=reverted)

    def upload(
        self, session_id: str, filename: str, data: bytes, *, valid_until: date | None = None
    ) -> Reply:
        """Store and describe a file; ``valid_until``, when given, overrides what the text says."""
        if self._desk is None:
            raise FindingsError("未配置证据存储 / evidence storage is not configured")
        record = self.store.get(session_id)
        ensure_unlocked(self.store, session_id)  # before a byte is stored
        now = self._clock()
        pending = record.state.pending
        context = pending.indicator_ids if pending else ()
        evidence = self._desk.receive(session_id, filename, data, now=now, context_ids=context)
        if valid_until is not None:
            evidence = evidence.model_copy(update={"valid_until": valid_until})
        return self._commit(
            session_id,
            lambda stored, _now: self.manager.uploaded(stored.state, stored.findings, evidence),
            new_evidence=evidence,
        )

    def override(
        self,
        session_id: str,
        indicator_id: str,
        status: FindingStatus,
        *,
        reason: str,
        assessor: str,
    ) -> RatingResult:
        """An assessor's finding: kept with who/when/why; the rating shows it as confirmed."""
        if indicator_id not in self.scope.by_id:
            raise FindingsError(
                f"未知指标 {indicator_id!r}", en=f"unknown indicator {indicator_id!r}"
            )

        def apply(record: SessionRecord, now: datetime) -> Outcome:
            previous = record.findings.get(indicator_id)
            finding = RecordedFinding(
                indicator_id=indicator_id,
                status=status,
                reason=reason,
                actor=Actor.ASSESSOR,
                assessor_confirmed=True,
                updated_at=now,
            )
            change = FindingChange(
                indicator_id=indicator_id,
                previous=previous.status if previous else None,
                status=status,
                actor=Actor.ASSESSOR,
                actor_name=assessor,
                reason=reason,
                at=now,
            )
            label = status_label(status, record.state.language, inline=True)
            message = (
                f"评估人员 {assessor} 将 {indicator_id} 确认为：**{label}**（{reason}）。"
                if record.state.language == "zh"
                else f"Assessor {assessor} set {indicator_id} to **{label}** ({reason})."
            )
            return Outcome(
                state=record.state,
                findings={**record.findings, indicator_id: finding},
                messages=[message],
                changes=[change],
                show_rating=True,
            )

        reply = self._commit(session_id, apply)
        assert reply.rating is not None
        return reply.rating

    def assessor_turn(
        self,
        session_id: str,
        step: Callable[[SessionRecord, datetime], Outcome],
        *,
        new_evidence: EvidenceRecord | None = None,
        ask: bool = True,
    ) -> Reply:
        """A turn without the applicant's words (an assessor's record, sign-off or reopening),
        written like any turn: ``step`` sees the record as read (again on a retry); with
        ``ask=False`` the reply repeats no question."""
        return self._commit(session_id, step, new_evidence=new_evidence, ask=ask)

    def _commit(
        self,
        session_id: str,
        step: Callable[[SessionRecord, datetime], Outcome],
        *,
        user: UserTurn | None = None,
        new_evidence: EvidenceRecord | None = None,
        readings: ReadingsOf | None = None,
        ask: bool = True,
    ) -> Reply:
        for attempt in range(3):
            record = self.store.get(session_id)
            ensure_unlocked(self.store, session_id)  # a signed-off session takes no turn
            now = self._clock()
            outcome = step(record, now)
            evidence = self._evidence_after(session_id, outcome, new_evidence)
            index = record.version + 1
            reply = self._reply(session_id, outcome, evidence, ask=ask).model_copy(
                update={
                    "turn": index,
                    "readings": readings(outcome.changes, index) if readings else (),
                }
            )
            stored = record.model_copy(
                update={"state": outcome.state, "findings": outcome.findings, "updated_at": now}
            )
            turn = TurnRecord(
                session_id=session_id,
                index=index,
                at=now,
                user=user,
                upload_evidence_id=new_evidence.id if new_evidence else None,
                reply=reply,
            )
            try:
                self.store.commit_turn(
                    stored,
                    turn,
                    changes=outcome.changes,
                    evidence=_touched(evidence, outcome, new_evidence),
                    rating=reply.rating,
                    changed_findings=_changed(record.findings, outcome.findings),
                )
            except ConcurrentUpdate:
                if attempt == 2:
                    raise
                continue
            return reply
        raise AssertionError("unreachable")

    def _evidence_after(
        self, session_id: str, outcome: Outcome, new: EvidenceRecord | None
    ) -> tuple[EvidenceRecord, ...]:
        if not (new or outcome.show_rating or outcome.links or outcome.evidence_edits):
            return ()  # neither rated nor written this turn: most turns need no evidence
        records = {r.id: r for r in self.store.evidence(session_id)}
        if new is not None:
            records[new.id] = new
        for evidence_id, edits in outcome.evidence_edits.items():
            if evidence_id in records:
                records[evidence_id] = records[evidence_id].model_copy(update=edits)
        for evidence_id, ids in outcome.links.items():
            current = records.get(evidence_id)
            if current is not None:
                linked = tuple(dict.fromkeys((*current.indicator_ids, *ids)))
                records[evidence_id] = current.model_copy(update={"indicator_ids": linked})
        return tuple(records.values())

    # ---------------------------------------------------------------- rating

    def rating(self, session_id: str, *, as_of: date | None = None) -> RatingResult:
        record = self.store.get(session_id)
        evidence = tuple(self.store.evidence(session_id))
        return self._rate(record.findings, evidence, as_of or self._clock().date())

    def verdict(
        self, session_id: str, rating: RatingResult, *, language: Language | None = None
    ) -> Verdicts:
        """``rating`` in words, counted over this interview's scope, in the session's language
        unless ``language`` says otherwise."""
        record = self.store.get(session_id)
        return self._present(record.state, record.findings, rating, language)

    def _present(
        self,
        state: InterviewState,
        findings: dict[str, RecordedFinding],
        rating: RatingResult,
        language: Language | None = None,
    ) -> Verdicts:
        return present(
            rating,
            self.catalog,
            language or state.language,
            scope=self.scope.in_scope(state, findings),
            pending=self.scope.still_open(state, findings),
        )

    def _rate(
        self,
        findings: dict[str, RecordedFinding],
        evidence: Sequence[EvidenceRecord],
        as_of: date,
    ) -> RatingResult:
        return rate_session(self.catalog, self.rules, findings, evidence, as_of)

    # ---------------------------------------------------------------- reports

    def report(
        self, session_id: str, fmt: ReportFormat, *, part: ReportPart = "full"
    ) -> RenderedReport:
        record = self.store.get(session_id)
        evidence = tuple(self.store.evidence(session_id))
        now = self._clock()
        data = ReportData(
            session_id=session_id,
            language=record.state.language,
            generated_at=now,
            profile=record.state.profile,
            catalog=self.catalog,
            rating=self._rate(record.findings, evidence, now.date()),
            findings=record.findings,
            evidence=evidence,
            scope=tuple(self.scope.in_scope(record.state, record.findings)),
            pending=tuple(self.scope.still_open(record.state, record.findings)),
        )
        return render_report(data, fmt, part=part)

    # ---------------------------------------------------------------- replies

    def _reply(
        self,
        session_id: str,
        outcome: Outcome,
        evidence: Sequence[EvidenceRecord],
        *,
        ask: bool = True,
    ) -> Reply:
        state = outcome.state
        language = state.language
        parts = list(outcome.messages)
        rating = verdict = None
        if outcome.show_rating:
            rating = self._rate(outcome.findings, evidence, self._clock().date())
            verdict = self._present(state, outcome.findings, rating)
            parts.append(rating_summary(verdict))
        pending = state.pending if ask else None  # ask=False: a notice, no question (a lock)
        if pending is not None and pending.kind is QuestionKind.DONE:
            parts.append(say("report_hint", language))
        elif pending is not None:
            text = self.renderer.text(pending, language, state.profile, outcome.findings)
            if text:
                parts.append(text)
        reply = Reply(
            session_id=session_id,
            language=language,
            text="\n\n".join(part for part in parts if part),
            question=self.renderer.question(pending, language) if pending else None,
            proposed_findings=outcome.proposals,
            progress=self.scope.progress(state, outcome.findings),
            rating=rating,
            verdict=verdict,
            citations=outcome.citations,
        )
        return offer_confirm(reply, outcome.findings)


def _changed(
    before: Mapping[str, RecordedFinding], after: Mapping[str, RecordedFinding]
) -> tuple[str, ...]:
    """The indicators whose finding a turn set, changed or removed."""
    return tuple(
        key
        for key in before.keys() | after.keys()
        if before.get(key) is not after.get(key) and before.get(key) != after.get(key)
    )


def _touched(
    evidence: Sequence[EvidenceRecord], outcome: Outcome, new: EvidenceRecord | None
) -> tuple[EvidenceRecord, ...]:
    ids = set(outcome.links) | set(outcome.evidence_edits) | ({new.id} if new else set())
    return tuple(record for record in evidence if record.id in ids)
