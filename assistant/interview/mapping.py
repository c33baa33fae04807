"""The deterministic answer mapper: free text → a proposed finding, with no language model.

``read_answer`` is the pure core (text, indicator, reference date → ``Reading``);
``DeterministicMapper`` wraps it as the interview's ``AnswerMapper`` and words the rationale.
A proposal at or above ``CONFIDENT`` may be recorded at once; below it, the dialogue manager
asks the user to confirm. Confidence is set by how the answer was read: a status word is
certain (1.0); a short clear yes, no, "只在一个部门" or "不涉及" is confident; a yes with a
reservation, a hedge ("好像有"), "不清楚", an answer about something else, a "不适用" the
indicator does not allow, or a yes cut down because the practice has not run long enough,
stays below, so the user confirms it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from assistant.interview.cues_clauses import Clause, normalize, read_clauses
from assistant.interview.cues_rationale import rationale
from assistant.interview.cues_reading import BASIS_STATUS, LABEL_CUES, Basis, decide
from assistant.interview.cues_relevance import (
    NO_CATALOG,
    RELATED,
    CatalogWords,
    Overlap,
    catalog_words,
    relevance,
    subject_words,
    topic_words,
)
from assistant.interview.cues_status import UNSURE_WORDS, parse_checklist_text, parse_status
from assistant.interview.ports import AnswerMapper
from assistant.interview.timephrases import operating_months
from assistant.knowledge.schema import Catalog, FindingStatus, Indicator
from assistant.session.models import Language, Profile, ProposedFinding
from assistant.textnorm import normalize_user_text

__all__ = [
    "CONFIDENT",
    "Basis",
    "DeterministicMapper",
    "Reading",
    "parse_checklist_text",
    "parse_status",
    "read_answer",
]

CONFIDENT = 0.75
"""Proposals at or above this are recorded; below it they are put to the user to confirm."""

_BASE_CONFIDENCE: dict[Basis, float] = {
    Basis.LABEL: 0.9,  # a status word heading a longer answer; alone it is 1.0
    Basis.AFFIRMATION: 0.85,
    Basis.NEGATION: 0.85,
    Basis.LIMITED: 0.82,
    Basis.NOT_APPLICABLE: 0.85,
    Basis.DOUBLE_NEGATION: 0.8,
    Basis.MOSTLY: 0.8,
    Basis.EXCEPTION: 0.68,
    Basis.MIXED: 0.62,
    Basis.DESCRIPTION: 0.6,
    Basis.UNSURE: 0.6,
    Basis.UNCLEAR: 0.35,
}
_SHORT_BONUS = 0.05
_HEDGE_PENALTY = 0.2
_UNRELATED_PENALTY = 0.25
_UNRELATED_MIN_WORDS = 2  # one stray word ("部门") is too little to call an answer off-topic
_CAPPED_CEILING = 0.7
_NA_DISALLOWED_CEILING = 0.4


@dataclass(frozen=True, slots=True)
class Reading:
    """How an answer was read: the status, how sure, and what it rests on."""

    status: FindingStatus
    confidence: float
    basis: Basis
    quote: str  # the user's words the status rests on (normalised)
    hedged: bool = False
    relevance: float | None = None  # share of shared words; None when too little to judge
    operating_months: int | None = None
    required_months: int | None = None  # set when the status was capped for a short run
    na_disallowed: bool = False  # not applicable proposed where the indicator forbids it


def read_answer(
    text: str, indicator: Indicator, *, today: date, catalog: CatalogWords = NO_CATALOG
) -> Reading:
    """Read one free-text answer to ``indicator``'s question; pure and deterministic.

    ``catalog`` tells which words are common to many indicators and which indicator an
    answer fits best (``catalog_words``): an answer about another indicator is put to the
    user to confirm. Without it only fixed function words are set aside.
    """
    normal = normalize(normalize_user_text(text))
    months = operating_months(normal, today=today)
    label = _status_word(normal)
    if label is not None:
        reading = Reading(label, 1.0, Basis.LABEL, normal, operating_months=months)
    else:
        reading = _read_free_text(normal, indicator, months, catalog)
    return _apply_limits(reading, indicator)


class DeterministicMapper(AnswerMapper):
    """Reads answers with cue tables and lexical overlap; the default, and the fallback.

    Give it the ``catalog``: words common to many indicators ("台账", "记录") then do not make
    an answer look related to whichever indicator is asked, and an answer that fits another
    indicator much better is not recorded without asking.
    """

    def __init__(self, *, today: date | None = None, catalog: Catalog | None = None) -> None:
        self._today = today
        self._catalog = catalog_words(catalog) if catalog is not None else NO_CATALOG

    def propose(
        self, text: str, indicator: Indicator, *, language: Language, profile: Profile
    ) -> ProposedFinding:
        today = self._today or date.today()
        reading = read_answer(text, indicator, today=today, catalog=self._catalog)
        return ProposedFinding(
            indicator_id=indicator.id,
            status=reading.status,
            confidence=round(reading.confidence, 3),
            rationale=rationale(reading, indicator, language),
            operating_months=reading.operating_months,
            off_topic=reading.relevance == 0,
            quote=reading.quote or None,
        )


def _read_free_text(
    normal: str, indicator: Indicator, months: int | None, catalog: CatalogWords
) -> Reading:
    clauses = read_clauses(normal, topic=topic_words(indicator))
    head_label = _status_word(clauses[0].text) if clauses else None
    if head_label is not None:
        clauses = (dataclasses.replace(clauses[0], label=LABEL_CUES[head_label]), *clauses[1:])
    decision = decide(
        clauses,
        na_allowed=indicator.na_allowed,
        majority=_asks_for_a_majority(indicator),
        subject=subject_words(indicator),
        related=lambda clause: _judged(relevance(clause.rest, indicator, catalog)) != 0,
    )
    overlap = relevance(" ".join(clause.rest for clause in clauses), indicator, catalog)
    basis = decision.basis
    if basis is Basis.DESCRIPTION and _judged(overlap) == 0:
        basis = Basis.UNCLEAR  # no cue, and about something else
    status = BASIS_STATUS[basis]
    if head_label is not None and status in (head_label, None):
        basis, status = Basis.LABEL, head_label
    assert status is not None
    hedged = any(clause.hedged for clause in clauses)
    return Reading(
        status=status,
        confidence=_confidence(basis, clauses, overlap, hedged),
        basis=basis,
        quote=_quote(clauses, decision.clause),
        hedged=hedged,
        relevance=_judged(overlap),
        operating_months=months,
    )


def _asks_for_a_majority(indicator: Indicator) -> bool:
    """Whether "mostly" is what the requirement asks ("以中小企业为主", "主要是…吗")."""
    return "为主" in indicator.title.zh or "主要是" in indicator.question


def _judged(overlap: Overlap | None) -> float | None:
    """The overlap share; 0 when another indicator fits the answer much better; None where
    the answer is too short to call it off-topic."""
    if overlap is None:
        return None
    if not overlap.closest:
        return 0.0
    if overlap.share == 0 and overlap.words < _UNRELATED_MIN_WORDS:
        return None
    return overlap.share


def _status_word(text: str) -> FindingStatus | None:
    return None if text in UNSURE_WORDS else parse_status(text)


def _confidence(
    basis: Basis, clauses: tuple[Clause, ...], overlap: Overlap | None, hedged: bool
) -> float:
    confidence = _BASE_CONFIDENCE[basis]
    if len(clauses) == 1 and _is_short(clauses[0].text) and basis is not Basis.UNSURE:
        confidence += _SHORT_BONUS
    if hedged:
        confidence -= _HEDGE_PENALTY
    if overlap is not None and basis not in (Basis.UNSURE, Basis.UNCLEAR):
        share = _judged(overlap)
        if share == 0:
            confidence -= _UNRELATED_PENALTY
        elif share is not None and share >= RELATED:
            confidence += _SHORT_BONUS
    return min(0.95, max(0.05, confidence))


def _is_short(text: str) -> bool:
    return len(text.split()) <= 2 if text.isascii() else len(text) <= 4


def _quote(clauses: tuple[Clause, ...], index: int | None) -> str:
    if index is None:
        return "，".join(clause.text for clause in clauses)[:40]
    words = clauses[index].text
    if len(words) <= 3 and index + 1 < len(clauses):
        comma = ", " if words.isascii() else "，"
        words = f"{words}{comma}{clauses[index + 1].text}"
    return words if len(words) <= 30 else f"{words[:29]}…"


def _apply_limits(reading: Reading, indicator: Indicator) -> Reading:
    if reading.status is FindingStatus.NOT_APPLICABLE and not indicator.na_allowed:
        confidence = min(reading.confidence, _NA_DISALLOWED_CEILING)
        return dataclasses.replace(reading, confidence=confidence, na_disallowed=True)
    required = max((e.operating_months or 0 for e in indicator.evidence), default=0)
    months = reading.operating_months
    positive = reading.status in (FindingStatus.MET, FindingStatus.LARGELY_MET)
    if positive and months is not None and months < required:
        return dataclasses.replace(
            reading,
            status=FindingStatus.PARTLY_MET,
            confidence=min(reading.confidence, _CAPPED_CEILING),
            required_months=required,
        )
    return reading
