"""English questions also meet each chunk's English vector (its title, question and keys)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from assistant.retrieval.chunks import ENGLISH_VECTOR, Chunk, vector_texts
from assistant.retrieval.clause_keys import load_clause_keys
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.lexical import Bm25Index, Tokenizer
from assistant.retrieval.search import ENGLISH_VECTOR_PENALTY, Searcher
from tests.utils.retrieval import in_memory_index, shipped_corpus

CORPUS = shipped_corpus()


def _chunk(label: str) -> Chunk:
    return next(c for c in CORPUS.chunks if (c.indicator_id or c.clause) == label)


def test_an_indicator_embeds_its_english_title_question_and_first_hint() -> None:
    chunk = _chunk("SO-4-03")
    indicator = next(i for i in CORPUS.catalog.indicators if i.id == "SO-4-03")
    assert chunk.embed_text_en is not None
    assert indicator.title.en in chunk.embed_text_en
    assert indicator.question_en and indicator.question_en in chunk.embed_text_en
    assert indicator.hints_en[0] in chunk.embed_text_en
    assert indicator.question_en not in chunk.embed_text  # the Chinese vector stays Chinese


def test_a_clause_embeds_its_english_keys_and_not_its_chinese_ones() -> None:
    from assistant.knowledge.loader import default_knowledge_dir

    keys = load_clause_keys(default_knowledge_dir() / "retrieval" / "clause_keys.yaml")
    chunk = _chunk("3.9")
    assert chunk.embed_text_en == keys.keys["3.9"]
    for number, chinese in keys.keys_zh.items():
        assert chinese not in (_chunk(number).embed_text_en or "")


def test_the_store_holds_a_second_vector_only_for_chunks_with_english() -> None:
    with_english = [c for c in CORPUS.chunks if c.embed_text_en]
    assert len(with_english) >= len(CORPUS.catalog.indicators)  # every indicator has one
    assert vector_texts(_chunk("SO-4-03")) == [
        (_chunk("SO-4-03").key, _chunk("SO-4-03").embed_text),
        (_chunk("SO-4-03").key + ENGLISH_VECTOR, _chunk("SO-4-03").embed_text_en),
    ]
    plain = _chunk("R.3.10").model_copy(update={"embed_text_en": None})
    assert vector_texts(plain) == [(plain.key, plain.embed_text)]


def _searcher(nearest: Sequence[tuple[str, float]]) -> Searcher:
    chunks = [_chunk("SO-4-03"), _chunk("SO-4-04")]
    bm25 = Bm25Index([c.search_text for c in chunks], Tokenizer())
    return Searcher(chunks, bm25, lambda vector, k: list(nearest)[:k], lambda text: [1.0, 0.0])


def test_only_english_questions_count_the_english_vectors() -> None:
    a, b = _chunk("SO-4-03").key, _chunk("SO-4-04").key
    searcher = _searcher([(a + ENGLISH_VECTOR, 0.9), (b, 0.8), (a, 0.5), (b + ENGLISH_VECTOR, 0.4)])
    assert searcher.dense("平台", english=False) == {b: 0.8, a: 0.5}
    english = searcher.dense("platform", english=True)
    assert english[a] == pytest.approx(0.9 - ENGLISH_VECTOR_PENALTY)
    assert english[b] == 0.8  # its English vector is farther than its Chinese one
    # how close a question comes to the standard is measured on the Chinese vectors alone
    assert searcher.coverage("platform").best_clause == 0.8


def test_an_english_question_finds_an_indicator_by_its_english_text() -> None:
    index: RetrievalIndex = in_memory_index()
    target = _chunk("SO-4-03")
    assert target.embed_text_en is not None
    hits = index.searcher.search(target.embed_text_en, k=3)
    assert hits[0].chunk.indicator_id == "SO-4-03"
    assert hits[0].dense == pytest.approx(1.0 - ENGLISH_VECTOR_PENALTY, abs=1e-6)


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("which functions must the integrated platform have for four stars", "SO-4-03"),
        ("is a business continuity plan required and from which star level", "SO-5-07"),
    ],
)
def test_english_questions_on_the_real_backends(
    real_index: RetrievalIndex, question: str, label: str
) -> None:
    top = [h.label for h in real_index.searcher.search(question, k=3)]
    assert label in top
