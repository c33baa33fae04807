"""Builders and hand-written fakes for the interview tests.

* ``Clock``: a clock that moves one second per reading, so turns are ordered in time.
* ``FixedAnswerer`` / ``BrokenAnswerer``: ``Answerer`` fakes, one fixed answer with one
  ``Citation``, or an error a user would see.
* ``ScriptedMapper``: an ``AnswerMapper`` that reads only the answers a test scripted, so a
  manager test does not depend on the deterministic mapper's cue tables.
* ``FlakyStore``: a ``SessionStore`` that loses the race ``failures`` times before it commits.
* ``make_service`` / ``upload_desk``: the service wired on a store, with optional fakes.
* ``Driver``: one session, sending turns and reading what the applicant sees.
* File builders for uploads: a dated text file, a Windows program, a zip bomb.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from assistant.assessment.models import (
    AssessorNote,
    ConsoleLogin,
    EvidenceCheck,
    SessionQuery,
    SignOff,
)
from assistant.errors import AssistantError, ConcurrentUpdate
from assistant.evidence import BlobStore, EvidenceRecord, MemoryBlobStore, SearchFn
from assistant.interview.ports import Answerer, AnswerMapper
from assistant.interview.service import EvidenceDesk, InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.schema import AreaCode, Catalog, FindingStatus, Indicator, RuleSet
from assistant.qa.models import Answer, Citation
from assistant.rating.models import RatingResult
from assistant.session.models import (
    Language,
    Profile,
    ProposedFinding,
    Question,
    QuestionKind,
    Reply,
    UserTurn,
)
from assistant.session.state import FindingChange, InterviewState, RecordedFinding
from assistant.storage.base import (
    ApiKeyRecord,
    DeletedSessions,
    IndexStamp,
    SessionRecord,
    SessionStore,
    SessionSummary,
    TurnRecord,
)
from assistant.storage.memory import InMemorySessionStore

__all__ = [
    "CITATION",
    "INSTITUTION",
    "NOW",
    "PROFILE_ANSWERS",
    "QUESTION",
    "BrokenAnswerer",
    "Clock",
    "Driver",
    "FixedAnswerer",
    "FlakyStore",
    "ScriptedMapper",
    "dated_text",
    "exe_bytes",
    "fixed_answer",
    "make_service",
    "upload_desk",
    "zip_bomb_bytes",
]

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
INSTITUTION = "深圳市示例中小企业服务中心"
QUESTION = "四星对数据有什么要求？"

# profile field -> what the applicant sends: ("text", …) typed, ("quick", …) a button
PROFILE_ANSWERS: dict[str, tuple[str, str]] = {
    "name": ("text", INSTITUTION),
    "institution_type": ("quick", "type:market"),
    "service_fields": ("text", "融资对接、政策咨询"),
    "smes_served_per_year": ("text", "约300家"),
    "target_stars": ("quick", "stars:1"),
}

CITATION = Citation(
    clause="9.4.2",
    title="服务运营 — 数据与台账",
    source="参考文本（本项目编写）",
    text="四星机构按统一口径采集服务数据，并定期开展量化分析。",
    level=4,
    area=AreaCode.SO,
    score=0.91,
)


class Clock:
    """Starts at ``start`` and moves ``step`` forward on every reading."""

    def __init__(self, start: datetime = NOW, step: timedelta = timedelta(seconds=1)) -> None:
        self.current = start
        self.step = step

    def __call__(self) -> datetime:
        now = self.current
        self.current += self.step
        return now


def fixed_answer(question: str = QUESTION) -> Answer:
    return Answer(
        question=question,
        language="zh",
        covered=True,
        text="四星要求按统一口径采集服务数据（见第 9.4.2 条）。",
        citations=(CITATION,),
    )


class FixedAnswerer:
    """Answers every question with one answer citing ``CITATION``; keeps what was asked."""

    def __init__(self, answer: Answer | None = None) -> None:
        self.answer = answer or fixed_answer()
        self.asked: list[str] = []

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        self.asked.append(question)
        return self.answer.model_copy(update={"question": question})


class BrokenAnswerer:
    """An answerer whose retrieval is down: every question raises a user-facing error."""

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        raise AssistantError("检索服务暂不可用", en="retrieval is unavailable")


class ScriptedMapper(AnswerMapper):
    """Reads ``script[text]`` as (status, confidence); anything else is not rated."""

    def __init__(self, script: Mapping[str, tuple[FindingStatus, float]]) -> None:
        self.script = dict(script)
        self.calls: list[tuple[str, str]] = []

    def propose(
        self, text: str, indicator: Indicator, *, language: Language, profile: Profile
    ) -> ProposedFinding:
        self.calls.append((text, indicator.id))
        status, confidence = self.script.get(text, (FindingStatus.NOT_RATED, 0.3))
        return ProposedFinding(
            indicator_id=indicator.id,
            status=status,
            confidence=confidence,
            rationale=f"脚本读法：{text}",
        )


class FlakyStore(SessionStore):
    """Delegates to ``inner``; ``commit_turn`` raises ``ConcurrentUpdate`` ``failures`` times
    first, as if another worker had written the session in between."""

    def __init__(self, inner: SessionStore, failures: int) -> None:
        self.inner = inner
        self.failures = failures
        self.attempts = 0

    def create(self, session: SessionRecord, greeting: TurnRecord) -> None:
        self.inner.create(session, greeting)

    def get(self, session_id: str) -> SessionRecord:
        return self.inner.get(session_id)

    def commit_turn(
        self,
        session: SessionRecord,
        turn: TurnRecord,
        *,
        changes: Sequence[FindingChange] = (),
        evidence: Sequence[EvidenceRecord] = (),
        rating: RatingResult | None = None,
        changed_findings: Collection[str] | None = None,
    ) -> SessionRecord:
        self.attempts += 1
        if self.failures > 0:
            self.failures -= 1
            raise ConcurrentUpdate("会话已被更新", en="the session changed")
        return self.inner.commit_turn(
            session,
            turn,
            changes=changes,
            evidence=evidence,
            rating=rating,
            changed_findings=changed_findings,
        )

    def turns(self, session_id: str) -> list[TurnRecord]:
        return self.inner.turns(session_id)

    def last_turn(self, session_id: str) -> TurnRecord:
        return self.inner.last_turn(session_id)

    def history(self, session_id: str, indicator_id: str | None = None) -> list[FindingChange]:
        return self.inner.history(session_id, indicator_id)

    def evidence(self, session_id: str) -> list[EvidenceRecord]:
        return self.inner.evidence(session_id)

    def latest_rating(self, session_id: str) -> RatingResult | None:
        return self.inner.latest_rating(session_id)

    def list_sessions(self, *, limit: int = 50, offset: int = 0) -> list[SessionSummary]:
        return self.inner.list_sessions(limit=limit, offset=offset)

    def add_key(self, key: ApiKeyRecord) -> None:
        self.inner.add_key(key)

    def find_key(self, key_hash: str) -> ApiKeyRecord | None:
        return self.inner.find_key(key_hash)

    def list_keys(self) -> list[ApiKeyRecord]:
        return self.inner.list_keys()

    def revoke_key(self, key_id: str) -> None:
        self.inner.revoke_key(key_id)

    def set_key_secret(self, key_id: str, secret: str) -> None:
        self.inner.set_key_secret(key_id, secret)

    def touch_token(self, session_id: str, at: datetime) -> None:
        self.inner.touch_token(session_id, at)

    def revoke_token(self, session_id: str, at: datetime, *, drop_resume_code: bool) -> None:
        self.inner.revoke_token(session_id, at, drop_resume_code=drop_resume_code)

    def set_resume_code(self, session_id: str, code_hash: str, expires_at: datetime) -> None:
        self.inner.set_resume_code(session_id, code_hash, expires_at)

    def redeem_resume_code(self, code_hash: str, token_hash: str, now: datetime) -> str | None:
        return self.inner.redeem_resume_code(code_hash, token_hash, now)

    def claim_jti(self, site: str, jti: str, expires_at: datetime, now: datetime) -> bool:
        return self.inner.claim_jti(site, jti, expires_at, now)

    def prunable(self, inactive_before: datetime, *, limit: int | None) -> list[SessionSummary]:
        return self.inner.prunable(inactive_before, limit=limit)

    def delete_inactive(
        self, session_ids: Collection[str], inactive_before: datetime
    ) -> DeletedSessions:
        return self.inner.delete_inactive(session_ids, inactive_before)

    def evidence_in_use(
        self, sha256s: Collection[str], *, besides: Collection[str] = ()
    ) -> set[str]:
        return self.inner.evidence_in_use(sha256s, besides=besides)

    def drop_expired(self, now: datetime) -> int:
        return self.inner.drop_expired(now)

    def index_stamp(self) -> IndexStamp | None:
        return self.inner.index_stamp()

    def bump_index_stamp(self, content_hash: str, at: datetime) -> IndexStamp:
        return self.inner.bump_index_stamp(content_hash, at)

    def add_signoff(self, signoff: SignOff) -> None:
        self.inner.add_signoff(signoff)

    def signoffs(self, session_id: str) -> list[SignOff]:
        return self.inner.signoffs(session_id)

    def reopen_signoff(
        self, session_id: str, version: int, *, by: str, reason: str, at: datetime
    ) -> SignOff:
        return self.inner.reopen_signoff(session_id, version, by=by, reason=reason, at=at)

    def live_signoff(self, session_id: str) -> SignOff | None:
        return self.inner.live_signoff(session_id)

    def set_evidence_check(self, check: EvidenceCheck) -> None:
        self.inner.set_evidence_check(check)

    def evidence_checks(self, session_id: str) -> list[EvidenceCheck]:
        return self.inner.evidence_checks(session_id)

    def add_note(self, note: AssessorNote) -> None:
        self.inner.add_note(note)

    def notes(self, session_id: str) -> list[AssessorNote]:
        return self.inner.notes(session_id)

    def query_sessions(self, query: SessionQuery) -> tuple[list[SessionSummary], int]:
        return self.inner.query_sessions(query)

    def all_summaries(self) -> Iterator[SessionSummary]:
        return self.inner.all_summaries()

    def add_console_login(self, login: ConsoleLogin) -> None:
        self.inner.add_console_login(login)

    def find_console_login(self, id_hash: str) -> ConsoleLogin | None:
        return self.inner.find_console_login(id_hash)

    def revoke_console_login(self, id_hash: str, at: datetime) -> None:
        self.inner.revoke_console_login(id_hash, at)


def upload_desk(
    catalog: Catalog,
    blobs: BlobStore | None = None,
    *,
    search: SearchFn | None = None,
    max_bytes: int = 1024 * 1024,
) -> UploadDesk:
    return UploadDesk(catalog, blobs or MemoryBlobStore(), max_bytes=max_bytes, search=search)


def make_service(
    catalog: Catalog,
    rules: RuleSet,
    store: SessionStore | None = None,
    *,
    desk: EvidenceDesk | None = None,
    mapper: AnswerMapper | None = None,
    answerer: Answerer | None = None,
    clock: Callable[[], datetime] | None = None,
) -> InterviewService:
    return InterviewService(
        catalog,
        rules,
        store or InMemorySessionStore(),
        desk=desk,
        mapper=mapper,
        answerer=answerer,
        clock=clock or Clock(),
    )


@dataclass
class Driver:
    """One session: sends turns, keeps the last reply, reads the stored state."""

    service: InterviewService
    session_id: str
    reply: Reply
    replies: list[Reply] = field(default_factory=list)

    @classmethod
    def start(
        cls, service: InterviewService, *, language: Language = "zh", profile: Profile | None = None
    ) -> Driver:
        started = service.start(language=language, profile=profile)
        return cls(service, started.session_id, started.reply, [started.reply])

    def _keep(self, reply: Reply) -> Reply:
        self.reply = reply
        self.replies.append(reply)
        return reply

    def send(
        self,
        text: str | None = None,
        *,
        quick: str | None = None,
        answers: Mapping[str, FindingStatus] | None = None,
    ) -> Reply:
        turn = UserTurn(text=text, quick_reply=quick, answers=dict(answers) if answers else None)
        return self._keep(self.service.send(self.session_id, turn))

    def upload(self, filename: str, data: bytes) -> Reply:
        return self._keep(self.service.upload(self.session_id, filename, data))

    @property
    def question(self) -> Question:
        assert self.reply.question is not None, self.reply.text
        return self.reply.question

    @property
    def kind(self) -> QuestionKind:
        return self.question.kind

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(ref.id for ref in self.question.indicators)

    @property
    def quick_values(self) -> tuple[str, ...]:
        return tuple(reply.value for reply in self.question.quick_replies)

    @property
    def record(self) -> SessionRecord:
        return self.service.store.get(self.session_id)

    @property
    def state(self) -> InterviewState:
        return self.record.state

    @property
    def findings(self) -> dict[str, RecordedFinding]:
        return self.record.findings

    def fill_profile(self, **overrides: tuple[str, str]) -> Reply:
        """Answer every profile question from ``PROFILE_ANSWERS`` (``overrides`` win)."""
        answers = {**PROFILE_ANSWERS, **overrides}
        while self.reply.question is not None and self.kind is QuestionKind.PROFILE:
            assert self.question.field is not None
            how, value = answers[self.question.field]
            if how == "quick":
                self.send(quick=value)
            else:
                self.send(value)
        return self.reply

    def answer(self, status: Callable[[str], FindingStatus] = lambda _: FindingStatus.MET) -> Reply:
        """Answer the question on screen: a checklist by structured answers, else a button."""
        if self.kind is QuestionKind.CHECKLIST:
            return self.send(answers={i: status(i) for i in self.ids})
        return self.send(quick=status(self.ids[0]).value)

    def answer_until(
        self,
        stop: Callable[[Driver], bool],
        status: Callable[[str], FindingStatus] = lambda _: FindingStatus.MET,
        *,
        limit: int = 200,
    ) -> Reply:
        for _ in range(limit):
            if stop(self) or self.kind is QuestionKind.DONE:
                return self.reply
            self.answer(status)
        raise AssertionError(f"no stop after {limit} answers; last: {self.reply.text[:200]}")


def dated_text(title: str, issued: date, body: str = "") -> bytes:
    """A plain-text document whose first line names its kind and whose text carries a date."""
    passed = f"本文件于{issued.year}年{issued.month}月{issued.day}日经理事会审议通过。"
    lines = [title, passed, body]
    return "\n".join(lines).encode("utf-8")


def exe_bytes() -> bytes:
    """The start of a Windows program: what a renamed ``.exe`` looks like."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(512)


def zip_bomb_bytes(megabytes: int = 4) -> bytes:
    """A DOCX-looking ZIP with one member that inflates ~1000-fold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", bytes(megabytes * 1024 * 1024))
    return buffer.getvalue()
