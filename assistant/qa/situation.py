"""Situation questions: an applicant describes a practice and asks whether it passes.

"我们站就三个人，计划是站长口头布置的，评一星会卡在这吗" is recognised without a language model
(first person, a described practice, a question about passing: 卡 / 够不够 / 算不算 / count /
enough…), matched to the indicators it concerns, and answered with their scoring guidance
(评分细则: what 满足 / 基本满足 / 部分满足 look like, what assessors sample), the hint that speaks
to the practice ("口头安排……不算") and the evidence that would show it. It never gives a verdict
on the applicant's institution: assessors decide on the evidence.

Matching: the whole question and each of its clauses are searched; an indicator scores its
score for the whole question plus its best score for one clause, so that the clause that
describes the practice ("计划是站长口头布置的") is not drowned by the context around it
("我们站就三个人"). A clause is searched with its own words and the whole question's vector
(embedding each clause again doubled a situation question's cost). Only indicators up to the
star the question names take part.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from assistant.knowledge.guidance import scoring_in
from assistant.knowledge.schema import (
    Catalog,
    EvidenceClass,
    EvidenceRequirement,
    FindingStatus,
    Indicator,
    RuleSet,
)
from assistant.knowledge.standard import Clause, StandardDocument, in_project_annex
from assistant.qa.cite import clause_citation, indicator_citation
from assistant.qa.extractive import citations_from_hits, notes
from assistant.qa.labels import citation_label, labelled
from assistant.qa.models import Answer, Citation, Language
from assistant.qa.opening import indicator_name, marker, named_levels, stars_label
from assistant.retrieval.search import CANDIDATES, Hit, Searcher
from assistant.vocabulary import kind_label, status_label

__all__ = ["SEE_ALSO_FROM", "Situation", "SituationAnswerer", "best_hint", "read_situation"]

MAX_SEGMENTS = 4  # clauses of the question searched on their own
SEE_ALSO_FROM = 4  # the whole question's nearest hits, named after the answer when not cited
SECOND_SHARE = 0.75  # a second indicator is named when it scores this share of the first
MIN_SHARED = 2  # … and its hints share this many pieces with the question
CORE_RULE_CLAUSE = "R.1.2"  # 能力域等级的判定: a core indicator must pass

_FIRST_PERSON_ZH = (
    "我们",
    "咱们",
    "我单位",
    "我站",
    "我中心",
    "我机构",
    "我司",
    "我所",
    "本机构",
    "本单位",
)
_FIRST_PERSON_EN = frozenset({"we", "our", "ours", "us", "we're", "we've", "we'd"})
_PASSING_ZH = (
    "卡", "够不够", "够吗", "算不算", "算吗", "能不能过", "能过", "过得了", "过不了", "通过吗",
    "能否通过", "达标", "符合", "满足吗", "行不行", "可以吗", "扣分", "影响", "有问题吗",
)  # fmt: skip
_PASSING_EN = (
    "count", "enough", "pass", "fail", "acceptable", "ok for", "okay for", "hold us back",
    "block", "sufficient", "qualify", "meet the", "good for",
)  # fmt: skip
# at the start of a word: "counts", "passed", not "discount" or "compass"
_PASSING_EN_WORDS = re.compile(r"\b(?:" + "|".join(map(re.escape, _PASSING_EN)) + ")")
# "我们要达标需要做哪些工作" asks what is required: retrieval and the exact answers answer it
_ASKS_WHAT_ZH = ("哪些", "什么", "怎么", "如何", "怎样", "多少")
_ASKS_WHAT_EN = frozenset({"what", "which", "how", "when", "where", "why"})
_MIN_CHARS_ZH = 10  # a described practice, not just "我们够吗"
_MIN_WORDS_EN = 6
_SEPARATORS = "，,。；;？?！!：:\n"
_PUNCTUATION = frozenset("，,。；;？?！!：:、“”\"'（）() ")

_NO_VERDICT = {
    "zh": "是否满足由评估机构依据证据判定；以上是评分细则和证据要求，不是对贵机构的评估结论。",
    "en": "Whether it is met is for the assessors to decide on the evidence; the above is the "
    "scoring guidance and the evidence it asks for, not a verdict on your institution.",
}
_CATALOG_NOTE = {
    "zh": "指标目录和评分细则是本项目编写的参考内容，不是标准正式文本。",
    "en": "The indicator catalog and its scoring guidance are this project's reference content, "
    "not the official text of the standard.",
}
_GRADES = {
    "zh": ("怎样算满足：", "基本满足：", "部分满足：", "评估时抽查："),
    "en": ("What counts as met: ", "Largely met: ", "Partly met: ", "The assessor samples: "),
}


@dataclass(frozen=True)
class Situation:
    language: Language
    levels: tuple[int, ...]  # the star levels the question names; empty: any
    segments: tuple[str, ...]  # the question's clauses, searched on their own


def _segments(question: str) -> tuple[str, ...]:
    text = question
    for separator in _SEPARATORS:
        text = text.replace(separator, "|")
    text = text.replace(". ", "|")
    parts = [part.strip() for part in text.split("|")]
    return tuple(part for part in parts if len(part) >= 4)[:MAX_SEGMENTS]


def _first_person(question: str, language: Language) -> bool:
    if language == "zh":
        return any(word in question for word in _FIRST_PERSON_ZH)
    words = {word.strip(",.?!;:") for word in question.lower().split()}
    return bool(words & _FIRST_PERSON_EN)


def _asks_what(question: str, language: Language) -> bool:
    if language == "zh":
        return any(word in question for word in _ASKS_WHAT_ZH)
    return bool({word.strip(",.?!;:") for word in question.lower().split()} & _ASKS_WHAT_EN)


def _long_enough(question: str, language: Language) -> bool:
    if language == "zh":
        return sum(1 for ch in question if ch not in _PUNCTUATION) >= _MIN_CHARS_ZH
    return len(question.split()) >= _MIN_WORDS_EN


def read_situation(question: str, language: Language) -> Situation | None:
    """A situation question (we + a practice + does it pass?), or None."""
    lowered = question.lower()
    if language == "zh":
        passing = any(word in lowered for word in _PASSING_ZH)
    else:
        passing = _PASSING_EN_WORDS.search(lowered) is not None
    if not (
        _first_person(question, language)
        and passing
        and not _asks_what(question, language)
        and _long_enough(question, language)
    ):
        return None
    return Situation(language, named_levels(question), _segments(question))


# --- matching ----------------------------------------------------------------------------------


def _indicator_scores(hits: Iterable[Hit], top_level: int) -> dict[str, float]:
    scores: dict[str, float] = {}
    for hit in hits:
        chunk = hit.chunk
        if chunk.indicator_id and (chunk.level or 0) <= top_level:
            scores.setdefault(chunk.indicator_id, hit.score)
    return scores


def _matched(
    question: str, situation: Situation, hits: Sequence[Hit], searcher: Searcher
) -> list[tuple[str, float]]:
    """``hits``: the whole question's."""
    top_level = max(situation.levels, default=5)
    whole = _indicator_scores(hits, top_level)
    parts = [
        _indicator_scores(searcher.search(segment, CANDIDATES, dense_from=question), top_level)
        for segment in situation.segments
    ]
    ids = set(whole).union(*parts)
    combined = {
        i: whole.get(i, 0.0) + max((p.get(i, 0.0) for p in parts), default=0.0) for i in ids
    }
    return sorted(combined.items(), key=lambda pair: (-pair[1], pair[0]))


def _bigrams(text: str) -> set[str]:
    return {
        text[i : i + 2] for i in range(len(text) - 1) if not set(text[i : i + 2]) & _PUNCTUATION
    }


def _words(text: str) -> set[str]:
    return {w.strip(",.?!;:()“”\"'").lower() for w in text.split() if len(w) > 3}


def _shared(text: str, question: str, language: Language) -> int:
    """How many two-character pieces (Chinese) or words (English) it shares with the question."""
    pieces = _bigrams if language == "zh" else _words
    return len(pieces(text) & pieces(question))


def best_hint(indicator: Indicator, question: str, language: Language) -> str:
    """The hint that shares the most with the question ("口头" → "口头安排……不算"); the first
    hint on a tie; "" when the indicator has none in ``language``."""
    hints = indicator.hints if language == "zh" else indicator.hints_en
    if not hints:
        return ""
    return max(hints, key=lambda hint: _shared(hint, question, language))


def _speaks_to(indicator: Indicator, question: str, language: Language) -> bool:
    """Its hints share words with the described practice: a second indicator must, or it is
    only near the question's context ("我们站就三个人")."""
    return _shared(best_hint(indicator, question, language), question, language) >= MIN_SHARED


# --- the answer ----------------------------------------------------------------------------------


def _guidance(indicator: Indicator, language: Language) -> list[str]:
    scoring = scoring_in(indicator, language)
    if scoring is None:
        return []
    values = (scoring.met, scoring.largely, scoring.partly, scoring.sample)
    return [f"- {label}{value}" for label, value in zip(_GRADES[language], values, strict=True)]


def _evidence_line(requirement: EvidenceRequirement, language: Language) -> str:
    direct = requirement.evidence_class is EvidenceClass.DIRECT
    if language == "zh":
        kind = "直接证据" if direct else "间接证据"
        age = f"，近 {requirement.max_age_months} 个月内" if requirement.max_age_months else ""
        return f"- {requirement.description}（{kind_label(requirement.kind, 'zh')}，{kind}{age}）"
    kind = "direct evidence" if direct else "indirect evidence"
    age = f", at most {requirement.max_age_months} months old" if requirement.max_age_months else ""
    return f"- a {kind_label(requirement.kind, 'en', inline=True)} ({kind}{age})"


def _pass_statuses(rules: RuleSet, language: Language) -> str:
    ordered = [
        status_label(s, language, inline=True)
        for s in FindingStatus
        if s in rules.core_pass_statuses
    ]
    return ("或" if language == "zh" else " or ").join(ordered)


@dataclass
class _Draft:
    """The answer as it is written: its parts and the citations numbered so far."""

    language: Language
    citations: list[Citation]

    def cite(self, citation: Citation) -> str:
        self.citations.append(citation)
        return marker(len(self.citations))


def _see_also(nearest: Sequence[Hit], draft: _Draft) -> str:
    """The clauses and indicators nearest the question that the answer has not cited: the
    matching reads a practice, and may miss what the question is about."""
    cited = {(c.clause, c.indicator_id) for c in draft.citations}
    fresh = [c for c in citations_from_hits(nearest) if (c.clause, c.indicator_id) not in cited]
    if not fresh:
        return ""
    labels = [f"{draft.cite(c)} {citation_label(c, draft.language)} {c.title}" for c in fresh]
    if draft.language == "zh":
        return "另见：" + "；".join(labels) + "。"
    return "See also: " + "; ".join(labels) + "."


class SituationAnswerer:
    """Answers situation questions from the catalog's scoring guidance; None for others."""

    def __init__(
        self, catalog: Catalog, rules: RuleSet, documents: Iterable[StandardDocument] = ()
    ) -> None:
        self._catalog = catalog
        self._rules = rules
        self._clauses: Mapping[str, Clause] = {
            clause.number: clause
            for document in documents
            if document.meta.get("rendition", "reference") == "reference"
            for clause in document.clauses
            if in_project_annex(clause.number)
        }

    def answer(self, question: str, language: Language, searcher: Searcher) -> Answer | None:
        situation = read_situation(question, language)
        if situation is None:
            return None
        hits = searcher.search(question, CANDIDATES)
        matched = _matched(question, situation, hits, searcher)
        if not matched:
            return None
        first_score = matched[0][1]
        second = [
            pair
            for pair in matched[1:2]
            if pair[1] >= SECOND_SHARE * first_score
            and _speaks_to(self._catalog.indicator(pair[0]), question, language)
        ]
        return self._compose(question, situation, matched[0], second, hits[:SEE_ALSO_FROM])

    def _compose(
        self,
        question: str,
        situation: Situation,
        first: tuple[str, float],
        others: Sequence[tuple[str, float]],
        nearest: Sequence[Hit],
    ) -> Answer:
        language = situation.language
        indicator = self._catalog.indicator(first[0])
        draft = _Draft(language, [])
        lead = self._lead(question, indicator, first[1], draft)
        body = self._body(question, indicator, others, draft)
        body.append(_see_also(nearest, draft))
        citations = labelled(draft.citations, language)
        closing = [_NO_VERDICT[language], _CATALOG_NOTE[language], *notes(citations, language)]
        return Answer(
            question=question,
            language=language,
            covered=True,
            text="\n\n".join([lead, *body, *closing]),
            lead=lead,
            citations=citations,
        )

    def _lead(self, question: str, indicator: Indicator, score: float, draft: _Draft) -> str:
        language = draft.language
        mark = draft.cite(indicator_citation(indicator, score))
        name = indicator_name(indicator, self._catalog, language)
        hint = best_hint(indicator, question, language)
        if language == "zh":
            sentences = [f"您描述的做法主要涉及{name}{mark}。"]
            if hint:
                sentences.append(f"评分细则的提示：{hint}")
        else:
            sentences = [f"What you describe concerns {name} {mark}."]
            if hint:
                sentences.append(f"The scoring guidance says: {hint}")
        core = self._core_sentence(indicator, draft)
        return ("" if language == "zh" else " ").join([*sentences, *([core] if core else [])])

    def _core_sentence(self, indicator: Indicator, draft: _Draft) -> str:
        if not indicator.core:
            return ""
        language = draft.language
        clause = self._clauses.get(CORE_RULE_CLAUSE)
        mark = draft.cite(clause_citation(clause, 1.0)) if clause is not None else ""
        stars = stars_label(int(indicator.level), language)
        statuses = _pass_statuses(self._rules, language)
        if language == "zh":
            return (
                f"它是{stars}的核心指标：按本项目评级规则，核心指标须为{statuses}，"
                f"该能力域才能达到{stars}{mark}。"
            )
        return (
            f"It is a core indicator: under this project's rating rules a core indicator must be "
            f"{statuses} for its area to reach {stars}{' ' + mark if mark else ''}."
        )

    def _body(
        self,
        question: str,
        indicator: Indicator,
        others: Sequence[tuple[str, float]],
        draft: _Draft,
    ) -> list[str]:
        language = draft.language
        zh = language == "zh"
        parts = []
        guidance = _guidance(indicator, language)
        if guidance:
            title = (
                f"**{indicator.id} 的评分细则**"
                if zh
                else f"**Scoring guidance for {indicator.id}**"
            )
            parts.append(f"{title}\n\n" + "\n".join(guidance))
        if indicator.evidence:
            title = "**能证明这一点的材料**" if zh else "**Evidence that would show it**"
            lines = "\n".join(_evidence_line(e, language) for e in indicator.evidence)
            parts.append(f"{title}\n\n{lines}")
        parts.extend(self._also(question, other, draft) for other in others)
        return parts

    def _also(self, question: str, other: tuple[str, float], draft: _Draft) -> str:
        language = draft.language
        indicator = self._catalog.indicator(other[0])
        mark = draft.cite(indicator_citation(indicator, other[1]))
        name = indicator_name(indicator, self._catalog, language)
        hint = best_hint(indicator, question, language)
        scoring = scoring_in(indicator, language)
        met = scoring.met if scoring is not None else ""
        if language == "zh":
            return f"也可能涉及{name}{mark}。{hint}{'怎样算满足：' + met if met else ''}"
        extra = f" What counts as met: {met}" if met else ""
        return f"It may also concern {name} {mark}. {hint}{extra}".rstrip()
