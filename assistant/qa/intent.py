"""Which exact question is this? The topic of a question the catalog and rules answer exactly.

``recognise`` reads the question (``assistant.qa.words``) and picks one topic, or None when
the question is not one the data answers exactly ("什么是服务设计", "四星对数据有什么要求"):
the retrieval path answers those. The order of the checks is the order of precedence: an
indicator id first, then the rating rules, evidence, core indicators, requirements and last
the assessment programme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import cast

from assistant.knowledge.schema import AREA_CODES, AreaCode, EvidenceKind, Level
from assistant.qa.lexicon import Cue
from assistant.qa.models import Language
from assistant.qa.words import Reading, read_words
from assistant.retrieval.relevance import detect_language

__all__ = ["MAX_QUESTION_CHARS", "Intent", "Topic", "classify", "recognise"]

# An exact question is a sentence or two; a longer text is a request that retrieval reads.
MAX_QUESTION_CHARS = 300
# "What is a core indicator?": a term's meaning, which the clauses give, not a list of them
_WHAT_A_TERM_IS = re.compile(
    r"what(?:\s+exactly)?(?:\s+is|'s|’s)(?:\s+exactly)?\s+(?:an?\s|the\s+meaning\s+of\s)"
)
# "What do we get if we pass?": what passing brings, not the pass mark
_WHAT_WE_GET = re.compile(
    r"\bwhat\s+(?:do|does|will|would|can|could)\s+(?:we|you|i|they|it)\s+get\b(?!\s+to\b)"
)
# A term alone ("核心指标", "否决项？") asks what it means, not for the list.
_BARE_TERM_CHARS = 5


class Topic(StrEnum):
    REQUIREMENTS = "requirements"  # the indicators of an area and/or level
    CORES = "cores"  # their core (veto) indicators
    MATERIALS = "materials"  # the direct evidence they need
    EVIDENCE_KIND = "evidence_kind"  # how many / how recent one kind of evidence must be
    OPERATING_TIME = "operating_time"  # how long a practice must have run
    INDICATOR = "indicator"  # one indicator named by its id
    RATING = "rating"  # how the stars are computed
    PROGRAMME = "programme"  # who publishes, who assesses, how to apply


_RATING = frozenset({Cue.RATING, Cue.THRESHOLD, Cue.SCORES, Cue.NOT_RATED, Cue.READINGS})
_RATING_WEAK = frozenset({Cue.LOWEST, Cue.CUMULATIVE, Cue.CONSEQUENCE})
_PROGRAMME = frozenset({Cue.PUBLISHER, Cue.ASSESSOR, Cue.APPLY})
_LISTING = frozenset({Cue.REQUIREMENT, Cue.MATERIAL})
_ABOUT_EVIDENCE = frozenset({Cue.COUNT, Cue.AGE, Cue.MONTHS, Cue.MATERIAL})
_ABOUT_AN_INDICATOR = frozenset(
    {Cue.MATERIAL, Cue.AGE, Cue.MONTHS, Cue.COUNT, Cue.REQUIREMENT, Cue.CORE, Cue.FREQUENCY}
)


@dataclass(frozen=True)
class Intent:
    topic: Topic
    language: Language
    levels: tuple[Level, ...] = ()  # ascending; empty: every level
    areas: tuple[AreaCode, ...] = ()  # in the catalog's order; empty: every area
    kinds: tuple[EvidenceKind, ...] = ()
    indicator_ids: tuple[str, ...] = ()
    cues: frozenset[Cue] = frozenset()

    @property
    def core_only(self) -> bool:
        """Only the core indicators, as in 一星核心指标要准备哪些材料."""
        return Cue.CORE in self.cues and self.topic is not Topic.CORES


def recognise(question: str) -> Intent | None:
    """The exact question ``question`` asks, or None when the data does not answer it exactly."""
    if not question.strip() or len(question) > MAX_QUESTION_CHARS:
        return None
    reading = read_words(question)
    if reading is None:
        return None
    if _WHAT_WE_GET.search(question.lower()):
        reading = replace(reading, cues=reading.cues | {Cue.BENEFIT})
    topic = classify(reading)
    if topic is None or _asks_what_a_term_is(question, reading):
        return None
    if _a_bare_term(question, reading):
        return None
    return Intent(
        topic=topic,
        language=cast(Language, detect_language(question)),
        levels=tuple(sorted(reading.levels)),
        areas=tuple(code for code in AREA_CODES if code in reading.areas),
        kinds=tuple(kind for kind in EvidenceKind if kind in reading.kinds),
        indicator_ids=reading.indicator_ids,
        cues=reading.cues,
    )


def _a_bare_term(question: str, reading: Reading) -> bool:
    unscoped = not (reading.levels or reading.areas or reading.indicator_ids or reading.kinds)
    bare = question.strip(" ?？!！.。'\"“”")
    return unscoped and reading.cues == {Cue.CORE} and len(bare) <= _BARE_TERM_CHARS


def _asks_what_a_term_is(question: str, reading: Reading) -> bool:
    scoped = reading.levels or reading.areas or reading.indicator_ids
    return not scoped and _WHAT_A_TERM_IS.match(question.lower().lstrip()) is not None


def classify(reading: Reading) -> Topic | None:
    cues = reading.cues
    scoped = bool(reading.levels or reading.areas)
    if Cue.DEFINITION in cues and not (scoped or reading.indicator_ids):
        return None  # "什么是服务设计": the definition is in the clauses
    if cues & {Cue.REMEDY, Cue.OFFICIAL} and not (scoped or reading.indicator_ids):
        # "评估中发现问题还能整改吗", "is this the official catalog": the programme's rules
        return (
            Topic.PROGRAMME
            if cues & {Cue.ASSESS, Cue.ASSESSOR, Cue.RATING} or (Cue.OFFICIAL in cues)
            else None
        )
    if Cue.BENEFIT in cues and not (reading.areas or reading.indicator_ids):
        return Topic.PROGRAMME  # "过了有什么好处": what the certificate brings, not the pass mark
    if Cue.FREQUENCY in cues and not reading.indicator_ids:
        return None  # "战略评审一年几次": one indicator's requirement, found by retrieval
    if Cue.CONTENT in cues:
        return None  # "服务记录要记哪几项": what one indicator asks a record to hold
    if reading.indicator_ids:
        return Topic.INDICATOR if cues & _ABOUT_AN_INDICATOR or reading.kinds else None
    if Cue.WHO in cues and not cues & _PROGRAMME and Cue.ASSESS not in cues:
        return None  # "Who decides whether we pass?": a person or body, not the rule
    strong = cues & _RATING
    if strong and not (strong == {Cue.THRESHOLD} and cues & _LISTING and scoped):
        return Topic.RATING  # but "minimum requirements for level 3" is a listing
    evidence = _evidence_topic(reading)
    if evidence is not None:
        return evidence
    if cues & _RATING_WEAK and (Cue.CORE in cues or Cue.REQUIREMENT not in cues):
        return Topic.RATING
    if Cue.CORE in cues:
        return Topic.CORES
    return _listing_or_programme(reading, scoped)


def _evidence_topic(reading: Reading) -> Topic | None:
    cues = reading.cues
    scoped = bool(reading.levels or reading.areas)
    if reading.kinds == {EvidenceKind.CERTIFICATE} and not (
        Cue.MATERIAL in cues or reading.levels or reading.areas
    ):
        return None  # "证书有效期多久": the certificate an assessment awards, most likely
    if reading.kinds:
        asked = cues & (_ABOUT_EVIDENCE | {Cue.REQUIREMENT})
        return Topic.EVIDENCE_KIND if asked or scoped else None
    if Cue.MONTHS in cues:
        return Topic.OPERATING_TIME
    if Cue.AGE in cues:
        return Topic.EVIDENCE_KIND  # "证据的时效要求": every kind, in a table
    if Cue.MATERIAL in cues:
        return Topic.PROGRAMME if Cue.APPLY in cues and not scoped else Topic.MATERIALS
    return None


def _listing_or_programme(reading: Reading, scoped: bool) -> Topic | None:
    cues = reading.cues
    listing = Cue.REQUIREMENT in cues or (Cue.COUNT in cues and scoped)
    if listing and (scoped or not cues & _PROGRAMME):
        return Topic.REQUIREMENTS
    if cues & _PROGRAMME or {Cue.WHO, Cue.ASSESS} <= cues:
        return Topic.PROGRAMME
    return None
