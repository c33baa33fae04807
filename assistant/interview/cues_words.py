"""The words of an answer and of an indicator, for telling what an answer is about.

An answer's content words are jieba tokens of two or more characters and English words by a
crude stem, without function words and self-references ("我们", "中心", "the"). An
indicator's wording is its titles, requirement, questions, hints, evidence descriptions and
scoring guidance (评分细则), kept as words (jieba, search mode) and as Chinese character
pairs, so that "回访表" can meet "回访记录".

The tokenizer is a private jieba instance, as in ``assistant.retrieval.lexical``; it is not
imported from there because that module pulls in numpy and BM25, which reading one answer
does not need.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import jieba

from assistant.knowledge.schema import Indicator

__all__ = [
    "HAN_RUN",
    "Wording",
    "char_pairs",
    "content_words",
    "core_texts",
    "indicator_texts",
    "tokenizer",
    "warm_up",
    "wording",
]

jieba.setLogLevel(logging.WARNING)

HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
# Function words, self-references and time words: never what an answer is about. Words
# common to many indicators ("服务", "台账") are found from the catalog instead
# (``cues_relevance.CatalogWords``).
_FUNCTION_WORDS = frozenset(
    "服务 企业 机构 中心 协会 商会 本单位 我们 你们 贵 这个 那个 一个 没有 目前 现在 已经 "
    "还是 就是 但是 不过 可以 时候 情况 一下 主要 一直 都是 什么 这些 那些 这样 那样 "
    "中小企业 中小 小企业 公司 单位 自己 东西 方面 问题 一些 有些 部分 大部分 基本 基本上 "
    "每年 每次 定期 是否 是不是 有没有 不是 不会 不太 还没 还有 比较 只有 只是 其他 其余 "
    "今年 去年 明年 前年 之前 以后 以前 一年 两年 三年 半年 个月 年底 年初 时间 开始 好像 "
    "可能 应该 大概 估计 似乎 也许 "
    "the and are was were has have had our ours their they them this that these those with "
    "for from not yet but all some only each every most mostly any been being into onto out "
    "about than then there here what which who why how yes sure just also still none nothing "
    "never always really dont don't doesn't didn't haven't isn't aren't we'd we've it's "
    "one two three four five six seven eight nine ten year month week ago since last next "
    "years months weeks think guess probably maybe".split()
)


@dataclass(frozen=True, slots=True)
class Wording:
    """An indicator's wording as words and Chinese character pairs."""

    words: frozenset[str]
    pairs: frozenset[str]


@cache
def tokenizer() -> jieba.Tokenizer:
    return jieba.Tokenizer()


def warm_up() -> None:
    """Load jieba's dictionary now (1–2 s), not while the first applicant waits for a reply."""
    tokenizer().initialize()


def indicator_texts(indicator: Indicator) -> tuple[str, ...]:
    """Everything the catalog says about the indicator, in both languages."""
    return (
        *core_texts(indicator),
        *indicator.hints,
        *indicator.hints_en,
        *_scoring_texts(indicator),
    )


def core_texts(indicator: Indicator) -> tuple[str, ...]:
    """What the indicator is about: titles, requirement, questions and evidence, without the
    hints and scoring guidance, whose incidental words would make many indicators fit."""
    return (
        indicator.title.zh,
        indicator.title.en,
        indicator.requirement,
        indicator.question,
        indicator.question_en or "",
        *(requirement.description for requirement in indicator.evidence),
    )


def _scoring_texts(indicator: Indicator) -> Iterator[str]:
    for scoring in (indicator.scoring, indicator.scoring_en):
        if scoring is not None:
            yield from (scoring.met, scoring.largely, scoring.partly, scoring.sample)


def wording(texts: tuple[str, ...]) -> Wording:
    """The words and character pairs of ``texts`` (an indicator's ``indicator_texts``)."""
    parts = [_text_wording(text) for text in texts]
    return Wording(
        frozenset().union(*(part.words for part in parts)),
        frozenset().union(*(part.pairs for part in parts)),
    )


# Per text, so that an indicator's whole wording and its core share one cut of each text.
@lru_cache(maxsize=8192)
def _text_wording(text: str) -> Wording:
    lowered = text.lower()
    tokens = [token for token in tokenizer().cut_for_search(lowered) if len(token) >= 2]
    words = {*tokens, *(_stem(word) for word in _WORD.findall(lowered))}
    pairs = {pair for run in HAN_RUN.findall(lowered) for pair in char_pairs(run)}
    return Wording(frozenset(words), frozenset(pairs))


# Cached: a checklist answer is read once per indicator of the question, and jieba takes
# a quarter of a second for 4,000 characters of Chinese.
@lru_cache(maxsize=256)
def content_words(text: str) -> tuple[str, ...]:
    """The answer's content words, in order; ``text`` lower-cased."""
    words = [
        token
        for run in HAN_RUN.findall(text)
        for token in tokenizer().lcut(run)
        if len(token) >= 2 and token not in _FUNCTION_WORDS
    ]
    words += [_stem(w) for w in _WORD.findall(text) if w not in _FUNCTION_WORDS]
    return tuple(words)


def char_pairs(word: str) -> list[str]:
    """The overlapping character pairs of a Chinese word; none for any other word."""
    if not HAN_RUN.fullmatch(word):
        return []
    return [word[i : i + 2] for i in range(len(word) - 1)]


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word
