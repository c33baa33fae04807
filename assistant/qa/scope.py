"""Answers to look-alike questions: a refusal that names what the question is about, and a
partial answer that says which part of the question the standard does not address.

The decision itself is made in ``assistant.retrieval.lookalike``; this module only words it.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.qa.models import Answer, Language
from assistant.retrieval.lookalike import LookalikeMatch

__all__ = ["as_partial", "lookalike_refusal", "not_covered_note", "scoped"]

_STANDARD = {
    "zh": "《中小企业服务 服务机构 通用能力成熟度模型》（T/ZXGJXH 002—2023）",
    "en": "the maturity model standard (T/ZXGJXH 002—2023)",
}
_REFUSAL = {
    "zh": "这个问题关于{topics}，不在{standard}的范围内，标准对此没有规定。"
    "这类问题建议咨询相关主管部门或专业机构；"
    "我可以解答标准条款的含义、各星级的要求、评级规则和评估申请流程。",
    "en": "This question is about {topics}, which {standard} does not address; please ask "
    "the competent authority or a professional adviser. I can explain its clauses, what each "
    "star level requires, how the rating works and how to apply for an assessment.",
}
_NOTE = {
    "zh": "本标准不涉及问题中的{topics}，以上没有回答这一部分。",
    "en": "The standard does not address {topics}; that part of the question is not answered here.",
}


def _join(topics: Sequence[str], language: Language) -> str:
    if language == "zh":
        return "、".join(topics)
    return topics[0] if len(topics) == 1 else f"{', '.join(topics[:-1])}, or {topics[-1]}"


def not_covered_note(topics: Sequence[str], language: Language) -> str:
    """The sentence that ends a partial answer."""
    return _NOTE[language].format(topics=_join(topics, language))


def lookalike_refusal(question: str, language: Language, topics: Sequence[str]) -> Answer:
    text = _REFUSAL[language].format(topics=_join(topics, language), standard=_STANDARD[language])
    return Answer(
        question=question,
        language=language,
        covered=False,
        text=text,
        kind="refused",
        not_covered=tuple(topics),
    )


def scoped(answer: Answer, question: str, match: LookalikeMatch) -> Answer:
    """``answer`` (to ``match.asked(question)``) as the answer to the whole ``question``."""
    if match.verdict == "none":
        return answer
    topics = match.names(answer.language)
    if not answer.covered:  # the in-scope part did not reach the standard either
        return lookalike_refusal(question, answer.language, topics)
    return as_partial(answer, question, topics)


def as_partial(answer: Answer, question: str, not_covered: tuple[str, ...]) -> Answer:
    """``answer`` to a part, as the partial answer to the whole ``question``: its text ends
    naming what the standard does not cover."""
    note = not_covered_note(not_covered, answer.language)
    return answer.model_copy(
        update={
            "question": question,
            "covered": "partial",
            "not_covered": not_covered,
            "text": f"{answer.text.rstrip()}\n\n{note}",
        }
    )
