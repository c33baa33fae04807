"""Interpretation answers in fluent prose, grounded in the retrieved clauses only.

The wrapped answerer retrieves and decides whether the standard covers the question at all
(the refusal below the relevance floor stays in code). The model then sees only the clauses
that answer cites. Its prose is served only when ``check_grounding`` passes: it cites at least
one clause as 【number】, every clause or indicator number it mentions is among the retrieved
ones, every quotation (「…」, “…”, "…") occurs word for word in them, and it awards no
rating (评为…, rated…) that the clauses do not contain. Otherwise the
extractive answer is served, so a failed check costs fluency, never correctness.

Streaming (``stream``) yields ``AnswerDelta`` events with the model's text as it arrives and
ends with one ``AnswerFinal``: its ``answer.text`` replaces everything streamed before it
(the same prose plus the sources line when grounded, the extractive answer when not).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Literal

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import Field

from assistant.interview.ports import Answerer
from assistant.knowledge.schema import StrictModel
from assistant.llm.fallback import InvalidOutput, LlmMetrics, record_fallback
from assistant.llm.prompts import PromptBook, PromptFile, shipped_prompts
from assistant.qa.extractive import annex_notes, clause_label, is_project_rule, quote
from assistant.qa.models import Answer, Citation, Language
from assistant.qa.scope import not_covered_note
from assistant.qa.streaming import answer_deltas

__all__ = [
    "AnswerDelta",
    "AnswerEvent",
    "AnswerFinal",
    "GroundedAnswerer",
    "answer_events",
    "check_grounding",
    "cited_numbers",
    "quotations",
    "sse_event",
]

MAX_PROSE = 3000
# Whole sentences of each clause up to about this many characters go into the prompt: enough
# to answer from, short enough for small context windows. Quotations are still checked
# against the full clause text.
CLAUSE_CHARS = 400
_BRACKET = re.compile(r"【([^】]{1,40})】")
_NUMBER = re.compile(
    r"(?<![\w.])(?:\d{1,2}(?:\.\d{1,3}){1,3}|(?:SS|SD|ST|SO|CSI)-[1-5]-\d{2})(?![\w.])"
)
# Quotation marks, opening → closing; read by _quoted with str.find (linear, unlike a
# search for 「[^」]*」 that rescans an unclosed run once per opening mark).
_QUOTE_PAIRS = {"「": "」", "『": "』", "“": "”", '"': '"'}
_REF_PREFIXES = ("第", "条款", "clause", "indicator", "指标")
_SEPARATORS = re.compile(r"[、，,；;/]")
_SPACE = re.compile(r"\s+")
# A verdict on the asker's institution: the rating is never the model's to give.
_VERDICT = re.compile(
    r"评为|评定为|定为[一二三四五]星|\b(?:you|your institution)\b[^.]{0,30}\brated\b|"
    r"\brated\s+(?:as\s+)?(?:a\s+)?(?:one|two|three|four|five|[1-5])[- ]stars?",
    re.IGNORECASE,
)


class AnswerDelta(StrictModel):
    """A piece of the model's prose as it streams (SSE ``event: delta``)."""

    event: Literal["delta"] = "delta"
    text: str


class AnswerFinal(StrictModel):
    """The answer to show; its text replaces the streamed deltas (SSE ``event: final``)."""

    event: Literal["final"] = "final"
    answer: Answer
    grounded: bool = Field(description="True when the model's prose passed the citation check")
    fallback_reason: str | None = None


AnswerEvent = Annotated[AnswerDelta | AnswerFinal, Field(discriminator="event")]


def sse_event(event: AnswerDelta | AnswerFinal) -> str:
    """One Server-Sent Events message: ``event: delta|final`` and the event as JSON."""
    return f"event: {event.event}\ndata: {event.model_dump_json()}\n\n"


def _flat(text: str) -> str:
    return _SPACE.sub("", text)


def cited_numbers(prose: str) -> list[str]:
    """The references the prose makes in 【】, normalised (【第 9.4.2 条】 → 9.4.2)."""
    found = []
    for inside in _BRACKET.findall(prose):
        for part in _SEPARATORS.split(inside):
            cleaned = _bare_reference(part.strip())
            if cleaned:
                found.append(cleaned)
    return found


def _bare_reference(part: str) -> str:
    """Without "第"/"clause"… in front and "条" behind: "第 9.4.2 条" → "9.4.2"."""
    for prefix in _REF_PREFIXES:
        if part[: len(prefix)].lower() == prefix:
            part = part[len(prefix) :].lstrip()
            break
    if part.endswith("条"):
        part = part[:-1].rstrip()
    return part.strip()


def quotations(prose: str) -> list[str]:
    """The non-empty texts between paired quotation marks, in order."""
    return [quoted for quoted in _quoted(prose) if quoted]


def _quoted(prose: str) -> Iterator[str]:
    unclosed: set[str] = set()  # an opening mark with no closing one after it
    position = 0
    while position < len(prose):
        opening = prose[position]
        closing = _QUOTE_PAIRS.get(opening)
        end = -1 if closing is None or opening in unclosed else prose.find(closing, position + 1)
        if end < 0:
            if closing is not None:
                unclosed.add(opening)
            position += 1
            continue
        yield prose[position + 1 : end]
        position = end + 1


def _allowed(citations: Sequence[Citation]) -> set[str]:
    return {c.clause for c in citations} | {c.indicator_id for c in citations if c.indicator_id}


def check_grounding(prose: str, citations: Sequence[Citation], question: str) -> list[str]:
    """The numbers the prose cites, all among ``citations``; InvalidOutput otherwise."""
    if not prose.strip():
        raise InvalidOutput("empty answer")
    if len(prose) > MAX_PROSE:
        raise InvalidOutput(f"answer of {len(prose)} characters is too long")
    allowed = _allowed(citations)
    haystack = _flat("\n".join([question, *(f"{c.title}\n{c.text}" for c in citations)]))
    cited = _check_citations(prose, allowed)
    _check_mentions(prose, allowed, haystack)
    _check_quotations(prose, haystack)
    return cited


def _check_citations(prose: str, allowed: set[str]) -> list[str]:
    cited = cited_numbers(prose)
    if not cited:
        raise InvalidOutput("cites no clause")
    unknown = sorted({number for number in cited if number not in allowed})
    if unknown:
        raise InvalidOutput(f"cites {unknown!r}, not among the retrieved {sorted(allowed)!r}")
    return list(dict.fromkeys(cited))


def _check_mentions(prose: str, allowed: set[str], haystack: str) -> None:
    """Bare clause numbers and verdicts must come from the clauses too."""
    stray = sorted({n for n in _NUMBER.findall(prose) if n not in allowed and n not in haystack})
    if stray:
        raise InvalidOutput(f"mentions {stray!r}, not among the retrieved clauses")
    verdicts = {m.group(0) for m in _VERDICT.finditer(prose)}
    verdicts -= {m.group(0) for m in _VERDICT.finditer(haystack)}
    if verdicts:
        raise InvalidOutput(f"gives a verdict ({sorted(verdicts)!r})")


def _check_quotations(prose: str, haystack: str) -> None:
    for quoted in quotations(prose):
        needle = _flat(quoted).rstrip("。．.，,；;：:")
        if needle and needle not in haystack:
            raise InvalidOutput(f"quotes {_clip(quoted)!r}, which the clauses do not contain")


def _clip(text: str) -> str:
    return text if len(text) <= 30 else text[:29] + "…"


def _clause_block(citation: Citation, limit: int) -> str:
    if citation.indicator_id:
        head = f"【{citation.indicator_id}】{citation.title}（{citation.clause}）"
    else:
        head = f"【{citation.clause}】{citation.title}"
        if is_project_rule(citation):
            head += "（本项目规则，非标准条文）"
    return f"{head}\n{quote(citation.text, limit)}"


class GroundedAnswerer:
    """An ``Answerer`` whose covered answers the model rewrites as grounded prose."""

    def __init__(
        self,
        chat: BaseChatModel,
        base: Answerer,
        *,
        prompts: PromptBook | None = None,
        metrics: LlmMetrics | None = None,
        deadline_s: float | None = None,
        clause_chars: int = CLAUSE_CHARS,
    ) -> None:
        self._chat = chat
        self._base = base
        self._prompt: PromptFile = (prompts or shipped_prompts()).get("grounded_answer")
        self.metrics = metrics or LlmMetrics()
        self._deadline_s = deadline_s
        self._clause_chars = clause_chars

    def ask(self, question: str, *, k: int | None = None) -> Answer:
        """The checked answer; while ``answer_deltas`` is set, the model's tokens go to it."""
        sink = answer_deltas.get()
        final: list[AnswerFinal] = []
        for event in self._events(question, k, stream=sink is not None):
            if isinstance(event, AnswerFinal):
                final.append(event)
            elif sink is not None:
                sink(event.text)
        return final[-1].answer

    def stream(self, question: str, *, k: int | None = None) -> Iterator[AnswerDelta | AnswerFinal]:
        return self._events(question, k, stream=True)

    def _events(
        self, question: str, k: int | None, *, stream: bool
    ) -> Iterator[AnswerDelta | AnswerFinal]:
        extractive = self._base.ask(question, k=k)
        # An exact answer is computed from the data: a model must not rephrase its numbers.
        if not extractive.covered or not extractive.citations or extractive.kind == "exact":
            yield AnswerFinal(answer=extractive, grounded=False)
            return
        started = time.perf_counter()
        pieces: list[str] = []
        try:
            for piece in self._generate(extractive, stream, started):
                pieces.append(piece)
                if stream:
                    yield AnswerDelta(text=piece)
            answer = self._grounded("".join(pieces), extractive)
        # Any failure of the model serves the extractive answer instead.
        except Exception as error:
            reason = record_fallback("grounded", self.metrics, started, error)
            yield AnswerFinal(answer=extractive, grounded=False, fallback_reason=reason)
            return
        self.metrics.record("grounded", time.perf_counter() - started, None)
        yield AnswerFinal(answer=answer, grounded=True)

    def _generate(self, extractive: Answer, stream: bool, started: float) -> Iterable[str]:
        messages = self._messages(extractive)
        if not stream:
            yield self._chat.invoke(messages).text
            return
        for chunk in self._chat.stream(messages):
            if self._deadline_s is not None and time.perf_counter() - started > self._deadline_s:
                raise TimeoutError(f"stream ran past {self._deadline_s} s")
            if chunk.text:
                yield chunk.text

    def _messages(self, extractive: Answer) -> list[BaseMessage]:
        prompt = self._prompt.render(
            extractive.language,
            question=extractive.question,
            clauses="\n\n".join(_clause_block(c, self._clause_chars) for c in extractive.citations),
        )
        return [SystemMessage(prompt.system), HumanMessage(prompt.user)]

    def _grounded(self, prose: str, extractive: Answer) -> Answer:
        cited = check_grounding(prose, extractive.citations, extractive.question)
        language = extractive.language
        lookup = _by_number(extractive.citations)
        labels = [_source_label(number, lookup.get(number), language) for number in cited]
        parts = [
            prose.strip(),
            self._prompt.text("sources", language, sources=_join(labels, language)),
        ]
        if any(c.rendition == "reference" for c in extractive.citations):
            parts.append(self._prompt.text("reference_note", language))
        parts.extend(annex_notes(extractive.citations, language))
        if extractive.not_covered:  # a partial answer still names what it leaves out
            parts.append(not_covered_note(extractive.not_covered, language))
        # The model's prose replaces the extractive opening as well as its text.
        return extractive.model_copy(update={"text": "\n\n".join(parts), "lead": ""})


def _by_number(citations: Sequence[Citation]) -> dict[str, Citation]:
    """Each citable number to its citation: indicators by id, clauses by their own chunk."""
    lookup: dict[str, Citation] = {}
    for citation in citations:
        if citation.indicator_id:
            lookup.setdefault(citation.indicator_id, citation)
    for citation in sorted(citations, key=lambda c: c.indicator_id is not None):
        lookup.setdefault(citation.clause, citation)
    return lookup


def _source_label(number: str, citation: Citation | None, language: Language) -> str:
    if citation is None:
        return clause_label(number, language)
    if citation.indicator_id == number:
        return f"{number} {citation.title}"
    if citation.indicator_id:  # the clause an indicator rests on: its number only
        return clause_label(number, language)
    return f"{clause_label(number, language)} {citation.title}"


def _join(labels: Sequence[str], language: str) -> str:
    return ("；" if language == "zh" else "; ").join(labels)


def answer_events(
    answerer: Answerer, question: str, *, k: int | None = None
) -> Iterator[AnswerDelta | AnswerFinal]:
    """Events for any answerer: streamed when it can stream, else one ``final``."""
    if isinstance(answerer, GroundedAnswerer):
        yield from answerer.stream(question, k=k)
        return
    yield AnswerFinal(answer=answerer.ask(question, k=k), grounded=False)
