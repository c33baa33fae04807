"""Ask a question: retrieve, check the relevance floor, answer."""

from __future__ import annotations

from typing import cast

from assistant.qa.extractive import extractive_answer, refusal
from assistant.qa.models import Answer, Language
from assistant.retrieval.index import RetrievalIndex
from assistant.retrieval.relevance import CoverageCheck, detect_language
from assistant.retrieval.search import Method
from assistant.textnorm import normalize_user_text

__all__ = ["QuestionAnswerer"]


class QuestionAnswerer:
    def __init__(self, index: RetrievalIndex, floor: CoverageCheck, k: int = 5) -> None:
        self._index = index
        self._floor = floor
        self._k = k

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        question = normalize_user_text(question)
        language = cast(Language, detect_language(question))
        searcher = self._index.searcher
        if not question or not self._floor.covers(question, searcher.coverage(question)):
            return refusal(question, language)
        hits = searcher.search(question, k or self._k, Method.HYBRID)
        return extractive_answer(question, hits, self._index.corpus.catalog, language)
