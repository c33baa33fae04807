"""Hybrid search: BM25 and dense vectors, fused on normalised scores (DESIGN §6).

The query is first expanded with the glossary (users' words → the standard's terms). BM25 runs
on the expanded question, dense similarity on the question as asked: a second embedding of the
expanded question doubled the cost of a question for no gain (tuning set MRR@10 0.804 with it,
0.807 without). Each list's scores are min–max normalised over its candidates and
mixed (``DENSE_WEIGHT``); chunks at a star level or in an area the question names get a bonus,
and so does the clause a glossary group points at (a question about "不适用" → R.1.1).
On the labelled questions this beat reciprocal-rank fusion by about 0.04 MRR; RRF is kept for
comparison in ``python -m assistant.retrieval.evaluate``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from assistant.knowledge.ids import indicator_ids_in
from assistant.retrieval.chunks import ENGLISH_VECTOR, Chunk
from assistant.retrieval.foreign import foreign_names, foreign_nouns
from assistant.retrieval.glossary import Expansion, Glossary
from assistant.retrieval.lexical import Bm25Index
from assistant.retrieval.relevance import Coverage, detect_language
from assistant.retrieval.scope_head import ScopeHead

__all__ = ["Hit", "Method", "Searcher", "normalise", "reciprocal_rank_fusion"]

RRF_K = 60
CANDIDATES = 60
DENSE_WEIGHT = 0.5
LEVEL_BONUS = 0.1
AREA_BONUS = 0.05
CLAUSE_BONUS = 0.1
# An indicator the question names by its id ("Is SO-4-03 a core indicator?") comes first.
NAMED_BONUS = 1.0
# An English question is also compared with a chunk's English vector (its title, question and
# keys), less this much: the Chinese text stays the primary match. Chosen on the spent question
# sets' 714 English questions (hit@3 0.856 → 0.880; penalty 0.02–0.10 all gained).
ENGLISH_VECTOR_PENALTY = 0.04

VectorSearch = Callable[
    [Sequence[float], int], list[tuple[str, float]]
]  # vector, k -> [(key, cosine)]
Embed = Callable[[str], Sequence[float]]
EmbedMany = Callable[[list[str]], Sequence[Sequence[float]]]


class Method(StrEnum):
    HYBRID = "hybrid"  # normalised score fusion (the default)
    RRF = "rrf"  # reciprocal-rank fusion of the same lists, for comparison
    BM25 = "bm25"
    DENSE = "dense"


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # the score that ordered the hits
    dense: float | None  # cosine similarity, when the dense search found it
    lexical: float | None  # BM25 score, when BM25 found it

    @property
    def label(self) -> str:
        """What an evaluation matches: the indicator id or the clause number."""
        return self.chunk.indicator_id or self.chunk.clause


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> dict[str, float]:
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            fused[key] = fused.get(key, 0.0) + 1.0 / (k + rank)
    return fused


def normalise(scores: Mapping[str, float]) -> dict[str, float]:
    """Min–max to [0, 1] over the candidates (all 1.0 when they tie)."""
    if not scores:
        return {}
    high, low = max(scores.values()), min(scores.values())
    span = high - low
    return {key: (value - low) / span if span else 1.0 for key, value in scores.items()}


class Searcher:
    def __init__(
        self,
        chunks: Sequence[Chunk],
        bm25: Bm25Index,
        dense: VectorSearch,
        embed: Embed,
        glossary: Glossary | None = None,
        outside: VectorSearch | None = None,
        embed_many: EmbedMany | None = None,
    ) -> None:
        self._chunks = {c.key: c for c in chunks}
        self._order = [c.key for c in chunks]
        self._by_indicator = {c.indicator_id: c.key for c in chunks if c.indicator_id}
        self._bm25 = bm25
        # Embedding the question is most of a question's cost: it is done once, and the coverage
        # check, the out-of-scope topics and the ranking all use that vector.
        self._embed = lru_cache(maxsize=256)(
            lambda query: self._batched.pop(query, None) or tuple(embed(query))
        )
        # Vectors ``coverages`` computed in one batch, each taken once by ``_embed`` above.
        self._batched: dict[str, tuple[float, ...]] = {}
        self._embed_many = embed_many or (lambda texts: [embed(text) for text in texts])
        # Every vector, nearest first (a few hundred): the Chinese and the English vectors each
        # give their own CANDIDATES nearest, whichever kind comes closer to the question.
        vectors = sum(1 + bool(c.embed_text_en) for c in chunks)
        self._dense_search = lru_cache(maxsize=256)(
            lambda query: tuple(dense(self._embed(query), vectors))
        )
        glossary = glossary or Glossary(version=0, groups=())
        self._expand = lru_cache(maxsize=256)(glossary.expand)
        self._outside = outside
        self.scope_head: ScopeHead | None = None  # set by ``runtime.open_index``

    def clear_cache(self) -> None:
        """Forget the questions' vectors and neighbours (a benchmark's second pass)."""
        self._embed.cache_clear()
        self._dense_search.cache_clear()
        self._expand.cache_clear()

    def lexical(self, query: str, n: int = CANDIDATES) -> list[tuple[str, float]]:
        scored = zip(self._order, self._bm25.scores(query), strict=True)
        ranked = sorted((p for p in scored if p[1] > 0), key=lambda p: (-p[1], p[0]))
        return ranked[:n]

    def dense(self, query: str, *, english: bool = False) -> dict[str, float]:
        """Cosine similarity of each candidate chunk; ``english``: its English vector counts
        too (less ``ENGLISH_VECTOR_PENALTY``) where it comes closer."""
        nearest = self._dense_search(query)
        scores = dict([hit for hit in nearest if not hit[0].endswith(ENGLISH_VECTOR)][:CANDIDATES])
        if english:
            by_english = [hit for hit in nearest if hit[0].endswith(ENGLISH_VECTOR)][:CANDIDATES]
            for key, similarity in by_english:
                chunk_key = key.removesuffix(ENGLISH_VECTOR)
                closer = similarity - ENGLISH_VECTOR_PENALTY
                scores[chunk_key] = max(scores.get(chunk_key, closer), closer)
        return scores

    def search(
        self,
        query: str,
        k: int = 5,
        method: Method = Method.HYBRID,
        *,
        dense_from: str | None = None,
    ) -> list[Hit]:
        """``dense_from``: take the dense similarities of that text instead (a part of a
        question is searched with its words and the whole question's vector: no new embedding)."""
        expansion = self._expand(query)
        lexical = dict(self.lexical(expansion.query(query))) if method != Method.DENSE else {}
        english = detect_language(query) == "en"
        dense = self.dense(dense_from or query, english=english) if method != Method.BM25 else {}
        scores = self._fuse(method, lexical, dense, expansion)
        if method is Method.HYBRID:
            self._name(scores, query)
        ranked = sorted(scores.items(), key=lambda p: (-p[1], p[0]))[:k]
        return [Hit(self._chunks[key], s, dense.get(key), lexical.get(key)) for key, s in ranked]

    def _fuse(
        self,
        method: Method,
        lexical: dict[str, float],
        dense: dict[str, float],
        expansion: Expansion,
    ) -> dict[str, float]:
        if method is Method.BM25:
            return lexical
        if method is Method.DENSE:
            return dense
        if method is Method.RRF:
            by_score = [sorted(d, key=lambda key: -d[key]) for d in (lexical, dense)]
            return reciprocal_rank_fusion(by_score)
        lex, den = normalise(lexical), normalise(dense)
        fused = {
            key: DENSE_WEIGHT * den.get(key, 0.0) + (1 - DENSE_WEIGHT) * lex.get(key, 0.0)
            for key in set(lex) | set(den)
        }
        return {key: score + self._bonus(key, expansion) for key, score in fused.items()}

    def _name(self, scores: dict[str, float], query: str) -> None:
        for indicator_id in indicator_ids_in(query):
            key = self._by_indicator.get(indicator_id)
            if key is not None:
                scores[key] = scores.get(key, 0.0) + NAMED_BONUS

    def _bonus(self, key: str, expansion: Expansion) -> float:
        chunk = self._chunks[key]
        bonus = LEVEL_BONUS if chunk.level is not None and chunk.level in expansion.levels else 0.0
        bonus += CLAUSE_BONUS if chunk.clause in expansion.clauses else 0.0
        return bonus + (
            AREA_BONUS if chunk.area is not None and chunk.area in expansion.areas else 0.0
        )

    def coverage(self, query: str) -> Coverage:
        """How close the question comes to the standard, and to topics outside it."""
        inside = [hit for hit in self._dense_search(query) if not hit[0].endswith(ENGLISH_VECTOR)]
        vector = self._embed(query)
        outside = self._outside(vector, 1) if self._outside else []
        head = self.scope_head
        return Coverage(
            inside[0][1] if inside else 0.0,
            outside[0][1] if outside else 0.0,
            self._expand(query).groups,
            self._foreign(query),
            head.probability(vector) if head is not None else None,
        )

    def coverages(self, queries: Sequence[str]) -> list[Coverage]:
        """``coverage`` of several texts (a question's parts), embedded in one batched call;
        their vectors stay cached for a search that follows."""
        texts = list(dict.fromkeys(queries))
        vectors = self._embed_many(texts) if texts else []
        self._batched.update(zip(texts, (tuple(v) for v in vectors), strict=True))
        try:
            return [self.coverage(query) for query in queries]
        finally:
            for text in texts:
                self._batched.pop(text, None)

    def expansion(self, query: str) -> Expansion:
        """The glossary's reading of ``query`` (levels, areas, clauses it names), cached."""
        return self._expand(query)

    def _foreign(self, query: str) -> tuple[str, ...]:
        if detect_language(query) == "zh":
            return foreign_nouns(query, self._bm25.knows)
        return foreign_names(query, self._bm25.knows)
