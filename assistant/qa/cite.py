"""A citation of an indicator or of a clause, built from the catalog or the rendition."""

from __future__ import annotations

from assistant.knowledge.schema import Indicator
from assistant.knowledge.standard import Clause
from assistant.qa.models import Citation
from assistant.retrieval.chunks import CATALOG_SOURCE

__all__ = ["clause_citation", "indicator_citation"]


def indicator_citation(indicator: Indicator, score: float) -> Citation:
    return Citation(
        clause=indicator.clause,
        title=indicator.title.zh,
        source=CATALOG_SOURCE,
        text=indicator.requirement,
        indicator_id=indicator.id,
        level=int(indicator.level),
        area=indicator.area,
        score=round(score, 6),
    )


def clause_citation(clause: Clause, score: float) -> Citation:
    return Citation(
        clause=clause.number,
        title=clause.title,
        source=clause.source,
        text=clause.text,
        score=round(score, 6),
    )
