"""Suggesting the indicators an upload backs, with a scripted search in place of retrieval."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.evidence.linking import (
    QUERY_CHARS,
    evidence_query,
    searcher_suggester,
    suggest_indicators,
)
from assistant.knowledge.schema import Catalog, EvidenceKind
from tests.utils.builders import catalog, indicator, requirement
from tests.utils.retrieval import in_memory_index


class ScriptedSearch:
    """Returns a fixed ranking and remembers the queries it was asked."""

    def __init__(self, ranking: Sequence[str]) -> None:
        self.ranking = list(ranking)
        self.queries: list[str] = []

    def __call__(self, query: str) -> list[str]:
        self.queries.append(query)
        return self.ranking


def _indirect(kind: str) -> dict[str, str]:
    return {"kind": kind, "class": "indirect", "description": "旁证"}


CATALOG: Catalog = catalog(
    indicator("SS-1-01", evidence=[requirement("policy")]),
    indicator("SS-1-02", evidence=[requirement("record")]),
    indicator("SS-1-03", evidence=[requirement("report")]),
    indicator("SD-1-01", evidence=[_indirect("report")]),
    indicator("SD-1-02", evidence=[requirement("ledger")]),
    indicator("SD-1-03"),
)


def test_the_query_is_the_name_and_the_beginning_of_the_text() -> None:
    search = ScriptedSearch([])
    text = "满意度调查\n\n" + "甲" * 5_000
    suggest_indicators(text, "满意度报告.pdf", CATALOG, search)
    (query,) = search.queries
    assert query == evidence_query(text, "满意度报告.pdf")
    assert query.startswith("满意度报告\n满意度调查 甲")
    assert len(query) == len("满意度报告\n") + QUERY_CHARS - 1  # the blank line collapses


def test_the_search_ranking_is_kept_when_kinds_do_not_differ() -> None:
    search = ScriptedSearch(["SS-1-02", "SS-1-01", "SD-1-03"])
    assert suggest_indicators("正文", "a.docx", CATALOG, search) == (
        "SS-1-02",
        "SS-1-01",
        "SD-1-03",
    )


def test_a_direct_requirement_of_the_uploads_kind_moves_up() -> None:
    search = ScriptedSearch(["SS-1-01", "SS-1-02", "SD-1-01", "SS-1-03"])
    suggested = suggest_indicators("", "2025年满意度调查报告.pdf", CATALOG, search)
    # SS-1-03 asks for a report directly: from fourth to second; SD-1-01 only indirectly
    assert suggested == ("SS-1-01", "SS-1-03", "SS-1-02", "SD-1-01")


def test_the_boost_never_passes_the_first_hit() -> None:
    search = ScriptedSearch(["SS-1-01", "SS-1-03"])
    assert suggest_indicators("", "报告.pdf", CATALOG, search) == ("SS-1-01", "SS-1-03")


def test_an_explicit_kind_wins_over_the_guess() -> None:
    search = ScriptedSearch(["SS-1-01", "SS-1-02", "SD-1-02"])
    suggested = suggest_indicators("", "报告.pdf", CATALOG, search, kind=EvidenceKind.LEDGER)
    assert suggested == ("SS-1-01", "SD-1-02", "SS-1-02")


def test_unknown_and_repeated_ids_are_dropped_and_the_limit_holds() -> None:
    search = ScriptedSearch(["XX-9-99", "SS-1-01", "SS-1-01", "SS-1-02", "SD-1-03", "SD-1-02"])
    suggested = suggest_indicators("", "a.txt", CATALOG, search, limit=3)
    assert suggested == ("SS-1-01", "SS-1-02", "SD-1-03")


def test_nothing_found_suggests_nothing() -> None:
    assert suggest_indicators("", "a.txt", CATALOG, ScriptedSearch([])) == ()


def test_the_searcher_adapter_keeps_only_indicator_hits() -> None:
    index = in_memory_index()  # BM25 for real, fixed vectors: wiring, not quality
    query = "投诉登记 台账 处理结果 答复"
    hits = index.searcher.search(query, k=30)
    assert {hit.chunk.kind for hit in hits} == {"clause", "indicator"}  # so the filter matters
    ids = searcher_suggester(index.searcher, depth=30)(query)
    assert ids == [hit.chunk.indicator_id for hit in hits if hit.chunk.kind == "indicator"]
