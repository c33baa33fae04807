"""Whether an answer is about its indicator: lexical overlap, no model, no vectors.

Two tests, both on the answer's content words (``cues_words``):

- the *share* of its specific words that the indicator's wording (titles, requirement,
  questions, hints, evidence, scoring guidance) also uses. Words many indicators of the
  catalog use ("服务", "台账", "记录") are not specific, so they neither count for the
  answer nor against it: "我们中心有年度计划也有台账" shares only the common "台账" with a
  published service list;
- whether the indicator is *among the closest* of the catalog: weighting every word by how
  rare it is in the catalog (idf), no other indicator may fit the answer much better. "我们有问题
  整改登记表" shares "登记" with the indicator about hearing clients' views, but fits the
  rectification register far better.

How many indicators use a word comes from the catalog itself (``CatalogWords``); without a
catalog (``NO_CATALOG``) only fixed function words are set aside and nothing is compared.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from assistant.interview.cues_words import (
    HAN_RUN,
    Wording,
    char_pairs,
    content_words,
    core_texts,
    indicator_texts,
    tokenizer,
    warm_up,
    wording,
)
from assistant.knowledge.schema import Catalog, Indicator

__all__ = [
    "CLOSEST_RATIO",
    "COMMON_SHARE",
    "NO_CATALOG",
    "RELATED",
    "CatalogWords",
    "Overlap",
    "catalog_words",
    "relevance",
    "subject_words",
    "topic_words",
    "warm_up",
]

_tokenizer = tokenizer  # the name tests and start-up code know

RELATED = 0.25
"""A share at or above this counts as talking about the indicator."""

COMMON_SHARE = 0.18
"""A word at least this share of the catalog's indicators use tells none of them apart."""

UBIQUITOUS_SHARE = 0.5
"""A word at least this share use weighs nothing when indicators are compared."""

CLOSEST_RATIO = 0.6
"""The indicator's fit must reach this share of the best fit in the catalog."""

_MIN_RANKED = 2  # one word ("只在一个部门试行") is too little to say another indicator fits better


class Overlap(NamedTuple):
    share: float  # of the answer's specific words, those the indicator's wording shares
    words: int  # how many specific words the answer has
    closest: bool = True  # no indicator of the catalog fits the answer much better


@dataclass(frozen=True, slots=True, eq=False)
class CatalogWords:
    """How many of a catalog's indicators use each word and each Chinese character pair
    (in all their wording), and each indicator's core wording (titles, requirement, question,
    evidence: what it is about, without the scoring guidance's incidental words)."""

    size: int
    word_counts: Mapping[str, int]
    pair_counts: Mapping[str, int]
    core_words: Mapping[str, tuple[int, ...]]  # word → the indicators whose core has it
    core_pairs: Mapping[str, tuple[int, ...]]

    @classmethod
    def of(cls, indicators: Sequence[Indicator]) -> CatalogWords:
        words: Counter[str] = Counter()
        pairs: Counter[str] = Counter()
        for indicator in indicators:
            whole = wording(indicator_texts(indicator))
            words.update(whole.words)
            pairs.update(whole.pairs)
        cores = [wording(core_texts(indicator)) for indicator in indicators]
        return cls(
            len(indicators),
            words,
            pairs,
            _postings(core.words for core in cores),
            _postings(core.pairs for core in cores),
        )

    def common(self, word: str) -> bool:
        """Used by many indicators, or a Chinese word of common pairs only ("服务台账")."""
        if self._is_common(self.word_counts.get(word, 0)):
            return True
        pairs = char_pairs(word)
        return bool(pairs) and all(self.common_pair(pair) for pair in pairs)

    def common_pair(self, pair: str) -> bool:
        return self._is_common(self.pair_counts.get(pair, 0))

    def closest(self, words: Sequence[str], target: Wording) -> bool:
        """Whether no indicator fits ``words`` much better than ``target`` does."""
        ranked = [word for word in words if not self._ubiquitous(word)]
        if len(ranked) < _MIN_RANKED:
            return True
        best = self._best_fit(ranked)
        fit = sum(self._match(word, target) for word in ranked)
        return fit >= CLOSEST_RATIO * max(best, fit) if best > 0 else True

    def _is_common(self, count: int) -> bool:
        return count >= max(2.0, COMMON_SHARE * self.size)

    def _ubiquitous(self, word: str) -> bool:
        return self.word_counts.get(word, 0) >= max(2.0, UBIQUITOUS_SHARE * self.size)

    def _rarity(self, count: int) -> float:
        return math.log((self.size + 1) / (count + 1))

    def _best_fit(self, words: Sequence[str]) -> float:
        """The best fit of ``words`` to any indicator's core wording."""
        fits: Counter[int] = Counter()
        for word in words:
            fits.update(self._core_matches(word))
        return max(fits.values(), default=0.0)

    def _core_matches(self, word: str) -> dict[int, float]:
        """Indicator → how much ``word`` fits its core wording, as ``_match`` counts it."""
        found: dict[int, float] = {}
        for pair in char_pairs(word):
            if not self.common_pair(pair):
                weight = self._rarity(self.pair_counts.get(pair, 0))
                for index in self.core_pairs.get(pair, ()):
                    found[index] = max(found.get(index, 0.0), weight)
        weight = self._rarity(self.word_counts.get(word, 0))
        found.update((index, weight) for index in self.core_words.get(word, ()))
        return found

    def _match(self, word: str, target: Wording) -> float:
        if word in target.words:
            return self._rarity(self.word_counts.get(word, 0))
        shared = [p for p in char_pairs(word) if p in target.pairs and not self.common_pair(p)]
        return max((self._rarity(self.pair_counts.get(p, 0)) for p in shared), default=0.0)


def _postings(sets: Iterable[frozenset[str]]) -> dict[str, tuple[int, ...]]:
    postings: dict[str, list[int]] = {}
    for index, items in enumerate(sets):
        for item in items:
            postings.setdefault(item, []).append(index)
    return {item: tuple(indices) for item, indices in postings.items()}


NO_CATALOG = CatalogWords.of(())
"""No catalog to compare with: only the fixed function words are set aside."""


# By the catalog itself (a frozen model hashes in a millisecond or two), not its version
# and hash: test catalogs share those.
@lru_cache(maxsize=8)
def catalog_words(catalog: Catalog) -> CatalogWords:
    """The catalog's ``CatalogWords``, counted once per catalog."""
    return CatalogWords.of(catalog.indicators)


def relevance(
    text: str, indicator: Indicator, catalog: CatalogWords = NO_CATALOG
) -> Overlap | None:
    """How much of the answer's specific wording the indicator shares, and whether the
    indicator is among the closest of the catalog.

    None when the answer has no specific word ("有", "有台账", "not yet") and no indicator
    fits its common words far better: such an answer is about whatever was asked; and for an
    English answer that shares nothing with an indicator
    worded in Chinese only. Pass the answer with its cue words left out.
    """
    words = content_words(text.lower())
    specific = [word for word in words if not catalog.common(word)]
    target = wording(indicator_texts(indicator))
    if not specific:  # only common words: about this indicator unless one fits far better
        return None if catalog.closest(words, target) else Overlap(0.0, 0, closest=False)
    shared = sum(1 for word in specific if _shared(word, target, catalog))
    if shared == 0 and not any(HAN_RUN.match(w) for w in specific) and not _english(indicator):
        return None  # only the title is in English: no shared word proves nothing
    return Overlap(shared / len(specific), len(specific), catalog.closest(words, target))


def topic_words(indicator: Indicator) -> frozenset[str]:
    """The words (jieba, search mode) of the indicator's titles and question."""
    return _topic_words((indicator.title.zh, indicator.title.en.lower(), indicator.question))


def subject_words(indicator: Indicator) -> frozenset[str]:
    """The content words of the indicator's titles: what the indicator is about."""
    return _subject_words(indicator.title.zh, indicator.title.en.lower())


@lru_cache(maxsize=512)
def _subject_words(zh: str, en: str) -> frozenset[str]:
    return frozenset(content_words(zh) + content_words(en))


@lru_cache(maxsize=512)
def _topic_words(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for text in texts for w in tokenizer().cut_for_search(text) if w.strip())


def _english(indicator: Indicator) -> bool:
    """Whether the indicator is worded in English beyond its title."""
    return indicator.question_en is not None or indicator.scoring_en is not None


def _shared(word: str, target: Wording, catalog: CatalogWords) -> bool:
    if word in target.words:
        return True
    return any(p in target.pairs and not catalog.common_pair(p) for p in char_pairs(word))
