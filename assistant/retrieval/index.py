"""Build the retrieval index once, keep it on disk, rebuild it when the knowledge changes."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.retrieval import store
from assistant.retrieval.chunks import Chunk
from assistant.retrieval.corpus import Corpus
from assistant.retrieval.lexical import Bm25Index, Tokenizer, standard_terms
from assistant.retrieval.search import Searcher
from assistant.retrieval.store import InMemoryVectorIndex, VectorIndex

__all__ = ["BuildReport", "Progress", "RetrievalIndex", "add_all", "outside_topics"]

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # done, total
BATCH = 32


@dataclass(frozen=True)
class BuildReport:
    rebuilt: bool
    chunks: int
    seconds: float
    content_hash: str


class RetrievalIndex:
    """The corpus with its BM25 index and its vectors in a ``VectorIndex``."""

    def __init__(
        self,
        corpus: Corpus,
        vectors: VectorIndex,
        tokenizer: Tokenizer,
        outside: VectorIndex | None = None,
    ) -> None:
        self.corpus = corpus
        bm25 = Bm25Index([c.search_text for c in corpus.chunks], tokenizer)
        self.searcher = Searcher(
            corpus.chunks,
            bm25,
            vectors.search_vector,
            vectors.embeddings.embed_query,
            corpus.glossary,
            outside.search_vector if outside else None,
        )

    @staticmethod
    def tokenizer_for(corpus: Corpus) -> Tokenizer:
        return Tokenizer(standard_terms(corpus.catalog, corpus.documents))

    @classmethod
    def open(
        cls,
        corpus: Corpus,
        client: Any,
        embeddings: Embeddings,
        embedder: str,
        *,
        rebuild: bool = False,
        progress: Progress | None = None,
    ) -> tuple[RetrievalIndex, BuildReport]:
        """Reuse the stored vectors when they match the corpus and embedder, else rebuild."""
        started = time.perf_counter()
        stamp = f"{corpus.content_hash}|{embedder}"
        stale = rebuild or store.collection_metadata(client).get("stamp") != stamp
        if stale:
            log.info("rebuilding the retrieval index (%d chunks)", len(corpus.chunks))
            store.reset(client, {"stamp": "building", "embedder": embedder})
        vectors = store.ChromaVectorIndex(client, embeddings)
        if stale:
            add_all(vectors, corpus.chunks, progress)
            # Stamped last: a build cut short is rebuilt at the next start, never half-used.
            store.stamp(client, stamp)
        index = cls(corpus, vectors, cls.tokenizer_for(corpus), outside_topics(corpus, embeddings))
        seconds = time.perf_counter() - started
        return index, BuildReport(stale, len(corpus.chunks), seconds, corpus.content_hash)


def outside_topics(corpus: Corpus, embeddings: Embeddings) -> VectorIndex:
    """The out-of-scope topics, embedded at start-up (a few dozen short lines)."""
    topics = InMemoryVectorIndex(embeddings)
    topics.add([f"outside:{n}" for n in range(len(corpus.out_of_scope))], corpus.out_of_scope)
    return topics


def add_all(vectors: VectorIndex, chunks: Sequence[Chunk], progress: Progress | None) -> None:
    for start in range(0, len(chunks), BATCH):
        batch = chunks[start : start + BATCH]
        vectors.add([c.key for c in batch], [c.embed_text for c in batch])
        if progress:
            progress(min(start + BATCH, len(chunks)), len(chunks))
