"""Nouns a Chinese question names that the standard never uses (贷款, 增值税, 孵化器, 试用期).

A look-alike question borrows the standard's words (服务机构, 评估, 认定) but its object is
foreign to it; the look-alike table (``assistant.retrieval.lookalike``) only knows the topics
somebody listed. This is the generic test: the question is cut by jieba's part-of-speech
tagger (its own dictionary, no user terms), and a noun (n*, vn) of two or more characters that
jieba's dictionary knows and that occurs nowhere in the indexed texts (the standard, annex R,
the catalog in both languages, the search keys: ``Bm25Index.knows``) is *foreign*. Fragments
jieba made up for unknown text ("冲一", "家律") are not dictionary words and are skipped, so
colloquial phrasing does not count. ``CoverageCheck`` then asks such a question to lean to the
standard rather than to an out-of-scope topic (``foreign_margin``).

In English, colloquial words the catalog does not use ("mid", "consulting", "ourselves") were
as common in in-scope questions as in look-alikes; only *names* are read: a capitalised word
that does not begin a sentence, with a part the indexed texts do not know (Michelin, Shanghai,
LinkedIn, CAC; not ISO, SO-4-03 or Assessment, nor two capitals: AI, HR).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import cache

import jieba
import jieba.posseg

from assistant.retrieval.lookalike import segments

__all__ = ["foreign_names", "foreign_nouns", "rest_without", "warm_up"]

jieba.setLogLevel(logging.WARNING)

_HAN_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'-]*")
_PART = re.compile(r"[-']")
_SENTENCE_START = frozenset(".?!:;\"'(“‘（")


@cache
def _tagger() -> jieba.posseg.POSTokenizer:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return jieba.posseg.POSTokenizer(tokenizer)


def warm_up() -> None:
    """Load the tagger's dictionaries now (2–4 s), not while the first question waits."""
    _tagger()


def foreign_names(question: str, knows: Callable[[str], bool]) -> tuple[str, ...]:
    """The English question's names with a part ``knows`` rejects, in order, each once."""
    found: list[str] = []
    for match in _LATIN_WORD.finditer(question):
        word = match.group().removesuffix("'s")
        # Two capitals are generic (AI, HR, IT, HQ), not the name of another scheme
        if len(word) < 2 or not word[0].isupper() or word in found or _short_acronym(word):
            continue
        before = question[: match.start()].rstrip()
        if not before or before[-1] in _SENTENCE_START:
            continue
        parts = (p.lower() for p in _PART.split(word) if p and not p.isdigit())
        if not all(knows(part) for part in parts):
            found.append(word)
    return tuple(found)


def _short_acronym(word: str) -> bool:
    return len(word) == 2 and word.isupper()


def foreign_nouns(question: str, knows: Callable[[str], bool]) -> tuple[str, ...]:
    """The Chinese question's dictionary nouns ``knows`` rejects, in order, each once."""
    tagger = _tagger()
    found: list[str] = []
    for pair in tagger.lcut(question.lower()):
        word, flag = pair.word, pair.flag
        if not (flag.startswith("n") or flag == "vn") or not _HAN_WORD.fullmatch(word):
            continue
        if word in found or not tagger.tokenizer.FREQ.get(word) or knows(word):
            continue
        found.append(word)
    return tuple(found)


def rest_without(question: str, foreign: tuple[str, ...]) -> str:
    """The parts of ``question`` that name none of ``foreign`` ("", when every part does or
    the question is one part): "How is the overall star worked out? And how do Michelin
    inspectors…" → "How is the overall star worked out"."""
    parts = segments(question)
    kept = [p for p in parts if not any(word.lower() in p.lower() for word in foreign)]
    return "，".join(kept) if kept and len(kept) < len(parts) else ""
