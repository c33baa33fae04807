"""English search keys for clauses written only in Chinese: ``retrieval/clause_keys.yaml``.

English questions meet a Chinese text: the rules of annex R and the general chapters have no
English words for BM25 and embed far from an English question. Each key is a line of English
phrases a user would type about the clause; it is added to what the clause's chunk indexes
and embeds, never to what an answer quotes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import Field

from assistant.errors import KnowledgeError
from assistant.knowledge.schema import StrictModel
from assistant.knowledge.standard import StandardDocument
from assistant.retrieval.glossary import load_optional

__all__ = ["ClauseKeys", "load_clause_keys"]


class ClauseKeys(StrictModel):
    version: int
    keys: dict[str, str] = Field(default_factory=dict)

    def check_against(self, documents: Iterable[StandardDocument]) -> None:
        """Every key names a clause of the reference rendition: a typo would index nothing."""
        known = {
            clause.number
            for document in documents
            if document.meta.get("rendition", "reference") == "reference"
            for clause in document.clauses
        }
        unknown = sorted(set(self.keys) - known)
        if unknown:
            raise KnowledgeError(
                f"clause_keys.yaml 中的条款号不存在 / unknown clause numbers: {', '.join(unknown)}"
            )


def load_clause_keys(path: Path) -> ClauseKeys:
    return load_optional(path, ClauseKeys, ClauseKeys(version=0))
