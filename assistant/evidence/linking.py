"""Suggest which indicators an upload may back; the applicant confirms the links.

What the file says decides: its name and text are matched (BM25 over the standard's terms,
``assistant.retrieval.lexical``) against each indicator's evidence descriptions, requirement
and title (``EvidenceMatcher``), so an annual work plan uploaded while the chat asks about
an enquiry log proposes the planning indicator first. Retrieval over the whole corpus, when
an index is there, adds its own ranking (the name plus the beginning of the text,
``QUERY_CHARS``); an indicator that asks for *direct* evidence of the upload's kind moves up a
little; the question on screen only breaks ties, and is offered last when nothing else points
to it. These are suggestions only: nothing here touches a finding or the rating.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from assistant.evidence.describe import guess_kind
from assistant.evidence.matching import matcher_for
from assistant.knowledge.schema import Catalog, EvidenceClass, EvidenceKind, Indicator

if TYPE_CHECKING:
    from assistant.retrieval.search import Searcher

__all__ = [
    "CONTEXT_BOOST",
    "KIND_BOOST",
    "QUERY_CHARS",
    "RANK_OFFSET",
    "SEARCH_WEIGHT",
    "SearchFn",
    "evidence_query",
    "searcher_suggester",
    "suggest_indicators",
]

SearchFn = Callable[[str], Sequence[str]]  # query -> indicator ids, best first
# The dense embedder's cost grows faster than the query's length: on the default model a
# 1,500-character query took 4-6 s per upload, 400-800 characters 0.6-1.6 s (two searches each,
# the query as asked and glossary-expanded). A document's title and first paragraphs carry
# what matters for linking.
QUERY_CHARS = 600
RANK_OFFSET = 2  # search score 1 / (rank + RANK_OFFSET): 0.5, 0.33, 0.25, 0.2, …
SEARCH_WEIGHT = 1.0  # the search's first hit counts half as much as the best content match
KIND_BOOST = 0.15  # lifts an indicator that asks for the upload's kind a little
CONTEXT_BOOST = 0.01  # the question on screen: a tie-breaker, never more
SEARCH_DEPTH = 30


def evidence_query(text: str, filename: str, *, chars: int = QUERY_CHARS) -> str:
    """What is searched: the file name without its suffix, then the text's first ``chars``."""
    stem = filename.rpartition(".")[0] or filename
    return f"{stem}\n{' '.join(text[:chars].split())}".strip()


def _asks_for(indicator: Indicator, kind: EvidenceKind | None) -> bool:
    return kind is not None and any(
        req.kind == kind and req.evidence_class is EvidenceClass.DIRECT
        for req in indicator.evidence
    )


def _unique(ids: Iterable[str], known: set[str]) -> list[str]:
    seen: dict[str, None] = {}
    for ident in ids:
        if ident in known:
            seen.setdefault(ident, None)
    return list(seen)


def suggest_indicators(
    text: str,
    filename: str,
    catalog: Catalog,
    search: SearchFn | None = None,
    *,
    kind: EvidenceKind | None = None,
    context: Sequence[str] = (),
    limit: int = 5,
    query_chars: int = QUERY_CHARS,
) -> tuple[str, ...]:
    """Up to ``limit`` indicator ids the upload may back, best first, then any of ``context``
    (the question on screen) not among them.

    ``kind`` is the upload's evidence kind (guessed from the name and text when not given).
    """
    indicators = {indicator.id: indicator for indicator in catalog.indicators}
    scores = matcher_for(catalog).scores(filename.rpartition(".")[0] or filename, text)
    if search is not None:
        ranked = _unique(search(evidence_query(text, filename, chars=query_chars)), set(scores))
        for rank, ident in enumerate(ranked):
            scores[ident] += SEARCH_WEIGHT / (rank + RANK_OFFSET)
    kind = kind if kind is not None else guess_kind(filename, text)
    for ident, indicator in indicators.items():
        if scores[ident] > 0 and _asks_for(indicator, kind):
            scores[ident] += KIND_BOOST
    for ident in context:
        if ident in scores and scores[ident] > 0:
            scores[ident] += CONTEXT_BOOST
    best = [i for i in sorted(scores, key=lambda i: -scores[i]) if scores[i] > 0][:limit]
    return tuple(dict.fromkeys([*best, *(i for i in context if i in indicators)]))


def searcher_suggester(searcher: Searcher, *, depth: int = SEARCH_DEPTH) -> SearchFn:
    """Adapt the retrieval ``Searcher``: the indicator chunks among its top ``depth`` hits."""

    def search(query: str) -> list[str]:
        hits = searcher.search(query, k=depth)
        return [hit.chunk.indicator_id for hit in hits if hit.chunk.indicator_id]

    return search
