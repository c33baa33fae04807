"""``smecmm catalog lint``: what an assessor would object to in the catalog.

The structural checks live in ``check.py`` (clauses, cell counts, characteristic coverage,
core coverage of the musts, event wording, evidence rules); this module adds the text check —
near-duplicate indicators — and gathers everything into one report.

Near duplicates: each indicator's requirement and question, cut into words by jieba (the
retrieval's tokenizer, stop words dropped; indicator ids cited in the text left out), weighted by
TF-IDF over the catalog itself (a word most indicators use — 服务, 企业 — says little), compared
by cosine similarity. The thresholds come from catalog 2024.1 (160 indicators, 12 720 pairs),
labelled by what the 2.0 review decided independently (``smecmm catalog lint --top 30``
prints the closest pairs):

* across areas, ``CROSS_AREA`` = 0.40. The 2024.1 pairs the review merged all score at or above
  it (SS-4-01/CSI-4-01 0.69, SO-4-06/CSI-4-04 0.59, SS-1-06/CSI-1-02 0.59, SD-5-03/ST-5-06
  0.56, SS-4-02/ST-4-01 0.49 … SO-5-01/CSI-5-02 0.43, SD-4-01/CSI-4-04 0.41, SD-4-03/CSI-4-01
  0.41): of the 19 cross-area pairs at 0.40 or more, 17 were merged and the other two were
  rewritten to cross-refer (SO-3-01/CSI-3-03 0.44, SS-1-05/CSI-1-04 0.40); the next pair
  down, SS-1-03/SO-1-01 (registration vs. an operations lead, 0.398), is a distinct practice.
  Catalog 2.0's closest cross-area pair that does not cross-refer scores 0.37.
* within an area, ``SAME_AREA`` = 0.50: a practice and its higher-level form share words by
  design (pilot procedure ST-2-04 → data-driven pilots ST-4-04 0.49, complaint logging SO-1-06
  → a written complaint procedure SO-2-07 0.44), and the review kept every such pair.
* two *core* indicators of different areas, ``CORE_PAIR`` = 0.35: one gap there vetoes two
  areas, so the bar is lower. On 2024.1 it finds exactly the six core pairs the review named
  (0.43–0.69) and no other; 2.0 has none.

A pair that the catalog itself links (one names the other in ``see_also``, or both name the
same owner) is a declared cross-reference, not an accident: it is listed, not reported — unless
both are core, where a shared gap would still veto two areas.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import combinations

from assistant.knowledge.check import Problem, structural_problems
from assistant.knowledge.schema import Catalog, Indicator
from assistant.knowledge.standard import StandardDocument
from assistant.retrieval.lexical import Tokenizer

__all__ = [
    "CORE_PAIR",
    "CROSS_AREA",
    "SAME_AREA",
    "LintReport",
    "Pair",
    "lint_catalog",
    "similar_pairs",
]

CROSS_AREA = 0.40
SAME_AREA = 0.50
CORE_PAIR = 0.35
_CITED_ID = re.compile(r"(?:SS|SD|ST|SO|CSI)-[1-5]-\d{2}")


@dataclass(frozen=True)
class Pair:
    first: str
    second: str
    similarity: float
    both_core: bool
    same_area: bool
    linked: bool  # one cites the other in see_also, or both cite the same owner


@dataclass(frozen=True)
class LintReport:
    problems: tuple[Problem, ...]
    closest: tuple[Pair, ...]  # the most similar pairs, highest first

    @property
    def ok(self) -> bool:
        return not self.problems


def _text(indicator: Indicator) -> str:
    return _CITED_ID.sub(" ", f"{indicator.requirement} {indicator.question}")


def _linked(a: Indicator, b: Indicator) -> bool:
    return a.id in b.see_also or b.id in a.see_also or bool(set(a.see_also) & set(b.see_also))


@cache
def _tokenizer() -> Tokenizer:
    return Tokenizer()  # loading jieba's dictionary takes a second: once per process


def _vectors(texts: Sequence[str]) -> list[dict[str, float]]:
    tokenizer = _tokenizer()
    counts = [Counter(tokenizer.tokens(text)) for text in texts]
    frequency = Counter(word for count in counts for word in count)
    n = len(texts)
    idf = {word: math.log((1 + n) / (1 + df)) + 1 for word, df in frequency.items()}
    vectors = []
    for count in counts:
        vector = {word: tf * idf[word] for word, tf in count.items()}
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({word: v / norm for word, v in vector.items()})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b.get(word, 0.0) for word, v in a.items())


def similar_pairs(indicators: Sequence[Indicator]) -> list[Pair]:
    """Every pair of indicators with its similarity, most similar first (ties by id)."""
    vectors = _vectors([_text(i) for i in indicators])
    pairs = [
        Pair(
            first=indicators[x].id,
            second=indicators[y].id,
            similarity=round(_cosine(vectors[x], vectors[y]), 4),
            both_core=indicators[x].core and indicators[y].core,
            same_area=indicators[x].area == indicators[y].area,
            linked=_linked(indicators[x], indicators[y]),
        )
        for x, y in combinations(range(len(indicators)), 2)
    ]
    return sorted(pairs, key=lambda p: (-p.similarity, p.first, p.second))


def _duplicate_problems(pairs: Sequence[Pair]) -> list[Problem]:
    problems = []
    for pair in pairs:
        ids = f"{pair.first} / {pair.second}"
        score = f"{pair.similarity:.2f}"
        if pair.both_core and not pair.same_area and pair.similarity >= CORE_PAIR:
            problems.append(
                Problem(
                    "core-duplicate",
                    pair.first,
                    f"{ids} 两条核心指标内容相近（相似度 {score} ≥ {CORE_PAIR}），一项欠缺会否决"
                    f"两个能力域 / two core indicators of different areas overlap (similarity "
                    f"{score}): one gap would veto two areas",
                )
            )
        elif not pair.linked and pair.similarity >= (SAME_AREA if pair.same_area else CROSS_AREA):
            bar = SAME_AREA if pair.same_area else CROSS_AREA
            problems.append(
                Problem(
                    "near-duplicate",
                    pair.first,
                    f"{ids} 内容相近（相似度 {score} ≥ {bar}），应保留一条、另一条以 see_also "
                    f"交叉引用 / near duplicates (similarity {score}): keep one owner and "
                    "cross-refer",
                )
            )
    return problems


def lint_catalog(
    catalog: Catalog, documents: Sequence[StandardDocument] = (), *, top: int = 10
) -> LintReport:
    """Every problem in the catalog, and its ``top`` most similar indicator pairs."""
    pairs = similar_pairs(catalog.indicators)
    problems = structural_problems(catalog, tuple(documents)) + _duplicate_problems(pairs)
    return LintReport(problems=tuple(problems), closest=tuple(pairs[:top]))
