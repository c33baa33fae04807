"""Fusion and search wiring on fixed vectors (quality is measured on the real backends)."""

from __future__ import annotations

import pytest

from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.search import Method, reciprocal_rank_fusion
from tests.utils.retrieval import in_memory_index


@pytest.fixture(scope="module")
def index() -> RetrievalIndex:
    return in_memory_index()


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "a", "d"]], k=60)
    assert fused["a"] == fused["b"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["c"] == pytest.approx(1 / 63) and fused["d"] == pytest.approx(1 / 63)
    assert max(fused, key=fused.__getitem__) in {"a", "b"}


@pytest.mark.parametrize("method", list(Method))
def test_each_method_returns_k_distinct_hits(index: RetrievalIndex, method: Method) -> None:
    hits = index.searcher.search("服务产品化 服务目录", 5, method)
    assert len(hits) == 5 and len({h.chunk.key for h in hits}) == 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_bm25_finds_a_defined_term_kept_whole_by_the_user_dictionary(
    index: RetrievalIndex,
) -> None:
    hits = index.searcher.search("一体化服务平台", 10, Method.BM25)
    assert any(h.chunk.clause == "3.11" or h.label == "SO-4-03" for h in hits)


def test_hybrid_hits_carry_both_scores_when_both_found_them(index: RetrievalIndex) -> None:
    hits = index.searcher.search("核心指标", 5, Method.HYBRID)
    assert any(h.dense is not None and h.lexical is not None for h in hits)


def test_query_of_stopwords_only_finds_nothing_lexically(index: RetrievalIndex) -> None:
    assert index.searcher.lexical("的了吗？") == []


def test_an_indicator_named_by_its_id_comes_first(index: RetrievalIndex) -> None:
    catalog = index.corpus.catalog
    for indicator in (catalog.indicators[0], catalog.indicators[-1]):
        typed = indicator.id.lower().replace("-", "", 1)  # "so4-03": as people type it
        hits = index.searcher.search(f"Is {typed} a core indicator, and what weight does it carry?")
        assert hits[0].chunk.indicator_id == indicator.id


def test_the_coverage_counts_the_glossary_groups_a_question_uses(index: RetrievalIndex) -> None:
    searcher = index.searcher
    assert searcher.coverage("明天会下雨吗").glossary_groups == 0
    assert searcher.coverage("我们做了试点，也收集了满意度调查").glossary_groups >= 2
