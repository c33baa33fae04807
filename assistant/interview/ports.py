"""Swappable parts of the interview: how a free-text answer is read, how a question is
phrased, and who answers questions about the standard. Deterministic implementations are the
default; ``assistant.llm`` supplies model-backed ones that fall back to them."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Protocol

from assistant.knowledge.schema import Indicator
from assistant.qa.models import Answer
from assistant.session.models import Language, Profile, ProposedFinding
from assistant.session.state import RecordedFinding

__all__ = ["AnswerMapper", "Answerer", "QuestionPhraser"]


class AnswerMapper(ABC):
    """Reads a free-text answer to one indicator's question as a *proposed* finding."""

    @abstractmethod
    def propose(
        self, text: str, indicator: Indicator, *, language: Language, profile: Profile
    ) -> ProposedFinding: ...


class QuestionPhraser(ABC):
    """Words an indicator's question for this institution without changing what is asked."""

    @abstractmethod
    def phrase(
        self,
        indicator: Indicator,
        *,
        language: Language,
        profile: Profile,
        recent: Sequence[RecordedFinding] = (),
    ) -> str: ...


class Answerer(Protocol):
    """Answers a question about the standard (``assistant.qa.QuestionAnswerer`` is one)."""

    def ask(self, question: str, *, k: int | None = None) -> Answer: ...
