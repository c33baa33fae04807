"""Greetings and punctuation get an invitation to ask, never clauses; a short question in the
standard's own words is still answered — with the similarity tests wide open (fixed vectors), so
only the small-talk rule can stop an answer."""

from __future__ import annotations

import pytest

from assistant.knowledge.loader import default_knowledge_dir
from assistant.qa.service import QuestionAnswerer
from assistant.qa.small_talk import MIN_CJK, MIN_WORDS, nothing_to_look_up
from assistant.retrieval.glossary import load_out_of_scope
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck
from tests.utils.retrieval import in_memory_index

TABLE = load_out_of_scope(default_knowledge_dir() / "retrieval" / "out_of_scope.yaml").lookalikes
OPEN = CoverageCheck(floor_zh=0.0, floor_en=0.0, margin=1.0, lookalikes=TABLE)


@pytest.fixture(scope="module")
def answerer() -> QuestionAnswerer:
    index: RetrievalIndex = in_memory_index()
    return QuestionAnswerer(index, OPEN)


@pytest.mark.parametrize(
    ("message", "language", "opening"),
    [
        ("好的", "zh", "您好！"),
        ("在吗", "zh", "您好！"),
        ("hi", "en", "Hello!"),
        ("thanks!", "en", "Hello!"),
        ("？？", "en", "Hello!"),
    ],
)
def test_small_talk_gets_an_invitation_not_clauses(
    answerer: QuestionAnswerer, message: str, language: str, opening: str
) -> None:
    answer = answerer.ask(message)
    assert answer.covered is False and answer.kind == "refused"
    assert answer.citations == () and answer.language == language
    assert answer.text.startswith(opening)


@pytest.mark.parametrize(
    "question", ["一星", "三星？", "证据", "SS-1-01", "R.1", "level 3", "评估"]
)
def test_a_short_question_in_the_standards_words_is_answered(
    answerer: QuestionAnswerer, question: str
) -> None:
    answer = answerer.ask(question)
    assert answer.covered is True and answer.citations


def test_the_limits_are_counted_on_characters_and_words() -> None:
    assert nothing_to_look_up("好" * (MIN_CJK - 1), standard_words=False)
    assert not nothing_to_look_up("好" * MIN_CJK, standard_words=False)
    assert nothing_to_look_up(" ".join(["word"] * (MIN_WORDS - 1)), standard_words=False)
    assert not nothing_to_look_up(" ".join(["word"] * MIN_WORDS), standard_words=False)
    assert not nothing_to_look_up("好", standard_words=True)
