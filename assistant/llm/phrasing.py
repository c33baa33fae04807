"""Questions worded for the institution by a chat model, never changing what is asked.

The rewrite is checked in code (``check_rewrite``) before anyone sees it: one sentence ending
with a question mark, within length bounds, in the session's language, keeping the key terms
that the indicator's title shares with its question, adding no status word, no talk of stars
or ratings and no preamble ("The institution should answer: …"). Anything else — or any
error or timeout — keeps the original question.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.interview.ports import QuestionPhraser
from assistant.knowledge.schema import Indicator
from assistant.llm.fallback import InvalidOutput, LlmMetrics, with_fallback
from assistant.llm.guards import new_in
from assistant.llm.prompts import PromptBook, PromptFile, shipped_prompts
from assistant.retrieval.lexical import Tokenizer
from assistant.session.models import Language, Profile
from assistant.session.state import RecordedFinding
from assistant.vocabulary import status_label

__all__ = ["KEY_TERM_SHARE", "IndicatorQuestion", "ModelPhraser", "check_rewrite", "key_terms"]

KEY_TERM_SHARE = 0.5  # at least this share of the key terms must survive the rewrite
_RECENT = 3
_CJK = re.compile(r"[\u4e00-\u9fff]")
_EN_WORD = re.compile(r"[a-z]{4,}")
_EN_STOP = frozenset(
    "your does have that this with from they them there their what when which will would "
    "each every about into been being some such than then also only other".split()
)
_COLON = re.compile(r"[:：]")
_WRAPPERS = "\"'“”‘’「」『』《》` "
_ECHO = re.compile(r"^(?:改写后的问题|问题|reworded question|question)\s*[:：]\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    return Tokenizer()


def _terms(text: str, language: Language) -> set[str]:
    if language == "zh":
        return {t for t in _tokenizer().tokens(text) if len(t) >= 2 and _CJK.search(t)}
    return {w[:5] for w in _EN_WORD.findall(text.lower()) if w not in _EN_STOP}


def key_terms(title: str, question: str, language: Language) -> set[str]:
    """The terms the title shares with the question (the title's own when they share none)."""
    in_title = _terms(title, language)
    return (in_title & _terms(question, language)) or in_title


def _kept(term: str, text: str, language: Language) -> bool:
    if language == "zh":
        return term in text
    return any(word.startswith(term) for word in _EN_WORD.findall(text.lower()))


def _clean(reply: str) -> str:
    """The first line of the reply, without quotes or an echoed label; later lines (a model's
    comments on its own rewrite) are dropped."""
    lines = [line.strip() for line in reply.strip().splitlines() if line.strip()]
    if not lines:
        raise InvalidOutput("empty reply")
    return _ECHO.sub("", lines[0].strip(_WRAPPERS)).strip(_WRAPPERS)


def check_rewrite(reply: str, original: str, title: str, language: Language) -> str:
    """The cleaned rewrite of ``original``; InvalidOutput when it may change what is asked."""
    text = _clean(reply)
    if not text.endswith(("？", "?")):
        raise InvalidOutput("does not end with a question mark")
    if not max(6, len(original) // 2) <= len(text) <= 2 * len(original) + 20:
        raise InvalidOutput(f"length {len(text)} out of bounds for {len(original)}")
    marks = text.count("？") + text.count("?")
    if marks > max(1, original.count("？") + original.count("?")):
        raise InvalidOutput("asks more than one question")
    if bool(_CJK.search(text)) != (language == "zh"):
        raise InvalidOutput("not in the session's language")
    if new_in(text, original):
        raise InvalidOutput("adds a status word or a rating claim")
    if _COLON.search(text) and not _COLON.search(original):
        raise InvalidOutput("wraps the question in a preamble")
    terms = key_terms(title, original, language)
    kept = [term for term in terms if _kept(term, text, language)]
    if terms and len(kept) < max(1, KEY_TERM_SHARE * len(terms)):
        raise InvalidOutput(f"drops key terms {sorted(terms - set(kept))!r}")
    return text


def _recent_lines(recent: Sequence[RecordedFinding], language: Language) -> str:
    lines = []
    for finding in list(recent)[-_RECENT:]:
        reason = f" ({finding.reason})" if finding.reason else ""
        status = status_label(finding.status, language, inline=True)
        lines.append(f"- {finding.indicator_id}: {status}{reason}")
    return "\n".join(lines) or "-"


class IndicatorQuestion(QuestionPhraser):
    """The catalog's own question (the English one in English sessions): the default fallback."""

    def phrase(
        self,
        indicator: Indicator,
        *,
        language: Language,
        profile: Profile,
        recent: Sequence[RecordedFinding] = (),
    ) -> str:
        if language == "en" and indicator.question_en:
            return indicator.question_en
        return indicator.question


class ModelPhraser(QuestionPhraser):
    """Asks the model to reword ``fallback``'s question; keeps it when the check fails."""

    def __init__(
        self,
        chat: BaseChatModel,
        fallback: QuestionPhraser | None = None,
        *,
        prompts: PromptBook | None = None,
        metrics: LlmMetrics | None = None,
        cache_size: int = 256,
    ) -> None:
        self._chat = chat
        self._fallback = fallback or IndicatorQuestion()
        self._prompt: PromptFile = (prompts or shipped_prompts()).get("question_phrasing")
        self.metrics = metrics or LlmMetrics()
        # A page reload asks for the same question again: same words, no second call.
        self._cache: OrderedDict[str, str] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def phrase(
        self,
        indicator: Indicator,
        *,
        language: Language,
        profile: Profile,
        recent: Sequence[RecordedFinding] = (),
    ) -> str:
        original = self._fallback.phrase(
            indicator, language=language, profile=profile, recent=recent
        )
        key = self._key(indicator, language, profile, recent, original)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        title = indicator.title.en if language == "en" else indicator.title.zh

        def attempt() -> str:
            reply = self._chat.invoke(
                self._messages(indicator, original, language, profile, recent)
            )
            return check_rewrite(reply.text, original, title, language)

        # A refused rewrite is remembered too: at temperature 0 the model would repeat it.
        text, _ = with_fallback("phrasing", self.metrics, attempt, lambda: original)
        self._remember(key, text)
        return text

    def _messages(
        self,
        indicator: Indicator,
        original: str,
        language: Language,
        profile: Profile,
        recent: Sequence[RecordedFinding],
    ) -> list[BaseMessage]:
        prompt = self._prompt.render(
            language,
            title=indicator.title.en if language == "en" else indicator.title.zh,
            question=original,
            requirement=indicator.requirement,
            profile=json.dumps(
                profile.model_dump(mode="json", exclude_none=True), ensure_ascii=False
            ),
            recent=_recent_lines(recent, language),
        )
        return [SystemMessage(prompt.system), HumanMessage(prompt.user)]

    @staticmethod
    def _key(
        indicator: Indicator,
        language: Language,
        profile: Profile,
        recent: Sequence[RecordedFinding],
        original: str,
    ) -> str:
        tail = [(f.indicator_id, f.status.value, f.reason) for f in list(recent)[-_RECENT:]]
        return json.dumps(
            [indicator.id, language, profile.model_dump(mode="json"), tail, original],
            ensure_ascii=False,
        )

    def _remember(self, key: str, text: str) -> None:
        with self._lock:
            self._cache[key] = text
            self._cache.move_to_end(key)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
