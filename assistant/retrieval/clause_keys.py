"""Search keys for clauses: ``retrieval/clause_keys.yaml``.

English questions meet a Chinese text: the rules of annex R and the general chapters have no
English words for BM25 and embed far from an English question. Each key is a line of phrases a
user would type about the clause (``keys`` in English, ``keys_zh`` in colloquial Chinese: "评上
以后有什么用" never shares a word with "证书与结果应用"); BM25 indexes them with the clause,
the embedding and the quotes never see them.
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
    keys_zh: dict[str, str] = Field(default_factory=dict)

    def merged(self) -> dict[str, str]:
        """Each clause's keys in both languages, on one line."""
        return {
            number: "; ".join(k for k in (self.keys.get(number), self.keys_zh.get(number)) if k)
            for number in {**self.keys, **self.keys_zh}
        }

    def check_against(self, documents: Iterable[StandardDocument]) -> None:
        """Every key names a clause of the reference rendition: a typo would index nothing."""
        known = {
            clause.number
            for document in documents
            if document.meta.get("rendition", "reference") == "reference"
            for clause in document.clauses
        }
        unknown = sorted((set(self.keys) | set(self.keys_zh)) - known)
        if unknown:
            raise KnowledgeError(
                f"clause_keys.yaml 中的条款号不存在 / unknown clause numbers: {', '.join(unknown)}"
            )


def load_clause_keys(path: Path) -> ClauseKeys:
    return load_optional(path, ClauseKeys, ClauseKeys(version=0))
