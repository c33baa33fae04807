"""Indicator chunks index the scoring guidance (评分细则), so a question about it finds them."""

from __future__ import annotations

import pytest

from assistant.retrieval.corpus import Corpus
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.lexical import Bm25Index
from tests.utils.retrieval import shipped_corpus


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return shipped_corpus()


def test_every_indicator_chunk_indexes_its_scoring_guidance(corpus: Corpus) -> None:
    chunks = {c.indicator_id: c for c in corpus.chunks if c.kind == "indicator"}
    for indicator in corpus.catalog.indicators:
        text = chunks[indicator.id].search_text
        scoring = indicator.scoring
        for part in (scoring.met, scoring.largely, scoring.partly, scoring.sample):
            assert part in text, indicator.id


def test_the_sampling_text_finds_its_indicator_lexically(corpus: Corpus) -> None:
    indicator = corpus.catalog.indicators[0]
    texts = [c.search_text for c in corpus.chunks]
    bm25 = Bm25Index(texts, RetrievalIndex.tokenizer_for(corpus))
    scores = bm25.scores(indicator.scoring.sample)
    top = max(range(len(scores)), key=scores.__getitem__)
    assert corpus.chunks[top].indicator_id == indicator.id
