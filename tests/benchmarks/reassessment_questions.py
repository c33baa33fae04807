"""How many questions a re-assessment asks against a fresh assessment, per example institution.

    python -m tests.benchmarks.reassessment_questions

For each of ``knowledge/examples/*.yaml``, on the real catalog and rules, the deterministic
service (no model) and an in-memory store:

1. **Fresh**: on the example's ``as_of`` date a scripted applicant answers the profile, uploads
   every evidence item of the example as a dated text file through the real upload desk and
   links it, then answers each question truthfully from the example (an indicator the example
   does not list: "not yet") until the summary.
2. **Review and sign-off**: an assessor confirms the level-1 core findings declared met (as
   after an on-site interview), sets one finding to largely met with a reason, and signs off.
3. **Re-assessment**: one year later (the clock moved 365 days; the files keep their dates, so
   those older than their requirement's maximum age have expired) the applicant starts the
   re-assessment from the signed one and answers as before until the summary.

A *question* is a reply that puts a profile, indicator, checklist or confirmation question to
the applicant; the evidence confirmations that the uploads cause are not counted (the
re-assessment uploads nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from assistant.assessment.carry import Carry
from assistant.assessment.models import SignOff
from assistant.assessment.reassess import start_reassessment
from assistant.assessment.service import AssessmentService
from assistant.evidence import MemoryBlobStore
from assistant.findings_file import FindingsFile, load_findings_file
from assistant.interview.service import InterviewService
from assistant.interview.uploads import UploadDesk
from assistant.knowledge.loader import default_knowledge_dir, load_catalog, load_rules
from assistant.knowledge.schema import (
    Catalog,
    EvidenceKind,
    FindingStatus,
    InstitutionType,
    RuleSet,
)
from assistant.rating.models import EvidenceItem
from assistant.session.models import QuestionKind, Reply, UserTurn
from assistant.session.state import Actor
from assistant.storage.memory import InMemorySessionStore
from tests.utils.interview import Clock
from tests.utils.interview_script import Applicant

__all__ = [
    "ASSESSOR",
    "EXAMPLES",
    "Measurement",
    "Run",
    "measure",
    "review_and_sign",
]

EXAMPLES = tuple(sorted((default_knowledge_dir() / "examples").glob("*.yaml")))
ASSESSOR = "评估机构甲 / assessor A"
ONE_YEAR = timedelta(days=365)
_ASKING = frozenset(
    {QuestionKind.PROFILE, QuestionKind.INDICATOR, QuestionKind.CHECKLIST, QuestionKind.CONFIRM}
)
_TYPE_REPLY = {
    InstitutionType.PUBLIC_SERVICE: "type:public_service",
    InstitutionType.MARKET: "type:market",
    InstitutionType.NONPROFIT: "type:nonprofit",
}
OVERRIDE_REASON = "抽查材料后认定为基本满足 / largely met after sampling the files"
CONFIRM_REASON = "现场访谈确认 / confirmed in the on-site interview"


@dataclass
class Run:
    session_id: str
    replies: list[Reply] = field(default_factory=list)

    @property
    def questions(self) -> int:
        return sum(1 for r in self.replies if r.question and r.question.kind in _ASKING)

    @property
    def profile_questions(self) -> int:
        return sum(
            1 for r in self.replies if r.question and r.question.kind is QuestionKind.PROFILE
        )

    @property
    def indicator_questions(self) -> int:
        """Indicator, checklist and confirmation questions: the questions about the standard."""
        return self.questions - self.profile_questions

    @property
    def asked(self) -> frozenset[str]:
        """Every indicator some question put to the applicant."""
        return frozenset(
            ref.id
            for r in self.replies
            if r.question and r.question.kind in _ASKING
            for ref in r.question.indicators
        )


@dataclass
class Measurement:
    example: str
    fresh: Run
    reassessment: Run
    signoff: SignOff
    plan: Carry
    overridden: str
    service: InterviewService


def _policy(example: FindingsFile) -> dict[str, FindingStatus]:
    return {f.indicator_id: f.status for f in example.findings}


def _document(indicator_id: str, n: int, item: EvidenceItem) -> tuple[str, bytes]:
    assert item.dated is not None
    lines = [f"{item.title or item.kind.value}（{indicator_id} 第 {n} 份）"]
    if item.covers_months:
        start = item.dated - timedelta(days=31 * item.covers_months - 1)
        lines.append(f"记录期间：{start.year}年{start.month}月{start.day}日起")
    lines.append(f"本文件于{item.dated.year}年{item.dated.month}月{item.dated.day}日形成。")
    return f"{item.kind.value}-{indicator_id}-{n}.txt", "\n".join(lines).encode("utf-8")


def _upload_all(applicant: Applicant, example: FindingsFile) -> None:
    """Every evidence item as a file, linked to its indicator; the question that was on screen
    comes back afterwards. The desk must read each file's kind and date as the example has
    them (checked once at the end), or the measurement would not be of this example."""
    service, session_id = applicant.service, applicant.session_id
    expected: dict[str, tuple[EvidenceKind, date | None]] = {}
    for finding in example.findings:
        for n, item in enumerate(finding.evidence, 1):
            name, data = _document(finding.indicator_id, n, item)
            expected[name] = (item.kind, item.dated)
            service.upload(session_id, name, data, valid_until=item.valid_until)
            link = UserTurn(text=f"link:{finding.indicator_id}")
            applicant.reply = service.send(session_id, link)
    read = {r.filename: (r.kind, r.dated) for r in service.store.evidence(session_id)}
    assert read == expected, {
        name: read.get(name) for name in expected if read.get(name) != expected[name]
    }


def _profile_values(example: FindingsFile) -> dict[str, str]:
    kind = example.institution_type or InstitutionType.MARKET
    return {
        "name": example.institution or "示例机构",
        "institution_type": _TYPE_REPLY[kind],
        "service_fields": "政策咨询、融资对接、数字化转型",
        "smes_served_per_year": "约300家",
        "target_stars": "stars:unsure",
    }


def _answer(applicant: Applicant, run: Run) -> None:
    """Truthful answers until the summary; every reply kept in ``run``."""
    applicant.seen = []
    applicant.finish()
    run.replies.extend(applicant.seen)


def fresh_interview(service: InterviewService, example: FindingsFile) -> Run:
    policy = _policy(example)
    started = service.start(language="zh")
    run = Run(started.session_id, [started.reply])
    applicant = Applicant(
        service,
        started.session_id,
        "zh",
        lambda i: policy.get(i, FindingStatus.NOT_MET),
        reply=started.reply,
    )
    applicant.seen = []
    applicant.answer_profile(_profile_values(example))
    run.replies.extend(applicant.seen)
    _upload_all(applicant, example)
    _answer(applicant, run)
    return run


def _pick_override(example: FindingsFile, catalog: Catalog) -> str:
    """The first finding above level 1 declared met or largely met (else any met one)."""
    levels = {i.id: int(i.level) for i in catalog.indicators}
    eligible = [
        f.indicator_id
        for f in example.findings
        if f.status in (FindingStatus.MET, FindingStatus.LARGELY_MET)
    ]
    above = [i for i in eligible if levels[i] > 1]
    return sorted(above or eligible)[0]


def sign(service: InterviewService, session_id: str, assessor: str) -> SignOff:
    return AssessmentService(service).sign_off(session_id, assessor)


def review_and_sign(
    service: InterviewService, session_id: str, example: FindingsFile
) -> tuple[SignOff, str]:
    """The assessor's review (see the module's docstring); returns the sign-off and the
    indicator the assessor set to largely met."""
    core_one = {i.id for i in service.catalog.indicators if i.core and i.level == 1}
    findings = service.store.get(session_id).findings
    for indicator_id, finding in sorted(findings.items()):
        if indicator_id in core_one and finding.status is FindingStatus.MET:
            service.override(
                session_id,
                indicator_id,
                FindingStatus.MET,
                reason=CONFIRM_REASON,
                assessor=ASSESSOR,
            )
    overridden = _pick_override(example, service.catalog)
    service.override(
        session_id,
        overridden,
        FindingStatus.LARGELY_MET,
        reason=OVERRIDE_REASON,
        assessor=ASSESSOR,
    )
    return sign(service, session_id, ASSESSOR), overridden


def reassess_interview(
    service: InterviewService, signed_id: str, example: FindingsFile
) -> tuple[Run, Carry]:
    policy = _policy(example)
    started = start_reassessment(service, signed_id, Actor.APPLICANT)
    session_id = started.started.session_id
    run = Run(session_id, [started.started.reply])
    applicant = Applicant(
        service,
        session_id,
        "zh",
        lambda i: policy.get(i, FindingStatus.NOT_MET),
        reply=started.started.reply,
    )
    applicant.seen = []
    applicant.answer_profile(_profile_values(example))  # a field left open last time
    run.replies.extend(applicant.seen)
    _answer(applicant, run)
    return run, started.plan


def make_service(
    catalog: Catalog, rules: RuleSet, start: datetime
) -> tuple[InterviewService, Clock]:
    clock = Clock(start)
    desk = UploadDesk(catalog, MemoryBlobStore(), max_bytes=1024 * 1024)
    service = InterviewService(catalog, rules, InMemorySessionStore(), desk=desk, clock=clock)
    return service, clock


def measure(path: Path, catalog: Catalog, rules: RuleSet) -> Measurement:
    example = load_findings_file(path)
    as_of = example.as_of or date(2026, 6, 30)
    service, clock = make_service(catalog, rules, datetime.combine(as_of, time(9), tzinfo=UTC))
    fresh = fresh_interview(service, example)
    signoff, overridden = review_and_sign(service, fresh.session_id, example)
    clock.current += ONE_YEAR
    again, plan = reassess_interview(service, fresh.session_id, example)
    return Measurement(path.stem, fresh, again, signoff, plan, overridden, service)


def _table(rows: list[Measurement]) -> str:
    head = (
        f"{'example':<26} {'fresh':>13} {'re-assessment':>14} {'indicators asked':>17} "
        f"{'carried':>8} {'asked again':>12} {'to renew':>9}"
    )
    lines = [head, "-" * len(head)]
    for m in rows:
        fresh, again = m.fresh, m.reassessment
        lines.append(
            f"{m.example:<26} {_split(fresh):>13} {_split(again):>14} "
            f"{f'{len(fresh.asked)} → {len(again.asked)}':>17} "
            f"{len(m.plan.findings):>8} {len(m.plan.asked_again):>12} {len(m.plan.renew):>9}"
        )
    return "\n".join(lines)


def _split(run: Run) -> str:
    return f"{run.questions} ({run.profile_questions}+{run.indicator_questions})"


def main() -> None:
    rules_dir = default_knowledge_dir() / "rules"
    catalog, rules = load_catalog(rules_dir), load_rules(rules_dir)
    rows = [measure(path, catalog, rules) for path in EXAMPLES]
    print(  # noqa: T201
        "Questions until the summary: total (profile + indicator, checklist, confirmation);"
        " distinct indicators asked, fresh → re-assessment"
    )
    print(_table(rows))  # noqa: T201


if __name__ == "__main__":
    main()
