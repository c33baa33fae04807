"""How well an upload's text matches what each indicator asks to be shown.

Each indicator is one short document: its title, requirement and evidence descriptions
("经机构负责人或决策机构认可的当年度工作计划"). The upload's name and text are the query,
scored with BM25 over the retrieval's tokenizer, which keeps the standard's own terms whole
(``assistant.retrieval.lexical``). Scores are scaled so the best match is 1.0; an indicator
the text shares nothing with scores 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.knowledge.schema import Catalog, Indicator
from assistant.retrieval.lexical import Bm25Index, Tokenizer, standard_terms

__all__ = ["TEXT_CHARS", "EvidenceMatcher", "matcher_for"]

TEXT_CHARS = 4000
"""How much of the upload's text is matched: a plan's or a register's first pages say what
it is; BM25 over 128 short documents takes a few milliseconds for this much."""


@dataclass(frozen=True, slots=True, eq=False)
class EvidenceMatcher:
    """BM25 over the catalog's indicators, each as its title, requirement and evidence."""

    ids: tuple[str, ...]
    index: Bm25Index

    @classmethod
    def of(cls, catalog: Catalog) -> EvidenceMatcher:
        tokenizer = Tokenizer(standard_terms(catalog, ()))
        documents = [_document(indicator) for indicator in catalog.indicators]
        ids = tuple(indicator.id for indicator in catalog.indicators)
        return cls(ids, Bm25Index(documents, tokenizer))

    def scores(self, name: str, text: str) -> dict[str, float]:
        """Indicator id → how well ``name`` and ``text`` match it, the best being 1.0."""
        raw = self.index.scores(f"{name}\n{text[:TEXT_CHARS]}")
        best = max(raw, default=0.0)
        if best <= 0:
            return dict.fromkeys(self.ids, 0.0)
        return {ident: max(score, 0.0) / best for ident, score in zip(self.ids, raw, strict=True)}


def _document(indicator: Indicator) -> str:
    evidence = "\n".join(requirement.description for requirement in indicator.evidence)
    return f"{indicator.title.zh}\n{indicator.requirement}\n{evidence}\n{indicator.title.en}"


# By the catalog itself (a frozen model hashes in a millisecond or two), not its version
# and hash: test catalogs share those.
@lru_cache(maxsize=8)
def matcher_for(catalog: Catalog) -> EvidenceMatcher:
    """The catalog's matcher, built once per catalog (jieba loads in a second or two)."""
    return EvidenceMatcher.of(catalog)
