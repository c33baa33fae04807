"""BM25 over jieba tokens, with the standard's own terms in a user dictionary."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterable, Sequence

import jieba
import snowballstemmer
from rank_bm25 import BM25Okapi

from assistant.knowledge.schema import Catalog
from assistant.knowledge.standard import StandardDocument

__all__ = ["Bm25Index", "Tokenizer", "standard_terms"]

jieba.setLogLevel(logging.WARNING)

_KEEP = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]", re.IGNORECASE)
_ENGLISH_WORD = re.compile(r"[a-z]+")
_STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 是 在 对 有 为 中 个 什么 怎么 怎样 如何 哪些 哪个 吗 呢 吧 啊 要 要求 "
    "我们 我 你 您 贵 机构 应 应当 需要 可以 能 会 就 都 也 还 这 那 其 之 被 把 让 给 "
    "the a an of to in on for and or is are be what how which who does do our we i".split()
)


def standard_terms(catalog: Catalog, documents: Iterable[StandardDocument]) -> list[str]:
    """Terms jieba must keep whole: areas, items, levels, indicator titles, defined terms."""
    terms = {area.name.zh for area in catalog.areas}
    terms |= {item.name.zh for area in catalog.areas for item in area.items}
    terms |= {level.name.zh for level in catalog.levels}
    terms |= {indicator.title.zh for indicator in catalog.indicators}
    for document in documents:
        terms |= {c.title for c in document.clauses if c.number.startswith("3.")}
    terms |= {"核心指标", "直接证据", "间接证据", "服务产品化", "一体化服务平台", "不适用"}
    return sorted(t for t in terms if 2 <= len(t) <= 20 and " " not in t)


class Tokenizer:
    """A private jieba instance (no global state) that knows the standard's terms."""

    def __init__(self, terms: Sequence[str] = ()) -> None:
        self._jieba = jieba.Tokenizer()
        # "questionnaires", "backed up", "trained" meet "questionnaire", "back-up", "training"
        self._stem = snowballstemmer.stemmer("english").stemWord
        if terms:
            self._jieba.load_userdict(io.StringIO("\n".join(f"{t} 50" for t in terms)))

    def stem(self, word: str) -> str:
        return str(self._stem(word))

    def tokens(self, text: str) -> list[str]:
        words = self._jieba.cut_for_search(text.lower())
        kept = [w for w in (w.strip() for w in words) if _keep(w)]
        return [self._stem(w) if _ENGLISH_WORD.fullmatch(w) else w for w in kept]


def _keep(word: str) -> bool:
    return bool(word) and word not in _STOPWORDS and bool(_KEEP.search(word))


class Bm25Index:
    def __init__(self, texts: Sequence[str], tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        corpus = [tokenizer.tokens(t) or ["∅"] for t in texts]
        self._bm25 = BM25Okapi(corpus, k1=1.2, b=0.75)  # Lucene defaults; 1.5 ranked worse

    def scores(self, query: str) -> list[float]:
        tokens = self._tokenizer.tokens(query)
        if not tokens:
            return [0.0] * self._bm25.corpus_size
        return [float(s) for s in self._bm25.get_scores(tokens)]

    def knows(self, word: str) -> bool:
        """``word`` (lower-case) occurs in the indexed texts, or is a stop word; an English
        word is looked up by its stem, as it was indexed."""
        if word in _STOPWORDS or word in self._bm25.idf:
            return True
        return bool(_ENGLISH_WORD.fullmatch(word)) and self._tokenizer.stem(word) in self._bm25.idf
