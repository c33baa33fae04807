"""Suggest which indicators an upload may back; the applicant confirms the links.

The query is the file's name plus the beginning of its text (``QUERY_CHARS``). Retrieval
ranks indicators; an indicator that asks for *direct* evidence of the upload's kind moves up
a little. These are suggestions only: nothing here touches a finding or the rating.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from assistant.evidence.describe import guess_kind
from assistant.knowledge.schema import Catalog, EvidenceClass, EvidenceKind, Indicator

if TYPE_CHECKING:
    from assistant.retrieval.search import Searcher

__all__ = [
    "KIND_BOOST",
    "QUERY_CHARS",
    "RANK_OFFSET",
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
RANK_OFFSET = 2  # score 1 / (rank + RANK_OFFSET): 0.5, 0.33, 0.25, 0.2, …
KIND_BOOST = 0.15  # lifts a matching kind two places near the top, never past the first hit
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
    search: SearchFn,
    *,
    kind: EvidenceKind | None = None,
    limit: int = 5,
    query_chars: int = QUERY_CHARS,
) -> tuple[str, ...]:
    """Up to ``limit`` indicator ids the upload may back, best first.

    ``kind`` is the upload's evidence kind (guessed from the name and text when not given).
    """
    indicators = {indicator.id: indicator for indicator in catalog.indicators}
    ranked = _unique(search(evidence_query(text, filename, chars=query_chars)), set(indicators))
    kind = kind if kind is not None else guess_kind(filename, text)
    scores = {
        ident: 1.0 / (rank + RANK_OFFSET)
        + (KIND_BOOST if _asks_for(indicators[ident], kind) else 0.0)
        for rank, ident in enumerate(ranked)
    }
    return tuple(sorted(ranked, key=lambda ident: -scores[ident])[:limit])


def searcher_suggester(searcher: Searcher, *, depth: int = SEARCH_DEPTH) -> SearchFn:
    """Adapt the retrieval ``Searcher``: the indicator chunks among its top ``depth`` hits."""

    def search(query: str) -> list[str]:
        hits = searcher.search(query, k=depth)
        return [hit.chunk.indicator_id for hit in hits if hit.chunk.indicator_id]

    return search
