"""Exact answers from the data: questions the catalog and the rating rules answer exactly.

"服务运营三星有哪些要求", "一星的否决项", "一星要准备哪些材料？", "SO-2-01需要什么证据",
"How is the rating computed?", "Who assesses?": recognised without a language model
(``assistant.qa.intent``) and answered from the ``Catalog`` and ``RuleSet``, with the
indicators and the clauses of annex R cited. Any other question gets None, and retrieval
answers it. The answer is a pure function of the question and the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Final

from assistant.knowledge.loader import default_knowledge_dir, load_rules
from assistant.knowledge.schema import Catalog, RuleSet
from assistant.knowledge.standard import StandardDocument
from assistant.qa.exact_evidence import indicator_answer, materials_answer
from assistant.qa.exact_kinds import evidence_kind_answer, operating_time_answer
from assistant.qa.exact_lists import cores_answer, requirements_answer
from assistant.qa.exact_parts import Draft, Knowledge, Sources, compose
from assistant.qa.exact_rules import programme_answer, rating_answer
from assistant.qa.intent import Intent, Topic, recognise
from assistant.qa.models import Answer

__all__ = ["ExactAnswerer", "shipped_rules"]

_Renderer = Callable[[Knowledge, Intent, Sources], Draft | None]
_RENDERERS: Final[dict[Topic, _Renderer]] = {
    Topic.REQUIREMENTS: requirements_answer,
    Topic.CORES: cores_answer,
    Topic.MATERIALS: materials_answer,
    Topic.EVIDENCE_KIND: evidence_kind_answer,
    Topic.OPERATING_TIME: operating_time_answer,
    Topic.INDICATOR: indicator_answer,
    Topic.RATING: rating_answer,
    Topic.PROGRAMME: programme_answer,
}


@cache
def shipped_rules() -> RuleSet:
    """The rating rules shipped in ``knowledge/rules``, for callers that name none."""
    return load_rules(default_knowledge_dir() / "rules")


class ExactAnswerer:
    """Answers the questions the data answers exactly; None for every other question."""

    def __init__(
        self, catalog: Catalog, rules: RuleSet, documents: Iterable[StandardDocument]
    ) -> None:
        self._knowledge = Knowledge.of(catalog, rules, documents)

    def answer(self, question: str) -> Answer | None:
        intent = recognise(question)
        if intent is None:
            return None
        sources = Sources(self._knowledge)
        draft = _RENDERERS[intent.topic](self._knowledge, intent, sources)
        if draft is None:
            return None
        return compose(question, intent.language, draft, sources)
