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
