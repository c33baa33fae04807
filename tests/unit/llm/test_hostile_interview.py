"""A whole one-star interview with a hostile model in the loop (issue 6, DESIGN §2).

The scripted model reads every answer as 满足 with full confidence and slips 评为五星 into
every field it may fill; its phrasings claim the stars outright. The applicant truthfully
answers 还没有 to every question. The stars must not move without the applicant's
confirmation, and even a confirmation without evidence moves only the declared reading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest

from assistant.interview.mapping import DeterministicMapper
from assistant.interview.ports import AnswerMapper, QuestionPhraser
from assistant.interview.service import InterviewService
from assistant.knowledge.schema import Catalog, FindingStatus, RuleSet
from assistant.llm.mapping import AUTO_RECORD_THRESHOLD, ModelMapper
from assistant.llm.phrasing import ModelPhraser
from assistant.rating.models import EvidenceOutcome, ReasonCode
from assistant.session.models import QuestionKind, Reply
from assistant.session.state import Actor
from assistant.storage.memory import InMemorySessionStore
from tests.utils.fake_chat import ScriptedChatModel, mapped_json
from tests.utils.interview import Clock, Driver

AS_OF = date(2026, 6, 1)
TRUTH = "还没有"
HOSTILE_MAPPING = mapped_json("met", 1.0, evidence=["评为五星"], follow_up="是否直接评为五星？")
HOSTILE_PHRASING = "贵机构已满足全部要求，是否同意评为五星？"
# What only the model wrote: none of it may reach the applicant.
MODEL_WORDS = ("评为五星", "五星", "全部要求")
ONE_STAR_INDICATORS = 26  # level-1 indicators of the five areas in the shipped catalog


@dataclass
class Run:
    """One interview: every reply, and the replies that followed a free-text answer."""

    driver: Driver
    mapping_chat: ScriptedChatModel | None
    phrasing_chat: ScriptedChatModel | None
    # each reply to a free-text answer, with the number of findings before and after it
    after_free_text: list[tuple[Reply, int, int]] = field(default_factory=list)

    @property
    def service(self) -> InterviewService:
        return self.driver.service

    @property
    def interview_replies(self) -> list[Reply]:
        """The replies from the first indicator question on (the profile is the product's)."""
        first = next(
            n
            for n, reply in enumerate(self.driver.replies)
            if reply.question is not None
            and reply.question.kind in (QuestionKind.INDICATOR, QuestionKind.CHECKLIST)
        )
        return self.driver.replies[first:]


def _hostile_parts() -> tuple[AnswerMapper, QuestionPhraser, ScriptedChatModel, ScriptedChatModel]:
    mapping_chat = ScriptedChatModel(repeat=HOSTILE_MAPPING)
    phrasing_chat = ScriptedChatModel(repeat=HOSTILE_PHRASING)
    mapper = ModelMapper(mapping_chat, DeterministicMapper(today=AS_OF), today=lambda: AS_OF)
    return mapper, ModelPhraser(phrasing_chat), mapping_chat, phrasing_chat


def _service(
    catalog: Catalog,
    rules: RuleSet,
    mapper: AnswerMapper | None = None,
    phraser: QuestionPhraser | None = None,
) -> InterviewService:
    store = InMemorySessionStore()
    return InterviewService(catalog, rules, store, mapper=mapper, phraser=phraser, clock=Clock())


def _correct(driver: Driver) -> None:
    """The applicant says what is true: a button for one line, the checklist for several."""
    if len(driver.ids) == 1:
        driver.send(quick=FindingStatus.NOT_MET.value)
    else:
        driver.send(answers=dict.fromkeys(driver.ids, FindingStatus.NOT_MET))


def _accept(driver: Driver) -> None:
    driver.send(quick="confirm")


def _interview(
    service: InterviewService,
    on_confirm: Callable[[Driver], None],
    chats: tuple[ScriptedChatModel | None, ScriptedChatModel | None] = (None, None),
) -> Run:
    driver = Driver.start(service)
    driver.fill_profile(target_stars=("quick", "stars:1"))
    run = Run(driver, *chats)
    for _ in range(200):
        kind = driver.kind
        if kind is QuestionKind.DONE:
            return run
        if kind in (QuestionKind.INDICATOR, QuestionKind.CHECKLIST):
            before = len(driver.findings)
            reply = driver.send(TRUTH)
            run.after_free_text.append((reply, before, len(driver.findings)))
        elif kind is QuestionKind.CONFIRM:
            on_confirm(driver)
        else:
            raise AssertionError(f"unexpected question {kind}: {driver.reply.text[:200]}")
    raise AssertionError("the interview did not finish")


def _hostile_run(catalog: Catalog, rules: RuleSet, on_confirm: Callable[[Driver], None]) -> Run:
    mapper, phraser, mapping_chat, phrasing_chat = _hostile_parts()
    return _interview(
        _service(catalog, rules, mapper, phraser), on_confirm, (mapping_chat, phrasing_chat)
    )


@pytest.fixture(scope="module")
def corrected(real_catalog: Catalog, real_rules: RuleSet) -> Run:
    return _hostile_run(real_catalog, real_rules, _correct)


@pytest.fixture(scope="module")
def accepted(real_catalog: Catalog, real_rules: RuleSet) -> Run:
    return _hostile_run(real_catalog, real_rules, _accept)


@pytest.fixture(scope="module")
def without_model(real_catalog: Catalog, real_rules: RuleSet) -> Run:
    return _interview(_service(real_catalog, real_rules), _correct)


# ------------------------------------------------------------------ the model only proposes


def test_the_hostile_model_read_every_answer(corrected: Run) -> None:
    assert corrected.mapping_chat is not None and corrected.phrasing_chat is not None
    assert len(corrected.driver.findings) == ONE_STAR_INDICATORS
    assert len(corrected.mapping_chat.calls) == ONE_STAR_INDICATORS
    assert len(corrected.phrasing_chat.calls) == ONE_STAR_INDICATORS


def test_every_model_proposal_waits_for_the_applicant(corrected: Run) -> None:
    proposed = 0
    for reply, before, after in corrected.after_free_text:
        assert reply.question is not None and reply.question.kind is QuestionKind.CONFIRM
        assert reply.proposed_findings, reply.text
        for proposal in reply.proposed_findings:
            assert proposal.status is FindingStatus.MET
            assert not proposal.recorded
            assert proposal.confidence < AUTO_RECORD_THRESHOLD
            proposed += 1
        assert after == before  # nothing recorded on the model's word
    assert proposed == ONE_STAR_INDICATORS


def test_the_corrected_findings_are_the_applicants_and_rate_zero(corrected: Run) -> None:
    findings = corrected.driver.findings
    rating = corrected.service.rating(corrected.driver.session_id, as_of=AS_OF)

    assert {f.status for f in findings.values()} == {FindingStatus.NOT_MET}
    assert {f.actor for f in findings.values()} == {Actor.APPLICANT}
    assert (rating.declared.stars, rating.evidenced.stars) == (0, 0)


def test_the_model_changes_nothing_that_the_rules_alone_would_record(
    corrected: Run, without_model: Run
) -> None:
    with_model = {i: f.status for i, f in corrected.driver.findings.items()}
    rules_only = {i: f.status for i, f in without_model.driver.findings.items()}
    final_with = corrected.driver.reply.rating
    final_without = without_model.driver.reply.rating

    assert with_model == rules_only
    assert final_with is not None and final_without is not None
    assert final_with.declared == final_without.declared
    assert final_with.evidenced == final_without.evidenced


# ------------------------------------------------------------------ the model's words


@pytest.mark.parametrize("run_name", ["corrected", "accepted"])
def test_no_reply_carries_the_models_claims(run_name: str, request: pytest.FixtureRequest) -> None:
    run: Run = request.getfixturevalue(run_name)
    for reply in run.interview_replies:
        for words in MODEL_WORDS:
            assert words not in reply.text, reply.text
        for proposal in reply.proposed_findings:
            assert "星" not in proposal.rationale


def test_every_question_is_the_catalogs_own(corrected: Run) -> None:
    catalog = corrected.service.catalog
    shown = 0
    for reply in corrected.interview_replies:
        question = reply.question
        if question is None or question.kind not in (
            QuestionKind.INDICATOR,
            QuestionKind.CHECKLIST,
        ):
            continue
        for ref in question.indicators:
            assert catalog.indicator(ref.id).question in reply.text
            shown += 1
    assert shown == ONE_STAR_INDICATORS


# ------------------------------------------------------------------ confirmed without evidence


def test_confirming_the_models_reading_moves_only_the_declared_stars(accepted: Run) -> None:
    findings = accepted.driver.findings
    rating = accepted.service.rating(accepted.driver.session_id, as_of=AS_OF)

    assert {f.status for f in findings.values()} == {FindingStatus.MET}
    assert not any(f.assessor_confirmed for f in findings.values())
    assert rating.declared.stars == 1
    assert rating.evidenced.stars == 0
    outcomes = {result.evidence for result in rating.indicators if result.indicator_id in findings}
    assert EvidenceOutcome.MISSING in outcomes
    assert EvidenceOutcome.SUFFICIENT not in outcomes
    evidenced_codes = {b.code for area in rating.evidenced.areas for b in area.blockers}
    assert ReasonCode.EVIDENCE_MISSING in evidenced_codes


# ------------------------------------------------------------------ a model that reads nothing


def test_a_model_that_reads_nothing_does_not_stall_a_clear_answer(
    real_catalog: Catalog, real_rules: RuleSet
) -> None:
    blank = ScriptedChatModel(repeat=mapped_json("not_rated", 0.2))
    mapper = ModelMapper(blank, DeterministicMapper(today=AS_OF), today=lambda: AS_OF)
    driver = Driver.start(_service(real_catalog, real_rules, mapper))
    driver.fill_profile(target_stars=("quick", "stars:1"))
    while driver.kind is not QuestionKind.INDICATOR:
        driver.send(answers=dict.fromkeys(driver.ids, FindingStatus.MET))
    asked = driver.ids

    reply = driver.send("有的，我们一直这样做，也有书面文件。")

    assert reply.question is not None
    assert reply.question.kind is QuestionKind.CONFIRM or asked[0] in driver.findings
