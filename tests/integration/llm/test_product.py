"""The product as an operator configures it with a model: ``assemble`` from the settings
(``SMECMM_LLM_MODEL=openai:…`` pointing at llama.cpp's server running SmolLM2-135M), over the
real retrieval index.

The model is tiny: these tests hold the contract (answers cite only what they retrieved,
proposals are confirmed or confident, every turn answers), never the quality of its words.
The interview runs with a small token budget (``llm_max_tokens``, read by
``ModelConfig.from_settings``) so that its ~20 model calls stay short on two shared cores:
most replies are then cut and the deterministic parts take over, which is what a turn must
survive anyway.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.interview.runtime import Assembly, assemble
from assistant.llm.grounded import GroundedAnswerer, cited_numbers
from assistant.llm.mapping import AUTO_RECORD_THRESHOLD, ModelMapper
from assistant.llm.phrasing import ModelPhraser
from assistant.qa.models import Answer
from assistant.retrieval.index import RetrievalIndex
from assistant.session.models import QuestionKind, Reply
from assistant.settings import Settings
from assistant.storage.memory import InMemorySessionStore
from tests.utils.interview import QUESTION, Driver
from tests.utils.llamacpp import LlamaServer

pytestmark = pytest.mark.llm_server

FREE_TEXT = (
    "有的，我们一直这样做，也有书面文件。",
    "还没有。",
    "只在一个部门试行。",
    "基本都有，个别地方还在完善。",
    "还没有，明年打算做。",
)
# How an answer names a clause or an indicator: 【9.4.2】, 第 9.4.2 条, 条款 9.4.2, SO-4-05.
_NAMED = re.compile(r"第\s*(\d{1,2}(?:\.\d{1,3}){1,3})\s*条|条款\s*(\d{1,2}(?:\.\d{1,3}){1,3})")
_INDICATOR = re.compile(r"(?<![A-Za-z0-9])(?:SS|SD|ST|SO|CSI)-[1-5]-\d{2}(?!\d)")


INTERVIEW_TOKENS = 24
ANSWER_TOKENS = 160


class _Settings(Settings):
    """The settings with a token budget (``Settings`` has no ``llm_max_tokens`` yet)."""

    llm_max_tokens: int | None = None


def _assemble(
    server: LlamaServer, index: RetrievalIndex, data_dir: Path, max_tokens: int
) -> Assembly:
    settings = _Settings(
        data_dir=data_dir,
        llm_model="openai:smollm2",
        llm_base_url=f"{server.base_url}/v1",
        llm_timeout=60,
        llm_max_tokens=max_tokens,
    )
    return assemble(settings, InMemorySessionStore(), index)


@pytest.fixture(scope="module")
def assembly(
    llama_server: LlamaServer, real_index: RetrievalIndex, tmp_path_factory: pytest.TempPathFactory
) -> Assembly:
    data_dir = tmp_path_factory.mktemp("product") / "data"
    return _assemble(llama_server, real_index, data_dir, INTERVIEW_TOKENS)


def _named(text: str) -> set[str]:
    numbers = {n for pair in _NAMED.findall(text) for n in pair if n}
    return numbers | set(_INDICATOR.findall(text)) | set(cited_numbers(text))


def _allowed(answer: Answer) -> set[str]:
    return {c.clause for c in answer.citations} | {
        c.indicator_id for c in answer.citations if c.indicator_id
    }


def test_the_settings_wire_the_model_into_every_part(assembly: Assembly) -> None:
    assert isinstance(assembly.answerer, GroundedAnswerer)
    assert isinstance(assembly.service.manager._mapper, ModelMapper)
    assert isinstance(assembly.service.renderer._phraser, ModelPhraser)
    assert assembly.service.answerer is assembly.answerer


def test_an_interpretation_answer_cites_only_what_it_retrieved(
    llama_server: LlamaServer, real_index: RetrievalIndex, tmp_path: Path
) -> None:
    answerer = _assemble(llama_server, real_index, tmp_path / "data", ANSWER_TOKENS).answerer
    assert isinstance(answerer, GroundedAnswerer)

    answer = answerer.ask(QUESTION)

    assert answer.covered and answer.citations
    named = _named(answer.text)
    assert named, answer.text
    assert named <= _allowed(answer), answer.text
    grounded = answerer.metrics.stats("grounded")
    assert grounded.calls == 1  # the model was asked, whether its prose was served or not


def _reading_is_confirmed_or_confident(reply: Reply) -> None:
    question = reply.question
    assert question is not None, reply.text
    if question.kind is QuestionKind.CONFIRM:
        assert reply.proposed_findings
        assert not any(p.recorded for p in reply.proposed_findings)
        return
    for proposal in reply.proposed_findings:
        assert not proposal.recorded or proposal.confidence >= AUTO_RECORD_THRESHOLD


def test_a_short_interview_runs_with_the_model_in_the_loop(assembly: Assembly) -> None:
    mapper = assembly.service.manager._mapper
    assert isinstance(mapper, ModelMapper)
    before = mapper.metrics.stats("mapping").calls
    driver = Driver.start(assembly.service)
    driver.fill_profile()
    answered = 0
    for _ in range(20):
        if answered == len(FREE_TEXT) or driver.kind is QuestionKind.DONE:
            break
        if driver.kind is QuestionKind.CONFIRM:
            driver.send(quick="confirm")
            continue
        if driver.kind is QuestionKind.CHECKLIST:  # buttons: free text would read each line
            driver.send(quick="all:met")
            continue
        assert driver.kind is QuestionKind.INDICATOR, driver.reply.text
        _reading_is_confirmed_or_confident(driver.send(FREE_TEXT[answered]))
        answered += 1

    assert answered == len(FREE_TEXT)
    assert mapper.metrics.stats("mapping").calls - before >= len(FREE_TEXT)
    assert mapper.metrics.stats("phrasing").calls >= 1
    assert driver.findings  # confirmed or confident readings were recorded
    assert all(f.indicator_id in assembly.service.scope.by_id for f in driver.findings.values())


def test_a_question_mid_interview_is_answered_and_the_interview_resumes(
    assembly: Assembly,
) -> None:
    answerer = assembly.answerer
    assert isinstance(answerer, GroundedAnswerer)
    before = answerer.metrics.stats("grounded").calls
    driver = Driver.start(assembly.service)
    driver.fill_profile()
    on_screen = driver.ids

    reply = driver.send(QUESTION)

    assert answerer.metrics.stats("grounded").calls == before + 1

    assert reply.citations and reply.question is not None
    assert driver.ids == on_screen
    answer = Answer(
        question=QUESTION, language="zh", covered=True, text=reply.text, citations=reply.citations
    )
    named = _named(reply.text) - set(on_screen)  # the question on screen names its indicator
    assert named <= _allowed(answer), reply.text
