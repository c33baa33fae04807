"""How much an answer talks about its indicator: lexical overlap, no model, no vectors.

The share of the answer's content words (jieba tokens; English words by a crude stem) that
also occur in the indicator's title, requirement, question, hints or evidence descriptions.
A Chinese word counts as shared when one of its character pairs is, so "回访表" meets
"回访记录". Words every indicator shares ("服务", "企业") are left out of both sides.

The tokenizer is a private jieba instance, as in ``assistant.retrieval.lexical``; it is not
imported from there because that module pulls in numpy and BM25, which reading one answer
does not need.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import jieba

from assistant.knowledge.schema import Indicator

__all__ = ["RELATED", "Overlap", "relevance", "subject_words", "topic_words", "warm_up"]

jieba.setLogLevel(logging.WARNING)

RELATED = 0.25
"""A share at or above this counts as talking about the indicator."""

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_GENERIC = frozenset(
    "服务 企业 机构 我们 你们 贵 这个 那个 一个 没有 目前 现在 已经 还是 就是 但是 不过 可以 "
    "时候 情况 一下 主要 一直 都是 什么 这些 那些 这样 那样 中小企业 中小 小企业 公司 单位 "
    "自己 东西 方面 问题 一些 有些 部分 大部分 基本 基本上 每年 每次 定期 是否 是不是 有没有 "
    "不是 不会 不太 还没 还有 比较 只有 只是 其他 其余 今年 去年 明年 前年 之前 以后 以前 "
    "一年 两年 三年 半年 个月 年底 年初 时间 开始 好像 可能 应该 大概 估计 似乎 也许 "
    "the and are was were has have had our ours their they them this that these those with "
    "for from not yet but all some only each every most mostly any been being into onto out "
    "about than then there here what which who why how yes sure just also still none nothing "
    "never always really dont don't doesn't didn't haven't isn't aren't we'd we've it's "
    "one two three four five six seven eight nine ten year month week ago since last next "
    "years months weeks think guess probably maybe".split()
)


class Overlap(NamedTuple):
    share: float  # of the answer's content words, those the indicator's wording shares
    words: int  # how many content words the answer has


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    words: frozenset[str]
    pairs: frozenset[str]


@cache
def _tokenizer() -> jieba.Tokenizer:
    return jieba.Tokenizer()


def warm_up() -> None:
    """Load jieba's dictionary now (1–2 s), not while the first applicant waits for a reply."""
    _tokenizer().initialize()


def relevance(text: str, indicator: Indicator) -> Overlap | None:
    """How many of the answer's content words occur in the indicator's wording.

    None when the answer has no content word ("有", "not yet"): such an answer is about
    whatever was asked; and for an English answer that shares nothing, because only the
    indicator's title has an English wording. Pass the answer with its cue words left out.
    """
    words = _content_words(text.lower())
    if not words:
        return None
    vocabulary = _vocabulary(_indicator_texts(indicator))
    shared = sum(1 for word in words if _shared(word, vocabulary))
    if shared == 0 and not any(_HAN_RUN.match(word) for word in words):
        return None  # only the title is in English: no shared word proves nothing
    return Overlap(shared / len(words), len(words))


def topic_words(indicator: Indicator) -> frozenset[str]:
    """The words (jieba, search mode) of the indicator's titles and question."""
    return _topic_words((indicator.title.zh, indicator.title.en.lower(), indicator.question))


def subject_words(indicator: Indicator) -> frozenset[str]:
    """The content words of the indicator's titles: what the indicator is about."""
    return _subject_words(indicator.title.zh, indicator.title.en.lower())


@lru_cache(maxsize=512)
def _subject_words(zh: str, en: str) -> frozenset[str]:
    return frozenset(_content_words(zh) + _content_words(en))


@lru_cache(maxsize=512)
def _topic_words(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for text in texts for w in _tokenizer().cut_for_search(text) if w.strip())


def _indicator_texts(indicator: Indicator) -> tuple[str, ...]:
    return (
        indicator.title.zh,
        indicator.title.en,
        indicator.requirement,
        indicator.question,
        *indicator.hints,
        *(requirement.description for requirement in indicator.evidence),
    )


@lru_cache(maxsize=512)
def _vocabulary(texts: tuple[str, ...]) -> _Vocabulary:
    joined = " ".join(texts).lower()
    words = set(_content_words(joined))
    words |= {token for token in _tokenizer().cut_for_search(joined) if len(token) >= 2}
    pairs = {run[i : i + 2] for run in _HAN_RUN.findall(joined) for i in range(len(run) - 1)}
    return _Vocabulary(frozenset(words), frozenset(pairs))


# Cached: a checklist answer is read once per indicator of the question, and jieba takes
# a quarter of a second for 4,000 characters of Chinese.
@lru_cache(maxsize=256)
def _content_words(text: str) -> tuple[str, ...]:
    words = [
        token
        for run in _HAN_RUN.findall(text)
        for token in _tokenizer().lcut(run)
        if len(token) >= 2 and token not in _GENERIC
    ]
    words += [_stem(w) for w in _WORD.findall(text) if w not in _GENERIC]
    return tuple(words)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _shared(word: str, vocabulary: _Vocabulary) -> bool:
    if word in vocabulary.words:
        return True
    if _HAN_RUN.fullmatch(word):
        return any(word[i : i + 2] in vocabulary.pairs for i in range(len(word) - 1))
    return False
